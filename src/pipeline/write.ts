import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Reuse as IncrementalReuse } from '../incremental/reuse.js';
import type { OutputFile } from './types.js';
import { fileSignature as signature } from '../util/files.js';
import { OutputFolderError } from './errors.js';
import {
  checkInPlaceWrites,
  claimOutputFolder,
  DEFAULT_KEEP_FILES,
  fileList,
  knownOutputFiles,
  markerText,
  OUTPUT_MARKER,
  presentKeptFiles,
  readMarker,
} from './output-ownership.js';

function inside(dir: string, relative: string): string {
  const target = path.resolve(dir, relative);
  if (!target.startsWith(dir + path.sep)) throw new Error(`refusing to write ${relative}: it is outside ${dir}`);
  return target;
}

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
}


/** Writes (or links) every file; returns each file's signature, for the next build's reuse. */
function writeAll(dir: string, files: OutputFile[], reuse?: Reuse): Map<string, string> {
  const targets = files.map((file) => inside(dir, file.path));
  for (const folder of new Set(targets.map((t) => path.dirname(t)))) fs.mkdirSync(folder, { recursive: true });
  const written = new Map<string, string>();
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
    if ('copyFrom' in file) fs.copyFileSync(file.copyFrom, targets[i]);
    else fs.writeFileSync(targets[i], file.contents);
    written.set(file.path, signature(fs.statSync(targets[i])));
  });
  return written;
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
  const kept = presentKeptFiles(leftover, keepFiles, readMarker(leftover)?.files ?? new Set());
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
  const { reuse, rules = DEFAULT_RULES, knownFallback } = options;
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
    stats = writeAll(staging, files, reuse && { ...reuse, from: outDir });
    fs.writeFileSync(path.join(staging, OUTPUT_MARKER), markerText(buildId, options.list ?? fileList(files.map((file) => file.path))));
    const existing = fs.lstatSync(outDir, { throwIfNoEntry: false });
    if (existing && !existing.isDirectory()) {
      throw new OutputFolderError(path.relative(process.cwd(), outDir), 'exists and is not a folder; remove it or choose another --out');
    }
    // Looked at last, just before the swap, so that nothing added meanwhile goes unseen.
    if (existing) kept = claimOutput(outDir, files, rules, knownFallback);
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
function claimOutput(outDir: string, files: OutputFile[], rules: OutputRules, knownFallback: Set<string> | undefined): string[] {
  const marker = readMarker(outDir);
  const known = knownOutputFiles(marker, marker?.buildId === undefined ? undefined : knownFallback);
  return claimOutputFolder(outDir, files, { known, keepFiles: rules.keepFiles, force: rules.force, legacyMarker: marker !== undefined && marker.files === undefined && knownFallback === undefined });
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
 * Watch mode: writes only the given files into the existing output folder and removes outputs no
 * longer planned, with the folders they leave empty. Removals go first, so a path can turn from a
 * file into a folder between builds.
 */
export async function updateSite(outDir: string, files: OutputFile[], removed: string[], buildId: string, list: string): Promise<void> {
  const parents = new Set<string>();
  for (const relative of removed) {
    const target = inside(outDir, relative);
    fs.rmSync(target, { force: true });
    parents.add(path.dirname(target));
  }
  // The id follows the content, so the folder matches a clean build's, and no longer the last full build's record.
  fs.writeFileSync(path.join(outDir, OUTPUT_MARKER), markerText(buildId, list));
  for (const folder of [...parents].sort((a, b) => b.length - a.length)) {
    for (let dir = folder; dir.startsWith(outDir + path.sep); dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not empty (or already gone): so are its parents
      }
    }
  }
  writeAll(outDir, files);
}

/**
 * The write stage: a build from scratch writes the whole site beside the output folder and swaps
 * it in (linking files the current output already holds with the same content); a watch-mode
 * rebuild writes the changed files in place and removes outputs no longer built. Returns those.
 */
export async function writeOutput(outDir: string, files: OutputFile[], reuse: IncrementalReuse, rules: OutputRules): Promise<string[]> {
  const removed = reuse.removed();
  if (reuse.continues) {
    const written = files.map((file) => file.path);
    checkInPlaceWrites(outDir, written, removed, (outPath) => reuse.wroteBefore(outPath), rules.force);
    const { id } = reuse.outputId([...written, ...removed]);
    await updateSite(outDir, files, removed, id, reuse.fileList(removed));
  } else {
    const { id } = reuse.outputId([]);
    // With --force the old output may hold anything, links included: nothing is hard-linked from it.
    const linkable = rules.force ? undefined : reuse.linkable(readMarker(outDir)?.buildId);
    // An output from an older recap lists no files: the cache's index of the same build does.
    const stats = await writeSite(outDir, files, id, { reuse: linkable, rules, knownFallback: linkable && new Set(linkable.previous.keys()), list: reuse.fileList([]) });
    reuse.remember(id, stats);
  }
  return removed;
}
