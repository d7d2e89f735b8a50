import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Reuse as IncrementalReuse } from '../incremental/reuse.js';
import { completeMarker, fileList, OUTPUT_MARKER, outputBuildId, readOutputState } from './output-marker.js';
import type { OutputFile } from './types.js';
import { besideOutput, besideOutputName, diskWriter, outputWriteError, updateSite, type FileWriter } from './write-in-place.js';
import { fileSignature as signature, insideFolder as inside, lstatOrNone, shownPath } from '../util/files.js';
import { OutputFolderError } from './errors.js';
import { checkInPlaceWrites, checkKeptNotBuilt, claimOutputFolder, DEFAULT_KEEP_FILES, knownOutputFiles, presentKeptFiles, withinEntry } from './output-ownership.js';

export { OUTPUT_MARKER, outputBuildId } from './output-marker.js';
export type { FileWriter } from './write-in-place.js';

/**
 * What the current output folder holds, as the build that wrote it recorded it (the cache's output
 * index): a build over it writes only the files whose content changed, in place.
 */
export interface CurrentOutput {
  /** Each file's content hash, as the last build wrote it. */
  previous: Map<string, string>;
  /** Each file's content hash in this build. */
  next: Map<string, string>;
  /** Each file's size and modification time when it was written: a file edited since is written again. */
  stats: Map<string, string>;
  /** Pages not rendered again: the current output's files, left as they are. */
  carried: string[];
}

/** Writes every file into a new folder; returns each file's signature, for the next build's reuse. Synchronous: for thousands of small files, measured faster than batches of fs.promises calls. */
function writeAll(dir: string, files: OutputFile[], writer: FileWriter): Map<string, string> {
  const targets = files.map((file) => inside(dir, file.path));
  for (const folder of new Set(targets.map((t) => path.dirname(t)))) fs.mkdirSync(folder, { recursive: true });
  const written = new Map<string, string>();
  files.forEach((file, i) => {
    if ('copyFrom' in file) writer.copy(file.copyFrom, targets[i]);
    else writer.write(targets[i], file.contents);
    written.set(file.path, signature(fs.statSync(targets[i])));
  });
  return written;
}

/** The output folder's path is taken by a file or a link: recap never writes through it. */
const notAFolder = (outDir: string) => new OutputFolderError(path.relative(process.cwd(), outDir), 'exists and is not a folder; remove it or choose another --out');

/** What a build from scratch is told about the output folder it replaces. */
export interface OutputRules {
  /** Paths in the output folder (not written by recap) carried into the new output. */
  keepFiles: string[];
  /** Replace files recap did not write instead of stopping. */
  force: boolean;
}

const DEFAULT_RULES: OutputRules = { keepFiles: DEFAULT_KEEP_FILES, force: false };

export interface SwapOptions {
  rules?: OutputRules;
  /** The marker's list of files (`fileList`), when the caller has it. */
  list?: string;
  /** How file contents reach the disk (tests fail it part-way, as a full disk does). */
  writer?: FileWriter;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Tidies what a killed build left beside the output folder: its staging and retired folders. If
 * it was killed between moving the old output aside and moving the new one in, the new one is put
 * in place when it is complete (it has its marker), else the old one is put back. Kept files
 * still in a leftover (killed while carrying them across) are moved into the output first.
 */
export function recoverOutput(outDir: string, keepFiles: string[] = DEFAULT_KEEP_FILES): void {
  const parent = path.dirname(outDir);
  if (!fs.existsSync(parent)) return;
  const name = besideOutputName(outDir);
  const leftovers = fs
    .readdirSync(parent)
    .map((entry) => ({ entry, match: name.exec(entry) }))
    .filter((x): x is { entry: string; match: RegExpExecArray } => x.match !== null && !isAlive(Number(x.match[2])))
    .filter(({ entry }) => {
      // Only a real folder can be a build's: anything else with such a name (a link planted there) is removed, never read or moved in.
      if (fs.lstatSync(path.join(parent, entry)).isDirectory()) return true;
      fs.rmSync(path.join(parent, entry), { force: true });
      return false;
    });
  if (!fs.existsSync(outDir)) {
    const complete = leftovers.find((x) => x.match[1] === 'tmp' && fs.existsSync(path.join(parent, x.entry, OUTPUT_MARKER)));
    const previous = leftovers.find((x) => x.match[1] === 'old');
    const restore = complete ?? previous;
    if (restore) fs.renameSync(path.join(parent, restore.entry), outDir);
  }
  for (const { entry } of leftovers) {
    const leftover = path.join(parent, entry);
    if (!fs.existsSync(leftover)) continue;
    if (fs.existsSync(outDir)) rescueKeptFiles(leftover, outDir, keepFiles);
    try {
      fs.rmSync(leftover, { recursive: true, force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new OutputFolderError(path.relative(process.cwd(), leftover), `was left by an earlier build and cannot be deleted (${code}); make it writable (chmod -R u+w) or delete it, and build again`);
    }
  }
}

/** Moves kept files out of a leftover folder into the output; one the output holds too is left where it is, and named. */
function rescueKeptFiles(leftover: string, outDir: string, keepFiles: string[]): void {
  const kept = presentKeptFiles(leftover, keepFiles, knownOutputFiles(readOutputState(leftover), undefined));
  const both = kept.filter((entry) => fs.lstatSync(path.join(outDir, entry), { throwIfNoEntry: false }) !== undefined);
  if (both.length > 0) {
    throw new OutputFolderError(
      path.relative(process.cwd(), leftover),
      `was left by an interrupted build and holds ${both.join(', ')}, which ${path.relative(process.cwd(), outDir) || '.'} holds too; keep the one you need and delete this folder`,
    );
  }
  carryKeptFiles(leftover, outDir, kept);
}

/** Moves each kept entry from one folder to the same place in another (a rename: nothing is copied). */
function carryKeptFiles(from: string, to: string, kept: string[]): void {
  for (const entry of kept) {
    const target = path.join(to, entry);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(from, entry), target);
  }
}

/**
 * Writes the whole site beside the output folder, then swaps it in: a build that fails (or is
 * killed) while writing leaves the previous output as it was, and no stale file from an earlier
 * build survives. The marker file is written last, so a staged folder with it is complete.
 * Before the swap, the output folder must hold only files recap wrote and kept files (see
 * output-ownership.ts); kept files are moved into the new output between the two renames.
 */
export async function writeSite(outDir: string, files: OutputFile[], buildId: string, options: SwapOptions = {}): Promise<Map<string, string>> {
  const { rules = DEFAULT_RULES, writer = diskWriter } = options;
  recoverOutput(outDir, rules.keepFiles);
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const staging = besideOutput(outDir, 'tmp', suffix);
  const retired = besideOutput(outDir, 'old', suffix);
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  fs.mkdirSync(staging);
  let stats: Map<string, string>;
  let kept: string[] = [];
  try {
    stats = writeAll(staging, files, writer);
    // Written last into every output folder recap makes: it marks the folder as recap's, and as complete.
    writer.write(path.join(staging, OUTPUT_MARKER), completeMarker(buildId, options.list ?? fileList(files.map((file) => file.path))));
    const existing = fs.lstatSync(outDir, { throwIfNoEntry: false });
    if (existing && !existing.isDirectory()) {
      throw notAFolder(outDir);
    }
    // Looked at last, just before the swap, so that nothing added meanwhile goes unseen.
    if (existing) kept = claimOutput(outDir, rules).kept;
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const existed = fs.existsSync(outDir);
  if (existed) {
    fs.renameSync(outDir, retired);
    // A kill from here on is recovered by the next build: the staged folder is complete, and kept files left behind are moved in.
    carryKeptFiles(retired, staging, kept);
  }
  fs.renameSync(staging, outDir);
  if (existed) removeRetired(retired, files.length);
  return stats;
}

/** The kept files to carry across; throws when the output folder holds files recap cannot prove it wrote. */
function claimOutput(outDir: string, rules: OutputRules): { kept: string[] } {
  const state = readOutputState(outDir);
  const legacyMarker = state.kind !== 'unmarked' && state.files === undefined;
  return claimOutputFolder(outDir, { known: knownOutputFiles(state, undefined), keepFiles: rules.keepFiles, force: rules.force, legacyMarker });
}

/**
 * A build from scratch over an output folder that holds the last build whole (its marker carries
 * the build id the cache's index knows): only the files whose content changed are written, in
 * place and staged first (updateSite), the outputs no longer built are removed (never inside a
 * kept entry), and the rest stay where they are. The folder must hold nothing but recap's files and
 * kept files, as for a swap.
 */
function updateOutput(outDir: string, files: OutputFile[], buildId: string, reuse: CurrentOutput, rules: OutputRules, list: string, writer: FileWriter): Map<string, string> {
  recoverOutput(outDir, rules.keepFiles);
  if (!fs.lstatSync(outDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw notAFolder(outDir);
  }
  const state = readOutputState(outDir);
  // An output from an older recap lists no files: the cache's index of the same build does.
  const known = knownOutputFiles(state, new Set(reuse.previous.keys()));
  const paths = [...files.map((file) => file.path), ...reuse.carried];
  const { temporaries } = claimOutputFolder(outDir, { known, keepFiles: rules.keepFiles, force: false, legacyMarker: false });
  const stats = new Map<string, string>();
  for (const file of reuse.carried) {
    // Checked before rendering; one changed or removed since stops the build, never leaves a page missing.
    const seen = reuse.stats.get(file);
    const stat = lstatOrNone(inside(outDir, file));
    if (seen === undefined || !stat?.isFile() || signature(stat) !== seen) {
      throw new OutputFolderError(shownPath(inside(outDir, file)), 'was changed or removed while recap was building; build again');
    }
    stats.set(file, seen);
  }
  const changed = files.filter((file) => {
    const seen = reuse.stats.get(file.path);
    const hash = reuse.next.get(file.path);
    if (seen === undefined || hash === undefined || reuse.previous.get(file.path) !== hash) return true;
    // Unchanged since the last build wrote it (an edited file is written again).
    const stat = lstatOrNone(inside(outDir, file.path));
    if (!stat?.isFile() || signature(stat) !== seen) return true;
    stats.set(file.path, seen);
    return false;
  });
  const built = new Set(paths);
  const kept = (file: string) => rules.keepFiles.some((entry) => withinEntry(file, entry));
  const removed = [...[...known].filter((file) => !built.has(file) && !kept(file)), ...temporaries];
  updateSite(outDir, changed, removed, { from: state.kind === 'complete' ? state.id : '', to: buildId, list }, writer);
  for (const file of changed) stats.set(file.path, signature(fs.statSync(inside(outDir, file.path))));
  return stats;
}

/** Above this many files, deleting the old output (seconds on some disks) happens after the build returns. */
const BACKGROUND_REMOVAL = 2000;

/**
 * The old output is no longer the site: a large one is deleted by a detached process, so the
 * build does not wait for it; if that process dies, the next build removes what is left.
 */
function removeRetired(retired: string, size: number): void {
  if (size < BACKGROUND_REMOVAL) {
    try {
      fs.rmSync(retired, { recursive: true, force: true });
    } catch {
      // The new output is in place: the build succeeded. The next build tidies the old one, or names it.
    }
    return;
  }
  const script = `require('node:fs').rmSync(${JSON.stringify(retired)}, { recursive: true, force: true })`;
  spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' }).unref();
}

/**
 * The write stage. A build from scratch over an output folder the cache knows (the last build's,
 * whole) writes only the files whose content changed, in place (updateOutput); any other build
 * from scratch writes the whole site beside the output folder and swaps it in (writeSite). A
 * watch-mode rebuild writes the changed files in place (see write-in-place.ts) and removes
 * outputs no longer built. Returns those. A file that cannot be written (disk full) is a
 * FileSystemError naming it.
 */
export async function writeOutput(outDir: string, files: OutputFile[], reuse: IncrementalReuse, rules: OutputRules, writer: FileWriter = diskWriter): Promise<string[]> {
  const removed = reuse.removed();
  const current = reuse.continues || rules.force ? undefined : reuse.current(outputBuildId(outDir));
  checkKeptNotBuilt(outDir, [...files.map((file) => file.path), ...(current?.carried ?? [])], rules.keepFiles);
  if (reuse.continues) {
    const written = files.map((file) => file.path);
    checkInPlaceWrites(outDir, written, removed, (outPath) => reuse.wroteBefore(outPath), rules.force);
    const { id } = reuse.outputId([...written, ...removed]);
    updateSite(outDir, files, removed, { from: reuse.previousOutputId(), to: id, list: reuse.fileList(removed) }, writer);
  } else {
    const { id } = reuse.outputId([]);
    // With --force the old output may hold anything: it is replaced whole (no `current`). So is a
    // folder part-way through an update (it has no build id), or one the cache does not know.
    const list = reuse.fileList([]);
    let stats: Map<string, string>;
    try {
      stats = current ? updateOutput(outDir, files, id, current, rules, list, writer) : await writeSite(outDir, files, id, { rules, list, writer });
    } catch (error) {
      throw outputWriteError(stagedPath(outDir, (error as NodeJS.ErrnoException).path), error);
    }
    reuse.remember(id, stats);
  }
  return removed;
}

/** The output path a staged file stands for (`.public.tmp-…/a.html` → `public/a.html`), for messages. */
function stagedPath(outDir: string, file: string | undefined): string {
  if (!file) return outDir;
  const [first, ...rest] = path.relative(path.dirname(outDir), file).split(path.sep);
  // A file in the old output (`.public.old-…`) is named as it is: the output is not where the problem is.
  return besideOutputName(outDir).exec(first)?.[1] === 'tmp' ? path.join(outDir, ...rest) : file;
}
