/**
 * Watch mode's search index. A rebuild that continues leaves the index as it is (build's
 * `searchLater`), so a saved post's page is written without waiting for Pagefind; once rebuilds
 * pause, the index is made from the pages the output holds and written as one more update in place
 * (updateSite: staged beside the output, the marker "updating" until the last file is in), unless a
 * rebuild began meanwhile: then nothing is written, and the next pause makes the index again.
 */
import { lastBuildOf, replaceFolder, type IndexUpdate } from '../incremental/search-update.js';
import type { BuildState } from '../incremental/state.js';
import { outputBuildId } from '../pipeline/output-marker.js';
import { checkInPlaceWrites } from '../pipeline/output-ownership.js';
import type { SiteConfig } from '../pipeline/types.js';
import { updateSite, type FileWriter } from '../pipeline/write-in-place.js';
import { indexedOutputs, indexLanguage, indexOutputs, pagefindError, pagesToIndex, SEARCH_FOLDER, searchEnabled, searchKey } from './index.js';
import { indexPages } from './pagefind.js';

/** An index made for the output of one build: the update that writes it, and what Pagefind said of its pages. */
export interface LaterIndex {
  update: IndexUpdate;
  problems: string[];
  /** Warnings for pages left out of it (search/index.ts's pagesToIndex). */
  skipped: string[];
  /** How many posts, pages and files the build behind it had: what the watch line says of it. */
  posts: number;
  pages: number;
}

/**
 * The index the output of `state`'s build should have, when it has another one; undefined when it
 * has that index already, has no search, or `wanted()` turned false meanwhile (a rebuild began).
 */
export async function makeLaterIndex(config: SiteConfig, state: BuildState, wanted: () => boolean): Promise<LaterIndex | undefined> {
  const last = lastBuildOf(state);
  if (!last || !searchEnabled(config, last.plan.ownLayouts !== undefined)) return undefined;
  const pages = indexedOutputs(config, last.plan);
  const key = searchKey(config, pages, last.hashOf);
  if (key === last.searchKey) return undefined;
  const toIndex = await pagesToIndex(config.outDir, pages, new Map());
  if (!wanted()) return undefined;
  let outcome;
  try {
    outcome = await indexPages(toIndex.pages, indexLanguage(config), { wanted });
  } catch (error) {
    throw pagefindError(error);
  }
  if ('cancelled' in outcome || !wanted()) return undefined;
  const update = replaceFolder(state, SEARCH_FOLDER, indexOutputs(outcome.files), key);
  return { update, problems: outcome.problems, skipped: toIndex.skipped, posts: last.plan.posts.length, pages: last.plan.outputs.length };
}

/**
 * Writes a later index, synchronously (no rebuild can begin halfway): only over the output it was
 * made for (its marker still carries that build's id), replacing and removing only files that
 * build wrote. Returns whether it wrote.
 */
export function writeLaterIndex(config: SiteConfig, index: LaterIndex, writer?: FileWriter): boolean {
  const { update } = index;
  if (outputBuildId(config.outDir) !== update.ids.from) return false;
  checkInPlaceWrites(config.outDir, update.written.map((file) => file.path), update.removed, update.wroteBefore, config.force);
  updateSite(config.outDir, update.written, update.removed, update.ids, writer);
  return true;
}
