import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeCorpus } from '../bench/corpus.js';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { OutputLockedError } from '../src/pipeline/errors.js';
import { lockFileFor, lockOutput, type LockHolder } from '../src/pipeline/output-lock.js';
import { listTree, REPO, tempDir } from './helpers.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `recap …` in a child process; `until` resolves once its stdout has a line starting with the given text. */
function recap(args: string[]) {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/recap.js'), ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const run: Run = { code: null, signal: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  const done = new Promise<Run>((resolve) =>
    child.once('close', (code, signal) => {
      run.code = code;
      run.signal = signal;
      resolve(run);
    }),
  );
  const ended = () => run.code !== null || run.signal !== null;
  const until = (start: string) =>
    new Promise<void>((resolve, reject) => {
      const look = () => {
        if (run.stdout.split('\n').some((line) => line.startsWith(start))) resolve();
        else if (ended()) reject(new Error(`recap ${args.join(' ')} ended before "${start}":\n${run.stderr}`));
        else setTimeout(look, 20);
      };
      look();
    });
  return { child, done, until, ended, stderr: () => run.stderr };
}

function site(posts = 20): string {
  const root = tempDir();
  writeCorpus(root, posts);
  return root;
}

const snapshot = (dir: string) => listTree(dir).map((file) => `${file}\n${fs.readFileSync(path.join(dir, file), 'utf8')}`);
const LOCKED = /public: is being written by another recap process: process (\d+), "recap (serve|watch) --root [^"]+", since [^;]+; stop it \(Ctrl-C where it runs\), or write to another folder with --out\. If no such process is running, delete \S*\.recap-lock-public/;

describe('one writer per output folder', () => {
  it('a build (or a watch) while serve runs on the output stops at once, naming serve; after serve stops, it builds', async () => {
    const root = site();
    const serve = recap(['serve', '--root', root, '--port', '0']);
    await serve.until('Serving at');
    const before = snapshot(path.join(root, 'public'));

    const build = await recap(['build', '--root', root]).done;
    assert.equal(build.code, 1);
    const [error, outcome] = build.stderr.trimEnd().split('\n');
    assert.match(error, LOCKED);
    assert.equal(Number(LOCKED.exec(error)![1]), serve.child.pid);
    assert.equal(outcome, 'Build failed with 1 error; the output folder was left as it was.');
    assert.deepEqual(snapshot(path.join(root, 'public')), before, 'serve\'s output (with its drafts) is left alone');

    const watch = await recap(['watch', '--root', root]).done;
    assert.equal(watch.code, 1);
    assert.match(watch.stderr, LOCKED);

    serve.child.kill('SIGINT');
    assert.equal((await serve.done).code, 0);
    assert.deepEqual(fs.readdirSync(root).filter((name) => name.startsWith('.recap-lock')), [], 'serve removes its lock when it stops');
    const after = await recap(['build', '--root', root]).done;
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(fs.readdirSync(root).filter((name) => name.startsWith('.recap-lock')), []);
  });

  it('a killed holder (SIGKILL) does not block the next writer', async () => {
    const root = site();
    const watch = recap(['watch', '--root', root]);
    await watch.until('Watching for changes');
    const lockFile = lockFileFor(path.join(root, 'public'));
    assert.ok(fs.existsSync(lockFile));
    assert.ok(!listTree(path.join(root, 'public')).some((file) => file.includes('lock')), 'the lock is never inside the output');
    watch.child.kill('SIGKILL');
    await watch.done;
    assert.ok(fs.existsSync(lockFile), 'a killed process cannot remove its lock');
    const build = await recap(['build', '--root', root]).done;
    assert.equal(build.code, 0, build.stderr);
    assert.equal(fs.existsSync(lockFile), false);
  });

  it('a build waits while another build holds the output, then builds', async () => {
    const root = site(10);
    const outDir = path.join(root, 'public');
    const clean = path.join(tempDir(), 'public');
    await buildSite(loadConfig(root, { outDir: clean, cache: false }));
    // This test process holds the lock as a build would.
    const held = await lockOutput(outDir, { kind: 'build', command: 'recap build --root elsewhere' });
    const build = recap(['build', '--root', root]);
    while (!build.ended() && !/Waiting for process/.test(build.stderr())) await sleep(20);
    assert.match(build.stderr(), new RegExp(`^Waiting for process ${process.pid} \\("recap build --root elsewhere"\\) to finish writing \\S*public/ …$`, 'm'));
    await sleep(300);
    assert.equal(fs.existsSync(outDir), false, 'nothing is written while it waits');
    held.release();
    const run = await build.done;
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(snapshot(outDir), snapshot(clean));
  });
});

describe('the output lock', () => {
  const holder = (changes: Partial<LockHolder>): LockHolder => ({
    pid: process.pid,
    kind: 'serve',
    command: 'recap serve',
    since: new Date().toISOString(),
    host: os.hostname(),
    token: 'someone-else',
    ...changes,
  });
  const plant = (outDir: string, text: string) => {
    const file = lockFileFor(outDir);
    fs.writeFileSync(file, text);
    return file;
  };
  const options = { kind: 'build', command: 'recap build' } as const;

  it('lives beside the output, outlives a build\'s swap, and is removed on release', async () => {
    const root = site(3);
    const outDir = path.join(tempDir(), 'public');
    const lock = await lockOutput(outDir, options);
    assert.equal(path.dirname(lock.file), fs.realpathSync(path.dirname(outDir)));
    await buildSite(loadConfig(root, { outDir, cache: false }));
    await buildSite(loadConfig(root, { outDir, cache: false }));
    assert.ok(fs.existsSync(lock.file), 'the swap leaves it');
    assert.ok(!listTree(outDir).some((file) => file.includes('lock')));
    lock.release();
    lock.release();
    assert.equal(fs.existsSync(lock.file), false);
  });

  it('is held by a running process, and taken over when its process is gone, reused or from another boot', async () => {
    const outDir = path.join(tempDir(), 'public');
    // This process is running, and its start time matches: held.
    const running = holder({});
    const ownStart = fs.existsSync('/proc/self/stat');
    plant(outDir, JSON.stringify(running));
    await assert.rejects(lockOutput(outDir, options), (error: unknown) => error instanceof OutputLockedError && /process \d+, "recap serve"/.test(error.message));
    // On another host: cannot be checked, so held; the message says where.
    plant(outDir, JSON.stringify(holder({ host: 'elsewhere.example' })));
    await assert.rejects(lockOutput(outDir, options), /process \d+ on elsewhere\.example, "recap serve"/);

    const stale: LockHolder[] = [holder({ pid: 2 ** 22 + 17 })]; // above Linux's largest process id
    if (ownStart) {
      stale.push(holder({ started: '1' })); // the process id now belongs to a process started later
      stale.push(holder({ boot: 'another-boot' }));
    }
    for (const dead of stale) {
      const file = plant(outDir, JSON.stringify(dead));
      const lock = await lockOutput(outDir, options);
      assert.equal(lock.file, file);
      assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`"pid":${process.pid},"kind":"build"`));
      lock.release();
    }
  });

  it('waits for a build only so long, then names it', async () => {
    const outDir = path.join(tempDir(), 'public');
    plant(outDir, JSON.stringify(holder({ kind: 'build', command: 'recap build --drafts' })));
    const started = Date.now();
    let told = 0;
    await assert.rejects(lockOutput(outDir, { ...options, waitMs: 300, onWait: () => told++ }), /process \d+, "recap build --drafts", since [^;]+; wait for it to finish, or write to another folder with --out/);
    assert.ok(Date.now() - started >= 300);
    assert.equal(told, 1);
  });

  it('takes over a lock file that is not one, once it is old, and waits for a young one', async () => {
    const outDir = path.join(tempDir(), 'public');
    const file = plant(outDir, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const lock = await lockOutput(outDir, options);
    lock.release();
    // A young empty file may be a lock being written (no hard links): it is waited for, not taken.
    plant(outDir, '');
    const waiting = lockOutput(outDir, options);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(fs.readFileSync(file, 'utf8'), '');
    fs.rmSync(file);
    (await waiting).release();
  });
});
