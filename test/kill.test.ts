import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { random, writeCorpus } from '../bench/corpus.js';
import { createRebuilder } from '../src/dev/watch.js';
import { DEFAULT_THEME_DIR } from '../src/pipeline/config.js';
import { OUTPUT_MARKER, outputBuildId, readOutputState } from '../src/pipeline/output-marker.js';
import { recoverOutput } from '../src/pipeline/write.js';
import { TEMPORARY_FILE } from '../src/pipeline/write-in-place.js';
import { listTree, REPO, tempDir } from './helpers.js';

function snapshot(dir: string): string {
  return listTree(dir)
    .map((file) => `${file}\n${fs.readFileSync(path.join(dir, file), 'utf8')}`)
    .join('\n\0\n');
}

/** A build without the body cache, so that every build does the whole work and can be killed in any stage. */
function recap(args: string[]) {
  return spawn(process.execPath, [path.join(REPO, 'bin/recap.js'), ...args, '--no-cache'], { stdio: 'ignore' });
}

const exited = (child: ReturnType<typeof spawn>) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/** The output folder is a gh-pages worktree: its .git is carried into every new output, whenever the build is killed. */
function addGit(out: string): void {
  fs.mkdirSync(path.join(out, '.git/objects/ab'), { recursive: true });
  fs.writeFileSync(path.join(out, '.git/HEAD'), 'ref: refs/heads/gh-pages\n');
  fs.writeFileSync(path.join(out, '.git/objects/ab/cdef'), 'history');
}

describe('a build killed at any moment', () => {
  it('leaves the previous output or the new one, complete, never a mix, and never loses a kept .git', async () => {
    const seed = Number(process.env.SEED ?? 7);
    const kills = Number(process.env.KILLS ?? 5);
    const rand = random(seed);
    const root = tempDir();
    writeCorpus(root, 250);
    const out = path.join(root, 'public');

    // The previous output (A), then the site changes, and what a build of it writes (B).
    let child = recap(['build', '--root', root]);
    await exited(child);
    addGit(out);
    const previous = snapshot(out);
    const backup = path.join(tempDir(), 'previous');
    fs.cpSync(out, backup, { recursive: true });
    const posts = path.join(root, 'posts');
    for (const file of fs.readdirSync(posts).slice(0, 40)) fs.appendFileSync(path.join(posts, file), '\nAn added line.\n');
    fs.rmSync(path.join(posts, fs.readdirSync(posts)[50]));
    const nextDir = path.join(tempDir(), 'next');
    const started = Date.now();
    await exited(recap(['build', '--root', root, '--out', nextDir]));
    const duration = Date.now() - started;
    addGit(nextDir);
    const next = snapshot(nextDir);
    assert.notEqual(previous, next);

    const outcomes = { previous: 0, next: 0 };
    for (let i = 0; i < kills; i++) {
      fs.rmSync(out, { recursive: true, force: true });
      fs.cpSync(backup, out, { recursive: true });
      const delay = Math.floor(rand() * duration * 1.1);
      child = recap(['build', '--root', root]);
      await sleep(delay);
      child.kill('SIGKILL');
      await exited(child);
      // What the next build does first: a kill between its two renames leaves no output folder for a moment.
      if (!fs.existsSync(out)) recoverOutput(out);
      const now = snapshot(out);
      assert.ok(now === previous || now === next, `seed ${seed}, kill ${i} after ${delay} ms: the output is neither the previous nor the new one`);
      outcomes[now === previous ? 'previous' : 'next']++;
      recoverOutput(out);
      assert.deepEqual(
        fs.readdirSync(root).filter((entry) => entry.startsWith('.public.')),
        [],
        'what the killed build left beside the output is cleaned up',
      );
    }
    assert.equal(outcomes.previous + outcomes.next, kills);
  });
});

/** Every file below dir (the marker too), with its bytes. */
function files(dir: string): Map<string, string> {
  return new Map(listTree(dir).map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]));
}

type WatchChild = ChildProcessByStdio<Writable, Readable, null>;

/** Resolves with the first line the child prints that starts with `word`. */
function lineFrom(child: WatchChild, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const found = text.split('\n').find((line) => line.startsWith(word));
      if (found === undefined) return;
      child.stdout.off('data', onData);
      resolve(found);
    };
    child.stdout.on('data', onData);
    child.once('exit', () => reject(new Error(`the watch process exited before "${word}"`)));
  });
}

/** Polls the output's marker until it changes from `before` (or the child is gone): the rebuild has begun writing. */
async function untilMarkerChanges(out: string, before: string, child: WatchChild): Promise<void> {
  while (fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8') === before && child.exitCode === null) await sleep(1);
}

describe('a watch rebuild killed at any moment', () => {
  it('leaves every file whole, a marker that says whether it is a mix, and the next build writes it whole', async () => {
    const seed = Number(process.env.SEED ?? 7);
    const kills = Number(process.env.KILLS ?? 5);
    const rand = random(seed + 1);
    const root = tempDir();
    writeCorpus(root, 150);
    fs.cpSync(DEFAULT_THEME_DIR, path.join(root, 'templates'), { recursive: true });
    const base = path.join(root, 'templates/base.njk');
    const templateA = fs.readFileSync(base, 'utf8');
    // Every page changes with the layout.
    const templateB = templateA.replace('</main>', '</main>\n<p class="changed">A changed layout.</p>');
    const out = path.join(root, 'public');

    // What a clean build writes with the changed layout.
    fs.writeFileSync(base, templateB);
    const cleanDir = path.join(tempDir(), 'public');
    await exited(recap(['build', '--root', root, '--out', cleanDir]));
    const b = { files: files(cleanDir), id: outputBuildId(cleanDir)! };

    /** Starts a watch session with the first layout, then changes it; resolves with what the session built first. */
    const startRebuild = async () => {
      fs.writeFileSync(base, templateA);
      const child = spawn(process.execPath, [path.join(REPO, 'dist/test/watch-child.js'), root, out], { stdio: ['pipe', 'pipe', 'inherit'] });
      await lineFrom(child, 'ready');
      const first = files(out);
      fs.writeFileSync(base, templateB);
      child.stdin.write('go\n');
      return { child, first };
    };

    // A rebuild left to finish: how long it takes, and that it writes what a clean build does.
    const whole = await startRebuild();
    const started = Date.now();
    const writeMs = Number((await lineFrom(whole.child, 'done')).split(' ')[1]);
    const duration = Date.now() - started;
    await exited(whole.child);
    assert.deepEqual(files(out), b.files);
    // The session's first build is from scratch: a clean build with the first layout.
    const a = { files: whole.first, id: /^build (\S+)$/m.exec(whole.first.get(OUTPUT_MARKER)!)![1] };
    const pages = [...a.files.keys()].filter((file) => file !== OUTPUT_MARKER);
    const changed = pages.filter((file) => a.files.get(file) !== b.files.get(file)).length;
    assert.ok(changed > 150, `the layout change rewrites every page but redirects (${changed} of ${pages.length} files)`);

    const outcomes = { before: 0, mixed: 0, after: 0 };
    for (let i = 0; i < kills; i++) {
      const { child } = await startRebuild();
      // Some kills anywhere in the rebuild, more while it writes (a short part of it).
      if (i % 2 === 1) await sleep(Math.floor(rand() * duration * 1.1));
      else {
        await untilMarkerChanges(out, a.files.get(OUTPUT_MARKER)!, child);
        await sleep(Math.floor((rand() * writeMs) / 2));
      }
      child.kill('SIGKILL');
      await exited(child);

      const state = readOutputState(out);
      const now = files(out);
      const leftovers = [...now.keys()].filter((file) => file !== OUTPUT_MARKER && !a.files.has(file));
      assert.ok(leftovers.every((file) => TEMPORARY_FILE.test(path.basename(file))), `kill ${i}: only temporary files are extra: ${leftovers.join(', ')}`);
      assert.deepEqual(pages.filter((file) => !now.has(file)), [], `kill ${i}: no page is missing`);
      let fromA = 0;
      let fromB = 0;
      for (const file of pages) {
        const bytes = now.get(file);
        if (bytes === a.files.get(file) && bytes === b.files.get(file)) continue;
        if (bytes === a.files.get(file)) fromA++;
        else if (bytes === b.files.get(file)) fromB++;
        else assert.fail(`seed ${seed}, kill ${i}: ${file} is neither build's (cut off?)`);
      }
      if (state.kind === 'complete') {
        assert.ok(state.id === a.id ? fromB === 0 : state.id === b.id && fromA === 0, `kill ${i}: a marker with an id (${state.id}) means one whole build; ${fromA} files of A, ${fromB} of B`);
        outcomes[state.id === a.id ? 'before' : 'after']++;
        continue;
      }
      assert.equal(state.kind, 'updating', `kill ${i}: the marker is never missing`);
      outcomes.mixed++;
      // The next build, alternately `recap build` and the start of a watch, writes it whole and says so.
      if (outcomes.mixed % 2 === 1) {
        const build = spawnSync(process.execPath, [path.join(REPO, 'bin/recap.js'), 'build', '--root', root], { encoding: 'utf8' });
        assert.equal(build.status, 0, build.stderr);
        assert.match(build.stderr, /public\/ was left part-way through an update \(by process \d+\), some files from each of two builds; this build wrote it whole/);
      } else {
        const report = await createRebuilder(root, { outDir: out }).rebuild([]);
        assert.ok(report.result?.warnings.some((w) => w.includes('was left part-way through an update')));
      }
      assert.deepEqual(files(out), b.files, `kill ${i}: the next build writes a clean build's bytes`);
    }
    assert.ok(outcomes.mixed > 0, `some kills land while the rebuild writes: ${JSON.stringify(outcomes)}`);
  });
});
