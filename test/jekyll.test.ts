import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { copySite, listTree, REPO, tempDir } from './helpers.js';
import { feed, JEKYLL, pageText, recapFiles, redirectPages, runJekyll, sitemapUrls } from './jekyll-compare.js';
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

describe('recap and real Jekyll build the same site', { skip }, () => {
  let recapOut: string;
  let jekyllOut: string;

  before(async () => {
    const root = copySite(SITE);
    recapOut = path.join(tempDir(), 'public');
    await buildSite(loadConfig(root, { outDir: recapOut }));
    // The same copy, so static files have the same modification times (jekyll-sitemap's lastmod).
    // `recap build` builds for production, as GitHub Pages builds with Jekyll.
    jekyllOut = path.join(tempDir(), '_site');
    runJekyll(root, jekyllOut);
  });

  it('writes the same files', () => {
    assert.deepEqual(recapFiles(recapOut), listTree(jekyllOut));
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
