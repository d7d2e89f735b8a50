/**
 * The render stage: every planned page becomes a file's contents, from the theme's Nunjucks
 * layouts (pages, posts, listings) or fixed formats (feeds, sitemap, redirects). Pages whose
 * inputs did not change since the last build are not rendered again (see incremental/).
 */
import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import type { PageReads, Reuse } from '../incremental/reuse.js';
import { templateErrorLocation } from '../theme/environment.js';
import { explainLimit } from '../theme/template-limits.js';
import { renderFeed, renderRobots, renderSitemap } from '../theme/feeds.js';
import { renderRedirect, renderRedirectList } from '../theme/redirects.js';
import { renderJekyllFeed } from '../jekyll/feed.js';
import { renderJekyllRobots, renderJekyllSitemap, renderRedirectsJson } from '../jekyll/sitemap.js';
import { renderCalendar } from '../events/calendar.js';
import { createRenderContext, languageOf, tagView, type RenderContext } from '../theme/views.js';
import { textDirection } from '../i18n/languages.js';
import { meetupTemplateData, plannedSponsorView, speakerSummary, speakerView } from '../theme/talk-views.js';
import { translate } from '../i18n/translate.js';
import { MarkdownError, SiteError, TemplateError } from './errors.js';
import { PAGE_OUTPUT_LIMIT, TEMPLATE_TIME_LIMIT_MS } from './limits.js';
import { forEachWithinTime } from '../util/time-limit.js';
import { plainExcerpt } from './parse.js';
import type { ListPage, OutputFile, Page, PlannedPost, PostPage, SiteConfig, SitePlan, StandalonePage } from './types.js';
import type { Dialect, SiteRenderer } from './dialect.js';
import type { MarkdownRenderer } from '../markdown/workers.js';
import type { MarkdownWork } from '../markdown/render.js';
import type { SiteImages } from '../images/site-images.js';
import { relativePath } from '../util/files.js';

function templateData(context: RenderContext, page: Page): { layout: string; data: Record<string, unknown> } {
  const { config } = context;
  // `language` and `dir`: the page's, which `t` and the theme's <html lang dir> follow; a post or page may have its own.
  const base = { site: context.site, kind: page.kind, language: config.language, dir: textDirection(config.language) };
  const view = (p: PlannedPost | undefined) => (p ? context.views.get(p)?.view : undefined);
  const words = (key: string, values?: Record<string, unknown>) => translate(config.i18n, config.language, key, values);
  switch (page.kind) {
    case 'post':
      return {
        layout: page.post.layout,
        data: {
          ...base,
          ...languageOf(config, page.post.post),
          page: view(page.post),
          ...meetupTemplateData(view(page.post)),
          // Given directly, not through the view: a page's own body does not count as reading content.
          content: new nunjucks.runtime.SafeString(page.post.html),
          previous: view(page.previous),
          next: view(page.next),
        },
      };
    case 'page':
      return {
        layout: page.page.layout,
        data: { ...base, ...languageOf(config, page.page.post), page: view(page.page), content: new nunjucks.runtime.SafeString(page.page.html) },
      };
    case 'notFound':
      return { layout: '404', data: { ...base, page: { title: words('notFoundTitle'), url: page.url } } };
    case 'search':
      return { layout: 'search', data: { ...base, page: { title: words('searchTitle'), url: page.url } } };
    case 'index':
      return {
        layout: 'index',
        data: {
          ...base,
          page: { title: context.config.title, url: page.url },
          // The upcoming events, soonest first, on the home page (see events/).
          upcoming: page.upcoming.map(view),
          posts: page.posts.map(view),
          pagination: paginationOf(page),
        },
      };
    case 'tag':
      return {
        layout: 'tag',
        data: {
          ...base,
          page: { title: listTitle(words('postsTaggedTitle', { tag: page.tag.name }), page, words), url: page.url },
          tag: tagView(page.tag),
          posts: page.posts.map(view),
          pagination: paginationOf(page),
        },
      };
    case 'tags':
      return { layout: 'tags', data: { ...base, page: { title: words('tags'), url: page.url }, tags: page.tags.map(tagView) } };
    case 'speakers':
      return { layout: 'speakers', data: { ...base, page: { title: words('speakers'), url: page.url }, speakers: page.speakers.map(speakerSummary) } };
    case 'speaker':
      return { layout: 'speaker', data: { ...base, page: { title: page.speaker.name, url: page.url }, speaker: speakerView(page.speaker, context.speakerPage, view) } };
    case 'sponsors':
      return { layout: 'sponsors', data: { ...base, page: { title: words('sponsors'), url: page.url }, sponsors: page.sponsors.map((sponsor) => plannedSponsorView(sponsor, view)) } };
    default:
      throw new Error(`no template for ${page.kind}`);
  }
}

/** A list's title on its first page, and with its page number on the others ("Posts tagged “x” · page 2"). */
function listTitle(title: string, page: ListPage, words: (key: string, values?: Record<string, unknown>) => string): string {
  return page.pageNumber > 1 ? words('pageTitle', { title, page: page.pageNumber }) : title;
}

/** A list page's place among its pages, as the pagination partial reads it. */
const paginationOf = ({ pageNumber, totalPages, previousUrl, nextUrl }: ListPage) => ({ pageNumber, totalPages, previousUrl, nextUrl });

function templateLabel(config: SiteConfig, file: string | undefined): string | undefined {
  if (!file) return undefined;
  for (const dir of config.templateDirs) {
    const real = fs.realpathSync(dir);
    if (file.startsWith(real + path.sep)) {
      const relative = relativePath(real, file);
      return path.resolve(dir) === path.join(config.root, 'templates') ? `templates/${relative}` : `(default theme) templates/${relative}`;
    }
  }
  return file;
}

/** A page's HTML (or text), and what else it read. */
export function renderPage(context: RenderContext, page: Page): { contents: string } & PageReads {
  const reads = { usesSiteListing: false, usesContent: false, usesPages: false, usesWholeSite: false };
  if (context.ownLayouts && (page.kind === 'post' || page.kind === 'page')) return renderInOwnLayouts(context.ownLayouts, page);
  if (page.kind === 'redirect') return { contents: renderRedirect(context.config, page), ...reads };
  if (page.kind === 'redirectList') return { contents: renderRedirectList(page), ...reads };
  if (page.kind === 'feed') {
    const contents = page.jekyllFeed ? renderJekyllFeed(context.config, page, page.jekyllFeed) : renderFeed(context.config, page, context.feedBodies);
    return { contents, ...reads, usesContent: true };
  }
  if (page.kind === 'sitemap') {
    return { contents: page.style === 'recap' ? renderSitemap(context.config, page) : renderJekyllSitemap(context.config, page, page.style.jekyllSitemap.xsl), ...reads };
  }
  if (page.kind === 'robots') return { contents: page.style === 'recap' ? renderRobots(context.config, page) : renderJekyllRobots(context.config, page), ...reads };
  if (page.kind === 'redirectsJson') return { contents: renderRedirectsJson(page), ...reads };
  if (page.kind === 'calendar') return { contents: renderCalendar(context.config, page), ...reads };
  if (page.kind === 'compiled') return { contents: page.contents, ...reads };
  const { layout, data } = templateData(context, page);
  const { tracker } = context;
  tracker.siteListingUsed = false;
  tracker.contentUsed = false;
  tracker.pagesUsed = false;
  let contents: string;
  try {
    contents = context.templates.render(`${layout}.njk`, data);
  } catch (error) {
    const where = templateErrorLocation(error);
    throw pageError(page, templateLabel(context.config, where.file) ?? `templates/${layout}.njk`, explainLimit(where.message), where, error);
  }
  if (contents.length > PAGE_OUTPUT_LIMIT) {
    throw pageError(page, `templates/${layout}.njk`, `makes ${(contents.length / 1024 / 1024).toFixed(0)} MB of HTML; a page may be at most ${PAGE_OUTPUT_LIMIT / 1024 / 1024} MB`);
  }
  // A body run at render read the whole site, whatever the theme then read of it.
  const ranWithSite = (page.kind === 'post' ? page.post : page.kind === 'page' ? page.page : undefined)?.post.pendingBody !== undefined;
  if (ranWithSite) return { contents, ...WHOLE_SITE };
  return { contents, usesSiteListing: tracker.siteListingUsed, usesContent: tracker.contentUsed, usesPages: tracker.pagesUsed, usesWholeSite: false };
}

/** Pages the image pass reads: HTML, whatever made it (a Jekyll page can be a feed or robots.txt). */
const HTML_PAGE = /\.html?$/i;

/** A rendered page with its photos resized (see images/picture.ts), and the images it used. */
function withImages(images: SiteImages, page: Page, rendered: { contents: string } & PageReads): { contents: string } & PageReads {
  const { html, keys } = images.pass(rendered.contents, page.url);
  return { ...rendered, contents: html, images: keys };
}

/** What a page whose body ran with the planned site may have read: anything, so it is rendered again on every build. */
const WHOLE_SITE: PageReads = { usesSiteListing: true, usesContent: true, usesPages: true, usesWholeSite: true };

/**
 * A post or page in the site's own Liquid layouts, with what it read: the site's metadata (every
 * page's fingerprint holds it), the bodies it read, and whether it read what changes every build.
 * Errors name the layout (or include) and line, and the page.
 */
function renderInOwnLayouts(siteRenderer: SiteRenderer, page: PostPage | StandalonePage): { contents: string } & PageReads {
  try {
    const { contents, contentOf, changesEveryBuild } = siteRenderer.page(page);
    return { contents, usesSiteListing: false, usesContent: false, usesPages: false, usesWholeSite: changesEveryBuild, ownLayout: { contentOf } };
  } catch (error) {
    if (!(error instanceof SiteError)) throw error;
    throw pageError(page, error.file, error.message, error, error);
  }
}

/**
 * Bodies that read the planned site (site.posts, site.data…) run now, with it: their Liquid, then
 * their markdown, in the markdown threads within each post's budget. Errors name the post.
 */
async function completeBodies(plan: SitePlan, siteRenderer: SiteRenderer, markdown: MarkdownRenderer, threads: number, errors: SiteError[]): Promise<void> {
  const entries = new Set([...plan.sitePosts, ...plan.pages, ...plan.outputs.flatMap((page) => (page.kind === 'post' ? [page.post] : page.kind === 'page' ? [page.page] : []))]);
  const works: { entry: PlannedPost; work: MarkdownWork }[] = [];
  for (const entry of entries) {
    if (!entry.post.pendingBody?.markdown) continue;
    try {
      const body = siteRenderer.body(entry);
      if ('html' in body) entry.html = body.html;
      else works.push({ entry, work: body.markdown });
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      errors.push(error);
    }
  }
  if (works.length === 0) return;
  const outcomes = await markdown.render(
    works.map((w) => w.work),
    threads,
  );
  works.forEach(({ entry }, i) => {
    const outcome = outcomes[i];
    if (!outcome.ok) {
      errors.push(new MarkdownError(entry.post.source, outcome.problem));
      return;
    }
    entry.html = outcome.body.main.html;
    entry.excerptHtml = outcome.body.excerpt?.html ?? '';
    entry.excerpt = plainExcerpt(entry.post.excerpt, outcome.body);
  });
}

/** An error in rendering a page, in `file` (its layout, or the template file and line nunjucks named), naming the page and its source. */
function pageError(page: Page, file: string, message: string, where: { line?: number; column?: number } = {}, cause?: unknown): TemplateError {
  const source = page.origin.file ? `${page.origin.file} (${page.origin.what})` : page.origin.what;
  return new TemplateError(file, `${message} (rendering ${page.outPath} for ${source})`, { line: where.line, column: where.column, cause });
}

/** The file to blame for a page that took too long: its layout, or the page for a fixed format. */
function slowPage(context: RenderContext, page: Page): TemplateError {
  const fixed = ['redirect', 'redirectList', 'feed', 'sitemap', 'robots', 'redirectsJson', 'calendar', 'compiled'].includes(page.kind);
  const file = fixed ? page.outPath : `templates/${templateData(context, page).layout}.njk`;
  return pageError(page, file, `took longer than ${TEMPLATE_TIME_LIMIT_MS / 1000} s to render; look for loops over large ranges or deep recursion`);
}

/**
 * Renders every page whose inputs changed (all of them in a build from scratch); collects template
 * errors. Bodies that read the planned site run first (see completeBodies); then each page goes
 * through the theme, or through the site's own layouts when the plan says so.
 */
export async function renderSite(
  config: SiteConfig,
  engines: { templates: nunjucks.Environment; dialect: Dialect; markdown: MarkdownRenderer; images?: SiteImages },
  plan: SitePlan,
  reuse: Reuse,
  errors: SiteError[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ files: OutputFile[]; context: RenderContext }> {
  const siteRenderer = await engines.dialect.siteRenderer(plan);
  if (siteRenderer) await completeBodies(plan, siteRenderer, engines.markdown, reuse.continues ? 1 : config.threads, errors);
  const context = { ...createRenderContext(config, engines.templates, plan, reuse.viewMemo), ownLayouts: plan.ownLayouts ? siteRenderer : undefined, images: engines.images };
  reuse.startRender(context, plan);
  const files: OutputFile[] = [];
  let done = 0;
  const renderOne = (page: Page) => {
    if (reuse.unchanged(context, page)) return;
    try {
      const rendered = renderPage(context, page);
      const { contents, ...reads } = context.images && HTML_PAGE.test(page.outPath) ? withImages(context.images, page, rendered) : rendered;
      if (reuse.rendered(context, page, contents, reads)) files.push({ path: page.outPath, contents });
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      errors.push(error);
    }
    onProgress?.(++done, plan.outputs.length);
  };
  forEachWithinTime(plan.outputs, TEMPLATE_TIME_LIMIT_MS, renderOne, (page) => errors.push(slowPage(context, page)));
  for (const copy of plan.copies) {
    if (reuse.copied(copy.outPath, copy.from)) files.push({ path: copy.outPath, copyFrom: copy.from });
  }
  return { files, context };
}
