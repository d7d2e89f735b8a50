/**
 * Watch benchmark: on a generated site, the time from saving a changed post to its new page being
 * on disk (median of 20 edits, through the real file watcher), and memory after 1,000 edits.
 * Usage: npm run bench:watch -- [--corpus real|prose|dense] [--posts 4000] [--edits 1000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchSite, type RebuildReport } from '../src/dev/watch.js';
import { CORPUS_SHAPES, stats, writeCorpus, type CorpusShape } from './corpus.js';

const { values } = parseArgs({ options: { posts: { type: 'string' }, edits: { type: 'string' }, corpus: { type: 'string' } } });
const shape = (values.corpus ?? 'real') as CorpusShape;
if (!(shape in CORPUS_SHAPES)) throw new Error(`--corpus must be one of ${Object.keys(CORPUS_SHAPES).join(', ')}`);
const postCount = Number(values.posts ?? 4000);
const editCount = Number(values.edits ?? 1000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recap-bench-watch-'));
writeCorpus(root, postCount, shape);
const outDir = path.join(root, 'public');
const files = fs.readdirSync(path.join(root, 'posts')).sort();

let last: RebuildReport | undefined;
let onReport: (() => void) | undefined;
const started = performance.now();
const watcher = watchSite(root, { outDir }, (report) => {
  // The search index follows rebuilds once they pause (its own report): measured apart, in README's figures.
  if (report.search) return;
  last = report;
  onReport?.();
});
const first = await watcher.ready;
if (first.errors) throw new Error(first.errors.map((e) => e.format()).join('\n'));
console.log(`${postCount} posts: first build ${((performance.now() - started) / 1000).toFixed(1)} s (${first.result!.files} files)`);

/** Saves a post with a new sentence and waits until its page on disk shows it. */
async function edit(n: number): Promise<number> {
  const file = files[(n * 7919) % files.length];
  const slug = file.slice(11, -3);
  const date = file.slice(0, 10).replaceAll('-', '/');
  const page = path.join(outDir, date, slug, 'index.html');
  const marker = `Edit number ${n} was saved.`;
  const source = path.join(root, 'posts', file);
  const text = fs.readFileSync(source, 'utf8').replace(/\nEdit number \d+ was saved\.\n$/, '\n');
  const t0 = performance.now();
  // Checked when the watcher reports a rebuild (the page is written before), not by polling,
  // which would compete with the rebuild for this process's event loop.
  const written = new Promise<number>((resolve) => {
    onReport = () => {
      if (fs.readFileSync(page, 'utf8').includes(marker)) resolve(performance.now() - t0);
    };
  });
  fs.writeFileSync(source, `${text}\n${marker}\n`);
  return written;
}

const latencies: number[] = [];
const builds: number[] = [];
const stages = new Map<string, number[]>();
for (let n = 0; n < 20; n++) {
  latencies.push(await edit(n));
  builds.push(last?.result?.timings.total ?? 0);
  for (const [stage, ms] of Object.entries(last?.result?.timings ?? {})) stages.set(stage, [...(stages.get(stage) ?? []), ms]);
  await sleep(50);
}
const latency = stats(latencies);
const rebuild = last?.result?.timings;
console.log(
  `save → page on disk, 20 edits: median ${latency.median.toFixed(1)} ms (min ${latency.min.toFixed(1)}, max ${latency.max.toFixed(1)}); ` +
    `build() itself median ${stats(builds).median.toFixed(1)} ms (${[...stages].filter(([stage]) => stage !== 'total').map(([stage, ms]) => `${stage} ${stats(ms).median.toFixed(1)}`).join(', ')}); ` +
    `last rebuild ${rebuild?.total.toFixed(1)} ms (read ${rebuild?.read.toFixed(1)}, parse ${rebuild?.parse.toFixed(1)}, write ${rebuild?.write.toFixed(1)})`,
);

let at100 = { rss: 0, heap: 0 };
const memory = () => {
  globalThis.gc?.();
  return { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
};
for (let n = 20; n < editCount; n++) {
  await edit(n);
  if (n === 100) at100 = memory();
}
const atEnd = memory();
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
console.log(`memory after 100 / ${editCount} edits: heap ${mb(at100.heap)} / ${mb(atEnd.heap)} MB, process ${mb(at100.rss)} / ${mb(atEnd.rss)} MB`);
await watcher.close();
fs.rmSync(root, { recursive: true, force: true });
