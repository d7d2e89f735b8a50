/**
 * The default theme in a real browser: no page scrolls sideways at phone widths, photos stay within
 * the screen, a post's first sentence shows above the fold, the video facade plays, no icon is
 * missing. One Chromium, one server, one site built once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type SiteServer } from '../src/dev/serve.js';
import { buildInto, writeSite } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run); elsewhere the test says why it did not run.
const skip = !fs.existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : false;

const PHONE_WIDTHS = [320, 360, 390, 414];
const YOUTUBE_ID = 'abcDEF12345';
const VIMEO_ID = '76979871';
const LONG_WORD = 'Supercalifragilisticexpialidociouslyunbreakablekubernetesoperatorreconciliation';
const LONG_URL = `https://example.org/${'a-very-long-path-segment-without-spaces-'.repeat(4)}end`;
const LONG_TAG = 'ContinuousDeliveryPipelinesForMultiClusterPlatformEngineering';
const FIRST_SENTENCE = 'Forty-two people squeezed into the loft for the first evening.';

/** Ten pages with long navigation titles, besides Recaps and Tags: far wider than any phone in one line. */
const navPages = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [
    `pages/page-${i}.md`,
    `---\ntitle: ${i === 3 ? LONG_WORD : `Information for speakers and sponsors, part ${i + 1}`}\nnav_order: ${i}\n---\nA page with a ${LONG_URL} in it.\n`,
  ]),
);

const wideTable = `| ${Array.from({ length: 12 }, (_, i) => `Column ${i}`).join(' | ')} |\n|${' --- |'.repeat(12)}\n| ${Array.from({ length: 12 }, () => 'kubernetes-operator').join(' | ')} |\n`;

/** The markup the image pass writes for a local photo (a picture with WebP sources, width and height). */
const picture = (alt: string) =>
  `<picture><source type="image/webp" srcset="/images/portrait.webp 480w, /images/portrait.webp 960w" sizes="(min-width: 44rem) 40rem, 100vw"><img src="/images/portrait.jpg" srcset="/images/portrait.jpg 480w, /images/portrait.jpg 960w" sizes="(min-width: 44rem) 40rem, 100vw" width="1536" height="2048" alt="${alt}" loading="lazy" decoding="async"></picture>`;

const postBody = `${FIRST_SENTENCE} We had planned for thirty chairs, and ${LONG_WORD} was the word of the night.

![A portrait photo as markdown writes it](/images/portrait.jpg "The speaker, standing")

${picture('A portrait photo in a picture')}

<figure>${picture('A portrait photo in a figure')}<figcaption>The speaker, in a figure</figcaption></figure>

<figure><img src="/images/portrait.jpg" width="1536" height="2048" alt="A portrait photo alone in a figure"><figcaption>Alone</figcaption></figure>

<p><img id="slow" loading="eager" src="/images/slow-portrait.jpg" width="1536" height="2048" alt="A photo that arrives late"></p>

The slides are at ${LONG_URL} and \`${LONG_WORD}${LONG_WORD}\` is inline code.

${wideTable}
\`\`\`
kubectl get pods --all-namespaces --output=custom-columns=NAME:.metadata.name,NAMESPACE:.metadata.namespace,NODE:.spec.nodeName
\`\`\`
`;

const site = {
  'recap.config.yml': 'title: Harbour City Cloud Native Meetup and Friends of the Container Ecosystem\nurl: https://meetup.example.org\nbasePath: /blog/\npaginate: 2\n',
  ...navPages,
  'posts/2024-03-12-first-evening.md': `---\ntitle: "March 2024: Our First Evening at Dockside Hub, With Pizza"\nimage: /images/cover.jpg\nimage_alt: The room\nvideo: https://www.youtube.com/watch?v=${YOUTUBE_ID}\ntags: [Photos, Video, ${LONG_TAG}]\nlocation: Dockside Hub, 12 Quay Street, Harbour City\n---\n${postBody}`,
  'posts/2024-04-09-vimeo-night.md': `---\ntitle: Vimeo night\nvideo: https://vimeo.com/${VIMEO_ID}\ntags: [Video]\n---\nA recording on Vimeo.\n`,
  'posts/2024-05-14-no-video.md': `---\ntitle: ${LONG_WORD}\nimage: /images/portrait.jpg\ntags: [${LONG_TAG}]\n---\nA portrait cover.\n`,
  'posts/2024-06-11-plain.md': '---\ntitle: A plain evening\n---\nJust text.\n',
  // The next meetup (upcoming for good): the home page's block and the event's box, with long words and links.
  'posts/2024-06-20-announcement.md': `---\ntitle: ${LONG_WORD} night\nevent:\n  date: 2099-06-09 18:30\n  end: 2099-06-10 01:00\n  venue: ${LONG_WORD}\n  address: ${LONG_URL}\n  rsvp: ${LONG_URL}\n  online: ${LONG_URL}\n---\nSee you there.\n`,
};

/** Holds requests back while closed; open lets them (and every later one) through. */
class Gate {
  private waiting: (() => void)[] = [];
  private closed = false;
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.closed = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
  passed(): Promise<void> {
    return this.closed ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve();
  }
}

describe('the default theme in a real browser', { skip }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let server: SiteServer;
  let base: string;
  let thumbnail: Buffer;
  const consoleErrors: string[] = [];
  const slowPhoto = new Gate();

  before(async () => {
    const root = writeSite(site);
    const photo = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 90 } } });
    fs.mkdirSync(path.join(root, 'static/images'), { recursive: true });
    await photo(1536, 2048).jpeg().toFile(path.join(root, 'static/images/portrait.jpg'));
    await photo(960, 1280).webp().toFile(path.join(root, 'static/images/portrait.webp'));
    await photo(1536, 2048).jpeg().toFile(path.join(root, 'static/images/slow-portrait.jpg'));
    await photo(1600, 1200).jpeg().toFile(path.join(root, 'static/images/cover.jpg'));
    thumbnail = await photo(480, 360).jpeg().toBuffer();
    const out = await buildInto(root);
    server = await startServer({ outDir: out, basePath: '/blog/', host: '127.0.0.1', port: 0, liveReload: false });
    base = server.url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext();
    await routeRequests(context, base, thumbnail, slowPhoto);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()} ${message.location().url}`);
    });
  });

  after(async () => {
    slowPhoto.open();
    // Requests still in flight (a favicon, a lazy photo) end quietly, not as an unhandled rejection after the browser is gone.
    await context?.unrouteAll({ behavior: 'ignoreErrors' });
    await browser?.close();
    await server?.close();
  });

  /** One page of each kind: home, a later index page, a post, a page, a tag page, the tags index, 404. */
  const pageKinds = () => ({
    home: base,
    'index page 2': `${base}page/2/`,
    post: `${base}2024/03/12/first-evening/`,
    event: `${base}2024/06/20/announcement/`,
    'post with a long title': `${base}2024/05/14/no-video/`,
    page: `${base}page-3/`,
    tag: `${base}tags/${LONG_TAG.toLowerCase()}/`,
    tags: `${base}tags/`,
    '404': `${base}404.html`,
  });

  it('scrolls no page sideways at 320, 360, 390 and 414 px, with twelve navigation links, long words, a wide table and code', async () => {
    const widest: string[] = [];
    for (const width of PHONE_WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      for (const [kind, url] of Object.entries(pageKinds())) {
        await page.goto(url);
        const scrollWidth = await page.evaluate<number>('document.scrollingElement.scrollWidth');
        if (scrollWidth > width) widest.push(`${kind} at ${width} px: ${scrollWidth} px wide`);
      }
    }
    assert.deepEqual(widest, []);
    // The table and the code block scroll inside their own box instead.
    const scrolls = await page.goto(pageKinds().post).then(() => page.evaluate<boolean[]>("[...document.querySelectorAll('.post-body table, .post-body pre')].map((el) => el.scrollWidth > el.clientWidth)"));
    assert.deepEqual(scrolls, [true, true]);
  });

  it('keeps every photo, in a picture, a figure or alone, and the cover within the screen, undistorted', async () => {
    for (const [width, height] of [[390, 844], [320, 568], [1280, 800], [844, 390]]) {
      await page.setViewportSize({ width, height });
      await page.goto(pageKinds().post);
      await until(page, "[...document.querySelectorAll('.post-body img:not([loading=lazy]):not(#slow), .post-image img')].every((img) => img.complete)");
      const photos = await page.evaluate<{ alt: string; width: number; height: number; undistorted: boolean }[]>(`
        [...document.querySelectorAll('.post-body img, .post-image img')].map((img) => {
          const box = img.getBoundingClientRect();
          const fit = getComputedStyle(img).objectFit;
          const ratio = Number(img.getAttribute('width')) / Number(img.getAttribute('height')) || img.naturalWidth / img.naturalHeight;
          return { alt: img.alt, width: box.width, height: box.height, undistorted: fit === 'contain' || fit === 'cover' || Math.abs(box.width / box.height - ratio) < 0.02 };
        })`);
      assert.equal(photos.length, 6);
      for (const photo of photos) {
        assert.ok(photo.height <= height, `${photo.alt} at ${width}×${height}: ${photo.height} px tall`);
        assert.ok(photo.height > 0 && photo.width <= width, `${photo.alt} at ${width}×${height}: ${photo.width}×${photo.height}`);
        assert.ok(photo.undistorted, `${photo.alt} at ${width}×${height} is stretched`);
      }
    }
  });

  it('gives a photo with width and height its box before it arrives: nothing moves when it loads', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    slowPhoto.close();
    try {
      // Not until "load": the photo is held back.
      await page.goto(pageKinds().post, { waitUntil: 'domcontentloaded' });
      const box = () => page.evaluate<Record<string, number>>("document.getElementById('slow').getBoundingClientRect().toJSON()");
      const waiting = await box();
      assert.equal(await page.evaluate<boolean>("document.getElementById('slow').complete"), false, 'the photo is still on its way');
      slowPhoto.open();
      await until(page, "document.getElementById('slow').naturalWidth > 0");
      const loaded = await box();
      assert.ok(waiting.height > 300, `a box ${waiting.height} px tall while loading`);
      assert.deepEqual(loaded, waiting);
    } finally {
      slowPhoto.open();
    }
  });

  it('shows the first sentence at 1280×800, under a cover and a video', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(pageKinds().post);
    const bottom = await page.evaluate<number>(`(() => {
      const range = document.createRange();
      range.setStart(document.querySelector('.post-body p').firstChild, 0);
      range.setEnd(range.startContainer, ${JSON.stringify(FIRST_SENTENCE)}.length);
      if (range.toString() !== ${JSON.stringify(FIRST_SENTENCE)}) throw new Error('the body starts with ' + range.toString());
      return range.getBoundingClientRect().bottom;
    })()`);
    assert.ok(bottom <= 800, `the first sentence ends ${bottom} px down`);
  });

  it('plays a YouTube video on a click: the facade becomes the player, under a script-src \'self\' policy', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(pageKinds().post);
    const play = page.getByRole('button', { name: 'Play video: March 2024: Our First Evening at Dockside Hub, With Pizza' });
    await play.click();
    const frame = page.locator('.video-frame iframe');
    assert.equal(await frame.getAttribute('src'), `https://www.youtube-nocookie.com/embed/${YOUTUBE_ID}?autoplay=1`);
    assert.equal(await frame.getAttribute('title'), 'Video: March 2024: Our First Evening at Dockside Hub, With Pizza');
    assert.equal(await page.locator('.video-facade').count(), 0);
    assert.equal(await page.evaluate<string>('document.activeElement.tagName'), 'IFRAME');
  });

  it('plays a Vimeo video from the keyboard (Tab to the button, Enter)', async () => {
    await page.goto(`${base}2024/04/09/vimeo-night/`);
    const play = page.getByRole('button', { name: 'Play video: Vimeo night' });
    assert.equal(await play.innerText(), 'Play video\nVimeo night', 'the title shows, as Vimeo has no thumbnail without its API');
    for (let i = 0; i < 40 && !(await page.evaluate<boolean>("document.activeElement.matches('button.video-facade')")); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.video-frame iframe').getAttribute('src'), `https://player.vimeo.com/video/${VIMEO_ID}?autoplay=1`);
  });

  it('without JavaScript, the facade is a link to the video', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      await routeRequests(noScript, base, thumbnail, new Gate());
      const plain = await noScript.newPage();
      await plain.goto(pageKinds().post);
      const link = plain.getByRole('link', { name: 'Play video: March 2024: Our First Evening at Dockside Hub, With Pizza' });
      assert.equal(await link.getAttribute('href'), `https://www.youtube.com/watch?v=${YOUTUBE_ID}`);
      assert.equal(await plain.locator('iframe').count(), 0);
    } finally {
      await noScript.close();
    }
  });

  it('logs no error on any page: every icon it links is there, no request for /favicon.ico fails', async () => {
    consoleErrors.length = 0;
    for (const url of Object.values(pageKinds())) {
      await page.goto(url);
      const icons = await page.evaluate<string[]>(`Promise.all([...document.querySelectorAll('link[rel~=icon]')].map(async (link) => (await fetch(link.href)).status + ' ' + link.href))`);
      assert.deepEqual(icons, [`200 ${base}assets/favicon.svg`, `200 ${base}assets/favicon.png`]);
    }
    // The browser asks for icons on its own, after the page: give it a moment.
    await page.waitForTimeout(300);
    assert.deepEqual(consoleErrors, []);
  });
});

/** Waits for `expression` to hold on the page, asked from here: waitForFunction's polling needs eval, which the pages' policy forbids. */
async function until(page: Page, expression: string, timeout = 10_000): Promise<void> {
  for (const end = Date.now() + timeout; !(await page.evaluate<boolean>(expression)); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Requests as a real visitor's would go, without the network: the site with a strict policy (only
 * its own scripts), YouTube's thumbnail from here, the players as an empty page; anything else fails.
 * `slowPhoto` holds back one photo while it is closed.
 */
async function routeRequests(context: BrowserContext, base: string, thumbnail: Buffer, slowPhoto: Gate): Promise<void> {
  const policy = "default-src 'self'; script-src 'self'; img-src 'self' https://i.ytimg.com; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; style-src 'self'";
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) {
      // The photo and its resized copies (img/slow-portrait-…).
      if (new URL(url).pathname.includes('/slow-portrait')) await slowPhoto.passed();
      let response;
      try {
        response = await route.fetch();
      } catch (error) {
        // A request still in flight when the tests end (a favicon) finds its context gone: nothing to answer.
        if (/disposed|closed/.test(String(error))) return;
        throw error;
      }
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } }).catch((error: unknown) => {
        if (!/disposed|closed/.test(String(error))) throw error;
      });
    } else if (url.startsWith('https://i.ytimg.com/vi/')) {
      await route.fulfill({ body: thumbnail, contentType: 'image/jpeg' });
    } else if (url.startsWith('https://www.youtube-nocookie.com/embed/') || url.startsWith('https://player.vimeo.com/video/')) {
      await route.fulfill({ body: '<!DOCTYPE html><title>Player</title>', contentType: 'text/html' });
    } else {
      await route.abort();
    }
  });
}
