import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { copySite, listTree, REPO, tempDir } from './helpers.js';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';

/**
 * test/jekyll-site is a Jekyll blog of our own (19 posts, a draft, pages, _includes, static files)
 * covering what Jekyll sites do. It is built by recap and by real Jekyll (with jekyll-redirect-from
 * and jekyll-feed) and compared. Differences on purpose, and how the comparison allows for them:
 * - typography: kramdown turns quotes, dashes and "..." into typographic ones, recap leaves the
 *   text as written; compared with those characters made plain;
 * - GFM autolinks: recap links a bare URL, kramdown leaves it as text; compared as visible text;
 * - feed entry ids: jekyll-feed uses the post's id (its URL without .html), recap its URL; compared
 *   by link instead; posts on the same day: recap orders them by file name, Ruby's sort is unstable;
 * - feed and sitemap XML differ in layout and extra elements; what is compared is entries and links.
 */
const SITE = path.join(REPO, 'test/jekyll-site');
const JEKYLL = '/usr/bin/jekyll';
// CI installs Debian's jekyll (.ci/run); elsewhere the comparison says why it did not run.
const skip = !fs.existsSync(JEKYLL) && !process.env.CI ? `no Jekyll at ${JEKYLL} (apt-get install jekyll ruby-jekyll-redirect-from ruby-jekyll-feed)` : false;

/** Every file of a folder with its bytes, to show that a build left it as it was. */
function treeDigest(dir: string): Record<string, string> {
  return Object.fromEntries(listTree(dir).filter((file) => !file.startsWith('.recap-cache/')).map((file) => [file, fs.readFileSync(path.join(dir, file)).toString('base64')]));
}

/** Redirect pages in a built site: source path → target URL. */
function redirects(out: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const file of listTree(out).filter((f) => f.endsWith('.html'))) {
    const html = fs.readFileSync(path.join(out, file), 'utf8');
    if (!/http-equiv="refresh"/i.test(html)) continue;
    const target = /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1] ?? '';
    found['/' + file.replace(/index\.html$/, '')] = target;
  }
  return found;
}

const TYPOGRAPHY: [RegExp, string][] = [
  [/[‘’]/g, "'"],
  [/[“”]/g, '"'],
  [/[–—]/g, '-'],
  [/…/g, '...'],
  [/[«»]/g, '"'],
];

/** The visible text of some HTML: tags dropped, entities decoded, kramdown's typography undone, whitespace folded. */
function visibleText(html: string): string {
  let text = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    // Inline elements join text (GFM links a bare URL that kramdown leaves as text); blocks separate it.
    .replace(/<\/?(a|em|strong|code|span|del|sup|sub|abbr|kbd)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
  for (const [pattern, plain] of TYPOGRAPHY) text = text.replace(pattern, plain);
  return text.replace(/\s+/g, ' ').trim();
}

describe('a Jekyll site builds unchanged', () => {
  it('builds with no recap config and no edits to posts', async () => {
    const root = copySite(SITE);
    const config = loadConfig(root, { outDir: path.join(tempDir(), 'public') });
    assert.ok(config.jekyll, '_config.yml makes it a Jekyll site');
    const before = treeDigest(root);
    const result = await buildSite(config);
    // 19 posts: one unpublished, one only a redirect (redirect_to); the draft is left out without --drafts.
    assert.equal(result.posts, 17, `${result.posts} posts`);
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
    const found = redirects(config.outDir);
    assert.equal(found['/terraform-state/'], 'https://tidewater.example.org/2018/04/10/terraform-state-stories.html');
    assert.equal(found['/2018/10/09/moving-house.html'], 'https://elsewhere.example.org/recap/');
    assert.ok(!files.some((f) => f.startsWith('notes/') || f === 'drafts-notes.txt'), 'excluded files are not copied');
    assert.deepEqual(treeDigest(root), before, 'the site folder is not edited by the build');
  });
});

describe('recap and real Jekyll build the same site', { skip }, () => {
  let recapOut: string;
  let jekyllOut: string;
  const listingFile = 'recap-compare.json';

  before(async () => {
    const root = copySite(SITE);
    recapOut = path.join(tempDir(), 'public');
    await buildSite(loadConfig(root, { outDir: recapOut }));

    // Jekyll gets two helpers only it sees: a JSON listing of its posts, and a post layout that marks the body.
    const jekyllRoot = copySite(SITE);
    fs.writeFileSync(
      path.join(jekyllRoot, listingFile),
      '---\nlayout: null\n---\n[{% for post in site.posts %}{"url": {{ post.url | jsonify }}, "title": {{ post.title | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}]\n',
    );
    fs.writeFileSync(path.join(jekyllRoot, '_layouts/post.html'), '<!DOCTYPE html><title>{{ page.title }}</title><div id="recap-compare">{{ content }}</div>\n');
    jekyllOut = path.join(tempDir(), '_site');
    const run = spawnSync(JEKYLL, ['build', '--quiet', '--source', jekyllRoot, '--destination', jekyllOut], { encoding: 'utf8' });
    assert.equal(run.status, 0, `jekyll build failed:\n${run.stdout}\n${run.stderr}`);
  });

  const jekyllPosts = () => JSON.parse(fs.readFileSync(path.join(jekyllOut, listingFile), 'utf8')) as { url: string; title: string }[];
  const recapPosts = () => {
    // recap's own JSON of post URLs: every post page of the default theme has a BlogPosting.
    const urls: string[] = [];
    for (const file of listTree(recapOut).filter((f) => f.endsWith('.html'))) {
      const html = fs.readFileSync(path.join(recapOut, file), 'utf8');
      if (html.includes('"@type":"BlogPosting"')) urls.push('/' + file.replace(/index\.html$/, ''));
    }
    return urls.sort();
  };

  it('gives every post the same URL', () => {
    assert.deepEqual(recapPosts(), jekyllPosts().filter((p) => !p.url.startsWith('http')).map((p) => p.url).filter((u) => !redirects(jekyllOut)[u]).sort());
  });

  it('writes the same redirects, to the same targets', () => {
    assert.deepEqual(redirects(recapOut), redirects(jekyllOut));
  });

  it('puts the same entries in the feed, newest first', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'entry' || name === 'link' });
    const entries = (out: string) =>
      (parser.parse(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8')).feed.entry as { link: { '@href': string }[]; title: { '#text': string } | string; published: string }[]).map((e) => ({
        link: e.link[0]['@href'],
        title: visibleText(typeof e.title === 'string' ? e.title : e.title['#text']),
        published: e.published.slice(0, 10),
      }));
    // On purpose: entry ids (jekyll-feed uses the post's id, recap its URL) and the order of posts on the same day (ours is by file name).
    const byDateThenLink = (a: { published: string; link: string }, b: { published: string; link: string }) => b.published.localeCompare(a.published) || a.link.localeCompare(b.link);
    const ours = entries(recapOut);
    assert.deepEqual([...ours].sort(byDateThenLink), entries(jekyllOut).sort(byDateThenLink));
    assert.deepEqual(ours.map((e) => e.published), [...ours.map((e) => e.published)].sort().reverse());
  });

  it('shows the same text in every post body', () => {
    for (const { url } of jekyllPosts()) {
      const file = url.endsWith('/') ? `${url}index.html` : url;
      const jekyllHtml = fs.readFileSync(path.join(jekyllOut, file), 'utf8');
      if (/http-equiv="refresh"/.test(jekyllHtml)) continue; // redirect_to posts: compared as redirects
      const jekyllBody = /<div id="recap-compare">([\s\S]*)<\/div>\s*$/.exec(jekyllHtml)![1];
      const recapHtml = fs.readFileSync(path.join(recapOut, file), 'utf8');
      const recapBody = /<div class="post-body">([\s\S]*?)\n {2}<\/div>\n<\/article>/.exec(recapHtml)?.[1];
      assert.ok(recapBody !== undefined, `${url}: recap's page has a body`);
      assert.equal(visibleText(recapBody), visibleText(jekyllBody), url);
    }
  });
});
