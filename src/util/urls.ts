import path from 'node:path';
import { trimOf } from './text.js';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** A URL's scheme in lower case ("https", "mailto", "javascript"), or undefined for a path. */
export function urlScheme(value: string): string | undefined {
  return SCHEME.exec(value)?.[1].toLowerCase();
}

/** A URL with a scheme, or protocol-relative ("//host/x"): it leads out of the site's own paths. */
export function isAbsoluteUrl(value: string): boolean {
  return SCHEME.test(value) || value.startsWith('//');
}

/** A URL path inside the site, resolved to the file a static host serves for it. */
export interface ResolvedPath {
  /** Relative to the output folder, "/" separators, never escaping it. */
  outPath: string;
  /** Site-relative URL path (without basePath), as links should spell it. */
  url: string;
}

/**
 * Why a site-relative URL path cannot be written as a file, or undefined when it can.
 * Checked on the decoded segments, since that is what a static host maps to the disk.
 */
function unsafeReason(urlPath: string): string | undefined {
  if (urlPath.includes('\\')) return 'contains a backslash';
  if (urlPath.includes('\0')) return 'contains a NUL byte';
  if (urlPath.startsWith('//')) return 'starts with "//", which browsers read as another host';
  if (urlScheme(urlPath) !== undefined) return 'is a URL with a scheme, not a path';
  if (/[?#]/.test(urlPath)) return 'has a "?" or "#": a static host serves files, not queries or fragments';
  const segments = urlPath.split('/').slice(1);
  for (let i = 0; i < segments.length; i++) {
    const raw = segments[i];
    if (raw === '' && i < segments.length - 1) return 'has an empty segment ("//")';
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return `has a malformed percent-encoding in "${raw}"`;
    }
    if (decoded === '.' || decoded === '..') return 'has a "." or ".." segment, which would leave its folder';
    if (/[/\\\0]/.test(decoded)) return `has an encoded "/", "\\" or NUL in "${raw}"`;
    if (i === 0 && /^[a-z]:$/i.test(decoded)) return 'starts with a Windows drive';
  }
  return undefined;
}

/** Names that are files on a static host; anything else (`kubernetes-1.14`) is a folder with an index.html. */
const FILE_EXTENSION = /\.(html?|xml|json|txt|rss|atom|css|js|mjs|map|svg|png|jpe?g|gif|webp|avif|ico|pdf|webmanifest|woff2?)$/i;

/** A value placed into a URL path segment (a slug), percent-encoded so `#`, `?` and `%` stay part of it. */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Maps a site-relative URL path to its output file: "/a/" → "a/index.html", "/a.html" → "a.html",
 * and "/a" (no extension) → "a/index.html" with the URL "/a/", which every static host serves.
 * Returns a reason string when the path is unsafe.
 */
export function resolveUrlPath(input: string): ResolvedPath | string {
  let urlPath = input.trim();
  if (urlPath === '') return 'is empty';
  if (!urlPath.startsWith('/') && urlScheme(urlPath) === undefined) urlPath = '/' + urlPath;
  const reason = unsafeReason(urlPath);
  if (reason) return reason;
  const segments = urlPath.split('/').slice(1).map((s) => decodeURIComponent(s));
  const last = segments[segments.length - 1];
  let fileSegments: string[];
  let url: string;
  if (last === '') {
    fileSegments = [...segments.slice(0, -1), 'index.html'];
    url = urlPath;
  } else if (FILE_EXTENSION.test(last)) {
    fileSegments = segments;
    url = urlPath;
  } else {
    fileSegments = [...segments, 'index.html'];
    url = urlPath + '/';
  }
  const outPath = fileSegments.join('/');
  // Belt and braces: whatever the string checks missed, the resolved path must stay inside.
  const resolved = path.posix.resolve('/out', outPath);
  if (!resolved.startsWith('/out/')) return 'would be written outside the output folder';
  return { outPath, url };
}

/** A path from the site's root ("/x"), not a URL of another host ("//host/x") or a relative one. */
export function isSiteRootPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//');
}

/**
 * A site-root path with the site's base path added, unless it already starts with it (a link
 * written as "/blog/x" under basePath "/blog/"); anything else is returned as it is.
 */
export function addBasePath(url: string, basePath: string): string {
  if (basePath === '/' || !isSiteRootPath(url) || (url + '/').startsWith(basePath)) return url;
  return withBase(basePath, url);
}

/** Joins the site's basePath ("/" or "/blog/") and a site-relative path ("/x/"). */
export function withBase(basePath: string, sitePath: string): string {
  return basePath + sitePath.replace(/^\/+/, '');
}

/** A tag's URL slug: lower case, each run of characters other than a-z0-9 one "-" (accents dropped first). */
export function slugifyTag(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  return trimOf(slug, '-');
}

/** Fills a permalink pattern's `:name` placeholders; unknown placeholders are left for the caller to report. */
export function expandPattern(pattern: string, values: Record<string, string>): { result: string; unknown: string[] } {
  const unknown: string[] = [];
  const result = pattern.replace(/:([a-z_]+)/g, (match, name: string) => {
    if (Object.hasOwn(values, name)) return values[name];
    unknown.push(match);
    return match;
  });
  return { result, unknown };
}

/** A value quoted for a message, with control characters (a NUL in a path) made visible. */
export function shown(value: string): string {
  return `"${value.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}
