import path from 'node:path';

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
  /**
   * For a URL without a trailing slash or extension written as Jekyll writes it (`/x` → `x.html`):
   * `x/index.html`, where a redirect to the file lets hosts that do not try `.html` (S3, nginx)
   * reach it too.
   */
  folderAlias?: string;
}

/**
 * How a URL path without a trailing slash or a file extension (`/cnl-slack`) is written: recap's
 * `folder` (`cnl-slack/index.html`, URL `/cnl-slack/`), or Jekyll's `html-file` (`cnl-slack.html`,
 * URL `/cnl-slack`, which GitHub Pages, Netlify and Cloudflare Pages serve for `/cnl-slack`).
 */
export type ExtensionlessStyle = 'folder' | 'html-file';

/**
 * Characters no URL path recap writes may hold, written or percent-encoded: control characters
 * (browsers drop tabs and newlines from a URL, so the page could never be reached; U+0085 ends a
 * line for some parsers of line-based files like _redirects) and every space but the plain one,
 * with zero-width and direction marks: invisible, or looking like a plain space, they come from a
 * paste and make a URL nobody can type. A plain space is allowed; it is percent-encoded wherever a
 * URL is written into a text format (see theme/redirects.ts).
 */
const INVISIBLE = /(?! )[\p{Cc}\p{Cf}\p{Z}]/u;

/** Names of the invisible characters people meet, for messages; others are named by code point alone. */
const CHARACTER_NAMES: Record<string, string> = {
  '\t': 'a tab',
  '\n': 'a line break',
  '\r': 'a carriage return',
  '\u0085': 'a "next line" control character',
  '\u00a0': 'a no-break space',
  '\u200b': 'a zero-width space',
  '\u2028': 'a line separator',
  '\u2029': 'a paragraph separator',
  '\u3000': 'an ideographic space',
  '\ufeff': 'a byte order mark',
};

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` holds an invisible character, or undefined. */
export function invisibleCharacterReason(text: string): string | undefined {
  const c = INVISIBLE.exec(text)?.[0];
  if (c === undefined) return undefined;
  if (/\p{Cc}/u.test(c)) {
    return `contains ${codePoint(c)} (${CHARACTER_NAMES[c] ?? 'a control character'}): browsers drop control characters from a URL or cannot send them; remove it`;
  }
  if (/\p{Z}/u.test(c)) return `contains ${codePoint(c)} (${CHARACTER_NAMES[c] ?? 'a space'}), which looks like a plain space or nothing at all; remove it, or type a plain space`;
  return `contains ${codePoint(c)} (${CHARACTER_NAMES[c] ?? 'an invisible character'}), which cannot be seen; remove it`;
}

/**
 * Netlify and Cloudflare Pages read `*` in a `_redirects` path as "anything" and a segment starting
 * with ":" as a placeholder: such a path written there would redirect other pages too. Percent-
 * encoded (%2A, %3A) they are plain characters, so that is the way to write one a URL really has.
 */
export function redirectPatternReason(urlPath: string): string | undefined {
  if (urlPath.includes('*')) return 'has a "*", which _redirects files read as "anything"; write %2A if the URL really has one';
  const placeholder = /(?:^|\/):[^/]*/.exec(urlPath)?.[0].replace(/^\//, '');
  if (placeholder !== undefined) {
    return `has "${placeholder}" at the start of a segment, which reads as a placeholder (and as a pattern in _redirects); write %3A if the URL really has a ":" there`;
  }
  return undefined;
}

/** File names starting with this are recap's own: the output marker (.recap-built), the cache, lock and temporary files. */
export const RESERVED_NAME_PREFIX = '.recap-';

/** Most file systems' limit for one file or folder name, in bytes. */
export const MAX_NAME_BYTES = 255;

/** Why one decoded path segment cannot be a file or folder name recap writes, or undefined. */
export function unwritableNameReason(name: string): string | undefined {
  if (name.normalize('NFC').toLowerCase().startsWith(RESERVED_NAME_PREFIX)) {
    return `uses the name "${name}": names starting with "${RESERVED_NAME_PREFIX}" are recap's own (its output marker, cache, lock and temporary files); choose another`;
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) return `has a segment of ${bytes} bytes (${shown(name)}); file systems allow ${MAX_NAME_BYTES} at most: shorten it`;
  return undefined;
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
    const invisible = invisibleCharacterReason(decoded);
    if (invisible) return invisible;
  }
  return redirectPatternReason(urlPath);
}

/** Names that are files on a static host; anything else (`kubernetes-1.14`) is a folder with an index.html. */
const FILE_EXTENSION = /\.(html?|xml|json|txt|rss|atom|css|js|mjs|map|svg|png|jpe?g|gif|webp|avif|ico|pdf|webmanifest|woff2?)$/i;

/**
 * A value placed into a URL path segment (a slug), percent-encoded so `#`, `?` and `%` stay part of
 * it, and `*` and `:` (which _redirects would read as patterns) are plain characters.
 */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/\*/g, '%2A');
}

/**
 * Maps a site-relative URL path to its output file: "/a/" → "a/index.html", "/a.html" → "a.html",
 * and "/a" (no extension) → "a/index.html" with the URL "/a/", which every static host serves, or
 * in the `html-file` style "a.html" with the URL "/a". Returns a reason string when the path is unsafe.
 */
export function resolveUrlPath(input: string, extensionless: ExtensionlessStyle = 'folder'): ResolvedPath | string {
  let urlPath = input.trim();
  if (urlPath === '') return 'is empty';
  if (!urlPath.startsWith('/') && urlScheme(urlPath) === undefined) urlPath = '/' + urlPath;
  const reason = unsafeReason(urlPath);
  if (reason) return reason;
  const segments = urlPath.split('/').slice(1).map((s) => decodeURIComponent(s));
  const last = segments[segments.length - 1];
  let fileSegments: string[];
  let url: string;
  let folderAlias: string | undefined;
  if (last === '') {
    fileSegments = [...segments.slice(0, -1), 'index.html'];
    url = urlPath;
  } else if (FILE_EXTENSION.test(last)) {
    fileSegments = segments;
    url = urlPath;
  } else if (extensionless === 'html-file' && !last.includes('.')) {
    fileSegments = [...segments.slice(0, -1), `${last}.html`];
    url = urlPath;
    folderAlias = [...segments, 'index.html'].join('/');
  } else {
    fileSegments = [...segments, 'index.html'];
    url = urlPath + '/';
  }
  for (const name of fileSegments) {
    const reason = unwritableNameReason(name);
    if (reason) return reason;
  }
  const outPath = fileSegments.join('/');
  // Belt and braces: whatever the string checks missed, the resolved path must stay inside.
  const resolved = path.posix.resolve('/out', outPath);
  if (!resolved.startsWith('/out/')) return 'would be written outside the output folder';
  return folderAlias === undefined ? { outPath, url } : { outPath, url, folderAlias };
}

/**
 * A link written relative to a page (`room.jpg`, `slides.pdf` in a recap post's own folder), as the
 * site path it names, so it works on every page that shows it (an index, a speaker's page); a site
 * path, a URL, or a bare `#…`/`?…` is returned as it is.
 */
export function linkBesidePage(link: string, pageUrl: string): string {
  if (link === '' || link.startsWith('/') || link.startsWith('#') || link.startsWith('?') || urlScheme(link) !== undefined) return link;
  const resolved = new URL(link, `https://site.invalid${pageUrl}`);
  return resolved.pathname + resolved.search + resolved.hash;
}

/** A path from the site's root ("/x"), not a URL of another host ("//host/x") or a relative one. */
export function isSiteRootPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//');
}

/**
 * A link from front matter, config or a planned URL as an absolute URL: a site path gets the base
 * path and the site's `url` (without one it stays a path; the build warns), a protocol-relative
 * `//host/x` the site's scheme (https without a url), anything else is returned as it is.
 * Feeds, JSON-LD, share cards and events.ics need absolute URLs.
 */
export function absoluteUrl(link: string, config: { url: string; basePath: string }): string {
  if (link.startsWith('//')) return `${config.url ? new URL(config.url).protocol : 'https:'}${link}`;
  const withBasePath = addBasePath(link, config.basePath);
  return isSiteRootPath(withBasePath) ? config.url + withBasePath : withBasePath;
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

/** Longer values are cut in messages, keeping both ends: an error stays one readable line. */
const SHOWN_LENGTH = 80;

/** A value quoted for a message, with control and invisible characters (a NUL in a path, a no-break space) made visible. */
export function shown(value: string): string {
  const chars = [...value];
  const text = chars.length > SHOWN_LENGTH ? `${chars.slice(0, SHOWN_LENGTH / 2).join('')}…${chars.slice(-SHOWN_LENGTH / 4).join('')}` : value;
  const visible = text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/(?! )[\p{Cc}\p{Cf}\p{Z}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
  return `"${visible}"${chars.length > SHOWN_LENGTH ? ` (${chars.length} characters)` : ''}`;
}
