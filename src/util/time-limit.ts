/**
 * A time limit for synchronous work on input from strangers (a body template's loops, a layout's
 * recursion): work that would run for minutes is stopped and named instead.
 *
 * Node's vm module is the one way to interrupt synchronous JavaScript from outside: a script run
 * with `timeout` is stopped by V8 wherever it is (loops, regular expressions, JSON), and whatever it
 * called is stopped with it. Each such run starts a watchdog thread (about 0.3 ms), so items are run
 * in batches: a batch stops starting new items after a tenth of the limit, so every item has at
 * least nine tenths of the limit to itself, and a site with thousands of pages starts a handful of
 * watchdogs rather than thousands.
 */
import vm from 'node:vm';

/** An item the time limit stopped. */
export class TimeLimitExceeded extends Error {
  constructor(readonly limitMs: number) {
    super(`took longer than ${limitMs / 1000} s`);
    this.name = 'TimeLimitExceeded';
  }
}

interface Batch {
  run?: () => void;
}

// The timeout error comes from the sandbox's realm: it is no instance of this realm's Error.
const isTimeout = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';

/**
 * Calls `each` on every item in order, in this thread. An item still running after the limit
 * is stopped: `stopped` is called with it and the loop goes on with the next. Errors thrown by
 * `each` are not caught. `each` must leave nothing half-done that a later item relies on when
 * it is stopped (it is stopped between any two statements; finally blocks do not run).
 */
export function forEachWithinTime<T>(items: readonly T[], limitMs: number, each: (item: T) => void, stopped: (item: T, error: TimeLimitExceeded) => void): void {
  const sandbox: Batch = vm.createContext({});
  const script = new vm.Script('run()');
  let next = 0;
  while (next < items.length) {
    const started = performance.now();
    sandbox.run = () => {
      do each(items[next++]);
      while (next < items.length && performance.now() - started < limitMs / 10);
    };
    try {
      script.runInContext(sandbox, { timeout: limitMs });
    } catch (error) {
      if (!isTimeout(error)) throw error;
      stopped(items[next - 1], new TimeLimitExceeded(limitMs));
    }
  }
}

/** Runs one piece of work within the limit; throws TimeLimitExceeded when it is stopped. */
export function runWithinTime<T>(limitMs: number, work: () => T): T {
  let result: { value: T } | undefined;
  let stoppedError: TimeLimitExceeded | undefined;
  forEachWithinTime([work], limitMs, (item) => (result = { value: item() }), (_item, error) => (stoppedError = error));
  if (stoppedError || !result) throw stoppedError ?? new TimeLimitExceeded(limitMs);
  return result.value;
}
