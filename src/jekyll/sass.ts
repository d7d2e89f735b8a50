/**
 * A Jekyll site's Sass stylesheets (`assets/main.scss`, `css/style.scss` with front matter),
 * compiled as jekyll-sass-converter does: `sass:` in _config.yml (sass_dir, default `_sass`;
 * load_paths; style; sourcemap; add_charset), Liquid first, `.scss` and indented `.sass`, written
 * beside the source as `.css` with a `.css.map`.
 *
 * Stylesheets are compiled in a thread (sass-worker.ts → sass-compile.ts), each within a time
 * limit, the thread within a memory limit: Sass is a programming language (`@for $i from 1 through 1000000000` and
 * a mixin calling itself are valid), dart-sass has no limit of its own, and its compile is
 * synchronous. A thread over either limit is stopped, the stylesheet is an error naming it, and
 * the next stylesheet gets a new thread.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import fg from 'fast-glob';
import { ConfigError, SassError, type SiteError } from '../pipeline/errors.js';
import type { SiteConfig } from '../pipeline/types.js';
import { isInside, realPath } from '../util/real-paths.js';
import { JEKYLL_CONFIG_FILE } from './config.js';
import type { SassJob, SassOutcome } from './sass-compile.js';

/**
 * How long one stylesheet may take to compile. Bootstrap 5.3 whole (10,000 lines of Sass in 80
 * partials, the largest stylesheet a meetup blog is likely to hold) took 4 s warm and 9-12 s in a
 * fresh thread with dart-sass's JavaScript build on a shared 2-core machine at load 10; a minima
 * theme's stylesheet 1.4 s. 60 s, as for a post's markdown, leaves room for a slower machine and
 * stops a loop of a billion steps (hours of work) within the minute.
 */
export const SASS_TIME_LIMIT_MS = 60_000;
/** The heap of a compiling thread, in MB: Bootstrap needs under 150; an endless @each over a growing list stops here. */
export const SASS_MEMORY_MB = 1024;

/** A stylesheet is a `.scss` or `.sass` file (with front matter: Jekyll copies one without it as it is). */
export const isSassFile = (file: string) => /\.s[ac]ss$/i.test(file);

/** The `sass:` settings of _config.yml, as recap uses them. */
export interface SassSettings {
  /** Folders searched for imports after the importing file's own: `load_paths`, then `sass_dir`; absolute real paths. */
  loadPaths: string[];
  style: 'expanded' | 'compressed';
  sourceMap: boolean;
  addCharset: boolean;
  /** Settings recap cannot follow, said once per stylesheet. */
  warnings: string[];
}

/** A compiled stylesheet: what to write, where (relative to the output folder). */
export interface CompiledStylesheet {
  /** The stylesheet's path relative to the site folder, for messages and as the output's origin. */
  source: string;
  outPath: string;
  css: string;
  /** The source map, written beside the CSS (absent with `sourcemap: never`). */
  mapOutPath?: string;
  map?: string;
  /** `@warn` messages and settings recap does not follow, each naming its file. */
  warnings: string[];
}

const SASS_KEY = 'sass';
const shownKey = (key: string) => `${JEKYLL_CONFIG_FILE} ${SASS_KEY}: ${key}`;
const posix = (p: string) => p.split(path.sep).join('/');
const isGlobEntry = (entry: string) => /[*?[{]/.test(entry);

/** A folder the settings name, which must be inside the site (links resolved), as Jekyll's safe mode keeps it. */
function siteFolder(config: SiteConfig, key: string, entry: string): string {
  const folder = realPath(path.resolve(config.root, entry));
  if (!isInside(config.root, folder)) {
    throw new ConfigError(JEKYLL_CONFIG_FILE, `${shownKey(key)} "${entry}" is outside the site folder (or a link out of it); recap reads stylesheets only from inside the site: copy them into _sass/`);
  }
  return folder;
}

/** `load_paths` entries (a path, or a pattern like `node_modules/*\/scss` matched from the site folder), existing folders in order. */
function userLoadPaths(config: SiteConfig, value: unknown): string[] {
  const entries = (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map(String);
  return entries.flatMap((entry) => {
    const matches = isGlobEntry(entry) ? fg.sync(entry, { cwd: config.root, onlyDirectories: true, dot: false, followSymbolicLinks: false }).sort() : [entry];
    return matches.map((match) => siteFolder(config, 'load_paths', match));
  });
}

/** Reads `sass:` from _config.yml. Throws a ConfigError for a folder outside the site. */
export function sassSettings(config: SiteConfig): SassSettings {
  const raw = config.jekyll?.values[SASS_KEY];
  const values = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const warnings: string[] = [];
  const sassDir = typeof values.sass_dir === 'string' && values.sass_dir.trim() !== '' ? values.sass_dir : '_sass';
  // Jekyll keeps sass_dir inside the site whatever it says ("/x" is the site's x/).
  const loadPaths = [...userLoadPaths(config, values.load_paths), siteFolder(config, 'sass_dir', sassDir.replace(/^\/+/, ''))];

  const style = typeof values.style === 'string' ? values.style.replace(/^:/, '') : undefined;
  if (style === 'nested' || style === 'compact') {
    warnings.push(`${shownKey('style')} ${style} is a style of the older Sass compilers only; recap writes expanded CSS (the same rules, one declaration a line)`);
  }
  if (values.line_comments === true) warnings.push(`${shownKey('line_comments')} is not supported by dart-sass; the source map says where each rule comes from`);
  const sourcemap = typeof values.sourcemap === 'string' ? values.sourcemap.replace(/^:/, '') : 'always';
  const environment = config.jekyll?.environment ?? 'production';
  return {
    loadPaths: [...new Set(loadPaths)],
    style: style === 'compressed' ? 'compressed' : 'expanded',
    sourceMap: sourcemap === 'never' ? false : sourcemap === 'development' ? environment === 'development' : true,
    addCharset: values.add_charset === true,
    warnings,
  };
}

/** The job for one stylesheet: plain data the compiling thread receives. */
function sassJob(config: SiteConfig, settings: SassSettings, source: string): SassJob {
  const { warnings: _warnings, ...compile } = settings;
  return { ...compile, root: config.root, source, site: config.jekyll?.values ?? {}, environment: config.jekyll?.environment ?? 'production' };
}

/**
 * A thread that compiles stylesheets one at a time. Loading dart-sass takes about a second, so a
 * thread is kept for the next stylesheet (and the next build in watch); one that is stopped (over
 * the time limit, out of memory, crashed) is never reused. While idle it does not keep the
 * process alive.
 */
class SassThread {
  private readonly worker = new Worker(new URL('./sass-worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: SASS_MEMORY_MB, stackSizeMb: 4 } });
  stopped = false;
  private pending?: { job: SassJob; resolve: (outcome: SassOutcome) => void; timer: NodeJS.Timeout };

  constructor() {
    this.worker.unref();
    this.worker.on('message', (outcome: SassOutcome) => this.settle(outcome));
    this.worker.on('error', (error: Error & { code?: string }) =>
      this.stop(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `needed over ${SASS_MEMORY_MB} MB of memory to compile; a loop that builds a huge list or string, or one that writes millions of rules, does this: shorten or remove it`
          : `could not be compiled (the compiling thread stopped: ${error.message}); this is a bug in recap, please report it`,
      ),
    );
    this.worker.on('exit', () => this.stop('could not be compiled (the compiling thread ended without a result); this is a bug in recap, please report it'));
  }

  /** Compiles one job; the caller waits for it before sending the next. */
  run(job: SassJob, limitMs: number): Promise<SassOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => this.stop(`took longer than ${limitMs / 1000} s to compile; an @for, @while or @each loop over a huge range, or a mixin that calls itself, does this: shorten or remove it`),
        limitMs,
      );
      this.pending = { job, resolve, timer };
      this.worker.ref();
      this.worker.postMessage(job);
    });
  }

  private settle(outcome: SassOutcome): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    if (!this.stopped) this.worker.unref();
    pending.resolve(outcome);
  }

  /** Stops the thread for good; the job it was compiling fails with `message`. */
  private stop(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.worker.terminate();
    if (this.pending) this.settle({ ok: false, problem: { file: this.pending.job.source, message } });
  }
}

/** The process's compiling thread, and the compile it is doing, which the next one waits for. */
let shared: SassThread | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Runs one job in the shared thread (a new one when the last was stopped), after those before it. */
function runInThread(job: SassJob, limitMs: number): Promise<SassOutcome> {
  const run = queue.then(() => {
    if (!shared || shared.stopped) shared = new SassThread();
    return shared.run(job, limitMs);
  });
  queue = run;
  return run;
}

/**
 * Compiles one stylesheet of a Jekyll site (`source` relative to the site folder, e.g.
 * "assets/main.scss") into the CSS Jekyll would write and where ("assets/main.css"), with its
 * source map. Throws a SassError naming the file and line of the problem (a partial's, when the
 * problem is there), or a ConfigError for `sass:` settings recap refuses.
 */
export async function compileSassFile(config: SiteConfig, source: string, limitMs = SASS_TIME_LIMIT_MS, settings = sassSettings(config)): Promise<CompiledStylesheet> {
  const outcome = await runInThread(sassJob(config, settings, posix(source)), limitMs);
  if (!outcome.ok) {
    const { file, line, column, message } = outcome.problem;
    throw new SassError(file, message, { line, column });
  }
  const { ok: _ok, warnings, ...output } = outcome;
  return { source: posix(source), ...output, warnings: [...settings.warnings, ...warnings] };
}

/** Compiles every stylesheet, one after another, collecting each one's error rather than stopping at the first. */
export async function compileSassFiles(config: SiteConfig, sources: readonly string[], errors: SiteError[]): Promise<CompiledStylesheet[]> {
  // The settings (load paths found and checked on disk) once for the build; refused, no stylesheet compiles.
  let settings: SassSettings;
  try {
    settings = sassSettings(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    errors.push(error);
    return [];
  }
  const compiled: CompiledStylesheet[] = [];
  for (const source of sources) {
    try {
      compiled.push(await compileSassFile(config, source, SASS_TIME_LIMIT_MS, settings));
    } catch (error) {
      if (!(error instanceof SassError)) throw error;
      errors.push(error);
    }
  }
  return compiled;
}
