/**
 * Markdown is rendered only in worker threads, each post within its budget (budget.ts): a thread
 * over a post's time is stopped, a thread over its memory stops itself, and either way that post
 * fails with a message for its author while a new thread renders the rest. The thread that builds
 * is never blocked or brought down by a post, so watch and serve keep running.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { MARKDOWN_BUDGET, timeBudgetMs, workSize, type MarkdownBudget } from './budget.js';
import type { MarkdownWork, RenderedBody } from './render.js';

/** Below this many posts one thread renders them: starting more (each loads remark) costs more than it saves. */
const WORKER_THRESHOLD = 64;
const BATCH = 24;

/** One thread per core, unless told otherwise (RECAP_THREADS, or the build's `threads`). */
export function defaultThreads(): number {
  const fromEnv = Number(process.env.RECAP_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : os.availableParallelism();
}

export interface Job {
  /** The post's place in the list given to render(). */
  index: number;
  work: MarkdownWork;
}

export interface ToWorker {
  jobs: Job[];
}

export type FromWorker = { ready: true } | { index: number; body: RenderedBody } | { index: number; failure: { name: string; message: string } };

/** What rendering one post gave: its HTML, or why it has none, said for the post's author. */
export type RenderOutcome = { ok: true; body: RenderedBody } | { ok: false; problem: string };

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;

function tooSlow(limitMs: number, work: MarkdownWork): string {
  return (
    `markdown took over ${seconds(limitMs)} to render, the limit for ${Math.ceil(workSize(work) / 1000)}k characters; ` +
    'long runs of unclosed "*", "_", "~" or "[", lists or quotes nested hundreds deep, and tens of thousands of list items do this: ' +
    'close, flatten or remove them, or split the post'
  );
}

function outOfMemory(budget: MarkdownBudget): string {
  return `markdown needed over ${budget.memoryMb} MB of memory to render; tens of thousands of list items or table rows in one post do this: split the post`;
}

function failed(failure: { name: string; message: string }): string {
  if (failure.name === 'RangeError' && /call stack/i.test(failure.message)) {
    return 'markdown is nested too deeply to render (lists, quotes, links or emphasis inside each other hundreds of times); flatten it';
  }
  return `markdown could not be rendered (${failure.name}: ${failure.message}); this is a bug in recap, please report it`;
}

/** One rendering thread, rendering one batch at a time. Once stopped it is replaced, never reused. */
class RenderThread {
  private readonly worker: Worker;
  /** Resolves once remark is loaded; rejects if the thread stops before that (a bug in recap). */
  readonly ready: Promise<void>;
  private started = false;
  private failedToStart: (error: Error) => void = () => {};
  private resolveReady: () => void = () => {};
  stopped = false;
  private current?: { jobs: Job[]; position: number; timer?: NodeJS.Timeout; report: (index: number, outcome: RenderOutcome) => void; finish: (rest: Job[]) => void };

  constructor(private readonly budget: MarkdownBudget) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: budget.memoryMb, stackSizeMb: budget.stackMb },
    });
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.failedToStart = reject;
    });
    this.ready.catch(() => {}); // reported to whoever renders with it, not as an unhandled rejection
    this.worker.on('message', (message: FromWorker) => this.received(message));
    this.worker.on('error', (error: Error & { code?: string }) =>
      this.stop(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(budget) : `the thread rendering its markdown stopped (${error.message}); this is a bug in recap, please report it`),
    );
    this.worker.on('exit', (code) => this.stop(`the thread rendering its markdown stopped (exit code ${code}); this is a bug in recap, please report it`));
    // An idle thread does not keep the process alive; it is referenced while it renders. (After the
    // listeners: adding a 'message' listener references the thread's port again.)
    this.worker.unref();
  }

  /** Renders `jobs` in order, reporting each; returns the jobs not tried because the thread stopped. */
  async render(jobs: Job[], report: (index: number, outcome: RenderOutcome) => void): Promise<Job[]> {
    // Referenced from now on, also while remark loads: the build waits for this thread.
    this.worker.ref();
    await this.ready;
    if (this.stopped) throw new Error('a markdown thread stopped while idle; this is a bug in recap, please report it');
    return new Promise((finish) => {
      this.current = { jobs, position: 0, report, finish };
      this.worker.postMessage({ jobs } satisfies ToWorker);
      this.startClock();
    });
  }

  /** Each post's time starts when the last one's result arrives (the first one's, when the batch is sent). */
  private startClock(): void {
    const current = this.current!;
    const { work } = current.jobs[current.position];
    const limit = timeBudgetMs(this.budget, work);
    current.timer = setTimeout(() => this.stop(tooSlow(limit, work)), limit);
  }

  private received(message: FromWorker): void {
    if ('ready' in message) {
      this.started = true;
      return this.resolveReady();
    }
    const current = this.current;
    if (!current || this.stopped) return;
    clearTimeout(current.timer);
    current.report(message.index, 'body' in message ? { ok: true, body: message.body } : { ok: false, problem: failed(message.failure) });
    current.position += 1;
    if (current.position < current.jobs.length) this.startClock();
    else this.finish([]);
  }

  private finish(rest: Job[]): void {
    const current = this.current!;
    clearTimeout(current.timer);
    this.current = undefined;
    this.worker.unref();
    current.finish(rest);
  }

  /** Ends the thread; the post it was rendering fails with `problem`, and the rest of its batch is handed back. */
  private stop(problem: string): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.worker.terminate();
    if (!this.started) this.failedToStart(new Error(`recap could not start a thread to render markdown: ${problem}`));
    const current = this.current;
    if (!current) return;
    current.report(current.jobs[current.position].index, { ok: false, problem });
    this.finish(current.jobs.slice(current.position + 1));
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.worker.terminate();
  }
}

/**
 * Renders posts' markdown in threads, within a budget per post. Results are in input order
 * whatever thread rendered them, so the output does not depend on the threads. One thread is kept
 * between calls (watch mode renders a post or two per save); close() ends it.
 */
export class MarkdownRenderer {
  private idle: RenderThread[] = [];
  private readonly threads = new Set<RenderThread>();

  constructor(readonly budget: MarkdownBudget = MARKDOWN_BUDGET) {}

  /** Starts a thread now, so that remark loads while the build reads and parses the site. */
  warm(): void {
    if (this.idle.length === 0) this.idle.push(this.start());
  }

  async render(works: MarkdownWork[], threads: number, onProgress?: (done: number) => void): Promise<RenderOutcome[]> {
    const outcomes = new Array<RenderOutcome>(works.length);
    const queue: Job[] = works.map((work, index) => ({ index, work }));
    let done = 0;
    const report = (index: number, outcome: RenderOutcome) => {
      outcomes[index] = outcome;
      onProgress?.(++done);
    };
    const lane = async () => {
      while (queue.length > 0) {
        const thread = this.take();
        const rest = await thread.render(queue.splice(0, BATCH), report);
        queue.unshift(...rest);
        if (thread.stopped) this.threads.delete(thread);
        else this.idle.push(thread);
      }
    };
    const lanes = works.length < WORKER_THRESHOLD ? 1 : Math.min(threads, Math.ceil(works.length / BATCH));
    await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
    await this.keep(1);
    return outcomes;
  }

  /** Ends every thread. */
  async close(): Promise<void> {
    await this.keep(0);
    await Promise.all([...this.threads].map((thread) => thread.close()));
    this.threads.clear();
  }

  /** An idle thread that is still running, or a new one. */
  private take(): RenderThread {
    for (let thread = this.idle.pop(); thread; thread = this.idle.pop()) {
      if (!thread.stopped) return thread;
      this.threads.delete(thread);
    }
    return this.start();
  }

  private start(): RenderThread {
    const thread = new RenderThread(this.budget);
    this.threads.add(thread);
    return thread;
  }

  /** Ends idle threads beyond `count`. */
  private async keep(count: number): Promise<void> {
    const extra = this.idle.splice(count);
    for (const thread of extra) this.threads.delete(thread);
    await Promise.all(extra.map((thread) => thread.close()));
  }
}

let shared: MarkdownRenderer | undefined;

/**
 * The renderer a build uses unless given one: one per process, as render.ts keeps one processor
 * per flavour, so that successive builds in one process (tests, programs calling build()) load
 * remark in a thread once, not once per build. Its idle thread does not keep the process alive,
 * and no output depends on it.
 */
export function sharedRenderer(): MarkdownRenderer {
  return (shared ??= new MarkdownRenderer());
}
