import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeCorpus } from '../bench/corpus.js';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { listTree, tempDir } from './helpers.js';

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(listTree(dir).map((file) => [file, fs.readFileSync(path.join(dir, file))]));
}

function assertSame(a: Map<string, Buffer>, b: Map<string, Buffer>, label: string): void {
  assert.deepEqual([...a.keys()], [...b.keys()], `${label}: the same files`);
  for (const [file, bytes] of a) assert.ok(bytes.equals(b.get(file)!), `${label}: ${file} is byte-identical`);
}

async function buildWith(root: string, options: { threads: number; cache: boolean }) {
  const outDir = path.join(tempDir(), 'public');
  const outcome = await build(loadConfig(root, { outDir, now: new Date('2030-01-01'), threads: options.threads, cache: options.cache }));
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
  return snapshot(outDir);
}

const cacheFile = (root: string) => path.join(root, '.recap-cache/bodies.json');
const entries = (root: string) => Object.keys((JSON.parse(fs.readFileSync(cacheFile(root), 'utf8')) as { entries: object }).entries).length;

describe('the body cache and worker threads', () => {
  it('give byte-identical output: cold, warm, one thread, two threads', async () => {
    const root = tempDir();
    writeCorpus(root, 120);
    const reference = await buildWith(root, { threads: 1, cache: false });
    assertSame(await buildWith(root, { threads: 2, cache: true }), reference, 'cold, two threads');
    assert.equal(entries(root), 120, 'every body cached');
    assertSame(await buildWith(root, { threads: 2, cache: true }), reference, 'warm, two threads');
    assertSame(await buildWith(root, { threads: 1, cache: true }), reference, 'warm, one thread');
  });

  it('ignores and rewrites a corrupt or foreign cache file, never serving a stale entry', async () => {
    const root = tempDir();
    writeCorpus(root, 20);
    const reference = await buildWith(root, { threads: 1, cache: false });
    await buildWith(root, { threads: 1, cache: true });
    const good = fs.readFileSync(cacheFile(root), 'utf8');
    fs.writeFileSync(cacheFile(root), good.slice(0, good.length / 2));
    assertSame(await buildWith(root, { threads: 1, cache: true }), reference, 'truncated cache');
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(cacheFile(root), 'utf8')), 'rewritten whole');
    // Entries written by another markdown pipeline (another recap version) are not used.
    const foreign = JSON.parse(fs.readFileSync(cacheFile(root), 'utf8')) as { pipeline: string; entries: Record<string, { main: { html: string } }> };
    foreign.pipeline = 'another version';
    for (const entry of Object.values(foreign.entries)) entry.main.html = '<p>stale</p>';
    fs.writeFileSync(cacheFile(root), JSON.stringify(foreign));
    assertSame(await buildWith(root, { threads: 1, cache: true }), reference, 'foreign cache');
  });

  it('never reuses an output file edited by hand, nor a static file replaced with the same size and time', async () => {
    const root = tempDir();
    writeCorpus(root, 10);
    fs.mkdirSync(path.join(root, 'static'));
    fs.writeFileSync(path.join(root, 'static/a.txt'), 'AAAA');
    const outDir = path.join(root, 'public');
    const rebuild = async () => {
      const outcome = await build(loadConfig(root, { outDir, now: new Date('2030-01-01'), threads: 1 }));
      assert.ok(outcome.ok);
    };
    await rebuild();
    const page = listTree(outDir).find((f) => f.endsWith('/index.html') && /^20\d\d\//.test(f))!;
    fs.appendFileSync(path.join(outDir, page), 'HAND EDIT');
    const stamp = fs.statSync(path.join(root, 'static/a.txt'));
    fs.writeFileSync(path.join(root, 'static/a.txt'), 'BBBB');
    fs.utimesSync(path.join(root, 'static/a.txt'), stamp.atime, stamp.mtime);
    await rebuild();
    assert.doesNotMatch(fs.readFileSync(path.join(outDir, page), 'utf8'), /HAND EDIT/);
    assert.equal(fs.readFileSync(path.join(outDir, 'a.txt'), 'utf8'), 'BBBB');
    const clean = path.join(tempDir(), 'public');
    await build(loadConfig(root, { outDir: clean, now: new Date('2030-01-01'), cache: false, threads: 1 }));
    assertSame(snapshot(outDir), snapshot(clean), 'as a clean build');
  });

  it('serves a post edited between two cached builds from its new text, as a --no-cache build does', async () => {
    const root = tempDir();
    writeCorpus(root, 12);
    await buildWith(root, { threads: 1, cache: true });
    const posts = path.join(root, 'posts');
    const [first, second] = fs.readdirSync(posts).sort();
    // Same path, same size, new text: a cache keyed by path (or by size) would serve the old body.
    const text = fs.readFileSync(path.join(posts, first), 'utf8');
    const lines = text.trimEnd().split('\n');
    lines[lines.length - 1] = lines[lines.length - 1].split('').reverse().join('');
    fs.writeFileSync(path.join(posts, first), lines.join('\n') + text.slice(text.trimEnd().length));
    fs.appendFileSync(path.join(posts, second), '\nA sentence added between the builds.\n');
    const cached = await buildWith(root, { threads: 1, cache: true });
    assertSame(cached, await buildWith(root, { threads: 1, cache: false }), 'cached build after edits');
    assert.ok([...cached.values()].some((bytes) => bytes.includes('A sentence added between the builds.')), 'the edit is in the output');
  });

  it('keeps only what the last build used', async () => {
    const root = tempDir();
    writeCorpus(root, 30);
    await buildWith(root, { threads: 1, cache: true });
    const posts = path.join(root, 'posts');
    for (const file of fs.readdirSync(posts).slice(0, 10)) fs.rmSync(path.join(posts, file));
    fs.appendFileSync(path.join(posts, fs.readdirSync(posts)[0]), '\nEdited.\n');
    await buildWith(root, { threads: 1, cache: true });
    assert.equal(entries(root), 20);
  });
});
