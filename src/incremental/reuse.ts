/**
 * What makes a build incremental, behind one interface the pipeline asks at each stage: which
 * files must be read and parsed again, which rendered bodies the cache holds, whether the last
 * plan still holds, which pages are unchanged, and what the output folder already has. It never
 * renders or writes. A build from scratch asks the same questions and gets the body cache's
 * rendered markdown and, over the output the cache knows, that output's unchanged pages.
 */
import type { BodyEngine, CompiledFiles } from '../pipeline/dialect.js';
import type nunjucks from 'nunjucks';
import { isBuilt } from '../pipeline/parse.js';
import type { PlanMemo } from '../pipeline/plan.js';
import type { CopySource } from '../pipeline/read.js';
import type { Page, PlannedPost, Post, SiteConfig, SitePlan, SourceFile } from '../pipeline/types.js';
import { createViewMemo, type RenderContext, type ViewMemo } from '../theme/views.js';
import { sha1 } from '../util/hash.js';
import { GENERATED_OUTPUT, type BuildState, type Changes, type OutputRecord, type PageReads, type ParsedFile } from './state.js';
import { BodyCache } from './body-cache.js';

export type { BuildState, Changes, PageReads, ParsedFile };
import { listingKeys, pageFingerprint, sameFingerprint, type ListingKeys } from './fingerprints.js';
import { copyStamp, idOf, outputsSum, updatedSum } from './output-id.js';
import { readOutputIndex, writeOutputIndex, type OutputIndex } from './output-index.js';
import { renderKey } from './render-key.js';
import { fileSignature, insideFolder, lstatOrNone } from '../util/files.js';
import { fileList, outputBuildId } from '../pipeline/output-marker.js';
import type { CurrentOutput } from '../pipeline/write.js';
import type { ImageSource } from '../images/catalog.js';

/** Everything in the config that output depends on; a change means a build from scratch. */
function configKey(config: SiteConfig): string {
  const { now: _now, templateDirs: _dirs, cacheDir: _cache, threads: _threads, warnings: _warnings, force: _force, ...rest } = config;
  return JSON.stringify(rest);
}

/** Front matter, date, excerpt and whether it is built: what every page but the post's own can show of it. */
function sameMeta(config: SiteConfig, a: Post, b: Post): boolean {
  return (
    a.date.getTime() === b.date.getTime() &&
    a.excerpt === b.excerpt &&
    // Resolving post_url/link needs the whole plan.
    a.references.length === 0 &&
    b.references.length === 0 &&
    isBuilt(config, a) === isBuilt(config, b) &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  );
}


export class Reuse {
  readonly changes: Changes;
  readonly templateGeneration: number;
  readonly planMemo: PlanMemo;
  readonly viewMemo: ViewMemo;
  /** This build's parsed files (kept ones and new ones). */
  readonly files = new Map<string, ParsedFile>();
  private readonly key: string;
  private readonly previous?: BuildState;
  private copiesChanged = true;
  /** Set when the last plan is kept: the pages that may differ from the last build. */
  private candidates?: Set<string>;
  private readonly outputs = new Map<string, OutputRecord>();
  private readonly pending: Partial<BuildState> = {};
  private keys?: ListingKeys;
  /**
   * A build from scratch with the cache: what the build that wrote the current output folder
   * recorded of it (see output-index.ts). Pages whose record still holds are carried over from
   * that output instead of being rendered (`carried`).
   */
  private index?: Omit<OutputIndex, 'buildId' | 'outDir'>;
  /** A build from scratch with the cache: its render key, taken before any template is read (a template saved mid-build then misses next time). */
  private readonly renderKey?: string;
  private readonly carried: string[] = [];

  /**
   * Continues from `previous` when it was built with the same config into an output that still
   * holds it whole: its marker carries that build's id (not "updating", not another build's).
   */
  constructor(private readonly config: SiteConfig, previous?: BuildState, changes?: Changes) {
    this.key = configKey(config);
    this.previous = previous?.configKey === this.key && outputBuildId(config.outDir) === idOf(previous.outputsSum) ? previous : undefined;
    this.changes = this.previous ? (changes ?? { templates: true }) : { templates: true };
    this.templateGeneration = (this.previous?.templateGeneration ?? 0) + (this.changes.templates ? 1 : 0);
    this.planMemo = this.previous?.planMemo ?? new WeakMap();
    this.viewMemo = this.previous?.viewMemo ?? createViewMemo();
    // Jekyll sites render with their own _layouts, _includes and _data, which the render key does not cover: every page is rendered.
    if (!this.previous && config.cacheDir && !config.force && !config.jekyll) this.renderKey = renderKey(this.key, config);
  }

  /** Whether this build continues from a previous one (watch mode), writing in place. */
  get continues(): boolean {
    return this.previous !== undefined;
  }

  // read

  templates(create: () => nunjucks.Environment): nunjucks.Environment {
    return (this.pending.templates = this.changes.templates || !this.previous ? create() : this.previous.templates);
  }

  async bodyEngine(create: () => Promise<BodyEngine>): Promise<BodyEngine> {
    return (this.pending.bodyEngine = this.changes.templates || !this.previous ? await create() : this.previous.bodyEngine);
  }

  /** The source paths now: all of them listed, or in watch mode the last list updated with the changed paths. */
  postPaths(list: (only?: string[]) => string[]): string[] {
    const changed = this.changes.posts;
    if (!this.previous || !changed) return (this.pending.postPaths = list());
    const paths = new Set(this.previous.postPaths);
    for (const p of changed) paths.delete(p);
    for (const p of list(changed)) paths.add(p);
    return (this.pending.postPaths = [...paths].sort());
  }

  /** The paths that must be read again; the others keep their last parse. */
  toRead(paths: string[]): string[] {
    const stale: string[] = [];
    for (const p of paths) {
      const kept = this.previous?.files.get(p);
      const { posts, templates } = this.changes;
      const isStale =
        !kept ||
        posts === undefined ||
        posts.includes(p) ||
        (templates && kept.usesTemplates) ||
        // A post that was not built (a draft, a future post) has no body yet.
        (!kept.rendered && kept.post !== undefined && isBuilt(this.config, kept.post));
      if (isStale) stale.push(p);
      else this.files.set(p, kept);
    }
    return stale;
  }

  copies(list: () => CopySource[]): CopySource[] {
    const previous = this.previous;
    this.copiesChanged = !previous || this.changes.copies !== false || this.changes.templates || previous.copiesStale;
    return (this.pending.copies = this.copiesChanged || !previous ? list() : previous.copies);
  }

  /** The stylesheets compiled again when the site's other files may have changed (copies), else as last compiled. */
  async compiled(compile: () => Promise<CompiledFiles>): Promise<CompiledFiles> {
    const previous = this.previous;
    return (this.pending.compiled = this.copiesChanged || !previous ? await compile() : previous.compiled);
  }

  layouts(list: () => string[]): string[] {
    return (this.pending.layouts = !this.previous || this.changes.templates ? list() : this.previous.layouts);
  }

  // parse

  /** The hash a file is known by: a draft in a drafts folder is dated by its file's time, so touching it moves it. */
  fileHash(file: SourceFile): string {
    return sha1(file.path.includes('_drafts/') ? `${file.text}\0${file.modified?.getTime()}` : file.text);
  }

  /** The last parse of a file whose text is unchanged, if it still holds. */
  parsed(file: SourceFile, hash: string): ParsedFile | undefined {
    const kept = this.previous?.files.get(file.path);
    if (kept && kept.hash === hash && !(this.changes.templates && kept.usesTemplates) && (kept.rendered || !kept.post)) return kept;
    return undefined;
  }

  /** Rendered bodies from earlier builds from scratch (watch mode keeps its posts in memory instead). */
  bodyCache(): BodyCache {
    return new BodyCache(!this.previous && this.config.cacheDir ? this.config.cacheDir : undefined);
  }

  // plan

  /**
   * The last plan, when only bodies changed: the saved posts keep their URLs, tags and places in
   * every listing, so their planned entries take the new bodies and every other page stays as
   * planned. Otherwise the site is planned again by `planAgain`.
   */
  plan(errorsSoFar: number, planAgain: () => SitePlan): SitePlan {
    return (errorsSoFar === 0 ? this.keptPlan() : undefined) ?? planAgain();
  }

  private keptPlan(): SitePlan | undefined {
    const previous = this.previous;
    const last = previous?.last;
    const changed = this.changes.posts;
    if (!previous || !last || !changed || changed.length === 0 || this.changes.templates || this.copiesChanged) return undefined;
    if (this.config.now.getTime() >= last.nextDue || this.pending.postPaths?.length !== previous.postPaths.length) return undefined;
    if (!changed.every((p) => this.files.has(p) && previous.files.has(p))) return undefined;
    const swaps: { planned: PlannedPost; post: Post; oldKey: string }[] = [];
    for (const p of changed) {
      const before = previous.files.get(p)?.post;
      const now = this.files.get(p)?.post;
      if (!before || !now || !sameMeta(this.config, before, now)) return undefined;
      const planned = last.postPages.get(p);
      if (planned) swaps.push({ planned, post: now, oldKey: last.context.views.get(planned)?.fullKey ?? '' });
    }
    // Pages that read bodies and list a saved post may change too; if one reads a site-wide listing, every page may.
    const oldKeys = new Set(swaps.map((s) => s.oldKey));
    const candidates = new Set(swaps.map((s) => s.planned.outPath));
    for (const [outPath, record] of previous.outputs) {
      if (record.usesWholeSite || record.ownLayout) return undefined;
      if (!record.usesContent) continue;
      if (record.usesSiteListing || record.usesPages) return undefined;
      if (record.fingerprint.some((key) => oldKeys.has(key))) candidates.add(outPath);
    }
    for (const { planned, post } of swaps) {
      this.planMemo.set(post, this.planMemo.get(planned.post)!);
      planned.post = post;
      planned.html = post.html;
      planned.excerptHtml = post.excerptHtml;
      planned.excerpt = post.excerpt;
    }
    this.candidates = candidates;
    return last.plan;
  }

  // render

  /** Called once the render context is made: site-wide listings are keyed once per build. */
  startRender(context: RenderContext, plan: SitePlan): void {
    this.keys = listingKeys(context, plan);
    if (this.renderKey) this.index = readOutputIndex(this.config.cacheDir, this.config.outDir, outputBuildId(this.config.outDir));
  }

  /** Whether a page's last output still holds: nothing it is rendered from changed. */
  unchanged(context: RenderContext, page: Page): boolean {
    if (!this.previous) return this.carriedFromOutput(context, page);
    const before = this.previous.outputs.get(page.outPath);
    if (!before || before.templateGeneration !== this.templateGeneration || before.usesWholeSite) return false;
    if (this.candidates && !this.candidates.has(page.outPath)) {
      this.outputs.set(page.outPath, before);
      return true;
    }
    const same = this.readsTheSame(context, page, before, this.previous.listingKeys);
    if (same) this.outputs.set(page.outPath, before);
    return same;
  }

  /** Whether a page rendered from `before` (with those listing keys) would read the same now: its fingerprint and the listings it read. */
  private readsTheSame(context: RenderContext, page: Page, before: Omit<OutputRecord, 'templateGeneration' | 'hash'>, keysBefore: ListingKeys): boolean {
    const keys = this.keys!;
    const listing = before.usesContent ? 'full' : 'meta';
    return (
      (context.images?.holds(before.images) ?? !before.images?.length) &&
      sameFingerprint(before.fingerprint, pageFingerprint(context, page, before.usesContent, before.ownLayout)) &&
      !(before.usesSiteListing && keysBefore[listing] !== keys[listing]) &&
      !(before.usesPages && keysBefore.pages !== keys.pages)
    );
  }

  /**
   * For a build from scratch: whether the current output's file for this page is what this build
   * would render, because the build that wrote it recorded the same render key, fingerprint and
   * listings, and the file is as it wrote it. Such a page is carried over (into the new output, by
   * the write stage) instead of rendered.
   */
  private carriedFromOutput(context: RenderContext, page: Page): boolean {
    const pages = this.index?.pages;
    if (!pages || pages.renderKey !== this.renderKey) return false;
    const record = pages.records[page.outPath];
    const hash = this.index!.hashes.get(page.outPath);
    if (!record || !hash || record.usesWholeSite || record.ownLayout || !this.readsTheSame(context, page, record, pages.listingKeys)) return false;
    // Nothing there, a folder on the way replaced by a file, or a file changed since: the page is rendered.
    const stat = lstatOrNone(insideFolder(this.config.outDir, page.outPath));
    if (!stat?.isFile() || fileSignature(stat) !== this.index!.stats.get(page.outPath)) return false;
    this.outputs.set(page.outPath, { ...record, templateGeneration: this.templateGeneration, hash });
    this.carried.push(page.outPath);
    return true;
  }

  /** Records a rendered page; returns whether its bytes differ from the last build's. */
  rendered(context: RenderContext, page: Page, contents: string, reads: PageReads): boolean {
    const hash = sha1(contents);
    const fingerprint = pageFingerprint(context, page, reads.usesContent, reads.ownLayout);
    this.outputs.set(page.outPath, { fingerprint, templateGeneration: this.templateGeneration, ...reads, hash });
    return this.previous?.outputs.get(page.outPath)?.hash !== hash;
  }

  /** Records a copied file; returns whether it must be copied again. */
  copied(outPath: string, from: string): boolean {
    const before = this.previous?.outputs.get(outPath);
    const hash = this.copiesChanged || !before ? copyStamp(from) : before.hash;
    this.outputs.set(outPath, { fingerprint: [], templateGeneration: this.templateGeneration, usesSiteListing: false, usesContent: false, usesPages: false, usesWholeSite: false, hash });
    return before?.hash !== hash;
  }

  /** The site's image files: read again when the site's other files may have changed (copies), else as last read. */
  async imageCatalog(read: () => Promise<Map<string, ImageSource>>): Promise<Map<string, ImageSource>> {
    const previous = this.previous;
    return (this.pending.imageCatalog = this.copiesChanged || !previous ? await read() : previous.imageCatalog);
  }

  /** Every page's images (rendered, unchanged or carried over): their copies belong in the output. */
  pageImages(): [outPath: string, keys: readonly string[]][] {
    return [...this.outputs].flatMap(([outPath, record]) => (record.images?.length ? [[outPath, record.images] as [string, readonly string[]]] : []));
  }

  // search (see search/index.ts)

  /** The content hash of a file this build makes (rendered, unchanged or carried over): what the search index is keyed by. */
  outputHash(outPath: string): string | undefined {
    return this.outputs.get(outPath)?.hash;
  }

  /** The key of the search index the output folder holds: the last build's (watch mode), or what the cache recorded of the current output. */
  currentSearchKey(): string | undefined {
    return this.previous ? this.previous.searchKey : this.index?.searchKey;
  }

  /**
   * Keeps the search index the output holds (its files in `folder`): in watch mode as the last build
   * recorded them; in a new build with the cache, carried over from the current output like an
   * unchanged page, when every file of it is as that build wrote it. False when it cannot be kept.
   */
  keepSearchIndex(folder: string): boolean {
    const inFolder = (outPath: string) => outPath.startsWith(`${folder}/`);
    if (this.previous) {
      for (const [outPath, record] of this.previous.outputs) if (inFolder(outPath)) this.outputs.set(outPath, record);
      return true;
    }
    const index = this.index;
    if (!index) return false;
    const files = [...index.hashes].filter(([outPath]) => inFolder(outPath));
    const whole = files.length > 0 && files.every(([outPath]) => {
      const stat = lstatOrNone(insideFolder(this.config.outDir, outPath));
      return stat?.isFile() === true && fileSignature(stat) === index.stats.get(outPath);
    });
    if (!whole) return false;
    for (const [outPath, hash] of files) {
      this.outputs.set(outPath, { ...GENERATED_OUTPUT, templateGeneration: this.templateGeneration, hash });
      this.carried.push(outPath);
    }
    return true;
  }

  /** Records a file made from other outputs (the search index's); returns whether its bytes differ from the last build's. */
  generated(outPath: string, contents: Uint8Array): boolean {
    const hash = sha1(contents);
    this.outputs.set(outPath, { ...GENERATED_OUTPUT, templateGeneration: this.templateGeneration, hash });
    return this.previous?.outputs.get(outPath)?.hash !== hash;
  }

  /** The key of the search index this build leaves in the output (see search/index.ts searchKey). */
  recordSearchKey(key: string | undefined): void {
    this.pending.searchKey = key;
  }

  // write

  /** Output files of the last build that this one does not make. */
  removed(): string[] {
    return this.previous ? [...this.previous.outputs.keys()].filter((p) => !this.outputs.has(p)) : [];
  }

  /** Whether the last build (the output folder as it is) has a file at this path: watch mode may replace or remove only those. */
  wroteBefore(outPath: string): boolean {
    return this.previous?.outputs.has(outPath) ?? false;
  }

  /** The marker's list of this build's files: the last build's when no path came or went (`removed`: this build's removals). */
  fileList(removed: string[]): string {
    const previous = this.previous;
    const same = previous?.fileList !== undefined && removed.length === 0 && previous.outputs.size === this.outputs.size;
    return (this.pending.fileList = same ? previous.fileList! : fileList(this.outputs.keys()));
  }

  /** The output's id: updated by the changed files alone when continuing, else summed over every file. */
  outputId(changed: string[]): { id: string; sum: bigint } {
    const previous = this.previous;
    const sum = previous
      ? updatedSum(previous.outputsSum, changed, (p) => previous.outputs.get(p)?.hash, (p) => this.outputs.get(p)?.hash)
      : outputsSum(this.outputs);
    this.pending.outputsSum = sum;
    return { id: idOf(sum), sum };
  }

  /** The id in the marker of the output this build continues from. */
  previousOutputId(): string {
    return this.previous ? idOf(this.previous.outputsSum) : '';
  }

  /** For a build from scratch: what the current output folder holds, when the cache knows the build that wrote it (`currentId`). */
  current(currentId: string | undefined): CurrentOutput | undefined {
    const known = this.index ?? readOutputIndex(this.config.cacheDir, this.config.outDir, currentId);
    return known && { previous: known.hashes, stats: known.stats, next: this.hashes(), carried: this.carried };
  }

  /** Remembers what the new output folder holds, for the next build from scratch. */
  remember(buildId: string, stats: Map<string, string>): void {
    try {
      writeOutputIndex(this.config.cacheDir, { buildId, outDir: this.config.outDir, hashes: this.hashes(), stats, pages: this.pageIndex(), searchKey: this.pending.searchKey });
    } catch {
      // The output is written and whole; without the index the next build writes it whole.
    }
  }

  /** What each page was rendered from, for the next build from scratch (none without a render key: see the constructor). */
  private pageIndex(): OutputIndex['pages'] {
    if (!this.renderKey || !this.keys) return undefined;
    const records: NonNullable<OutputIndex['pages']>['records'] = {};
    for (const [outPath, { templateGeneration: _generation, hash: _hash, ...record }] of this.outputs) {
      if (record.fingerprint.length > 0) records[outPath] = record;
    }
    return { renderKey: this.renderKey, listingKeys: this.keys, records };
  }

  private hashes(): Map<string, string> {
    return new Map([...this.outputs].map(([outPath, record]) => [outPath, record.hash]));
  }

  /** The number of output files. */
  get fileCount(): number {
    return this.outputs.size;
  }

  // end

  /** The state after a successful build. */
  commit(plan: SitePlan, context: RenderContext, posts: Post[], nextDue: number): BuildState {
    const postPages = new Map<string, PlannedPost>();
    for (const page of plan.outputs) {
      const planned = page.kind === 'post' ? page.post : page.kind === 'page' ? page.page : undefined;
      if (planned) postPages.set(planned.post.source, planned);
    }
    return {
      ...this.base(),
      copiesStale: false,
      outputs: this.outputs,
      outputsSum: this.pending.outputsSum ?? outputsSum(this.outputs),
      fileList: this.pending.fileList,
      searchKey: this.pending.searchKey,
      listingKeys: this.keys!,
      // From when a future post is due or an upcoming event ends, a kept plan is out of date.
      last: { plan, context, postPages, nextDue },
    };
  }

  /**
   * The state after a failed build: the output folder still holds the last good build, so its
   * outputs are what the next build compares with, and nothing of this build's plan is kept.
   */
  failed(): BuildState | undefined {
    const previous = this.previous;
    if (!previous) return undefined;
    return {
      ...this.base(),
      copiesStale: this.copiesChanged,
      outputs: previous.outputs,
      outputsSum: previous.outputsSum,
      fileList: previous.fileList,
      searchKey: previous.searchKey,
      listingKeys: previous.listingKeys,
      last: undefined,
    };
  }

  private base(): Omit<BuildState, 'copiesStale' | 'outputs' | 'outputsSum' | 'fileList' | 'searchKey' | 'listingKeys' | 'last'> {
    const previous = this.previous;
    return {
      configKey: this.key,
      templates: this.pending.templates ?? previous!.templates,
      bodyEngine: this.pending.bodyEngine ?? previous!.bodyEngine,
      templateGeneration: this.templateGeneration,
      postPaths: this.pending.postPaths ?? previous?.postPaths ?? [],
      files: this.files,
      copies: this.pending.copies ?? previous?.copies ?? [],
      compiled: this.pending.compiled ?? previous?.compiled ?? { files: [], warnings: [] },
      imageCatalog: this.pending.imageCatalog ?? previous?.imageCatalog ?? new Map(),
      layouts: this.pending.layouts ?? previous?.layouts ?? [],
      planMemo: this.planMemo,
      viewMemo: this.viewMemo,
    };
  }
}
