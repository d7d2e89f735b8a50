/** A worker thread that renders markdown: posts are handed out in batches; results go back in order. */
import { parentPort } from 'node:worker_threads';
import { renderWork, type MarkdownWork } from './render.js';

parentPort?.on('message', (message: { id: number; works: MarkdownWork[] }) => {
  parentPort?.postMessage({ id: message.id, results: message.works.map(renderWork) });
});
