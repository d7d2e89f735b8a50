/**
 * What a Nunjucks template (a post body or a layout) may allocate at once. Nunjucks has no limits
 * of its own: `range(0, 1e9)` makes a list of a billion numbers, `"x" | center(1e9)` a billion
 * spaces one at a time, and a string doubled in a loop reaches hundreds of MB before it is
 * printed. Each of these fills the memory faster than the time limit (util/time-limit.ts) stops
 * it, so they are refused where they happen; time itself is bounded by the time limit.
 */
import nunjucks from 'nunjucks';
import { RANGE_LIMIT, VALUE_LIMIT } from '../pipeline/limits.js';

type Filter = (...args: unknown[]) => unknown;

const describeSize = (chars: number) => `${(chars / 1024 / 1024).toFixed(0)} MB`;

/** A template asked for more than the limits allow. */
export class TemplateLimitError extends Error {
  override name = 'TemplateLimitError';
}

/**
 * Whether a template error is one of a limit: ours, or JavaScript's own for a text longer than
 * it can hold or recursion deeper than its stack.
 */
export function isOverLimit(error: unknown): boolean {
  const cause = (error as { cause?: unknown }).cause ?? error;
  return cause instanceof TemplateLimitError || (cause instanceof RangeError && /Invalid string length|Maximum call stack/.test(cause.message));
}

/** JavaScript's words for its own limits, made plain. */
export function explainLimit(message: string): string {
  return message
    .replace(/^Invalid string length$/, 'makes a text longer than JavaScript can hold (Invalid string length)')
    .replace(/^Maximum call stack size exceeded$/, 'recurses deeper than JavaScript can (Maximum call stack size exceeded)');
}

function checkText(value: unknown, what: string): void {
  const length = typeof value === 'string' ? value.length : value instanceof nunjucks.runtime.SafeString ? value.length : 0;
  if (length > VALUE_LIMIT) throw new TemplateLimitError(`${what} is ${describeSize(length)} of text; templates may handle at most ${describeSize(VALUE_LIMIT)} at once`);
}

/**
 * Printing a value escapes it, which copies it whole: a string over the limit is refused first
 * (a SafeString, like a page's content, is not escaped). Patched once on nunjucks' runtime, like
 * the member lookups in environment.ts: it keeps no state.
 */
const runtime = nunjucks.runtime as unknown as { suppressValue: (value: unknown, autoescape: boolean) => unknown; recapLimited?: boolean };
if (!runtime.recapLimited) {
  const suppress = runtime.suppressValue;
  runtime.suppressValue = (value, autoescape) => {
    if (typeof value === 'string') checkText(value, 'a printed value');
    return suppress(value, autoescape);
  };
  runtime.recapLimited = true;
}

/** Nunjucks' range, with at most RANGE_LIMIT numbers. */
export function boundedRange(start: unknown, stop?: unknown, step?: unknown): number[] {
  const [from, to, by] = stop === undefined ? [0, Number(start), 1] : [Number(start), Number(stop), step === undefined || step === 0 ? 1 : Number(step)];
  const count = Math.ceil((to - from) / by);
  // Nunjucks gives nothing for numbers it cannot count with (range(page.missing)).
  if (Number.isNaN(count)) return [];
  if (!Number.isFinite(count) || count > RANGE_LIMIT) {
    throw new TemplateLimitError(`range(${[start, stop, step].filter((v) => v !== undefined).join(', ')}) would make more than ${RANGE_LIMIT.toLocaleString('en')} numbers`);
  }
  return Array.from({ length: Math.max(0, count) }, (_, i) => from + i * by);
}

/** Filters whose numeric argument is a count of things they make (spaces, groups). */
const COUNT_ARGUMENTS: Record<string, number> = { center: 1, indent: 1, batch: 1, slice: 1 };

function limitFilter(name: string, filter: Filter): Filter {
  return function (this: unknown, ...args: unknown[]) {
    args.forEach((arg, i) => checkText(arg, i === 0 ? `the text given to "${name}"` : `an argument of "${name}"`));
    const at = COUNT_ARGUMENTS[name];
    if (at !== undefined && Number(args[at]) > RANGE_LIMIT) {
      throw new TemplateLimitError(`"${name}" was asked for ${String(args[at])}; templates may ask for at most ${RANGE_LIMIT.toLocaleString('en')}`);
    }
    return filter.apply(this, args);
  };
}

/** Applies the limits to one environment: its range and every filter it has now. */
export function limitTemplates(env: nunjucks.Environment): void {
  env.addGlobal('range', boundedRange);
  const filters = (env as unknown as { filters: Record<string, Filter> }).filters;
  for (const [name, filter] of Object.entries(filters)) filters[name] = limitFilter(name, filter);
}
