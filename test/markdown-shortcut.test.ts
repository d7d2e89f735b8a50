/**
 * recap parses a post's markdown without GFM's autolink literals unless its text may hold a bare
 * URL or e-mail address (render.ts, parseCommonmark): half of the parse time of a typical recap.
 * These tests prove the shortcut changes nothing: the HTML (and first paragraph) is byte for byte
 * the full GFM parse's, on every fixture, on all three benchmark corpora, and on generated
 * markdown built from the characters either parse could read differently.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { corpusPost, random, CORPUS_SHAPES, type CorpusShape } from '../bench/corpus.js';
import { bareUrlParse, renderCommonmarkFully, renderMarkdown } from '../src/markdown/render.js';
import { REPO as repoRoot } from './helpers.js';

function assertSame(markdown: string, label: string): void {
  for (const basePath of ['/', '/blog/']) {
    const quick = renderMarkdown(markdown, 'commonmark', basePath);
    const full = renderCommonmarkFully(markdown, basePath);
    assert.deepEqual(quick, full, `${label} (base ${basePath}) renders differently with the shortcut:\n${markdown}`);
  }
}

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile() && /\.(md|markdown)$/.test(entry.name)).map((entry) => path.join(entry.parentPath, entry.name));
}

const bodyOf = (text: string) => text.replace(/^---\n[\s\S]*?\n---\n/, '');

/**
 * Pieces around which the two parses could part: each start of a literal (`http://`, `www.`,
 * `@`, `mailto:`, `xmpp:`) in every case, split by emphasis, escapes, references, code, HTML and
 * links, next to the other GFM constructs (tables, footnotes, strikethrough, task lists).
 */
const PIECES = [
  'http://', 'https://', 'HTTP://', 'hTtPs://', 'www.', 'WWW.', 'wWw.', '@', 'a@', 'mailto:', 'xmpp:', 'x.com', 'example.org', '.co', '/path', '?q=1', '#frag',
  '_', '*', '**', '~', '~~', '`', '``', '\\', '&#64;', '&#x77;', '&amp;', '&lt;', '[', ']', '(', ')', '![', '](', '<', '>', '<b>', '</b>', '<http://a.b>', '<a@b.co>',
  ' ', ' ', ' ', '\n', '\n\n', '- ', '1. ', '> ', '# ', '| a | b |\n|---|---|\n', '[^1]', '\n\n[^1]: note ', '[ ] ', '[x] ', '    ', '```\n', 'h', 't', 'p', 's', 'w', ':', '/', '.', '-', '+', 'word', 'Ünï', '東京',
];

function generated(rand: () => number): string {
  const length = 1 + Math.floor(rand() * 40);
  return Array.from({ length }, () => PIECES[Math.floor(rand() * PIECES.length)]).join('');
}

/** Bare addresses as recap authors write them, and near misses. */
const WRITTEN = [
  'Slides at https://example.org/deck and www.example.org/talks.',
  'Mail us: organisers@meetup.example, or mailto:team@meetup.example.',
  'Thanks @kubernetes and @cncf for the pizza!',
  '_foo_@bar.com and *h*ttp://x.com and www\\.x.com and &#x77;ww.x.com and ht<b>tp</b>://x.com',
  '`https://in.code/` and <span title="https://in.html/">x</span> and [www.x.com](/y) and ![https://alt.example](/a.png)',
  '[ref]: https://example.org/ref\n\nSee [ref] and [www.label.example][ref].',
  '| site | link |\n|---|---|\n| a | https://example.org |\n\n- [ ] www.task.example\n- [x] done~~ok~~\n\nNote[^n].\n\n[^n]: https://foot.example',
  'xmpp:room@muc.example/x and user.name+tag@sub.example.co.uk.',
  'see https://example.com\u00a0and more, https://a.b\u00a0www.c.d and mail@x.co\u3000next',
];

describe('the autolink-literal shortcut', () => {
  it('renders every fixture and example post exactly as the full GFM parse', () => {
    // Not the pathological fixtures: they take each parse seconds, by design (markdown-budget.test.ts).
    const files = [...markdownFiles(path.join(repoRoot, 'test')), ...markdownFiles(path.join(repoRoot, 'posts')), ...markdownFiles(path.join(repoRoot, 'pages'))].filter((file) => !file.includes('pathological'));
    assert.ok(files.length > 50, `expected the fixtures' markdown files, found ${files.length}`);
    for (const file of files) assertSame(bodyOf(fs.readFileSync(file, 'utf8')), path.relative(repoRoot, file));
  });

  it('renders every benchmark corpus exactly as the full GFM parse', () => {
    for (const shape of Object.keys(CORPUS_SHAPES) as CorpusShape[]) {
      const rand = random(13);
      for (let i = 0; i < 50; i++) assertSame(bodyOf(corpusPost(i, rand, shape).text), `${shape} corpus post ${i}`);
    }
  });

  it('renders bare addresses as written and near misses exactly as the full GFM parse', () => {
    for (const markdown of WRITTEN) assertSame(markdown, 'written');
    // The shortcut is taken, and a bare URL is still linked.
    assert.match(renderMarkdown('Deck: https://example.org/deck').html, /<a href="https:\/\/example.org\/deck">/);
    assert.equal(renderMarkdown('Thanks [Ana](https://example.org/ana).').html, '<p>Thanks <a href="https://example.org/ana">Ana</a>.</p>\n');
  });

  it('renders 1,500 generated documents exactly as the full GFM parse', () => {
    const rand = random(2026);
    for (let i = 0; i < 1500; i++) assertSame(generated(rand), `generated document ${i}`);
  });

  it('renders 1,200 documents of bare URL and e-mail words, in every context, exactly as the full GFM parse', () => {
    const rand = random(1312);
    let transformOnly = 0;
    for (let i = 0; i < 1200; i++) {
      const markdown = urlDocument(rand);
      if (bareUrlParse(markdown) === 'transform') transformOnly++;
      assertSame(markdown, `URL document ${i}`);
    }
    // Both kinds are exercised: documents parsed by the tree transform alone, and ones that need micromark's tokens.
    assert.ok(transformOnly > 300 && transformOnly < 1100, `${transformOnly} of 1,200 documents had only plain bare-URL words`);
  });

  it('renders 1,200 documents of URLs in links, images, tags, code and definitions, and near misses, exactly as the full GFM parse', () => {
    const rand = random(4242);
    const parses = { none: 0, transform: 0, both: 0 };
    for (let i = 0; i < 1200; i++) {
      const markdown = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, WRAPPERS)(urlWord(rand, rand() < 0.5))).join(pick(rand, ['\n', '\n\n', ' ', '']));
      parses[bareUrlParse(markdown)]++;
      assertSame(markdown, `wrapped URL document ${i}`);
    }
    assert.ok(parses.transform > 120 && parses.both > 120, `each way is exercised: ${JSON.stringify(parses)}`);
  });
});

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)];

/** Words of the plain shape (render.ts, plainUrlWord) as authors write them (`good`), or near it and just outside. */
function urlWord(rand: () => number, good: boolean): string {
  const labels = good ? ['a', 'x1', 'ex-ample', 'meetup', 'W', 'b2b'] : ['a', 'x1', 'ex-ample', '-', '1', 'b-', 'W', 'Ü', '_u', ''];
  const ends = good ? ['.co', '.org', '.io'] : ['.co', '.org', '.c0', '.x-', '', '.'];
  const domain = () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, labels)).join('.') + pick(rand, ends);
  if (rand() < 0.3) {
    const local = pick(rand, good ? ['a', 'a.b', 'a+b', 'x-y', 'team2'] : ['a', '-x', 'x.', '1', 'www.a', 'a_b', 'mailto:a', '']);
    return `${local}@${domain()}${pick(rand, good ? ['', '.'] : ['', '.', ',', '/x', '@b.co'])}`;
  }
  const start = pick(rand, good ? ['http://', 'https://', 'HTTPS://', 'www.', 'WWW.', 'https://www.'] : ['http://', 'https://', 'www.', 'http://www.', 'xmpp:', 'ftp://', '']);
  const plainTails = ['', '/', '/p/q', '?a=1', '#f', ':80/x', '.', ',', ';', ':', '..', '/a.b', '%20', '+', '=', '/-', '/x,y', '/p?q=1#f'];
  const tails = good ? plainTails : [...plainTails, '?a=1&b=2', '/www.x', '/a@b', "/it's", '/x_y', '/(x)', '/*x*', '/~x', '/[x]'];
  return `${start}${domain()}${pick(rand, tails)}${rand() < 0.2 ? pick(rand, tails) : ''}`;
}

/** A few lines, each a URL word in some context: lists, quotes, headings, tables, emphasis, links, code, HTML. */
function urlDocument(rand: () => number): string {
  const before = ['', ' ', 'See ', '- ', '> ', '# ', '| a | ', '1. ', '\t'];
  const after = ['', ' ', '.', ',', '?', ';', ':', ' and more', ' |\n|---|---|'];
  const nearBefore = [...before, '*', '_', '(', '"', '[', '`', '<', '**', '~', 'x', '1', ':', '/', '.', '\\'];
  const nearAfter = [...after, '\u00a0and more', '\u3000', '\u2003x', '\f', '\ufeff', '!', ')', '*', '_', '"', '](/x)', '>', '`', '**', '~', '&amp;'];
  return Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
    const good = rand() < 0.8;
    return `${pick(rand, good ? before : nearBefore)}${urlWord(rand, good)}${pick(rand, good ? after : nearAfter)}`;
  }).join(pick(rand, ['\n', '\n\n', ' ']));
}

/** URL words inside other constructs (where micromark reads no literal) and in near misses of them (where it does). */
const WRAPPERS: ((word: string) => string)[] = [
  (w) => `[text](${w})`,
  (w) => `[${w}](/x)`,
  (w) => `[x](${w} "see ${w}")`,
  (w) => `![alt](${w})`,
  (w) => `![${w}](/a.png)`,
  (w) => `<a href="${w}">x</a>`,
  (w) => `<span title="${w}">`,
  (w) => `<span title="${w}"`,
  (w) => `\`${w}\``,
  (w) => `\`\`${w}\``,
  (w) => `<${w}>`,
  (w) => `[r]: ${w}\n\n[x][r]`,
  (w) => `x](${w})`,
  (w) => `[${w}][r]`,
  (w) => `<!-- ${w} -->`,
  (w) => `    ${w}`,
  (w) => `\`\`\`\n${w}\n\`\`\``,
  (w) => `<div>\n${w}\n</div>`,
  (w) => `*${w}*`,
  (w) => `${w}`,
  (w) => `a${w}`,
  (w) => `[a](/b)${w}`,
];
