import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MARKDOWN_BUDGET, timeBudgetMs, type MarkdownBudget } from '../src/markdown/budget.js';
import { MarkdownRenderer } from '../src/markdown/workers.js';
import { build, planFrontMatter } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { listTree, tempDir } from './helpers.js';

const NOW = new Date('2024-06-01T00:00:00Z');
const BAD = 'posts/2019-02-01-bad.md';

/** A site of `good` ordinary posts and one post with `body`. */
function siteWith(body: string, good = 2): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'posts'));
  for (let i = 0; i < good; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    fs.writeFileSync(path.join(root, `posts/2019-01-${day}-post-${i}.md`), `---\ntitle: Post ${i}\n---\nHello *${i}*, a [link](/about/).\n\n- one\n- two\n`);
  }
  fs.writeFileSync(path.join(root, BAD), `---\ntitle: Bad\n---\n${body}`);
  return root;
}

/** Builds `root` with a renderer of this budget; the errors as printed, and how long it took. */
async function buildWith(root: string, budget: Partial<MarkdownBudget>, options: { cache?: boolean; threads?: number } = {}) {
  const outDir = path.join(tempDir(), 'public');
  const markdown = new MarkdownRenderer({ ...MARKDOWN_BUDGET, ...budget });
  const started = performance.now();
  try {
    const outcome = await build(loadConfig(root, { now: NOW, outDir, cache: options.cache ?? false, threads: options.threads ?? 2 }), { markdown });
    return { errors: outcome.ok ? [] : outcome.errors.map((e) => e.format()), seconds: (performance.now() - started) / 1000, outDir };
  } finally {
    await markdown.close();
  }
}

/** Tests make the time budget 2 s for any post, so that these end in seconds (the defaults are tested in cli.test.ts). */
const QUICK: Partial<MarkdownBudget> = { baseMs: 2000, perMillionCharsMs: 0 };
const TOO_SLOW = `${BAD}: markdown took over 2 s to render`;

describe('pathological markdown ends in seconds with an error naming the post', () => {
  for (const [name, body] of [
    ['128 KB of "*a"', '*a'.repeat(64_000)],
    ['128 KB of "~a"', '~a'.repeat(64_000)],
    // 120 levels: under the indentation limit; 100 of them take about 30 s, far over a 2 s budget.
    ['a list nested 120 levels, 100 times', Array.from({ length: 100 }, () => Array.from({ length: 120 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')).join('\n\n<!-- -->\n\n')],
    ['emphasis nested 20,000 deep', `${'*_'.repeat(20_000)}x${'_*'.repeat(20_000)}`],
    // Found by trying more inputs of the kind: each ran past 17 s at 200 KB.
    ['200 KB of unclosed links "[a]("', '[a]('.repeat(50_000)],
    ['200 KB of footnote references "[^a]"', '[^a]'.repeat(50_000)],
  ]) {
    it(`${name}: over its time`, async () => {
      const { errors, seconds } = await buildWith(siteWith(body), QUICK);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.ok(errors[0].startsWith(TOO_SLOW), errors[0]);
      assert.match(errors[0], /close, flatten or remove them, or split the post$/);
      assert.ok(seconds < 20, `ended in ${seconds} s`);
    });
  }

  it('a list nested 1,000 levels is refused before rendering, at the line indented past 256 columns', async () => {
    const body = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    const { errors, seconds } = await buildWith(siteWith(body), QUICK);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^posts\/[^:]+:\d+: a line is indented 258 columns: lists or quotes nested over a hundred levels deep take minutes to render; flatten them$/);
    assert.ok(seconds < 5, `ended in ${seconds} s`);
    // A code sample indented a little, in a list a few levels deep, is fine.
    assert.deepEqual((await buildWith(siteWith(`- a\n  - b\n    - c\n\n          deep code\n`), QUICK)).errors, []);
  });

  it('a Jekyll site\'s post (kramdown, with an excerpt separator) has the same budget', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, '_config.yml'), 'title: Jekyll\nexcerpt_separator: <!--more-->\n');
    fs.mkdirSync(path.join(root, '_posts'));
    fs.writeFileSync(path.join(root, '_posts/2019-02-01-bad.md'), `---\ntitle: Bad\n---\nLead.\n\n${'*a'.repeat(64_000)}\n<!--more-->\nMore.\n`);
    const { errors, seconds } = await buildWith(root, QUICK);
    assert.equal(errors.length, 1);
    assert.ok(errors[0].startsWith('_posts/2019-02-01-bad.md: markdown took over 2 s to render'), errors[0]);
    assert.ok(seconds < 20, `ended in ${seconds} s`);
  });

  it('quotes and lists nested thousands deep on one line render in a thread, or fail when they overflow its stack', async () => {
    // Both overflowed the main thread's stack; a rendering thread's 4 MB (the default) holds them.
    // (Time is not what this tests: 30 s, so that a loaded machine does not turn it into a time-out.)
    for (const [line, tag, depth] of [['> ', '<blockquote>', 3000], ['- ', '<li>', 1500]] as const) {
      const root = siteWith(`${line.repeat(depth)}deep\n`);
      const built = await buildWith(root, { baseMs: 30_000 });
      assert.deepEqual(built.errors, []);
      const html = fs.readFileSync(path.join(built.outDir, '2019/02/01/bad/index.html'), 'utf8');
      assert.equal(html.split(tag).length - 1, depth);
      // A stack of 1 MB, as the main thread has, overflows: that post's error, and the build goes on to report it.
      const small = await buildWith(root, { stackMb: 1, baseMs: 30_000 });
      assert.deepEqual(small.errors, [`${BAD}: markdown is nested too deeply to render (lists, quotes, links or emphasis inside each other hundreds of times); flatten it`]);
      assert.ok(small.seconds < 20, `ended in ${small.seconds} s`);
    }
  });

  it('a 9.8 MB post of 200,000 list items: over its memory', async () => {
    const body = Array.from({ length: 200_000 }, (_, i) => `- item ${i} of the list, see the [link](/to/x/)\n`).join('');
    assert.ok(body.length > 9_800_000 && body.length < 10_000_000, `${body.length} characters`);
    const { errors, seconds } = await buildWith(siteWith(body), { memoryMb: 256 });
    assert.deepEqual(errors, [`${BAD}: markdown needed over 256 MB of memory to render; tens of thousands of list items or table rows in one post do this: split the post`]);
    assert.ok(seconds < 30, `ended in ${seconds} s`);
  });

  it('a new thread renders the rest; the failed post is not cached, and the next build renders it again', async () => {
    // Over 64 posts and two threads: the batch the bad post is in is finished by a new thread.
    const root = siteWith('*a'.repeat(64_000), 100);
    const failed = await buildWith(root, QUICK, { cache: true });
    assert.equal(failed.errors.length, 1);
    assert.ok(failed.errors[0].startsWith(TOO_SLOW));
    const cached = JSON.parse(fs.readFileSync(path.join(root, '.recap-cache/bodies.json'), 'utf8')) as { entries: Record<string, unknown> };
    assert.equal(Object.keys(cached.entries).length, 100, 'every other post was rendered and cached');

    // A post slow for a tiny budget but fine for the default one fails, then builds: the failure was not kept.
    // About 0.3 s of work unloaded: over a 0.05 s budget (said to one decimal, 0.1 s), and far under the default's 5.5 s even on a machine loaded five times over.
    const slowish = siteWith('*a'.repeat(4000), 0);
    const tight = await buildWith(slowish, { baseMs: 50, perMillionCharsMs: 0 }, { cache: true });
    assert.equal(tight.errors.length, 1);
    assert.ok(tight.errors[0].startsWith(`${BAD}: markdown took over 0.1 s`), tight.errors[0]);
    const again = await buildWith(slowish, {}, { cache: true });
    assert.deepEqual(again.errors, []);
    assert.ok(listTree(again.outDir).includes('2019/02/01/bad/index.html'));
  });

  it('recap check plans the site from front matter without rendering markdown', async () => {
    const started = performance.now();
    const plan = await planFrontMatter(loadConfig(siteWith('*a'.repeat(64_000)), { now: NOW, cache: false }));
    assert.equal(plan.posts.length, 3);
    assert.ok(performance.now() - started < 5000);
  });

  it('gives a post 5 s plus 60 s per million characters, at most 60 s', () => {
    const work = (length: number) => ({ body: 'x'.repeat(length), flavor: 'commonmark' as const, basePath: '/' });
    assert.equal(timeBudgetMs(MARKDOWN_BUDGET, work(0)), 5000);
    assert.equal(timeBudgetMs(MARKDOWN_BUDGET, work(128_000)), 12_680);
    assert.equal(timeBudgetMs(MARKDOWN_BUDGET, { ...work(64_000), beforeSeparator: 'x'.repeat(64_000) }), 12_680);
    assert.equal(timeBudgetMs(MARKDOWN_BUDGET, work(1_000_000)), 60_000);
    assert.equal(timeBudgetMs(MARKDOWN_BUDGET, work(9_800_000)), 60_000);
  });
});
