/** The thread that compiles Jekyll stylesheets (sass-compile.ts), one job per message, and reports what came of each. */
import { parentPort } from 'node:worker_threads';
import { compileSassJob, type SassJob, type SassOutcome } from './sass-compile.js';

function outcomeOf(job: SassJob): SassOutcome {
  try {
    return compileSassJob(job);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const detail = error instanceof Error ? error.message : String(error);
    const message = !(error instanceof RangeError)
      ? `could not be compiled (${name}: ${detail}); this is a bug in recap, please report it`
      : /call stack/i.test(detail)
        ? 'recurses too deeply to compile (a @function or @mixin that calls itself without end); fix the recursion'
        : 'builds a string or list too large to hold (a loop that doubles a string or list does this); shorten or remove it';
    return { ok: false, problem: { file: job.source, message } };
  }
}

parentPort!.on('message', (job: SassJob) => parentPort!.postMessage(outcomeOf(job)));
