import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { random } from '../bench/corpus.js';
import { build } from '../src/pipeline/build.js';
import { checkLinks } from '../src/check/links.js';
import { loadConfig } from '../src/pipeline/config.js';
import { SiteError } from '../src/pipeline/errors.js';
import { listTree, tempDir } from './helpers.js';

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const maybe = (rand: Rand, p = 0.5) => rand() < p;

const HOSTILE = ['<script>alert(1)</script>', '"quoted"', "it's", '</title>', ']]>', '{{ 7*7 }}', '{% raw %}', '&amp; & &', 'Ünïcödé 東京', '\u202e', 'a\u0000b'];
const TAGS = ['Photos', 'photos', 'Video', '2019', 2020, 'Service Mesh', 'C++', 'C', '!!!', '東京', '', null, { a: 1 }, ['nested']];
const PATHS = ['/old/', '/old', '/old.html', 'no-slash/', '/../up/', '/%2e%2e/x/', '/a\\b/', '//host/x', 'javascript:alert(1)', '/?p=1', '/Case/', '/case/', '/x/y/z/', ''];

/** Most generated posts are sound (with hostile text in them); some are broken in one of many ways. */
let broken = false;

/** Picks from the sound choices, or (for a broken post) from all of them. */
const choose = <T>(rand: Rand, sound: readonly T[], unsound: readonly T[]): T => pick(rand, broken && maybe(rand, 0.3) ? unsound : sound);

/** A front-matter value from the grammar, written as YAML (valid or not). */
function yamlValue(rand: Rand, value: unknown): string {
  if (broken && maybe(rand, 0.05)) return '[unclosed';
  return JSON.stringify(value) ?? 'null';
}

function post(rand: Rand, index: number): { name: string; text: string } {
  broken = maybe(rand, 0.12);
  const year = 2015 + Math.floor(rand() * 12);
  const date = choose(rand, [`${year}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`, `${year}-12-31`], ['2019-02-30', '2019-13-01']);
  const slug = pick(rand, [`post-${index}`, `Post-${index}`, `p ${index}`, `c#-${index}`, `100%-${index}`, `ü-${index}`]);
  const name = choose(rand, [`${date}-${slug}.md`, `${date}-${slug}.markdown`, `.${slug}.md.swp`, `${slug}.md~`], [`${slug}.md`]);
  const lines: string[] = [];
  lines.push(choose(rand, ['---'], ['---js', '--- coffee', ' ---', '']));
  lines.push(`title: ${yamlValue(rand, choose(rand, [`Recap ${index}`, `Recap ${index}: "${pick(rand, HOSTILE)}"`], ['', 42, ['a'], null]))}`);
  if (maybe(rand)) lines.push(`tags: ${maybe(rand) ? yamlValue(rand, [choose(rand, TAGS.slice(0, 6), TAGS), choose(rand, TAGS.slice(0, 6), TAGS)]) : pick(rand, ['Meetup Kubernetes', '"2019"', '~'])}`);
  if (maybe(rand, 0.3)) lines.push(`redirect_from: ${yamlValue(rand, choose(rand, [`/old-${index}/`, `/old-${index}.html`, `old-${index}`], PATHS))}`);
  if (maybe(rand, 0.1)) lines.push(`redirect_to: ${yamlValue(rand, choose(rand, ['https://example.org/x'], ['/2019/', 'javascript:alert(1)', 'data:x', '//evil']))}`);
  if (maybe(rand, 0.2)) lines.push(`permalink: ${yamlValue(rand, choose(rand, ['/:year/:slug/', `/fixed-${index}/`], [...PATHS, '/fixed/']))}`);
  if (maybe(rand, 0.2)) lines.push(`layout: ${choose(rand, ['post', 'page'], ['gallery', '../x', 'post.njk'])}`);
  if (maybe(rand, 0.2)) lines.push(`date: ${choose(rand, ['2019-03-06', '"2019-03-06 18:30"'], ['2019-02-30', 'yesterday', '2019-03-06 25:00'])}`);
  if (maybe(rand, 0.2)) lines.push(`published: ${choose(rand, ['no', 'off', 'false', 'yes'], ['maybe'])}`);
  if (maybe(rand, 0.1)) lines.push(`draft: ${pick(rand, ['true', 'false'])}`);
  if (maybe(rand, 0.3)) lines.push(`description: ${yamlValue(rand, pick(rand, HOSTILE))}`);
  if (maybe(rand, 0.2)) lines.push(`video: ${yamlValue(rand, choose(rand, ['https://youtu.be/abc', 'https://example.org/v.mp4'], ['javascript:alert(1)']))}`);
  if (maybe(rand, 0.1)) lines.push('twitter_moment:');
  lines.push(choose(rand, ['---'], ['']));
  const body = Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
    choose(rand, [
      'Talks and pizza.',
      '- **Ana**: [slides](https://example.org/s)',
      '<div class="video-wrapper">\n    <iframe src="https://www.youtube-nocookie.com/embed/x" allowfullscreen></iframe>\n</div>',
      '{{ site.basePath }}',
      '{{ page.title }}',
      '{% raw %}{{ kept }}{% endraw %}',
      '---',
      '| a | b |\n|---|---|\n| 1 | 2 |',
      '[home](/) and [tags](/tags/)',
      pick(rand, HOSTILE.filter((h) => !h.includes('{'))),
    ], ['{{ broken', '{% nosuch %}', '{# comment', '{{ 7*7 }}']),
  ).join('\n\n');
  return { name, text: `${lines.join('\n')}\n${body}\n` };
}

function config(rand: Rand): string {
  broken = maybe(rand, 0.15);
  const lines: string[] = [];
  if (maybe(rand)) lines.push(`title: ${JSON.stringify(pick(rand, ['Meetup', ...HOSTILE]))}`);
  if (maybe(rand, 0.3)) lines.push(`basePath: ${choose(rand, ['/', '/blog/', 'blog'], ['/a b/'])}`);
  if (maybe(rand, 0.3)) lines.push(`url: ${choose(rand, ['https://meetup.example'], ['https://meetup.example/sub', 'ftp://x', 'not a url'])}`);
  if (maybe(rand, 0.3)) lines.push(`permalink: ${choose(rand, ['/:year/:month/:day/:slug/', '/:slug/', '/:title.html'], ['/../:slug/', '/:nope/'])}`);
  if (maybe(rand, 0.2)) lines.push(`tagPermalink: ${choose(rand, ['/tags/:tag/', '/t/:tag.html'], ['/../:tag/', '/x/'])}`);
  if (maybe(rand, 0.3)) lines.push(`paginate: ${choose(rand, ['1', '2'], ['0', '"x"'])}`);
  if (broken && maybe(rand, 0.2)) lines.push('unknownKey: 1');
  if (broken && maybe(rand, 0.2)) lines.push('title: [');
  return lines.join('\n') + '\n';
}

function tree(dir: string): string {
  return listTree(dir)
    .map((file) => `${file}:${fs.statSync(path.join(dir, file)).size}`)
    .join('\n');
}

describe('fuzzing: random sites of valid and broken posts', () => {
  const cases = Number(process.env.FUZZ_CASES ?? 60);
  const seed = Number(process.env.SEED ?? 1122);
  it(`${cases} sites (seed ${seed}): each builds with working links or fails with recap's errors, and writes nowhere else`, async () => {
    const rand = random(seed);
    let built = 0;
    for (let n = 0; n < cases; n++) {
      const label = `seed ${seed}, case ${n}`;
      const parent = tempDir();
      const root = path.join(parent, 'site');
      fs.mkdirSync(path.join(root, 'posts'), { recursive: true });
      fs.writeFileSync(path.join(root, 'recap.config.yml'), config(rand));
      const count = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < count; i++) {
        const { name, text } = post(rand, i);
        fs.writeFileSync(path.join(root, 'posts', name), text);
      }
      const sourcesBefore = tree(root);
      const outDir = path.join(parent, 'out');
      let outcome: Awaited<ReturnType<typeof build>> | undefined;
      const started = Date.now();
      try {
        outcome = await build(loadConfig(root, { outDir, now: new Date('2026-01-01'), cache: false }));
      } catch (error) {
        assert.ok(error instanceof SiteError, `${label}: only recap's own errors escape a build, got ${(error as Error)?.stack}`);
        assert.ok(error.file.length > 0, `${label}: the error names a file`);
        outcome = undefined;
      }
      assert.ok(Date.now() - started < 20_000, `${label}: no build takes long`);
      if (outcome?.ok) {
        built++;
        const config = loadConfig(root, { outDir, now: new Date('2026-01-01') });
        const broken = checkLinks(outDir, config.basePath, config.url);
        assert.deepEqual(broken, [], `${label}: the built site's links work`);
      } else if (outcome) {
        assert.ok(outcome.errors.length > 0, `${label}: a failed build reports errors`);
        for (const error of outcome.errors) assert.ok(error instanceof SiteError && error.file.length > 0 && error.format().length > 0, `${label}: ${error}`);
        const formatted = outcome.errors.map((e) => e.format());
        assert.equal(new Set(formatted).size, formatted.length, `${label}: each error once`);
        assert.ok(!fs.existsSync(outDir), `${label}: a failed build writes no output`);
      }
      assert.equal(tree(root), sourcesBefore, `${label}: the site folder is unchanged`);
      assert.deepEqual(fs.readdirSync(parent).sort(), fs.existsSync(outDir) ? ['out', 'site'] : ['site'], `${label}: nothing written beside it`);
      fs.rmSync(parent, { recursive: true, force: true });
    }
    if (process.env.FUZZ_STATS) console.log(`built ${built} of ${cases}`);
    assert.ok(built > cases / 10, `some sites build (${built} of ${cases})`);
  });
});
