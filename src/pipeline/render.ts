import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { TemplateError } from './errors.js';
import { siteTemplateData } from './parse.js';
import { escapeHtml, scriptJson } from '../util/escape.js';
import { renderFeed, renderRobots, renderSitemap } from '../theme/feeds.js';
import { isAbsoluteUrl, templateErrorLocation } from '../theme/environment.js';
import type { Page, PlannedPost, Post, RedirectListPage, RedirectPage, SiteConfig, SitePlan, Tag } from './types.js';

/**
 * What renders read beyond the data they were given. Post views are kept across watch-mode builds
 * and report through this object, so it lives as long as they do.
 */
export interface RenderTracker {
  /** A render read site.posts or site.tags: the page depends on every post. */
  siteListingUsed: boolean;
  /** A render read some post's `content`: listings then depend on bodies, not only front matter. */
  contentUsed: boolean;
  /** A render read site.pages (the navigation, in the default theme: every page). */
  pagesUsed: boolean;
}

interface CachedView {
  /** URL, tags and body the view was made with; the rest comes from the (immutable) Post. */
  url: string;
  tags: Tag[];
  html: string;
  view: Record<string, unknown>;
  /** Changes when anything a listing can show of the post changes, its body aside. */
  metaKey: string;
  /** metaKey plus the body. */
  fullKey: string;
}

/** Post views and their keys, kept per Post object; valid for one config and one tracker. */
export interface ViewMemo {
  tracker: RenderTracker;
  views: WeakMap<Post, CachedView>;
}

export function createViewMemo(): ViewMemo {
  return { tracker: { siteListingUsed: false, contentUsed: false, pagesUsed: false }, views: new WeakMap() };
}

/** Everything pages share, computed once per build rather than once per page. */
export interface RenderContext {
  config: SiteConfig;
  templates: nunjucks.Environment;
  site: Record<string, unknown>;
  views: Map<PlannedPost, CachedView>;
  /** The views behind site.posts, in site order, and behind site.pages. */
  listing: Record<string, unknown>[];
  pageListing: Record<string, unknown>[];
  tracker: RenderTracker;
}

function tagView(tag: Tag): Record<string, unknown> {
  return { name: tag.name, slug: tag.slug, url: tag.url, feedUrl: tag.feedUrl, count: tag.posts.length };
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('base64url');

/** What templates see of a post: every front-matter key, then recap's own values on top. */
function postView(planned: PlannedPost, tags: Tag[], tracker: RenderTracker): CachedView {
  const { post } = planned;
  // No count here: a post's page should not change when another post adds its tag.
  const tagViews = tags.map((tag) => ({ name: tag.name, slug: tag.slug, url: tag.url }));
  const view: Record<string, unknown> = {
    ...post.data,
    title: post.title,
    description: post.description,
    image: post.image,
    date: post.date,
    slug: post.slug,
    url: planned.url,
    source: post.source,
    tags: tagViews,
    draft: post.draft,
    excerpt: post.excerpt,
  };
  const content = new nunjucks.runtime.SafeString(planned.html);
  Object.defineProperty(view, 'content', { enumerable: true, get: () => ((tracker.contentUsed = true), content) });
  const metaKey = sha1(JSON.stringify([post.source, post.slug, post.data, post.title, post.date.getTime(), planned.url, tagViews, post.draft, post.excerpt]));
  return { url: planned.url, tags, html: planned.html, view, metaKey, fullKey: `${metaKey}:${sha1(planned.html)}` };
}

/** Whether a cached view still shows this URL and these tags (names can change with other posts). */
function viewIsCurrent(cached: CachedView, planned: PlannedPost, tags: Tag[]): boolean {
  if (cached.url !== planned.url || cached.html !== planned.html || cached.tags.length !== tags.length) return false;
  return cached.tags.every((tag, i) => tag.name === tags[i].name && tag.url === tags[i].url);
}

export function createRenderContext(config: SiteConfig, templates: nunjucks.Environment, plan: SitePlan, memo: ViewMemo = createViewMemo()): RenderContext {
  const views = new Map<PlannedPost, CachedView>();
  for (const planned of [...plan.posts, ...plan.pages]) {
    const tags = plan.postTags.get(planned) ?? [];
    let cached = memo.views.get(planned.post);
    if (!cached || !viewIsCurrent(cached, planned, tags)) {
      cached = postView(planned, tags, memo.tracker);
      memo.views.set(planned.post, cached);
    }
    views.set(planned, cached);
  }
  const listing = plan.posts.map((p) => views.get(p)!.view);
  const pageListing = plan.pages.map((p) => views.get(p)!.view);
  const tags = plan.tags.map(tagView);
  const { tracker } = memo;
  const site = Object.defineProperties(siteTemplateData(config), {
    posts: { enumerable: true, get: () => ((tracker.siteListingUsed = true), listing) },
    tags: { enumerable: true, get: () => ((tracker.siteListingUsed = true), tags) },
    pages: { enumerable: true, get: () => ((tracker.pagesUsed = true), pageListing) },
  });
  return { config, templates, site, views, listing, pageListing, tracker };
}

/**
 * Watch mode's quick path: `planned` now shows `post`, a new parse of the same file whose front
 * matter is unchanged, so only the body differs. Its view is made again; nothing else changes.
 */
export function replacePost(context: RenderContext, plan: SitePlan, memo: ViewMemo, planned: PlannedPost, post: Post): void {
  const old = context.views.get(planned);
  planned.post = post;
  planned.html = post.html;
  if (!old) return;
  const cached = postView(planned, plan.postTags.get(planned) ?? [], memo.tracker);
  memo.views.set(post, cached);
  context.views.set(planned, cached);
  const index = context.listing.indexOf(old.view);
  if (index !== -1) context.listing[index] = cached.view;
  const pageIndex = context.pageListing.indexOf(old.view);
  if (pageIndex !== -1) context.pageListing[pageIndex] = cached.view;
}


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
<script>location.replace(${scriptJson(target)});</script>
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
  const view = (p: PlannedPost | undefined) => (p ? context.views.get(p)?.view : undefined);
  switch (page.kind) {
    case 'post':
      return {
        layout: page.post.layout,
        data: {
          ...base,
          page: view(page.post),
          // Given directly, not through the view: a page's own body does not count as reading content.
          content: new nunjucks.runtime.SafeString(page.post.html),
          previous: view(page.previous),
          next: view(page.next),
        },
      };
    case 'page':
      return {
        layout: page.page.layout,
        data: { ...base, page: view(page.page), content: new nunjucks.runtime.SafeString(page.page.html) },
      };
    case 'notFound':
      return { layout: '404', data: { ...base, page: { title: 'Page not found', url: page.url } } };
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

/** What a page's render read beyond its own data. */
export interface PageReads {
  usesSiteListing: boolean;
  usesContent: boolean;
  usesPages: boolean;
}

/** A page's HTML (or text), and what else it read. */
export function renderPage(context: RenderContext, page: Page): { contents: string } & PageReads {
  const reads = { usesSiteListing: false, usesContent: false, usesPages: false };
  if (page.kind === 'redirect') return { contents: renderRedirect(context.config, page), ...reads };
  if (page.kind === 'redirectList') return { contents: renderRedirectList(page), ...reads };
  if (page.kind === 'feed') return { contents: renderFeed(context.config, page), ...reads, usesContent: true };
  if (page.kind === 'sitemap') return { contents: renderSitemap(context.config, page), ...reads };
  if (page.kind === 'robots') return { contents: renderRobots(context.config, page), ...reads };
  const { layout, data } = templateData(context, page);
  const { tracker } = context;
  tracker.siteListingUsed = false;
  tracker.contentUsed = false;
  tracker.pagesUsed = false;
  try {
    const contents = context.templates.render(`${layout}.njk`, data);
    return { contents, usesSiteListing: tracker.siteListingUsed, usesContent: tracker.contentUsed, usesPages: tracker.pagesUsed };
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

/**
 * The data a page is rendered from: equal lists, equal pages (for one set of templates). Other
 * posts count by their metaKey, or by their fullKey when the page reads bodies. Kept as a list of
 * strings, not one string: unchanged posts give the very same key strings, so comparing two
 * fingerprints is cheap even for a tag page listing thousands of posts.
 */
export function pageFingerprint(context: RenderContext, page: Page, usesContent: boolean): string[] {
  const key = (p: PlannedPost | undefined) => {
    const cached = p && context.views.get(p);
    return cached ? (usesContent ? cached.fullKey : cached.metaKey) : '';
  };
  switch (page.kind) {
    case 'post':
      return [page.kind, page.post.layout, context.views.get(page.post)?.fullKey ?? '', key(page.previous), key(page.next)];
    case 'index':
      return [page.kind, page.url, String(page.totalPages), page.previousUrl, page.nextUrl, ...page.posts.map(key)];
    case 'tag':
      return [page.kind, page.url, page.tag.name, ...page.tag.posts.map(key)];
    case 'tags':
      return [page.kind, page.url, ...page.tags.flatMap((t) => [t.name, t.url, String(t.posts.length)])];
    case 'redirect':
      return [page.kind, page.target];
    case 'redirectList': {
      const own = page.prependFrom ? fs.statSync(page.prependFrom) : undefined;
      return [page.kind, JSON.stringify([page.redirects, page.prependFrom, own?.mtimeMs, own?.size])];
    }
    case 'feed':
      return [page.kind, page.url, page.title, ...page.posts.map(key)];
    case 'sitemap':
      return [page.kind, JSON.stringify(page.entries)];
    case 'robots':
      return [page.kind, page.sitemapUrl];
    case 'page':
      return [page.kind, page.page.layout, context.views.get(page.page)?.fullKey ?? ''];
    case 'notFound':
      return [page.kind, page.url];
  }
}

export function sameFingerprint(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Key of site.pages: what the navigation shows of each page. */
export function sitePagesKey(context: RenderContext, plan: SitePlan): string {
  return sha1(JSON.stringify(plan.pages.map((p) => context.views.get(p)?.metaKey)));
}

/** Keys of the whole post listing (site.posts, site.tags), by meta or full post keys. */
export function siteListingKey(context: RenderContext, plan: SitePlan, usesContent: boolean): string {
  const keys = plan.posts.map((p) => {
    const cached = context.views.get(p);
    return usesContent ? cached?.fullKey : cached?.metaKey;
  });
  return sha1(JSON.stringify([keys, plan.tags.map((t) => [t.name, t.url, t.posts.length])]));
}
