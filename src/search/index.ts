/**
 * The build's search step, after render and images (every page's HTML is final then), before
 * write: Pagefind indexes the posts and pages, and its files (the index, its scripts and styles)
 * become output files of the build under pagefind/, listed in the output's marker like every file
 * recap writes. The same pages give the same bytes, so a build that changed no indexed page keeps
 * the index the output holds (the search key), and watch mode may leave the index for later
 * (search/later.ts) without the output ever holding anything but whole builds' files.
 */
import fs from 'node:fs';
import { codeKey } from '../incremental/render-key.js';
import type { Reuse } from '../incremental/reuse.js';
import { OutputConflictError, SiteError } from '../pipeline/errors.js';
import type { OutputFile, Page, SiteConfig, SitePlan } from '../pipeline/types.js';
import { insideFolder } from '../util/files.js';
import { sha1 } from '../util/hash.js';
import { withBase } from '../util/urls.js';
import { inParallel } from '../util/parallel.js';
import { nestingDepth } from '../html/nesting-depth.js';
import { indexPages, type IndexedPage } from './pagefind.js';

/** The folder of the index in the output: its files are the build's, its name Pagefind's default. */
export const SEARCH_FOLDER = 'pagefind';

/** The theme's search page, and the script that starts Pagefind's interface on it. */
const SEARCH_PAGE = 'search/index.html';
export const SEARCH_SCRIPT = 'assets/search.js';

/**
 * Whether the site has search: `search: true`, or by default with recap's theme (a site in its own
 * layouts has no search page or box of the theme's, so it asks for the index with `search: true`).
 */
export const searchEnabled = (config: SiteConfig, ownLayouts: boolean) => config.search === true || (config.search === 'default' && !ownLayouts);

/** The theme's search page, unless the site has a page or file of its own at /search/ (which wins, as a 404 page of its own does). */
export function planSearchPage(config: SiteConfig, ownLayouts: boolean, taken: (outPath: string) => boolean): { page?: Page; url: string } {
  if (!searchEnabled(config, ownLayouts) || ownLayouts) return { url: '' };
  const url = withBase(config.basePath, '/search/');
  if (taken(SEARCH_PAGE)) return { url };
  return { url, page: { kind: 'search', outPath: SEARCH_PAGE, url, origin: { file: '', what: 'the search page' } } };
}

/** A page the index holds: where it is in the output, and its URL from the site's root (siteRelative). */
export interface IndexedOutput {
  outPath: string;
  url: string;
  /** The file it is built from, for warnings. */
  file: string;
}

const HTML_PAGE = /\.html?$/i;

/**
 * What is indexed: posts and pages (in recap's theme, their article: data-pagefind-body), drafts
 * when they are built. Not the home, tag, 404 or search pages, nor redirects, nor a page of the
 * site's own layouts that lists posts page by page. In URL order: Pagefind then gives the same bytes.
 */
export function indexedOutputs(config: SiteConfig, plan: SitePlan): IndexedOutput[] {
  const pages = plan.outputs.filter((page) => (page.kind === 'post' || (page.kind === 'page' && !page.paginator)) && HTML_PAGE.test(page.outPath));
  return pages.map(({ outPath, url, origin }) => ({ outPath, url: siteRelative(config, url), file: origin.file || outPath })).sort((a, b) => (a.outPath < b.outPath ? -1 : a.outPath > b.outPath ? 1 : 0));
}

/**
 * A page's URL as the index holds it: from the site's root, without the base path, as Pagefind
 * itself writes URLs; its scripts put the folder they are served from in front (/blog/pagefind/ →
 * /blog/), so the index is right under any base path, for the theme's search page and for a
 * search page of a site's own layouts alike.
 */
const siteRelative = (config: SiteConfig, url: string) => (url.startsWith(config.basePath) ? url.slice(config.basePath.length - 1) : url);

/** The language the index is made in: the site's (its primary subtag, as Pagefind takes it). */
export const indexLanguage = (config: SiteConfig) => config.language.split('-')[0].toLowerCase();

/**
 * What the index is made from, as one key: recap's code and its packages' versions (Pagefind's
 * among them: what is indexed and how changes with them, so a new recap makes the index again),
 * the language, and each indexed page's URL and content hash. Equal keys, equal index bytes.
 */
export function searchKey(config: SiteConfig, pages: IndexedOutput[], hashOf: (outPath: string) => string | undefined): string {
  return sha1(JSON.stringify([codeKey(), indexLanguage(config), pages.map((page) => [page.url, hashOf(page.outPath) ?? ''])]));
}

/** Files read at once when pages come from the output folder. */
const READ_LANES = 16;

/**
 * Elements nested deeper than this leave their page out of the index. Pagefind's time grows with
 * the square of the depth (a post of 2 MB of raw HTML nesting 200,000 elements took it 32 s, one of
 * 5 MB would take minutes); a browser's parser nests no deeper than 512 either (Chromium's), and
 * recap's theme with a post nests about 10.
 */
export const MAX_INDEXED_DEPTH = 512;

/** A page that could nest that deep: it has as many tags (every element starts with a "<"). Counting them is 100 times quicker than parsing. */
function mayNestTooDeep(html: string): boolean {
  let tags = 0;
  for (let at = html.indexOf('<'); at !== -1 && tags <= MAX_INDEXED_DEPTH; at = html.indexOf('<', at + 1)) tags++;
  return tags > MAX_INDEXED_DEPTH;
}

/**
 * Each page's HTML: this build's rendering when it has one, else the file the output holds (a page
 * carried over or unchanged); pages that nest too deep are left out (`skipped`: a warning each).
 */
export async function pagesToIndex(outDir: string, pages: IndexedOutput[], rendered: Map<string, string>): Promise<{ pages: IndexedPage[]; skipped: string[] }> {
  const html = new Map<string, string>();
  await inParallel(pages, READ_LANES, async (page) => {
    html.set(page.outPath, rendered.get(page.outPath) ?? (await fs.promises.readFile(insideFolder(outDir, page.outPath), 'utf8')));
  });
  const indexed: IndexedPage[] = [];
  const skipped: string[] = [];
  for (const page of pages) {
    const text = html.get(page.outPath)!;
    if (mayNestTooDeep(text) && nestingDepth(text, MAX_INDEXED_DEPTH + 1) > MAX_INDEXED_DEPTH) {
      skipped.push(`search: ${page.file} is left out of the search index: its HTML nests elements more than ${MAX_INDEXED_DEPTH} deep, which Pagefind would take minutes over; close the elements its raw HTML opens`);
    } else indexed.push({ url: page.url, html: text });
  }
  return { pages: indexed, skipped };
}

/** Pagefind's files as output files of the build, under SEARCH_FOLDER. */
export const indexOutputs = (files: { path: string; contents: Uint8Array }[]): { path: string; contents: Uint8Array }[] =>
  files.map((file) => ({ path: `${SEARCH_FOLDER}/${file.path}`, contents: file.contents }));

/** Outputs of the site's own at the index's folder: Pagefind's files would replace them, so the build stops and names them. */
function conflicts(config: SiteConfig, plan: SitePlan): SiteError[] {
  const fold = (p: string) => (config.caseSensitiveUrls ? p : p.toLowerCase());
  const inFolder = (outPath: string) => fold(outPath) === SEARCH_FOLDER || fold(outPath).startsWith(`${SEARCH_FOLDER}/`);
  return [...plan.outputs, ...plan.copies]
    .filter((output) => inFolder(output.outPath))
    .map((output) => new OutputConflictError(output.origin.file || output.outPath, `is built at ${output.outPath}, in ${SEARCH_FOLDER}/, where recap writes the search index; move it, or set "search: false" in recap.config.yml`));
}

/** What a build says of an index it made: pages left out of it, and Pagefind's complaints. */
export const indexWarnings = (skipped: string[], problems: string[]) => [...skipped, ...problems.map((problem) => `search: Pagefind skipped part of ${problem}`)];

/** A failure of Pagefind itself (it stopped, or refused the index): the build stops, as for any file it cannot write. */
export const pagefindError = (error: unknown) =>
  new SiteError(`${SEARCH_FOLDER}/`, `could not be made: ${error instanceof Error ? error.message : String(error)}; build again, or set "search: false" in recap.config.yml`, { cause: error });

/**
 * The search step. `later` (watch mode, continuing): the output's index is left as it is, and
 * search/later.ts brings it up to date once the rebuilds pause. Returns the index's files that this
 * build writes (in a build over the output, those whose bytes changed) and Pagefind's complaints.
 */
export async function searchStep(config: SiteConfig, plan: SitePlan, rendered: OutputFile[], reuse: Reuse, errors: SiteError[], later: boolean): Promise<{ files: OutputFile[]; warnings: string[] }> {
  if (!searchEnabled(config, plan.ownLayouts !== undefined)) return { files: [], warnings: [] };
  const conflicting = conflicts(config, plan);
  if (conflicting.length > 0) {
    errors.push(...conflicting);
    return { files: [], warnings: [] };
  }
  const pages = indexedOutputs(config, plan);
  const key = searchKey(config, pages, (outPath) => reuse.outputHash(outPath));
  const current = reuse.currentSearchKey();
  if ((later || key === current) && reuse.keepSearchIndex(SEARCH_FOLDER)) {
    // Left behind (`later`), the index still says which pages it was made from.
    reuse.recordSearchKey(current);
    return { files: [], warnings: [] };
  }
  const contents = new Map<string, string>();
  for (const file of rendered) if ('contents' in file && typeof file.contents === 'string') contents.set(file.path, file.contents);
  const toIndex = await pagesToIndex(config.outDir, pages, contents);
  let outcome;
  try {
    outcome = await indexPages(toIndex.pages, indexLanguage(config));
  } catch (error) {
    errors.push(pagefindError(error));
    return { files: [], warnings: [] };
  }
  // Nothing cancels a build's own index (no `wanted` given): only watch's later index is dropped.
  if ('cancelled' in outcome) return { files: [], warnings: [] };
  reuse.recordSearchKey(key);
  const files = indexOutputs(outcome.files).filter((file) => reuse.generated(file.path, file.contents));
  return { files, warnings: indexWarnings(toIndex.skipped, outcome.problems) };
}
