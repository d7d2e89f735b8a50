import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { renderWork, type MarkdownWork, type RenderedBody } from './render.js';

/** Below this many posts, starting workers (each loads remark) costs more than it saves. */
const WORKER_THRESHOLD = 64;
const BATCH = 24;

/** One thread per core, unless told otherwise (RECAP_THREADS, or the build's `threads`). */
export function defaultThreads(): number {
  const fromEnv = Number(process.env.RECAP_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : os.availableParallelism();
}

/**
 * Renders markdown for many posts, in worker threads when there are enough of them. Results are
 * in input order whatever thread rendered them, so the output does not depend on the threads.
 */
export async function renderAll(works: MarkdownWork[], threads: number, onProgress?: (done: number) => void): Promise<RenderedBody[]> {
  if (threads <= 1 || works.length < WORKER_THRESHOLD) {
    return works.map((work, index) => {
      const rendered = renderWork(work);
      onProgress?.(index + 1);
      return rendered;
    });
  }
  const results = new Array<RenderedBody>(works.length);
  const workerUrl = new URL('./worker.js', import.meta.url);
  const pool = Array.from({ length: Math.min(threads, Math.ceil(works.length / BATCH)) }, () => new Worker(workerUrl));
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= works.length) return resolve();
              const id = next;
              next += BATCH;
              worker.postMessage({ id, works: works.slice(id, id + BATCH) });
            };
            worker.on('message', (message: { id: number; results: RenderedBody[] }) => {
              message.results.forEach((result, i) => (results[message.id + i] = result));
              done += message.results.length;
              onProgress?.(done);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a markdown worker stopped (exit code ${code})`))));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}
