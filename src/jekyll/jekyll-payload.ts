/**
 * What a Jekyll site's Liquid sees, as Jekyll 4 gives it: `site` (every _config.yml key, posts
 * newest first, pages, tags, categories, data, static files, time), each post and page as a drop
 * (front matter, url, id, date, excerpt, content, previous/next…), and jekyll-paginate's
 * `paginator`. Made once per build from the plan; URLs are without the base path, as in Jekyll.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Paginator, PlannedPost, SiteConfig, SitePlan } from '../pipeline/types.js';
import { instantTime } from '../util/zones.js';
import { LiquidDate, liquidDate, withLiquidDates } from './ruby.js';
import { JEKYLL_VERSION } from './dialect.js';

/** What a render read beyond the site's metadata, for the fingerprint of the page (see SiteRenderer.fingerprint). */
export interface PayloadReads {
  /** Sources of the posts and pages whose content or excerpt was read. */
  content: Set<string>;
  /** site.time was read. */
  time: boolean;
}

export interface Payload {
  /** `site`, but for related_posts, which depends on the page, and time, which is read through `siteFor`. */
  site: Record<string, unknown>;
  /** `site` as a page sees it, reads recorded in `reads`. */
  siteFor(relatedPosts: unknown[] | undefined): Record<string, unknown>;
  reads: PayloadReads;
  /** A post's or page's drop (made once per entry). */
  dropOf(entry: PlannedPost): Record<string, unknown>;
  paginatorOf(paginator: Paginator): Record<string, unknown>;
  jekyll: Record<string, unknown>;
}

/** A key with a Ruby-like value: what Jekyll would give as nil stays undefined. */
const hashOf = () => Object.create(null) as Record<string, unknown[]>;

export function createPayload(config: SiteConfig, plan: SitePlan): Payload {
  const jekyll = config.jekyll;
  const timeZone = jekyll?.timezone ?? 'UTC';
  const sitePath = (url: string) => url.slice(config.basePath.length - 1);
  const reads: PayloadReads = { content: new Set(), time: false };
  const drops = new Map<PlannedPost, Record<string, unknown>>();
  const postIndex = new Map(plan.sitePosts.map((entry, index) => [entry.post, index]));

  const dropOf = (entry: PlannedPost): Record<string, unknown> => {
    let drop = drops.get(entry);
    if (drop) return drop;
    const { post } = entry;
    const url = sitePath(entry.url);
    const name = path.posix.basename(post.source);
    drop = { ...withLiquidDates(post.data, timeZone), url, path: post.source, name, content: '' };
    if (post.collection === 'posts') {
      const slug = typeof post.data.slug === 'string' ? post.data.slug : post.slug.slice(post.slug.lastIndexOf('/') + 1);
      Object.assign(drop, {
        title: post.title,
        date: liquidDate(post.date, timeZone),
        id: path.posix.join(path.posix.dirname(url.endsWith('/') ? url.slice(0, -1) : url), slug),
        slug,
        categories: post.categories,
        tags: post.tags,
        collection: 'posts',
        relative_path: post.source,
        ext: path.posix.extname(name),
        draft: post.draft,
      });
      // Neighbours in time, read when asked for; not enumerable, so that jsonify does not follow them round.
      const index = postIndex.get(post);
      Object.defineProperties(drop, {
        previous: { get: () => (index === undefined || index + 1 >= plan.sitePosts.length ? undefined : dropOf(plan.sitePosts[index + 1])) },
        next: { get: () => (index === undefined || index === 0 ? undefined : dropOf(plan.sitePosts[index - 1])) },
      });
    } else {
      drop.dir = url.endsWith('/') ? url : path.posix.dirname(url) + (path.posix.dirname(url) === '/' ? '' : '/');
    }
    // A page's content (and a post's excerpt) as rendered, also for bodies that ran at render; a page that reads them depends on them.
    const read = <T>(value: () => T) => () => (reads.content.add(post.source), value());
    Object.defineProperty(drop, 'content', { enumerable: true, get: read(() => entry.html) });
    // An excerpt the front matter gives is shown as written, as in Jekyll.
    if (post.collection === 'posts' && typeof post.data.excerpt !== 'string') Object.defineProperty(drop, 'excerpt', { enumerable: true, get: read(() => entry.excerptHtml) });
    drops.set(entry, drop);
    return drop;
  };

  const posts = plan.sitePosts.map(dropOf);
  const byKey = (key: 'tags' | 'categories') => {
    // Jekyll lists each tag's posts newest first, and the tags in the order they first appear from the oldest post.
    const hash = hashOf();
    for (const entry of [...plan.sitePosts].reverse()) {
      for (const name of new Set(entry.post[key])) (hash[name] ??= []).unshift(dropOf(entry));
    }
    return hash;
  };
  const byName = (a: PlannedPost, b: PlannedPost) => {
    const [x, y] = [path.posix.basename(a.post.source), path.posix.basename(b.post.source)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  // site.pages in Jekyll's order: by file name, then what plugins generated, in the order they run.
  const paginatedCopies = plan.outputs.flatMap((page) => (page.kind === 'page' && page.paginator && page.paginator.page > 1 ? [page.page] : []));
  const pages = [...[...plan.pages].sort(byName).map(dropOf), ...pluginPages(plan, jekyll?.plugins ?? [], sitePath, paginatedCopies.map(dropOf))];
  const staticFiles = plan.copies
    .filter((copy) => copy.origin.file !== '' && !copy.origin.file.startsWith('('))
    .map((copy) => staticFileDrop(copy.outPath, copy.from, timeZone))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const site: Record<string, unknown> = {
    ...(jekyll?.values ?? {}),
    posts,
    pages,
    html_pages: pages.filter((page) => typeof page.url === 'string' && (page.url.endsWith('/') || page.url.endsWith('.html'))),
    documents: [...posts].reverse(),
    static_files: staticFiles,
    tags: byKey('tags'),
    categories: byKey('categories'),
    data: plan.data,
  };
  const time = new LiquidDate(instantTime(config.now, timeZone));
  const siteFor = (relatedPosts: unknown[] | undefined) =>
    Object.defineProperty({ ...site, related_posts: relatedPosts }, 'time', { enumerable: true, get: () => ((reads.time = true), time) });
  const paginatorOf = (paginator: Paginator): Record<string, unknown> => ({
    page: paginator.page,
    per_page: paginator.perPage,
    posts: paginator.posts.map(dropOf),
    total_posts: paginator.totalPosts,
    total_pages: paginator.totalPages,
    previous_page: paginator.previousPage,
    previous_page_path: paginator.previousPath,
    next_page: paginator.nextPage,
    next_page_path: paginator.nextPath,
  });
  return { site, siteFor, reads, dropOf, paginatorOf, jekyll: { environment: jekyll?.environment ?? 'production', version: JEKYLL_VERSION } };
}

/**
 * The pages Jekyll's plugins add to site.pages, after the site's own: jekyll-redirect-from's
 * redirect pages and redirects.json, jekyll-paginate's copies, jekyll-feed's feed and
 * jekyll-sitemap's sitemap and robots.txt (each only when the site lists the plugin). They have no
 * title or front matter of their own; their content is left empty.
 */
function pluginPages(plan: SitePlan, plugins: string[], sitePath: (url: string) => string, paginatedCopies: Record<string, unknown>[]): Record<string, unknown>[] {
  const generated = (name: string, url: string) => {
    const at = sitePath(url);
    return { name, url: at, dir: at.endsWith('/') ? at : at.slice(0, at.lastIndexOf('/') + 1), path: name.replace(/^\//, ''), content: '' };
  };
  const outputOf = (kind: string, outPath: string) => plan.outputs.find((page) => page.kind === kind && page.outPath === outPath);
  const listed: Record<string, unknown>[] = [];
  if (plugins.includes('jekyll-redirect-from')) {
    for (const page of plan.outputs) if (page.kind === 'redirect' && page.origin.what.startsWith('redirect_from')) listed.push(generated('redirect.html', page.url));
    const list = plan.outputs.find((page) => page.outPath === 'redirects.json');
    if (list) listed.push(generated('redirects.json', list.url));
  }
  listed.push(...paginatedCopies);
  const feed = outputOf('feed', 'feed.xml');
  if (plugins.includes('jekyll-feed') && feed) listed.push(generated('/feed.xml', feed.url));
  if (plugins.includes('jekyll-sitemap')) {
    const sitemap = outputOf('sitemap', 'sitemap.xml');
    const robots = outputOf('robots', 'robots.txt');
    if (sitemap) listed.push(generated('sitemap.xml', sitemap.url));
    if (robots) listed.push(generated('robots.txt', robots.url));
  }
  return listed;
}

/** Jekyll's StaticFile drop: path from the site root ("/assets/site.css"), name, basename, extname, modified_time. */
function staticFileDrop(outPath: string, from: string, timeZone: string): { path: string } & Record<string, unknown> {
  const name = path.posix.basename(outPath);
  const extname = path.posix.extname(name);
  let modified: Date | undefined;
  try {
    modified = new LiquidDate(instantTime(new Date(fs.statSync(from).mtimeMs), timeZone));
  } catch {
    modified = undefined;
  }
  return { path: `/${outPath}`, name, extname, basename: name.slice(0, name.length - extname.length).replace(/\.+$/, ''), modified_time: modified, collection: undefined };
}
