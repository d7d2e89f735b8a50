/** A tag's pages list its posts `paginate` at a time, as the home page does: the first at tagPermalink, the others at tagPaginatePath. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { SiteError } from '../src/pipeline/errors.js';
import { tempDir, writeSite } from './helpers.js';

const NOW = new Date('2024-06-01T00:00:00Z');

function site(config: string, count: number): string {
  const files: Record<string, string> = { 'recap.config.yml': config };
  for (let i = 1; i <= count; i++) {
    const day = String(i).padStart(2, '0');
    files[`posts/2024-03-${day}-recap-${i}.md`] = `---\ntitle: Recap ${i}\ntags: [Photos${i % 2 ? ', Video' : ''}]\n---\nTalks ${i}.\n`;
  }
  return writeSite(files);
}

async function built(root: string): Promise<(file: string) => string> {
  const outDir = path.join(tempDir(), 'public');
  const outcome = await build(loadConfig(root, { now: NOW, outDir, cache: false }));
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map(String).join('\n'));
  return (file) => fs.readFileSync(path.join(outDir, file), 'utf8');
}

const titlesIn = (html: string) => [...html.matchAll(/<h2[^>]*><a [^>]*>(Recap \d+)<\/a>/g)].map((m) => m[1]);

describe('tag pages', () => {
  it('list a tag’s posts paginate at a time, newest first, each page linking the next and the one before', async () => {
    const read = await built(site('title: Tagged\nurl: https://meetup.example\nbasePath: /blog/\npaginate: 2\n', 5));
    const first = read('tags/photos/index.html');
    assert.deepEqual(titlesIn(first), ['Recap 5', 'Recap 4']);
    assert.match(first, /Page 1 of 3/);
    assert.match(first, /<a rel="next" href="\/blog\/tags\/photos\/page\/2\/">/);
    assert.doesNotMatch(first, /rel="prev"/);
    // The count is the tag's, on every page.
    assert.match(first, /5 recaps/);

    const second = read('tags/photos/page/2/index.html');
    assert.deepEqual(titlesIn(second), ['Recap 3', 'Recap 2']);
    assert.match(second, /<title>[^<]*page 2/);
    assert.match(second, /<a rel="prev" href="\/blog\/tags\/photos\/">/);
    assert.match(second, /<a rel="next" href="\/blog\/tags\/photos\/page\/3\/">/);
    assert.match(second, /5 recaps/);

    const third = read('tags/photos/page/3/index.html');
    assert.deepEqual(titlesIn(third), ['Recap 1']);
    assert.doesNotMatch(third, /rel="next"/);

    // A tag with posts enough for one page has no page 2 and no page links.
    assert.deepEqual(titlesIn(read('tags/video/index.html')), ['Recap 5', 'Recap 3']);
    assert.match(read('tags/video/page/2/index.html'), /Recap 1/);

    // The sitemap lists every page; the tag's feed still has all its posts.
    const sitemap = read('sitemap.xml');
    for (const url of ['/blog/tags/photos/', '/blog/tags/photos/page/2/', '/blog/tags/photos/page/3/']) assert.ok(sitemap.includes(`<loc>https://meetup.example${url}</loc>`), url);
    assert.equal(read('tags/photos/feed.xml').match(/<entry>/g)?.length, 5);
  });

  it('puts later pages at tagPaginatePath', async () => {
    const read = await built(site('title: Tagged\npaginate: 3\ntagPermalink: /topics/:tag/\ntagPaginatePath: /topics/:tag/:num/\n', 4));
    assert.deepEqual(titlesIn(read('topics/photos/index.html')), ['Recap 4', 'Recap 3', 'Recap 2']);
    assert.deepEqual(titlesIn(read('topics/photos/2/index.html')), ['Recap 1']);
    assert.match(read('topics/photos/index.html'), /<a rel="next" href="\/topics\/photos\/2\/">/);
  });

  it('refuses a tagPaginatePath without :tag or :num, or with an empty segment or another host, at its line', () => {
    // "//" at the start is another host; in the middle, an empty segment (both once crashed the planner, for paginatePath too).
    for (const pattern of ['/tags/page/:num/', '/tags/:tag/page/', '/tags/:tag/:lang/:num/', '/../:tag/:num/', "'//evil.example/:tag/:num/'", '/tags//:tag/page/:num/']) {
      const root = site(`title: Tagged\ntagPaginatePath: ${pattern}\n`, 1);
      assert.throws(
        () => loadConfig(root),
        (error: unknown) => error instanceof SiteError && /^recap\.config\.yml:2: .*tagPaginatePath/.test(error.format()),
        pattern,
      );
    }
    const root = site("title: Tagged\npaginatePath: '//evil.example/:num/'\n", 1);
    assert.throws(
      () => loadConfig(root),
      (error: unknown) => error instanceof SiteError && /^recap\.config\.yml:2: "paginatePath" .*another host/.test(error.format()),
    );
  });
});
