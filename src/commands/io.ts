import path from 'node:path';
import { BuildFailedError, fileSystemError, SiteError } from '../pipeline/errors.js';
import type { BuildResult } from '../pipeline/types.js';

/** Where a command prints; main() takes one so that a caller can capture the output. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal that may show colour and a progress line. */
  interactive: boolean;
  color: boolean;
}

export function defaultIo(): Io {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    interactive,
    color: interactive && process.env.NO_COLOR === undefined,
  };
}

/** Bad arguments: main prints the message and exits 2. */
export class UsageError extends Error {}

/** A command's entry point: its arguments (after the command name) → exit code. */
export type Command = (args: string[], io: Io) => Promise<number>;

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line on a terminal, rewritten in place; shown only once work has taken over a second. */
export function progressLine(io: Io): { update: (stage: string, done: number, total: number) => void; clear: () => void } {
  const started = Date.now();
  let shown = false;
  let last = 0;
  return {
    update(stage, done, total) {
      if (!io.interactive) return;
      const now = Date.now();
      if (now - started < 1000 || (now - last < 100 && done < total)) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[K${stage} ${done}/${total}`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/** An ANSI foreground colour (31 red, 33 yellow) when the terminal may show one. */
const paint = (io: Io, code: number, text: string) => (io.color ? `\x1b[${code}m${text}\x1b[39m` : text);

export function printErrors(io: Io, errors: SiteError[]): void {
  for (const e of errors) io.err(`${paint(io, 31, 'error')} ${e.format()}`);
}

export function printWarnings(io: Io, warnings: string[]): void {
  for (const warning of warnings) io.err(`${paint(io, 33, 'warning')} ${warning}`);
}

/** The errors, then what became of the output folder (which differs between build and watch). */
export function printBuildFailure(io: Io, errors: SiteError[], outcome: string): void {
  printErrors(io, errors);
  io.err(`Build failed with ${plural(errors.length, 'error')}; ${outcome}`);
}

/** A finished build's warnings, then its one-line summary. */
export function printBuilt(io: Io, result: BuildResult): void {
  printWarnings(io, result.warnings);
  const where = path.relative(process.cwd(), result.outDir) || '.';
  io.out(`Built ${plural(result.posts, 'post')} into ${where}/: ${plural(result.files, 'file')} (${plural(result.pages, 'page')}) in ${(result.timings.total / 1000).toFixed(2)} s`);
}

/** The options of every command that builds (build, watch, serve). */
export const SITE_OPTIONS = {
  root: { type: 'string' },
  out: { type: 'string' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  force: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type SiteOptions = ReturnType<typeof siteOptions>;

export function siteOptions(values: { out?: string; drafts?: boolean; future?: boolean; force?: boolean; 'no-cache'?: boolean }) {
  return {
    outDir: values.out === undefined ? undefined : path.resolve(values.out),
    drafts: values.drafts,
    future: values.future,
    force: values.force,
    cache: values['no-cache'] ? false : undefined,
  };
}

/**
 * Runs a command's work; recap's own errors and file-system errors (a full disk, a read-only
 * folder) are printed as one line each (exit 1), anything else is a bug and thrown.
 * `printFailure` lets build say what became of the output folder.
 */
export async function withSiteErrors(
  io: Io,
  work: () => number | Promise<number>,
  printFailure: (errors: SiteError[]) => void = (errors) => printErrors(io, errors),
): Promise<number> {
  try {
    return await work();
  } catch (error) {
    const mapped = error instanceof SiteError ? error : fileSystemError(error);
    const errors = error instanceof BuildFailedError ? error.errors : mapped ? [mapped] : undefined;
    if (!errors) throw error;
    printFailure(errors);
    return 1;
  }
}
