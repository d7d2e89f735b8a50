/**
 * The build benchmark: on generated corpora of recap-shaped posts (bench/corpus.ts: `real`, in the
 * shape of published recaps; `prose`, the first corpus; `dense`, many links), the median (with min and max)
 * of several runs of a cold build (no cache), a warm build (cache present, nothing changed), a
 * rebuild after changing one post (cache present), and peak memory; with --vs eleventy, Eleventy 3
 * building an equivalent site from the same corpus (config in bench/eleventy/), with ratios, and
 * with --vs hugo the same for Hugo (bench/hugo/, Debian's `hugo` package: skipped with a note when
 * it is not installed); where one cold build's time goes, stage by stage, beside the same files
 * written by a plain script (the floor for the write stage); then the watch benchmark.
 * The photos corpus (bench/photo-site.ts) is a site of 40 recaps with 6–10 phone-size photos each
 * (about 330 JPEGs, 100 MB, generated once into bench/.cache/photos/): cold, warm, and one photo
 * replaced; --posts does not apply to it, and Eleventy and Hugo are not run on it (their configs
 * here process no images).
 * Usage: npm run bench -- [--corpus real|prose|dense|photos|all] [--posts 4000] [--runs 3] [--vs eleventy,hugo] [--no-watch]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CORPUS_SHAPES, describeCorpus, stats, writeCorpus, type CorpusShape } from './corpus.js';
import { writePhotoSite } from './photo-site.js';
import { ensurePhotos, photoCacheDir } from './photos.js';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';

const { values } = parseArgs({ options: { corpus: { type: 'string' }, posts: { type: 'string' }, runs: { type: 'string' }, vs: { type: 'string' }, 'no-watch': { type: 'boolean' } } });
const corpusArg = values.corpus ?? 'real';
if (corpusArg !== 'all' && corpusArg !== 'photos' && !(corpusArg in CORPUS_SHAPES)) {
  console.error(`--corpus must be one of ${Object.keys(CORPUS_SHAPES).join(', ')}, photos or all`);
  process.exit(2);
}
const shapes = (corpusArg === 'all' ? [...Object.keys(CORPUS_SHAPES), 'photos'] : [corpusArg]) as (CorpusShape | 'photos')[];
/** The photos corpus: recaps, each with 6–10 photos (about 330 in all). */
const PHOTO_POSTS = 40;
const postCount = Number(values.posts ?? 4000);
const runs = Number(values.runs ?? 3);
const repo = path.resolve(fileURLToPath(import.meta.url), '../../..');
const rss = path.join(repo, 'bench/rss.cjs');
const versus = new Set((values.vs ?? '').split(',').filter(Boolean));
for (const name of versus) {
  if (name !== 'eleventy' && name !== 'hugo') {
    console.error('--vs takes eleventy, hugo or both (eleventy,hugo)');
    process.exit(2);
  }
}
const hugoInstalled = spawnSync('hugo', ['version'], { encoding: 'utf8' });
const hugoVersion = hugoInstalled.status === 0 ? (/v\d+\.\d+\.\d+/.exec(hugoInstalled.stdout)?.[0] ?? '') : undefined;

interface Run {
  seconds: number;
  megabytes: number;
}

/** Runs a Node program, returning wall time and peak memory (from bench/rss.cjs). */
function timed(args: string[], cwd: string): Run {
  return timedCommand(process.execPath, ['--require', rss, ...args], cwd);
}

/** Runs any command, returning wall time and peak memory (a program not in Node: measured by GNU time, when installed). */
function timedCommand(command: string, args: string[], cwd: string, peak = /recap-bench-maxrss (\d+)/): Run {
  const gnuTime = command !== process.execPath && fs.existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', 'recap-bench-maxrss %M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const kilobytes = Number(peak.exec(result.stderr)?.[1] ?? 0);
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

/** `runs` rounds of a cold build (no cache), a warm build with nothing changed, and a warm build after `change(round)`. */
function coldWarmChanged(recap: string[], root: string, change: (round: number) => void): { cold: Run[]; warm: Run[]; changed: Run[] } {
  const cold: Run[] = [];
  const warm: Run[] = [];
  const changed: Run[] = [];
  for (let i = 0; i < runs; i++) {
    fs.rmSync(path.join(root, '.recap-cache'), { recursive: true, force: true });
    settle(root);
    cold.push(timed(recap, root));
    settle(root);
    warm.push(timed(recap, root));
    change(i);
    settle(root);
    changed.push(timed(recap, root));
  }
  return { cold, warm, changed };
}

/** Cold, warm and one-change builds of one corpus, and Eleventy's cold build of it with --vs eleventy. */
async function benchCorpus(shape: CorpusShape): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recap-bench-'));
  writeCorpus(root, postCount, shape);
  const recap = [path.join(repo, 'bin/recap.js'), 'build', '--root', root];
  const postsDir = path.join(root, 'posts');
  const someFile = () => path.join(postsDir, fs.readdirSync(postsDir).sort()[Math.floor(postCount / 2)]);

  console.log(`\n== corpus ${shape} (${CORPUS_SHAPES[shape]}): ${postCount} posts, ${os.availableParallelism()} cores, Node ${process.version}`);
  console.log(`   ${describeCorpus(root)}\n`);
  const { cold, warm, changed } = coldWarmChanged(recap, root, (i) => fs.appendFileSync(someFile(), `\nRun ${i} added this sentence.\n`));
  const results = [summary('recap cold build (no cache)', cold), summary('recap warm build (nothing changed)', warm), summary('recap warm build (one post changed)', changed)];

  await stageBreakdown(root);

  if (versus.has('eleventy')) {
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
    ratios('Eleventy', results, summary('Eleventy 3.1.7 cold build', eleventyRuns));
  }
  if (versus.has('hugo')) {
    if (hugoVersion === undefined) console.log('\nHugo: skipped, `hugo` is not installed (Debian: apt-get install hugo)');
    else {
      const site = path.join(root, 'hugo');
      fs.cpSync(path.join(repo, 'bench/hugo'), site, { recursive: true });
      fs.cpSync(postsDir, path.join(site, 'content/posts'), { recursive: true });
      const hugoRuns: Run[] = [];
      for (let i = 0; i < runs; i++) {
        fs.rmSync(path.join(site, 'public'), { recursive: true, force: true });
        fs.rmSync(path.join(site, 'resources'), { recursive: true, force: true });
        hugoRuns.push(timedCommand('hugo', ['--quiet'], site));
      }
      ratios('Hugo', results, summary(`Hugo ${hugoVersion} cold build`, hugoRuns));
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
}

/**
 * Cold, warm and one-photo-changed builds of the photos corpus: a recap site whose static/ holds a
 * few hundred phone-size JPEGs (bench/photo-site.ts).
 */
async function benchPhotos(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recap-bench-'));
  const cache = photoCacheDir(repo);
  const site = await writePhotoSite(root, { title: 'Benchmark meetup', url: 'https://bench.example.org', posts: PHOTO_POSTS, photoCache: cache, onProgress: (line) => console.log(line) });
  // Other photos of the same kind, one per run, to replace one of the site's.
  const spare = (await ensurePhotos(cache, site.photoFiles.length + runs)).slice(site.photoFiles.length);
  const replaced = path.join(root, site.photoFiles[Math.floor(site.photoFiles.length / 2)]);
  const recap = [path.join(repo, 'bin/recap.js'), 'build', '--root', root];

  console.log(`\n== corpus photos (recaps with 6–10 phone-size photos each, bench/photo-site.ts): ${site.posts.length} posts, ${site.photoFiles.length} photos (${(site.photoBytes / 1e6).toFixed(0)} MB of 2048×1536 and 1536×2048 JPEG q80), ${os.availableParallelism()} cores, Node ${process.version}`);
  console.log(`   ${describeCorpus(root)}\n`);
  const { cold, warm, changed } = coldWarmChanged(recap, root, (i) => fs.copyFileSync(spare[i].file, replaced));
  summary('recap cold build (no cache)', cold);
  summary('recap warm build (nothing changed)', warm);
  summary('recap warm build (one photo changed)', changed);
  await stageBreakdown(root);
  if (versus.size > 0) console.log(`${[...versus].join(' and ')}: skipped for the photos corpus (bench/eleventy/ and bench/hugo/ configure no image processing, so they would only copy the photos)`);
  fs.rmSync(root, { recursive: true, force: true });
}

/** recap's times as multiples of another generator's cold build, with issue #13's targets. */
function ratios(name: string, results: { label: string; seconds: number; megabytes: number }[], reference: { seconds: number; megabytes: number }): void {
  // The targets are Eleventy's (issue #13); Hugo's ratios are shown beside them, without targets.
  const targets = name === 'Eleventy' ? [' (1.0×)', ' (0.2×)', ' (0.2×)'] : ['', '', ''];
  console.log(`\nratio recap / ${name} cold build${name === 'Eleventy' ? ' (target)' : ''}:`);
  results.forEach((result, i) => {
    console.log(`  ${result.label.padEnd(34)} ${(result.seconds / reference.seconds).toFixed(2)}× time${targets[i]}  ${(result.megabytes / reference.megabytes).toFixed(2)}× memory`);
  });
}

/**
 * One more cold build, in this process, for where its time goes; then the files it wrote, written
 * again from memory by the plainest script (a folder made for each, each file written once): the
 * floor under the write stage on this disk.
 */
async function stageBreakdown(root: string): Promise<void> {
  fs.rmSync(path.join(root, '.recap-cache'), { recursive: true, force: true });
  settle(root);
  const done = await buildSite(loadConfig(root, { force: true }));
  const t = done.timings;
  console.log(`  stages of a cold build: read ${ms(t.read)}, parse ${ms(t.parse)}, plan ${ms(t.plan)}, render ${ms(t.render)}, search ${ms(t.search)}, write ${ms(t.write)} (${done.files} files)`);
  const files: { file: string; bytes: Buffer }[] = [];
  const outDir = path.join(root, 'public');
  for (const entry of fs.readdirSync(outDir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.push({ file: path.relative(outDir, path.join(entry.parentPath, entry.name)), bytes: fs.readFileSync(path.join(entry.parentPath, entry.name)) });
  }
  const floor = fs.mkdtempSync(path.join(path.dirname(root), 'recap-floor-'));
  const started = performance.now();
  for (const folder of new Set(files.map(({ file }) => path.dirname(path.join(floor, file))))) fs.mkdirSync(folder, { recursive: true });
  for (const { file, bytes } of files) fs.writeFileSync(path.join(floor, file), bytes);
  const megabytes = files.reduce((sum, { bytes }) => sum + bytes.length, 0) / 1e6;
  console.log(`  the same ${files.length} files (${megabytes.toFixed(1)} MB) written by a plain script: ${ms(performance.now() - started)} (the floor under write)\n`);
  fs.rmSync(floor, { recursive: true, force: true });
}

const ms = (value: number) => `${(value / 1000).toFixed(2)} s`;


for (const shape of shapes) await (shape === 'photos' ? benchPhotos() : benchCorpus(shape));

// The watch benchmark edits posts of a generated corpus; the photos corpus is not one of its.
const watchShape = shapes.find((shape): shape is CorpusShape => shape !== 'photos');
if (!values['no-watch'] && watchShape) {
  console.log('\nwatch:');
  const watch = spawnSync(process.execPath, ['--expose-gc', path.join(repo, 'dist/bench/watch.js'), '--posts', String(postCount), '--edits', '300', '--corpus', watchShape], { encoding: 'utf8' });
  process.stdout.write(watch.stdout.replace(/^/gm, '  '));
} else if (!values['no-watch']) console.log('\nwatch: skipped (it edits posts of the real, prose or dense corpus: npm run bench:watch)');
