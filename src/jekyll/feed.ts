/**
 * Feeds as jekyll-feed 0.17 writes them, for a Jekyll site that enables it: the same paths, entry
 * ids (`post.id`: the URL's folder and the slug, no extension, no trailing slash), links, order,
 * dates, authors, categories, summaries and thumbnails, so subscribers' readers see no post again
 * after the switch. The markup is jekyll-feed's template with its whitespace taken out, as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { htmlText } from '../html/text.js';
import { escapeXml } from '../theme/feeds.js';
import type { FeedAuthor, FeedPage, JekyllFeedFormat, PlannedPost, SiteConfig } from '../pipeline/types.js';
import { collapse } from '../markdown/text.js';
import { cdata, jekyllAbsoluteUrl, normalizedPath, xmlSchema } from './plugin-output.js';
import { smartenText } from './typography.js';
import { resolveUrlPath, shown, withBase } from '../util/urls.js';
import { ConfigError, type SiteError } from '../pipeline/errors.js';
import { JEKYLL_CONFIG_FILE } from './config.js';
import { parseConfigYaml } from '../pipeline/config-checks.js';

/** `feed:` of _config.yml, as jekyll-feed reads it. */
export interface JekyllFeedSettings {
  /** The posts feed's path (`feed.path`, default /feed.xml). */
  path: string;
  /** `title` (or `name`) of _config.yml; "" for none, and the feed has no title. */
  title: string;
  /** `feed.tags`: a feed per tag at `path` + tag + ".xml", for the tags `only` lists (all when undefined) but those in `except`. */
  tags?: { only?: string[]; except: string[]; path: string };
  /** `feed.categories`: a feed per category at /feed/<category>.xml. */
  categories: string[];
  format: Omit<JekyllFeedFormat, 'time'>;
  /** Feed paths the site has a file at: jekyll-feed leaves those to the site. */
  taken: (feedPath: string) => boolean;
}

/** What Liquid's `default` and `unless` count as set: anything but nil, false and "". */
const liquidTruthy = (value: unknown) => value !== undefined && value !== null && value !== false && value !== '';
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** An author as _config.yml or front matter gives one: a name, or a map with `name`, `email` and `uri`. */
export function readAuthor(value: unknown): FeedAuthor | undefined {
  if (typeof value === 'string' || typeof value === 'number') return { name: String(value), email: '', uri: '' };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const map = value as Record<string, unknown>;
    return { name: text(map.name), email: text(map.email), uri: text(map.uri) };
  }
  return undefined;
}

/** _data/authors.yml (or .yaml, .json) as jekyll-feed looks authors up in it; a file that does not parse is left for the build of `site.data` to report. */
function readDataAuthors(root: string): Record<string, FeedAuthor> {
  const authors: Record<string, FeedAuthor> = {};
  for (const name of ['authors.yml', 'authors.yaml', 'authors.json']) {
    let data: unknown;
    try {
      data = parseConfigYaml(`_data/${name}`, fs.readFileSync(path.join(root, '_data', name), 'utf8'));
    } catch {
      continue;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) continue;
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      const author = readAuthor(value);
      if (author && !Object.hasOwn(authors, key)) authors[key] = author;
    }
  }
  return authors;
}

export function readFeedSettings(config: SiteConfig, values: Record<string, unknown>): JekyllFeedSettings {
  const feed = values.feed && typeof values.feed === 'object' && !Array.isArray(values.feed) ? (values.feed as Record<string, unknown>) : {};
  const leading = (p: string) => (p.startsWith('/') ? p : `/${p}`);
  let tags: JekyllFeedSettings['tags'];
  if (feed.tags) {
    const options = typeof feed.tags === 'object' && !Array.isArray(feed.tags) ? (feed.tags as Record<string, unknown>) : {};
    tags = { only: Array.isArray(options.only) ? strings(options.only) : undefined, except: strings(options.except), path: leading(text(options.path) || '/feed/by_tag/') };
  }
  // The site's author is `author` of _config.yml; a name set in recap.config.yml wins, as for every key.
  const siteAuthor = readAuthor(values.author);
  const author = config.author ? { email: '', uri: '', ...siteAuthor, name: config.author } : siteAuthor;
  return {
    path: leading(text(feed.path) || '/feed.xml'),
    title: values.title !== undefined && values.title !== null ? config.title : text(values.name),
    tags,
    categories: strings(feed.categories),
    format: { author, authorIsName: values.author === null || typeof values.author !== 'object', dataAuthors: readDataAuthors(config.root), lang: text(values.lang), excerptOnly: liquidTruthy(feed.excerpt_only), xsl: fs.existsSync(path.join(config.root, 'feed.xslt.xml')) },
    taken: (feedPath) => fs.existsSync(path.join(config.root, feedPath)),
  };
}

/** jekyll-feed sorts by date, newest first; posts of the same date and time stay in path order (its sort is stable over Jekyll's path order). */
export function jekyllFeedOrder(posts: PlannedPost[]): PlannedPost[] {
  return [...posts].sort((a, b) => b.post.date.getTime() - a.post.date.getTime() || (a.post.source < b.post.source ? -1 : a.post.source > b.post.source ? 1 : 0));
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** The posts feed, a feed per category and per tag, as the settings ask; `posts` are every built post, drafts only with --drafts. */
export function planJekyllFeeds(config: SiteConfig, settings: JekyllFeedSettings, posts: PlannedPost[], errors: SiteError[]): FeedPage[] {
  const { title } = settings;
  const ordered = jekyllFeedOrder(posts);
  const format: JekyllFeedFormat = { ...settings.format, time: config.now };
  const feeds: FeedPage[] = [];
  const add = (feedPath: string, feedTitle: string, chosen: PlannedPost[], what: string) => {
    // feed.path and feed.categories come from _config.yml: checked as every path recap writes is.
    const resolved = resolveUrlPath(feedPath);
    if (typeof resolved === 'string') return void errors.push(new ConfigError(JEKYLL_CONFIG_FILE, `"feed": ${what} at ${shown(feedPath)} ${resolved}`));
    if (settings.taken(feedPath)) return;
    const url = withBase(config.basePath, resolved.url);
    feeds.push({ kind: 'feed', outPath: resolved.outPath, url, origin: { file: '', what }, title: feedTitle, alternateUrl: config.basePath, posts: chosen.slice(0, config.feedLimit), jekyllFeed: format });
  };
  for (const category of settings.categories) {
    add(`/feed/${category}.xml`, title && `${title} | ${capitalize(category)}`, ordered.filter((p) => p.post.categories.includes(category)), `the feed of category "${category}"`);
  }
  add(settings.path, title, ordered, 'the feed');
  if (settings.tags) {
    const all = [...new Set(ordered.flatMap((p) => p.post.tags))];
    const { only, except } = settings.tags;
    for (const tag of (only ?? all).filter((t) => !except.includes(t) && TAG_FEED_NAME.test(t) && all.includes(t))) {
      add(`${settings.tags.path}${tag}.xml`, title, ordered.filter((p) => p.post.tags.includes(tag)), `the feed of tag "${tag}"`);
    }
  }
  return feeds;
}

/** jekyll-feed makes tag feeds only for names of letters, digits and "_", to keep their paths simple. */
const TAG_FEED_NAME = /^[A-Za-z0-9_]+$/;

/** The URL of a tag's feed under `feed: tags` ("" when the settings make none for the tag). */
export function jekyllTagFeedUrl(config: SiteConfig, settings: JekyllFeedSettings, tag: string): string {
  const tags = settings.tags;
  if (!tags || !TAG_FEED_NAME.test(tag) || tags.except.includes(tag) || (tags.only && !tags.only.includes(tag))) return '';
  return withBase(config.basePath, `${tags.path}${tag}.xml`);
}

/**
 * jekyll-feed's `post.id`: the folder of the post's URL and its slug (front matter `slug`, or the
 * file name's), so `/2020/05/01/talk.html` and `/talks/talk/` have ids `/2020/05/01/talk` and `/talks/talk`.
 */
export function jekyllPostId(planned: PlannedPost): string {
  const { url, post } = planned;
  const folder = url.replace(/\/$/, '').replace(/\/[^/]*$/, '');
  const slug = typeof post.data.slug === 'string' || typeof post.data.slug === 'number' ? String(post.data.slug) : post.slug.slice(post.slug.lastIndexOf('/') + 1);
  return `${folder}/${slug}`;
}

/** `strip_html | normalize_whitespace` of front-matter text, as HTML text: a title or description with markup reads as it shows. */
const shownText = (raw: string) => collapse(htmlText(raw));
const escapeText = (plain: string) => plain.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);

function authorXml(author: FeedAuthor | undefined): string {
  if (!author) return '<author><name></name></author>';
  return `<author><name>${escapeXml(author.name)}</name>${author.email ? `<email>${escapeXml(author.email)}</email>` : ''}${author.uri ? `<uri>${escapeXml(author.uri)}</uri>` : ''}</author>`;
}

/** The post's `author`, its first `authors`, or the site's; one given by a name found in _data/authors.yml is that entry. */
function entryAuthor(planned: PlannedPost, format: JekyllFeedFormat): FeedAuthor | undefined {
  const { data } = planned.post;
  const own = readAuthor(data.author ?? (Array.isArray(data.authors) ? data.authors[0] : undefined));
  const author = own ?? format.author;
  const isName = own ? typeof (data.author ?? (data.authors as unknown[])[0]) !== 'object' : format.authorIsName;
  return author && isName && Object.hasOwn(format.dataAuthors, author.name) ? format.dataAuthors[author.name] : author;
}

function entryXml(config: SiteConfig, planned: PlannedPost, format: JekyllFeedFormat): string {
  const { post } = planned;
  const link = jekyllAbsoluteUrl(config, planned.url);
  const title = escapeXml(escapeText(smartenText(shownText(post.title))));
  const lang = text(post.data.lang);
  const ownFeed = post.data.feed && typeof post.data.feed === 'object' ? (post.data.feed as Record<string, unknown>) : {};
  // Liquid's `default`: a post's own false, like nil, falls back to the site's setting.
  const excerptOnly = liquidTruthy(ownFeed.excerpt_only) || format.excerptOnly;
  // A redirect_to post stays in the feed, without content: jekyll-redirect-from replaced it.
  const content = post.redirectTo ? '' : planned.html.trim();
  const category = text(post.data.category);
  const categories = category ? [category] : [...new Set(post.categories)];
  const summary = post.description ? shownText(post.description) : collapse(planned.excerpt);
  // `image`, or its `path` (read and checked as a link by the parse stage).
  const image = post.image;
  const imageUrl = image === '' ? '' : image.includes('://') ? image : jekyllAbsoluteUrl(config, image, false);
  return [
    `<entry${lang ? ` xml:lang="${escapeXml(lang)}"` : ''}>`,
    `<title type="html">${title}</title>`,
    `<link href="${escapeXml(link)}" rel="alternate" type="text/html" title="${title}" />`,
    `<published>${xmlSchema(config, post.date)}</published>`,
    `<updated>${xmlSchema(config, post.updated ?? post.date)}</updated>`,
    `<id>${escapeXml(config.url + normalizedPath(jekyllPostId(planned)))}</id>`,
    excerptOnly ? '' : `<content type="html" xml:base="${escapeXml(link)}">${cdata(content)}</content>`,
    authorXml(entryAuthor(planned, format)),
    ...categories.map((c) => `<category term="${escapeXml(c)}" />`),
    ...post.tags.map((t) => `<category term="${escapeXml(t)}" />`),
    summary ? `<summary type="html">${cdata(escapeText(summary))}</summary>` : '',
    imageUrl
      ? `<media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="${escapeXml(imageUrl)}" /><media:content medium="image" url="${escapeXml(imageUrl)}" xmlns:media="http://search.yahoo.com/mrss/" />`
      : '',
    '</entry>',
  ].join('');
}

/** A feed in jekyll-feed's format (`page.jekyllFeed` set). */
export function renderJekyllFeed(config: SiteConfig, page: FeedPage, format: JekyllFeedFormat): string {
  const self = jekyllAbsoluteUrl(config, page.url);
  const home = jekyllAbsoluteUrl(config, config.basePath);
  const lang = format.lang ? escapeXml(format.lang) : '';
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    format.xsl ? `<?xml-stylesheet type="text/xml" href="${escapeXml(jekyllAbsoluteUrl(config, '/feed.xslt.xml', false))}"?>` : '',
    `<feed xmlns="http://www.w3.org/2005/Atom" ${lang ? `xml:lang="${lang}"` : ''}>`,
    '<generator>recap</generator>',
    `<link href="${escapeXml(self)}" rel="self" type="application/atom+xml" />`,
    `<link href="${escapeXml(home)}" rel="alternate" type="text/html" ${lang ? `hreflang="${lang}" ` : ''}/>`,
    `<updated>${xmlSchema(config, format.time, true)}</updated>`,
    `<id>${escapeXml(self)}</id>`,
    page.title ? `<title type="html">${escapeXml(escapeText(smartenText(page.title)))}</title>` : '',
    config.description ? `<subtitle>${escapeXml(config.description)}</subtitle>` : '',
    format.author ? authorXml(format.author) : '',
    ...page.posts.map((p) => entryXml(config, p, format)),
    '</feed>',
  ].join('');
}
