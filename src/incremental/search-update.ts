/**
 * What watch mode's later search index (search/later.ts) needs of the last build's state, and the
 * state after it: the index's files replace the ones the output holds, as one more update in place
 * with its own output id and list of files, the same as a build that made that index would leave.
 */
import { fileList } from '../pipeline/output-marker.js';
import type { SitePlan } from '../pipeline/types.js';
import { sha1 } from '../util/hash.js';
import { idOf, updatedSum } from './output-id.js';
import { GENERATED_OUTPUT, type BuildState, type OutputRecord } from './state.js';

/** The last good build as the search index is made from it; undefined after a failed one (its output is the build before). */
export function lastBuildOf(state: BuildState): { plan: SitePlan; hashOf: (outPath: string) => string | undefined; searchKey?: string } | undefined {
  if (!state.last) return undefined;
  return { plan: state.last.plan, hashOf: (outPath) => state.outputs.get(outPath)?.hash, searchKey: state.searchKey };
}

/** One update of the output in place, as updateSite takes it, and the state once it is written. */
export interface IndexUpdate {
  state: BuildState;
  written: { path: string; contents: Uint8Array }[];
  removed: string[];
  ids: { from: string; to: string; list: string };
  /** Whether the last build wrote a file at this path (only those are replaced or removed). */
  wroteBefore: (outPath: string) => boolean;
}

/** The update that puts `files` (paths in the output) in place of every file under `folder`, made from the pages `key` names. */
export function replaceFolder(state: BuildState, folder: string, files: { path: string; contents: Uint8Array }[], key: string): IndexUpdate {
  const inFolder = (outPath: string) => outPath.startsWith(`${folder}/`);
  const outputs = new Map<string, OutputRecord>([...state.outputs].filter(([outPath]) => !inFolder(outPath)));
  const written: IndexUpdate['written'] = [];
  for (const file of files) {
    const hash = sha1(file.contents);
    outputs.set(file.path, { ...GENERATED_OUTPUT, templateGeneration: state.templateGeneration, hash });
    if (state.outputs.get(file.path)?.hash !== hash) written.push(file);
  }
  const removed = [...state.outputs.keys()].filter((outPath) => inFolder(outPath) && !outputs.has(outPath));
  const changed = [...written.map((file) => file.path), ...removed];
  const outputsSum = updatedSum(state.outputsSum, changed, (p) => state.outputs.get(p)?.hash, (p) => outputs.get(p)?.hash);
  const pathsChanged = removed.length > 0 || outputs.size !== state.outputs.size;
  const list = pathsChanged || state.fileList === undefined ? fileList(outputs.keys()) : state.fileList;
  return {
    state: { ...state, outputs, outputsSum, fileList: list, searchKey: key },
    written,
    removed,
    ids: { from: idOf(state.outputsSum), to: idOf(outputsSum), list },
    wroteBefore: (outPath) => state.outputs.has(outPath),
  };
}
