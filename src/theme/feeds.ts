import { rewriteUrlAttributes } from '../html/rewrite-urls.js';
import { urlScheme } from '../util/urls.js';
import type { FeedPage, PlannedPost, RobotsPage, SiteConfig, SitemapPage } from '../pipeline/types.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe in XML content and attributes: escaped, and without the control characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** A site path made absolute with the site's url; without url it stays a path (the build warns). */
export function absolute(config: SiteConfig, sitePath: string): string {
  return config.url + sitePath;
}

/**
 * Every link and image in an HTML body made absolute, so it works in a feed reader. Only real
 * attributes change: code samples and prose that mention `href="/x"` stay as written.
 */
function absoluteLinks(config: SiteConfig, html: string, pageUrl: string): string {
  const base = new URL(pageUrl, config.url || 'http://recap.invalid');
  return rewriteUrlAttributes(html, (url) => {
    if (url === '' || url.startsWith('#') || urlScheme(url) !== undefined) return url;
    let resolved: URL;
    try {
      resolved = new URL(url, base);
    } catch {
      return url; // not a URL a reader can follow anyway (`//`, `/\`): left as the author wrote it
    }
    return config.url ? resolved.href : resolved.pathname + resolved.search + resolved.hash;
  });
}

/** Feed bodies kept per planned post, with what they were made from (see feedBody). */
export type FeedBodies = WeakMap<PlannedPost, { html: string; url: string; siteUrl: string; body: string }>;

/**
 * A post is in the site feed and in each of its tags' feeds, and parsing its body is the costly
 * part of a feed: the result is kept per planned post while its inputs hold (across watch-mode
 * builds, which keep the plan when only bodies change).
 */
function feedBody(config: SiteConfig, planned: PlannedPost, feedBodies: FeedBodies): string {
  const kept = feedBodies.get(planned);
  if (kept && kept.html === planned.html && kept.url === planned.url && kept.siteUrl === config.url) return kept.body;
  const body = absoluteLinks(config, planned.html, planned.url);
  feedBodies.set(planned, { html: planned.html, url: planned.url, siteUrl: config.url, body });
  return body;
}

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

/** An Atom 1.0 feed (RFC 4287): the newest posts with summary and full content. */
export function renderFeed(config: SiteConfig, page: FeedPage, feedBodies: FeedBodies): string {
  const updatedOf = (p: FeedPage['posts'][number]) => p.post.updated ?? p.post.date;
  const feedUpdated = page.posts.reduce((latest, p) => (updatedOf(p) > latest ? updatedOf(p) : latest), new Date(0));
  const entries = page.posts.map((p) => {
    const url = absolute(config, p.url);
    const categories = p.post.tags.map((tag) => `    <category term="${escapeXml(tag)}"/>\n`).join('');
    const summary = p.post.description || p.excerpt;
    // A post in another language than the site's says so; the others inherit the feed's xml:lang.
    const language = p.post.language && p.post.language !== config.language ? ` xml:lang="${escapeXml(p.post.language)}"` : '';
    return `  <entry${language}>
    <title type="text">${escapeXml(p.post.title)}</title>
    <link href="${escapeXml(url)}" rel="alternate" type="text/html"/>
    <id>${escapeXml(url)}</id>
    <published>${iso(p.post.date)}</published>
    <updated>${iso(updatedOf(p))}</updated>
${categories}${summary ? `    <summary type="text">${escapeXml(summary)}</summary>\n` : ''}    <content type="html">${escapeXml(feedBody(config, p, feedBodies))}</content>
  </entry>
`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(config.language)}">
  <title type="text">${escapeXml(page.title)}</title>
${config.description ? `  <subtitle type="text">${escapeXml(config.description)}</subtitle>\n` : ''}  <link href="${escapeXml(absolute(config, page.url))}" rel="self" type="application/atom+xml"/>
  <link href="${escapeXml(absolute(config, page.alternateUrl))}" rel="alternate" type="text/html"/>
  <id>${escapeXml(absolute(config, page.url))}</id>
  <updated>${iso(feedUpdated)}</updated>
  <author><name>${escapeXml(config.author || config.title)}</name></author>
  <generator>recap</generator>
${entries.join('')}</feed>
`;
}

/** sitemaps.org XML: every listed page with its absolute URL and the date of its newest post. */
export function renderSitemap(config: SiteConfig, page: SitemapPage): string {
  const urls = page.entries.map(
    (entry) => `  <url><loc>${escapeXml(absolute(config, entry.url))}</loc>${entry.lastmod ? `<lastmod>${iso(entry.lastmod)}</lastmod>` : ''}</url>\n`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('')}</urlset>
`;
}

export function renderRobots(config: SiteConfig, page: RobotsPage): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${absolute(config, page.sitemapUrl)}\n`;
}
