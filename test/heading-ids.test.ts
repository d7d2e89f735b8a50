/**
 * Heading ids for recap's own sites, GitHub's way, and the default theme's link beside each heading
 * (issue #16). Jekyll sites keep kramdown's ids.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { main } from '../src/cli.js';
import { startServer, type SiteServer } from '../src/dev/serve.js';
import { headingAnchors } from '../src/html/heading-anchors.js';
import { headingSlug, THEME_IDS } from '../src/markdown/heading-ids.js';
import { bareUrlParse, renderCommonmarkFully, renderMarkdown } from '../src/markdown/render.js';
import { createTemplateEnvironment } from '../src/theme/environment.js';
import { REPO, tempDir, writeSite } from './helpers.js';

/** The ids of a rendered body's headings, in order (no id: ""), read with parse5 as a browser reads them. */
function headingIds(html: string): string[] {
  const found: string[] = [];
  const stack: DefaultTreeAdapterMap['parentNode'][] = [parseFragment(html)];
  for (let parent = stack.pop(); parent; parent = stack.pop()) {
    for (const node of [...parent.childNodes].reverse()) if ('tagName' in node) stack.push(node);
    if ('tagName' in parent && /^h[1-6]$/.test(parent.tagName)) found.push(parent.attrs.find((a) => a.name === 'id')?.value ?? '');
  }
  return found;
}

const ids = (markdown: string) => headingIds(renderMarkdown(markdown).html);

describe('heading ids: GitHub\'s rule', () => {
  it('lower case; letters, marks, digits, "_" and "-" kept in any script; spaces to "-"', () => {
    const cases: [string, string][] = [
      ['Talks', 'talks'],
      ['Service Mesh in Production', 'service-mesh-in-production'],
      ['Привет non-latin 你好', 'привет-non-latin-你好'],
      ['😄 emoji', '-emoji'],
      ['Q&A: what\'s next?', 'qa-whats-next'],
      ['snake_case and kebab-case', 'snake_case-and-kebab-case'],
      ['C++ & C#', 'c--c'],
      ['2024 — a year', '2024--a-year'],
      ['Grüße aus Zürich', 'grüße-aus-zürich'],
      ['東京・大阪', '東京大阪'],
      ['दिल्ली मीटअप', 'दिल्ली-मीटअप'],
      ['مرحبا بكم', 'مرحبا-بكم'],
      ['ΟΔΟΣ', 'οδος'],
      ['Ⓐ circled', 'ⓐ-circled'],
      ['x²', 'x'],
      ['tab\there', 'tabhere'],
      ['🎉', ''],
      ['', ''],
    ];
    for (const [text, slug] of cases) assert.equal(headingSlug(text), slug, text);
  });

  it('numbers repeats in document order, counting the ids already given', () => {
    assert.deepEqual(ids('## Talks\n\n## Talks\n\n## Talks-1\n\n### Talks\n\n## Talks'), ['talks', 'talks-1', 'talks-1-1', 'talks-2', 'talks-3']);
  });

  it('reads the text a reader sees: code, links, emphasis and raw HTML tags in a heading', () => {
    assert.deepEqual(ids('## `kubectl` tips & [tricks](https://example.org)\n\n## *Very* **bold** <small>2024</small>\n\n## ![logo](/l.png) Sponsors\n\n## Note[^1]\n\n[^1]: x'), [
      'kubectl-tips--tricks',
      'very-bold-2024',
      '-sponsors',
      'note',
      'footnote-label',
    ]);
  });

  it('composes the id (NFC), whatever the text was typed as', () => {
    assert.deepEqual(ids('## Cafe\u0301 Zu\u0308rich'), ['café-zürich']);
  });

  it('gives a heading of emoji or punctuation alone no id: an empty id is no HTML', () => {
    assert.deepEqual(ids('## 🎉\n\n## ?!\n\n#\n\n## Party'), ['', '', '', 'party']);
  });

  it('gives setext headings and headings in quotes and lists ids too', () => {
    assert.deepEqual(ids('Talks\n=====\n\n> ## In a quote\n\n- ## In a list'), ['talks', 'in-a-quote', 'in-a-list']);
  });

  it('never gives an id the page has already: the author\'s raw HTML ids and names, the theme\'s, the footnotes\'', () => {
    const html = renderMarkdown('<h2 id="talks">Our talks</h2>\n\n## Talks\n\n<a name="speakers"></a>\n\n## Speakers\n\n## Main\n\n## Footnote label\n\nText[^a].\n\n## user-content-fn-a\n\n[^a]: A note.').html;
    assert.deepEqual(headingIds(html), ['talks', 'talks-1', 'speakers-1', 'main-1', 'footnote-label-1', 'user-content-fn-a-1', 'footnote-label']);
    assert.ok(html.startsWith('<h2 id="talks">Our talks</h2>'), 'a heading written as HTML is left as written');
  });

  it('leaves headings inside raw HTML blocks as written', () => {
    assert.equal(renderMarkdown('<div class="agenda">\n<h3>Agenda</h3>\n</div>').html, '<div class="agenda">\n<h3>Agenda</h3>\n</div>\n');
  });

  it('reserves every id the default theme\'s templates write', () => {
    const templates = fs.readdirSync(path.join(REPO, 'templates'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.njk'));
    const written = templates.flatMap((file) => [...fs.readFileSync(path.join(REPO, 'templates', file), 'utf8').matchAll(/\sid="([^"{]+)"/g)].map((m) => m[1]));
    assert.ok(written.includes('main'));
    for (const id of written) assert.ok(THEME_IDS.includes(id), `${id} is in THEME_IDS`);
  });

  it('gives the same HTML on the fast path (no GFM autolinks) as the full parse', () => {
    const bodies = [
      '## Talks\n\n## Talks\n\nText.',
      '## Київ, травень\n\n<h2 id="x">X</h2>\n\n## X',
      '## See www.example.org\n\n## See https://example.org/x and me@example.org',
      '## `code` & [link](https://example.org)\n\nNo bare URL.',
    ];
    assert.equal(bareUrlParse(bodies[0]), 'none', 'the fast path is taken');
    for (const body of bodies) assert.equal(renderMarkdown(body).html, renderCommonmarkFully(body).html, body);
    assert.deepEqual(ids(bodies[2]), ['see-wwwexampleorg', 'see-httpsexampleorgx-and-meexampleorg']);
  });

  it('leaves a Jekyll site\'s headings with kramdown\'s ids', () => {
    const html = renderMarkdown('## ΟΔΟΣ\n\n## Talks\n\n## Talks\n\n## Own {#own-id}\n\n## main', 'kramdown').html;
    assert.deepEqual(headingIds(html), ['οδοσ', 'talks', 'talks-1', 'own-id', 'main']);
  });
});

async function buildSite(files: Record<string, string>, cache = false) {
  const root = writeSite(files);
  const outDir = path.join(root, 'public');
  const outcome = await build(loadConfig(root, { outDir, cache }));
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
  return { root, outDir, read: (file: string) => fs.readFileSync(path.join(outDir, file), 'utf8') };
}

const recap = '---\ntitle: June recap\ndate: 2024-06-04\n---\nForty people came.\n\n## Talks\n\nSee [the talks](#talks) and [the thanks](#thanks--merci).\n\n## Thanks & merci\n';

describe('heading ids in a built site', () => {
  it('the default theme puts a link to each heading after it, with a label naming the heading', async () => {
    const { read } = await buildSite({ 'recap.config.yml': 'title: T\nurl: https://example.org\n', 'posts/2024-06-04-june.md': recap, 'pages/about.md': '---\ntitle: About\n---\n## Who we are\n' });
    const page = read('2024/06/04/june/index.html');
    assert.ok(page.includes('<div class="anchored-heading"><h2 id="talks">Talks</h2><a class="heading-anchor" href="#talks" aria-label="Link to this section: Talks">#</a></div>'), page);
    assert.ok(page.includes('<h2 id="thanks--merci">Thanks &#x26; merci</h2><a class="heading-anchor" href="#thanks--merci" aria-label="Link to this section: Thanks &amp; merci">#</a>'));
    assert.ok(read('about/index.html').includes('<h2 id="who-we-are">Who we are</h2><a class="heading-anchor" href="#who-we-are"'));
    const feed = read('feed.xml');
    assert.ok(feed.includes('&lt;h2 id=&quot;talks&quot;&gt;Talks&lt;/h2&gt;'), 'the feed has the ids');
    assert.ok(!feed.includes('heading-anchor'), 'but no links: feed readers have no CSS to hide them');
  });

  it('a link to a heading passes recap check; one to a heading that is not there does not', async () => {
    const { root } = await buildSite({ 'recap.config.yml': 'title: T\nurl: https://example.org\n', 'posts/2024-06-04-june.md': recap });
    const run = async () => {
      const out: string[] = [];
      const code = await main(['check', '--root', root], { out: (line) => out.push(line), err: (line) => out.push(line), interactive: false, color: false });
      return { code, out: out.join('\n') };
    };
    assert.deepEqual(await run(), { code: 0, out: 'Checked links: nothing broken.' });
    fs.appendFileSync(path.join(root, 'posts/2024-06-04-june.md'), '\n[the agenda](#agenda)\n');
    const outcome = await build(loadConfig(root, { outDir: path.join(root, 'public'), cache: false }));
    assert.ok(outcome.ok);
    const broken = await run();
    assert.equal(broken.code, 1);
    assert.match(broken.out, /#agenda has no element with id "agenda"/);
  });

  it('a body cache written before heading ids (another markdown pipeline) is not used', async () => {
    const files = { 'recap.config.yml': 'title: T\n', 'posts/2024-06-04-june.md': recap };
    const { root, read } = await buildSite(files, true);
    const cacheFile = path.join(root, '.recap-cache/bodies.json');
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { pipeline: string; entries: Record<string, { main: { html: string } }> };
    // As recap wrote it before: the same entries, headings without ids, under that version's pipeline key.
    cache.pipeline = 'recap before heading ids';
    for (const entry of Object.values(cache.entries)) entry.main.html = entry.main.html.replace(/ id="[^"]*"/g, '');
    fs.writeFileSync(cacheFile, JSON.stringify(cache));
    fs.rmSync(path.join(root, 'public'), { recursive: true });
    const outcome = await build(loadConfig(root, { outDir: path.join(root, 'public'), cache: true }));
    assert.ok(outcome.ok);
    assert.ok(read('2024/06/04/june/index.html').includes('<h2 id="talks">Talks</h2>'));
  });
});

describe('the headingAnchors filter', () => {
  it('keeps every other byte, and adds nothing twice', () => {
    const body = '<p>Intro &amp; more</p>\n<h2 id="a" class="x">A <em>b</em></h2>\n<h3>No id</h3>\n<h2 id="">Empty id</h2>\n';
    const once = headingAnchors(body);
    assert.equal(once, '<p>Intro &amp; more</p>\n<div class="anchored-heading"><h2 id="a" class="x">A <em>b</em></h2><a class="heading-anchor" href="#a" aria-label="Link to this section: A b">#</a></div>\n<h3>No id</h3>\n<h2 id="">Empty id</h2>\n');
    assert.equal(headingAnchors(once), once);
  });

  it('escapes the id and the heading text it writes into attributes', () => {
    const html = headingAnchors('<h2 id="a&quot;b">&lt;script&gt; &quot;quoted&quot;</h2>');
    assert.ok(html.includes('href="#a&quot;b" aria-label="Link to this section: &lt;script&gt; &quot;quoted&quot;"'), html);
  });

  it('leaves headings where a link cannot go: inside a link, a button, a summary, an hgroup, a template', () => {
    for (const body of ['<a href="/x"><h2 id="a">A</h2></a>', '<button><h2 id="a">A</h2></button>', '<details><summary><h2 id="a">A</h2></summary></details>', '<hgroup><h1 id="a">A</h1><p>B</p></hgroup>', '<template><h2 id="a">A</h2></template>']) {
      assert.equal(headingAnchors(body), body);
    }
  });

  it('takes the label as an argument, and says no heading text when there is none', () => {
    assert.ok(headingAnchors('<h2 id="a">Talks</h2>', 'Lien vers « {heading} »').includes('aria-label="Lien vers « Talks »"'));
    assert.ok(headingAnchors('<h2 id="a"><img src="x.png" alt="logo"></h2>').includes('aria-label="Link to this section"'));
    // Chinese writes the colon full width, French with a space before it: neither is left dangling.
    assert.ok(headingAnchors('<h2 id="a"><img src="x.png" alt="logo"></h2>', '链接到本节：{heading}').includes('aria-label="链接到本节"'));
    assert.ok(headingAnchors('<h2 id="a"><img src="x.png" alt="logo"></h2>', 'Lien vers cette section : {heading}').includes('aria-label="Lien vers cette section"'));
  });

  it('puts the heading text into the label as it is: $&, $` and $\' in a heading are text, not replacement patterns', () => {
    const html = headingAnchors("<h2 id=\"a\">Tickets: $&amp; $` $' $$</h2>", 'Link: {heading}!');
    assert.ok(html.includes(`aria-label="Link: Tickets: $&amp; $\` $&#39; $$!"`), html);
  });

  it('takes a long body, a heading with a long text and many headings in seconds, and refuses a label over 1,000 characters', () => {
    const MB = 1024 * 1024;
    const started = performance.now();
    assert.equal(headingAnchors('<h1 '.repeat(MB / 4) + ' id=x'), '<h1 '.repeat(MB / 4) + ' id=x', 'no heading written whole: left as it is');
    assert.ok(headingAnchors(`<h2 id="a">${'word '.repeat(MB / 5)}</h2>`).endsWith('</h2><a class="heading-anchor" href="#a" aria-label="Link to this section: ' + 'word '.repeat(MB / 5).trim() + '">#</a></div>'));
    assert.equal(headingAnchors('<h3 id="x">X</h3>\n'.repeat(20_000)).split('heading-anchor').length - 1, 20_000);
    assert.equal(headingSlug('ж -'.repeat(300_000)).length, 900_000);
    assert.equal(ids(`## ${'Доповідь '.repeat(50_000)}`)[0].length, 'доповідь-'.length * 50_000 - 1);
    const took = (performance.now() - started) / 1000;
    assert.ok(took < 20, `took ${took.toFixed(1)} s`);
    const root = writeSite({ 'recap.config.yml': 'title: T\n' });
    const env = createTemplateEnvironment(loadConfig(root, { outDir: path.join(tempDir(), 'public') }));
    assert.throws(() => env.renderString('{{ content | headingAnchors(label) }}', { content: new nunjucks.runtime.SafeString('<h2 id="x">X</h2>'), label: 'x'.repeat(1001) }), /the label given to "headingAnchors" has 1,001 characters/);
  });

  it('reads only HTML the template trusts: any other value is escaped as always', () => {
    const root = writeSite({ 'recap.config.yml': 'title: T\n' });
    const env = createTemplateEnvironment(loadConfig(root, { outDir: path.join(tempDir(), 'public') }));
    assert.equal(env.renderString('{{ title | headingAnchors }}', { title: '<h2 id="x">X</h2>' }), '&lt;h2 id=&quot;x&quot;&gt;X&lt;/h2&gt;');
    assert.equal(env.renderString('{{ content | headingAnchors }}', { content: new nunjucks.runtime.SafeString('<h2 id="x">X</h2>') }), '<div class="anchored-heading"><h2 id="x">X</h2><a class="heading-anchor" href="#x" aria-label="Link to this section: X">#</a></div>');
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = !fs.existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : false;

describe('the heading link in a real browser', { skip }, () => {
  let browser: Browser;
  let server: SiteServer;
  let page: Page;
  const long = 'Supercalifragilisticexpialidociouslyunbreakablekubernetesoperatorreconciliation';

  before(async () => {
    const { outDir } = await buildSite({
      'recap.config.yml': 'title: T\n',
      'posts/2024-06-04-june.md': `---\ntitle: June\ndate: 2024-06-04\n---\nIntro.\n\n# One\n\n## Talks\n\n### A talk\n\n#### Details\n\n## ${long} ${long}\n\n> ## Quoted\n\n- ## Listed\n`,
    });
    server = await startServer({ outDir, basePath: '/', host: '127.0.0.1', port: 0, liveReload: false });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const opacity = (id: string) => page.evaluate<string>(`getComputedStyle(document.querySelector('a[href="#${id}"]')).opacity`);

  it('is hidden until the heading is hovered or the link has keyboard focus', async () => {
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(`${server.url}2024/06/04/june/`);
    assert.equal(await opacity('talks'), '0');
    await page.hover('#talks');
    assert.equal(await opacity('talks'), '1');
    await page.mouse.move(0, 0);
    await page.focus('a[href="#talks"]');
    assert.equal(await opacity('talks'), '1');
  });

  it('sits in the margin before its heading, on the heading\'s first line, at every heading level', async () => {
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(`${server.url}2024/06/04/june/`);
    type Box = { id: string; headingLeft: number; linkRight: number; linkMiddle: number; lineTop: number; lineBottom: number };
    const boxes = await page.evaluate<Box[]>(`[...document.querySelectorAll('.anchored-heading')].map((wrapper) => {
      const heading = wrapper.firstElementChild;
      const link = wrapper.querySelector('.heading-anchor').getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(heading);
      const firstLine = range.getClientRects()[0];
      return { id: heading.id, headingLeft: heading.getBoundingClientRect().left, linkRight: link.right, linkMiddle: (link.top + link.bottom) / 2, lineTop: firstLine.top, lineBottom: firstLine.bottom };
    })`);
    assert.equal(boxes.length, 7);
    for (const box of boxes) {
      assert.ok(box.linkRight <= box.headingLeft + 0.5, `${box.id}: before the heading (${box.linkRight} ≤ ${box.headingLeft})`);
      assert.ok(box.linkMiddle > box.lineTop && box.linkMiddle < box.lineBottom, `${box.id}: on its first line (${box.linkMiddle} in ${box.lineTop}–${box.lineBottom})`);
    }
  });

  it('scrolls no page sideways at 320 px, and a click on it leads to its heading', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${server.url}2024/06/04/june/`);
    assert.ok((await page.evaluate<number>('document.scrollingElement.scrollWidth')) <= 320);
    await page.focus('a[href="#a-talk"]');
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, '#a-talk');
    assert.equal(await page.evaluate<boolean>('document.querySelector(":target") === document.getElementById("a-talk")'), true);
  });
});
