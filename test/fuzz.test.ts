import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { random } from '../bench/corpus.js';
import { build } from '../src/pipeline/build.js';
import { checkLinks } from '../src/check/links.js';
import { loadConfig } from '../src/pipeline/config.js';
import { BuildFailedError, SiteError } from '../src/pipeline/errors.js';
import { listTree, tempDir } from './helpers.js';

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const maybe = (rand: Rand, p = 0.5) => rand() < p;

const HOSTILE = ['<script>alert(1)</script>', '"quoted"', "it's", '</title>', ']]>', '{{ 7*7 }}', '{% raw %}', '&amp; & &', 'Ünïcödé 東京', '\u202e', 'a\u0000b'];
const TAGS = ['Photos', 'photos', 'Video', '2019', 2020, 'Service Mesh', 'C++', 'C', '!!!', '東京', '', null, { a: 1 }, ['nested']];
const PATHS = ['/old/', '/old', '/old.html', 'no-slash/', '/../up/', '/%2e%2e/x/', '/a\\b/', '//host/x', 'javascript:alert(1)', '/?p=1', '/Case/', '/case/', '/x/y/z/', ''];
/** Redirect paths a static host's `_redirects` would read as patterns or split into fields, and recap's own file names. */
const HOSTILE_REDIRECTS = ['/*', '/:lang/*', '/old/*', '/a b/', '/x\ty/', '/x\u0085y/', '/x\u00a0y/', '/x\u2028y/', '/x\u3000y/', '/.recap-built', '/x/ 301!', '/caf\u00e9/', '/cafe\u0301/'];
/** Links that are not valid URLs, or are but look like nothing else. */
const ODD_LINKS = ['//slides.example.com:8o80/deck', '//exa mple.com/', 'https://a:b', 'http://[::1', 'https://x.example/%', 'https://', '//', 'https://xn--/'];

/** Large inputs only in `npm run fuzz` (FUZZ_LARGE=1): at full size each takes the markdown budget's seconds. */
const LARGE = process.env.FUZZ_LARGE === '1';

/** Markdown that blows up a parser: deep nesting (stack) or long runs of delimiters (time). */
function pathologicalMarkdown(rand: Rand): string {
  const n = LARGE ? 20_000 + Math.floor(rand() * 100_000) : 200 + Math.floor(rand() * 3_000);
  return pick(rand, [
    () => '*a'.repeat(n),
    () => '~a'.repeat(n),
    () => '_a'.repeat(n),
    () => '[a'.repeat(n),
    () => '> '.repeat(Math.min(n, 3_000)) + 'deep',
    () => '- '.repeat(Math.min(n, 1_500)) + 'deep',
    () => Array.from({ length: Math.min(n, 1_000) }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
    () => '*'.repeat(Math.min(n, 5_000)) + 'a' + '*'.repeat(Math.min(n, 5_000)),
    () => '<div>'.repeat(Math.min(n, 5_000)),
    () => Array.from({ length: n }, (_, i) => `- item ${i}`).join('\n'),
  ])();
}

/** YAML whose aliases expand to billions of nodes ("billion laughs"). */
function aliasBomb(rand: Rand): string {
  const levels = 4 + Math.floor(rand() * 6);
  const lines = ['bomb0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i <= levels; i++) lines.push(`bomb${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

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
  if (maybe(rand, 0.1)) lines.push(`slides: ${yamlValue(rand, choose(rand, ['/decks/talk.pdf', 'https://example.org/deck'], ODD_LINKS))}`);
  if (maybe(rand, 0.1)) lines.push(`hide_image: ${pick(rand, ['no', 'No', 'off', 'false', 'yes', 'y', 'true'])}`);
  if (broken && maybe(rand, 0.1)) lines.push(`redirect_from: ${yamlValue(rand, [pick(rand, HOSTILE_REDIRECTS)])}`);
  if (broken && maybe(rand, 0.05)) lines.push(aliasBomb(rand));
  if (broken && maybe(rand, 0.05)) lines.push(pick(rand, ['"date": 2019-02-30', '<<: {date: 2019-02-30}', 'date: 2019-03-06 18:30 +99:99', `date: ${'1'.repeat(50_000)}`]));
  // The next meetup: an event before or after the build's now, with hostile text; or one wrong in each way a careless author makes it.
  if (maybe(rand, 0.15)) {
    const sound = [
      `event: {date: "2026-03-10 18:30", venue: ${yamlValue(rand, pick(rand, HOSTILE))}, rsvp: "https://lu.ma/x?a=1&b=2"}`,
      'event:\n  date: 2025-12-01 19:00\n  end: "21:00"\n  online: https://meet.example/x\n  address: "Kai 3; upstairs, \\\\ left"',
      'event: {date: 2026-01-01 00:00, end: 2026-01-02 01:00}',
    ];
    const unsound = ['event: 2026-03-10', 'event: {date: 2026-02-30 18:30}', 'event: {date: 2026-03-10 18:30, rsvp: "javascript:alert(1)"}', 'event: {date: 2026-03-10 18:30, rvsp: x}', 'event: [a]', 'event: {date: 2026-03-10 18:30, end: "17:00"}', 'event: {venue: x}', 'event:\n  date: 2026-03-10'];
    lines.push(choose(rand, sound, unsound));
  }
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
      `[deck](${pick(rand, ODD_LINKS)}) and <a href="${pick(rand, ODD_LINKS)}">slides</a>`,
    ], ['{{ broken', '{% nosuch %}', '{# comment', '{{ 7*7 }}', '{% for i in range(0, 100000) %}{% for j in range(0, 100000) %}x{% endfor %}{% endfor %}', pathologicalMarkdown(rand)]),
  ).join('\n\n');
  return { name, text: `${lines.join('\n')}\n${body}\n` };
}

function config(rand: Rand): string {
  broken = maybe(rand, 0.15);
  const lines: string[] = [];
  if (maybe(rand)) lines.push(`title: ${JSON.stringify(pick(rand, ['Meetup', ...HOSTILE]))}`);
  if (maybe(rand, 0.3)) lines.push(`basePath: ${choose(rand, ['/', '/blog/', 'blog'], ['/a b/', `'/b"onmouseover="alert(1)/'`, '/b<x>/', '/*/', '/:lang/'])}`);
  if (maybe(rand, 0.3)) lines.push(`url: ${choose(rand, ['https://meetup.example'], ['https://meetup.example/sub', 'ftp://x', 'not a url', '"https://a:b"', '"https://exa mple.com"'])}`);
  if (maybe(rand, 0.3)) lines.push(`permalink: ${choose(rand, ['/:year/:month/:day/:slug/', '/:slug/', '/:title.html'], ['/../:slug/', '/:nope/'])}`);
  if (maybe(rand, 0.2)) lines.push(`tagPermalink: ${choose(rand, ['/tags/:tag/', '/t/:tag.html'], ['/../:tag/', '/x/'])}`);
  if (maybe(rand, 0.2)) lines.push(`tagPaginatePath: ${choose(rand, ['/tags/:tag/page/:num/', '/t/:tag/:num.html'], ['/../:tag/:num/', '/t/:num/'])}`);
  if (maybe(rand, 0.3)) lines.push(`paginate: ${choose(rand, ['1', '2'], ['0', '"x"'])}`);
  if (maybe(rand, 0.2)) lines.push(`timezone: ${choose(rand, ['Europe/Berlin', 'UTC', 'america/new_york', 'Asia/Kathmandu'], ['Europe/Berln', '"+02:00"', '[x]'])}`);
  if (broken && maybe(rand, 0.2)) lines.push('unknownKey: 1');
  if (broken && maybe(rand, 0.2)) lines.push('title: [');
  return lines.join('\n') + '\n';
}

const SECRET = 'SECRET-OUTSIDE-THE-SITE';

/**
 * Sometimes links part of the site out of it (a post, a file in static/, a whole source folder), or
 * points the build at the site through a link. Returns the site path the build is given and the
 * output folder; a build must refuse these or leave the linked files out, never copy or delete them.
 */
function linkLayout(rand: Rand, parent: string, root: string): { root: string; outDir: string; force: boolean } {
  const outDir = path.join(parent, 'out');
  if (!maybe(rand, 0.15)) return { root, outDir, force: false };
  const outside = path.join(parent, 'outside');
  fs.mkdirSync(path.join(outside, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(outside, '2019-01-01-leak.md'), `---\ntitle: ${SECRET}\n---\n${SECRET}\n`);
  fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(outside, 'assets', 'secret.css'), SECRET);
  const link = (target: string, at: string) => {
    fs.mkdirSync(path.dirname(path.join(root, at)), { recursive: true });
    fs.symlinkSync(target, path.join(root, at));
  };
  const layout = pick(rand, ['post', 'static-file', 'static-folder', 'assets-folder', 'pages-folder', 'alias-root', 'out-is-site', 'out-in-posts']);
  switch (layout) {
    case 'post': link(path.join(outside, '2019-01-01-leak.md'), 'posts/2019-01-01-leak.md'); break;
    case 'static-file': link(path.join(outside, 'secret.txt'), 'static/secret.txt'); break;
    case 'static-folder':
      fs.rmSync(path.join(root, 'static'), { recursive: true, force: true });
      link(outside, 'static');
      break;
    case 'assets-folder': link(path.join(outside, 'assets'), 'templates/assets'); break;
    case 'pages-folder': link(outside, 'pages'); break;
    case 'alias-root': {
      // `recap build --root alias --out <the real site> --force`
      const alias = path.join(parent, 'alias');
      fs.symlinkSync(root, alias);
      return { root: alias, outDir: root, force: true };
    }
    case 'out-is-site': {
      const alias = path.join(parent, 'out');
      fs.symlinkSync(root, alias);
      return { root, outDir: alias, force: true };
    }
    case 'out-in-posts': {
      const alias = path.join(parent, 'out');
      fs.symlinkSync(path.join(root, 'posts'), alias);
      return { root, outDir: alias, force: true };
    }
  }
  return { root, outDir, force: false };
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
      // The deck the sound `slides: /decks/talk.pdf` links to.
      fs.mkdirSync(path.join(root, 'static', 'decks'), { recursive: true });
      fs.writeFileSync(path.join(root, 'static', 'decks', 'talk.pdf'), '%PDF-1.4 talk');
      const layout = linkLayout(rand, parent, root);
      const outDir = layout.outDir;
      const sourcesBefore = tree(root);
      const outsideBefore = fs.existsSync(path.join(parent, 'outside')) ? tree(path.join(parent, 'outside')) : '';
      const besideBefore = fs.readdirSync(parent).sort();
      let outcome: Awaited<ReturnType<typeof build>> | undefined;
      const started = Date.now();
      try {
        outcome = await build(loadConfig(layout.root, { outDir, now: new Date('2026-01-01'), cache: false, force: layout.force }));
      } catch (error) {
        assert.ok(error instanceof SiteError || error instanceof BuildFailedError, `${label}: only recap's own errors escape a build, got ${(error as Error)?.stack}`);
        for (const each of error instanceof BuildFailedError ? error.errors : [error]) assert.ok(each.file.length > 0, `${label}: the error names a file`);
        outcome = undefined;
      }
      assert.ok(Date.now() - started < 20_000, `${label}: no build takes long`);
      if (outcome?.ok) {
        built++;
        const config = loadConfig(layout.root, { outDir, now: new Date('2026-01-01') });
        const broken = checkLinks(outDir, config.basePath, config.url);
        assert.deepEqual(broken, [], `${label}: the built site's links work`);
        for (const file of listTree(outDir)) {
          assert.ok(!fs.readFileSync(path.join(outDir, file), 'utf8').includes(SECRET), `${label}: ${file} holds nothing from outside the site`);
        }
      } else if (outcome) {
        assert.ok(outcome.errors.length > 0, `${label}: a failed build reports errors`);
        for (const error of outcome.errors) assert.ok(error instanceof SiteError && error.file.length > 0 && error.format().length > 0, `${label}: ${error}`);
        const formatted = outcome.errors.map((e) => e.format());
        assert.equal(new Set(formatted).size, formatted.length, `${label}: each error once`);
        if (outDir === path.join(parent, 'out') && !fs.lstatSync(parent).isSymbolicLink()) {
          assert.ok(!fs.existsSync(outDir) || fs.lstatSync(outDir).isSymbolicLink(), `${label}: a failed build writes no output`);
        }
      }
      assert.equal(tree(root), sourcesBefore, `${label}: the site folder is unchanged`);
      if (outsideBefore) assert.equal(tree(path.join(parent, 'outside')), outsideBefore, `${label}: files outside the site are unchanged`);
      const made = besideBefore.includes('out') || !outcome?.ok ? besideBefore : [...besideBefore, 'out'].sort();
      assert.deepEqual(fs.readdirSync(parent).sort(), made, `${label}: nothing written beside it`);
      fs.rmSync(parent, { recursive: true, force: true });
    }
    if (process.env.FUZZ_STATS) console.log(`built ${built} of ${cases}`);
    assert.ok(built > cases / 10, `some sites build (${built} of ${cases})`);
  });
});
