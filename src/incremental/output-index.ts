import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../util/files.js';
import type { ListingKeys } from './fingerprints.js';
import type { OutputRecord } from './state.js';

const OUTPUTS_FILE = 'outputs.json';

/** What the last build wrote: its id (also in the output's marker), and each file's content hash. */
export interface OutputIndex {
  buildId: string;
  outDir: string;
  hashes: Map<string, string>;
  /** Each file's size and modification time as written. */
  stats: Map<string, string>;
  /** What each page was rendered from, for a build that renders only changed pages (see Reuse.carriedFromOutput). */
  pages?: PageIndex;
  /** What the output's search index was made from (search/index.ts searchKey): the same, it is carried over. */
  searchKey?: string;
}

/** What the pages of a build were rendered from: the render key (config, templates, code) and each page's record. */
export interface PageIndex {
  renderKey: string;
  listingKeys: ListingKeys;
  records: Record<string, Omit<OutputRecord, 'templateGeneration' | 'hash'>>;
}

export function readOutputIndex(cacheDir: string, outDir: string, currentBuildId: string | undefined): Omit<OutputIndex, 'buildId' | 'outDir'> | undefined {
  if (!cacheDir || !currentBuildId) return undefined;
  try {
    const data = JSON.parse(fs.readFileSync(path.join(cacheDir, OUTPUTS_FILE), 'utf8')) as {
      buildId?: string;
      outDir?: string;
      hashes?: Record<string, string>;
      stats?: Record<string, string>;
      pages?: PageIndex;
      searchKey?: unknown;
    };
    // Only the build that wrote this very output folder (same id in its marker) knows its files.
    if (data.buildId !== currentBuildId || data.outDir !== outDir || !data.hashes || !data.stats) return undefined;
    const searchKey = typeof data.searchKey === 'string' ? data.searchKey : undefined;
    return { hashes: new Map(Object.entries(data.hashes)), stats: new Map(Object.entries(data.stats)), pages: pageIndex(data.pages), searchKey };
  } catch {
    return undefined;
  }
}

/** The page index as read, when whole: a damaged or foreign one is dropped (every page is rendered), never trusted in part. */
function pageIndex(pages: PageIndex | undefined): PageIndex | undefined {
  if (!pages || typeof pages.renderKey !== 'string' || typeof pages.records !== 'object' || pages.records === null) return undefined;
  const keys = pages.listingKeys as Partial<ListingKeys> | undefined;
  if (typeof keys?.meta !== 'string' || typeof keys.full !== 'string' || typeof keys.pages !== 'string') return undefined;
  const sound = Object.values(pages.records).every(
    (record) =>
      typeof record === 'object' &&
      record !== null &&
      Array.isArray(record.fingerprint) &&
      record.fingerprint.every((key) => typeof key === 'string') &&
      (record.images === undefined || (Array.isArray(record.images) && record.images.every((key) => typeof key === 'string'))),
  );
  return sound ? pages : undefined;
}

export function writeOutputIndex(cacheDir: string, index: OutputIndex): void {
  if (!cacheDir) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  writeFileAtomically(
    path.join(cacheDir, OUTPUTS_FILE),
    JSON.stringify({ buildId: index.buildId, outDir: index.outDir, hashes: Object.fromEntries(index.hashes), stats: Object.fromEntries(index.stats), pages: index.pages, searchKey: index.searchKey }),
  );
}
