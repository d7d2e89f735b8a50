/**
 * The build benchmark: on generated corpora of recap-shaped posts (bench/corpus.ts: `real`, in the
 * shape of published recaps; `prose`, the first corpus; `dense`, many links), the median (with min and max)
 * of several runs of a cold build (no cache), a warm build (cache present, nothing changed), a
 * rebuild after changing one post (cache present), and peak memory; with --vs eleventy, Eleventy 3
 * building an equivalent site from the same corpus (config in bench/eleventy/), with ratios; then
 * the watch benchmark.
 * Usage: npm run bench -- [--corpus real|prose|dense|all] [--posts 4000] [--runs 3] [--vs eleventy] [--no-watch]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CORPUS_SHAPES, describeCorpus, stats, writeCorpus, type CorpusShape } from './corpus.js';

const { values } = parseArgs({ options: { corpus: { type: 'string' }, posts: { type: 'string' }, runs: { type: 'string' }, vs: { type: 'string' }, 'no-watch': { type: 'boolean' } } });
const corpusArg = values.corpus ?? 'real';
if (corpusArg !== 'all' && !(corpusArg in CORPUS_SHAPES)) {
  console.error(`--corpus must be one of ${Object.keys(CORPUS_SHAPES).join(', ')} or all`);
  process.exit(2);
}
const shapes = (corpusArg === 'all' ? Object.keys(CORPUS_SHAPES) : [corpusArg]) as CorpusShape[];
const postCount = Number(values.posts ?? 4000);
const runs = Number(values.runs ?? 3);
const repo = path.resolve(fileURLToPath(import.meta.url), '../../..');
const rss = path.join(repo, 'bench/rss.cjs');

interface Run {
  seconds: number;
  megabytes: number;
}

/** Runs a command, returning wall time and peak memory (from bench/rss.cjs). */
function timed(args: string[], cwd: string): Run {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', rss, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const kilobytes = Number(/recap-bench-maxrss (\d+)/.exec(result.stderr)?.[1] ?? 0);
  return { seconds, megabytes: kilobytes / 1024 };
}

function summary(label: string, measured: Run[]): { label: string; seconds: number; megabytes: number } {
  const time = stats(measured.map((r) => r.seconds));
  const memory = stats(measured.map((r) => r.megabytes));
  console.log(`${label.padEnd(34)} ${time.median.toFixed(2)} s (min ${time.min.toFixed(2)}, max ${time.max.toFixed(2)})  peak ${memory.max.toFixed(0)} MB`);
  return { label, seconds: time.median, megabytes: memory.max };
}

/** Waits for detached deletions of earlier outputs to finish, so they do not slow the next run. */
function settle(root: string): void {
  for (let i = 0; i < 600 && fs.readdirSync(root).some((entry) => /^\.public\.(old|tmp)-/.test(entry)); i++) spawnSync('sleep', ['0.1']);
}

/** Cold, warm and one-change builds of one corpus, and Eleventy's cold build of it with --vs eleventy. */
function benchCorpus(shape: CorpusShape): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recap-bench-'));
  writeCorpus(root, postCount, shape);
  const recap = [path.join(repo, 'bin/recap.js'), 'build', '--root', root, '--force'];
  const postsDir = path.join(root, 'posts');
  const someFile = () => path.join(postsDir, fs.readdirSync(postsDir).sort()[Math.floor(postCount / 2)]);

  console.log(`\n== corpus ${shape} (${CORPUS_SHAPES[shape]}): ${postCount} posts, ${os.availableParallelism()} cores, Node ${process.version}`);
  console.log(`   ${describeCorpus(root)}\n`);
  const cold: Run[] = [];
  const warm: Run[] = [];
  const changed: Run[] = [];
  for (let i = 0; i < runs; i++) {
    fs.rmSync(path.join(root, '.recap-cache'), { recursive: true, force: true });
    settle(root);
    cold.push(timed(recap, root));
    settle(root);
    warm.push(timed(recap, root));
    fs.appendFileSync(someFile(), `\nRun ${i} added this sentence.\n`);
    settle(root);
    changed.push(timed(recap, root));
  }
  const results = [summary('recap cold build (no cache)', cold), summary('recap warm build (nothing changed)', warm), summary('recap warm build (one post changed)', changed)];

  if (values.vs === 'eleventy') {
    const site = path.join(root, 'eleventy');
    fs.mkdirSync(site);
    fs.cpSync(path.join(repo, 'bench/eleventy'), site, { recursive: true });
    fs.cpSync(postsDir, path.join(site, 'posts'), { recursive: true });
    const eleventy = [path.join(repo, 'node_modules/@11ty/eleventy/cmd.cjs'), '--quiet'];
    const eleventyRuns: Run[] = [];
    for (let i = 0; i < runs; i++) {
      fs.rmSync(path.join(site, '_site'), { recursive: true, force: true });
      fs.rmSync(path.join(site, '.cache'), { recursive: true, force: true });
      eleventyRuns.push(timed(eleventy, site));
    }
    const reference = summary('Eleventy 3.1.7 cold build', eleventyRuns);
    console.log('\nratio recap / Eleventy cold build (target):');
    const targets: Record<string, number> = { [results[0].label]: 1.0, [results[1].label]: 0.2, [results[2].label]: 0.2 };
    for (const result of results) {
      console.log(`  ${result.label.padEnd(34)} ${(result.seconds / reference.seconds).toFixed(2)}× time (${targets[result.label]}×)  ${(result.megabytes / reference.megabytes).toFixed(2)}× memory`);
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
}

for (const shape of shapes) benchCorpus(shape);

if (!values['no-watch']) {
  console.log('\nwatch:');
  const watch = spawnSync(process.execPath, ['--expose-gc', path.join(repo, 'dist/bench/watch.js'), '--posts', String(postCount), '--edits', '300', '--corpus', shapes[0]], { encoding: 'utf8' });
  process.stdout.write(watch.stdout.replace(/^/gm, '  '));
}
