/** How Jekyll's plugins (jekyll-feed, jekyll-sitemap, jekyll-redirect-from) write URLs, dates and escaped text. */
import type { SiteConfig } from '../pipeline/types.js';
import { isAbsoluteUrl } from '../util/urls.js';
import { strftime } from '../util/strftime.js';
import { instantTime, wallClockTime } from '../util/zones.js';

/** Characters a URL path keeps as they are (RFC 3986's unreserved and sub-delims, ":", "@", "/", and "%" of an escape). */
const KEPT_IN_PATH = /[A-Za-z0-9\-._~!$&'()*+,;=:@/%]/;

/**
 * A URL path percent-encoded as Jekyll's `absolute_url` normalizes it (Addressable): `/día uno` →
 * `/d%C3%ADa%20uno`; escapes already there are kept, so an encoded path stays as it is.
 */
export function normalizedPath(urlPath: string): string {
  let out = '';
  for (const c of urlPath) {
    if (KEPT_IN_PATH.test(c)) out += c;
    else for (const byte of new TextEncoder().encode(c)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out.replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
}

/**
 * Jekyll's `absolute_url`: a URL with a scheme stays; anything else is a path of the site (a leading
 * "/" added), with `url` and `baseurl` before it. With `hasBasePath` (recap's planned URLs) the
 * value already starts with the base path; without it (a path from front matter) it is added.
 */
export function jekyllAbsoluteUrl(config: SiteConfig, value: string, hasBasePath = true): string {
  if (isAbsoluteUrl(value)) return value;
  const path = value.startsWith('/') ? value : `/${value}`;
  const sitePath = hasBasePath ? path : config.basePath.replace(/\/$/, '') + path;
  return config.url + normalizedPath(sitePath);
}

/**
 * Jekyll's `date_to_xmlschema` as the plugins print dates, on the clocks of the site's `timezone`
 * (UTC when not set): 2020-05-01T00:00:00+02:00. `date` is a recap date (a clock time there), or
 * with `instant` an instant (the build's time).
 */
export function xmlSchema(config: SiteConfig, date: Date, instant = false): string {
  const timeZone = config.jekyll?.timezone ?? 'UTC';
  return strftime(instant ? instantTime(date, timeZone) : wallClockTime(date, timeZone), '%Y-%m-%dT%H:%M:%S%:z');
}

/** Text as a CDATA section; a "]]>" in it is split across two sections, so the text stays whole. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
