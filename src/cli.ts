import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BrokenLink } from './check/links.js';
import { loadConfig } from './pipeline/config.js';
import { BuildFailedError, SiteError } from './pipeline/errors.js';
import type { BuildResult, SitePlan } from './pipeline/types.js';
import type { RebuildReport } from './dev/watch.js';

const USAGE = `Usage: recap <command> [options]

A static site generator for meetup recap posts.

Commands:
  build     Build the site into the output folder (default: public/)
  new       Start a new post: recap new "Cloud Native London, May 2026"
  check     Check the built site for links, images and anchors that point at nothing
  migrate   Write recap.config.yml from a Jekyll site's _config.yml
  watch     Build, then rebuild whenever posts, templates, static files or the config change
  serve     Watch, and serve the site on a local web server that reloads open pages

Options:
  -h, --help     Show help (also: recap <command> --help)
  -v, --version  Show recap's version

Run "recap build --help" for the build options.`;

const BUILD_USAGE = `Usage: recap build [options]

Builds posts/ (or Jekyll's _posts/), templates/ and static/ into a complete site.
The output folder is replaced whole on success and left untouched on failure.

Options:
  --root DIR   Site folder (default: the current folder)
  --out DIR    Output folder (default: public/ in the site folder)
  --drafts     Also build drafts ("draft: true", or files in posts/_drafts/)
  --future     Also build posts dated in the future
  --force      Replace an output folder that recap did not write
  --no-cache   Neither read nor write the cache of rendered posts (.recap-cache/)
  --check      Then check links, images and anchors (see "recap check --help")
  -h, --help   Show this help

Exit codes: 0 built, 1 content errors (each printed as file:line:column: message), 2 bad usage.`;

const NEW_USAGE = `Usage: recap new "TITLE" [options]

Writes posts/YYYY-MM-DD-slug.md with a front-matter skeleton (title, description, image,
tags including the year, location) and prints its path. Never overwrites a file.

Options:
  --date YYYY-MM-DD   The meetup's date (default: today)
  --tags A,B          Tags, separated by commas (the year is always added)
  --draft             Mark the post "draft: true" (built with --drafts and by serve)
  --root DIR          Site folder (default: the current folder)
  -h, --help          Show this help`;

const MIGRATE_USAGE = `Usage: recap migrate [options]

Writes recap.config.yml with the settings read from a Jekyll site's _config.yml and
reports what it could not carry over. Changes nothing else; never overwrites.

Options:
  --root DIR   Site folder (default: the current folder)
  -h, --help   Show this help`;

const CHECK_USAGE = `Usage: recap check [options]

Reads the built site and reports every internal link, image, stylesheet or script that
points at nothing, and every #anchor missing on its target page, grouped by the post or
page that produced it. External links are not fetched. Run it after "recap build", or
use "recap build --check".

Options:
  --root DIR   Site folder (default: the current folder)
  --out DIR    The built site (default: public/ in the site folder)
  -h, --help   Show this help

Exit codes: 0 nothing broken, 1 broken links (or site errors), 2 bad usage.`;

const WATCH_USAGE = `Usage: recap watch [options]

Builds the site, then rebuilds on every change to posts/, templates/, static/ and
recap.config.yml, rewriting only files whose content changed and removing files no
longer built. Errors are printed and the last good output stays. Stop with Ctrl-C.

Options:
  --root DIR   Site folder (default: the current folder)
  --out DIR    Output folder (default: public/ in the site folder)
  --drafts     Also build drafts ("draft: true", or files in posts/_drafts/)
  --future     Also build posts dated in the future
  --force      Replace an output folder that recap did not write
  --no-cache   Neither read nor write the cache of rendered posts (.recap-cache/)
  -h, --help   Show this help`;

const SERVE_USAGE = `Usage: recap serve [options]

Watches the site (see "recap watch --help") and serves the output folder at
http://127.0.0.1:8080/ (under basePath), as a static host would. Open pages reload
when a rebuild changes files; a changed stylesheet is swapped in place; build errors
show over the page until the next good build. Stop with Ctrl-C.

Options:
  --root DIR    Site folder (default: the current folder)
  --out DIR     Output folder (default: public/ in the site folder)
  --no-drafts   Leave drafts out (serve shows them by default, with a "draft" badge)
  --future      Also build posts dated in the future
  --force       Replace an output folder that recap did not write
  --no-cache    Neither read nor write the cache of rendered posts (.recap-cache/)
  --port N      Port to listen on (default: 8080; the next free one if taken)
  --host ADDR   Address to listen on (default: 127.0.0.1; 0.0.0.0 for your network)
  --open        Open the site in the default browser
  -h, --help    Show this help`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal that may show colour and a progress line. */
  interactive: boolean;
  color: boolean;
}

function defaultIo(): Io {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    interactive,
    color: interactive && process.env.NO_COLOR === undefined,
  };
}

class UsageError extends Error {}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** One line on a terminal, rewritten in place; shown only once work has taken over a second. */
function progressLine(io: Io): { update: (stage: string, done: number, total: number) => void; clear: () => void } {
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

const SITE_OPTIONS = {
  root: { type: 'string' },
  out: { type: 'string' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  force: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function siteOptions(values: { out?: string; drafts?: boolean; future?: boolean; force?: boolean; 'no-cache'?: boolean }) {
  return {
    outDir: values.out === undefined ? undefined : path.resolve(values.out),
    drafts: values.drafts,
    future: values.future,
    force: values.force,
    cache: values['no-cache'] ? false : undefined,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function printErrors(io: Io, errors: SiteError[]): void {
  const red = (text: string) => (io.color ? `\x1b[31m${text}\x1b[39m` : text);
  for (const e of errors) io.err(`${red('error')} ${e.format()}`);
}

function printWarnings(io: Io, warnings: string[]): void {
  const yellow = (text: string) => (io.color ? `\x1b[33m${text}\x1b[39m` : text);
  for (const warning of warnings) io.err(`${yellow('warning')} ${warning}`);
}

function summary(result: BuildResult): string {
  const where = path.relative(process.cwd(), result.outDir) || '.';
  return `Built ${plural(result.posts, 'post')} into ${where}/: ${plural(result.files, 'file')} (${plural(result.pages, 'page')}) in ${(result.timings.total / 1000).toFixed(2)} s`;
}

/** Output path → the file that asked for it ("" for generated pages). */
function outputOrigins(plan: SitePlan): Map<string, string> {
  return new Map([...plan.outputs.map((p) => [p.outPath, p.origin.file] as const), ...plan.copies.map((c) => [c.outPath, c.origin.file] as const)]);
}

/**
 * Prints broken links grouped by the file that produced each page; returns the exit code.
 * The origins are asked for only when something is broken: planning is most of a check's time.
 */
function reportBrokenLinks(io: Io, broken: BrokenLink[], getOrigins: () => Map<string, string>): number {
  if (broken.length === 0) {
    io.out('Checked links: nothing broken.');
    return 0;
  }
  const origins = getOrigins();
  const groups = new Map<string, BrokenLink[]>();
  for (const link of broken) {
    const source = origins.get(link.page) || link.page;
    groups.set(source, [...(groups.get(source) ?? []), link]);
  }
  for (const [source, links] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    io.err(source);
    for (const link of links) io.err(`  ${link.page}: ${link.reference} ${link.problem}`);
  }
  io.err(`Found ${plural(broken.length, 'broken link')} on ${plural(new Set(broken.map((b) => b.page)).size, 'page')}.`);
  return 1;
}

async function runBuildCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { ...SITE_OPTIONS, check: { type: 'boolean' } }, strict: true, allowPositionals: false });
  if (values.help) {
    io.out(BUILD_USAGE);
    return 0;
  }
  const progress = progressLine(io);
  try {
    const config = loadConfig(values.root ?? '.', siteOptions(values));
    const { buildSite } = await import('./pipeline/build.js');
    const result = await buildSite(config, { onProgress: progress.update });
    progress.clear();
    printWarnings(io, result.warnings);
    io.out(summary(result));
    if (!values.check) return 0;
    const { checkLinks } = await import('./check/links.js');
    const origins = outputOrigins(result.plan);
    return reportBrokenLinks(io, checkLinks(config.outDir, config.basePath, config.url, origins.keys()), () => origins);
  } catch (error) {
    progress.clear();
    const errors = error instanceof BuildFailedError ? error.errors : error instanceof SiteError ? [error] : undefined;
    if (!errors) throw error;
    printErrors(io, errors);
    io.err(`Build failed with ${plural(errors.length, 'error')}; the output folder was left as it was.`);
    return 1;
  }
}

async function runNew(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { root: { type: 'string' }, date: { type: 'string' }, tags: { type: 'string' }, draft: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.out(NEW_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('recap new takes one title, in quotes: recap new "March meetup recap"');
  const { createPost } = await import('./commands/new.js');
  return withSiteErrors(io, () => {
    const root = values.root ?? '.';
    const config = loadConfig(root, { force: true }); // only posts/ is written to
    const file = createPost(root, { title: positionals[0], date: values.date, tags: values.tags?.split(','), draft: values.draft, postsDir: config.postsDir });
    io.out(path.join(path.relative(process.cwd(), path.resolve(root)), file) || file);
    return 0;
  });
}

/** Runs a command's work; recap's own errors are printed (exit 1), anything else is a bug and thrown. */
async function withSiteErrors(io: Io, work: () => number | Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    const errors = error instanceof BuildFailedError ? error.errors : error instanceof SiteError ? [error] : undefined;
    if (!errors) throw error;
    printErrors(io, errors);
    return 1;
  }
}

async function runMigrate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { root: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    io.out(MIGRATE_USAGE);
    return 0;
  }
  const { migrate } = await import('./jekyll/migrate.js');
  return withSiteErrors(io, () => {
    const result = migrate(path.resolve(values.root ?? '.'));
    io.out(`Wrote recap.config.yml: ${Object.keys(result.written).join(', ')}`);
    if (result.stillRead.length) io.out(`Still read from _config.yml (no recap.config.yml key for them): ${result.stillRead.join(', ')}`);
    if (result.notCarried.length) io.out(`Not carried over (recap does not use them): ${result.notCarried.join(', ')}`);
    return 0;
  });
}

async function runCheck(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { root: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    io.out(CHECK_USAGE);
    return 0;
  }
  return withSiteErrors(io, async () => {
    // check only reads the output, whoever wrote it.
    const config = loadConfig(values.root ?? '.', { ...siteOptions(values), force: true });
    if (!fs.existsSync(config.outDir)) {
      io.err(`recap: ${path.relative(process.cwd(), config.outDir) || '.'} does not exist; run "recap build" first.`);
      return 1;
    }
    const { checkLinks } = await import('./check/links.js');
    const { planFrontMatter } = await import('./pipeline/build.js');
    const broken = checkLinks(config.outDir, config.basePath, config.url);
    const origins = broken.length > 0 ? outputOrigins(await planFrontMatter(config)) : new Map<string, string>();
    return reportBrokenLinks(io, broken, () => origins);
  });
}

/** One line per rebuild: what changed, what was written and removed, how long it took. */
function reportLine(io: Io, report: RebuildReport, first: boolean): void {
  if (report.errors) {
    printErrors(io, report.errors);
    io.err(`Build failed with ${plural(report.errors.length, 'error')}; the output folder keeps the last good build.`);
    return;
  }
  const result = report.result!;
  if (first) {
    printWarnings(io, result.warnings);
    io.out(summary(result));
    return;
  }
  const what = report.changed.length === 1 ? report.changed[0] : plural(report.changed.length, 'change');
  io.out(`${what}: wrote ${plural(result.written.length, 'file')}, removed ${result.removed.length} in ${Math.round(result.timings.total)} ms`);
}

/** Resolves when the process is asked to stop (Ctrl-C, or SIGTERM from a supervisor). */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  void import('node:child_process').then(({ spawn }) => spawn(command, args, { stdio: 'ignore', detached: true }).on('error', () => {}).unref());
}

async function runWatch(args: string[], io: Io, serve: boolean): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...SITE_OPTIONS, port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' }, 'no-drafts': { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.out(serve ? SERVE_USAGE : WATCH_USAGE);
    return 0;
  }
  if (!serve && (values.port !== undefined || values.host !== undefined || values.open || values['no-drafts'])) {
    throw new UsageError('--port, --host, --open and --no-drafts are options of "recap serve"');
  }
  if (values.drafts && values['no-drafts']) throw new UsageError('--drafts and --no-drafts contradict each other');
  // serve previews drafts unless told not to; its output then equals `recap build --drafts`.
  if (serve) values.drafts = !values['no-drafts'];
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${values.port}"`);
  const { watchSite } = await import('./dev/watch.js');
  const root = path.resolve(values.root ?? '.');
  const options = siteOptions(values);
  let server: import('./dev/serve.js').SiteServer | undefined;
  let first = true;
  const watcher = watchSite(root, options, (report) => {
    reportLine(io, report, first);
    first = false;
    if (report.errors) server?.notifyFailed(report.errors.map((e) => e.format()));
    else server?.notifyChanged([...report.result!.written, ...report.result!.removed]);
  });
  const firstReport = await watcher.ready;
  if (serve) {
    const { startServer } = await import('./dev/serve.js');
    // The base path follows the config as it is rebuilt (and stays the last good one while it is broken).
    let lastBasePath = watcher.config?.basePath ?? '/';
    const basePath = () => (lastBasePath = watcher.config?.basePath ?? lastBasePath);
    const host = values.host ?? '127.0.0.1';
    server = await startServer({ outDir: path.resolve(root, options.outDir ?? 'public'), basePath, host, port, findFreePort: true });
    if (server.port !== port) io.out(`Port ${port} is in use; using ${server.port}.`);
    io.out(`Serving at ${server.url} (Ctrl-C to stop)`);
    if (firstReport.errors) server.notifyFailed(firstReport.errors.map((e) => e.format()));
    if (values.open) openInBrowser(server.url);
  } else {
    io.out('Watching for changes (Ctrl-C to stop)');
  }
  await untilStopped();
  await watcher.close();
  await server?.close();
  return 0;
}

/** argv (without node and script) → exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.err(USAGE);
      return 2;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (command === '-v' || command === '--version') {
      io.out(await version());
      return 0;
    }
    if (command === 'build') return await runBuildCommand(rest, io);
    if (command === 'new') return await runNew(rest, io);
    if (command === 'check') return await runCheck(rest, io);
    if (command === 'migrate') return await runMigrate(rest, io);
    if (command === 'watch') return await runWatch(rest, io, false);
    if (command === 'serve') return await runWatch(rest, io, true);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`recap: ${(error as Error).message}`);
      io.err('Run "recap --help" for usage.');
      return 2;
    }
    throw error;
  }
}
