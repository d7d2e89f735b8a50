import fs from 'node:fs';
import path from 'node:path';
import { Parser } from 'htmlparser2';
import { isAbsoluteUrl } from '../util/urls.js';
import { trimEndOf, trimOf } from '../util/text.js';
import { relativePath } from '../util/files.js';

/** A reference in a built page that points at nothing. */
export interface BrokenLink {
  /** The page it is on, relative to the output folder. */
  page: string;
  /** The reference as the page gives it to the browser: entities decoded, surrounding spaces dropped. */
  reference: string;
  problem: string;
}

/**
 * A page whose canonical link or sharing tags give a URL that is not absolute: search engines and
 * the sites a post is shared to (OpenGraph, Twitter cards) read it without the page's address, so a
 * path such as /2024/01/10/x/ leads nowhere there. Recap's theme prints them so when the site has no `url`.
 */
export interface RelativeShareUrl {
  page: string;
  /** Each such tag once, in page order: its name (`<link rel="canonical">`, og:url, og:image, twitter:image) and its value. */
  tags: { tag: string; value: string }[];
}

/** What `recap check` finds in a built site. */
export interface SiteCheck {
  broken: BrokenLink[];
  relativeShareUrls: RelativeShareUrl[];
}

/** What the link check needs from one page, read from its elements (never from its text). */
interface Page {
  /** Distinct references, in the order the page gives them. */
  references: Set<string>;
  /** The fragments an #anchor can point at: ids, and names of <a> elements. */
  ids: Set<string>;
  /** Whether a <meta http-equiv="refresh"> sends the browser elsewhere. */
  redirect: boolean;
  /** Canonical and sharing tags whose URL is not absolute. */
  relativeShareUrls: RelativeShareUrl['tags'];
}

/** Where a reference leads: a file (and the #anchor it asks for, or ''), or why it leads nowhere. */
type Resolution = { file: string; anchor: string } | { problem: string };

// Attributes a browser fetches or follows: href on a, area, link; src on img, script, iframe,
// source, audio, video, track, embed; srcset on img, source; poster on video. Any element carrying
// them is checked. Then the attributes that name anchors or make a redirect page.
// rel and property, with href, name and content, make a canonical link or a sharing tag.
const READ_ATTRIBUTES = new Set(['href', 'src', 'poster', 'srcset', 'id', 'name', 'http-equiv', 'content', 'rel', 'property']);
// The <meta> sharing tags that need an absolute URL, by property (OpenGraph) or name (Twitter; jekyll-seo-tag writes property).
const SHARE_META = new Set(['og:url', 'og:image', 'twitter:image']);
// The whitespace HTML strips around URL attribute values.
const ASCII_SPACE = '\t\n\f\r ';

/** The URLs of a srcset, following HTML's parsing: a URL may hold commas (data: URLs), descriptors may hold parentheses. */
function srcsetUrls(srcset: string): string[] {
  const urls: string[] = [];
  const candidate = /[\t\n\f\r ,]*([^\t\n\f\r ]+)/y;
  let match: RegExpExecArray | null;
  while ((match = candidate.exec(srcset))) {
    let url = match[1];
    if (url.endsWith(',')) {
      // "a.jpg," ends its candidate with no descriptors.
      url = trimEndOf(url, ',');
    } else {
      let depth = 0;
      let i = candidate.lastIndex;
      for (; i < srcset.length && (srcset[i] !== ',' || depth > 0); i++) {
        if (srcset[i] === '(') depth++;
        else if (srcset[i] === ')') depth = Math.max(0, depth - 1);
      }
      candidate.lastIndex = i;
    }
    if (url) urls.push(url);
  }
  return urls;
}

/** Whether a URL stands on its own, as crawlers and link previews need: http(s), with a host. */
function isAbsoluteHttpUrl(value: string): boolean {
  // "https:x" and "//host/x" are URLs only beside a page's own address.
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).host !== '';
  } catch {
    return false;
  }
}

/** The attributes of one <link> or <meta> that make a canonical link or a sharing tag; an element's own, reset for each. */
interface ShareTagAttributes {
  rel: string;
  property: string;
  name: string;
  href: string | undefined;
  content: string | undefined;
}

/** The sharing tag an element is, with the URL it gives, or undefined. */
function shareTag(tag: string, a: ShareTagAttributes): { tag: string; value: string } | undefined {
  if (tag === 'link' && a.href !== undefined && a.rel.toLowerCase().split(/[\t\n\f\r ]+/).includes('canonical')) return { tag: '<link rel="canonical">', value: a.href };
  if (tag !== 'meta' || a.content === undefined) return undefined;
  const key = (a.property || a.name).toLowerCase();
  return SHARE_META.has(key) ? { tag: key, value: a.content } : undefined;
}

/**
 * Reads pages with one parser, reset for each. Attribute names are lower-cased and values
 * entity-decoded because that is what the browser follows; text is never read, so a code sample
 * or a script is never taken for a link or an id.
 */
function pageReader(): (html: string) => Page {
  let page: Page = { references: new Set(), ids: new Set(), redirect: false, relativeShareUrls: [] };
  let tag = '';
  const share: ShareTagAttributes = { rel: '', property: '', name: '', href: undefined, content: undefined };
  // Called when an element's attributes are all read: at the next element's name, and at the end.
  const noteShareTag = () => {
    const found = tag === 'link' || tag === 'meta' ? shareTag(tag, share) : undefined;
    if (found && !isAbsoluteHttpUrl(found.value) && !page.relativeShareUrls.some((t) => t.tag === found.tag)) page.relativeShareUrls.push(found);
    share.rel = share.property = share.name = '';
    share.href = share.content = undefined;
  };
  // The current element's attributes read so far: a browser keeps the first of duplicates.
  const taken = new Set<string>();
  const refresh = { equiv: false, content: '' };
  const noteRefresh = () => {
    if (refresh.equiv && /(^|[;,\s])url\s*=/i.test(refresh.content)) page.redirect = true;
  };
  const read = (attribute: string, value: string) => {
    switch (attribute) {
      case 'srcset':
        for (const reference of srcsetUrls(value)) page.references.add(reference);
        break;
      case 'id':
        if (value) page.ids.add(value);
        break;
      case 'name':
        if (value && tag === 'a') page.ids.add(value);
        share.name = value;
        break;
      case 'rel':
        share.rel = value;
        break;
      case 'property':
        share.property = value;
        break;
      // A refresh that sends the browser elsewhere makes a redirect page; one that only reloads
      // the page (a live-updates post) does not, and its links are checked.
      case 'http-equiv':
        if (tag === 'meta' && value.toLowerCase() === 'refresh') refresh.equiv = true;
        noteRefresh();
        break;
      case 'content':
        if (tag === 'meta') refresh.content = value;
        share.content = trimOf(value, ASCII_SPACE);
        noteRefresh();
        break;
      case 'href':
      case 'src':
      case 'poster': {
        const reference = trimOf(value, ASCII_SPACE);
        if (attribute === 'href') share.href = reference;
        if (reference) page.references.add(reference);
      }
    }
  };
  const parser = new Parser(
    {
      onopentagname(name) {
        noteShareTag();
        tag = name;
        if (taken.size) taken.clear();
        refresh.equiv = false;
        refresh.content = '';
      },

      // Per attribute rather than onopentag, which builds an object for every element.
      onattribute(attribute, value) {
        if (!READ_ATTRIBUTES.has(attribute) || taken.has(attribute)) return;
        taken.add(attribute);
        read(attribute, value);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  return (html) => {
    page = { references: new Set(), ids: new Set(), redirect: false, relativeShareUrls: [] };
    tag = '';
    parser.parseComplete(html);
    noteShareTag();
    return page;
  };
}

function listFiles(dir: string): Set<string> {
  const files = new Set<string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (entry.isFile()) files.add(relativePath(dir, path.join(entry.parentPath, entry.name)));
  }
  return files;
}

/** The URL path a static host serves a file at: a/index.html → /a/. */
function urlOf(basePath: string, file: string): string {
  // Encoded, as links to it are: a file named "c#" is at /c%23.
  return basePath + file.replace(/(^|\/)index\.html$/, '$1').split('/').map(encodeURIComponent).join('/');
}

/** Finds the file a URL is served from, as a static host does. */
function resolver(basePath: string, files: Set<string>): (reference: string, base: URL) => Resolution {
  const fileFor = (pathname: string): string | undefined => {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(basePath.length));
    } catch {
      return undefined;
    }
    if (relative === '' || relative.endsWith('/')) return files.has(relative + 'index.html') ? relative + 'index.html' : undefined;
    if (files.has(relative)) return relative;
    // /x is x.html where there is one (GitHub Pages, Netlify, recap serve; a Jekyll site's permalink: /x).
    if (files.has(relative + '.html')) return relative + '.html';
    // A folder linked without its slash: hosts redirect /x to /x/.
    return files.has(relative + '/index.html') ? relative + '/index.html' : undefined;
  };
  return (reference, base) => {
    let target: URL;
    try {
      target = new URL(reference, base);
    } catch {
      return { problem: 'is not a valid URL' };
    }
    if (!target.pathname.startsWith(basePath)) return { problem: `is outside the site (its base path is ${basePath})` };
    const file = fileFor(target.pathname);
    return file ? { file, anchor: target.hash.slice(1) } : { problem: 'points at no file' };
  };
}

/** Why #anchor finds nothing on its target page, or undefined when it does. */
function anchorProblem(anchor: string, file: string, page: Page): string | undefined {
  let id: string;
  try {
    id = decodeURIComponent(anchor);
  } catch {
    id = anchor;
  }
  // Browsers look for the fragment as written first, then percent-decoded; "#top" always leads to the top.
  if (page.ids.has(anchor) || page.ids.has(id) || id.toLowerCase() === 'top') return undefined;
  return `has no element with id "${id}" on ${file}`;
}

/**
 * Reads a built site and finds every internal link, image, stylesheet or script reference that
 * points at no file, and every #anchor missing on its target page. External links are not fetched;
 * absolute links to the site's own `url` count as internal.
 */
export function checkLinks(outDir: string, basePath: string, siteUrl: string, outputs?: Iterable<string>): BrokenLink[] {
  return checkSite(outDir, basePath, siteUrl, outputs).broken;
}

/**
 * checkLinks, and in the same reading of each page, its canonical link, og:url, og:image and
 * twitter:image when their URL is not absolute (one finding per page, naming each such tag).
 */
export function checkSite(outDir: string, basePath: string, siteUrl: string, outputs?: Iterable<string>): SiteCheck {
  // The plan knows every output; listing the folder is for when there is none.
  const files = outputs ? new Set(outputs) : listFiles(outDir);
  const readPage = pageReader();
  // A page is parsed once, whether it is checked first or is first the target of an #anchor.
  const pages = new Map<string, Page>();
  const pageAt = (file: string): Page => {
    let page = pages.get(file);
    if (!page) pages.set(file, (page = readPage(fs.readFileSync(path.join(outDir, file), 'utf8'))));
    return page;
  };
  const resolve = resolver(basePath, files);
  const origin = 'http://recap.invalid';
  // Most references are site paths repeated on every page (navigation, tags, assets): resolve each once.
  const resolved = new Map<string, Resolution>();
  const siteRoot = siteUrl + '/';

  const broken: BrokenLink[] = [];
  const relativeShareUrls: RelativeShareUrl[] = [];
  for (const file of [...files].filter((f) => f.endsWith('.html')).sort()) {
    const page = pageAt(file);
    const references = page.references;
    // Only its ids are wanted from here on, if another page links into it.
    page.references = new Set();
    // A redirect page's links are its target, which may be anywhere; it is checked where it points.
    if (page.redirect) continue;
    if (page.relativeShareUrls.length > 0) relativeShareUrls.push({ page: file, tags: page.relativeShareUrls });
    let base: URL | undefined;
    for (let reference of references) {
      if (siteUrl && (reference === siteUrl || reference.startsWith(siteRoot))) reference = reference.slice(siteUrl.length) || '/';
      if (isAbsoluteUrl(reference)) continue; // external, mailto:, data:…
      const absolutePath = reference.startsWith('/');
      let result = absolutePath ? resolved.get(reference) : undefined;
      if (!result) {
        result = resolve(reference, (base ??= new URL(urlOf(basePath, file), origin)));
        if (absolutePath) resolved.set(reference, result);
      }
      const problem =
        'problem' in result ? result.problem : result.anchor && result.file.endsWith('.html') ? anchorProblem(result.anchor, result.file, pageAt(result.file)) : undefined;
      if (problem) broken.push({ page: file, reference, problem });
    }
  }
  return { broken, relativeShareUrls };
}
