import fs from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { runBuild, type BuildState, type Changes } from './build.js';
import { CONFIG_FILE, loadConfig, PAGES_DIR, type BuildOptions } from './config.js';
import { SiteError } from './errors.js';
import { JEKYLL_CONFIG_FILE } from './jekyll.js';
import type { BuildResult, SiteConfig } from './types.js';

/** The folders a site's sources live in. */
const SOURCE_FOLDERS = ['posts', '_posts', PAGES_DIR, 'templates', 'static'];

export type ChangeKind = 'post' | 'template' | 'copy' | 'post-or-copy' | 'config' | 'ignore';

/** What a changed path (relative to the site folder, "/" separators) asks the next build to redo. */
export function classifyChange(config: SiteConfig | undefined, relative: string): ChangeKind {
  const [top, ...rest] = relative.split('/');
  if (relative === CONFIG_FILE || relative === JEKYLL_CONFIG_FILE) return 'config';
  if (config?.jekyll) return classifyJekyllChange(config, relative);
  // A source folder appearing or vanishing can change which folders are used (posts/ or _posts/, templates/).
  if (rest.length === 0 && SOURCE_FOLDERS.includes(top)) return 'config';
  if (rest.some((segment) => segment.startsWith('.')) || /~$|\.swp$|\.tmp$/.test(relative)) return 'ignore';
  if (top === (config?.postsDir ?? 'posts') || top === PAGES_DIR) return /\.(md|markdown)$/.test(relative) ? 'post' : 'ignore';
  if (top === 'templates') return rest[0] === 'assets' ? 'copy' : 'template';
  if (top === 'static') return 'copy';
  return 'ignore';
}

/** A Jekyll site's files are anywhere: markdown outside _ folders is a page when it has front matter, else a copy. */
function classifyJekyllChange(config: SiteConfig, relative: string): ChangeKind {
  const segments = relative.split('/');
  const [top] = segments;
  if (segments.some((segment) => segment.startsWith('.')) || /~$|\.swp$|\.tmp$/.test(relative)) return 'ignore';
  if (top === config.postsDir || top === '_drafts') return /\.(md|markdown)$/.test(relative) ? 'post' : 'ignore';
  if (top === '_includes') return 'template';
  if (top === 'templates') return segments[1] === 'assets' ? 'copy' : 'template';
  if (top.startsWith('_')) return 'ignore';
  if (segments.length === 1 && !relative.includes('.')) return 'config'; // a folder came or went
  return /\.(md|markdown)$/.test(relative) ? 'post-or-copy' : 'copy';
}

export interface RebuildReport {
  /** The paths whose changes this build answers ([] for the first build). */
  changed: string[];
  result?: BuildResult;
  errors?: SiteError[];
}

/**
 * The watch loop's state machine, without the file watcher: keeps the last build's state and
 * turns a batch of changed paths into the right incremental build. Tests drive it directly.
 */
export function createRebuilder(root: string, options: BuildOptions) {
  let config: SiteConfig | undefined;
  let state: BuildState | undefined;

  return {
    get config() {
      return config;
    },
    async rebuild(changed: string[]): Promise<RebuildReport> {
      const kinds = changed.map((p) => classifyChange(config, p));
      const folderChanged = kinds.includes('config');
      const changes: Changes = {
        // A source folder that came or went may have taken any number of posts with it.
        posts: folderChanged ? undefined : changed.filter((_, i) => kinds[i] === 'post' || kinds[i] === 'post-or-copy'),
        templates: folderChanged || kinds.includes('template'),
        copies: folderChanged || kinds.includes('copy') || kinds.includes('post-or-copy'),
      };
      try {
        if (!config || folderChanged || changes.templates) {
          // Template folders are decided with the config; a config change builds from scratch.
          config = loadConfig(root, options);
        }
      } catch (error) {
        if (!(error instanceof SiteError)) throw error;
        config = undefined;
        state = undefined;
        return { changed, errors: [error] };
      }
      // `now` moves on while watching: a post dated today appears once its time has come.
      const outcome = await runBuild({ ...config, now: options.now ?? new Date() }, { previous: state, changes });
      if (outcome.state) state = outcome.state;
      return outcome.ok ? { changed, result: outcome.result } : { changed, errors: outcome.errors };
    },
  };
}

export interface SiteWatcher {
  /** Resolves after the first build, once the file watcher is ready. */
  ready: Promise<RebuildReport>;
  close(): Promise<void>;
}

/**
 * Builds once, then again after every batch of changes: events are debounced into one rebuild,
 * rebuilds never overlap, and a change during a rebuild triggers one more.
 */
export function watchSite(root: string, options: BuildOptions & { debounceMs?: number }, onReport: (report: RebuildReport) => void): SiteWatcher {
  const absoluteRoot = path.resolve(root);
  const rebuilder = createRebuilder(absoluteRoot, options);
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let building: Promise<void> | undefined;
  let firstDone = false;
  let closed = false;
  let resolveReady: (report: RebuildReport) => void = () => {};
  const ready = new Promise<RebuildReport>((resolve) => (resolveReady = resolve));

  // One loop drains the queue; events that arrive while it builds are picked up when it finishes.
  const drain = async (): Promise<void> => {
    while (!closed && (!firstDone || pending.size > 0)) {
      const batch = firstDone ? [...pending] : [];
      pending.clear();
      const report = await rebuilder.rebuild(batch);
      onReport(report);
      if (!firstDone) {
        firstDone = true;
        resolveReady(report);
      }
    }
  };
  const start = () => {
    if (building) return;
    building = drain().finally(() => (building = undefined));
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(start, options.debounceMs ?? 5);
  };

  const outDir = path.resolve(absoluteRoot, options.outDir ?? 'public');
  // A Jekyll site's sources are anywhere in its folder; recap's are in a few folders.
  const jekyll = fs.existsSync(path.join(absoluteRoot, JEKYLL_CONFIG_FILE));
  const watcher: FSWatcher = watch(absoluteRoot, {
    ignoreInitial: true,
    ignored: (file: string) => {
      const relative = path.relative(absoluteRoot, file);
      if (relative === '') return false;
      const top = relative.split(path.sep)[0];
      if (file === outDir || file.startsWith(outDir + path.sep)) return true;
      if (jekyll) return ['.git', 'node_modules', '_site', '.jekyll-cache', '.recap-cache'].includes(top);
      return !(SOURCE_FOLDERS.includes(top) || top === CONFIG_FILE);
    },
  });
  watcher.on('all', (_event, file) => {
    if (closed) return;
    pending.add(path.relative(absoluteRoot, file).split(path.sep).join('/'));
    schedule();
  });
  watcher.once('ready', start);

  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await building;
    },
  };
}
