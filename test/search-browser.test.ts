/**
 * Site search in a real browser (#17): Chromium types a speaker's name on /search/ and finds their
 * recap, at a site's root and under /blog/; the header's box lands on /search/?q=… with results;
 * a strict Content-Security-Policy; the theme's colours, light and dark; Pagefind's words in the
 * page's language; weighted sections ranked first. The site is served by a plain static host
 * (bench/static-server.ts, as GitHub Pages serves), nothing else: no search server.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStatic, type StaticServer } from '../bench/static-server.js';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { startServer } from '../src/dev/serve.js';
import { tempDir, writeSite } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run); elsewhere the test says why it did not run.
const skip = !fs.existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : false;

const NOW = new Date('2024-06-01T00:00:00Z');

/**
 * Recaps that name their speakers in their talks: (never in their bodies, so the talks' cards are
 * what is found); one says "Kubernetes" in a talk's title, another only in passing in its body.
 */
const posts = {
  'posts/2024-03-12-operators.md': '---\ntitle: Operators night\ntags: [Kubernetes]\ntalks:\n  - title: Writing an operator\n    speaker: Grace Hopper\n---\nAn operator written live, then pizza and talk until late.\n',
  'posts/2024-04-09-gitops.md': '---\ntitle: GitOps in practice\ntags: [GitOps]\ntalks:\n  - {title: Flux and Argo CD side by side, speaker: [Ada Lovelace, Tomasz Wrona], company: Dockside Hub}\n---\nThe room asked about secrets.\n',
  'posts/2024-05-14-panel.md': '---\ntitle: Panel evening\ntalks:\n  - title: Kubernetes at scale\n    speaker: Marta Quinlan\n---\nThe evening was a panel on running clusters for small teams, with questions after.\n',
  'posts/2024-01-09-hostile.md': '---\ntitle: "Markup night <img src=x onerror=window.pwned=1>"\n---\nThe zebrafish speaker typed `<img src=x onerror=window.pwned=2>` and &lt;script&gt;window.pwned=3&lt;/script&gt; on a slide.\n',
  'posts/2024-05-28-mention.md': '---\ntitle: Lightning talks\n---\nFive short talks; one of them mentioned Kubernetes in passing, the rest were about tea.\n',
};

/** Builds a site with these settings into `<served>/<folder>` (a site under /blog/ is served from a folder blog/). */
async function builtSite(config: string, served: string, folder = ''): Promise<void> {
  const root = writeSite({ 'recap.config.yml': config, ...posts });
  await buildSite(loadConfig(root, { now: NOW, cache: false, outDir: path.join(served, folder) }));
}

/**
 * Waits until `expression` is true in the page (in seconds rather than minutes). Asked every 100 ms
 * rather than with waitForFunction: while that waits, a routed request of Pagefind's worker (the
 * policy test) is held back until it ends.
 */
async function until(page: Page, expression: string, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await page.evaluate<boolean>(expression)) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`${what}: not so after 20 s (${page.url()}): ${await page.evaluate<string>("document.querySelector('.pagefind-ui')?.innerText ?? 'no search interface'")}`);
}

/** The results Pagefind's interface shows: each link's text and href. */
const results = (page: Page) =>
  page.evaluate<{ title: string; href: string }[]>("[...document.querySelectorAll('.pagefind-ui__result-link')].map((a) => ({ title: a.textContent.trim(), href: a.getAttribute('href') }))");

describe('site search in a real browser', { skip }, () => {
  let browser: Browser;
  let root: StaticServer;
  let blog: StaticServer;
  let french: StaticServer;
  let rootDir: string;
  const consoleErrors: string[] = [];

  before(async () => {
    rootDir = tempDir();
    await builtSite('title: Harbour City Cloud Native\nurl: https://meetup.example.org\n', rootDir);
    const blogDir = tempDir();
    await builtSite('title: Under a subfolder\nurl: https://example.org/blog/\n', blogDir, 'blog');
    const frenchDir = tempDir();
    await builtSite('title: Rencontres\nlanguage: fr\n', frenchDir);
    [root, blog, french] = await Promise.all([serveStatic(rootDir), serveStatic(blogDir), serveStatic(frenchDir)]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await Promise.all([root?.close(), blog?.close(), french?.close()]);
  });

  /** A new page that records console errors and failed requests, optionally under a Content-Security-Policy sent by the host. */
  async function newPage(policy?: string): Promise<Page> {
    const context = await browser.newContext();
    if (policy) {
      await context.route('**/*', async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
      });
    }
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('requestfailed', (request) => consoleErrors.push(`${request.url()}: ${request.failure()?.errorText}`));
    return page;
  }

  /** Types into Pagefind's box on the search page and waits for results. */
  async function search(page: Page, url: string, words: string): Promise<{ title: string; href: string }[]> {
    await page.goto(url);
    await until(page, "document.querySelector('.pagefind-ui__search-input') !== null", 'the search box');
    await page.fill('.pagefind-ui__search-input', words);
    await until(page, "document.querySelectorAll('.pagefind-ui__result-link').length > 0", `results for ${words}`);
    return results(page);
  }

  it("finds a recap by its speaker's name, typed on /search/, and its link leads there", async () => {
    const page = await newPage();
    consoleErrors.length = 0;
    const found = await search(page, `${root.origin}/search/`, 'Lovelace');
    assert.deepEqual(found, [{ title: 'GitOps in practice', href: '/2024/04/09/gitops/' }]);
    assert.match(page.url(), /\/search\/\?q=Lovelace$/, 'what is typed is kept in the address');
    await page.click('.pagefind-ui__result-link');
    await page.waitForURL(`${root.origin}/2024/04/09/gitops/`);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });

  it('sends the header’s box to /search/?q=… (a plain form), where the results show', async () => {
    const page = await newPage();
    await page.goto(`${root.origin}/`);
    await page.fill('.site-search input[name="q"]', 'Grace Hopper');
    await page.press('.site-search input[name="q"]', 'Enter');
    await page.waitForURL(`${root.origin}/search/?q=Grace+Hopper`);
    await until(page, "document.querySelectorAll('.pagefind-ui__result-link').length > 0", 'results for the query in the address');
    assert.deepEqual(await results(page), [{ title: 'Operators night', href: '/2024/03/12/operators/' }]);
    assert.equal(await page.inputValue('.pagefind-ui__search-input'), 'Grace Hopper', 'the query shows in the box');
    await page.context().close();
  });

  it('works the same under /blog/: the bundle, the results and the box all under the base path', async () => {
    const page = await newPage();
    consoleErrors.length = 0;
    assert.deepEqual(await search(page, `${blog.origin}/blog/search/`, 'Hopper'), [{ title: 'Operators night', href: '/blog/2024/03/12/operators/' }]);
    await page.goto(`${blog.origin}/blog/2024/04/09/gitops/`);
    await page.fill('.site-search input[name="q"]', 'Lovelace');
    await page.press('.site-search input[name="q"]', 'Enter');
    await page.waitForURL(`${blog.origin}/blog/search/?q=Lovelace`);
    await until(page, "document.querySelectorAll('.pagefind-ui__result-link').length > 0", 'results under /blog/');
    assert.deepEqual(await results(page), [{ title: 'GitOps in practice', href: '/blog/2024/04/09/gitops/' }]);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });

  it("runs under a Content-Security-Policy of the site's own files (with 'wasm-unsafe-eval' for Pagefind's WebAssembly, and data: images for its icon)", async () => {
    const page = await newPage("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; style-src 'self'");
    consoleErrors.length = 0;
    assert.deepEqual(await search(page, `${root.origin}/search/`, 'Lovelace'), [{ title: 'GitOps in practice', href: '/2024/04/09/gitops/' }]);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });

  it('ranks a recap that names the word in a talk above one that mentions it in passing', async () => {
    const page = await newPage();
    const found = await search(page, `${root.origin}/search/`, 'Kubernetes');
    const titles = found.map((result) => result.title);
    assert.ok(titles.indexOf('Panel evening') !== -1 && titles.indexOf('Panel evening') < titles.indexOf('Lightning talks'), titles.join(', '));
    await page.context().close();
  });

  it("shows Pagefind's interface in the theme's colours, light and dark", async () => {
    for (const [scheme, text, background] of [
      ['light', 'rgb(29, 35, 48)', 'rgb(255, 255, 255)'],
      ['dark', 'rgb(231, 234, 240)', 'rgb(20, 23, 29)'],
    ] as const) {
      const page = await newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await search(page, `${root.origin}/search/`, 'Hopper');
      const colours = await page.evaluate<{ input: string; inputBackground: string; title: string }>(`(() => {
        const input = getComputedStyle(document.querySelector('.pagefind-ui__search-input'));
        return { input: input.color, inputBackground: input.backgroundColor, title: getComputedStyle(document.querySelector('.pagefind-ui__result-link')).color };
      })()`);
      assert.deepEqual(colours, { input: text, inputBackground: background, title: text }, scheme);
      await page.context().close();
    }
  });

  it('shows markup in a title, a body and a query as text in the results, never as elements', async () => {
    const page = await newPage();
    const found = await search(page, `${root.origin}/search/`, 'zebrafish');
    assert.deepEqual(found, [{ title: 'Markup night <img src=x onerror=window.pwned=1>', href: '/2024/01/09/hostile/' }]);
    assert.match(await page.innerText('.pagefind-ui__result-excerpt'), /typed <img src=x onerror=window\.pwned=2> and <script>window\.pwned=3<\/script>/);
    await page.goto(`${root.origin}/search/?q=${encodeURIComponent('<img src=x onerror=window.pwned=4>')}`);
    await until(page, "document.querySelector('.pagefind-ui__message') !== null", 'a message for the query');
    assert.equal(await page.evaluate('window.pwned'), undefined);
    assert.equal(await page.evaluate("document.querySelectorAll('.pagefind-ui img, .pagefind-ui script').length"), 0);
    await page.context().close();
  });

  it("speaks the page's language: Pagefind's words follow <html lang>", async () => {
    const page = await newPage();
    await page.goto(`${french.origin}/search/`);
    await until(page, "document.querySelector('.pagefind-ui__search-input') !== null", 'the search box');
    assert.equal(await page.getAttribute('.pagefind-ui__search-input', 'placeholder'), 'Rechercher');
    assert.equal(await page.getAttribute('.site-search input, .pagefind-ui__search-input', 'placeholder'), 'Rechercher');
    await page.goto(`${french.origin}/`);
    assert.equal(await page.getAttribute('.site-search input', 'placeholder'), 'Rechercher dans les comptes rendus');
    await page.context().close();
  });

  it("in recap serve, reloads an open search page when only the index changed, and no other page", async () => {
    const server = await startServer({ outDir: rootDir, basePath: '/', host: '127.0.0.1', port: 0 });
    try {
      const pages = { search: await newPage(), other: await newPage() };
      const loads = { search: 0, other: 0 };
      for (const [name, page] of Object.entries(pages) as [keyof typeof pages, Page][]) {
        // Listening for reloads once the page's event channel is open.
        const connected = page.waitForResponse((response) => response.url().endsWith('/__recap/events'));
        await page.goto(name === 'search' ? `${server.url}search/?q=Hopper` : `${server.url}2024/04/09/gitops/`);
        await connected;
        page.on('load', () => loads[name]++);
      }
      const reloaded = pages.search.waitForEvent('load');
      // What the index's update (search/later.ts) reports: its files alone.
      server.notifyChanged(['pagefind/fragment/en_0123456.pf_fragment', 'pagefind/pagefind-entry.json']);
      await reloaded;
      await sleep(1000);
      assert.deepEqual(loads, { search: 1, other: 0 });
      // A rebuild's pages reload them all, as before.
      const both = Promise.all([pages.search.waitForEvent('load'), pages.other.waitForEvent('load')]);
      server.notifyChanged(['2024/03/12/operators/index.html', 'pagefind/pagefind-entry.json']);
      await both;
      await Promise.all(Object.values(pages).map((page) => page.context().close()));
    } finally {
      await server.close();
    }
  });
});
