import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { TemplateError, collectErrors, type SiteError } from './errors.js';
import { siteTemplateData } from './parse.js';
import { isAbsoluteUrl, templateErrorLocation } from './templates.js';
import type { OutputFile, Page, PlannedPost, RedirectListPage, RedirectPage, SiteConfig, SitePlan, Tag } from './types.js';

/** Everything pages share, computed once per build rather than once per page. */
export interface RenderContext {
  config: SiteConfig;
  templates: nunjucks.Environment;
  site: Record<string, unknown>;
  views: Map<PlannedPost, Record<string, unknown>>;
}

function tagView(tag: Tag): Record<string, unknown> {
  return { name: tag.name, slug: tag.slug, url: tag.url, count: tag.posts.length };
}

/** What templates see of a post: every front-matter key, then recap's own values on top. */
function postView(planned: PlannedPost, tagsBySlug: Map<string, Tag>, slugOf: (name: string) => string): Record<string, unknown> {
  const { post } = planned;
  const tags = [...new Set(post.tags.map(slugOf))].flatMap((slug) => {
    const tag = tagsBySlug.get(slug);
    return tag ? [tagView(tag)] : [];
  });
  return {
    ...post.data,
    title: post.title,
    description: post.description,
    image: post.image,
    date: post.date,
    slug: post.slug,
    url: planned.url,
    source: post.source,
    tags,
    draft: post.draft,
    content: new nunjucks.runtime.SafeString(post.html),
  };
}

export function createRenderContext(config: SiteConfig, templates: nunjucks.Environment, plan: SitePlan, slugOf: (name: string) => string): RenderContext {
  const tagsBySlug = new Map(plan.tags.map((tag) => [tag.slug, tag]));
  const views = new Map(plan.posts.map((p) => [p, postView(p, tagsBySlug, slugOf)]));
  const site = { ...siteTemplateData(config), posts: [...views.values()], tags: plan.tags.map(tagView) };
  return { config, templates, site, views };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** A value safe inside <script>: JSON with every character that could close the element escaped. */
const scriptString = (text: string) => JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function absoluteTarget(config: SiteConfig, target: string): string {
  return isAbsoluteUrl(target) || config.url === '' ? target : config.url + target;
}

/** Fixed markup, as jekyll-redirect-from writes: refresh, canonical, script, noindex and a link for everyone else. */
function renderRedirect(config: SiteConfig, page: RedirectPage): string {
  const target = absoluteTarget(config, page.target);
  const href = escapeHtml(target);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(config.language)}">
<head>
<meta charset="utf-8">
<title>Redirecting…</title>
<link rel="canonical" href="${href}">
<meta http-equiv="refresh" content="0; url=${href}">
<meta name="robots" content="noindex">
<script>location.replace(${scriptString(target)});</script>
</head>
<body>
<h1>Redirecting…</h1>
<p><a href="${href}">Click here if you are not redirected.</a></p>
</body>
</html>
`;
}

function renderRedirectList(page: RedirectListPage): string {
  const own = page.prependFrom ? fs.readFileSync(page.prependFrom, 'utf8').replace(/\n*$/, '\n') : '';
  // Netlify reads whitespace-separated fields: a space in a URL must be encoded.
  const field = (url: string) => url.replace(/\s/g, encodeURIComponent);
  return own + page.redirects.map((r) => `${field(r.from)} ${field(r.to)} 301\n`).join('');
}

function templateData(context: RenderContext, page: Page): { layout: string; data: Record<string, unknown> } {
  const base = { site: context.site, kind: page.kind };
  const view = (p: PlannedPost | undefined) => (p ? context.views.get(p) : undefined);
  switch (page.kind) {
    case 'post':
      return {
        layout: page.post.post.layout,
        data: { ...base, page: view(page.post), content: view(page.post)?.content, previous: view(page.previous), next: view(page.next) },
      };
    case 'index':
      return {
        layout: 'index',
        data: {
          ...base,
          page: { title: context.config.title, url: page.url },
          posts: page.posts.map(view),
          pagination: { pageNumber: page.pageNumber, totalPages: page.totalPages, previousUrl: page.previousUrl, nextUrl: page.nextUrl },
        },
      };
    case 'tag':
      return {
        layout: 'tag',
        data: { ...base, page: { title: `Posts tagged “${page.tag.name}”`, url: page.url }, tag: tagView(page.tag), posts: page.tag.posts.map(view) },
      };
    case 'tags':
      return { layout: 'tags', data: { ...base, page: { title: 'Tags', url: page.url }, tags: page.tags.map(tagView) } };
    default:
      throw new Error(`no template for ${page.kind}`);
  }
}

function templateLabel(config: SiteConfig, file: string | undefined): string | undefined {
  if (!file) return undefined;
  for (const dir of config.templateDirs) {
    const real = fs.realpathSync(dir);
    if (file.startsWith(real + path.sep)) {
      const relative = path.relative(real, file).split(path.sep).join('/');
      return path.resolve(dir) === path.join(config.root, 'templates') ? `templates/${relative}` : `(default theme) templates/${relative}`;
    }
  }
  return file;
}

export function renderPage(context: RenderContext, page: Page): OutputFile {
  if (page.kind === 'redirect') return { path: page.outPath, contents: renderRedirect(context.config, page) };
  if (page.kind === 'redirectList') return { path: page.outPath, contents: renderRedirectList(page) };
  const { layout, data } = templateData(context, page);
  try {
    return { path: page.outPath, contents: context.templates.render(`${layout}.njk`, data) };
  } catch (error) {
    const where = templateErrorLocation(error);
    const source = page.origin.file ? `${page.origin.file} (${page.origin.what})` : page.origin.what;
    throw new TemplateError(templateLabel(context.config, where.file) ?? `templates/${layout}.njk`, `${where.message} (rendering ${page.outPath} for ${source})`, {
      line: where.line,
      column: where.column,
      cause: error,
    });
  }
}

export function renderPages(context: RenderContext, pages: Page[], errors: SiteError[]): OutputFile[] {
  return collectErrors(pages, (page) => renderPage(context, page), errors);
}
