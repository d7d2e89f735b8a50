import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Reuse as IncrementalReuse } from '../incremental/reuse.js';
import { completeMarker, fileList, OUTPUT_MARKER, outputBuildId, readOutputState } from './output-marker.js';
import type { OutputFile } from './types.js';
import { diskWriter, outputWriteError, updateSite, type FileWriter } from './write-in-place.js';
import { fileSignature as signature, insideFolder as inside, shownPath } from '../util/files.js';
import { OutputFolderError } from './errors.js';
import { checkInPlaceWrites, claimOutputFolder, DEFAULT_KEEP_FILES, knownOutputFiles, presentKeptFiles } from './output-ownership.js';

export { OUTPUT_MARKER, outputBuildId } from './output-marker.js';
export type { FileWriter } from './write-in-place.js';

/** Synchronous on purpose: for thousands of small files, measured faster than batches of fs.promises calls. */
/**
 * What the current output folder holds, as a previous build recorded it: a file whose content
 * hash is unchanged is hard-linked from there instead of written again (on slow disks writing
 * thousands of files is most of a build).
 */
export interface Reuse {
  from: string;
  previous: Map<string, string>;
  next: Map<string, string>;
  /** Each file's size and modification time when it was written: a file edited since is not reused. */
  stats: Map<string, string>;
  /** Pages not rendered again: the current output's files, carried over as they are. */
  carried: string[];
}


/**
 * Writes (or links) every file, and carries over the pages not rendered again (the current
 * output's files as they are); returns each file's signature, for the next build's reuse.
 */
function writeAll(dir: string, files: OutputFile[], reuse: Reuse | undefined, writer: FileWriter): Map<string, string> {
  const carried = reuse?.carried ?? [];
  const targets = files.map((file) => inside(dir, file.path));
  const carriedTargets = carried.map((file) => inside(dir, file));
  for (const folder of new Set([...targets, ...carriedTargets].map((t) => path.dirname(t)))) fs.mkdirSync(folder, { recursive: true });
  const written = new Map<string, string>();
  if (reuse) carried.forEach((file, i) => written.set(file, carryPage(reuse, file, carriedTargets[i], writer)));
  files.forEach((file, i) => {
    const hash = reuse?.next.get(file.path);
    const seen = reuse?.stats.get(file.path);
    if (reuse && hash !== undefined && seen !== undefined && reuse.previous.get(file.path) === hash) {
      try {
        const source = inside(reuse.from, file.path);
        // lstat: a link put in the old output's place is not recap's file, and is never linked into the new one.
        const stat = fs.lstatSync(source);
        if (stat.isFile() && signature(stat) === seen) {
          fs.linkSync(source, targets[i]);
          written.set(file.path, seen);
          return;
        }
      } catch {
        // Gone, or links not possible here: write it.
      }
    }
    if ('copyFrom' in file) writer.copy(file.copyFrom, targets[i]);
    else writer.write(targets[i], file.contents);
    written.set(file.path, signature(fs.statSync(targets[i])));
  });
  return written;
}

/** Link errors that mean "no hard links here" (another device, a file system without them, too many): the file is copied instead. */
const NO_LINKS = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * A page that was not rendered again, from the current output into the new one: linked, or copied
 * where links cannot be made. Its file must still be the one recap wrote (the Reuse checked it
 * before rendering): one changed or removed since stops the build, never becomes a stale page.
 */
function carryPage(reuse: Reuse, file: string, target: string, writer: FileWriter): string {
  const source = inside(reuse.from, file);
  const seen = reuse.stats.get(file);
  const unchanged = () => {
    const stat = fs.lstatSync(source, { throwIfNoEntry: false });
    if (!stat?.isFile() || seen === undefined || signature(stat) !== seen) {
      throw new OutputFolderError(shownPath(source), 'was changed or removed while recap was building; build again');
    }
  };
  unchanged();
  try {
    fs.linkSync(source, target);
    return seen!;
  } catch (error) {
    if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) {
      unchanged();
      throw error;
    }
  }
  unchanged();
  writer.copy(source, target);
  return signature(fs.statSync(target));
}

/** What a build from scratch is told about the output folder it replaces. */
export interface OutputRules {
  /** Paths in the output folder (not written by recap) carried into the new output. */
  keepFiles: string[];
  /** Replace files recap did not write instead of stopping. */
  force: boolean;
}

const DEFAULT_RULES: OutputRules = { keepFiles: DEFAULT_KEEP_FILES, force: false };

export interface SwapOptions {
  /** Files the current output holds that may be hard-linked instead of written. */
  reuse?: Omit<Reuse, 'from'>;
  rules?: OutputRules;
  /** The current output's files as the cache knows them, for a marker from an older recap that lists none. */
  knownFallback?: Set<string>;
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
  const name = path.basename(outDir);
  if (!fs.existsSync(parent)) return;
  const leftovers = fs
    .readdirSync(parent)
    .map((entry) => ({ entry, match: new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)-`).exec(entry) }))
    .filter((x): x is { entry: string; match: RegExpExecArray } => x.match !== null && !isAlive(Number(x.match[2])));
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
    fs.rmSync(leftover, { recursive: true, force: true });
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
  const { reuse, rules = DEFAULT_RULES, knownFallback, writer = diskWriter } = options;
  const carried = reuse?.carried ?? [];
  const parent = path.dirname(outDir);
  const name = path.basename(outDir);
  recoverOutput(outDir, rules.keepFiles);
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const staging = path.join(parent, `.${name}.tmp-${suffix}`);
  const retired = path.join(parent, `.${name}.old-${suffix}`);
  fs.mkdirSync(parent, { recursive: true });
  fs.mkdirSync(staging);
  let stats: Map<string, string>;
  let kept: string[] = [];
  try {
    stats = writeAll(staging, files, reuse && { ...reuse, from: outDir }, writer);
    // Written last into every output folder recap makes: it marks the folder as recap's, and as complete.
    writer.write(path.join(staging, OUTPUT_MARKER), completeMarker(buildId, options.list ?? fileList([...files.map((file) => file.path), ...carried])));
    const existing = fs.lstatSync(outDir, { throwIfNoEntry: false });
    if (existing && !existing.isDirectory()) {
      throw new OutputFolderError(path.relative(process.cwd(), outDir), 'exists and is not a folder; remove it or choose another --out');
    }
    // Looked at last, just before the swap, so that nothing added meanwhile goes unseen.
    if (existing) kept = claimOutput(outDir, [...files.map((file) => file.path), ...carried], rules, knownFallback);
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
function claimOutput(outDir: string, paths: string[], rules: OutputRules, knownFallback: Set<string> | undefined): string[] {
  const state = readOutputState(outDir);
  const known = knownOutputFiles(state, state.kind === 'complete' && state.id !== '' ? knownFallback : undefined);
  const legacyMarker = state.kind !== 'unmarked' && state.files === undefined && knownFallback === undefined;
  return claimOutputFolder(outDir, paths, { known, keepFiles: rules.keepFiles, force: rules.force, legacyMarker });
}

/** Above this many files, deleting the old output (seconds on some disks) happens after the build returns. */
const BACKGROUND_REMOVAL = 2000;

/**
 * The old output is no longer the site: a large one is deleted by a detached process, so the
 * build does not wait for it; if that process dies, the next build removes what is left.
 */
function removeRetired(retired: string, size: number): void {
  if (size < BACKGROUND_REMOVAL) {
    fs.rmSync(retired, { recursive: true, force: true });
    return;
  }
  const script = `require('node:fs').rmSync(${JSON.stringify(retired)}, { recursive: true, force: true })`;
  spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' }).unref();
}

/**
 * The write stage: a build from scratch writes the whole site beside the output folder and swaps
 * it in (linking files the current output already holds with the same content); a watch-mode
 * rebuild writes the changed files in place (see write-in-place.ts) and removes outputs no longer
 * built. Returns those. A file that cannot be written (disk full) is a FileSystemError naming it.
 */
export async function writeOutput(outDir: string, files: OutputFile[], reuse: IncrementalReuse, rules: OutputRules, writer: FileWriter = diskWriter): Promise<string[]> {
  const removed = reuse.removed();
  if (reuse.continues) {
    const written = files.map((file) => file.path);
    checkInPlaceWrites(outDir, written, removed, (outPath) => reuse.wroteBefore(outPath), rules.force);
    const { id } = reuse.outputId([...written, ...removed]);
    updateSite(outDir, files, removed, { from: reuse.previousOutputId(), to: id, list: reuse.fileList(removed) }, writer);
  } else {
    const { id } = reuse.outputId([]);
    // With --force the old output may hold anything, links included: nothing is hard-linked from it.
    // A folder part-way through an update has no build id: none of its files is linked, every one is written.
    const linkable = rules.force ? undefined : reuse.linkable(outputBuildId(outDir));
    let stats: Map<string, string>;
    try {
      // An output from an older recap lists no files: the cache's index of the same build does.
      stats = await writeSite(outDir, files, id, { reuse: linkable, rules, knownFallback: linkable && new Set(linkable.previous.keys()), list: reuse.fileList([]), writer });
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
  return first.startsWith(`.${path.basename(outDir)}.`) ? path.join(outDir, ...rest) : file;
}
