import path from 'node:path';
import { parseCommandArgs } from './args.js';
import type { RebuildReport, SiteWatcher } from '../dev/watch.js';
import fs from 'node:fs';
import { ConfigError } from '../pipeline/errors.js';
import type { OutputLock } from '../pipeline/output-lock.js';
import { shownPath } from '../util/files.js';
import {
  failedOutputOutcome,
  lockOutputFolder,
  outDirOf,
  plural,
  printBuildFailure,
  printBuilt,
  SITE_OPTIONS,
  SITE_OPTIONS_HELP,
  siteOptions,
  UsageError,
  withSiteErrors,
  type Io,
  type SiteOptions,
} from './io.js';

const USAGE = `Usage: recap watch [options]

Builds the site, then rebuilds on every change to posts/, templates/, static/ and
recap.config.yml, rewriting only files whose content changed (each file whole) and
removing files no longer built. Errors are printed and the last good output stays.
While it runs, no other recap process writes the output folder. Stop with Ctrl-C.

Options:
${SITE_OPTIONS_HELP}
  -h, --help   Show this help`;

/** serve's options are known to watch too, so that giving them to watch says where they belong. */
const OPTIONS = { ...SITE_OPTIONS, port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' }, 'no-drafts': { type: 'boolean' } } as const;

export interface WatchOptions {
  root: string;
  site: SiteOptions;
  port: number;
  host: string;
  open: boolean;
}

/** The options of watch (serve false) or serve; undefined once `usage` has been printed for --help. */
export function parseWatchArgs(args: string[], io: Io, serve: boolean, usage: string): WatchOptions | undefined {
  const { values } = parseCommandArgs({ args, options: OPTIONS, allowPositionals: false });
  if (values.help) {
    io.out(usage);
    return undefined;
  }
  if (!serve && (values.port !== undefined || values.host !== undefined || values.open || values['no-drafts'])) {
    throw new UsageError('--port, --host, --open and --no-drafts are options of "recap serve"');
  }
  if (values.drafts && values['no-drafts']) throw new UsageError('--drafts and --no-drafts contradict each other');
  // serve previews drafts unless told not to; its output then equals `recap build --drafts`.
  if (serve) values.drafts = !values['no-drafts'];
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${values.port}"`);
  return { root: path.resolve(values.root ?? '.'), site: siteOptions(values), port, host: values.host ?? '127.0.0.1', open: values.open ?? false };
}

/**
 * Builds, then rebuilds on every change, printing one line per build; `onReport` hears of each
 * build after it is printed. Resolves once the first build is done.
 */
export async function startWatching(
  io: Io,
  options: WatchOptions,
  onReport: (report: RebuildReport) => void = () => {},
): Promise<{ watcher: SiteWatcher; firstReport: RebuildReport }> {
  // Loaded only now so that --help and usage errors stay quick.
  const { watchSite } = await import('../dev/watch.js');
  let first = true;
  const watcher = watchSite(options.root, options.site, (report) => {
    reportLine(io, outDirOf(options.root, options.site), report, first);
    first = false;
    onReport(report);
  });
  return { watcher, firstReport: await watcher.ready };
}

/** One line per rebuild: what changed, what was written and removed, how long it took. */
function reportLine(io: Io, outDir: string, report: RebuildReport, first: boolean): void {
  if (report.errors) {
    printBuildFailure(io, report.errors, failedOutputOutcome(outDir, report.output ?? { kind: 'unmarked' }, 'watch'));
    return;
  }
  const result = report.result!;
  if (first) {
    printBuilt(io, result);
    return;
  }
  // A build time asked for names the moment: a future post fell due, or an upcoming event ended; the search index written once rebuilds paused has a line of its own.
  const what = report.search ? 'search index' : report.due ? `due at ${report.due.toISOString()} (a dated post or an event)` : report.changed.length === 1 ? report.changed[0] : plural(report.changed.length, 'change');
  io.out(`${what}: wrote ${plural(result.written.length, 'file')}, removed ${result.removed.length} in ${Math.round(result.timings.total)} ms`);
}

/** Resolves when the process is asked to stop (Ctrl-C, or SIGTERM from a supervisor). */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * Takes the output folder's lock for watch or serve, which hold it until they stop (see
 * lockOutputFolder). The site folder must exist: the lock goes beside the output, in it.
 */
export async function lockForWatching(io: Io, options: WatchOptions, kind: 'watch' | 'serve', args: string[]): Promise<OutputLock> {
  if (!fs.statSync(options.root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(shownPath(options.root), 'is not a folder; pass the site folder with --root');
  }
  return lockOutputFolder(io, outDirOf(options.root, options.site), kind, args);
}

export async function run(args: string[], io: Io): Promise<number> {
  const options = parseWatchArgs(args, io, false, USAGE);
  if (!options) return 0;
  return withSiteErrors(io, async () => {
    const lock = await lockForWatching(io, options, 'watch', args);
    try {
      const stopped = untilStopped();
      const { watcher } = await startWatching(io, options);
      io.out('Watching for changes (Ctrl-C to stop)');
      await stopped;
      await watcher.close();
    } finally {
      lock.release();
    }
    return 0;
  });
}
