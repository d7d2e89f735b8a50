import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { TemplateError } from './errors.js';
import { siteTemplateData } from './parse.js';
import { isAbsoluteUrl, templateErrorLocation } from './templates.js';
import type { Page, PlannedPost, RedirectListPage, RedirectPage, SiteConfig, SitePlan, Tag } from './types.js';

/** Everything pages share, computed once per build rather than once per page. */
export interface RenderContext {
  config: SiteConfig;
  templates: nunjucks.Environment;
  site: Record<string, unknown>;
  views: Map<PlannedPost, Record<string, unknown>>;
  /** Set when a render reads site.posts or site.tags: such a page depends on every post. */
  siteListingUsed: boolean;
}

function tagView(tag: Tag): Record<string, unknown> {
  return { name: tag.name, slug: tag.slug, url: tag.url, count: tag.posts.length };
}

/** What templates see of a post: every front-matter key, then recap's own values on top. */
function postView(planned: PlannedPost, tags: Tag[]): Record<string, unknown> {
  const { post } = planned;
  return {
    ...post.data,
    title: post.title,
    description: post.description,
    image: post.image,
    date: post.date,
    slug: post.slug,
    url: planned.url,
    source: post.source,
    // No count here: a post's page should not change when another post adds its tag.
    tags: tags.map((tag) => ({ name: tag.name, slug: tag.slug, url: tag.url })),
    draft: post.draft,
    content: new nunjucks.runtime.SafeString(post.html),
  };
}

export function createRenderContext(config: SiteConfig, templates: nunjucks.Environment, plan: SitePlan): RenderContext {
  const views = new Map(plan.posts.map((p) => [p, postView(p, plan.postTags.get(p) ?? [])]));
  const posts = [...views.values()];
  const tags = plan.tags.map(tagView);
  const context: RenderContext = { config, templates, site: {}, views, siteListingUsed: false };
  context.site = Object.defineProperties(siteTemplateData(config), {
    posts: { enumerable: true, get: () => ((context.siteListingUsed = true), posts) },
    tags: { enumerable: true, get: () => ((context.siteListingUsed = true), tags) },
  });
  return context;
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

/** A page's HTML (or text), and whether it read the site-wide post listing. */
export function renderPage(context: RenderContext, page: Page): { contents: string; usesSiteListing: boolean } {
  if (page.kind === 'redirect') return { contents: renderRedirect(context.config, page), usesSiteListing: false };
  if (page.kind === 'redirectList') return { contents: renderRedirectList(page), usesSiteListing: false };
  const { layout, data } = templateData(context, page);
  context.siteListingUsed = false;
  try {
    const contents = context.templates.render(`${layout}.njk`, data);
    return { contents, usesSiteListing: context.siteListingUsed };
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

/** The data a page is rendered from, as a string: equal strings, equal pages (for one set of templates). */
export function pageFingerprint(page: Page, postKeys: Map<PlannedPost, string>): string {
  const key = (p: PlannedPost | undefined) => (p ? postKeys.get(p) : '');
  switch (page.kind) {
    case 'post':
      return JSON.stringify([page.kind, page.post.post.layout, key(page.post), key(page.previous), key(page.next)]);
    case 'index':
      return JSON.stringify([page.kind, page.url, page.posts.map(key), page.pageNumber, page.totalPages, page.previousUrl, page.nextUrl]);
    case 'tag':
      return JSON.stringify([page.kind, page.url, page.tag.name, page.tag.posts.map(key)]);
    case 'tags':
      return JSON.stringify([page.kind, page.url, page.tags.map((t) => [t.name, t.url, t.posts.length])]);
    case 'redirect':
      return JSON.stringify([page.kind, page.target]);
    case 'redirectList': {
      const own = page.prependFrom ? fs.statSync(page.prependFrom) : undefined;
      return JSON.stringify([page.kind, page.redirects, page.prependFrom, own?.mtimeMs, own?.size]);
    }
  }
}
