/**
 * The sitemap and robots.txt as jekyll-sitemap 1.4 writes them, and redirects.json as
 * jekyll-redirect-from 0.16 does, for a Jekyll site that enables those plugins.
 */
import fs from 'node:fs';
import type { CopiedFile, Page, PlannedPost, RedirectsJsonPage, RobotsPage, SiteConfig, SitemapPage } from '../pipeline/types.js';
import { escapeXml } from '../theme/feeds.js';
import { withBase } from '../util/urls.js';
import { wallClockIn } from '../util/dates.js';
import { jekyllAbsoluteUrl, xmlSchema } from './plugin-output.js';

/** The static files jekyll-sitemap lists, by extension as written (`.PDF` is not one). */
const LISTED_FILE = /\.(htm|html|xhtml|pdf)$/;
/** What Jekyll counts as an HTML page (`site.html_pages`), by the file it writes. */
const HTML_PAGE = /\.(htm|html|xhtml)$/;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const fileName = (source: string) => source.slice(source.lastIndexOf('/') + 1);
const listedByFrontMatter = (planned: PlannedPost) => planned.post.data.sitemap !== false && !planned.post.redirectTo;

/**
 * jekyll-sitemap's entries, in its order: posts (oldest first, by path on one date) with
 * `last_modified_at` or their date; HTML pages (Jekyll sorts pages by file name; generated index
 * pages come after) with `last_modified_at` when set, without 404.html; then static .htm, .html,
 * .xhtml and .pdf files by path, with their modification time. `sitemap: false` leaves any out;
 * redirect pages never are in it.
 */
export function jekyllSitemapEntries(config: SiteConfig, pages: Page[], copies: CopiedFile[], copyInSitemap: (source: string) => boolean): SitemapPage['entries'] {
  const notFound = withBase(config.basePath, '/404.html');
  const posts: PlannedPost[] = [];
  const named: { name: string; source: string; url: string; lastmod?: Date }[] = [];
  const generated: { url: string }[] = [];
  for (const page of pages) {
    if (page.kind === 'post' && listedByFrontMatter(page.post)) posts.push(page.post);
    else if (page.kind === 'page' && listedByFrontMatter(page.page) && HTML_PAGE.test(page.outPath) && page.url !== notFound) {
      named.push({ name: fileName(page.page.post.source), source: page.page.post.source, url: page.url, lastmod: page.page.post.updated });
    } else if (page.kind === 'index' && page.pageNumber === 1) named.push({ name: 'index.html', source: 'index.html', url: page.url });
    else if (page.kind === 'index' || page.kind === 'tag' || page.kind === 'tags') generated.push({ url: page.url });
  }
  posts.sort((a, b) => a.post.date.getTime() - b.post.date.getTime() || byString(a.post.source, b.post.source));
  named.sort((a, b) => byString(a.name, b.name) || byString(a.source, b.source));
  const files = copies
    .filter((copy) => LISTED_FILE.test(copy.outPath) && fileName(copy.outPath) !== '404.html' && copyInSitemap(copy.origin.file))
    .sort((a, b) => byString(a.outPath, b.outPath));
  return [
    ...posts.map((p) => ({ url: p.url, lastmod: p.post.updated ?? p.post.date })),
    ...named.map(({ url, lastmod }) => (lastmod ? { url, lastmod } : { url })),
    ...generated,
    ...files.map((copy) => ({ url: withBase(config.basePath, `/${copy.outPath}`), lastmod: modified(copy.from, config.jekyll?.timezone ?? 'UTC') })),
  ];
}

/**
 * A file's modification time to the second, as Jekyll's `modified_time`, as a clock time on the
 * site's zone (as post dates are held); undefined when it went away since it was listed.
 */
function modified(file: string, timeZone: string): Date | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? wallClockIn(timeZone, Math.floor(stat.mtimeMs / 1000) * 1000) : undefined;
}

/** jekyll-sitemap's XML: its template with the whitespace it takes out taken out. */
export function renderJekyllSitemap(config: SiteConfig, page: SitemapPage, xsl: boolean): string {
  const urls = page.entries.map((entry) => {
    const loc = escapeXml(jekyllAbsoluteUrl(config, entry.url.replace(/\/index\.html$/, '/')));
    return `<url>\n<loc>${loc}</loc>\n${entry.lastmod ? `<lastmod>${xmlSchema(config, entry.lastmod)}</lastmod>\n` : ''}</url>\n`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    xsl ? `<?xml-stylesheet type="text/xsl" href="${escapeXml(jekyllAbsoluteUrl(config, '/sitemap.xsl', false))}"?>\n` : '',
    '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd" xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
    ...urls,
    '</urlset>\n',
  ].join('');
}

/** jekyll-sitemap's robots.txt: the sitemap's address alone. */
export function renderJekyllRobots(config: SiteConfig, page: RobotsPage): string {
  return `Sitemap: ${jekyllAbsoluteUrl(config, page.sitemapUrl)}\n`;
}

/** jekyll-redirect-from's redirect target: an http(s) URL as written, anything else made absolute under the site's url and baseurl. */
export function jekyllRedirectTarget(config: SiteConfig, target: string): string {
  const trimmed = target.trim();
  return /^https?:\/\//.test(trimmed) ? trimmed : jekyllAbsoluteUrl(config, trimmed, false);
}

/**
 * The redirects of redirects.json, in jekyll-redirect-from's order: posts (oldest first), then
 * pages by file name; each one's redirect_from paths, then its redirect_to. An old path is written
 * as the front matter gives it (with a leading "/"), without the base path, as Jekyll writes it.
 */
export function jekyllRedirects(config: SiteConfig, planned: PlannedPost[]): RedirectsJsonPage['redirects'] {
  const posts = planned.filter((p) => p.post.collection === 'posts').sort((a, b) => a.post.date.getTime() - b.post.date.getTime() || byString(a.post.source, b.post.source));
  const pages = planned.filter((p) => p.post.collection === 'pages').sort((a, b) => byString(fileName(a.post.source), fileName(b.post.source)) || byString(a.post.source, b.post.source));
  const redirects = new Map<string, string>();
  const ownPath = (p: PlannedPost) => p.url.slice(config.basePath.length - 1);
  for (const p of [...posts, ...pages]) {
    for (const from of p.post.redirectFrom) {
      const trimmed = from.trim();
      redirects.set(trimmed.startsWith('/') ? trimmed : `/${trimmed}`, jekyllAbsoluteUrl(config, p.url));
    }
    if (p.post.redirectTo) redirects.set(ownPath(p), jekyllRedirectTarget(config, p.post.redirectTo));
  }
  return [...redirects].map(([from, to]) => ({ from, to }));
}

/** redirects.json: one JSON object, as Ruby's to_json writes it (no spaces, "/" and non-ASCII as they are). */
export function renderRedirectsJson(page: RedirectsJsonPage): string {
  return JSON.stringify(Object.fromEntries(page.redirects.map((r) => [r.from, r.to])));
}
