import { jekyllUrlPath } from '../jekyll/permalinks.js';
import type { Post, SiteConfig } from './types.js';
import { pad } from '../util/dates.js';
import { encodeSegment, expandPattern } from '../util/urls.js';

/** The URL path a post's (or page's) permalink gives it, before basePath and before it is checked. */
export function postUrlPath(config: SiteConfig, post: Post): string {
  if (config.jekyll) return jekyllUrlPath(config.jekyll, config.permalink, post);
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
