/**
 * The tags of the Jekyll plugins sites list: `{% seo %}` (jekyll-seo-tag 2.8) and `{% feed_meta %}`
 * (jekyll-feed 0.17), written to print what those gems print, line for line. They read `page`,
 * `site` and `paginator` from the render's variables, so they work in bodies and layouts alike.
 *
 * The gems print some values from front matter as they are (an author's name, an image's alt text,
 * a Twitter handle) inside attributes; recap escapes those, so a quote or `<` in them cannot end
 * the attribute. Everything else is escaped exactly as the gems do.
 */
import { Tag, type Context, type Liquid, type TagToken, type TopLevelToken } from 'liquidjs';
import { htmlText } from '../html/text.js';
import { renderMarkdown } from '../markdown/render.js';
import type { SiteConfig } from '../pipeline/types.js';
import { escapeHtml } from '../util/escape.js';
import { JEKYLL_VERSION } from './dialect.js';
import { smartenText } from './typography.js';
import { encodeUrl, escapeOnce, jekyllUrlFilters, MARKDOWNIFY_LIMIT, xmlEscape, xmlSchemaTime } from './filters.js';
import { isPlainObject, liquidText } from './ruby.js';

/** jekyll-seo-tag's version, as its comment prints it. */
const SEO_TAG_VERSION = '2.8.0';

type Data = Record<string, unknown>;
/** An object's keys to read (a hash, or whatever object the caller passes as page or site), else none. */
const record = (value: unknown): Data => (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) ? (value as Data) : {});
const present = (value: unknown) => value !== null && value !== undefined && value !== false && liquidText(value) !== '';
const first = (...values: unknown[]) => values.find(present);

/**
 * jekyll-seo-tag's format_string: markdownify, strip_html, normalize_whitespace, escape_once; empty
 * gives nothing. kramdown's typography (smart quotes, dashes) is applied to the text as
 * markdownify would.
 */
function formatString(value: unknown): string | undefined {
  if (!present(value)) return undefined;
  const source = liquidText(value).slice(0, MARKDOWNIFY_LIMIT);
  const text = smartenText(htmlText(renderMarkdown(source, 'kramdown', '/').html)).replace(/[ \t\n\v\f\r]+/g, ' ').trim();
  return text === '' ? undefined : escapeOnce(text);
}

const HOMEPAGE_OR_ABOUT = /^\/(about\/)?(index.html?)?$/;

/** Who a page's author is: its author (a name or a hash), its first of authors, the site's; a name is looked up in site.data.authors. */
function authorOf(page: Data, site: Data): Data {
  const authors = page.authors;
  const resolved = first(page.author, Array.isArray(authors) ? authors[0] : undefined, site.author);
  if (isPlainObject(resolved)) return resolved;
  if (typeof resolved !== 'string') return {};
  const known = record(record(record(site.data).authors)[resolved]);
  return { name: resolved, ...known };
}

interface SeoFacts {
  title?: string;
  pageTitle?: string;
  siteTitle?: string;
  description?: string;
  canonical: string;
  author: Data;
  image?: { path: string; meta: Data };
  type: string;
  /** The site's `timezone`, which dates are shown in. */
  timeZone: string;
}

/** The `{% seo %}` tag's output for the render's page, site and paginator. */
export function seoOutput(config: SiteConfig, variables: Data, markup: string): string {
  const { absoluteUrl } = jekyllUrlFilters(config);
  const page = record(variables.page);
  const site = record(variables.site);
  const paginator = record(variables.paginator);
  const pageSeo = record(page.seo);
  const siteTitle = formatString(first(site.title, site.name));
  const siteDescription = formatString(site.description);
  const tagline = formatString(site.tagline) ?? siteDescription;
  const pageTitle = formatString(page.title) ?? siteTitle;
  let title = siteTitle && pageTitle !== siteTitle ? `${pageTitle} | ${siteTitle}` : siteDescription && siteTitle ? `${siteTitle} | ${tagline}` : pageTitle ?? siteTitle;
  const current = Number(paginator.page);
  if (title && current > 1) {
    const message = typeof site.seo_paginator_message === 'string' ? site.seo_paginator_message : 'Page %<current>s of %<total>s for ';
    title = message.replace('%<current>s', String(current)).replace('%<total>s', liquidText(paginator.total_pages)) + title;
  }
  const pageUrl = liquidText(page.url);
  const homeOrAbout = HOMEPAGE_OR_ABOUT.test(pageUrl);
  const canonical = present(page.canonical_url) ? liquidText(page.canonical_url) : liquidText(absoluteUrl(page.url)).replace(/\/index\.html$/, '/');
  const author = authorOf(page, site);
  const imageMeta: Data = isPlainObject(page.image) ? { path: null, ...page.image } : typeof page.image === 'string' ? { path: page.image } : { path: null };
  const rawImage = first(imageMeta.path, imageMeta.facebook, imageMeta.twitter);
  const image = rawImage === undefined ? undefined : { path: encodeUrl(liquidText(typeof rawImage === 'string' ? absoluteUrl(rawImage) : rawImage)), meta: imageMeta };
  const type = present(pageSeo.type) ? liquidText(pageSeo.type) : homeOrAbout ? 'WebSite' : present(page.date) ? 'BlogPosting' : 'WebPage';
  const facts: SeoFacts = { title, pageTitle, siteTitle, description: formatString(first(page.description, page.excerpt)) ?? siteDescription, canonical, author, image, type, timeZone: config.jekyll?.timezone ?? 'UTC' };

  const lines = [`<!-- Begin Jekyll SEO tag v${SEO_TAG_VERSION} -->`];
  const attr = (value: unknown) => escapeHtml(liquidText(value));
  if (title && !/title=false/i.test(markup)) lines.push(`<title>${title}</title>`);
  lines.push(`<meta name="generator" content="Jekyll v${JEKYLL_VERSION}" />`);
  if (pageTitle) lines.push(`<meta property="og:title" content="${pageTitle}" />`);
  if (present(author.name)) lines.push(`<meta name="author" content="${attr(author.name)}" />`);
  const locale = liquidText(first(page.locale, site.locale, page.lang, site.lang) ?? 'en_US').replace(/-/g, '_');
  lines.push(`<meta property="og:locale" content="${attr(locale)}" />`);
  if (facts.description) lines.push(`<meta name="description" content="${facts.description}" />`, `<meta property="og:description" content="${facts.description}" />`);
  if (present(site.url)) lines.push(`<link rel="canonical" href="${attr(canonical)}" />`, `<meta property="og:url" content="${attr(canonical)}" />`);
  if (siteTitle) lines.push(`<meta property="og:site_name" content="${siteTitle}" />`);
  if (image) {
    lines.push(`<meta property="og:image" content="${attr(image.path)}" />`);
    for (const key of ['height', 'width', 'alt']) if (present(image.meta[key])) lines.push(`<meta property="og:image:${key}" content="${attr(image.meta[key])}" />`);
  }
  if (present(page.date)) lines.push('<meta property="og:type" content="article" />', `<meta property="article:published_time" content="${xmlSchemaTime(page.date, facts.timeZone)}" />`);
  else lines.push('<meta property="og:type" content="website" />');
  if (present(paginator.previous_page)) lines.push(`<link rel="prev" href="${attr(absoluteUrl(paginator.previous_page_path))}" />`);
  if (present(paginator.next_page)) lines.push(`<link rel="next" href="${attr(absoluteUrl(paginator.next_page_path))}" />`);
  if (image) {
    const card = first(record(page.twitter).card, record(site.twitter).card) ?? 'summary_large_image';
    lines.push(`<meta name="twitter:card" content="${attr(card)}" />`, `<meta property="twitter:image" content="${attr(image.path)}" />`);
  } else lines.push('<meta name="twitter:card" content="summary" />');
  if (image && present(image.meta.alt)) lines.push(`<meta name="twitter:image:alt" content="${attr(image.meta.alt)}" />`);
  if (pageTitle) lines.push(`<meta property="twitter:title" content="${pageTitle}" />`);
  if (present(site.twitter)) {
    lines.push(`<meta name="twitter:site" content="@${attr(liquidText(record(site.twitter).username).replace(/@/g, ''))}" />`);
    const twitter = first(author.twitter, author.name);
    if (typeof twitter === 'string' && twitter.replace(/^@/, '') !== '') lines.push(`<meta name="twitter:creator" content="@${attr(twitter.replace(/^@/, '').replace(/@/g, ''))}" />`);
  }
  lines.push(...verificationLines(site, attr));
  lines.push('<script type="application/ld+json">', `${scriptSafeJson(jsonLd(facts, page, site, pageSeo, homeOrAbout, absoluteUrl))}</script>`, '<!-- End Jekyll SEO tag -->');
  return lines.join('\n') + '\n';
}

/** Facebook's and search engines' verification tags, from site.facebook and site.webmaster_verifications. */
function verificationLines(site: Data, attr: (value: unknown) => string): string[] {
  const lines: string[] = [];
  const facebook = record(site.facebook);
  if (present(facebook.admins)) lines.push(`<meta property="fb:admins" content="${attr(facebook.admins)}" />`);
  if (present(facebook.publisher)) lines.push(`<meta property="article:publisher" content="${attr(facebook.publisher)}" />`);
  if (present(facebook.app_id)) lines.push(`<meta property="fb:app_id" content="${attr(facebook.app_id)}" />`);
  const verifications = record(site.webmaster_verifications);
  const names: [string, string][] = [['google', 'google-site-verification'], ['bing', 'msvalidate.01'], ['alexa', 'alexaVerifyID'], ['yandex', 'yandex-verification'], ['baidu', 'baidu-site-verification'], ['facebook', 'facebook-domain-verification']];
  if (present(site.webmaster_verifications)) {
    for (const [key, name] of names) if (present(verifications[key])) lines.push(`<meta name="${name}" content="${attr(verifications[key])}" />`);
  } else if (present(site.google_site_verification)) lines.push(`<meta name="google-site-verification" content="${attr(site.google_site_verification)}" />`);
  return lines;
}

/** The JSON-LD object: its keys sorted, those without a value left out, as the gem writes it. */
function jsonLd(facts: SeoFacts, page: Data, site: Data, pageSeo: Data, homeOrAbout: boolean, absoluteUrl: (value: unknown) => unknown): Data {
  const { author } = facts;
  const authorType = author.type;
  const authorLd = present(author.name) && (authorType === undefined || authorType === 'Organization' || authorType === 'Person')
    ? { '@type': authorType ?? 'Person', name: author.name, ...(present(author.url) ? { url: author.url } : {}) }
    : undefined;
  let image: unknown;
  if (facts.image) {
    // An image given only as a path is its URL; one with more keys is an object of them, its path as url.
    const rest = Object.fromEntries(Object.entries(facts.image.meta).filter(([key]) => key !== 'path'));
    image = Object.keys(rest).length === 0 ? facts.image.path : { ...rest, url: facts.image.path, '@type': 'imageObject' };
  }
  const logo = present(site.logo) ? encodeUrl(liquidText(absoluteUrl(site.logo))) : undefined;
  const social = record(site.social);
  const name = present(pageSeo.name) ? formatString(pageSeo.name) : homeOrAbout ? formatString(social.name) ?? facts.siteTitle : undefined;
  const modified = first(pageSeo.date_modified, page.last_modified_at, page.date);
  const fields: Data = {
    '@context': 'https://schema.org',
    '@type': facts.type,
    author: authorLd,
    dateModified: modified === undefined ? undefined : xmlSchemaTime(modified, facts.timeZone),
    datePublished: present(page.date) ? xmlSchemaTime(page.date, facts.timeZone) : undefined,
    description: facts.description,
    headline: facts.pageTitle,
    image,
    mainEntityOfPage: facts.type === 'BlogPosting' || facts.type === 'CreativeWork' ? { '@type': 'WebPage', '@id': facts.canonical } : undefined,
    name,
    publisher: logo ? { '@type': 'Organization', logo: { '@type': 'ImageObject', url: logo }, ...(present(author.name) ? { name: author.name } : {}) } : undefined,
    sameAs: present(pageSeo.links) ? pageSeo.links : homeOrAbout && present(social.links) ? social.links : undefined,
    url: facts.canonical,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

/** JSON that cannot end the <script> it is in: "</" written "<\/" (the same JSON value). */
const scriptSafeJson = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (item instanceof Date ? liquidText(item) : item)).replace(/<\//g, '<\\/').replace(/<!--/g, '\\u003c!--');

/** `{% feed_meta %}`: the link to the site's Atom feed (feed.path, else feed.xml), titled with the site's title. */
export function feedMetaOutput(config: SiteConfig, variables: Data): string {
  const site = record(variables.site);
  const path = first(record(site.feed).path) ?? 'feed.xml';
  const title = first(site.title, site.name);
  const attributes: [string, unknown][] = [['type', 'application/atom+xml'], ['rel', 'alternate'], ['href', jekyllUrlFilters(config).absoluteUrl(path)]];
  if (title !== undefined) attributes.push(['title', title]);
  return `<link ${attributes.map(([key, value]) => `${key}="${xmlEscape(liquidText(value))}"`).join(' ')} />`;
}

/** Registers {% seo %} and {% feed_meta %} on a Jekyll site's engine. */
export function registerPluginTags(engine: Liquid, config: SiteConfig): void {
  engine.registerTag(
    'seo',
    class SeoTag extends Tag {
      private readonly markup: string;
      constructor(token: TagToken, remaining: TopLevelToken[], liquid: Liquid) {
        super(token, remaining, liquid);
        this.markup = token.args;
      }
      render(context: Context): string {
        // Only what the tag reads: reading every variable (getAll) would read every getter of the scope.
        return seoOutput(config, { page: context.getSync(['page']), site: context.getSync(['site']), paginator: context.getSync(['paginator']) }, this.markup);
      }
    },
  );
  engine.registerTag(
    'feed_meta',
    class FeedMetaTag extends Tag {
      render(context: Context): string {
        return feedMetaOutput(config, { site: context.getSync(['site']) });
      }
    },
  );
}
