/**
 * A worker thread that renders markdown. It says when remark is loaded, then takes batches of
 * posts and answers each post as soon as it is rendered, so the thread that hands out the work can
 * time every post and knows which one a stopped thread was rendering.
 */
import { parentPort } from 'node:worker_threads';
import { renderWork } from './render.js';
import type { FromWorker, ToWorker } from './workers.js';

const reply = (message: FromWorker) => parentPort?.postMessage(message);

parentPort?.on('message', ({ jobs }: ToWorker) => {
  for (const { index, work } of jobs) {
    try {
      reply({ index, body: renderWork(work) });
    } catch (error) {
      // A stack overflow (RangeError) unwinds to here like any error: it is this post's, and the thread goes on.
      reply({ index, failure: error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) } });
    }
  }
});
reply({ ready: true });
