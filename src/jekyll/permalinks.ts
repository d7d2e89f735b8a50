import { jekyllSlugify } from './config.js';
import type { JekyllSettings, Post } from '../pipeline/types.js';
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


/** A Jekyll post's or page's URL path: an index page is its folder; empty placeholders leave "//", which Jekyll collapses. */
export function jekyllUrlPath(jekyll: JekyllSettings, permalink: string, post: Post): string {
  const isIndex = post.collection === 'pages' && /(^|\/)index$/.test(post.slug);
  const pattern = post.permalink || (post.collection === 'pages' ? (isIndex ? '/:path/' : jekyll.pagePermalink) : permalink);
  return expandPattern(pattern, jekyllValues(post)).result.replace(/\/{2,}/g, '/');
}
