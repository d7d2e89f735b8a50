import { jekyllSlugify } from '../jekyll/config.js';
import type { Post, SiteConfig } from './types.js';
import { pad } from '../util/dates.js';
import { encodeSegment, expandPattern } from '../util/urls.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Jekyll's placeholders for a post or page. */
function jekyllValues(post: Post): Record<string, string> {
  const date = post.date;
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - start) / 86_400_000) + 1;
  // ISO 8601 week number: the week of the Thursday of this date's week.
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 4 - (date.getUTCDay() || 7)));
  const week = Math.ceil(((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  const slugSource = typeof post.data.slug === 'string' ? post.data.slug : post.slug.slice(post.slug.lastIndexOf('/') + 1);
  const folder = post.slug.includes('/') ? post.slug.slice(0, post.slug.lastIndexOf('/')) : '';
  return {
    year: String(date.getUTCFullYear()),
    month: pad(date.getUTCMonth() + 1),
    i_month: String(date.getUTCMonth() + 1),
    day: pad(date.getUTCDate()),
    i_day: String(date.getUTCDate()),
    short_year: pad(date.getUTCFullYear() % 100),
    y_day: String(dayOfYear).padStart(3, '0'),
    week: pad(week),
    short_day: DAYS[date.getUTCDay()],
    title: encodeSegment(jekyllSlugify(slugSource, 'pretty', true)),
    slug: encodeSegment(jekyllSlugify(slugSource, 'default')),
    categories: [...new Set(post.categories.map((c) => c.toLowerCase()))].map(encodeSegment).join('/'),
    output_ext: '.html',
    path: folder.split('/').map(encodeSegment).join('/'),
    basename: encodeSegment(post.slug.slice(post.slug.lastIndexOf('/') + 1)),
  };
}

/** The URL path a post's (or page's) permalink gives it, before basePath and before it is checked. */
export function postUrlPath(config: SiteConfig, post: Post): string {
  if (config.jekyll) {
    // Jekyll: an index page is its folder; empty placeholders leave "//", which Jekyll collapses.
    const isIndex = post.collection === 'pages' && /(^|\/)index$/.test(post.slug);
    const pattern = post.permalink || (post.collection === 'pages' ? (isIndex ? '/:path/' : config.jekyll.pagePermalink) : config.permalink);
    return expandPattern(pattern, jekyllValues(post)).result.replace(/\/{2,}/g, '/');
  }
  if (post.collection === 'pages' && !post.permalink) return `/${post.slug.split('/').map(encodeSegment).join('/')}/`;
  const values = {
    year: String(post.date.getUTCFullYear()),
    month: pad(post.date.getUTCMonth() + 1),
    day: pad(post.date.getUTCDate()),
    slug: encodeSegment(post.slug),
    title: encodeSegment(post.slug),
  };
  return expandPattern(post.permalink || config.permalink, values).result;
}
