import fs from 'node:fs';
import path from 'node:path';
import { BuildFailedError, fileSystemError, SiteError } from '../pipeline/errors.js';
import type { LockKind, OutputLock } from '../pipeline/output-lock.js';
import { OUTPUT_MARKER, type OutputState } from '../pipeline/output-marker.js';
import { shownPath } from '../util/files.js';
import { basePathReason, parseSiteUrl } from '../pipeline/config-checks.js';
import type { BuildResult } from '../pipeline/types.js';

/** Where a command prints; main() takes one so that a caller can capture the output. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal that may show colour and a progress line. */
  interactive: boolean;
  color: boolean;
  /**
   * Where a command may ask a question (recap init): set only when stdin is a terminal too, so a
   * command run from a script, a pipe or CI never waits for an answer.
   */
  terminal?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };
}

/**
 * A reader that stops reading (`recap check | head -3`) closes the pipe: the next write fails with
 * EPIPE, which Node throws as an uncaught error with its stack trace. That is how such a pipe ends
 * (as with any command line tool), not a problem of recap's: the output just stops there.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

export function defaultIo(): Io {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    interactive,
    color: interactive && process.env.NO_COLOR === undefined,
    terminal: interactive && process.stdin.isTTY ? { input: process.stdin, output: process.stderr } : undefined,
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

/** Each error on its line, up to SHOWN_ERRORS, then a line counting the rest. */
export function printErrors(io: Io, errors: SiteError[]): void {
  const { shown, rest } = shownErrors(errors);
  for (const e of shown) io.err(`${paint(io, 31, 'error')} ${e.format()}`);
  if (rest) io.err(rest);
}

export function printWarnings(io: Io, warnings: string[]): void {
  for (const warning of warnings) io.err(`${paint(io, 33, 'warning')} ${warning}`);
}

/**
 * At most this many errors are printed (and shown in serve's overlay); the rest are counted. A
 * site whose every post is broken the same way (an import, a changed default) gives thousands of
 * lines, which only scroll the first ones and the summary out of sight; fixing what is shown
 * usually fixes the rest.
 */
export const SHOWN_ERRORS = 200;

/** "28 errors in 22 files" ("1 error", "3 errors in 1 file"). */
export function errorCount(errors: SiteError[]): string {
  if (errors.length === 1) return '1 error';
  return `${plural(errors.length, 'error')} in ${plural(new Set(errors.map((e) => e.file)).size, 'file')}`;
}

/**
 * The errors to show, and a line counting those left out. It ends at a file's last error, so that
 * each file shown is shown whole (unless its own errors alone are over the limit).
 */
export function shownErrors(errors: SiteError[]): { shown: SiteError[]; rest?: string } {
  if (errors.length <= SHOWN_ERRORS) return { shown: errors };
  let end = SHOWN_ERRORS;
  while (end > 0 && errors[end].file === errors[end - 1].file) end--;
  if (end === 0) end = SHOWN_ERRORS;
  const hidden = errors.slice(end);
  const files = plural(new Set(hidden.map((e) => e.file)).size, 'file');
  return { shown: errors.slice(0, end), rest: `… and ${plural(hidden.length, 'more error')} (in ${files}) not shown: fix those above and build again to see them` };
}

/** The errors, then what became of the output folder (which differs between build and watch). */
export function printBuildFailure(io: Io, errors: SiteError[], outcome: string): void {
  printErrors(io, errors);
  io.err(`Build failed with ${errorCount(errors)}; ${outcome}`);
}

/**
 * What a failed build left in the output folder, read from its marker rather than assumed: a
 * failed build changes nothing, but a watch rebuild that could not finish writing (disk full)
 * leaves an update part-way, and so may one killed before this build.
 */
export function failedOutputOutcome(outDir: string, state: OutputState, command: 'build' | 'watch'): string {
  if (state.kind === 'updating') {
    const next = command === 'watch' ? 'the next good rebuild (save a file) or "recap build"' : 'the next good build';
    return `${shownPath(outDir)}/ is part-way through an update: some files are from the last good build and some from the new one (each file whole, and ${OUTPUT_MARKER} says so); ${next} writes it whole.`;
  }
  if (state.kind === 'unmarked' && !fs.existsSync(outDir)) return `nothing was written to ${shownPath(outDir)}/.`;
  return command === 'watch' ? 'the output folder keeps the last good build.' : 'the output folder was left as it was.';
}

/** How long a command waits for a build in another process that is writing the same output folder. */
const BUILD_WAIT_MS = 60_000;

/**
 * Takes the output folder's lock for a command (see pipeline/output-lock.ts), saying so when it
 * waits for another process's build. Throws OutputLockedError naming a watch or serve that holds it.
 */
export async function lockOutputFolder(io: Io, outDir: string, kind: LockKind, args: string[]): Promise<OutputLock> {
  const { lockOutput } = await import('../pipeline/output-lock.js');
  const command = ['recap', kind, ...args.map((arg) => (/[\s"'\\]/.test(arg) ? JSON.stringify(arg) : arg))].join(' ');
  return lockOutput(outDir, {
    kind,
    command,
    waitMs: BUILD_WAIT_MS,
    onWait: (holder) => io.err(`Waiting for process ${holder.pid} ("${holder.command}") to finish writing ${shownPath(outDir)}/ …`),
  });
}

/** The output folder a command writes, from its options: --out, else public/ in the site folder. */
export const outDirOf = (root: string, site: { outDir?: string }) => path.resolve(root, site.outDir ?? 'public');

/** How much a build says: "quiet" errors only, "verbose" also each stage's time. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** A finished build's warnings, then its one-line summary (and with --verbose, where the time went). */
export function printBuilt(io: Io, result: BuildResult, verbosity: Verbosity = 'normal'): void {
  if (verbosity === 'quiet') return;
  printWarnings(io, result.warnings);
  const where = shownPath(result.outDir);
  const drafts = result.draftsLeftOut > 0 ? `; ${plural(result.draftsLeftOut, 'draft')} left out (--drafts builds ${result.draftsLeftOut === 1 ? 'it' : 'them'})` : '';
  io.out(`Built ${plural(result.posts, 'post')} into ${where}/: ${plural(result.files, 'file')} (${plural(result.pages, 'page')}) in ${(result.timings.total / 1000).toFixed(2)} s${drafts}`);
  if (verbosity === 'verbose') {
    const { total, ...stages } = result.timings;
    io.out(`  ${Object.entries(stages).map(([stage, ms]) => `${stage} ${Math.round(ms)} ms`).join(', ')} (total ${Math.round(total)} ms)`);
    io.out(`  wrote ${plural(result.written.length, 'file')}, removed ${result.removed.length}`);
  }
}

/** The options of every command that builds (build, watch, serve). */
/** The help lines of SITE_OPTIONS, for the commands that take them (build, watch). */
export const SITE_OPTIONS_HELP = `  --root DIR   Site folder (default: the current folder)
  --out DIR    Output folder (default: public/ in the site folder)
  --drafts     Also build drafts ("draft: true", or files in posts/_drafts/)
  --future     Also build posts dated in the future
  --force      Delete files in the output folder that recap did not write
               (without it the build stops and names them; keepFiles are kept)
  --no-cache   Neither read nor write the cache of rendered posts (.recap-cache/)
  --url URL    The site's address for this build instead of the config's "url" (a
               preview deployment); a path in it is the base path
  --base-path PATH  The base path for this build instead of the config's "basePath"`;

export const SITE_OPTIONS = {
  root: { type: 'string' },
  out: { type: 'string' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  force: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  url: { type: 'string' },
  'base-path': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type SiteOptions = ReturnType<typeof siteOptions>;

export function siteOptions(values: { out?: string; drafts?: boolean; future?: boolean; force?: boolean; 'no-cache'?: boolean; url?: string; 'base-path'?: string }) {
  return {
    outDir: values.out === undefined ? undefined : path.resolve(values.out),
    drafts: values.drafts,
    future: values.future,
    force: values.force,
    cache: values['no-cache'] ? false : undefined,
    ...addressOptions(values.url, values['base-path']),
  };
}

/**
 * --url and --base-path, checked as the config's keys are (a wrong one is bad usage: exit 2). The
 * two must not name different paths: --url https://x.example/a --base-path /b/ says two things.
 */
function addressOptions(url: string | undefined, basePath: string | undefined): { url?: string; basePath?: string } {
  const normalized = basePath === undefined ? undefined : `/${basePath}/`.replace(/^\/+/, '/').replace(/\/+$/, '/');
  if (normalized !== undefined) {
    const reason = basePathReason(normalized);
    if (reason) throw new UsageError(`--base-path ${reason}`);
  }
  if (url !== undefined) {
    const parsed = parseSiteUrl(url);
    if (typeof parsed === 'string') throw new UsageError(`--url ${parsed}`);
    if (normalized !== undefined && parsed.path !== '/' && parsed.path !== normalized) {
      throw new UsageError(`--url has the path ${parsed.path} but --base-path is ${normalized}; give the path in one of them`);
    }
  }
  return { url, basePath: normalized };
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
