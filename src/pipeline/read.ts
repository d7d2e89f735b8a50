import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import type { Dialect, SourceListing } from './dialect.js';
import { ReadError, type SiteError } from './errors.js';
import type { Reuse } from '../incremental/reuse.js';
import type { SiteConfig, SourceFile } from './types.js';
import type { SiteTemplates } from '../jekyll/site-templates.js';
import { isInside, realPath } from '../util/real-paths.js';

/** A file copied as it is: where it comes from and where it goes. */
export interface CopySource {
  /** Site-relative path (or "(default theme) assets/…"), for messages. */
  source: string;
  /** Absolute path of the file. */
  from: string;
  outPath: string;
  /** One of the theme's assets rather than the site's own file. */
  theme?: boolean;
  /** A file in the folder named like a post (posts/2024-05-14-night/room.jpg): the post's source; `outPath` is then within the post's folder. */
  besidePost?: string;
}

/** What the read stage hands on: the source files to parse and what else the site is made of. */
export interface SiteSources {
  /** Site-relative paths of every post and page source, sorted. */
  postPaths: string[];
  /** The sources read this build (in watch mode only new and changed ones; the rest keep their parse). */
  files: SourceFile[];
  copies: CopySource[];
  /** Layout names (templates/<name>.njk) across the site's templates and the default theme. */
  layouts: string[];
  /** Stylesheets to compile (a Jekyll site's Sass with front matter). */
  stylesheets: string[];
  /** The site's own layouts, includes and data (a Jekyll site's); undefined for a recap site. */
  ownTemplates?: SiteTemplates;
}

/** The largest post (or outline for one) recap reads. */
export const MAX_POST_BYTES = 10 * 1024 * 1024;

/** Editor leftovers and dotfiles are never content. */
const IGNORE = ['**/*~', '**/.#*', '**/#*#', '**/*.swp', '**/*.tmp', '**/.DS_Store', '**/.git/**'];

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes strict UTF-8 (BOM dropped, CRLF read as LF), naming the line of the first bad byte. */
export function decodeText(file: string, bytes: Uint8Array): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const { offset, line } = firstInvalidByte(bytes);
    throw new ReadError(file, `is not valid UTF-8: bad byte 0x${bytes[offset].toString(16)} at byte ${offset}; save the file as UTF-8`, { line });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function firstInvalidByte(bytes: Uint8Array): { offset: number; line: number } {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i];
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0;
    if (length === 0) return { offset: i, line };
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return { offset: i, line };
    }
    if (byte === 0x0a) line++;
    i += length;
  }
  return { offset: 0, line };
}

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Where listed files may really be: inside the site folder (or, for the default theme's own
 * files, inside the theme), and never in the output or cache folder, however a link reaches them.
 */
function allowedPlace(config: SiteConfig, base: string): (real: string) => string | undefined {
  const within = isInside(config.root, base) ? config.root : realPath(base);
  return (real) => {
    if (!isInside(within, real)) return `outside the ${within === config.root ? 'site' : 'theme'} folder`;
    if (isInside(config.outDir, real)) return 'inside the output folder';
    if (config.cacheDir && isInside(config.cacheDir, real)) return 'inside the cache folder';
    return undefined;
  };
}

/** Lists files under `dir` (relative to `base`) without following links out of the site. */
export function listFiles(
  config: SiteConfig,
  base: string,
  dir: string,
  patterns: string[],
  errors: SiteError[],
  options: { ignore?: string[]; dot?: boolean; anyCase?: boolean } = {},
): string[] {
  const absolute = path.join(base, dir);
  if (!fs.existsSync(absolute)) return [];
  const misplaced = allowedPlace(config, base);
  const where = (full: string) => posix(path.relative(config.root, full)) || '.';
  // The folder itself may be a link (templates/assets -> ~/Documents), not only entries in it.
  const folderProblem = misplaced(realPath(absolute));
  if (folderProblem) {
    errors.push(new ReadError(where(absolute), `is a symbolic link to ${realPath(absolute)}, ${folderProblem}; copy the folder in instead`));
    return [];
  }
  const entries = fg.sync(patterns, {
    cwd: absolute,
    // Dotfiles are content only in static/ (.nojekyll, .well-known/).
    dot: options.dot ?? false,
    onlyFiles: false,
    followSymbolicLinks: false,
    caseSensitiveMatch: !options.anyCase,
    ignore: [...IGNORE, ...(options.ignore ?? [])],
  });
  const files: string[] = [];
  for (const entry of entries.sort()) {
    const full = path.join(absolute, entry);
    const stat = fs.lstatSync(full);
    if (stat.isSymbolicLink()) {
      let target: string;
      try {
        target = fs.realpathSync(full);
      } catch {
        errors.push(new ReadError(where(full), 'is a symbolic link to nothing; remove it'));
        continue;
      }
      const problem = misplaced(target);
      if (problem) {
        errors.push(new ReadError(where(full), `is a symbolic link to ${target}, ${problem}; copy the file in instead`));
        continue;
      }
      if (!fs.statSync(full).isFile()) continue;
    } else if (!stat.isFile()) {
      continue;
    }
    files.push(posix(entry));
  }
  return files;
}

/** Reads one post strictly as UTF-8. Synchronous on purpose: for many small files, measured several times faster than fs.promises. */
export function readPost(config: SiteConfig, relative: string): SourceFile {
  const full = path.join(config.root, relative);
  const stat = fs.statSync(full);
  if (stat.size > MAX_POST_BYTES) {
    throw new ReadError(relative, `is ${(stat.size / 1024 / 1024).toFixed(1)} MB; posts are limited to 10 MB (move large media to static/)`);
  }
  return { path: relative, text: decodeText(relative, fs.readFileSync(full)), modified: stat.mtime };
}

/** Reads the given posts, in order, collecting ReadErrors. */
export function readPosts(config: SiteConfig, paths: string[], errors: SiteError[]): SourceFile[] {
  const posts: SourceFile[] = [];
  for (const p of paths) {
    try {
      posts.push(readPost(config, p));
    } catch (error) {
      if (error instanceof ReadError) errors.push(error);
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted since it was listed
      else throw error;
    }
  }
  return posts;
}

/** Theme assets (the site's templates/assets/ over the default theme's), then the site's own copies. */
function listCopies(config: SiteConfig, listing: SourceListing, errors: SiteError[]): CopySource[] {
  const copies = new Map<string, CopySource>();
  for (const dir of [...config.templateDirs].reverse()) {
    for (const file of listFiles(config, dir, 'assets', ['**'], errors)) {
      const from = path.join(dir, 'assets', file);
      const source = dir.startsWith(config.root + path.sep) ? posix(path.relative(config.root, from)) : `(default theme) assets/${file}`;
      copies.set(`assets/${file}`, { source, from, outPath: `assets/${file}`, theme: true });
    }
  }
  return [...copies.values(), ...listing.copies()];
}

/** Layout names (templates/<name>.njk) across the site's templates and the default theme. */
export function listLayouts(config: SiteConfig): string[] {
  const layoutsIn = (dir: string) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.njk'))
      .map((entry) => entry.name.slice(0, -'.njk'.length));
  return [...new Set(config.templateDirs.flatMap(layoutsIn))].sort();
}

/**
 * The read stage: lists the site's sources (through the site's dialect: recap's folders or
 * Jekyll's rules) and reads those that must be parsed again; strict UTF-8, no links out of the site.
 */
export function readSite(config: SiteConfig, dialect: Dialect, reuse: Reuse, errors: SiteError[]): SiteSources {
  const listing = dialect.listSources(errors);
  const postPaths = reuse.postPaths((only) => listing.postPaths(only));
  const files = readPosts(config, reuse.toRead(postPaths), errors);
  const copies = reuse.copies(() => listCopies(config, listing, errors));
  const layouts = reuse.layouts(() => listLayouts(config));
  return { postPaths, files, copies, layouts, stylesheets: listing.stylesheets, ownTemplates: listing.ownTemplates() };
}
