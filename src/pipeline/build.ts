/**
 * A build: read → parse → plan → render → write, the same steps for a build from scratch, a warm
 * build with the body cache, and a watch-mode rebuild. What a rebuild can take from the previous
 * build (unchanged posts, the last plan, unchanged pages, the output's files) is asked of the
 * incremental module at each stage; it never renders or writes itself.
 */
import { performance } from 'node:perf_hooks';
import { Reuse, type BuildState, type Changes } from '../incremental/reuse.js';
import type nunjucks from 'nunjucks';
import { createTemplateEnvironment } from '../theme/environment.js';
import { dialectOf } from './dialect.js';
import { BuildFailedError, fileSystemError, SiteError, sortErrors } from './errors.js';
import { sharedRenderer, type MarkdownRenderer } from '../markdown/workers.js';
import { parseEach, parseSite, type ParseContext } from './parse.js';
import { planSite } from './plan.js';
import { readSite } from './read.js';
import { renderSite } from './render.js';
import type { BuildResult, Post, SiteConfig, SitePlan } from './types.js';
import { readOutputState, type OutputState } from './output-marker.js';
import { writeOutput, type FileWriter } from './write.js';
import { shownPath } from '../util/files.js';
import { encodedCopies, endImages, siteImages } from '../images/output.js';
import { unknownFilterWarnings } from '../jekyll/liquid-warnings.js';
import { translationWarnings } from '../i18n/translate.js';
import { nextTimedChange } from '../events/timing.js';
import { calendarWarnings } from '../events/calendar.js';
import { searchStep } from '../search/index.js';

export type { BuildState, Changes };

export interface BuildOptions {
  /** The last build's state (watch mode): only what changed is read, parsed, rendered and written. */
  previous?: BuildState;
  /** What changed since `previous`, as the watcher saw it. */
  changes?: Changes;
  /** Called as work advances, for a progress line. */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** How output files reach the disk (tests pass one that fails part-way, as a full disk does). */
  writer?: FileWriter;
  /**
   * Renders markdown in threads, within a budget per post. Watch mode keeps its own across
   * rebuilds (and closes it); without it a build uses the process's (sharedRenderer).
   */
  markdown?: MarkdownRenderer;
  /** Without the cache: the folder photos' copies are encoded into, kept by watch for its session (a build's own is made and removed). */
  imageFolder?: string;
  /** Watch mode: a rebuild that continues leaves the search index as it is, for search/later.ts to bring up to date once rebuilds pause. */
  searchLater?: boolean;
}

export type BuildOutcome = { ok: true; result: BuildResult; plan: SitePlan; state: BuildState } | { ok: false; errors: SiteError[]; state?: BuildState };

/** Milliseconds per stage, taken as the build goes. */
function stageClock(): { lap: (stage: keyof BuildResult['timings']) => void; timings: BuildResult['timings'] } {
  const started = performance.now();
  let mark = started;
  const timings: BuildResult['timings'] = { read: 0, parse: 0, plan: 0, render: 0, images: 0, search: 0, write: 0, total: 0 };
  const lap = (stage: keyof BuildResult['timings']) => {
    const now = performance.now();
    timings[stage] = now - mark;
    timings.total = now - started;
    mark = now;
  };
  return { lap, timings };
}

function buildWarnings(config: SiteConfig): string[] {
  const warnings = [...config.warnings];
  if (config.url === '') {
    warnings.push('"url" is not set in recap.config.yml: feed.xml, sitemap.xml and robots.txt need absolute links; add url: https://your-meetup.example');
  }
  return warnings;
}

/** What is missing from the theme's tables in the languages the pages are in (nothing to say when the site's own layouts lay them out). */
function themeStringWarnings(config: SiteConfig, plan: SitePlan): string[] {
  if (plan.ownLayouts) return [];
  return translationWarnings(config.i18n, config.language, [...plan.sitePosts, ...plan.pages].map((entry) => entry.post.language ?? config.language));
}

/** What a build says when it wrote whole an output that an update had left part-way. */
function repairNote(outDir: string, before: OutputState | undefined): string[] {
  if (before?.kind !== 'updating') return [];
  return [`${shownPath(outDir)}/ was left part-way through an update (by process ${before.pid}), some files from each of two builds; this build wrote it whole`];
}

/** The site's Nunjucks environment, for layouts, and what the parse stage needs: the dialect and its engine for post bodies. */
async function templateEngines(config: SiteConfig, reuse: Reuse): Promise<{ templates: nunjucks.Environment; context: ParseContext }> {
  const dialect = dialectOf(config);
  const templates = reuse.templates(() => createTemplateEnvironment(config));
  const bodyEngine = await reuse.bodyEngine(() => dialect.bodyEngine(templates));
  return { templates, context: { config, dialect, bodyEngine } };
}

export async function build(config: SiteConfig, options: BuildOptions = {}): Promise<BuildOutcome> {
  const markdown = options.markdown ?? sharedRenderer();
  // remark loads in a thread of its own (when none is running yet) while this one reads and parses the site.
  markdown.warm();
  const clock = stageClock();
  const errors: SiteError[] = [];
  const reuse = new Reuse(config, options.previous, options.changes);
  const progress = (stage: string) => (done: number, total: number) => options.onProgress?.(stage, done, total);

  const { templates, context } = await templateEngines(config, reuse);
  const sources = readSite(config, context.dialect, reuse, errors);
  clock.lap('read');

  // Stylesheets compile in a thread of their own while the posts are parsed.
  // (Awaited together: a compile that fails while posts are still parsing is never an unhandled rejection.)
  const [compiled, { posts, failed }] = await Promise.all([
    reuse.compiled(() => context.dialect.compileStylesheets(sources.stylesheets, errors)),
    parseSite(sources, context, reuse, markdown, errors, progress('parse')),
  ]);
  clock.lap('parse');

  // A file with errors makes the build fail, so the last plan is never kept then: its checks run in planSite.
  const plan = reuse.plan(errors.length, () => planSite(config, context.dialect, posts, { ...sources, compiled: compiled.files }, errors, reuse.planMemo, failed));
  clock.lap('plan');
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors), state: reuse.failed() };

  // Photos are encoded in the background from the first page that shows them on.
  const images = await siteImages(config, plan, reuse, options.imageFolder);
  try {
    const rendered = await renderSite(config, { templates, dialect: context.dialect, markdown, images }, plan, reuse, errors, progress('render'));
    clock.lap('render');
    if (errors.length > 0) return { ok: false, errors: sortErrors(errors), state: reuse.failed() };

    // Every page's HTML is final now: the search index is made from it (or kept, when no indexed page
    // changed), in Pagefind's process while the photos still being encoded (sharp's threads) finish.
    const searching = searchStep(config, plan, rendered.files, reuse, errors, options.searchLater === true && reuse.continues);
    const [pictures] = await Promise.all([encodedCopies(config, images, plan, reuse, errors).finally(() => clock.lap('images')), searching]);
    const search = await searching;
    clock.lap('search');
    if (errors.length > 0) return { ok: false, errors: sortErrors(errors), state: reuse.failed() };

    // Only a build from scratch can find (and repair) an update left part-way; a continuing watch rebuild checked the marker already.
    const before = reuse.continues ? undefined : readOutputState(config.outDir, false);
    const files = [...rendered.files, ...pictures.files, ...search.files];
    let removed: string[];
    try {
      removed = await writeOutput(config.outDir, files, reuse, config, options.writer);
    } catch (error) {
      // A full disk reports no path of its own: the output folder is where it happened.
      throw fileSystemError(error, config.outDir, 'or choose another output folder with --out') ?? error;
    }
    clock.lap('write');

    // When time alone next changes this site's output (a post falls due, an event ends): watch's timer, and how long the kept plan holds.
    const nextDue = nextTimedChange(config, posts);
    const result: BuildResult = {
      outDir: config.outDir,
      warnings: [
        ...buildWarnings(config),
        ...compiled.warnings,
        ...posts.flatMap((post) => post.warnings ?? []),
        ...plan.warnings,
        ...calendarWarnings(config, plan),
        ...themeStringWarnings(config, plan),
        ...pictures.warnings,
        ...search.warnings,
        ...unknownFilterWarnings(posts.map((post) => ({ file: post.source, filters: post.unknownFilters ?? [] }))),
        ...repairNote(config.outDir, before),
      ],
      posts: plan.posts.length,
      draftsLeftOut: config.drafts ? 0 : posts.filter((post) => post.draft && post.collection === 'posts').length,
      pages: plan.outputs.length,
      files: reuse.fileCount,
      written: files.map((file) => file.path),
      removed,
      nextChange: Number.isFinite(nextDue) ? new Date(nextDue) : undefined,
      timings: clock.timings,
    };
    return { ok: true, result, plan, state: reuse.commit(plan, rendered.context, posts, nextDue) };
  } finally {
    // A failed build's copies still on their way (started as pages rendered) end before the next build starts.
    await endImages(images);
  }
}

/** A build from scratch, as `recap build` runs it. Throws BuildFailedError listing every error found; writes nothing then. */
export async function buildSite(config: SiteConfig, hooks: Pick<BuildOptions, 'onProgress'> = {}): Promise<BuildResult & { plan: SitePlan }> {
  const outcome = await build(config, hooks);
  if (!outcome.ok) throw new BuildFailedError(outcome.errors);
  return { ...outcome.result, plan: outcome.plan };
}

/** Reads front matter only (no markdown is rendered) and plans the site: what `recap check` needs to name each page's source. */
export async function planFrontMatter(config: SiteConfig): Promise<SitePlan> {
  const errors: SiteError[] = [];
  const reuse = new Reuse(config);
  const context = { ...(await templateEngines(config, reuse)).context, bodies: false };
  const sources = readSite(config, context.dialect, reuse, errors);
  const posts: Post[] = [];
  const failed: Post[] = [];
  parseEach(sources.files, context, (_file, parsed) => {
    if (parsed instanceof SiteError) errors.push(parsed);
    else if (parsed.errors.length > 0) {
      errors.push(...parsed.errors);
      failed.push(parsed.post);
    } else posts.push(parsed.post);
  });
  const plan = planSite(config, context.dialect, posts, sources, errors, new WeakMap(), failed);
  if (errors.length > 0) throw new BuildFailedError(sortErrors(errors));
  return plan;
}
