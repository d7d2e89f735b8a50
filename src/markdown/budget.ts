/**
 * How much time and memory one post's markdown may take to render. remark's parser is quadratic
 * or worse on some inputs (runs of unclosed `*` or `~`, lists and quotes nested hundreds deep,
 * tens of thousands of list items): a single post under the 10 MB limit could take hours or all
 * of the machine's memory. A post over its budget is an error naming the file, not a hung build.
 */
import type { MarkdownWork } from './render.js';

export interface MarkdownBudget {
  /** Milliseconds any post may take, however small. */
  baseMs: number;
  /** Milliseconds more per million characters of markdown. */
  perMillionCharsMs: number;
  /** Milliseconds no post may take, however large. */
  maxMs: number;
  /** The heap (V8's old generation) of a rendering thread, in MB. */
  memoryMb: number;
  /** The stack of a rendering thread, in MB; deeper nesting is an error. */
  stackMb: number;
}

/**
 * Measured on a shared 2-core machine (Node 20): a 1 MB post of ordinary recap posts (prose,
 * photos, talk lists, a video) renders in 1.2 s; the slowest real content, 1 MB of 10,000 list
 * items with a photo and a link each or of 20,000 table rows, in 3.4-5.8 s, and up to 14-19 s
 * while the machine is loaded, with up to 512-768 MB of heap (the table). 5 s + 60 s per million
 * characters, at most 60 s, gives a 5 KB post 5 s (it needs milliseconds) and such a 1 MB post
 * 60 s (3 to 10 times what it needs), while 128 KB of "*a", which needs 40 s, stops after 12.7 s,
 * and no post holds a build for more than a minute. 2 GB of heap is 2.7 times what the table
 * needs, and stops a post of 200,000 list items (3.25 GB at half that size) before it takes the
 * machine's memory. 4 MB is Node's default stack for a thread.
 */
export const MARKDOWN_BUDGET: MarkdownBudget = {
  baseMs: 5_000,
  perMillionCharsMs: 60_000,
  maxMs: 60_000,
  memoryMb: 2048,
  stackMb: 4,
};

/** The characters a render reads: the body, and the part before an excerpt separator, read again. */
export function workSize(work: MarkdownWork): number {
  return work.body.length + (work.beforeSeparator?.length ?? 0);
}

/** How long rendering this post may take. */
export function timeBudgetMs(budget: MarkdownBudget, work: MarkdownWork): number {
  return Math.min(budget.maxMs, budget.baseMs + (budget.perMillionCharsMs * workSize(work)) / 1_000_000);
}
