import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Reuse as IncrementalReuse } from '../incremental/reuse.js';
import { completeMarker, OUTPUT_MARKER, outputBuildId } from './output-marker.js';
import type { OutputFile } from './types.js';
import { diskWriter, outputWriteError, updateSite, type FileWriter } from './write-in-place.js';
import { fileSignature as signature, insideFolder as inside } from '../util/files.js';

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
}


/** Writes (or links) every file; returns each file's signature, for the next build's reuse. */
function writeAll(dir: string, files: OutputFile[], reuse: Reuse | undefined, writer: FileWriter): Map<string, string> {
  const targets = files.map((file) => inside(dir, file.path));
  for (const folder of new Set(targets.map((t) => path.dirname(t)))) fs.mkdirSync(folder, { recursive: true });
  const written = new Map<string, string>();
  files.forEach((file, i) => {
    const hash = reuse?.next.get(file.path);
    const seen = reuse?.stats.get(file.path);
    if (reuse && hash !== undefined && seen !== undefined && reuse.previous.get(file.path) === hash) {
      try {
        const source = inside(reuse.from, file.path);
        if (signature(fs.statSync(source)) === seen) {
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
 * in place when it is complete (it has its marker), else the old one is put back.
 */
export function recoverOutput(outDir: string): void {
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
  for (const { entry } of leftovers) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
}

/**
 * Writes the whole site beside the output folder, then swaps it in: a build that fails (or is
 * killed) while writing leaves the previous output as it was, and no stale file from an earlier
 * build survives. The marker file is written last, so a staged folder with it is complete.
 */
export async function writeSite(
  outDir: string,
  files: OutputFile[],
  buildId: string,
  reuse?: Omit<Reuse, 'from'>,
  writer: FileWriter = diskWriter,
): Promise<Map<string, string>> {
  const parent = path.dirname(outDir);
  const name = path.basename(outDir);
  recoverOutput(outDir);
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const staging = path.join(parent, `.${name}.tmp-${suffix}`);
  const retired = path.join(parent, `.${name}.old-${suffix}`);
  fs.mkdirSync(parent, { recursive: true });
  fs.mkdirSync(staging);
  let stats: Map<string, string>;
  try {
    stats = writeAll(staging, files, reuse && { ...reuse, from: outDir }, writer);
    // Written last into every output folder recap makes: it marks the folder as recap's, and as complete.
    writer.write(path.join(staging, OUTPUT_MARKER), completeMarker(buildId));
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const existing = fs.lstatSync(outDir, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`${outDir} exists and is not a folder; remove it or choose another --out`);
  }
  if (existing) fs.renameSync(outDir, retired);
  fs.renameSync(staging, outDir);
  if (existing) removeRetired(retired, files.length);
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
 * built. Returns those. A file that cannot be written (disk full) is an OutputWriteError naming it.
 */
export async function writeOutput(outDir: string, files: OutputFile[], reuse: IncrementalReuse, writer: FileWriter = diskWriter): Promise<string[]> {
  const removed = reuse.removed();
  if (reuse.continues) {
    const { id } = reuse.outputId([...files.map((file) => file.path), ...removed]);
    updateSite(outDir, files, removed, { from: reuse.previousOutputId(), to: id }, writer);
  } else {
    const { id } = reuse.outputId([]);
    let stats: Map<string, string>;
    try {
      // A folder part-way through an update has no build id: none of its files is linked, every one is written.
      stats = await writeSite(outDir, files, id, reuse.linkable(outputBuildId(outDir)), writer);
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
