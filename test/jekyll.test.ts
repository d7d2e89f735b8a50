import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { AnyNode, Element, Text } from 'domhandler';
import { copySite, listTree, REPO, tempDir } from './helpers.js';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';

/**
 * test/jekyll-site is a Jekyll blog of our own: 20 posts (one unpublished, one only a redirect), a
 * draft, its own layouts and includes (using page, site, paginator, include parameters, _data,
 * Jekyll's filters, {% seo %} and {% feed_meta %}), archive pages made by their layout, pages without
 * a title, a redirect_to list, headings with digits, accents and duplicates, kramdown typography,
 * jekyll.environment, PDFs, a permalink without a slash. It is built by recap and by real Jekyll
 * (with the plugins it lists) and compared page by page; what differs on purpose is in DIFFERENCES.
 */
const SITE = path.join(REPO, 'test/jekyll-site');
const JEKYLL = '/usr/bin/jekyll';
// CI installs Debian's jekyll (.ci/run); elsewhere the comparison says why it did not run.
const skip = !fs.existsSync(JEKYLL) && !process.env.CI ? `no Jekyll at ${JEKYLL} (apt-get install jekyll ruby-jekyll-redirect-from ruby-jekyll-feed)` : false;

/** Every file of a folder with its bytes, to show that a build left it as it was. */
function treeDigest(dir: string): Record<string, string> {
  return Object.fromEntries(listTree(dir).filter((file) => !file.startsWith('.recap-cache/')).map((file) => [file, fs.readFileSync(path.join(dir, file)).toString('base64')]));
}

describe('a Jekyll site builds unchanged', () => {
  it('builds with no recap config and no edits to posts', async () => {
    const root = copySite(SITE);
    const config = loadConfig(root, { outDir: path.join(tempDir(), 'public') });
    assert.ok(config.jekyll, '_config.yml makes it a Jekyll site');
    const before = treeDigest(root);
    const result = await buildSite(config);
    // 20 posts: one unpublished, one only a redirect (redirect_to); the draft is left out without --drafts.
    assert.equal(result.posts, 18, `${result.posts} posts`);
    const files = listTree(config.outDir);
    for (const page of [
      '2019/03/12/pipelines-fast-is-a-feature.html',
      '2020/05/05/KubeCon-Recap.html',
      'about.html',
      '404.html',
      'feed.xml',
      'sitemap.xml',
      'CNAME',
      'favicon.ico',
    ]) {
      assert.ok(files.includes(page), `${page} is built`);
    }
    assert.ok(!files.some((f) => f.includes('unpublished-talk')), 'the unpublished post is not built');
    const found = redirectPages(config.outDir);
    assert.equal(found['/terraform-state/'], 'https://tidewater.example.org/2018/04/10/terraform-state-stories.html');
    assert.equal(found['/2018/10/09/moving-house.html'], 'https://elsewhere.example.org/recap/');
    assert.ok(!files.some((f) => f.startsWith('notes/') || f === 'drafts-notes.txt'), 'excluded files are not copied');
    assert.deepEqual(treeDigest(root), before, 'the site folder is not edited by the build');
  });
});

/**
 * What stays different from real Jekyll on purpose, in one place (README's "Coming from Jekyll"
 * says the same). Each entry: what, and why.
 */
const DIFFERENCES = {
  /** Files only recap writes. */
  recapOnlyFiles: {
    '.recap-built': "recap's marker: which files the build wrote, so a later build never deletes what it did not write",
    _redirects: 'the redirect list Netlify and Cloudflare Pages read, so old URLs redirect on those hosts without a page load',
  } as Record<string, string>,
  /** Elements left out of the text comparison: marked data-compare="skip" in the site. */
  skippedElements: 'Liquid `sample` picks at random in every Jekyll build',
};

/** An element's attributes, or undefined for text and other nodes. */
const attrs = (node: AnyNode) => (node.type === 'tag' || node.type === 'script' || node.type === 'style' ? (node as Element).attribs : undefined);

/** The text a reader sees in a page: <title>, then the body's text; scripts, styles and skipped elements left out, whitespace folded. */
function pageText(html: string): { title: string; body: string; canonical: string } {
  const document = parseDocument(html, { decodeEntities: true });
  const parts: string[] = [];
  const walk = (nodes: AnyNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') parts.push((node as Text).data);
      const attributes = attrs(node);
      if (!attributes) continue;
      const element = node as Element;
      if (['script', 'style', 'head', 'template'].includes(element.name) || attributes['data-compare'] === 'skip') continue;
      walk(element.children);
    }
  };
  walk(document.children);
  const title = DomUtils.findOne((e) => e.name === 'title', document.children);
  const canonical = DomUtils.findOne((e) => e.name === 'link' && e.attribs.rel === 'canonical', document.children);
  const fold = (text: string) => text.replace(/\s+/g, ' ').trim();
  return { title: fold(title ? DomUtils.textContent(title) : ''), body: fold(parts.join(' ')), canonical: canonical?.attribs.href ?? '' };
}

/** Redirect pages in a built site, read as a browser reads them: source path → target URL. */
function redirectPages(out: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const file of listTree(out).filter((f) => f.endsWith('.html'))) {
    const document = parseDocument(fs.readFileSync(path.join(out, file), 'utf8'));
    const refresh = DomUtils.findOne((e) => e.name === 'meta' && e.attribs['http-equiv']?.toLowerCase() === 'refresh', document.children);
    if (!refresh) continue;
    found['/' + file.replace(/index\.html$/, '')] = /url=(.*)$/i.exec(refresh.attribs.content ?? '')?.[1]?.trim() ?? '';
  }
  return found;
}

interface FeedEntry {
  id: string;
  link: string;
  title: string;
  published: string;
  updated: string;
  author: string;
}

function feed(out: string): { author: string; id: string; title: string; entries: FeedEntry[] } {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'entry' || name === 'link' });
  const text = (value: unknown) => (typeof value === 'object' && value !== null ? String((value as Record<string, unknown>)['#text'] ?? '') : String(value ?? ''));
  const root = parser.parse(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8')).feed;
  const entries = (root.entry as Record<string, unknown>[]).map((e) => ({
    id: text(e.id),
    link: (e.link as { '@href': string }[])[0]['@href'],
    title: text(e.title),
    published: text(e.published),
    updated: text(e.updated),
    author: text((e.author as { name?: unknown } | undefined)?.name),
  }));
  return { author: text(root.author?.name), id: text(root.id), title: text(root.title), entries };
}

function sitemapUrls(out: string): string[] {
  const parser = new XMLParser({ isArray: (name) => name === 'url' });
  const urls = parser.parse(fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8')).urlset.url as { loc: string; lastmod?: string }[];
  return urls.map((u) => `${u.loc} ${u.lastmod ?? ''}`).sort();
}

describe('recap and real Jekyll build the same site', { skip }, () => {
  let recapOut: string;
  let jekyllOut: string;

  before(async () => {
    const root = copySite(SITE);
    recapOut = path.join(tempDir(), 'public');
    await buildSite(loadConfig(root, { outDir: recapOut }));
    // `recap build` builds for production, as GitHub Pages builds with Jekyll.
    const jekyllRoot = copySite(SITE);
    jekyllOut = path.join(tempDir(), '_site');
    const run = spawnSync(JEKYLL, ['build', '--quiet', '--source', jekyllRoot, '--destination', jekyllOut], { encoding: 'utf8', env: { ...process.env, JEKYLL_ENV: 'production' } });
    assert.equal(run.status, 0, `jekyll build failed:\n${run.stdout}\n${run.stderr}`);
  });

  it('writes the same files', () => {
    const ours = listTree(recapOut).filter((file) => !(file in DIFFERENCES.recapOnlyFiles));
    assert.deepEqual(ours, listTree(jekyllOut));
  });

  it('shows the same title and text on every page', () => {
    const pages = listTree(jekyllOut).filter((file) => file.endsWith('.html'));
    assert.ok(pages.length > 30, `${pages.length} pages`);
    for (const file of pages) {
      const jekyll = pageText(fs.readFileSync(path.join(jekyllOut, file), 'utf8'));
      assert.ok(fs.existsSync(path.join(recapOut, file)), `${file} is written`);
      const ours = pageText(fs.readFileSync(path.join(recapOut, file), 'utf8'));
      assert.deepEqual(ours, jekyll, file);
    }
  });

  it('writes the same redirects, to the same targets', () => {
    assert.deepEqual(redirectPages(recapOut), redirectPages(jekyllOut));
    const json = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'redirects.json'), 'utf8')) as Record<string, string>;
    assert.deepEqual(json(recapOut), json(jekyllOut));
  });

  it('gives feed readers the same entries: ids, links, titles, dates, authors, in order', () => {
    assert.deepEqual(feed(recapOut), feed(jekyllOut));
  });

  it('lists the same URLs in the sitemap, with the same dates', () => {
    assert.deepEqual(sitemapUrls(recapOut), sitemapUrls(jekyllOut));
  });
});
