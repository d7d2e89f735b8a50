import fs from 'node:fs';
import path from 'node:path';

/** A reference in a built page that points at nothing. */
export interface BrokenLink {
  /** The page it is on, relative to the output folder. */
  page: string;
  /** The reference as written in the page. */
  reference: string;
  problem: string;
}

// Lower-case attribute names, as HTML is written (remark and the theme write nothing else).
const REFERENCE = /\s(href|src|srcset|poster)=(?:"([^"]*)"|'([^']*)')/g;

function listFiles(dir: string): Set<string> {
  const files = new Set<string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (entry.isFile()) files.add(path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  return files;
}

/** The URL path a static host serves a file at: a/index.html → /a/. */
function urlOf(basePath: string, file: string): string {
  // Encoded, as links to it are: a file named "c#" is at /c%23.
  return basePath + file.replace(/(^|\/)index\.html$/, '$1').split('/').map(encodeURIComponent).join('/');
}

/**
 * Reads a built site and finds every internal link, image, stylesheet or script reference that
 * points at no file, and every #anchor missing on its target page. External links are not fetched;
 * absolute links to the site's own `url` count as internal.
 */
export function checkLinks(outDir: string, basePath: string, siteUrl: string, outputs?: Iterable<string>): BrokenLink[] {
  // The plan knows every output; listing the folder is for when there is none.
  const files = outputs ? new Set(outputs) : listFiles(outDir);
  const html = new Map<string, string>();
  const read = (file: string) => {
    let text = html.get(file);
    if (text === undefined) html.set(file, (text = fs.readFileSync(path.join(outDir, file), 'utf8')));
    return text;
  };
  const hasId = (file: string, id: string) => {
    const text = read(file);
    return [`id="${id}"`, `id='${id}'`, `name="${id}"`, `name='${id}'`].some((attribute) => text.includes(` ${attribute}`));
  };
  /** The file a site path is served from, or undefined. */
  const fileFor = (pathname: string): string | undefined => {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(basePath.length));
    } catch {
      return undefined;
    }
    if (relative === '' || relative.endsWith('/')) return files.has(relative + 'index.html') ? relative + 'index.html' : undefined;
    if (files.has(relative)) return relative;
    // A folder linked without its slash: hosts redirect /x to /x/.
    return files.has(relative + '/index.html') ? relative + '/index.html' : undefined;
  };

  const broken: BrokenLink[] = [];
  const origin = 'http://recap.invalid';
  // Most references are site paths repeated on every page (navigation, tags, assets): resolve each once.
  const resolved = new Map<string, { problem?: string; file?: string; anchor: string }>();
  const resolve = (reference: string, base: URL) => {
    const target = new URL(reference.replace(/&amp;/g, '&'), base);
    if (!target.pathname.startsWith(basePath)) return { problem: `is outside the site (its base path is ${basePath})`, anchor: '' };
    const file = fileFor(target.pathname);
    return file ? { file, anchor: target.hash.slice(1) } : { problem: 'points at no file', anchor: '' };
  };
  for (const page of [...files].filter((f) => f.endsWith('.html')).sort()) {
    const text = read(page);
    // A redirect page's links are its target, which may be anywhere; it is checked where it points.
    if (text.includes('http-equiv="refresh"')) continue;
    let base: URL | undefined;
    const seen = new Set<string>();
    for (const match of text.matchAll(REFERENCE)) {
      const value = match[2] ?? match[3];
      const references = match[1].toLowerCase() === 'srcset' ? value.split(',').map((item) => item.trim().split(/\s+/)[0]) : [value];
      for (let reference of references) {
        if (reference === '' || seen.has(reference)) continue;
        seen.add(reference);
        if (siteUrl && (reference === siteUrl || reference.startsWith(siteUrl + '/'))) reference = reference.slice(siteUrl.length) || '/';
        if (/^[a-z][a-z0-9+.-]*:/i.test(reference) || reference.startsWith('//')) continue; // external, mailto:, data:…
        const absolutePath = reference.startsWith('/');
        let result = absolutePath ? resolved.get(reference) : undefined;
        if (!result) {
          result = resolve(reference, (base ??= new URL(urlOf(basePath, page), origin)));
          if (absolutePath) resolved.set(reference, result);
        }
        if (result.problem) {
          broken.push({ page, reference, problem: result.problem });
        } else if (result.anchor && result.file!.endsWith('.html')) {
          let id: string;
          try {
            id = decodeURIComponent(result.anchor);
          } catch {
            id = result.anchor;
          }
          if (!hasId(result.file!, id)) broken.push({ page, reference, problem: `has no element with id "${id}" on ${result.file}` });
        }
      }
    }
  }
  return broken;
}
