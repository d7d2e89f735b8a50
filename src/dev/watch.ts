import fs from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { build, type BuildOptions, type BuildState, type Changes } from '../pipeline/build.js';
import { CONFIG_FILE, loadConfig, type LoadOptions } from '../pipeline/config.js';
import { dialectOf, type ChangeKind } from '../pipeline/dialect.js';
import { classifyRecapChange, SOURCE_FOLDERS } from '../pipeline/recap-dialect.js';
import { BuildFailedError, fileSystemError, SiteError } from '../pipeline/errors.js';
import { readOutputState, type OutputState } from '../pipeline/output-marker.js';
import { besideOutputName } from '../pipeline/write-in-place.js';
import { fileSignature, relativePath } from '../util/files.js';
import { realPath } from '../util/real-paths.js';
import { MARKDOWN_BUDGET, type MarkdownBudget } from '../markdown/budget.js';
import { MarkdownRenderer } from '../markdown/workers.js';
import { temporaryImageFolder } from '../images/output.js';
import { JEKYLL_CONFIG_FILE } from '../jekyll/config.js';
import type { BuildResult, SiteConfig } from '../pipeline/types.js';
import { TRANSLATIONS_DIR } from '../i18n/tables.js';
import { atInstant } from './due-timer.js';
import { makeLaterIndex, writeLaterIndex, type LaterIndex } from '../search/later.js';
import { indexWarnings } from '../search/index.js';

/** What a changed path (relative to the site folder, "/" separators) asks the next build to redo. */
export function classifyChange(config: SiteConfig | undefined, relative: string): ChangeKind {
  // Either config file can appear in either kind of site and change which kind it is.
  if (relative === CONFIG_FILE || relative === JEKYLL_CONFIG_FILE) return 'config';
  // Before the first config loads, the site's folders are recap's.
  return config ? dialectOf(config).classifyChange(relative) : classifyRecapChange('posts', relative);
}

export interface RebuildReport {
  /** The paths whose changes this build answers ([] for the first build). */
  changed: string[];
  /** Set for a build that time asked for: a future post fell due, or an upcoming event ended, at this instant. */
  due?: Date;
  result?: BuildResult;
  errors?: SiteError[];
  /** The build met files changing under it: the watcher builds again shortly. */
  retry?: boolean;
  /** After a failed build: what the output folder holds (the last good build, or part of an update). */
  output?: OutputState;
  /** The search index, written once rebuilds paused (see search/later.ts), not a rebuild. */
  search?: true;
}

export interface RebuilderOptions extends LoadOptions {
  /** Time and memory a post's markdown may take (tests make it small). */
  markdownBudget?: MarkdownBudget;
  /** Rebuilds leave the search index for `updateSearch` (watchSite's, once rebuilds pause) instead of making it themselves. */
  searchLater?: boolean;
}

/**
 * The watch loop's state machine, without the file watcher: keeps the last build's state and
 * turns a batch of changed paths into the right incremental build. Tests drive it directly.
 */
export function createRebuilder(root: string, options: RebuilderOptions, hooks: Pick<BuildOptions, 'writer'> = {}) {
  let config: SiteConfig | undefined;
  let state: BuildState | undefined;
  /** The last rebuild failed on files changing under it and asked to be built again. */
  let retried = false;
  const outDir = path.resolve(root, options.outDir ?? 'public');
  const failed = (report: RebuildReport): RebuildReport => ({ ...report, output: readOutputState(outDir, false) });
  // One markdown thread lives as long as the watcher: a saved post is rendered without starting one,
  // and a post that hangs or overflows it stops that thread, never this one.
  const markdown = new MarkdownRenderer(options.markdownBudget ?? MARKDOWN_BUDGET);
  // Without the cache, photos' copies go into one folder for the session: a rebuild encodes only new photos.
  const imageFolder = options.cache === false ? temporaryImageFolder() : undefined;
  /** A rebuild is running (the search index is then never written: see updateSearch). */
  let rebuilding = false;
  let closing = false;

  return {
    get config() {
      return config;
    },
    /**
     * Builds what `changed` asks for. `relist`: files may have come or gone unseen (a folder was
     * copied or removed), so every post is listed and compared again.
     */
    async rebuild(changed: string[], relist = false): Promise<RebuildReport> {
      const kinds = changed.map((p) => classifyChange(config, p));
      const folderChanged = kinds.includes('config');
      const changes: Changes = {
        // A source folder that came or went may have taken any number of posts with it.
        posts: folderChanged || relist ? undefined : changed.filter((_, i) => kinds[i] === 'post' || kinds[i] === 'post-or-copy'),
        templates: folderChanged || kinds.includes('template'),
        copies: folderChanged || relist || kinds.includes('copy') || kinds.includes('post-or-copy'),
      };
      rebuilding = true;
      try {
        if (!config || folderChanged || changes.templates) {
          // Template folders are decided with the config; a config change builds from scratch.
          config = loadConfig(root, { jekyllEnvironment: 'development', ...options });
        }
        // `now` moves on while watching: a post dated today appears once its time has come.
        const outcome = await build({ ...config, now: options.now ?? new Date() }, { previous: state, changes, writer: hooks.writer, markdown, imageFolder, searchLater: options.searchLater });
        if (outcome.state) state = outcome.state;
        retried = false;
        return outcome.ok ? { changed, result: outcome.result } : failed({ changed, errors: outcome.errors });
      } catch (error) {
        // Build from scratch next time, whatever went wrong (an output left part-way is written whole then); watch keeps running and says what it was.
        config = undefined;
        state = undefined;
        const report = failureReport(error, retried);
        retried = report.retry;
        return failed({ changed, ...report });
      } finally {
        rebuilding = false;
      }
    },
    /**
     * The search index of the output as the last rebuild left it (see search/later.ts): made from
     * the output's pages and written as one more update, unless a rebuild began meanwhile (nothing is
     * written then), or `wanted()` turns false. Undefined when there was nothing to do, or it was dropped.
     */
    async updateSearch(wanted: () => boolean = () => true): Promise<RebuildReport | undefined> {
      const from = state;
      const settings = config;
      if (!from || !settings || rebuilding || closing) return undefined;
      const started = performance.now();
      const current = () => state === from && !rebuilding && !closing && wanted();
      try {
        const index = await makeLaterIndex(settings, from, current);
        // Written at once, in this turn: no rebuild can begin halfway.
        if (!index || !current() || !writeLaterIndex(settings, index, hooks.writer)) return undefined;
        state = index.update.state;
        return { changed: [], search: true, result: laterIndexResult(settings, index, performance.now() - started) };
      } catch (error) {
        // An index no longer wanted may fail for what a rebuild did meanwhile (a page it read was removed): dropped, as it would be.
        if (!current()) return undefined;
        // As after a rebuild that threw: the next one builds from scratch (an update stopped part-way is written whole then).
        config = undefined;
        state = undefined;
        return failed({ changed: [], search: true, ...failureReport(error, true) });
      }
    },
    /** Ends the markdown thread. */
    close(): Promise<void> {
      closing = true;
      if (imageFolder) fs.rmSync(imageFolder, { recursive: true, force: true });
      return markdown.close();
    },
  };
}

/** What the watch line and the live reload hear of a later search index: the files it wrote and removed, and how long it took. */
function laterIndexResult(config: SiteConfig, index: LaterIndex, ms: number): BuildResult {
  const { written, removed, state } = index.update;
  const timings = { read: 0, parse: 0, plan: 0, render: 0, images: 0, search: ms, write: 0, total: ms };
  return {
    outDir: config.outDir,
    warnings: indexWarnings(index.skipped, index.problems),
    posts: index.posts,
    draftsLeftOut: 0,
    pages: index.pages,
    files: state.outputs.size,
    written: written.map((file) => file.path),
    removed,
    timings,
  };
}

/**
 * What a build that threw is reported as. Files can change under a build (deleted between listing
 * and reading, a folder turned into a file): such a file-system error is built again, once. Any
 * other (a full disk, a read-only output folder, a name too long) would fail the same way again:
 * it is reported and watch waits for the next change, as it does after a second race in a row.
 * Anything else is a bug in recap; it is reported, not retried, so watch neither dies nor loops on it.
 */
function failureReport(error: unknown, retriedAlready: boolean): { errors: SiteError[]; retry: boolean } {
  const fsError = fileSystemError(error);
  if (fsError) {
    if (!fsError.mayBeRace || retriedAlready) return { errors: [fsError], retry: false };
    return { errors: [new SiteError(fsError.file, `changed while it was being read (${fsError.code}); building again`, { cause: error })], retry: true };
  }
  if (error instanceof SiteError) return { errors: [error], retry: false };
  // A config with several wrong settings names them all.
  if (error instanceof BuildFailedError) return { errors: error.errors, retry: false };
  const message = error instanceof Error ? error.message : String(error);
  return { errors: [new SiteError('.', `recap failed: ${message}; this is a bug in recap, please report it. Watching goes on.`, { cause: error })], retry: false };
}

export interface SiteWatcher {
  /** Resolves after the first build, once the file watcher is ready. */
  ready: Promise<RebuildReport>;
  /** The site's settings as of the last build (undefined while the config is broken). */
  readonly config: SiteConfig | undefined;
  close(): Promise<void>;
}

/** A file's size and modification time, or "missing": enough to tell that it changed. */
function signature(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? fileSignature(stat) : 'missing';
}

/** How long after a rebuild its files are looked at again, for changes the file watcher did not report. */
const SETTLE_MS = 120;

/** How long rebuilds must pause before the search index follows them (see search/later.ts). */
export const SEARCH_QUIET_MS = 300;

/**
 * Builds once, then again after every batch of changes: events are debounced into one rebuild,
 * rebuilds never overlap, and a change during a rebuild triggers one more. The file watcher can
 * drop events (several saves within its throttle, files in a folder copied at once), so after each
 * rebuild its files are checked again, and after a folder event every post is listed again.
 */
export function watchSite(root: string, options: RebuilderOptions & { debounceMs?: number }, onReport: (report: RebuildReport) => void): SiteWatcher {
  // Real paths, as the build's: events name files under them, and the output is told apart by them.
  const absoluteRoot = realPath(root);
  // A saved post's page is written first; the search index follows once rebuilds pause (below).
  const rebuilder = createRebuilder(absoluteRoot, { ...options, searchLater: true });
  const pending = new Set<string>();
  let relist = false;
  let timer: NodeJS.Timeout | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let building: Promise<void> | undefined;
  let firstDone = false;
  let closed = false;
  /** When time alone next changes the site (BuildResult.nextChange), and the timer that builds then. */
  let due: Date | undefined;
  let dueTimer: { cancel(): void } | undefined;
  let dueNow = false;
  let resolveReady: (report: RebuildReport) => void = () => {};
  const ready = new Promise<RebuildReport>((resolve) => (resolveReady = resolve));

  // One loop drains the queue; events that arrive while it builds are picked up when it finishes.
  const drain = async (): Promise<void> => {
    while (!closed && (!firstDone || pending.size > 0 || relist || dueNow)) {
      const batch = firstDone ? [...pending] : [];
      const wasRelist = relist;
      const timed = dueNow && batch.length === 0 && !wasRelist ? due : undefined;
      pending.clear();
      relist = false;
      dueNow = false;
      const before = new Map(batch.map((p) => [p, signature(path.join(absoluteRoot, p))]));
      const report = await rebuilder.rebuild(batch, wasRelist);
      // A failed build keeps the timer of the last good one: the output it left changes at that time still.
      if (report.result) armDueTimer(report.result.nextChange);
      onReport(timed ? { ...report, due: timed } : report);
      if (!firstDone) {
        firstDone = true;
        resolveReady(report);
      }
      scheduleSettle(before, wasRelist && (report.result?.written.length ?? 0) + (report.result?.removed.length ?? 0) > 0, report.retry === true);
      if (report.result) scheduleSearch();
    }
  };
  const start = () => {
    if (building) return;
    building = drain().finally(() => (building = undefined));
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(start, options.debounceMs ?? 10);
  };
  /**
   * A future post falls due, an upcoming event ends: the site changes with no file saved, so it is
   * built again then, as after a save. Not with a fixed `now` (tests), whose builds never move on.
   */
  const armDueTimer = (next: Date | undefined) => {
    dueTimer?.cancel();
    due = next;
    dueTimer = undefined;
    if (next === undefined || options.now !== undefined || closed) return;
    dueTimer = atInstant(next.getTime(), () => {
      dueNow = true;
      schedule();
    });
  };
  /** Files of recent rebuilds, with how they looked just before they were read. */
  const settling = new Map<string, string>();
  let relistAfterSettle = false;
  /** Looks at rebuilt files again a little later; anything changed since is built again. */
  const scheduleSettle = (before: Map<string, string>, relistAgain: boolean, retry: boolean) => {
    for (const [file, seen] of before) settling.set(file, seen);
    relistAfterSettle ||= relistAgain || retry;
    if (closed || (settling.size === 0 && !relistAfterSettle)) return;
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => {
      if (closed) return;
      for (const [file, seen] of settling) if (signature(path.join(absoluteRoot, file)) !== seen) pending.add(file);
      settling.clear();
      if (relistAfterSettle) relist = true;
      relistAfterSettle = false;
      if (pending.size > 0 || relist) schedule();
    }, SETTLE_MS);
  };

  // search: the index follows the rebuilds once they pause, in the background: a rebuild never waits
  // for it, and one that begins meanwhile makes it drop what it made (the next pause makes it again).
  let searchTimer: NodeJS.Timeout | undefined;
  let indexing: Promise<void> | undefined;
  let indexAgain = false;
  const scheduleSearch = () => {
    // After close() nothing more is made: a timer set now would only keep the process alive.
    if (closed) return;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(indexSearch, SEARCH_QUIET_MS);
  };
  const indexSearch = () => {
    // A rebuild running schedules this again when it ends; an index being made, when it ends.
    if (closed || building) return;
    if (indexing) {
      indexAgain = true;
      return;
    }
    indexAgain = false;
    indexing = rebuilder
      .updateSearch(() => !closed)
      .then((report) => {
        if (report && !closed) onReport(report);
      })
      .finally(() => {
        indexing = undefined;
        if (indexAgain) scheduleSearch();
      });
  };

  const outDir = realPath(path.resolve(absoluteRoot, options.outDir ?? 'public'));
  // A Jekyll site's sources are anywhere in its folder; recap's are in a few folders.
  const jekyll = fs.existsSync(path.join(absoluteRoot, JEKYLL_CONFIG_FILE));
  const besideOutput = besideOutputName(outDir);
  const watcher: FSWatcher = watch(absoluteRoot, {
    ignoreInitial: true,
    ignored: (file: string) => {
      const relative = path.relative(absoluteRoot, file);
      if (relative === '') return false;
      const top = relative.split(path.sep)[0];
      if (file === outDir || file.startsWith(outDir + path.sep)) return true;
      // A build's staging and retired folders beside the output (the site folder, by default).
      if (besideOutput.test(path.relative(path.dirname(outDir), file).split(path.sep)[0])) return true;
      if (jekyll) return ['.git', 'node_modules', '_site', '.jekyll-cache', '.recap-cache'].includes(top);
      return !(SOURCE_FOLDERS.includes(top) || top === CONFIG_FILE || top === TRANSLATIONS_DIR);
    },
  });
  watcher.on('all', (event, file) => {
    if (closed) return;
    // Files inside a folder that appears or vanishes at once are not all reported: list them all again.
    if (event === 'addDir' || event === 'unlinkDir') relist = true;
    pending.add(relativePath(absoluteRoot, file));
    schedule();
  });
  watcher.once('ready', start);

  return {
    ready,
    get config() {
      return rebuilder.config;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearTimeout(settleTimer);
      dueTimer?.cancel();
      clearTimeout(searchTimer);
      await watcher.close();
      await building;
      await indexing;
      await rebuilder.close();
    },
  };
}
