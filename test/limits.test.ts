/**
 * What one post, config line or template may cost: every input here is small or one line long,
 * and each used to run for minutes or exhaust the memory. The time bounds only tell "seconds"
 * from "minutes".
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRebuilder } from '../src/dev/watch.js';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { BuildFailedError } from '../src/pipeline/errors.js';
import { keyLines } from '../src/pipeline/front-matter.js';
import { TEMPLATE_TIME_LIMIT_MS } from '../src/pipeline/limits.js';
import { rewriteUrlAttributes, mapSrcset } from '../src/html/rewrite-urls.js';
import type { Heading, Html, PhrasingContent, Root, Text } from 'mdast';
import { assignHeaderIds } from '../src/jekyll/header-ids.js';
import { markdownInHtml, parseAttributeList } from '../src/jekyll/kramdown.js';
import { JEKYLL_KRAMDOWN } from '../src/jekyll/kramdown-options.js';
import { kramdownTypography } from '../src/jekyll/typography.js';
import { frontMatterDefaults } from '../src/jekyll/config.js';
import { slugify as jekyllSlugify } from '../src/jekyll/slugify.js';
import { renderMarkdown } from '../src/markdown/render.js';
import { createTemplateEnvironment, templateErrorLocation } from '../src/theme/environment.js';
import { boundedRange } from '../src/theme/template-limits.js';
import { parseDate } from '../src/util/dates.js';
import { globMatcher } from '../src/util/glob.js';
import { forEachWithinTime, runWithinTime, TimeLimitExceeded } from '../src/util/time-limit.js';
import { loadYaml, YamlProblem } from '../src/util/yaml.js';
import { slugifyTag } from '../src/util/slugs.js';
import { buildErrors, buildInto, copySite, FIXTURES, listTree, tempDir, writeSite } from './helpers.js';

const MB = 1024 * 1024;

/** Runs `work` and returns how long it took, in seconds. */
function seconds(work: () => unknown): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}

const NESTED_LOOP = '{% for i in range(0, 100000) %}{% for j in range(0, 100000) %}{% endfor %}{% endfor %}';

describe('the time limit', () => {
  it('stops an item that runs too long, names it, and goes on with the next', () => {
    const seen: string[] = [];
    const stopped: string[] = [];
    forEachWithinTime(
      ['quick', 'endless', 'after'],
      300,
      (item) => {
        seen.push(item);
        if (item === 'endless') for (;;);
      },
      (item, error) => stopped.push(`${item}: ${error.message}`),
    );
    assert.deepEqual(seen, ['quick', 'endless', 'after']);
    assert.deepEqual(stopped, ['endless: took longer than 0.3 s']);
  });

  it('stops a regular expression that backtracks', () => {
    assert.throws(() => runWithinTime(300, () => /(a+)+b/.test('a'.repeat(40))), TimeLimitExceeded);
  });

  it('lets errors of the work through, and gives its result', () => {
    assert.throws(() => runWithinTime(1000, () => JSON.parse('{')), SyntaxError);
    assert.equal(runWithinTime(1000, () => 42), 42);
  });
});

describe('body templates', () => {
  it('stop a 90-byte nested loop within seconds: recap build fails naming the post, output untouched', async () => {
    const root = writeSite({ 'posts/2019-03-06-ok.md': '---\ntitle: Fine\n---\nFine.\n' });
    const outDir = path.join(tempDir(), 'public');
    await buildSite(loadConfig(root, { cache: false, outDir }));
    const before = listTree(outDir);
    fs.writeFileSync(path.join(root, 'posts/2019-03-07-loop.md'), `---\ntitle: Loop\n---\n${NESTED_LOOP}\n`);
    let failure: unknown;
    const took = await (async () => {
      const started = performance.now();
      await buildSite(loadConfig(root, { cache: false, outDir })).catch((error: unknown) => (failure = error));
      return (performance.now() - started) / 1000;
    })();
    assert.ok(failure instanceof BuildFailedError);
    assert.deepEqual(
      failure.errors.map((e) => e.format()),
      [`posts/2019-03-07-loop.md: took longer than ${TEMPLATE_TIME_LIMIT_MS / 1000} s to read: its body template (or front matter) does too much work; look for loops over large ranges or deep recursion`],
    );
    assert.ok(took < 20, `ended in ${took.toFixed(1)} s`);
    assert.deepEqual(listTree(outDir), before);
  });

  it('give range() at most 100,000 numbers, as nunjucks did below that', () => {
    assert.deepEqual(boundedRange(3), [0, 1, 2]);
    assert.deepEqual(boundedRange(1, 7, 2), [1, 3, 5]);
    assert.deepEqual(boundedRange(5, 0, -2), [5, 3, 1]);
    assert.deepEqual(boundedRange(undefined), []);
    assert.equal(boundedRange(0, 100_000).length, 100_000);
    assert.throws(() => boundedRange(0, 100_001), /would make more than 100,000 numbers/);
    assert.throws(() => boundedRange(0, Infinity), /would make more than/);
  });

  it('refuse printing or filtering a text over 16 MB, and filters asked to make millions of things', () => {
    const env = createTemplateEnvironment(loadConfig(tempDir()));
    const big = 'x'.repeat(17 * MB);
    assert.throws(() => env.renderString('{{ big }}', { big }), /a printed value is 17 MB of text/);
    assert.throws(() => env.renderString('{{ big | upper }}', { big }), /the text given to "upper" is 17 MB/);
    assert.throws(() => env.renderString('{{ "a" | indent(1000000) }}', {}), /"indent" was asked for 1000000/);
    assert.throws(() => env.renderString('{{ [1, 2] | batch(1000000000, 0) }}', {}), /"batch" was asked for 1000000000/);
    assert.equal(env.renderString('{{ "a" | center(5) }}|{{ "ab\ncd" | indent(2) }}', {}), '  a  |ab\n  cd');
  });
});

describe('layouts', () => {
  it('stop a looping layout within seconds, naming it and the page, and keep the output', async () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    const outDir = path.join(tempDir(), 'public');
    await buildSite(loadConfig(root, { cache: false, outDir, now: new Date('2024-06-01') }));
    const before = listTree(outDir);
    fs.mkdirSync(path.join(root, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(root, 'templates/tags.njk'), `{{ page.title }}\n${NESTED_LOOP}\n`);
    let failure: unknown;
    const started = performance.now();
    await buildSite(loadConfig(root, { cache: false, outDir, now: new Date('2024-06-01') })).catch((error: unknown) => (failure = error));
    const elapsed = (performance.now() - started) / 1000;
    assert.ok(failure instanceof BuildFailedError);
    assert.deepEqual(failure.errors.map((e) => e.format()), [`templates/tags.njk: took longer than ${TEMPLATE_TIME_LIMIT_MS / 1000} s to render; look for loops over large ranges or deep recursion (rendering tags/index.html for the tags index)`]);
    assert.ok(elapsed < 20, `ended in ${elapsed.toFixed(1)} s`);
    assert.deepEqual(listTree(outDir), before);
  });

  it("say a filter's limit in one line after an {% include %} too: no template paths, no error class", async () => {
    // nunjucks writes a second set of "(file)" headers for an error after an include; they were printed as the message.
    const root = writeSite({
      'recap.config.yml': 'title: T\n',
      'posts/2024-05-14-p.md': '---\ntitle: P\ntags: [a]\n---\n## Talks\n',
      'templates/post.njk': `{% extends "base.njk" %}\n{% block main %}\n{% include "partials/tag-list.njk" %}\n{{ content | headingAnchors("${'L'.repeat(1001)} {heading}") }}\n{% endblock %}\n`,
    });
    const errors = await buildErrors(root);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^templates\/post\.njk(:\d+:\d+)?: the label given to "headingAnchors" has 1,011 characters; a label may have 1,000 \(rendering 2024\/05\/14\/p\/index\.html for posts\/2024-05-14-p\.md/);
  });
});

describe('watch', () => {
  it('reports a post whose template runs too long, keeps running, and builds once it is fixed', async () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { now: new Date('2024-06-01'), outDir, cache: false });
    assert.ok((await rebuilder.rebuild([])).result);
    const file = 'posts/2019-03-07-loop.md';
    fs.writeFileSync(path.join(root, file), `---\ntitle: Loop\n---\n${NESTED_LOOP}\n`);
    const failed = await rebuilder.rebuild([file]);
    assert.match(failed.errors?.map((e) => e.format()).join('\n') ?? '', /^posts\/2019-03-07-loop\.md: took longer than/);
    fs.writeFileSync(path.join(root, file), '---\ntitle: Loop no more\n---\n{% for i in range(3) %}{{ i }}{% endfor %}\n');
    const fixed = await rebuilder.rebuild([file]);
    assert.ok(fixed.result, fixed.errors?.map((e) => e.format()).join('\n'));
    assert.match(fs.readFileSync(path.join(outDir, '2019/03/07/loop/index.html'), 'utf8'), /012/);
  });
});

describe('YAML aliases', () => {
  it('refuse front matter that aliases expand past a million values, naming the key', () => {
    const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [name, previous] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) {
      laughs.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    let problem: unknown;
    const took = seconds(() => {
      try {
        loadYaml(laughs.join('\n'));
      } catch (error) {
        problem = error;
      }
    });
    assert.ok(problem instanceof YamlProblem);
    assert.equal(problem.where.key, 'f');
    assert.ok(took < 5, `measured in ${took.toFixed(2)} s`);
  });

  it('keep small aliases and merge keys, and read dates and YAML 1.1 words as the text written', () => {
    assert.deepEqual(loadYaml('base: &base {a: 1, b: [x, y]}\nmore: {<<: *base, c: 2}\nagain: *base'), {
      base: { a: 1, b: ['x', 'y'] },
      more: { a: 1, b: ['x', 'y'], c: 2 },
      again: { a: 1, b: ['x', 'y'] },
    });
    assert.deepEqual(loadYaml('date: 2019-02-30\nwhen: 2019-03-06T23:30:00-05:00\nhide_image: no\nshown: true'), {
      date: '2019-02-30',
      when: '2019-03-06T23:30:00-05:00',
      hide_image: 'no',
      shown: true,
    });
    assert.throws(() => loadYaml('a: &a [*a]'), /contains itself/);
    assert.throws(() => loadYaml('x: !!binary aGVsbG8='), /unknown tag/);
  });
});

describe('regular expressions on one long line', () => {
  const long = (run: string, before = 'a', after = 'b') => before + run.repeat(MB / run.length) + after;

  it('maps front-matter keys to lines in linear time', () => {
    const lines = ['title: t', long(' '), `"quoted${' '.repeat(MB)}"x: 1`, `date${' '.repeat(MB)}: 1`, long(':'), long('"')].join('\n');
    let result: Record<string, number> = {};
    const took = seconds(() => (result = keyLines(lines)));
    assert.deepEqual(result, { title: 2, date: 5 });
    assert.ok(took < 5, `took ${took.toFixed(1)} s`);
  });

  it('reads a post with a 1 MB front-matter line in seconds', () => {
    const root = writeSite({
      'posts/2019-03-06-long.md': `---\ntitle: Long\ndate: 2019-03-06${' '.repeat(MB)}# doors open\nnote: a${' '.repeat(MB)}b\n"x": y${' \t'.repeat(MB / 2)}z\n---\nBody.\n`,
    });
    const started = performance.now();
    return buildSite(loadConfig(root, { cache: false, outDir: path.join(tempDir(), 'public') })).then((result) => {
      const took = (performance.now() - started) / 1000;
      assert.equal(result.posts, 1);
      assert.ok(took < 20, `took ${took.toFixed(1)} s`);
    });
  });

  it('reads dates, tags, slugs and URL lists in linear time', () => {
    const checks: [string, () => unknown][] = [
      ['parseDate', () => assert.equal(parseDate(`2019-03-06${' '.repeat(MB)}x`), undefined)],
      ['slugifyTag', () => slugifyTag(long('-'))],
      ['jekyllSlugify', () => jekyllSlugify(long('-'), 'pretty')],
      ['frontMatterDefaults', () => frontMatterDefaults({ defaults: [{ path: long('/'), values: {} }], exclude: [], include: [], excerptSeparator: '', ignoredKeys: [], unfollowedKeys: [], pagePermalink: '', values: {}, plugins: [], environment: 'production', timezone: 'UTC' }, 'x', 'posts')],
      ['mapSrcset', () => mapSrcset(long(','), (url) => url)],
      ['rewriteUrlAttributes', () => rewriteUrlAttributes(`<img srcset="${long(',')}">`, (url) => url)],
      ['templateErrorLocation', () => templateErrorLocation(new Error(long('(')))],
      ['globMatcher', () => globMatcher('*a*a*a*a*a*a*a*a*a*a*b')('a'.repeat(100_000))],
    ];
    for (const [name, check] of checks) {
      const took = seconds(check);
      assert.ok(took < 5, `${name} took ${took.toFixed(1)} s`);
    }
  });

  it('matches Jekyll\'s exclude patterns in linear time, and reads an unclosed [ literally', async () => {
    const long = `${'a'.repeat(200)}.txt`;
    const root = writeSite({
      '_config.yml': 'title: Patterns\nexclude: ["*a*a*a*a*a*a*a*a*a*a*b", "x[y", "n[0-9].txt"]\n',
      [long]: 'kept',
      'x[y': 'excluded',
      'n5.txt': 'excluded',
      'nx.txt': 'kept',
    });
    const started = performance.now();
    const out = await buildInto(root);
    const took = (performance.now() - started) / 1000;
    const copied = listTree(out).filter((file) => !file.includes('/') && !file.endsWith('.html') && !file.endsWith('.xml'));
    assert.deepEqual(copied.filter((file) => !file.startsWith('.') && file !== 'robots.txt'), [long, 'nx.txt']);
    assert.ok(took < 20, `took ${took.toFixed(1)} s`);
  });

  it('reads kramdown habits in linear time', () => {
    const text = (value: string): Text => ({ type: 'text', value });
    const html = (value: string): Html => ({ type: 'html', value });
    const paragraph = (children: PhrasingContent[]): Root => ({ type: 'root', children: [{ type: 'paragraph', children }] });
    // A text node as remark makes it from `source` (escapes and entities decoded in `value`).
    const typography = (source: string, value = source) => {
      const node = { ...text(value), position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: source.length } } };
      kramdownTypography(paragraph([node]), source, JEKYLL_KRAMDOWN);
    };
    const headerIds = (count: number) => {
      const headings: Heading[] = Array.from({ length: count }, (_, i) => ({ type: 'heading', depth: 2, children: [text('Café')], position: { start: { line: 1, column: 1, offset: i * 10 }, end: { line: 1, column: 1, offset: i * 10 + 6 } } }));
      const inHtml = Array.from({ length: count / 2 }, (_, i): [number, number] => [i * 20, i * 20 + 10]);
      assignHeaderIds({ type: 'root', children: headings }, { source: undefined, options: JEKYLL_KRAMDOWN, standardTexts: new WeakMap(), inHtml }, () => '');
    };
    const checks: [string, () => unknown][] = [
      ['markdownInHtml', () => markdownInHtml('<div markdown="1">\n'.repeat(MB / 19))],
      ['markdownInHtml, spaces', () => markdownInHtml(`<div${' '.repeat(MB)}x markdown="1">\n`)],
      ['parseAttributeList', () => parseAttributeList(`{:${' '.repeat(MB)}x`)],
      ['attribute list at the end', () => renderMarkdown(`Para${' '.repeat(MB)}x\n`, 'kramdown')],
      ['header id', () => renderMarkdown(`# Title${'\t'.repeat(200_000)}x\n`, 'kramdown')],
      // Typography and header ids on their own: remark itself takes seconds for 100 KB of inline HTML or escapes.
      ['quotes and symbols', () => typography(`"a' -- b... << c >> `.repeat(MB / 19))],
      ['quotes after escapes and entities', () => typography(`\\"a&quot;'\n  `.repeat(MB / 12), `\"a"'\n`.repeat(MB / 12))],
      ['« » around tags', () => kramdownTypography(paragraph(Array.from({ length: MB / 5 }, (_, i) => (i % 3 === 1 ? html('<x>') : text(i % 3 ? '>' : '<')))), undefined, JEKYLL_KRAMDOWN)],
      ['inline HTML', () => kramdownTypography(paragraph(Array.from({ length: MB / 10 }, (_, i) => (i % 2 ? text('"a"') : html(i % 4 ? '</kbd>' : '<kbd>')))), undefined, JEKYLL_KRAMDOWN)],
      ['header ids', () => headerIds(100_000)],
    ];
    for (const [name, check] of checks) {
      const took = seconds(check);
      assert.ok(took < 10, `${name} took ${took.toFixed(1)} s`);
    }
  });
});
