/**
 * The default theme in Arabic (right to left) and Japanese, in a real browser: no page scrolls
 * sideways at 320, 390 and 1280 px, and a right-to-left page is the mirror of a left-to-right one
 * (the skip link, the title, the navigation and its "More" menu, post cards, pagination and the
 * links between posts on their side, code left to right). The overflow is measured on the page;
 * screenshots are saved for a person to look at (their folder is printed), never compared.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type SiteServer } from '../src/dev/serve.js';
import { buildInto, copySite, FIXTURES, writeSite } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = !fs.existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : false;

const WIDTHS = [320, 390, 1280];
/** One folder, written over on every run: screenshots for a person, not a pile in /tmp. */
const SCREENSHOTS = process.env.RECAP_SCREENSHOTS ?? path.join(os.tmpdir(), 'recap-i18n-screenshots');

type Box = { left: number; right: number; top: number; bottom: number; width: number };

/** A fixture site with more pages than the navigation shows (so it has its "More" menu) and a post with a cover photo (so cards have an image column). */
async function siteFrom(fixture: string, extra: Record<string, string>): Promise<string> {
  const root = copySite(path.join(FIXTURES, fixture));
  fs.rmSync(path.join(root, 'expected'), { recursive: true });
  writeSite(extra, root);
  fs.mkdirSync(path.join(root, 'static/images'), { recursive: true });
  await sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 40, g: 90, b: 140 } } }).jpeg().toFile(path.join(root, 'static/images/cover.jpg'));
  return root;
}

const arabicPages = Object.fromEntries(
  ['الرعاة', 'مدونة السلوك', 'تحدّث معنا', 'الأسئلة الشائعة', 'المتطوعون'].map((title, i) => [`pages/page-${i}.md`, `---\ntitle: ${title}\nnav_order: ${i + 1}\n---\nنص.\n`]),
);

describe('the default theme in Arabic and Japanese, in a real browser', { skip }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const servers: SiteServer[] = [];
  let arabic: string;
  let japanese: string;

  before(async () => {
    const arabicRoot = await siteFrom('arabic', {
      ...arabicPages,
      'posts/2024-06-04-cover.md': '---\ntitle: "يونيو: أمسية بصورة غلاف طويلة العنوان لتجربة التفاف الأسطر في الهاتف"\nimage: /images/cover.jpg\ntags: [kubernetes]\n---\nصورة الغلاف في البطاقة.\n',
    });
    const japaneseRoot = await siteFrom('japanese', {
      'posts/2024-09-10-long.md': `---\ntitle: 9月：${'とても長いタイトルが改行されずに画面からはみ出さないことを確かめる'.repeat(2)}\nimage: /images/cover.jpg\ntags: [kubernetes]\n---\n${'句読点の少ない長い日本語の文章が狭い画面でも横にはみ出さずに折り返されることを確かめるための段落です'.repeat(4)}\n`,
    });
    for (const [root, set] of [[arabicRoot, (url: string) => (arabic = url)], [japaneseRoot, (url: string) => (japanese = url)]] as const) {
      const server = await startServer({ outDir: await buildInto(root), basePath: '/', host: '127.0.0.1', port: 0, liveReload: false });
      servers.push(server);
      set(server.url);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    context = await browser.newContext();
    // Nothing leaves the machine: YouTube's thumbnail is made here, anything else from outside is refused.
    const thumbnail = await sharp({ create: { width: 480, height: 360, channels: 3, background: { r: 60, g: 60, b: 70 } } }).jpeg().toBuffer();
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('http://127.0.0.1')) return route.continue();
      if (url.startsWith('https://i.ytimg.com/vi/')) return route.fulfill({ body: thumbnail, contentType: 'image/jpeg' });
      return route.abort();
    });
    page = await context.newPage();
    fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    // Requests still in flight end quietly, not as an unhandled rejection once the browser is gone.
    await context?.unrouteAll({ behavior: 'ignoreErrors' });
    await browser?.close();
    for (const server of servers) await server.close();
  });

  // Expressions run in the page, as text (the tests compile without the DOM's types).
  const js = <T>(expression: string) => page.evaluate<T>(expression);
  const box = (selector: string) => js<Box>(`document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect().toJSON()`);
  const boxes = (selector: string) => js<Box[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => el.getBoundingClientRect().toJSON())`);
  const style = (selector: string, property: string) => js<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)}))[${JSON.stringify(property)}]`);

  it('scrolls no page sideways at 320, 390 and 1280 px (an Arabic and a Japanese post, home, tag, tags and 404), and saves screenshots of the posts', async (t) => {
    const pages = {
      'ar-post': `${arabic}2024/03/05/kubernetes-operators/`,
      'ar-post-cover': `${arabic}2024/06/04/cover/`,
      'ar-home': arabic,
      'ar-tag': `${arabic}tags/kubernetes/`,
      'ar-tags': `${arabic}tags/`,
      'ar-404': `${arabic}404.html`,
      'ja-post': `${japanese}2024/05/14/platform-engineering/`,
      'ja-post-long': `${japanese}2024/09/10/long/`,
      'ja-home': japanese,
      'ja-tag': `${japanese}tags/kubernetes/`,
    };
    const wide: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      for (const [name, url] of Object.entries(pages)) {
        await page.goto(url);
        // Overflow either way: a right-to-left page scrolls toward the left.
        const { scroll, client } = await js<{ scroll: number; client: number }>('({ scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth })');
        if (scroll > client) wide.push(`${name} at ${width} px: ${scroll} px wide`);
        if (name.includes('post')) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
      }
    }
    assert.deepEqual(wide, []);
    t.diagnostic(`screenshots in ${SCREENSHOTS}`);
  });

  it('lays an Arabic page out right to left: the title, the navigation and the skip link on the right', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${arabic}2024/04/02/gitops/`);
      assert.equal(await js<string>('document.documentElement.dir'), 'rtl');
      const outer = await box('.site-header .container');
      const container = { right: outer.right - parseFloat(await style('.site-header .container', 'paddingRight')) };
      const title = await box('.site-title');
      assert.ok(Math.abs(title.right - container.right) < 1, `at ${width} px the site title ends at the right edge (${title.right} vs ${container.right})`);
      const links = await boxes('.site-header nav > a');
      // Reading order runs right to left: each link is left of the one before it on its line.
      for (let i = 1; i < links.length; i++) {
        if (Math.abs(links[i].top - links[i - 1].top) < 2) assert.ok(links[i].right <= links[i - 1].left, `at ${width} px link ${i + 1} is left of link ${i}`);
      }
      // Beside the title when it fits on its line (to its left), else on a line of its own from the right edge.
      if (links[0].top < title.bottom) assert.ok(links[0].right <= title.left, `at ${width} px the navigation is left of the title`);
      else assert.ok(Math.abs(links[0].right - container.right) < 1, `at ${width} px the navigation starts at the right edge`);
      // The skip link, once focused, shows at the top right.
      await page.keyboard.press('Tab');
      assert.equal(await js<string>('document.activeElement.className'), 'skip-link');
      const skipLink = await box('.skip-link');
      assert.ok(Math.abs(width - skipLink.right - 16) < 1 && skipLink.left > 0, `at ${width} px the focused skip link is 1rem from the right edge (${skipLink.left}–${skipLink.right})`);
    }
  });

  it('puts the "More" menu, pagination, links between posts and post cards on their mirrored side, and code left to right', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(arabic);
    // The menu's list hangs from its right side, with its rule there.
    await page.locator('.nav-more summary').click();
    const menu = [await style('.nav-more ul', 'borderRightWidth'), await style('.nav-more ul', 'borderLeftWidth'), await style('.nav-more ul', 'paddingRight')];
    assert.deepEqual(menu, ['2px', '0px', '16px']);
    const summary = await box('.nav-more summary');
    const items = await boxes('.nav-more li a');
    assert.ok(items.every((item) => item.right <= summary.right + 1 && item.right > summary.right - 40), 'the menu\'s pages line up under its right edge');
    // Page 1 of 2: where it is on the right, the way to older recaps on the left.
    const here = await box('.pagination span');
    const older = await box('.pagination a[rel=next]');
    assert.ok(older.right <= here.left, `"older recaps" (${older.left}–${older.right}) is left of the page number (${here.left}–${here.right})`);
    // A card's cover is on its right, its text to the left.
    const image = await box('.post-card .post-card-image');
    const body = await box('.post-card:has(.post-card-image) .post-card-body');
    assert.ok(body.right <= image.left, 'the cover is right of the card text');
    await page.goto(`${arabic}page/2/`);
    const newer = await box('.pagination a[rel=prev]');
    const page2 = await box('.pagination span');
    assert.ok(page2.right <= newer.left, '"newer recaps" is right of the page number');
    // A post between two others: the older one on the right, the newer on the left, each text aligned to its outer edge.
    await page.goto(`${arabic}2024/04/02/gitops/`);
    const previous = await box('.post-nav .previous');
    const next = await box('.post-nav .next');
    assert.ok(next.right <= previous.left, 'the link to the older recap is right of the link to the newer one');
    assert.equal(await style('.post-nav .next', 'textAlign'), 'end');
    // Code keeps its own direction inside the Arabic text.
    await page.goto(`${arabic}2024/03/05/kubernetes-operators/`);
    assert.deepEqual([await style('.post-body pre', 'direction'), await style('.post-body p code', 'direction')], ['ltr', 'ltr']);
    const pre = await box('.post-body pre');
    const firstCharacter = await js<number>(`(() => {
      const text = document.querySelector('.post-body pre code').firstChild;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 1);
      return range.getBoundingClientRect().left;
    })()`);
    assert.ok(firstCharacter - pre.left < 24, `the command starts at the code block's left edge (${firstCharacter - pre.left} px in)`);
    // The video's play label stays in the middle of the frame.
    const frame = await box('.video-frame');
    const label = await box('.video-facade-label');
    assert.ok(Math.abs((label.left + label.right) / 2 - (frame.left + frame.right) / 2) < 1, 'the play label is centred');
  });
});
