import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Liquid } from 'liquidjs';
import type nunjucks from 'nunjucks';
import { BuildFailedError, SiteError } from './errors.js';
import { BodyCache } from '../incremental/body-cache.js';
import { readOutputIndex, writeOutputIndex } from '../incremental/output-index.js';
import type { MarkdownWork, RenderedBody } from '../markdown/render.js';
import { isBuilt, parsePost, parseSource, finishPost, usesTemplateFiles, type ParsedSource } from './parse.js';
import { renderAll } from '../markdown/workers.js';
import { planSite, type PlanMemo } from './plan.js';
import { jekyllFiles, listCopies, listLayouts, listPostPaths, readPosts, type JekyllFiles, type SiteSources } from './read.js';
import {
  createRenderContext,
  createViewMemo,
  pageFingerprint,
  renderPage,
  replacePost,
  sameFingerprint,
  siteListingKey,
  sitePagesKey,
  type RenderContext,
  type ViewMemo,
} from './render.js';
import { createTemplateEnvironment } from '../theme/environment.js';
import type { BuildResult, OutputFile, Page, PlannedPost, Post, SiteConfig, SitePlan, SourceFile } from './types.js';
import { outputBuildId, updateSite, writeSite } from './write.js';

export interface BuildHooks {
  /** Called as work advances, for a progress line. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** One post file as last read, with what parsing it gave. */
interface CachedSource {
  hash: string;
  post?: Post;
  error?: SiteError;
  /** Whether the body was rendered: posts that are not built skip that. */
  rendered: boolean;
  usesTemplates: boolean;
}

interface OutputRecord {
  /** What the file was made from (see pageFingerprint); for copies, the source's path, size and mtime. */
  fingerprint: readonly string[];
  /** The templates it was rendered with (see BuildState.templateGeneration). */
  templateGeneration: number;
  usesSiteListing: boolean;
  usesContent: boolean;
  usesPages: boolean;
  /** Hash of the bytes written: a page rendered again to the same bytes is not written again. */
  hash: string;
}

/**
 * What a build leaves for the next one in watch mode: the sources as last read and parsed, what
 * planning and rendering derived from each post, and for each output file what it was made from.
 */
export interface BuildState {
  configKey: string;
  templates: nunjucks.Environment;
  /** A Jekyll site's Liquid engine for bodies (reads _includes/). */
  liquid?: Liquid;
  /** Counts template changes; outputs rendered with older templates are rendered again. */
  templateGeneration: number;
  postPaths: string[];
  sources: Map<string, CachedSource>;
  copies: SiteSources['copies'];
  /** A failed build saw static/ or assets change: the next build must copy again. */
  copiesStale: boolean;
  layouts: string[];
  planMemo: PlanMemo;
  viewMemo: ViewMemo;
  outputs: Map<string, OutputRecord>;
  /** The sum behind the output's id (see outputsSum). */
  outputsSum: bigint;
  siteListingKeys: { meta: string; full: string };
  sitePagesKey: string;
  /** The last good build's plan and render context, for the quick path; undefined after a failed build. */
  last?: {
    plan: SitePlan;
    render: RenderContext;
    pages: Map<string, Page>;
    postPages: Map<string, { page: Page; planned: PlannedPost }>;
    /** When the next future-dated post is due: from then on the quick path's plan is out of date. */
    nextDue: number;
  };
}

/** What changed since the previous build, as the watcher saw it. */
export interface Changes {
  /** Site-relative paths of post files created, changed or deleted; undefined: any post may have changed. */
  posts?: string[];
  /** Something under templates/ changed: layouts are listed and every page is rendered again. */
  templates: boolean;
  /** Something under static/ or templates/assets/ changed (default: true). */
  copies?: boolean;
}

export interface BuildOptions {
  previous?: BuildState;
  changes?: Changes;
  hooks?: BuildHooks;
}

export type BuildOutcome = { ok: true; result: BuildResult; state: BuildState } | { ok: false; errors: SiteError[]; state?: BuildState };

const sha1 = (text: string) => createHash('sha1').update(text).digest('base64url');

/**
 * An output folder's id, from what is in it: the same files give the same id (and the same marker).
 * A sum of one number per file, so watch mode updates it by the files it changed alone.
 */
const MASK = (1n << 64n) - 1n;
function fileTerm(outPath: string, hash: string): bigint {
  // A copied file counts by its size: its stamp's time and source path differ from clone to clone.
  const identity = hash.startsWith(COPY_STAMP) ? hash.slice(0, hash.indexOf('\0', COPY_STAMP.length)) : hash;
  return BigInt('0x' + createHash('sha1').update(`${outPath}\0${identity}`).digest('hex').slice(0, 16));
}
function outputsSum(outputs: Map<string, { hash: string }>): bigint {
  let sum = 0n;
  for (const [outPath, record] of outputs) sum = (sum + fileTerm(outPath, record.hash)) & MASK;
  return sum;
}
const idOf = (sum: bigint) => sum.toString(16).padStart(16, '0');

/** Everything in the config that output depends on; a change means a build from scratch. */
function configKey(config: SiteConfig): string {
  const { now: _now, templateDirs: _dirs, cacheDir: _cache, threads: _threads, warnings: _warnings, ...rest } = config;
  return JSON.stringify(rest);
}

const COPY_STAMP = 'copy\0';

/** A copied file's size, times, inode and source: a change to any of them copies it again. */
function copyStamp(from: string): string {
  // ctime too: cp -p, rsync -a and tar -x keep a file's mtime but not its ctime.
  const stat = fs.statSync(from);
  return `${COPY_STAMP}${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}\0${from}`;
}

/** The post files now: all of them listed, or in watch mode the last list updated with the changed paths. */
function currentPostPaths(config: SiteConfig, previous: BuildState | undefined, changed: string[] | undefined, errors: SiteError[], jekyll?: JekyllFiles): string[] {
  if (!previous || !changed) return listPostPaths(config, errors, undefined, jekyll);
  const paths = new Set(previous.postPaths);
  for (const p of changed) paths.delete(p);
  for (const p of listPostPaths(config, errors, changed, jekyll)) paths.add(p);
  return [...paths].sort();
}

function buildWarnings(config: SiteConfig, skipped: string[]): string[] {
  const warnings = [...config.warnings];
  if (config.url === '') {
    warnings.push('"url" is not set in recap.config.yml: feed.xml, sitemap.xml and robots.txt need absolute links; add url: https://your-meetup.example');
  }
  if (skipped.length > 0) {
    warnings.push(`skipped ${skipped.join(', ')}: they need Jekyll's Liquid layouts; recap's own home, tag and 404 pages take their place`);
  }
  return warnings;
}

/** Front matter, date, excerpt and whether it is built: what every page but the post's own can show of it. */
function sameMeta(config: SiteConfig, a: Post, b: Post): boolean {
  return (
    a.date.getTime() === b.date.getTime() &&
    a.excerpt === b.excerpt &&
    // Resolving post_url/link needs the whole plan.
    a.references.length === 0 &&
    b.references.length === 0 &&
    isBuilt(config, a.published, a.draft, a.date) === isBuilt(config, b.published, b.draft, b.date) &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  );
}

/**
 * The common case while writing: saved posts whose front matter did not change. Only their own
 * pages can differ (other pages show front matter, unless some page reads post bodies, which
 * rules this path out), so only those are rendered. Returns undefined when the full path is needed.
 */
async function quickRebuild(
  config: SiteConfig,
  previous: BuildState,
  changed: string[],
  sources: Map<string, CachedSource>,
  started: number,
  timings: BuildResult['timings'],
): Promise<BuildOutcome | undefined> {
  const last = previous.last;
  if (!last || changed.length === 0 || config.now.getTime() >= last.nextDue) return undefined;
  const renderStarted = performance.now();
  const swaps: { page: Page; planned: PlannedPost; post: Post }[] = [];
  for (const p of changed) {
    const before = previous.sources.get(p)?.post;
    const now = sources.get(p)?.post;
    if (!before || !now || !sameMeta(config, before, now)) return undefined;
    const built = last.postPages.get(p);
    if (built) swaps.push({ ...built, post: now }); // else not built: nothing of it is in the output
  }
  // Pages that read bodies (feeds, or templates showing post.content) and list a changed post are rendered too.
  const oldKeys = new Set(swaps.map(({ planned }) => last.render.views.get(planned)?.fullKey));
  const pages: Page[] = swaps.map(({ page }) => page);
  for (const [outPath, record] of previous.outputs) {
    if (!record.usesContent) continue;
    if (record.usesSiteListing || record.usesPages) return undefined;
    const page = last.pages.get(outPath);
    if (!page) return undefined;
    if (record.fingerprint.some((key) => oldKeys.has(key))) pages.push(page);
  }

  for (const { planned, post } of swaps) {
    replacePost(last.render, last.plan, previous.viewMemo, planned, post);
    previous.planMemo.set(post, previous.planMemo.get(previous.sources.get(post.source)!.post!)!);
  }
  const outputs = new Map(previous.outputs);
  const toWrite: OutputFile[] = [];
  for (const page of pages) {
    let result: ReturnType<typeof renderPage>;
    try {
      result = renderPage(last.render, page);
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      // The last plan now shows the new posts: the next build must not take this path from it.
      return { ok: false, errors: [error], state: { ...previous, sources, last: undefined } };
    }
    const { contents, usesSiteListing, usesContent, usesPages } = result;
    const before = outputs.get(page.outPath);
    // A page that now reads a site-wide listing depends on more than this path knows: take the full path.
    if (usesSiteListing !== before?.usesSiteListing || usesPages !== before.usesPages) return undefined;
    const hash = sha1(contents);
    const fingerprint = pageFingerprint(last.render, page, usesContent);
    outputs.set(page.outPath, { fingerprint, templateGeneration: previous.templateGeneration, usesSiteListing, usesContent, usesPages, hash });
    if (before?.hash !== hash) toWrite.push({ path: page.outPath, contents });
  }
  const rendered = performance.now();
  timings.render = rendered - renderStarted;
  // The same outputs as before, some with new content: the id changes by those files alone.
  let sum = previous.outputsSum;
  for (const file of toWrite) sum = (sum - fileTerm(file.path, previous.outputs.get(file.path)!.hash) + fileTerm(file.path, outputs.get(file.path)!.hash)) & MASK;
  await updateSite(config.outDir, toWrite, [], idOf(sum));
  timings.total = performance.now() - started;
  timings.write = performance.now() - rendered;
  return {
    ok: true,
    result: {
      outDir: config.outDir,
      warnings: [],
      posts: last.plan.posts.length,
      pages: last.plan.outputs.length,
      files: outputs.size,
      written: toWrite.map((f) => f.path),
      removed: [],
      timings,
    },
    state: { ...previous, sources, outputs, outputsSum: sum },
  };
}

/**
 * read → parse → plan → render → write. With `previous` (watch mode), posts not named in
 * `changes` are not read or parsed again, pages whose inputs did not change are not rendered,
 * and only changed files are written; the output is byte for byte what a clean build writes.
 */
export async function build(config: SiteConfig, options: BuildOptions = {}): Promise<BuildOutcome> {
  const started = performance.now();
  const timings: BuildResult['timings'] = { read: 0, parse: 0, plan: 0, render: 0, write: 0, total: 0 };
  let mark = started;
  const lap = (stage: keyof BuildResult['timings']) => {
    const now = performance.now();
    timings[stage] = now - mark;
    mark = now;
  };
  const errors: SiteError[] = [];
  const key = configKey(config);
  const previous = options.previous?.configKey === key && fs.existsSync(config.outDir) ? options.previous : undefined;
  const changes: Changes = previous ? (options.changes ?? { templates: true }) : { templates: true };
  const changedPosts = new Set(changes.posts ?? []);

  // read: only new or changed posts; files whose text is unchanged keep their parse
  const templates = changes.templates || !previous ? createTemplateEnvironment(config) : previous.templates;
  // Only Jekyll sites load the Liquid engine.
  const liquid = !config.jekyll ? undefined : changes.templates || !previous?.liquid ? (await import('../jekyll/liquid.js')).createLiquidEngine(config) : previous.liquid;
  const templateGeneration = (previous?.templateGeneration ?? 0) + (changes.templates ? 1 : 0);
  // A Jekyll site's files are sorted into posts, pages and copies once per build.
  const jekyllListing = config.jekyll ? jekyllFiles(config, errors) : undefined;
  const postPaths = currentPostPaths(config, previous, changes.posts, errors, jekyllListing);
  const sources = new Map<string, CachedSource>();
  const toRead: string[] = [];
  for (const p of postPaths) {
    const cached = previous?.sources.get(p);
    const stale =
      !cached ||
      changes.posts === undefined ||
      changedPosts.has(p) ||
      (changes.templates && cached.usesTemplates) ||
      (!cached.rendered && cached.post !== undefined && isBuilt(config, cached.post.published, cached.post.draft, cached.post.date));
    if (stale) toRead.push(p);
    else sources.set(p, cached);
  }
  const files: SourceFile[] = readPosts(config, toRead, errors);
  const copiesChanged = !previous || changes.copies !== false || changes.templates || previous.copiesStale;
  const copies = copiesChanged ? listCopies(config, errors, jekyllListing) : previous.copies;
  const layouts = !previous || changes.templates ? listLayouts(config) : previous.layouts;
  lap('read');

  // parse: front matter and body templates here; markdown from the cache, else in worker threads
  const context = { config, templates, liquid };
  const pending: { entry: CachedSource; parsed: ParsedSource }[] = [];
  for (const file of files) {
    // A draft in a drafts folder is dated by its file's time: touching it moves it.
    const hash = sha1(file.path.includes('_drafts/') ? `${file.text}\0${file.modified?.getTime()}` : file.text);
    const cached = previous?.sources.get(file.path);
    if (cached && cached.hash === hash && !(changes.templates && cached.usesTemplates) && (cached.rendered || !cached.post)) {
      sources.set(file.path, cached);
      continue;
    }
    const entry: CachedSource = { hash, rendered: false, usesTemplates: usesTemplateFiles(file.text) };
    try {
      const parsed = parseSource(file, context);
      entry.post = parsed.post;
      entry.rendered = parsed.markdown !== undefined;
      pending.push({ entry, parsed });
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      entry.error = error;
    }
    sources.set(file.path, entry);
  }
  // The body cache serves builds from scratch; watch-mode rebuilds keep their posts in memory.
  const cache = new BodyCache(!previous && config.cacheDir ? config.cacheDir : undefined);
  const misses: { index: number; work: MarkdownWork; key: string }[] = [];
  const bodies = new Array<RenderedBody | undefined>(pending.length);
  pending.forEach(({ parsed }, index) => {
    if (!parsed.markdown) return;
    const key = cache.key(parsed.markdown);
    const hit = cache.get(key);
    if (hit) bodies[index] = hit;
    else misses.push({ index, work: parsed.markdown, key });
  });
  const fresh = await renderAll(
    misses.map((m) => m.work),
    previous ? 1 : config.threads,
    (done) => options.hooks?.onProgress?.('parse', done, misses.length),
  );
  misses.forEach((miss, i) => {
    bodies[miss.index] = fresh[i];
    cache.set(miss.key, fresh[i]);
  });
  pending.forEach(({ parsed }, index) => finishPost(config, parsed, bodies[index]));
  cache.save();
  const posts: Post[] = [];
  for (const p of postPaths) {
    const entry = sources.get(p);
    if (entry?.error) errors.push(entry.error);
    else if (entry?.post) posts.push(entry.post);
  }
  lap('parse');
  if (previous && errors.length === 0 && !changes.templates && !copiesChanged && changes.posts) {
    const samePaths = postPaths.length === previous.postPaths.length && changes.posts.every((p) => sources.has(p) && previous.sources.has(p));
    const quick = samePaths ? await quickRebuild(config, previous, changes.posts, sources, started, timings) : undefined;
    if (quick) return quick;
  }
  const planMemo = previous?.planMemo ?? new WeakMap();
  const viewMemo = previous?.viewMemo ?? createViewMemo();
  const failedState = previous && {
    ...previous,
    templates,
    liquid,
    templateGeneration,
    postPaths,
    sources,
    copies,
    copiesStale: copiesChanged,
    layouts,
    last: undefined,
  };

  // plan
  const plan = planSite(config, posts, { copies, layouts }, errors, planMemo);
  lap('plan');
  if (errors.length > 0) return { ok: false, errors, state: failedState };

  // render: only pages whose inputs changed since the last build
  const render = createRenderContext(config, templates, plan, viewMemo);
  const siteListingKeys = { meta: siteListingKey(render, plan, false), full: siteListingKey(render, plan, true) };
  const pagesKey = sitePagesKey(render, plan);
  const outputs = new Map<string, OutputRecord>();
  const toWrite: OutputFile[] = [];
  let rendered = 0;
  for (const page of plan.outputs) {
    const before = previous?.outputs.get(page.outPath);
    const fingerprint = pageFingerprint(render, page, before?.usesContent ?? false);
    const listing = before?.usesContent ? 'full' : 'meta';
    const unchanged =
      before &&
      before.templateGeneration === templateGeneration &&
      sameFingerprint(before.fingerprint, fingerprint) &&
      !(before.usesSiteListing && previous?.siteListingKeys[listing] !== siteListingKeys[listing]) &&
      !(before.usesPages && previous?.sitePagesKey !== pagesKey);
    if (unchanged) {
      outputs.set(page.outPath, before);
      continue;
    }
    try {
      const { contents, usesSiteListing, usesContent, usesPages } = renderPage(render, page);
      const hash = sha1(contents);
      const ownFingerprint = usesContent === (before?.usesContent ?? false) ? fingerprint : pageFingerprint(render, page, usesContent);
      outputs.set(page.outPath, { fingerprint: ownFingerprint, templateGeneration, usesSiteListing, usesContent, usesPages, hash });
      if (before?.hash !== hash) toWrite.push({ path: page.outPath, contents });
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      errors.push(error);
    }
    options.hooks?.onProgress?.('render', ++rendered, plan.outputs.length);
  }
  if (errors.length > 0) return { ok: false, errors, state: failedState };
  for (const copy of plan.copies) {
    const before = previous?.outputs.get(copy.outPath);
    const stamp = copiesChanged || !before ? copyStamp(copy.from) : before.hash;
    outputs.set(copy.outPath, { fingerprint: [], templateGeneration, usesSiteListing: false, usesContent: false, usesPages: false, hash: stamp });
    if (before?.hash !== stamp) toWrite.push({ path: copy.outPath, copyFrom: copy.from });
  }
  lap('render');

  // write: atomically for a build from scratch, in place for watch mode
  const removed = previous ? [...previous.outputs.keys()].filter((p) => !outputs.has(p)) : [];
  const hashes = new Map([...outputs].map(([outPath, record]) => [outPath, record.hash]));
  const sum = outputsSum(outputs);
  const buildId = idOf(sum);
  if (previous) {
    await updateSite(config.outDir, toWrite, removed, buildId);
  } else {
    // Files the current output already holds with the same content are linked, not written again.
    const known = readOutputIndex(config.cacheDir, config.outDir, outputBuildId(config.outDir));
    const stats = await writeSite(config.outDir, toWrite, buildId, known && { previous: known.hashes, stats: known.stats, next: hashes });
    writeOutputIndex(config.cacheDir, { buildId, outDir: config.outDir, hashes, stats });
  }
  lap('write');
  timings.total = performance.now() - started;

  return {
    ok: true,
    result: {
      outDir: config.outDir,
      warnings: buildWarnings(config, jekyllListing?.skipped ?? []),
      posts: plan.posts.length,
      pages: plan.outputs.length,
      files: outputs.size,
      written: toWrite.map((f) => f.path),
      removed,
      timings,
    },
    state: {
      configKey: key,
      templates,
      liquid,
      templateGeneration,
      postPaths,
      sources,
      copies,
      copiesStale: false,
      layouts,
      planMemo,
      viewMemo,
      outputs,
      outputsSum: sum,
      siteListingKeys,
      sitePagesKey: pagesKey,
      last: {
        plan,
        render,
        pages: new Map(plan.outputs.map((page) => [page.outPath, page])),
        nextDue: posts.reduce((due, post) => {
          const time = post.date.getTime();
          return time > config.now.getTime() && time < due ? time : due;
        }, Infinity),
        postPages: new Map(
          plan.outputs.flatMap((page) => {
            const planned = page.kind === 'post' ? page.post : page.kind === 'page' ? page.page : undefined;
            return planned ? [[planned.post.source, { page, planned }] as const] : [];
          }),
        ),
      },
    },
  };
}

/** A build from scratch, as `recap build` runs it. Throws BuildFailedError listing every error found; writes nothing then. */
export async function buildSite(config: SiteConfig, hooks: BuildHooks = {}): Promise<BuildResult & { plan: SitePlan }> {
  const outcome = await build(config, { hooks });
  if (!outcome.ok) throw new BuildFailedError(outcome.errors);
  return { ...outcome.result, plan: outcome.state.last!.plan };
}

/** Reads front matter only and plans the site: what `recap check` needs to name each page's source. */
export async function planFrontMatter(config: SiteConfig): Promise<SitePlan> {
  const errors: SiteError[] = [];
  const liquid = config.jekyll ? (await import('../jekyll/liquid.js')).createLiquidEngine(config) : undefined;
  const context = { config, templates: createTemplateEnvironment(config), liquid, bodies: false };
  const posts: Post[] = [];
  const jekyll = config.jekyll ? jekyllFiles(config, errors) : undefined;
  for (const file of readPosts(config, listPostPaths(config, errors, undefined, jekyll), errors)) {
    try {
      posts.push(parsePost(file, context));
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      errors.push(error);
    }
  }
  const plan = planSite(config, posts, { copies: listCopies(config, errors, jekyll), layouts: listLayouts(config) }, errors);
  if (errors.length > 0) throw new BuildFailedError(errors);
  return plan;
}
