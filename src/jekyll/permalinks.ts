import path from 'node:path';
import { slugify } from './slugify.js';
import { isMarkdownFile } from '../util/files.js';
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
    title: encodeSegment(slugify(slugSource, 'pretty', true)),
    slug: encodeSegment(slugify(slugSource, 'default')),
    categories: [...new Set(post.categories.map((c) => c.toLowerCase()))].map(encodeSegment).join('/'),
    output_ext: outputExtension(post.source),
    path: folder.split('/').map(encodeSegment).join('/'),
    basename: encodeSegment(post.slug.slice(post.slug.lastIndexOf('/') + 1)),
  };
}


/** The extension a source is written with: markdown becomes .html, any other page keeps its own (search.json, feed.xml). */
function outputExtension(source: string): string {
  const extension = path.posix.extname(source);
  return extension === '' || isMarkdownFile(source) ? '.html' : extension;
}

/** A Jekyll post's or page's URL path: an index page is its folder; empty placeholders leave "//", which Jekyll collapses. */
export function jekyllUrlPath(jekyll: JekyllSettings, permalink: string, post: Post): string {
  const output = outputExtension(post.source);
  const isIndex = post.collection === 'pages' && /(^|\/)index$/.test(post.slug) && output === '.html';
  // Only HTML pages follow the site's style: search.json stays search.json.
  const pagePattern = output === '.html' || output === '.htm' ? jekyll.pagePermalink : '/:path/:basename:output_ext';
  const pattern = post.permalink || (post.collection === 'pages' ? (isIndex ? '/:path/' : pagePattern) : permalink);
  return expandPattern(pattern, jekyllValues(post)).result.replace(/\/{2,}/g, '/');
}
