/**
 * Pagefind, the program that makes the search index: the npm package `pagefind` talks to its
 * binary (a platform package, @pagefind/<os>-<cpu>) over a pipe, one process for all of recap's
 * builds in this process. Here: whether that binary is installed (a machine without it builds the
 * site without search, with one warning), and an index made from pages held in memory, its files
 * returned in memory too, so that the build writes them as its own output files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { installedVersion, PACKAGE_ROOT } from '../util/package-root.js';

/** The binaries the pagefind package runs, in the order it tries them. */
const BINARIES = ['pagefind_extended', 'pagefind'];

/** The platform package npm installs for this machine, as the pagefind package names it. */
export function platformPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@pagefind/${platform}-${process.env.npm_config_arch || os.arch()}`;
}

/**
 * Where the pagefind package will find its binary (the same places it looks: an environment
 * variable naming it, else the platform package), or undefined when it (or the package) is not
 * there. Checked before the package is asked, which would otherwise print the failure with a stack
 * trace of its own.
 */
export function pagefindBinary(): string | undefined {
  // The package that runs the binary, first: without it there is nothing to run it with.
  if (installedVersion('pagefind').endsWith('@?')) return undefined;
  for (const name of BINARIES) {
    const named = process.env[`${name.toUpperCase()}_BINARY_PATH`];
    if (named) return fs.existsSync(named) ? named : undefined;
  }
  const require = createRequire(path.join(PACKAGE_ROOT, 'package.json'));
  const executable = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);
  for (const name of BINARIES) {
    try {
      return require.resolve(`${platformPackage()}/bin/${executable(name)}`);
    } catch {
      // Not installed: the next name, or none.
    }
  }
  return undefined;
}

/** The warning of a build that has no search because Pagefind's binary is missing. */
export function missingPagefindWarning(): string {
  return `search: Pagefind's program for this machine (${platformPackage()}) is not installed, so the site was built without search; run npm install (without --omit=optional), or set "search: false" in recap.config.yml`;
}

/** One page to index: its URL (from the site's root, without the base path) and its HTML as written. */
export interface IndexedPage {
  url: string;
  html: string;
}

/** One file of the index, as Pagefind names it inside its folder. */
export interface IndexFile {
  path: string;
  contents: Uint8Array;
}

/**
 * Files Pagefind makes that the theme never loads: its other interfaces and the highlighter of
 * the words found on the result's page. Left out, they are 250 kB less in every deploy.
 */
const UNUSED_FILE = /^(pagefind-(modular-ui|component-ui|highlight)\.(js|css)|playground\/.*)$/;

/** Pages sent to Pagefind before asking again whether the index is still wanted. */
const BATCH = 200;

export type IndexOutcome = { files: IndexFile[]; problems: string[] } | { cancelled: true };

interface PagefindModule {
  createIndex: typeof import('pagefind').createIndex;
  close: typeof import('pagefind').close;
}

let loaded: Promise<PagefindModule> | undefined;

/** The pagefind package, loaded once, when a build first needs it. */
function pagefindModule(): Promise<PagefindModule> {
  return (loaded ??= import('pagefind'));
}

/**
 * The index of `pages` in one language (`language`, an ISO 639-1 code: one index for the whole
 * site, so a post in another language is found from the one search page too). Pages go to
 * Pagefind in the order given (the caller sorts them), so the same pages give the same bytes.
 * `wanted` is asked between batches: a watch rebuild that began meanwhile makes this index
 * pointless, and it stops. Pagefind's complaints about a page come back as `problems`.
 */
export async function indexPages(pages: IndexedPage[], language: string, wanted: () => boolean = () => true): Promise<IndexOutcome> {
  const pagefind = await pagefindModule();
  try {
    return await indexWith(pagefind, pages, language, wanted);
  } catch (error) {
    // Pagefind's process may have stopped: the next index starts a new one.
    await pagefind.close();
    throw error;
  }
}

async function indexWith({ createIndex }: PagefindModule, pages: IndexedPage[], language: string, wanted: () => boolean): Promise<IndexOutcome> {
  const created = await createIndex({ forceLanguage: language });
  if (!created.index) throw new Error(`Pagefind could not start an index: ${created.errors.join('; ')}`);
  const index = created.index;
  try {
    const problems: string[] = [];
    for (let start = 0; start < pages.length; start += BATCH) {
      if (!wanted()) return { cancelled: true };
      // Sent together, answered in order: Pagefind's pipe is the queue.
      const answers = await Promise.all(pages.slice(start, start + BATCH).map((page) => index.addHTMLFile({ url: page.url, content: page.html })));
      answers.forEach((answer, i) => problems.push(...answer.errors.map((error) => `${pages[start + i].url}: ${error}`)));
    }
    if (!wanted()) return { cancelled: true };
    const made = await index.getFiles();
    if (made.errors.length > 0) throw new Error(`Pagefind could not make the index: ${made.errors.join('; ')}`);
    const files = made.files
      .filter((file) => !UNUSED_FILE.test(file.path))
      .map((file) => ({ path: file.path, contents: file.content }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files, problems };
  } finally {
    await index.deleteIndex();
  }
}
