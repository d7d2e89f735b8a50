/**
 * Pagefind, the program that makes the search index: the npm package `pagefind` installs its
 * binary (a platform package, @pagefind/<os>-<cpu>); recap talks to it over a pipe itself
 * (pagefind-service.ts), one process per index. Here: whether that binary is installed (a machine without it builds the
 * site without search, with one warning), and an index made from pages held in memory, its files
 * returned in memory too, so that the build writes them as its own output files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { installedVersion, PACKAGE_ROOT } from '../util/package-root.js';
import { PagefindService, type ServiceAnswer } from './pagefind-service.js';

/** The binaries the pagefind package runs, in the order it tries them. */
const BINARIES = ['pagefind_extended', 'pagefind'];

/** The platform package npm installs for this machine, as the pagefind package names it. */
function platformPackage(): string {
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

/**
 * How long Pagefind's program may be silent while an answer is awaited before it is taken for hung
 * and stopped (the build then fails, naming it). Far above what it needs: its longest silence is
 * while it makes the index's files, about 5 s for 4,000 posts on a busy machine.
 */
const PAGEFIND_STALL_MS = 120_000;

/** What indexPages may be given besides the pages: its program and time limit (tests give a fake program). */
export interface IndexOptions {
  wanted?: () => boolean;
  binary?: string;
  stallMs?: number;
}

/**
 * The index of `pages` in one language (`language`, an ISO 639-1 code: one index for the whole
 * site, so a post in another language is found from the one search page too). Pages go to
 * Pagefind in the order given (the caller sorts them), so the same pages give the same bytes.
 * `wanted` is asked between batches: a watch rebuild that began meanwhile makes this index
 * pointless, and it stops. Pagefind's complaints about a page come back as `problems`; a failure
 * of its program (it could not start, stopped, hung, answered garbage) is thrown, as one line.
 */
export async function indexPages(pages: IndexedPage[], language: string, options: IndexOptions = {}): Promise<IndexOutcome> {
  const binary = options.binary ?? pagefindBinary();
  if (binary === undefined) throw new Error(missingPagefindWarning());
  const service = new PagefindService(binary, options.stallMs ?? PAGEFIND_STALL_MS);
  try {
    return await indexWith(service, pages, language, options.wanted ?? (() => true));
  } finally {
    service.end();
  }
}

/** An answer of the expected type, or the error it carries. */
function expect(answer: ServiceAnswer, type: string): ServiceAnswer {
  if (answer.type === type) return answer;
  throw new Error(answer.type === 'Error' ? String(answer.message) : `Pagefind's program answered ${answer.type} where ${type} was due`);
}

async function indexWith(service: PagefindService, pages: IndexedPage[], language: string, wanted: () => boolean): Promise<IndexOutcome> {
  const created = await service.request({ type: 'NewIndex', config: { force_language: language } });
  const indexId = expect(created, 'NewIndex').index_id;
  const problems: string[] = [];
  for (let start = 0; start < pages.length; start += BATCH) {
    if (!wanted()) return { cancelled: true };
    // Sent together, answered in order: Pagefind's pipe is the queue.
    const answers = await Promise.all(pages.slice(start, start + BATCH).map((page) => service.request({ type: 'AddFile', index_id: indexId, url: page.url, file_contents: page.html })));
    answers.forEach((answer, i) => {
      if (answer.type !== 'IndexedFile') problems.push(`${pages[start + i].url}: ${answer.message ?? answer.type}`);
    });
  }
  if (!wanted()) return { cancelled: true };
  const made = expect(await service.request({ type: 'GetFiles', index_id: indexId }), 'GetFiles');
  const files = (made.files as { path: string; content: string }[])
    .filter((file) => !UNUSED_FILE.test(file.path))
    .map((file) => ({ path: file.path, contents: new Uint8Array(Buffer.from(file.content, 'base64')) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}
