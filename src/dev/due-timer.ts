/**
 * A timer for an instant that may be weeks away: Node's setTimeout takes at most 2^31-1 ms (about
 * 24.8 days; a longer delay fires at once), so a far instant is waited for in steps, each looking
 * at the clock again. Watch mode uses it to build when time alone changes the site.
 */

/** The longest delay setTimeout keeps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A little after the instant: a timer may fire a millisecond early, and the build must see the instant passed. */
const DUE_MARGIN_MS = 20;

/** The clock and timers a due timer runs on (tests give a fake one). */
export interface TimerClock {
  now(): number;
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Calls `fire` once, just after `instant` (ms since the epoch) has passed on `clock`; `cancel` stops it. */
export function atInstant(instant: number, fire: () => void, clock: TimerClock = systemClock): { cancel(): void } {
  let handle: unknown;
  let cancelled = false;
  const wait = () => {
    if (cancelled) return;
    const left = instant - clock.now();
    if (left > MAX_TIMER_MS) handle = clock.setTimeout(wait, MAX_TIMER_MS);
    else handle = clock.setTimeout(() => !cancelled && fire(), Math.max(0, left) + DUE_MARGIN_MS);
  };
  wait();
  return {
    cancel() {
      cancelled = true;
      clock.clearTimeout(handle);
    },
  };
}
