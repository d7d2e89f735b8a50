import path from 'node:path';
import { FrontMatterError, OutputPathError, SiteError } from './errors.js';
import { OutputPaths } from './output-paths.js';
import { planTags, tagProblems, tagUrlPath, unusedTagSlugWarnings } from './plan-tags.js';
import { isBuilt } from './parse.js';
import type { SiteSources } from './read.js';
import type { CalendarPage, CopiedFile, IndexPage, ListPage, Origin, Page, Paginator, PlannedPost, Post, RedirectPage, SiteConfig, SitemapPage, SitePlan, StandalonePage, Tag, TagPage } from './types.js';
import type { CompiledFiles, Dialect, GeneratedFiles, LayoutPlan } from './dialect.js';
import { jekyllTagFeedUrl, planJekyllFeeds } from '../jekyll/feed.js';
import { jekyllRedirects, jekyllSitemapEntries } from '../jekyll/sitemap.js';
import { PATH_REFERENCE_MARKER, REFERENCE_MARKER, referenceIndex, unresolvedReference } from '../jekyll/references.js';
import { resolveUrlPath, shown, withBase } from '../util/urls.js';
import { tagSlug } from '../util/slugs.js';
import { isUpcomingEvent } from '../events/timing.js';
import { CALENDAR_PATH } from '../events/calendar.js';
import { planTalks, siteClaims, speakerProblems, type TalksPlan } from './plan-talks.js';
import { planSearchPage, SEARCH_SCRIPT } from '../search/index.js';

/** Newest first; posts on the same date by file name, descending. */
const byNameDescending = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);

/** What planning derives from one post alone; kept per Post object, so watch mode derives it once. */
interface PostPaths {
  /** The post's URL (with basePath) and output file, or the errors that stop it from having them. */
  url: string;
  outPath: string;
  pathErrors: SiteError[];
  origin: Origin;
  /** Pages for its redirect_from paths (and its own URL, with redirect_to), and their _redirects lines. */
  redirectPages: RedirectPage[];
  redirectLines: { from: string; to: string }[];
  redirectErrors: SiteError[];
  /**
   * For URLs written as a file without extension (`/cnl-slack` → cnl-slack.html, see
   * ExtensionlessStyle): a redirect page at `cnl-slack/index.html`, for hosts that look for that.
   */
  folderRedirects: RedirectPage[];
  /** Slug of each tag as written, and each distinct slug once. */
  tagSlugs: string[];
  uniqueTagSlugs: string[];
  /** Sort key for posts on the same date. */
  fileName: string;
}

/** Per-post planning results, valid for one config (watch mode drops it when the config changes). */
export type PlanMemo = WeakMap<Post, PostPaths>;

function derivePostPaths(config: SiteConfig, dialect: Dialect, post: Post): PostPaths {
  const urlPath = dialect.urlPath(post);
  const resolved = resolveUrlPath(urlPath, dialect.extensionless);
  const pathErrors: SiteError[] = [];
  if (typeof resolved === 'string') {
    const key = post.permalink ? 'permalink' : 'the site permalink';
    pathErrors.push(new OutputPathError(post.source, `${key} ${shown(urlPath)} ${resolved}`, { line: post.keyLines.permalink }));
  }
  const url = typeof resolved === 'string' ? '' : withBase(config.basePath, resolved.url);
  const outPath = typeof resolved === 'string' ? '' : resolved.outPath;

  // jekyll-redirect-from sends old URLs of a redirect_to post straight to its target.
  // A site-relative redirect_to is relative to the site, like every other path in front matter.
  const target = post.redirectTo ? (post.redirectTo.startsWith('/') ? withBase(config.basePath, post.redirectTo) : post.redirectTo) : url;
  const redirectPages: RedirectPage[] = [];
  const redirectLines: { from: string; to: string }[] = [];
  const redirectErrors: SiteError[] = [];
  const folderRedirects: RedirectPage[] = [];
  // The folder's page sends browsers to the file by its full name, which every host serves as it is.
  const addFolderRedirect = (of: { folderAlias?: string; url: string }, to: string) => {
    if (of.folderAlias) folderRedirects.push({ kind: 'redirect', outPath: of.folderAlias, url: withBase(config.basePath, `${of.url}/`), origin: { file: post.source, what: `the folder redirect to ${shown(to)}` }, target: to });
  };
  if (typeof resolved !== 'string') addFolderRedirect(resolved, post.redirectTo ? target : withBase(config.basePath, `${resolved.url}.html`));
  if (post.redirectTo && url) {
    redirectPages.push({ kind: 'redirect', outPath, url, origin: { file: post.source, what: 'redirect_to' }, target });
    redirectLines.push({ from: url, to: target });
  }
  for (const from of post.redirectFrom) {
    const fromResolved = resolveUrlPath(from, dialect.extensionless);
    if (typeof fromResolved === 'string') {
      redirectErrors.push(new OutputPathError(post.source, `redirect_from ${shown(from)} ${fromResolved}`, { line: post.keyLines.redirect_from }));
      continue;
    }
    const fromUrl = withBase(config.basePath, fromResolved.url);
    redirectPages.push({ kind: 'redirect', outPath: fromResolved.outPath, url: fromUrl, origin: { file: post.source, what: `redirect_from ${shown(from)}` }, target });
    addFolderRedirect(fromResolved, target);
    // The old URL exactly as written, so hosts that read _redirects match it as the web links to it.
    redirectLines.push({ from: withBase(config.basePath, from.trim()), to: target });
  }
  const tagSlugs = post.tags.map((name) => tagSlug(name, config.tagSlugs));
  return {
    url,
    outPath,
    pathErrors,
    origin: { file: post.source, what: post.permalink ? 'its permalink' : 'the site permalink' },
    redirectPages,
    redirectLines,
    redirectErrors,
    folderRedirects,
    tagSlugs,
    uniqueTagSlugs: [...new Set(tagSlugs)],
    fileName: post.source.slice(post.source.lastIndexOf('/') + 1),
  };
}

function postPaths(config: SiteConfig, dialect: Dialect, post: Post, memo: PlanMemo): PostPaths {
  let paths = memo.get(post);
  if (!paths) {
    paths = derivePostPaths(config, dialect, post);
    memo.set(post, paths);
  }
  return paths;
}


/**
 * A list of posts cut into pages of `paginate` (at least one page, for an empty list): page n at
 * pathOf(n), which the config checks made sure resolves inside the output folder.
 */
function listPages(config: SiteConfig, posts: PlannedPost[], pathOf: (n: number) => string): (ListPage & { outPath: string; url: string })[] {
  const totalPages = Math.max(1, Math.ceil(posts.length / config.paginate));
  const resolved = Array.from({ length: totalPages }, (_, i) => resolveUrlPath(pathOf(i + 1)) as { outPath: string; url: string });
  const urlOf = (n: number) => withBase(config.basePath, resolved[n - 1].url);
  return resolved.map(({ outPath }, i) => {
    const n = i + 1;
    return {
      outPath,
      url: urlOf(n),
      posts: posts.slice(i * config.paginate, n * config.paginate),
      pageNumber: n,
      totalPages,
      previousUrl: n > 1 ? urlOf(n - 1) : '',
      nextUrl: n < totalPages ? urlOf(n + 1) : '',
    };
  });
}

/** The home page and the index pages after it; the home page shows the upcoming events above its recaps. */
function planIndexPages(config: SiteConfig, listed: PlannedPost[], upcoming: PlannedPost[]): IndexPage[] {
  const pathOf = (n: number) => (n === 1 ? '/' : config.paginatePath.replace(':num', String(n)));
  return listPages(config, listed, pathOf).map((page) => ({
    kind: 'index',
    ...page,
    upcoming: page.pageNumber === 1 ? upcoming : [],
    origin: { file: '', what: page.pageNumber === 1 ? 'the home page' : `index page ${page.pageNumber}` },
  }));
}

/** A tag's pages: the first at tagPermalink, the others at tagPaginatePath. */
function planTagPages(config: SiteConfig, tag: Tag): TagPage[] {
  const pathOf = (n: number) => (n === 1 ? tagUrlPath(config.tagPermalink, tag.slug) : tagUrlPath(config.tagPaginatePath, tag.slug, String(n)));
  return listPages(config, tag.posts, pathOf).map((page) => ({
    kind: 'tag',
    ...page,
    origin: { file: tag.posts[0].post.source, what: page.pageNumber === 1 ? `tag "${tag.name}"` : `page ${page.pageNumber} of tag "${tag.name}"` },
    tag,
  }));
}

/** The layout a post or page is rendered with, or the error that there is no such layout. */
function plannedLayout(dialect: Dialect, post: Post, outPath: string, layouts: string[]): { layout: string } | SiteError {
  const layout = dialect.layoutFor(post, outPath, layouts);
  if (layouts.includes(layout)) return { layout };
  return new FrontMatterError(post.source, `unknown layout "${post.layout}"; the layouts are: ${layouts.join(', ')}`, { line: post.keyLines.layout });
}

/** The posts and pages that are built, in site order: newest first, posts on one date by file name, descending. */
function builtPosts(config: SiteConfig, dialect: Dialect, posts: Post[], memo: PlanMemo): Post[] {
  return posts
    .filter((post) => isBuilt(config, post))
    .map((post) => ({ post, time: post.date.getTime(), fileName: postPaths(config, dialect, post, memo).fileName }))
    .sort((a, b) => b.time - a.time || byNameDescending(a.fileName, b.fileName) || byNameDescending(a.post.source, b.post.source))
    .map((entry) => entry.post);
}

/** Each built post and page with its URL, output path and layout (the theme's, or the site's own); sources the theme cannot show are left out. */
function planPosts(
  config: SiteConfig,
  dialect: Dialect,
  built: Post[],
  layouts: string[],
  layoutPlan: LayoutPlan,
  errors: SiteError[],
  memo: PlanMemo,
): { planned: { entry: PlannedPost; paths: PostPaths }[]; leftOut: string[] } {
  const planned: { entry: PlannedPost; paths: PostPaths }[] = [];
  const leftOut: string[] = [];
  for (const post of built) {
    const paths = postPaths(config, dialect, post, memo);
    if (layoutPlan.by === 'theme' && layoutPlan.leftOut(post)) {
      leftOut.push(post.source);
      continue;
    }
    const layout = layoutPlan.by === 'site' ? { layout: layoutPlan.layoutOf(post) } : plannedLayout(dialect, post, paths.outPath, layouts);
    if (layout instanceof SiteError) {
      errors.push(layout);
      continue;
    }
    if (paths.pathErrors.length > 0) {
      errors.push(...paths.pathErrors);
      continue;
    }
    planned.push({ entry: { post, url: paths.url, outPath: paths.outPath, layout: layout.layout, html: post.html, excerptHtml: post.excerptHtml, excerpt: post.excerpt }, paths });
  }
  return { planned, leftOut };
}

/**
 * A paginated page (Jekyll's index.html with jekyll-paginate) and its copies: page n lists the
 * n-th `perPage` posts; the first is the page itself, the others are at `path` (":num" → n).
 */
function paginatedPages(config: SiteConfig, page: StandalonePage, listed: PlannedPost[], perPage: number, pattern: string, errors: SiteError[]): StandalonePage[] {
  const totalPages = Math.ceil(listed.length / perPage);
  if (totalPages === 0) return [page];
  const sitePath = (url: string) => url.slice(config.basePath.length - 1);
  const pathOf = (n: number) => (n === 1 ? { url: page.url, outPath: page.outPath } : resolveUrlPath(pattern.replace(':num', String(n)).replace(/\/?$/, '/')));
  const pages: StandalonePage[] = [];
  for (let n = 1; n <= totalPages; n++) {
    const at = pathOf(n);
    if (typeof at === 'string') {
      errors.push(new OutputPathError(page.origin.file, `paginate_path ${shown(pattern)} ${at}`));
      return [page];
    }
    const url = n === 1 ? at.url : withBase(config.basePath, at.url);
    // As jekyll-paginate gives them: the pattern as written, with a leading slash (the page itself is at its folder).
    const neighbour = (m: number) => (m < 1 || m > totalPages ? undefined : m === 1 ? sitePath(page.url) : `/${pattern.replace(':num', String(m)).replace(/^\//, '')}`);
    const paginator: Paginator = {
      page: n,
      perPage,
      posts: listed.slice((n - 1) * perPage, n * perPage),
      totalPosts: listed.length,
      totalPages,
      previousPage: n > 1 ? n - 1 : undefined,
      previousPath: neighbour(n - 1),
      nextPage: n < totalPages ? n + 1 : undefined,
      nextPath: neighbour(n + 1),
    };
    const entry = n === 1 ? page.page : { ...page.page, url, outPath: at.outPath };
    pages.push({ ...page, url, outPath: at.outPath, page: entry, paginator, origin: n === 1 ? page.origin : { file: page.origin.file, what: `its page ${n}` } });
  }
  return pages;
}

/**
 * The checks of the plan stage that a file with errors elsewhere can still be given, each about it
 * alone: its layout, its URL (permalink), its redirect_from paths and its tags. Such a post has
 * fallbacks where its values were wrong (a wrong date is 1970), so it claims no output path and
 * joins no tag: a collision found with a guessed URL would be no real one. It is checked when it
 * would be built, as far as its flags could be read; its post_url and link references are checked
 * with the others (resolveReferences).
 */
function checkFailedPosts(config: SiteConfig, dialect: Dialect, failed: Post[], layouts: string[], errors: SiteError[], memo: PlanMemo): void {
  for (const post of failed) {
    if (!isBuilt(config, post)) continue;
    const paths = postPaths(config, dialect, post, memo);
    const layout = plannedLayout(dialect, post, paths.outPath, layouts);
    if (layout instanceof SiteError) errors.push(layout);
    errors.push(...paths.pathErrors, ...paths.redirectErrors);
    if (post.collection === 'posts' && !post.redirectTo) errors.push(...tagProblems(config, post, paths.tagSlugs), ...speakerProblems(config, post));
  }
}

/**
 * The plan stage: decides every output as data and checks that no two claim one path. `failed`:
 * the posts of files with errors, read as far as they could be, which are only checked
 * (checkFailedPosts), so that their plan errors come with their others.
 */
export function planSite(
  config: SiteConfig,
  dialect: Dialect,
  posts: Post[],
  sources: Pick<SiteSources, 'copies' | 'layouts' | 'ownTemplates'> & { compiled?: CompiledFiles['files'] },
  errors: SiteError[],
  memo: PlanMemo = new WeakMap(),
  failed: Post[] = [],
): SitePlan {
  const built = builtPosts(config, dialect, posts, memo);
  const layoutPlan = dialect.layoutPlan(built, sources.ownTemplates);
  const ownLayouts = layoutPlan.by === 'site';
  const { planned, leftOut } = planPosts(config, dialect, built, sources.layouts, layoutPlan, errors, memo);
  checkFailedPosts(config, dialect, failed, sources.layouts, errors, memo);
  resolveReferences(config, planned, failed.filter((post) => isBuilt(config, post)), errors);
  const warnings = layoutPlan.warning ? [layoutPlan.warning] : [];
  if (!ownLayouts) warnings.push(...unusedTagSlugWarnings(config.tagSlugs, [...posts, ...failed]));
  else if (Object.keys(config.tagSlugs).length > 0) warnings.push('recap.config.yml: "tagSlugs" is not used: this site is built with its own layouts, and their Liquid makes its tag links');
  if (leftOut.length > 0) warnings.push(`skipped ${leftOut.join(', ')}: they need Jekyll's Liquid layouts; recap's own home, tag and 404 pages take their place`);

  // Posts with redirect_to are only a redirect: they are not listed anywhere. Pages are never listed.
  // An upcoming event is announced above the recaps (and in events.ics), and listed with them once it has ended.
  const upcoming = upcomingEvents(config, planned);
  const announced = new Set(upcoming.map((p) => p.entry));
  const postsWithPaths = planned.filter((p) => !p.entry.post.redirectTo && p.entry.post.collection === 'posts');
  const listedWithPaths = postsWithPaths.filter((p) => !announced.has(p.entry));
  const standalone = planned
    .filter((p) => !p.entry.post.redirectTo && p.entry.post.collection === 'pages')
    .sort((a, b) => a.entry.post.navOrder - b.entry.post.navOrder || a.entry.post.title.localeCompare(b.entry.post.title, 'en'));
  const listed = listedWithPaths.map((p) => p.entry);
  const sitePosts = planned.filter((p) => p.entry.post.collection === 'posts').map((p) => p.entry);
  // A site in its own layouts has no tag pages: its tags are what its Liquid makes of them.
  // An announcement's tags are checked (and counted for their spelling) now, not first when it ends; its tags' pages list it once it has.
  const tagsBySlug = ownLayouts ? new Map<string, Tag>() : withoutAnnounced(planTags(config, postsWithPaths, errors), announced);
  const tags = [...tagsBySlug.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.slug.localeCompare(b.slug));

  // Generated listings first, so a conflict names the post that collides with them. A site in its own layouts has its own home page instead.
  const pages: Page[] = ownLayouts ? [] : [...planIndexPages(config, listed, upcoming.map((p) => p.entry))];
  if (!ownLayouts) {
    pages.push({
      kind: 'tags',
      outPath: 'tags/index.html',
      url: withBase(config.basePath, '/tags/'),
      origin: { file: '', what: 'the tags index' },
      tags,
    });
  }
  for (const tag of tags) pages.push(...planTagPages(config, tag));

  const postTags = new Map<PlannedPost, Tag[]>();
  const tagsOf = (entry: PlannedPost, paths: PostPaths) => {
    const own: Tag[] = [];
    for (const slug of paths.uniqueTagSlugs) {
      const tag = tagsBySlug.get(slug);
      if (tag) own.push(tag);
    }
    postTags.set(entry, own);
  };
  listedWithPaths.forEach(({ entry, paths }, index) => {
    tagsOf(entry, paths);
    pages.push({ kind: 'post', outPath: entry.outPath, url: entry.url, origin: paths.origin, post: entry, next: listed[index - 1], previous: listed[index + 1] });
  });
  // An announcement is no recap yet: its page has no older and newer recap beside it.
  for (const { entry, paths } of upcoming) {
    if (entry.post.collection !== 'posts') continue;
    tagsOf(entry, paths);
    pages.push({ kind: 'post', outPath: entry.outPath, url: entry.url, origin: paths.origin, post: entry });
  }

  for (const { entry, paths } of standalone) {
    const page: StandalonePage = { kind: 'page', outPath: entry.outPath, url: entry.url, origin: paths.origin, page: entry };
    if (layoutPlan.by !== 'site' || layoutPlan.paginated?.source !== entry.post.source) pages.push(page);
    else {
      const { perPage, path } = layoutPlan.paginated;
      pages.push(...paginatedPages(config, page, sitePosts.filter((p) => !layoutPlan.hidden(p.post)), perPage, path, errors));
    }
  }

  const redirects: { from: string; to: string }[] = [];
  for (const { paths } of planned) {
    errors.push(...paths.redirectErrors);
    pages.push(...paths.redirectPages);
    redirects.push(...paths.redirectLines);
  }

  // search: the theme's search page, unless the site has a page or file of its own at /search/.
  const search = planSearchPage(config, ownLayouts, (outPath) => sources.copies.some((c) => c.outPath === outPath && c.besidePost === undefined) || planned.some((p) => p.entry.outPath === outPath));

  // recap's theme assets belong to recap's theme: a site in its own layouts has its own.
  // A post's own files go into its folder (beside its index.html), when it is built.
  const postFolders = new Map(planned.map(({ entry }) => [entry.post.source, path.posix.dirname(entry.outPath)]));
  let copies: CopiedFile[] = sources.copies.flatMap((c) => {
    if (ownLayouts && c.theme) return [];
    // The script that starts the theme's search page: only with that page.
    if (c.theme && c.outPath === SEARCH_SCRIPT && !search.page) return [];
    if (c.besidePost === undefined) return [{ outPath: c.outPath, from: c.from, origin: { file: c.source, what: 'copied as is' } }];
    const folder = postFolders.get(c.besidePost);
    // Marked: a post's file at robots.txt or 404.html (a post at the site's root) is no override of the generated one, but a collision with it.
    return folder === undefined ? [] : [{ outPath: path.posix.join(folder, c.outPath), from: c.from, origin: { file: c.source, what: `copied beside ${c.besidePost}` }, besidePost: c.besidePost }];
  });
  if (redirects.length > 0) {
    // A site's own static/_redirects is kept, with the generated rules after it.
    const own = copies.find((c) => c.outPath === '_redirects' && !c.besidePost);
    copies = copies.filter((c) => c !== own);
    pages.push({
      kind: 'redirectList',
      outPath: '_redirects',
      url: withBase(config.basePath, '/_redirects'),
      origin: { file: '', what: 'the redirect list' },
      redirects,
      prependFrom: own?.from ?? '',
    });
  }

  for (const file of sources.compiled ?? []) {
    pages.push({ kind: 'compiled', outPath: file.outPath, url: withBase(config.basePath, '/' + file.outPath), origin: { file: file.source, what: 'compiled' }, contents: file.contents });
  }

  // Speakers and sponsors of the listed posts' talks, after the site's own outputs: a listing not set in the config gives way to a page there.
  const talks: TalksPlan = ownLayouts ? { speakers: [], sponsors: [], speakersUrl: '', sponsorsUrl: '', pages: [] } : planTalks(config, listed, upcoming.map((p) => p.entry).filter((entry) => entry.post.collection === 'posts'), siteClaims(config, pages, copies), errors);
  pages.push(...talks.pages);

  // A site's own static/404.html (or a Jekyll site's 404.md) wins over the theme's 404 layout.
  if (!ownLayouts && !copies.some((c) => c.outPath === '404.html' && !c.besidePost) && !planned.some((p) => p.entry.outPath === '404.html')) {
    pages.push({ kind: 'notFound', outPath: '404.html', url: withBase(config.basePath, '/404.html'), origin: { file: '', what: 'the 404 page' } });
  }
  if (search.page) pages.push(search.page);
  pages.push(...planGenerated(config, dialect.generated, pages, planned.map((p) => p.entry), listed, tags, copies, errors));
  const calendar = planCalendar(config, planned, copies);
  if (calendar?.page) pages.push(calendar.page);
  pages.push(...planFolderRedirects(config, planned, pages, copies));

  const claims = new OutputPaths(errors, config.caseSensitiveUrls);
  for (const page of pages) claims.claim(page.outPath, page.origin);
  for (const copy of copies) claims.claim(copy.outPath, copy.origin);
  claims.checkFolders();

  return {
    outputs: pages,
    copies,
    posts: listed,
    tags,
    postTags,
    pages: standalone.map((p) => p.entry),
    feedUrl: linkFeeds(config, dialect.generated, tags),
    speakers: talks.speakers,
    sponsors: talks.sponsors,
    speakersUrl: talks.speakersUrl,
    sponsorsUrl: talks.sponsorsUrl,
    searchUrl: search.url,
    sitePosts,
    ownLayouts: layoutPlan.by === 'site' ? layoutPlan.templates : undefined,
    data: sources.ownTemplates?.data ?? {},
    warnings,
    upcoming: upcoming.map((p) => p.entry),
    calendarUrl: calendar?.url ?? '',
  };
}

/** The built posts and pages whose event has not ended at the build's `now`, soonest first (see events/timing.ts). */
function upcomingEvents<T extends { entry: PlannedPost }>(config: SiteConfig, planned: T[]): T[] {
  return bySoonest(planned.filter((p) => !p.entry.post.redirectTo && isUpcomingEvent(config, p.entry.post)));
}

/** Events by when they start, then by file. */
function bySoonest<T extends { entry: PlannedPost }>(events: T[]): T[] {
  const start = (p: T) => p.entry.post.event?.start.getTime() ?? 0;
  return [...events].sort((a, b) => start(a) - start(b) || (a.entry.post.source < b.entry.post.source ? -1 : a.entry.post.source > b.entry.post.source ? 1 : 0));
}

/** Tags as they list posts: without the announcements, and without the tags only announcements have (yet). */
function withoutAnnounced(tags: Map<string, Tag>, announced: ReadonlySet<PlannedPost>): Map<string, Tag> {
  if (announced.size === 0) return tags;
  for (const [slug, tag] of tags) {
    tag.posts = tag.posts.filter((p) => !announced.has(p));
    if (tag.posts.length === 0) tags.delete(slug);
  }
  return tags;
}

/**
 * events.ics, when the site has events: every built post and page with an `event:`, upcoming and
 * past (drafts never, as in the feeds), soonest first; and its URL for the theme's links. A site's
 * own static/events.ics is written instead (and linked).
 */
function planCalendar(config: SiteConfig, planned: { entry: PlannedPost }[], copies: CopiedFile[]): { page?: CalendarPage; url: string } | undefined {
  const events = bySoonest(planned.filter((p) => p.entry.post.event && !p.entry.post.redirectTo && !p.entry.post.draft)).map((p) => p.entry);
  if (events.length === 0) return undefined;
  const url = withBase(config.basePath, `/${CALENDAR_PATH}`);
  if (copies.some((c) => c.outPath === CALENDAR_PATH && !c.besidePost)) return { url };
  return { page: { kind: 'calendar', outPath: CALENDAR_PATH, url, origin: { file: '', what: 'the events calendar' }, events }, url };
}

const newest = (posts: PlannedPost[]) => posts.reduce<Date | undefined>((latest, p) => (!latest || p.post.date > latest ? p.post.date : latest), undefined);

/**
 * The feeds, sitemap, robots.txt and redirects.json the dialect asks for: recap's site feed and a
 * feed per tag and its sitemap (without drafts), or those of the Jekyll plugins a site enables.
 */
function planGenerated(config: SiteConfig, generated: GeneratedFiles, pages: Page[], planned: PlannedPost[], listed: PlannedPost[], tags: Tag[], copies: CopiedFile[], errors: SiteError[]): Page[] {
  const inFeeds = (posts: PlannedPost[]) => (generated.listDrafts ? posts : posts.filter((p) => !p.post.draft));
  const out: Page[] = [];
  if (generated.feeds?.style === 'recap') out.push(...planRecapFeeds(config, inFeeds(listed), tags, inFeeds));
  if (generated.feeds?.style === 'jekyll-feed') out.push(...planJekyllFeeds(config, generated.feeds.settings, inFeeds(planned.filter((p) => p.post.collection === 'posts')), errors));
  const sitemapUrl = withBase(config.basePath, '/sitemap.xml');
  if (generated.sitemap === 'recap') out.push({ kind: 'sitemap', outPath: 'sitemap.xml', url: sitemapUrl, origin: { file: '', what: 'the sitemap' }, entries: recapSitemapEntries(config, pages, listed), style: 'recap' });
  if (generated.sitemap === 'jekyll-sitemap') {
    const entries = jekyllSitemapEntries(config, pages, copies, generated.copyInSitemap);
    out.push({ kind: 'sitemap', outPath: 'sitemap.xml', url: sitemapUrl, origin: { file: '', what: 'the sitemap' }, entries, style: { jekyllSitemap: { xsl: generated.sitemapXsl } } });
  }
  if (generated.robots && !copies.some((c) => c.outPath === 'robots.txt' && !c.besidePost)) {
    const style = generated.sitemap === 'recap' ? 'recap' : 'jekyll-sitemap';
    out.push({ kind: 'robots', outPath: 'robots.txt', url: withBase(config.basePath, '/robots.txt'), origin: { file: '', what: 'robots.txt' }, sitemapUrl, style });
  }
  if (generated.redirectsJson) {
    out.push({ kind: 'redirectsJson', outPath: 'redirects.json', url: withBase(config.basePath, '/redirects.json'), origin: { file: '', what: 'redirects.json' }, redirects: jekyllRedirects(config, planned) });
  }
  // A page of the site's own at one of these paths (a Jekyll site's feed.xml in Liquid) is kept, as jekyll-feed and jekyll-sitemap keep it.
  const ownPages = new Set(pages.flatMap((page) => (page.kind === 'page' ? [page.outPath] : [])));
  return out.filter((page) => !ownPages.has(page.outPath));
}

/** recap's site feed and a feed per tag. */
function planRecapFeeds(config: SiteConfig, posts: PlannedPost[], tags: Tag[], inFeeds: (posts: PlannedPost[]) => PlannedPost[]): Page[] {
  const feeds: Page[] = [
    { kind: 'feed', outPath: 'feed.xml', url: withBase(config.basePath, '/feed.xml'), origin: { file: '', what: 'the feed' }, title: config.title, alternateUrl: config.basePath, posts: posts.slice(0, config.feedLimit) },
  ];
  for (const tag of tags) {
    feeds.push({
      kind: 'feed',
      outPath: tag.feedOutPath,
      url: tag.feedUrl,
      origin: { file: tag.posts[0].post.source, what: `the feed of tag "${tag.name}"` },
      title: `${config.title}: ${tag.name}`,
      alternateUrl: tag.url,
      posts: inFeeds(tag.posts).slice(0, config.feedLimit),
    });
  }
  return feeds;
}

/**
 * recap's sitemap: posts with their date, pages, and listings with the date of their newest post.
 * An announcement dated on the evening it announces has no last change yet (a date to come is none).
 */
function recapSitemapEntries(config: SiteConfig, pages: Page[], listed: PlannedPost[]): SitemapPage['entries'] {
  const published = (posts: PlannedPost[]) => posts.filter((p) => !p.post.draft);
  const lastmod = (post: Post) => (post.event && post.date.getTime() > config.now.getTime() ? undefined : post.date);
  const entries: SitemapPage['entries'] = [];
  for (const page of pages) {
    if (page.kind === 'post' && !page.post.post.draft) entries.push({ url: page.url, lastmod: lastmod(page.post.post) });
    else if (page.kind === 'page' && !page.page.post.draft) entries.push({ url: page.url });
    else if (page.kind === 'index') entries.push({ url: page.url, lastmod: newest(published(page.posts)) });
    else if (page.kind === 'tag') entries.push({ url: page.url, lastmod: newest(published(page.posts)) });
    else if (page.kind === 'tags') entries.push({ url: page.url, lastmod: newest(published(listed)) });
    else if (page.kind === 'speakers') entries.push({ url: page.url, lastmod: newest(published(page.speakers.flatMap((s) => s.talks.map((t) => t.post)))) });
    else if (page.kind === 'speaker') entries.push({ url: page.url, lastmod: newest(published(page.speaker.talks.map((t) => t.post))) });
    else if (page.kind === 'sponsors') entries.push({ url: page.url, lastmod: newest(published(page.sponsors.flatMap((s) => s.posts))) });
  }
  return entries;
}

/**
 * The site's feed URL for the theme's links, and each tag's (recap's are planned beside the tag's
 * page; jekyll-feed's only with `feed: tags`). Whether a site file stands at a feed's path does not
 * count: the link reaches that file then, and the URLs follow from the config alone.
 */
function linkFeeds(config: SiteConfig, generated: GeneratedFiles, tags: Tag[]): string {
  const feeds = generated.feeds;
  if (feeds?.style === 'recap') return withBase(config.basePath, '/feed.xml');
  for (const tag of tags) tag.feedUrl = feeds?.style === 'jekyll-feed' ? jekyllTagFeedUrl(config, feeds.settings, tag.name) : '';
  return feeds ? withBase(config.basePath, feeds.settings.path) : '';
}

/**
 * Folder redirects (see PostPaths.folderRedirects) where nothing else is written: a page or file of
 * the site at that path, or a file where the folder would be, wins.
 */
function planFolderRedirects(config: SiteConfig, planned: { paths: PostPaths }[], pages: Page[], copies: CopiedFile[]): RedirectPage[] {
  const key = (outPath: string) => (config.caseSensitiveUrls ? outPath : outPath.normalize('NFC').toLowerCase());
  const claimed = new Set([...pages, ...copies].map((output) => key(output.outPath)));
  const added: RedirectPage[] = [];
  for (const { paths } of planned) {
    for (const page of paths.folderRedirects) {
      const folder = page.outPath.slice(0, -'/index.html'.length);
      if (claimed.has(key(page.outPath)) || claimed.has(key(folder))) continue;
      claimed.add(key(page.outPath));
      added.push(page);
    }
  }
  return added;
}

/**
 * A Jekyll body's `{% post_url 2019-03-06-slug %}` and `{% link about.md %}` became markers when it
 * was rendered; now that every post has a URL they become those URLs, with the base path as Jekyll 4
 * writes them. In a link's URL in markdown the base path was settled when its markdown was rendered
 * (see markdown/links.ts): there the marker stands for the path alone, so nothing else in the body
 * is touched. The references of posts
 * with errors elsewhere are checked too; a reference to such a post is no error of its own (that
 * file's errors are reported).
 */
function resolveReferences(config: SiteConfig, planned: { entry: PlannedPost }[], failed: Post[], errors: SiteError[]): void {
  if (!planned.some(({ entry }) => entry.post.references.length > 0) && !failed.some((post) => post.references.length > 0)) return;
  const lookUp = referenceIndex(planned.map(({ entry }) => ({ source: entry.post.source, collection: entry.post.collection, url: entry.url })));
  const failedLookUp = referenceIndex(failed.map((post) => ({ source: post.source, collection: post.collection, url: '' })));
  const urlsOf = (post: Post) =>
    post.references.map((reference) => {
      const url = lookUp(reference);
      if (url === undefined && failedLookUp(reference) === undefined) errors.push(new FrontMatterError(post.source, unresolvedReference(reference), { line: reference.line }));
      return url ?? '';
    });
  const cut = config.basePath.length - 1;
  for (const { entry } of planned) {
    if (entry.post.references.length === 0) continue;
    const urls = urlsOf(entry.post);
    // The excerpts were made from the same rendered body: they hold the same markers.
    const resolve = (text: string) =>
      text.replace(REFERENCE_MARKER, (_m, index: string) => urls[Number(index)]).replace(PATH_REFERENCE_MARKER, (_m, index: string) => urls[Number(index)].slice(cut));
    entry.html = resolve(entry.post.html);
    entry.excerptHtml = resolve(entry.post.excerptHtml);
    entry.excerpt = resolve(entry.post.excerpt);
  }
  for (const post of failed) urlsOf(post);
}
