import { performance } from 'node:perf_hooks';
import { BuildFailedError, collectErrors, type SiteError } from './errors.js';
import { parsePost } from './parse.js';
import { planSite } from './plan.js';
import { readSources } from './read.js';
import { createRenderContext, renderPages } from './render.js';
import { createTemplateEnvironment } from './templates.js';
import type { BuildResult, OutputFile, SiteConfig } from './types.js';
import { slugifyTag } from './urls.js';
import { writeSite } from './write.js';

export interface BuildHooks {
  /** Called as work advances, for a progress line. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

function failIfAny(errors: SiteError[]): void {
  if (errors.length > 0) throw new BuildFailedError(errors);
}

/** read → parse → plan → render → write. Throws BuildFailedError listing every error found; writes nothing then. */
export async function build(config: SiteConfig, hooks: BuildHooks = {}): Promise<BuildResult> {
  const started = performance.now();
  const timings: BuildResult['timings'] = { read: 0, parse: 0, plan: 0, render: 0, write: 0, total: 0 };
  let mark = started;
  const lap = (stage: keyof BuildResult['timings']) => {
    const now = performance.now();
    timings[stage] = now - mark;
    mark = now;
  };
  const errors: SiteError[] = [];

  const sources = await readSources(config, errors);
  lap('read');

  const templates = createTemplateEnvironment(config);
  const context = { config, templates, layouts: sources.layouts };
  let parsed = 0;
  const posts = collectErrors(
    sources.posts,
    (file) => {
      const post = parsePost(file, context);
      hooks.onProgress?.('parse', ++parsed, sources.posts.length);
      return post;
    },
    errors,
  );
  lap('parse');

  const plan = planSite(config, posts, sources, errors);
  lap('plan');
  failIfAny(errors);

  const renderContext = createRenderContext(config, templates, plan, slugifyTag);
  const files: OutputFile[] = renderPages(renderContext, plan.pages, errors);
  failIfAny(errors);
  for (const copy of plan.copies) files.push({ path: copy.outPath, copyFrom: copy.from });
  lap('render');

  await writeSite(config.outDir, files);
  lap('write');
  timings.total = performance.now() - started;

  return { outDir: config.outDir, posts: plan.posts.length, pages: plan.pages.length, files: files.length, timings };
}
