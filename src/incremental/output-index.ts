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
  /** What each page was rendered from, for a build that renders only changed pages (see Reuse.unchanged). */
  pages?: PageIndex;
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
    };
    // Only the build that wrote this very output folder (same id in its marker) knows its files.
    if (data.buildId !== currentBuildId || data.outDir !== outDir || !data.hashes || !data.stats) return undefined;
    const pages = data.pages && typeof data.pages.renderKey === 'string' && data.pages.records && typeof data.pages.records === 'object' ? data.pages : undefined;
    return { hashes: new Map(Object.entries(data.hashes)), stats: new Map(Object.entries(data.stats)), pages };
  } catch {
    return undefined;
  }
}

export function writeOutputIndex(cacheDir: string, index: OutputIndex): void {
  if (!cacheDir) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  writeFileAtomically(
    path.join(cacheDir, OUTPUTS_FILE),
    JSON.stringify({ buildId: index.buildId, outDir: index.outDir, hashes: Object.fromEntries(index.hashes), stats: Object.fromEntries(index.stats), pages: index.pages }),
  );
}
