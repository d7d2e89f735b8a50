/**
 * Site search (#17): the index Pagefind makes of the posts and pages after every build, written as
 * the build's own files (listed in the marker), the same bytes for the same site; the theme's search
 * page and header box; `search:`; a machine without Pagefind's program; and in watch mode the index
 * that follows the rebuilds once they pause, never holding one up, and ends as a clean build's.
 * Chromium searching the built site is in search-browser.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { random } from '../bench/corpus.js';
import { build } from '../src/pipeline/build.js';
import { loadConfig, type LoadOptions } from '../src/pipeline/config.js';
import { OUTPUT_MARKER, readOutputState } from '../src/pipeline/output-marker.js';
import { createRebuilder, watchSite, type RebuildReport } from '../src/dev/watch.js';
import { indexPages } from '../src/search/pagefind.js';
import { buildInto, jekyllSite, listTree, REPO, tempDir, writeSite } from './helpers.js';

const NOW = new Date('2024-06-01T00:00:00Z');
const BIN = path.join(REPO, 'bin/recap.js');

/** A meetup's recaps that name their speakers in their bodies, a page, a draft, and the site's settings. */
function meetup(config = 'title: Harbour City Cloud Native\nurl: https://meetup.example.org\n'): Record<string, string> {
  return {
    'recap.config.yml': config,
    'posts/2024-03-12-operators.md': '---\ntitle: Operators night\ntags: [Kubernetes]\n---\nGrace Hopper showed how to write an operator. Then pizza.\n',
    'posts/2024-04-09-gitops.md': '---\ntitle: GitOps in practice\ntags: [GitOps]\nlocation: Dockside Hub\n---\nAda Lovelace walked through Flux and Argo CD.\n\n## Questions\n\nMany, about secrets.\n',
    'posts/2024-05-14-draft.md': '---\ntitle: Not yet\ndraft: true\n---\nKatherine Johnson will speak.\n',
    'pages/about.md': '---\ntitle: About\n---\nRun by volunteers since 2019; write to Margaret Hamilton.\n',
  };
}

/** What the index holds of each page (its fragment: URL, text, metadata), by URL. */
function indexedPages(outDir: string): Map<string, { content: string; meta: Record<string, string> }> {
  const pages = new Map<string, { content: string; meta: Record<string, string> }>();
  for (const file of listTree(path.join(outDir, 'pagefind/fragment'))) {
    const text = zlib.gunzipSync(fs.readFileSync(path.join(outDir, 'pagefind/fragment', file))).toString('utf8');
    // Pagefind's files start with a signature before the JSON.
    const fragment = JSON.parse(text.slice(text.indexOf('{'))) as { url: string; content: string; meta: Record<string, string> };
    pages.set(fragment.url, { content: fragment.content, meta: fragment.meta });
  }
  return pages;
}

const bytesOf = (outDir: string) => new Map(listTree(outDir).map((file) => [file, fs.readFileSync(path.join(outDir, file))]));

function assertSameFiles(actualDir: string, expectedDir: string, label: string): void {
  const actual = bytesOf(actualDir);
  const expected = bytesOf(expectedDir);
  assert.deepEqual([...actual.keys()], [...expected.keys()], `${label}: the same files`);
  for (const [file, bytes] of expected) assert.ok(actual.get(file)!.equals(bytes), `${label}: ${file} is byte for byte the clean build's`);
}

async function cleanBuild(root: string, options: LoadOptions = {}): Promise<string> {
  const outDir = path.join(tempDir(), 'public');
  const outcome = await build(loadConfig(root, { now: NOW, cache: false, ...options, outDir }));
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
  return outDir;
}

function recap(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A watch rebuilder (search left for later) over the meetup site after a save of the GitOps recap,
 * its index not yet made: what a test of a later index racing a rebuild starts from.
 */
async function afterASave(test: (site: { root: string; outDir: string; rebuilder: ReturnType<typeof createRebuilder>; file: string }) => Promise<void>): Promise<void> {
  const root = writeSite(meetup());
  const outDir = path.join(tempDir(), 'public');
  const rebuilder = createRebuilder(root, { now: NOW, outDir, cache: false, searchLater: true });
  try {
    assert.ok((await rebuilder.rebuild([])).result);
    const file = 'posts/2024-04-09-gitops.md';
    fs.appendFileSync(path.join(root, file), '\nRadia Perlman joined the panel.\n');
    assert.ok((await rebuilder.rebuild([file])).result);
    await test({ root, outDir, rebuilder, file });
  } finally {
    await rebuilder.close();
  }
}

describe('the search index', () => {
  it("holds each post and page from its article alone (body, title, tags, place), not the navigation, the lists, the 404 or search page, nor a draft that is not built", async () => {
    const out = await buildInto(writeSite(meetup()), { now: NOW });
    const pages = indexedPages(out);
    assert.deepEqual([...pages.keys()].sort(), ['/2024/03/12/operators/', '/2024/04/09/gitops/', '/about/']);
    const gitops = pages.get('/2024/04/09/gitops/')!;
    assert.equal(gitops.meta.title, 'GitOps in practice');
    for (const words of ['Ada Lovelace walked through Flux', 'GitOps.', 'Dockside Hub', 'Many, about secrets']) assert.ok(gitops.content.includes(words), `${words} in: ${gitops.content}`);
    // The header (site title, navigation, search box), the links to other recaps and the footer are not the post's text.
    for (const words of ['Harbour City Cloud Native', 'Recaps', 'Search the recaps', 'Operators night', 'Feed']) assert.ok(!gitops.content.includes(words), `${words} not in: ${gitops.content}`);
    assert.match(pages.get('/about/')!.content, /Margaret Hamilton/);
    assert.ok(![...pages.values()].some((page) => page.content.includes('Katherine Johnson')), 'the draft is not built, so not indexed');
  });

  it('holds drafts when they are built (--drafts, and serve)', async () => {
    const out = await buildInto(writeSite(meetup()), { now: NOW, drafts: true });
    assert.match(indexedPages(out).get('/2024/05/14/draft/')?.content ?? '', /Katherine Johnson/);
  });

  it("is the build's own files: listed in the marker, with the scripts and styles the search page loads, and no other interface of Pagefind's", async () => {
    const out = await buildInto(writeSite(meetup()), { now: NOW });
    const files = listTree(path.join(out, 'pagefind')).map((file) => `pagefind/${file}`);
    for (const file of ['pagefind/pagefind.js', 'pagefind/pagefind-worker.js', 'pagefind/pagefind-ui.js', 'pagefind/pagefind-ui.css', 'pagefind/pagefind-entry.json', 'pagefind/wasm.en.pagefind']) {
      assert.ok(files.includes(file), file);
    }
    assert.ok(files.some((file) => /^pagefind\/index\/en_[0-9a-f]+\.pf_index$/.test(file)));
    assert.ok(!files.some((file) => /modular-ui|component-ui|highlight|playground/.test(file)), files.join(', '));
    const state = readOutputState(out);
    assert.ok(state.kind === 'complete');
    assert.deepEqual(files.filter((file) => !state.files!.has(file)), [], 'every file of the index is in the marker');
  });

  it('is the same bytes for the same site, whatever order its files were written in', async () => {
    const files = meetup();
    const first = await cleanBuild(writeSite(files));
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    const second = await cleanBuild(writeSite(reversed));
    assertSameFiles(second, first, 'a second site with the same files');
  });

  it('is in one language, the site’s: a post in another language is found from the one search page too', async () => {
    const files = { ...meetup('title: Cloud Native Zürich\nlanguage: de-CH\n'), 'posts/2024-06-01-english.md': '---\ntitle: In English\nlanguage: en\n---\nA talk by Hedy Lamarr.\n' };
    const out = await buildInto(writeSite(files), { now: NOW });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'pagefind/pagefind-entry.json'), 'utf8')).languages.de.page_count, 4);
    assert.match(indexedPages(out).get('/2024/06/01/english/')!.content, /Hedy Lamarr/);
  });

  it("holds URLs from the site's root under a base path too (Pagefind's scripts put the folder they are served from in front), and the search page loads the bundle under it", async () => {
    const out = await buildInto(writeSite(meetup('title: Under a subfolder\nurl: https://example.org/blog/\n')), { now: NOW });
    assert.deepEqual([...indexedPages(out).keys()].sort(), ['/2024/03/12/operators/', '/2024/04/09/gitops/', '/about/']);
    const search = fs.readFileSync(path.join(out, 'search/index.html'), 'utf8');
    assert.match(search, /<script src="\/blog\/pagefind\/pagefind-ui\.js" defer><\/script>/);
    assert.match(search, /<link rel="stylesheet" href="\/blog\/pagefind\/pagefind-ui\.css">/);
    assert.match(search, /data-bundle="\/blog\/pagefind\/"/);
    assert.match(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /<form class="site-search" role="search" action="\/blog\/search\/" method="get">/);
  });
});

describe('a post whose raw HTML nests elements very deep', () => {
  it('is left out of the index with a warning naming it (Pagefind took 32 s over 200,000 levels), and the rest is indexed; many shallow tags are no such post', async () => {
    const files = {
      ...meetup(),
      'posts/2024-05-20-nested.md': `---\ntitle: Nested\n---\nKatherine Johnson.\n\n${'<div>'.repeat(200_000)}deep${'</div>'.repeat(200_000)}\n`,
      'posts/2024-05-21-wide.md': `---\ntitle: Wide\n---\nDorothy Vaughan.\n\n<p>${'<span>a</span> '.repeat(2_000)}</p>\n`,
    };
    const root = writeSite(files);
    const started = Date.now();
    const outcome = await build(loadConfig(root, { now: NOW, cache: false, outDir: path.join(tempDir(), 'public') }));
    assert.ok(Date.now() - started < 20_000, 'in seconds');
    assert.ok(outcome.ok);
    assert.deepEqual(
      outcome.result.warnings.filter((warning) => warning.startsWith('search:')),
      ['search: posts/2024-05-20-nested.md is left out of the search index: its HTML nests elements more than 512 deep, which Pagefind would take minutes over; close the elements its raw HTML opens'],
    );
    const pages = indexedPages(outcome.result.outDir);
    assert.ok(!pages.has('/2024/05/20/nested/'));
    assert.match(pages.get('/2024/05/21/wide/')!.content, /Dorothy Vaughan/);
    assert.match(pages.get('/2024/03/12/operators/')!.content, /Grace Hopper/);
  });
});

describe('the search page and the header box', () => {
  it('are in every page of the theme but the search page itself, which is not for search engines nor in the sitemap', async () => {
    const out = await buildInto(writeSite(meetup()), { now: NOW });
    for (const page of ['index.html', '2024/03/12/operators/index.html', 'about/index.html', 'tags/index.html', '404.html']) {
      assert.match(fs.readFileSync(path.join(out, page), 'utf8'), /<input type="search" name="q" aria-label="Search the recaps" placeholder="Search the recaps" enterkeyhint="search">/, page);
    }
    const search = fs.readFileSync(path.join(out, 'search/index.html'), 'utf8');
    assert.doesNotMatch(search, /class="site-search"/);
    assert.match(search, /<meta name="robots" content="noindex">/);
    assert.match(search, /<title>Search · Harbour City Cloud Native<\/title>/);
    // No inline script: the page works under script-src 'self'.
    assert.doesNotMatch(search, /<script(?![^>]*\bsrc=)(?![^>]*type="application\/ld\+json")[^>]*>/);
    assert.ok(fs.existsSync(path.join(out, 'assets/search.js')));
    assert.doesNotMatch(fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8'), /search/);
  });

  it('speak the page’s language', async () => {
    const out = await buildInto(writeSite(meetup('title: Rencontres\nlanguage: fr\n')), { now: NOW });
    assert.match(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /aria-label="Rechercher dans les comptes rendus"/);
    assert.match(fs.readFileSync(path.join(out, 'search/index.html'), 'utf8'), /<h1 class="page-title">Recherche<\/h1>/);
  });

  // A file of the site's own in pagefind/, and a search: that is no boolean: fixtures-invalid/search-folder-taken, search-not-boolean.
  it("give way to a page or file of the site's own at /search/, and the box sends its query there", async () => {
    for (const [file, text] of [
      ['pages/search.md', '---\ntitle: Find a talk\npermalink: /search/\n---\nOur own search.\n'],
      ['static/search/index.html', '<!DOCTYPE html><title>Find a talk</title><p>Our own search.</p>\n'],
    ]) {
      const own = await buildInto(writeSite({ ...meetup(), [file]: text }), { now: NOW });
      assert.match(fs.readFileSync(path.join(own, 'search/index.html'), 'utf8'), /Our own search\./, file);
      assert.match(fs.readFileSync(path.join(own, 'index.html'), 'utf8'), /action="\/search\/"/, file);
      assert.ok(!fs.existsSync(path.join(own, 'assets/search.js')), `${file}: no script for a page the theme does not make`);
    }
  });

  it('are not made with search: false: nor the index, nor the script, nor the attributes', async () => {
    const out = await buildInto(writeSite(meetup('title: No search\nsearch: false\n')), { now: NOW });
    assert.deepEqual(listTree(out).filter((file) => /pagefind|search/.test(file)), []);
    assert.doesNotMatch(fs.readFileSync(path.join(out, '2024/03/12/operators/index.html'), 'utf8'), /site-search|data-pagefind/);
  });

  it("are not a Jekyll site's in its own layouts; search: true in recap.config.yml gives it the index of its posts and pages", async () => {
    const files = {
      '_layouts/default.html': '<!DOCTYPE html><html lang="en"><body><nav>Home</nav><main data-pagefind-body>{{ content }}</main></body></html>\n',
      '_posts/2024-03-12-operators.md': '---\nlayout: default\ntitle: Operators\n---\nGrace Hopper spoke.\n',
      'about.md': '---\nlayout: default\ntitle: About\n---\nVolunteers.\n',
    };
    const plain = await buildInto(jekyllSite('title: Jekyll meetup\n', files), { now: NOW });
    assert.deepEqual(listTree(plain).filter((file) => /pagefind|search/.test(file)), []);
    const searched = await buildInto(jekyllSite('title: Jekyll meetup\n', { ...files, 'recap.config.yml': 'search: true\n' }), { now: NOW });
    assert.deepEqual([...indexedPages(searched).keys()].sort(), ['/2024/03/12/operators.html', '/about.html']);
    assert.ok(!fs.existsSync(path.join(searched, 'search/index.html')), 'its layouts have their own search page, or none');
  });
});

describe("a machine without Pagefind's program", () => {
  it('builds the site without search, with one warning that says what to do, and no stack trace', () => {
    const root = writeSite(meetup());
    const out = path.join(tempDir(), 'public');
    const result = recap(['build', '--root', root, '--out', out], { PAGEFIND_EXTENDED_BINARY_PATH: path.join(tempDir(), 'no-such-program') });
    assert.equal(result.code, 0, result.stderr);
    const warnings = result.stderr.split('\n').filter((line) => line.includes('Pagefind'));
    assert.deepEqual(warnings, [
      `warning search: Pagefind's program for this machine (@pagefind/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}) is not installed, so the site was built without search; run npm install (without --omit=optional), or set "search: false" in recap.config.yml`,
    ]);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(listTree(out).filter((file) => /pagefind|search/.test(file)), []);
    assert.doesNotMatch(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /site-search/);
  });
});

/** A stand-in for Pagefind's program, a shell script that misbehaves as `body` says. */
function fakeProgram(body: string, mode = 0o755): string {
  const file = path.join(tempDir(), 'pagefind_extended');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode });
  return file;
}

describe("Pagefind's program failing", () => {
  const failures: [string, string, RegExp][] = [
    ['stops at once', 'echo "pagefind: out of luck" >&2; exit 3', /Pagefind's program stopped \(exit code 3\): pagefind: out of luck/],
    ['stops after reading a little', 'head -c 5 >/dev/null; exit 3', /Pagefind's program stopped \(exit code 3\)/],
    ['answers garbage', "echo 'xx!!notbase64,'; cat >/dev/null", /Pagefind's program answered with something unreadable/],
  ];
  for (const [what, body, message] of failures) {
    it(`that ${what}: the build fails with one line naming it, no stack trace, in seconds, and the last output is untouched`, () => {
      const root = writeSite(meetup());
      const out = path.join(tempDir(), 'public');
      assert.equal(recap(['build', '--root', root, '--out', out]).code, 0);
      const before = bytesOf(out);
      fs.appendFileSync(path.join(root, 'posts/2024-03-12-operators.md'), '\nBarbara Liskov asked about substitution.\n');
      const started = Date.now();
      const result = recap(['build', '--root', root, '--out', out], { PAGEFIND_EXTENDED_BINARY_PATH: fakeProgram(body) });
      assert.ok(Date.now() - started < 20_000, 'ends in seconds');
      assert.equal(result.code, 1, result.stderr);
      const errors = result.stderr.split('\n').filter((line) => line.startsWith('error '));
      assert.equal(errors.length, 1, result.stderr);
      assert.match(errors[0], /^error pagefind\/: could not be made: /);
      assert.match(errors[0], message);
      assert.doesNotMatch(result.stderr, /\n\s+at |Service stopped/);
      const after = bytesOf(out);
      assert.deepEqual([...after.keys()], [...before.keys()]);
      for (const [file, bytes] of before) assert.ok(after.get(file)!.equals(bytes), `${file} untouched`);
    });
  }

  it('that is not executable: the build fails with one line that says so', () => {
    const root = writeSite(meetup());
    const result = recap(['build', '--root', root, '--out', path.join(tempDir(), 'public')], { PAGEFIND_EXTENDED_BINARY_PATH: fakeProgram('exit 0', 0o644) });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^error pagefind\/: could not be made: could not start Pagefind's program .*: it is not executable \(EACCES\)/m);
    assert.doesNotMatch(result.stderr, /\n\s+at |Service stopped/);
  });

  it('that hangs: it is stopped once silent for the time limit, and the index fails rather than waits for ever', async () => {
    const started = Date.now();
    await assert.rejects(indexPages([{ url: '/a/', html: '<html><body><p>Grace Hopper</p></body></html>' }], 'en', { binary: fakeProgram('exec sleep 1000'), stallMs: 500 }), /Pagefind's program did not answer for 0\.5 s, so it was stopped/);
    assert.ok(Date.now() - started < 20_000);
  });
});

describe('a new build over the last output, with the cache', () => {
  it('keeps the index as it is when no indexed page changed, makes it again when one did or a file of it was edited, and equals a clean build', async () => {
    const root = writeSite(meetup());
    const warm = async () => {
      const outcome = await build(loadConfig(root, { now: NOW }));
      assert.ok(outcome.ok);
      return outcome.result;
    };
    await warm();
    const outDir = path.join(root, 'public');
    const index = () => new Map(listTree(path.join(outDir, 'pagefind')).map((file) => [file, fs.statSync(path.join(outDir, 'pagefind', file)).ino]));
    const before = index();
    // A new file of the site's: no indexed page changes.
    fs.mkdirSync(path.join(root, 'static'), { recursive: true });
    fs.writeFileSync(path.join(root, 'static/note.txt'), 'hello\n');
    const unchanged = await warm();
    assert.deepEqual(index(), before, 'not one file of the index written again');
    assert.deepEqual(unchanged.written.filter((file) => file.startsWith('pagefind/')), []);
    fs.appendFileSync(path.join(root, 'posts/2024-03-12-operators.md'), '\nBarbara Liskov asked about substitution.\n');
    const changed = await warm();
    assert.ok(changed.written.some((file) => file.startsWith('pagefind/fragment/')));
    assert.match(indexedPages(outDir).get('/2024/03/12/operators/')!.content, /Barbara Liskov/);
    assertSameFiles(outDir, await cleanBuild(root), 'after the change');
    // A file of the index edited since: the index is made again, and the file written whole.
    fs.writeFileSync(path.join(outDir, 'pagefind/pagefind-entry.json'), '{}');
    await warm();
    assertSameFiles(outDir, await cleanBuild(root), 'after an edit of the index by hand');
  });
});

describe('a new recap over an output the last one indexed', () => {
  it("makes the index again, though no page changed: the index is a clean build's, not the old recap's", () => {
    // A copy of recap whose search step indexes pages of any depth (as recap did before it left deep ones out), then recap itself.
    const older = tempDir();
    for (const part of ['bin', 'dist/src', 'templates', 'package.json']) fs.cpSync(path.join(REPO, part), path.join(older, part), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(older, 'node_modules'));
    const indexJs = path.join(older, 'dist/src/search/index.js');
    fs.writeFileSync(indexJs, fs.readFileSync(indexJs, 'utf8').replace('MAX_INDEXED_DEPTH = 512', 'MAX_INDEXED_DEPTH = 100000'));
    const root = writeSite({ ...meetup(), 'posts/2024-05-20-nested.md': `---\ntitle: Nested\n---\nKatherine Johnson.\n\n${'<div>'.repeat(1_000)}deep${'</div>'.repeat(1_000)}\n` });
    const run = (bin: string) => spawnSync(process.execPath, [bin, 'build', '--root', root], { encoding: 'utf8' });
    assert.equal(run(path.join(older, 'bin/recap.js')).status, 0);
    const out = path.join(root, 'public');
    assert.ok(indexedPages(out).has('/2024/05/20/nested/'), 'the older recap indexed it');
    const upgraded = run(BIN);
    assert.equal(upgraded.status, 0, upgraded.stderr);
    assert.ok(!indexedPages(out).has('/2024/05/20/nested/'), 'the new recap left it out');
    assert.match(upgraded.stderr, /posts\/2024-05-20-nested\.md is left out of the search index/);
  });
});

describe('build --check', () => {
  it("knows every file the build wrote: the search index, and photos' resized copies", async () => {
    const root = writeSite(meetup());
    const sharp = (await import('sharp')).default;
    fs.mkdirSync(path.join(root, 'static'));
    await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 40, g: 120, b: 90 } } }).jpeg().toFile(path.join(root, 'static/room.jpg'));
    fs.appendFileSync(path.join(root, 'posts/2024-03-12-operators.md'), '\n![The room](/room.jpg)\n');
    const result = recap(['build', '--check', '--root', root, '--out', path.join(tempDir(), 'public')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Checked links: nothing broken\./);
  });
});

describe('watch mode', () => {
  it('writes a saved post’s page at once, leaving the index; the index follows as one more update, and the output equals a clean build', async () => {
    const root = writeSite(meetup());
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { now: NOW, outDir, cache: false, searchLater: true });
    try {
      assert.ok((await rebuilder.rebuild([])).result);
      assertSameFiles(outDir, await cleanBuild(root), 'the first build makes its index at once');
      assert.equal(await rebuilder.updateSearch(), undefined, 'nothing to do: the index is current');
      const file = 'posts/2024-03-12-operators.md';
      fs.appendFileSync(path.join(root, file), '\nBarbara Liskov asked about substitution.\n');
      const saved = await rebuilder.rebuild([file]);
      assert.deepEqual(saved.result!.written.filter((f) => f.startsWith('pagefind/')), [], 'the rebuild leaves the index');
      assert.match(fs.readFileSync(path.join(outDir, '2024/03/12/operators/index.html'), 'utf8'), /Barbara Liskov/);
      assert.doesNotMatch(indexedPages(outDir).get('/2024/03/12/operators/')!.content, /Barbara Liskov/);
      assert.equal(readOutputState(outDir, false).kind, 'complete', 'the output is whole meanwhile');
      const indexed = await rebuilder.updateSearch();
      assert.equal(indexed?.search, true);
      assert.ok(indexed.result!.written.some((f) => f.startsWith('pagefind/fragment/')));
      assert.ok(indexed.result!.removed.some((f) => f.startsWith('pagefind/fragment/')), 'the old fragment goes');
      assertSameFiles(outDir, await cleanBuild(root), 'once the index followed');
      // The next rebuild continues from the index's update (its marker id), in place.
      fs.appendFileSync(path.join(root, file), '\nAnd about types.\n');
      assert.ok((await rebuilder.rebuild([file])).result);
      await rebuilder.updateSearch();
      assertSameFiles(outDir, await cleanBuild(root), 'after a second save');
    } finally {
      await rebuilder.close();
    }
  });

  it('drops an index being made when a rebuild begins: nothing of it is written, and the next one is right', async () => {
    await afterASave(async ({ root, outDir, rebuilder, file }) => {
      // The index starts, then a save arrives and its rebuild begins before the index is written.
      const indexing = rebuilder.updateSearch();
      fs.appendFileSync(path.join(root, file), '\nFrances Allen too.\n');
      const rebuilt = rebuilder.rebuild([file]);
      assert.equal(await indexing, undefined, 'dropped');
      assert.ok((await rebuilt).result);
      assert.doesNotMatch(indexedPages(outDir).get('/2024/04/09/gitops/')!.content, /Radia Perlman/, 'nothing of the dropped index was written');
      assert.equal((await rebuilder.updateSearch())?.search, true);
      assertSameFiles(outDir, await cleanBuild(root), 'after the next pause');
    });
  });

  it('drops an index being made, with no failure, when a post is deleted and its rebuild begins meanwhile', async () => {
    await afterASave(async ({ root, outDir, rebuilder, file }) => {
      // The index starts reading the output's pages; the post is deleted and its rebuild begins, its page gone first.
      // (Whether the index's read of that page comes before or after it is gone is the thread pool's; either way it is dropped quietly.)
      const indexing = rebuilder.updateSearch();
      fs.rmSync(path.join(root, file));
      fs.rmSync(path.join(outDir, '2024/04/09/gitops/index.html'));
      const rebuilt = rebuilder.rebuild([file]);
      assert.equal(await indexing, undefined, 'dropped, not reported as a failed build');
      assert.ok((await rebuilt).result, 'the rebuild is one over the last output, as before');
      assert.equal((await rebuilder.updateSearch())?.search, true);
      assertSameFiles(outDir, await cleanBuild(root), 'after the next pause');
    });
  });

  it('after any sequence of saves, the index followed, equals a clean build (random edits)', async () => {
    const seed = Number(process.env.SEED ?? 20260517);
    const rand = random(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
    const root = writeSite(meetup());
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { now: NOW, outDir, cache: false, searchLater: true });
    const speakers = ['Grace Hopper', 'Ada Lovelace', 'Alan Kay', 'Edsger Dijkstra', 'Donald Knuth'];
    try {
      assert.ok((await rebuilder.rebuild([])).result);
      for (let step = 1; step <= 12; step++) {
        const saved: string[] = [];
        // One to three saves, each rebuilt; the index follows only sometimes between them.
        for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
          const file = `posts/2024-0${1 + Math.floor(rand() * 5)}-1${Math.floor(rand() * 5)}-talk.md`;
          if (rand() < 0.2 && fs.existsSync(path.join(root, file))) fs.rmSync(path.join(root, file));
          else fs.writeFileSync(path.join(root, file), `---\ntitle: Talk ${step}\ntags: [${pick(['Kubernetes', 'GitOps', 'Rust'])}]\n---\n${pick(speakers)} spoke at step ${step}.\n`);
          saved.push(file);
          const report = await rebuilder.rebuild([file]);
          assert.ok(report.result, `seed ${seed}, step ${step}: ${report.errors?.map((e) => e.format()).join('; ')}`);
          if (rand() < 0.3) await rebuilder.updateSearch();
        }
        await rebuilder.updateSearch();
        assertSameFiles(outDir, await cleanBuild(root), `seed ${seed}, step ${step} (${saved.join(', ')})`);
      }
    } finally {
      await rebuilder.close();
    }
  });

  it('with a real file watcher: the index has a report of its own once saves pause, and the output ends as a clean build', async () => {
    const root = writeSite(meetup());
    const outDir = path.join(tempDir(), 'public');
    const reports: RebuildReport[] = [];
    const watcher = watchSite(root, { now: NOW, outDir, cache: false }, (report) => reports.push(report));
    try {
      await watcher.ready;
      const file = path.join(root, 'posts/2024-03-12-operators.md');
      for (let i = 0; i < 3; i++) {
        fs.appendFileSync(file, `\nSave ${i}: Barbara Liskov.\n`);
        await sleep(30);
      }
      // Settled: the last report is the index's, and nothing came after it for a while.
      for (let seen = -1, i = 0; i < 100 && (seen !== reports.length || !reports.at(-1)?.search); i++) {
        seen = reports.length;
        await sleep(500);
      }
      const kinds = reports.map((r) => (r.search ? 'index' : 'rebuild'));
      assert.equal(kinds.at(-1), 'index', kinds.join(', '));
      assert.ok(kinds.filter((kind) => kind === 'index').length < kinds.length / 2, `the index follows pauses, not every rebuild: ${kinds.join(', ')}`);
      assertSameFiles(outDir, await cleanBuild(root), 'settled');
      assert.ok(reports.every((r) => !r.errors));
      assert.ok(fs.readFileSync(path.join(outDir, OUTPUT_MARKER), 'utf8').includes('"pagefind/pagefind.js"'));
    } finally {
      await watcher.close();
    }
  });
});
