/**
 * What a page is rendered from, as a list of keys: equal lists, equal pages (for one set of
 * templates). Unchanged posts give the very same key strings, so comparing two fingerprints is
 * cheap even for a tag page listing thousands of posts.
 */
import fs from 'node:fs';
import type { Page, PlannedPost, SitePlan } from '../pipeline/types.js';
import type { RenderContext } from '../theme/views.js';
import { sha1 } from '../util/hash.js';

/** The pages the theme's base layout wraps: they show the site's favicon (which comes and goes with a file in static/), and link events.ics, the speakers and the sponsors when the site has them. */
const THEME_PAGES = new Set<Page['kind']>(['post', 'page', 'index', 'tag', 'tags', 'notFound', 'speakers', 'speaker', 'sponsors', 'search']);

/** Other posts count by their metaKey, or by their fullKey when the page reads bodies; a page in the site's own layouts, by the site renderer's keys. */
export function pageFingerprint(context: RenderContext, page: Page, usesContent: boolean, ownLayout?: { contentOf: readonly string[] }): string[] {
  if (ownLayout && context.ownLayouts && (page.kind === 'post' || page.kind === 'page')) return context.ownLayouts.fingerprint(page, ownLayout.contentOf);
  const keys = renderedFrom(context, page, usesContent);
  // The site's events.ics comes with its first event: every page of the theme links it then.
  if (THEME_PAGES.has(page.kind)) keys.push(`favicon:${String(context.site.favicon ?? '')}`, `calendar:${String(context.site.calendarUrl ?? '')}`);
  // The header links the speakers, a post's sponsors the sponsors page: where they are comes and goes with other posts and pages.
  if (THEME_PAGES.has(page.kind)) keys.push(`talks:${String(context.site.speakersUrl ?? '')} ${String(context.site.sponsorsUrl ?? '')}`);
  return keys;
}

function renderedFrom(context: RenderContext, page: Page, usesContent: boolean): string[] {
  const key = (p: PlannedPost | undefined) => {
    const view = p && context.views.get(p);
    return view ? (usesContent ? view.fullKey : view.metaKey) : '';
  };
  switch (page.kind) {
    case 'post':
      return [page.kind, page.post.layout, context.views.get(page.post)?.fullKey ?? '', key(page.previous), key(page.next)];
    case 'index':
      // The upcoming events' keys hold whether each is still upcoming: a build after one ended renders the page again.
      return [page.kind, page.url, String(page.totalPages), page.previousUrl, page.nextUrl, ...page.posts.map(key), 'upcoming', ...page.upcoming.map(key)];
    case 'tag':
      // The tag's count shows on every one of its pages.
      return [page.kind, page.url, page.tag.name, String(page.tag.posts.length), String(page.totalPages), page.previousUrl, page.nextUrl, ...page.posts.map(key)];
    case 'tags':
      return [page.kind, page.url, ...page.tags.flatMap((t) => [t.name, t.url, String(t.posts.length)])];
    case 'speakers':
      return [page.kind, page.url, ...page.speakers.flatMap((s) => [s.name, s.url, String(s.talks.length)])];
    // A talk shows with its post's title, date and URL, which the post's metaKey covers with its talks: (the post's data).
    case 'speaker':
      return [page.kind, page.url, page.speaker.name, ...page.speaker.talks.map(({ talk, post }) => `${key(post)}:${post.post.talks?.indexOf(talk) ?? -1}`)];
    case 'sponsors':
      return [page.kind, page.url, ...page.sponsors.flatMap((s) => [s.name, s.url, s.logo, ...s.posts.map(key)])];
    case 'redirect':
      return [page.kind, page.target];
    case 'redirectList': {
      const own = page.prependFrom ? fs.statSync(page.prependFrom) : undefined;
      return [page.kind, JSON.stringify([page.redirects, page.prependFrom, own?.mtimeMs, own?.size])];
    }
    case 'feed':
      return [page.kind, page.url, page.title, JSON.stringify(page.jekyllFeed ?? null), ...page.posts.map((p) => key(p) || unlistedKey(p))];
    case 'sitemap':
      return [page.kind, JSON.stringify([page.entries, page.style])];
    case 'robots':
      return [page.kind, page.sitemapUrl, page.style];
    case 'redirectsJson':
      return [page.kind, JSON.stringify(page.redirects)];
    case 'calendar':
      return [page.kind, page.url, ...page.events.map(calendarKey)];
    case 'compiled':
      return [page.kind, sha1(page.contents)];
    case 'page':
      return [page.kind, page.page.layout, context.views.get(page.page)?.fullKey ?? ''];
    case 'notFound':
      return [page.kind, page.url];
    case 'search':
      return [page.kind, page.url];
  }
}

/**
 * A post that has no view (a redirect_to post: jekyll-feed lists it, no page shows it) counts by
 * what a feed shows of it; its body does not show.
 */
function unlistedKey(planned: PlannedPost): string {
  const { post } = planned;
  return sha1(JSON.stringify([post.source, post.data, post.title, post.date.getTime(), planned.excerpt, planned.url]));
}

/** What events.ics shows of an event's post: its metadata and excerpt, never its body or whether the event is still to come. */
function calendarKey(planned: PlannedPost): string {
  const { post } = planned;
  return sha1(JSON.stringify([post.source, post.collection, post.title, post.description, planned.excerpt, post.event, post.date.getTime(), post.updated?.getTime(), planned.url]));
}

export function sameFingerprint(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Keys of what site-wide values show: site.posts and site.tags by meta or full post keys, and site.pages. */
export interface ListingKeys {
  meta: string;
  full: string;
  pages: string;
}

export function listingKeys(context: RenderContext, plan: SitePlan): ListingKeys {
  const tags = plan.tags.map((t) => [t.name, t.url, t.posts.length]);
  // site.upcoming is a site-wide listing too (views.ts).
  const posts = (full: boolean) => [...plan.posts, ...plan.upcoming].map((p) => (full ? context.views.get(p)?.fullKey : context.views.get(p)?.metaKey));
  const upcoming = plan.upcoming.length;
  return {
    meta: sha1(JSON.stringify([posts(false), upcoming, tags])),
    full: sha1(JSON.stringify([posts(true), upcoming, tags])),
    pages: sha1(JSON.stringify(plan.pages.map((p) => context.views.get(p)?.metaKey))),
  };
}
