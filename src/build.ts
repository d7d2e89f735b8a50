import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type nunjucks from 'nunjucks';
import { BuildFailedError, SiteError } from './errors.js';
import { isBuilt, parsePost, usesTemplateFiles } from './parse.js';
import { planSite } from './plan.js';
import { listCopies, listLayouts, listPostPaths, readPosts } from './read.js';
import { createRenderContext, pageFingerprint, renderPage } from './render.js';
import { createTemplateEnvironment } from './templates.js';
import type { BuildResult, OutputFile, PlannedPost, Post, SiteConfig, SourceFile } from './types.js';
import { updateSite, writeSite } from './write.js';

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
  fingerprint: string;
  /** The templates it was rendered with (see BuildState.templateGeneration). */
  templateGeneration: number;
  usesSiteListing: boolean;
  /** Hash of the bytes written: a page rendered again to the same bytes is not written again. */
  hash: string;
}

/**
 * What a build leaves for the next one in watch mode: parsed posts by path, the template
 * environment, and for each output file what it was made from.
 */
export interface BuildState {
  configKey: string;
  templates: nunjucks.Environment;
  /** Counts template changes; outputs rendered with older templates are rendered again. */
  templateGeneration: number;
  sources: Map<string, CachedSource>;
  outputs: Map<string, OutputRecord>;
  siteListingKey: string;
}

/** What changed since the previous build, as the watcher saw it. */
export interface Changes {
  /** Site-relative paths of post files created, changed or deleted. */
  posts: string[];
  /** Something under templates/ changed: every page is rendered again. */
  templates: boolean;
}

export interface BuildOptions {
  previous?: BuildState;
  changes?: Changes;
  hooks?: BuildHooks;
}

export type BuildOutcome = { ok: true; result: BuildResult; state: BuildState } | { ok: false; errors: SiteError[]; state?: BuildState };

const sha1 = (text: string) => createHash('sha1').update(text).digest('base64url');

/** Everything in the config that output depends on; a change means a build from scratch. */
function configKey(config: SiteConfig): string {
  const { now: _now, templateDirs: _dirs, ...rest } = config;
  return JSON.stringify(rest);
}

function copyStamp(from: string): string {
  const stat = fs.statSync(from);
  return `${from}\0${stat.size}\0${stat.mtimeMs}`;
}

/**
 * read → parse → plan → render → write. With `previous` (watch mode), posts not named in
 * `changes` are not read or parsed again, pages whose inputs did not change are not rendered,
 * and only changed files are written; the output is byte for byte what a clean build writes.
 */
export async function runBuild(config: SiteConfig, options: BuildOptions = {}): Promise<BuildOutcome> {
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
  const changedPosts = new Set(options.changes?.posts ?? []);
  const templatesChanged = !previous || (options.changes?.templates ?? false);

  // read: every path is listed again (files come and go); only new or changed ones are read.
  const templates = templatesChanged ? createTemplateEnvironment(config) : previous.templates;
  const templateGeneration = (previous?.templateGeneration ?? 0) + (templatesChanged ? 1 : 0);
  const paths = listPostPaths(config, errors);
  const sources = new Map<string, CachedSource>();
  const toRead: string[] = [];
  for (const p of paths) {
    const cached = previous?.sources.get(p);
    const stale =
      !cached ||
      changedPosts.has(p) ||
      (templatesChanged && cached.usesTemplates) ||
      (!cached.rendered && cached.post !== undefined && isBuilt(config, cached.post.published, cached.post.draft, cached.post.date));
    if (stale) toRead.push(p);
    else sources.set(p, cached);
  }
  const files: SourceFile[] = await readPosts(config, toRead, errors);
  const copies = listCopies(config, errors);
  const layouts = listLayouts(config);
  lap('read');

  // parse
  const context = { config, templates };
  files.forEach((file, index) => {
    const entry: CachedSource = { hash: sha1(file.text), rendered: false, usesTemplates: usesTemplateFiles(file.text) };
    try {
      entry.post = parsePost(file, context);
      entry.rendered = isBuilt(config, entry.post.published, entry.post.draft, entry.post.date);
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      entry.error = error;
    }
    sources.set(file.path, entry);
    options.hooks?.onProgress?.('parse', index + 1, files.length);
  });
  const posts: Post[] = [];
  for (const p of paths) {
    const entry = sources.get(p);
    if (entry?.error) errors.push(entry.error);
    else if (entry?.post) posts.push(entry.post);
  }
  lap('parse');
  const failedState = previous && { ...previous, templates, templateGeneration, sources };

  // plan
  const plan = planSite(config, posts, { copies, layouts }, errors);
  lap('plan');
  if (errors.length > 0) return { ok: false, errors, state: failedState };

  // render: only pages whose inputs changed since the last build
  const render = createRenderContext(config, templates, plan);
  // A post's key covers everything its view shows: its text, URL and tags (names can change with other posts).
  const postKeys = new Map<PlannedPost, string>();
  for (const p of plan.posts) {
    postKeys.set(p, sha1(JSON.stringify([sources.get(p.post.source)?.hash, p.url, render.views.get(p)?.tags, p.post.draft])));
  }
  const siteListingKey = sha1(JSON.stringify([plan.posts.map((p) => postKeys.get(p)), plan.tags.map((t) => [t.name, t.url, t.posts.length])]));
  const outputs = new Map<string, OutputRecord>();
  const toWrite: OutputFile[] = [];
  let rendered = 0;
  for (const page of plan.pages) {
    const fingerprint = pageFingerprint(page, postKeys);
    const before = previous?.outputs.get(page.outPath);
    const unchanged =
      before &&
      before.templateGeneration === templateGeneration &&
      before.fingerprint === fingerprint &&
      !(before.usesSiteListing && previous?.siteListingKey !== siteListingKey);
    if (unchanged) {
      outputs.set(page.outPath, before);
      continue;
    }
    try {
      const { contents, usesSiteListing } = renderPage(render, page);
      const hash = sha1(contents);
      outputs.set(page.outPath, { fingerprint, templateGeneration, usesSiteListing, hash });
      if (before?.hash !== hash) toWrite.push({ path: page.outPath, contents });
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      errors.push(error);
    }
    options.hooks?.onProgress?.('render', ++rendered, plan.pages.length);
  }
  if (errors.length > 0) return { ok: false, errors, state: failedState };
  for (const copy of plan.copies) {
    const fingerprint = copyStamp(copy.from);
    const before = previous?.outputs.get(copy.outPath);
    outputs.set(copy.outPath, { fingerprint, templateGeneration, usesSiteListing: false, hash: fingerprint });
    if (before?.fingerprint !== fingerprint) toWrite.push({ path: copy.outPath, copyFrom: copy.from });
  }
  lap('render');

  // write: atomically for a build from scratch, in place for watch mode
  const removed = previous ? [...previous.outputs.keys()].filter((p) => !outputs.has(p)) : [];
  if (previous) await updateSite(config.outDir, toWrite, removed);
  else await writeSite(config.outDir, toWrite);
  lap('write');
  timings.total = performance.now() - started;

  return {
    ok: true,
    result: {
      outDir: config.outDir,
      posts: plan.posts.length,
      pages: plan.pages.length,
      files: outputs.size,
      written: toWrite.map((f) => f.path),
      removed,
      timings,
    },
    state: { configKey: key, templates, templateGeneration, sources, outputs, siteListingKey },
  };
}

/** A build from scratch, as `recap build` runs it. Throws BuildFailedError listing every error found; writes nothing then. */
export async function build(config: SiteConfig, hooks: BuildHooks = {}): Promise<BuildResult> {
  const outcome = await runBuild(config, { hooks });
  if (!outcome.ok) throw new BuildFailedError(outcome.errors);
  return outcome.result;
}
