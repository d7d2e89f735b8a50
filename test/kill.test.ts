import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { random, writeCorpus } from '../bench/corpus.js';
import { recoverOutput } from '../src/pipeline/write.js';
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
    const kills = Number(process.env.KILLS ?? 8);
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
