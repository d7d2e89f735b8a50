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

/** What the link check needs from one page, read from its elements (never from its text). */
interface Page {
  /** Distinct references, in the order the page gives them. */
  references: Set<string>;
  /** The fragments an #anchor can point at: ids, and names of <a> elements. */
  ids: Set<string>;
  /** Whether a <meta http-equiv="refresh"> sends the browser elsewhere. */
  redirect: boolean;
}

/** Where a reference leads: a file (and the #anchor it asks for, or ''), or why it leads nowhere. */
type Resolution = { file: string; anchor: string } | { problem: string };

// Attributes a browser fetches or follows: href on a, area, link; src on img, script, iframe,
// source, audio, video, track, embed; srcset on img, source; poster on video. Any element carrying
// them is checked. Then the attributes that name anchors or make a redirect page.
const READ_ATTRIBUTES = new Set(['href', 'src', 'poster', 'srcset', 'id', 'name', 'http-equiv', 'content']);
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

/**
 * Reads pages with one parser, reset for each. Attribute names are lower-cased and values
 * entity-decoded because that is what the browser follows; text is never read, so a code sample
 * or a script is never taken for a link or an id.
 */
function pageReader(): (html: string) => Page {
  let page: Page = { references: new Set(), ids: new Set(), redirect: false };
  let tag = '';
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
        break;
      // A refresh that sends the browser elsewhere makes a redirect page; one that only reloads
      // the page (a live-updates post) does not, and its links are checked.
      case 'http-equiv':
        if (tag === 'meta' && value.toLowerCase() === 'refresh') refresh.equiv = true;
        noteRefresh();
        break;
      case 'content':
        if (tag === 'meta') refresh.content = value;
        noteRefresh();
        break;
      case 'href':
      case 'src':
      case 'poster': {
        const reference = trimOf(value, ASCII_SPACE);
        if (reference) page.references.add(reference);
      }
    }
  };
  const parser = new Parser(
    {
      onopentagname(name) {
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
    page = { references: new Set(), ids: new Set(), redirect: false };
    parser.parseComplete(html);
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
  for (const file of [...files].filter((f) => f.endsWith('.html')).sort()) {
    const page = pageAt(file);
    const references = page.references;
    // Only its ids are wanted from here on, if another page links into it.
    page.references = new Set();
    // A redirect page's links are its target, which may be anywhere; it is checked where it points.
    if (page.redirect) continue;
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
  return broken;
}
