/**
 * What templates see: a view of each post (front matter plus recap's values), the `site` object,
 * and a tracker of what a render read beyond its own data, which incremental builds rely on.
 */
import nunjucks from 'nunjucks';
import { sha1 } from '../util/hash.js';
import type { FeedBodies } from './feeds.js';
import type { CopiedFile, PlannedPost, Post, SiteConfig, SitePlan, Tag } from '../pipeline/types.js';
import { isUpcoming } from '../events/timing.js';
import { eventView } from './event-view.js';
import { linkBesidePage, withBase } from '../util/urls.js';
import type { SiteRenderer } from '../pipeline/dialect.js';
import type { SiteImages } from '../images/site-images.js';
import { textDirection } from '../i18n/languages.js';
import { MEETUP, meetupViews, speakerLinks, type SpeakerPages } from './talk-views.js';
import { slugifyTag } from '../util/slugs.js';

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

export interface PostView {
  /** URL, tags and body the view was made with; the rest comes from the (immutable) Post. */
  url: string;
  tags: Tag[];
  html: string;
  /** Whether its event was upcoming at the build's `now` (undefined: it has none): the view changes when it ends. */
  upcoming?: boolean;
  /** Its talks' speakers' pages (speakerLinks): they come and go with other posts. */
  speakerUrls: string[];
  view: Record<string, unknown>;
  /** Changes when anything a listing can show of the post changes, its body aside. */
  metaKey: string;
  /** metaKey plus the body. */
  fullKey: string;
}

/** Post views and their keys, kept per Post object; valid for one config and one tracker. */
export interface ViewMemo {
  tracker: RenderTracker;
  views: WeakMap<Post, PostView>;
  /** Feed bodies with absolute links, per planned post. */
  feedBodies: FeedBodies;
}

export function createViewMemo(): ViewMemo {
  return { tracker: { siteListingUsed: false, contentUsed: false, pagesUsed: false }, views: new WeakMap(), feedBodies: new WeakMap() };
}

/** Everything pages share, computed once per build rather than once per page. */
export interface RenderContext {
  config: SiteConfig;
  templates: nunjucks.Environment;
  site: Record<string, unknown>;
  views: Map<PlannedPost, PostView>;
  /** The views behind site.posts, in site order, and behind site.pages. */
  listing: Record<string, unknown>[];
  pageListing: Record<string, unknown>[];
  tracker: RenderTracker;
  feedBodies: FeedBodies;
  /** Renders posts and pages in the site's own layouts, when the plan says so (a Jekyll site's). */
  ownLayouts?: SiteRenderer;
  /** The site's images, when pages' images are resized (images.enabled). */
  images?: SiteImages;
  /** Each speaker's page by their name, from the plan. */
  speakerPage: SpeakerPages;
}

/** The values every template, post bodies included, sees as `site`. */
export function siteTemplateData(config: SiteConfig): Record<string, unknown> {
  return {
    title: config.title,
    description: config.description,
    url: config.url,
    basePath: config.basePath,
    language: config.language,
  };
}

/** The icons a browser asks a site's root for, best first: the site's own one replaces the theme's. */
const OWN_FAVICONS = ['favicon.svg', 'favicon.png', 'favicon.ico'];

/** The URL of the site's own favicon (from static/, or a Jekyll site's root), or "" when it has none. */
export function ownFavicon(config: SiteConfig, copies: readonly CopiedFile[]): string {
  const name = OWN_FAVICONS.find((file) => copies.some((copy) => copy.outPath === file));
  return name ? withBase(config.basePath, `/${name}`) : '';
}

export function tagView(tag: Tag): Record<string, unknown> {
  return { name: tag.name, slug: tag.slug, url: tag.url, feedUrl: tag.feedUrl, count: tag.posts.length };
}

/**
 * A recap post's `image: room.jpg` is the photo in its own folder (posts/<name>/room.jpg, copied
 * beside its page): as a site path it shows on index and tag pages too, where the name alone would
 * point at nothing. A Jekyll site's relative image stays as written (jekyll-seo-tag reads it from
 * the site's root).
 */
const imageBesidePost = linkBesidePage;

/** A page's language, the one its theme strings, `lang` and `dir` follow: its own, or the site's. */
export function languageOf(config: SiteConfig, post: Post): { language: string; dir: 'rtl' | 'ltr' } {
  const language = post.language ?? config.language;
  return { language, dir: textDirection(language) };
}

/** What templates see of a post: every front-matter key, then recap's own values on top. */
function postView(config: SiteConfig, planned: PlannedPost, tags: Tag[], tracker: RenderTracker, speakerPage: SpeakerPages): PostView {
  const { post } = planned;
  // No count here: a post's page should not change when another post adds its tag.
  const tagViews = tags.map((tag) => ({ name: tag.name, slug: tag.slug, url: tag.url }));
  const view: Record<string, unknown> = {
    ...post.data,
    title: post.title,
    description: post.description,
    image: config.jekyll === undefined ? imageBesidePost(post.image, planned.url) : post.image,
    date: post.date,
    slug: post.slug,
    url: planned.url,
    source: post.source,
    tags: tagViews,
    draft: post.draft,
    excerpt: planned.excerpt,
    ...languageOf(config, post),
  };
  const upcoming = post.event && isUpcoming(config, post.event);
  // Only an event recap read (its links checked): a Jekyll site's own `event:` is its Liquid's (jekyll-payload.ts), never the theme's meetup box.
  const event = post.event && eventView(config, planned, post.event, upcoming === true);
  if (event) view.event = event;
  else delete view.event;
  // A recap post's talks and sponsors as read (speakers' pages, links beside the post), and its event; the JSON-LD's under a key templates cannot reach.
  const meetup = meetupViews(planned, event, speakerPage);
  const speakerUrls = speakerLinks(post, speakerPage);
  if (meetup) {
    Object.assign(view, { talks: meetup.talks, sponsors: meetup.sponsors });
    Object.defineProperty(view, MEETUP, { value: meetup.data });
  }
  const content = new nunjucks.runtime.SafeString(planned.html);
  Object.defineProperty(view, 'content', { enumerable: true, get: () => ((tracker.contentUsed = true), content) });
  const metaKey = sha1(JSON.stringify([post.source, post.slug, post.data, post.title, post.date.getTime(), planned.url, tagViews, post.draft, planned.excerpt, upcoming, speakerUrls]));
  return { url: planned.url, tags, html: planned.html, upcoming, speakerUrls, view, metaKey, fullKey: `${metaKey}:${sha1(planned.html)}` };
}

/** Whether a kept view still shows this URL, body and these tags (names can change with other posts). */
function viewIsCurrent(config: SiteConfig, kept: PostView, planned: PlannedPost, tags: Tag[], speakerPage: SpeakerPages): boolean {
  if (kept.url !== planned.url || kept.html !== planned.html || kept.tags.length !== tags.length) return false;
  if (kept.upcoming !== (planned.post.event && isUpcoming(config, planned.post.event))) return false;
  if (speakerLinks(planned.post, speakerPage).join('\n') !== kept.speakerUrls.join('\n')) return false;
  return kept.tags.every((tag, i) => tag.name === tags[i].name && tag.url === tags[i].url);
}

export function createRenderContext(config: SiteConfig, templates: nunjucks.Environment, plan: SitePlan, memo: ViewMemo = createViewMemo()): RenderContext {
  const views = new Map<PlannedPost, PostView>();
  const speakerPages = new Map(plan.speakers.map((speaker) => [speaker.slug, speaker.url]));
  const speakerPage: SpeakerPages = (name) => speakerPages.get(slugifyTag(name)) ?? '';
  // Upcoming events are posts not listed yet (or pages): their views are made all the same.
  for (const planned of new Set([...plan.posts, ...plan.pages, ...plan.upcoming])) {
    const tags = plan.postTags.get(planned) ?? [];
    let kept = memo.views.get(planned.post);
    if (!kept || !viewIsCurrent(config, kept, planned, tags, speakerPage)) {
      kept = postView(config, planned, tags, memo.tracker, speakerPage);
      memo.views.set(planned.post, kept);
    }
    views.set(planned, kept);
  }
  const listing = plan.posts.map((p) => views.get(p)!.view);
  const pageListing = plan.pages.map((p) => views.get(p)!.view);
  const upcoming = plan.upcoming.map((p) => views.get(p)!.view);
  const tags = plan.tags.map(tagView);
  const { tracker } = memo;
  // The site's feed as the plan has it ("" when the site has none: a Jekyll site without jekyll-feed); its search page likewise ("" without search).
  // speakersUrl and sponsorsUrl: "" when the site has no such page (no listed post has talks, or sponsors).
  const site = Object.defineProperties({ ...siteTemplateData(config), feedUrl: plan.feedUrl, searchUrl: plan.searchUrl, favicon: ownFavicon(config, plan.copies), calendarUrl: plan.calendarUrl, speakersUrl: plan.speakersUrl, sponsorsUrl: plan.sponsorsUrl }, {
    posts: { enumerable: true, get: () => ((tracker.siteListingUsed = true), listing) },
    // The upcoming events, soonest first: a theme's banner on every page (the default theme's home page has its own `upcoming`).
    upcoming: { enumerable: true, get: () => ((tracker.siteListingUsed = true), upcoming) },
    tags: { enumerable: true, get: () => ((tracker.siteListingUsed = true), tags) },
    pages: { enumerable: true, get: () => ((tracker.pagesUsed = true), pageListing) },
  });
  return { config, templates, site, views, listing, pageListing, tracker, feedBodies: memo.feedBodies, speakerPage };
}
