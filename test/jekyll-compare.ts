/**
 * Comparing a site as recap builds it with the same site as real Jekyll builds it: what a reader
 * sees on each page, the files, redirects, feed entries and sitemap. Used by test/jekyll.test.ts,
 * and on any Jekyll site from the command line:
 *
 *   npm run compare:jekyll -- path/to/jekyll-site
 *
 * prints every difference (recap's output in a temp folder, Jekyll's beside it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { AnyNode, Element, Text } from 'domhandler';
import { isDeepStrictEqual } from 'node:util';

export const JEKYLL = '/usr/bin/jekyll';

/**
 * What stays different from real Jekyll on purpose, in one place (README's "Coming from Jekyll"
 * says the same). Each entry: what, and why. Not compared at all, for the same reason: the HTML
 * around the text (remark's, not kramdown's: line breaks, `<img>` not `<img />`, footnote markup,
 * so `number_of_words` of HTML may differ by a few words), code colouring (no Rouge spans), CSS
 * text (dart-sass, not libsass), the feed's `<generator>` and `updated` (the build time), and
 * `<head>` but for `<title>` and the canonical link. Elements marked data-compare="skip" in the
 * site are left out of the text: Liquid's `sample` picks at random in every Jekyll build.
 */
export const DIFFERENCES = {
  /** Files only recap writes. */
  recapOnlyFiles: {
    '.recap-built': "recap's marker: which files the build wrote, so a later build never deletes what it did not write",
    _redirects: 'the redirect list Netlify and Cloudflare Pages read, so old URLs redirect on those hosts without a page load',
  } as Record<string, string>,
  /**
   * For `permalink: /slack` both write slack.html; recap also writes slack/index.html, a redirect to
   * it, because S3 and plain web servers send /slack to the folder /slack/ rather than to slack.html.
   */
  folderRedirect: (file: string, target: string) => file.endsWith('/index.html') && target.endsWith('/' + file.slice(0, -'/index.html'.length) + '.html'),
};

/** An element's attributes, or undefined for text and other nodes. */
const attrs = (node: AnyNode) => (node.type === 'tag' || node.type === 'script' || node.type === 'style' ? (node as Element).attribs : undefined);

/** Elements a browser lays out as blocks (or breaks): their text is apart from what is around it. */
const BLOCKS = new Set('address article aside blockquote br dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul'.split(' '));

/** The text a reader sees in a page: <title>, then the body's text; scripts, styles and skipped elements left out, whitespace folded. */
export function pageText(html: string): { title: string; body: string; canonical: string } {
  const document = parseDocument(html, { decodeEntities: true });
  let text = '';
  const walk = (nodes: AnyNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') text += (node as Text).data;
      const attributes = attrs(node);
      if (!attributes) continue;
      const element = node as Element;
      // A page without <head> (jekyll-redirect-from's) has its <title> among the body's elements.
      if (['script', 'style', 'head', 'title', 'template'].includes(element.name) || attributes['data-compare'] === 'skip') continue;
      const block = BLOCKS.has(element.name);
      if (block) text += ' ';
      walk(element.children);
      if (block) text += ' ';
    }
  };
  walk(document.children);
  const title = DomUtils.findOne((e) => e.name === 'title', document.children);
  const canonical = DomUtils.findOne((e) => e.name === 'link' && e.attribs.rel === 'canonical', document.children);
  const fold = (value: string) => value.replace(/\s+/g, ' ').trim();
  return { title: fold(title ? DomUtils.textContent(title) : ''), body: fold(text), canonical: canonical?.attribs.href ?? '' };
}

/** Where a built HTML page sends the browser (its meta refresh), or undefined for a page that is no redirect. */
function redirectTarget(file: string): string | undefined {
  const document = parseDocument(fs.readFileSync(file, 'utf8'));
  const refresh = DomUtils.findOne((e) => e.name === 'meta' && e.attribs['http-equiv']?.toLowerCase() === 'refresh', document.children);
  return refresh ? (/url=(.*)$/i.exec(refresh.attribs.content ?? '')?.[1]?.trim() ?? '') : undefined;
}

/** recap's folder redirects (DIFFERENCES.folderRedirect), which Jekyll does not write. */
const isFolderRedirect = (out: string, file: string) => {
  if (!file.endsWith('/index.html')) return false;
  const target = redirectTarget(path.join(out, file));
  return target !== undefined && DIFFERENCES.folderRedirect(file, target);
};

/** Redirect pages in a built site, read as a browser reads them: source path → target URL (recap's folder redirects left out). */
export function redirectPages(out: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const file of filesUnder(out).filter((f) => f.endsWith('.html'))) {
    const target = redirectTarget(path.join(out, file));
    if (target !== undefined && !DIFFERENCES.folderRedirect(file, target)) found['/' + file.replace(/index\.html$/, '')] = target;
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

export function feed(out: string): { author: string; id: string; title: string; entries: FeedEntry[] } {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'entry' || name === 'link' });
  const text = (value: unknown) => (typeof value === 'object' && value !== null ? String((value as Record<string, unknown>)['#text'] ?? '') : String(value ?? ''));
  const document = parser.parse(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8'));
  // A site's own feed.xml may be RSS 2.0 (older sites write it in Liquid): its items, read as entries.
  if (!document.feed) {
    const channel = document.rss?.channel ?? {};
    const items = (Array.isArray(channel.item) ? channel.item : channel.item ? [channel.item] : []) as Record<string, unknown>[];
    const entries = items.map((item) => ({ id: text(item.guid), link: text(Array.isArray(item.link) ? item.link[0] : item.link), title: text(item.title), published: text(item.pubDate), updated: '', author: text(item.author) }));
    return { author: '', id: '', title: text(channel.title), entries };
  }
  const root = document.feed;
  const entries = ((root.entry ?? []) as Record<string, unknown>[]).map((e) => ({
    id: text(e.id),
    link: (e.link as { '@href': string }[])[0]['@href'],
    title: text(e.title),
    published: text(e.published),
    updated: text(e.updated),
    author: text((e.author as { name?: unknown } | undefined)?.name),
  }));
  return { author: text(root.author?.name), id: text(root.id), title: text(root.title), entries };
}

export function sitemapUrls(out: string): string[] {
  const parser = new XMLParser({ isArray: (name) => name === 'url' });
  // An empty <urlset/> parses as "": no URLs.
  const urls = (parser.parse(fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8')).urlset?.url ?? []) as { loc: string; lastmod?: string }[];
  return urls.map((u) => `${u.loc} ${u.lastmod ?? ''}`).sort();
}


/** Every file under a folder, "/" separators, sorted. */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else found.push(child);
    }
  };
  walk('');
  return found.sort();
}

/** recap's output files but those it writes on purpose where Jekyll writes none (DIFFERENCES). */
export function recapFiles(out: string): string[] {
  return filesUnder(out).filter((file) => !(file in DIFFERENCES.recapOnlyFiles) && !isFolderRedirect(out, file));
}

/** Builds a site with real Jekyll for production, as GitHub Pages does (recap build's default too). */
export function runJekyll(root: string, out: string): void {
  const run = spawnSync(JEKYLL, ['build', '--quiet', '--disable-disk-cache', '--source', root, '--destination', out], { encoding: 'utf8', env: { ...process.env, JEKYLL_ENV: 'production' } });
  if (run.status !== 0) throw new Error(`jekyll build failed:\n${run.stdout}\n${run.stderr}`);
}

/** Every difference between recap's output and Jekyll's, one line each (none: the same site). */
export function differences(recapOut: string, jekyllOut: string): string[] {
  const found: string[] = [];
  const ours = recapFiles(recapOut);
  const theirs = filesUnder(jekyllOut);
  for (const file of theirs) if (!ours.includes(file)) found.push(`missing: ${file}`);
  for (const file of ours) if (!theirs.includes(file)) found.push(`extra: ${file}`);
  for (const file of theirs.filter((f) => f.endsWith('.html') && ours.includes(f))) {
    const jekyll = pageText(fs.readFileSync(path.join(jekyllOut, file), 'utf8'));
    const recap = pageText(fs.readFileSync(path.join(recapOut, file), 'utf8'));
    for (const key of ['title', 'canonical', 'body'] as const) {
      if (recap[key] !== jekyll[key]) found.push(`${file}: ${key} differs\n  jekyll: ${firstDifference(jekyll[key], recap[key])}\n  recap:  ${firstDifference(recap[key], jekyll[key])}`);
    }
  }
  const same = (what: string, a: unknown, b: unknown) => {
    if (!isDeepStrictEqual(a, b)) found.push(`${what} differs\n  jekyll: ${JSON.stringify(b).slice(0, 400)}\n  recap:  ${JSON.stringify(a).slice(0, 400)}`);
  };
  same('redirect pages', redirectPages(recapOut), redirectPages(jekyllOut));
  for (const file of ['feed.xml', 'sitemap.xml', 'redirects.json']) {
    if (!theirs.includes(file) || !ours.includes(file)) continue;
    if (file === 'feed.xml') same(file, feed(recapOut), feed(jekyllOut));
    if (file === 'sitemap.xml') same(file, sitemapUrls(recapOut), sitemapUrls(jekyllOut));
    if (file === 'redirects.json') same(file, JSON.parse(fs.readFileSync(path.join(recapOut, file), 'utf8')), JSON.parse(fs.readFileSync(path.join(jekyllOut, file), 'utf8')));
  }
  return found;
}

/** `text` from where it first differs from `other`, with a little before it. */
function firstDifference(text: string, other: string): string {
  let at = 0;
  while (at < text.length && text[at] === other[at]) at++;
  const start = Math.max(0, at - 40);
  return (start > 0 ? '…' : '') + text.slice(start, at + 120) + (at + 120 < text.length ? '…' : '');
}

async function main(site: string): Promise<void> {
  const { loadConfig } = await import('../src/pipeline/config.js');
  const { buildSite } = await import('../src/pipeline/build.js');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'recap-compare-'));
  const recapOut = path.join(work, 'recap');
  const jekyllOut = path.join(work, 'jekyll');
  try {
    await buildSite(loadConfig(site, { outDir: recapOut, cache: false }));
  } catch (error) {
    console.log(`recap's build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  try {
    runJekyll(path.resolve(site), jekyllOut);
  } catch (error) {
    console.log(`Jekyll's build failed, nothing to compare: ${String(error instanceof Error ? error.message : error).split('\n').slice(0, 4).join('\n')}`);
    process.exitCode = 1;
    return;
  }
  const found = differences(recapOut, jekyllOut);
  for (const line of found) console.log(line);
  console.log(`${found.length} differences (recap: ${recapOut}, Jekyll: ${jekyllOut})`);
  process.exitCode = found.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const site = process.argv[2];
  if (!site) {
    console.error('usage: npm run compare:jekyll -- <jekyll-site-folder>');
    process.exitCode = 2;
  } else {
    await main(site);
  }
}
