/**
 * The folders a build reads and writes, compared by real path (links resolved): a build replaces
 * the output folder whole and writes into the cache folder, so neither may be, hold or sit inside
 * the site or a folder it reads from, however the paths are spelled (`--root alias --out site`,
 * `public -> ..`, `.recap-cache -> posts`). Source folders that are links out of the site are refused.
 */
import path from 'node:path';
import { ConfigError } from './errors.js';
import { isInside, overlap, realPath } from '../util/real-paths.js';

/** The folders a recap site reads from, relative to its root. */
const RECAP_SOURCES = ['posts', '_posts', 'pages', 'templates', 'static'];
/** The folders a Jekyll site reads from besides its root (whose every other file may be a page or a copy). */
const JEKYLL_SOURCES = ['_posts', '_drafts', '_includes', '_layouts', '_data', 'templates'];

export interface SiteFolders {
  /** The site folder, as given (absolute). */
  root: string;
  outDir: string;
  /** "" when the cache is not used. */
  cacheDir: string;
  jekyll: boolean;
  /** recap's default theme, which a build reads too. */
  themeDir: string;
}

/** A path for messages: relative to the current folder, and the link's target when it is a link. */
function shownPath(given: string, real: string): string {
  const shown = path.relative(process.cwd(), given) || '.';
  return real === path.resolve(given) ? shown : `${shown} (a link to ${real})`;
}

/**
 * Checks the site's folders and returns their real paths. Throws ConfigError when the output or
 * cache folder overlaps the site's sources (or each other), or a source folder links out of the site.
 */
export function checkSiteFolders(folders: SiteFolders): { root: string; outDir: string; cacheDir: string } {
  const root = realPath(folders.root);
  const sources: { name: string; real: string }[] = [];
  for (const name of folders.jekyll ? JEKYLL_SOURCES : RECAP_SOURCES) {
    // Folders not made yet count too: one made later must not turn out to hold (or be inside) the output.
    const real = realPath(path.join(folders.root, name));
    if (!isInside(root, real)) {
      throw new ConfigError(name, `is a symbolic link to ${real}, outside the site folder; copy the folder in instead`);
    }
    sources.push({ name: `${name}/`, real });
  }
  // Not read by a build, but never to be replaced by one: the site's history (wherever .git points) and recap's theme.
  sources.push({ name: '.git/', real: realPath(path.join(folders.root, '.git')) });
  sources.push({ name: "recap's default theme", real: realPath(folders.themeDir) });

  const outDir = realPath(folders.outDir);
  const outShown = shownPath(folders.outDir, outDir);
  const refuseOut = (how: string) => new ConfigError(outShown, `cannot be the output folder: the build replaces it whole and it ${how}; choose another --out`);
  const outAndRoot = overlap(outDir, root);
  if (outAndRoot === 'is' || outAndRoot === 'holds') throw refuseOut(outAndRoot === 'is' ? 'is the site folder' : 'holds the site folder');
  for (const source of sources) {
    const how = overlap(outDir, source.real);
    if (how) throw refuseOut(`${how} ${source.name}`);
  }

  const cacheDir = folders.cacheDir && realPath(folders.cacheDir);
  if (cacheDir) {
    const refuseCache = (how: string) =>
      new ConfigError(shownPath(folders.cacheDir, cacheDir), `cannot be the cache folder ("cacheDir"): it ${how}; give the cache a folder of its own, such as .recap-cache`);
    const cacheAndRoot = overlap(cacheDir, root);
    if (cacheAndRoot === 'is' || cacheAndRoot === 'holds') throw refuseCache(cacheAndRoot === 'is' ? 'is the site folder' : 'holds the site folder');
    const withOut = overlap(cacheDir, outDir);
    if (withOut) throw refuseCache(`${withOut} the output folder`);
    for (const source of sources) {
      const how = overlap(cacheDir, source.real);
      if (how) throw refuseCache(`${how} ${source.name}`);
    }
  }
  return { root, outDir, cacheDir };
}
