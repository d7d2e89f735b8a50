/**
 * Watch mode's write stage: the changed files are written into the live output folder, each one
 * whole (a temporary file beside it, renamed over it), and the marker says "updating" until the
 * last one is in place. A rebuild that stops part-way leaves every file whole, as the last build
 * or this one wrote it, and a marker that says the folder is a mix; the next build writes it whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileSystemError, FileSystemError } from './errors.js';
import { completeMarker, fileList, OUTPUT_MARKER, updatingMarker } from './output-marker.js';
import type { OutputFile } from './types.js';
import { insideFolder, shownPath } from '../util/files.js';

/** How file contents reach the disk. Tests pass one that fails part-way, as a full disk does. */
export interface FileWriter {
  write(file: string, contents: string): void;
  copy(from: string, to: string): void;
}

export const diskWriter: FileWriter = {
  write: (file, contents) => fs.writeFileSync(file, contents),
  copy: (from, to) => fs.copyFileSync(from, to),
};

let temporaries = 0;

/** Short, so that a long file name plus the suffix never exceeds the system's limit. */
const temporaryName = (folder: string) => path.join(folder, `.recap-${process.pid}-${(temporaries++).toString(36)}.tmp`);

/** Matches the temporary files a killed rebuild can leave (the next build's swap drops them). */
export const TEMPORARY_FILE = /^\.recap-\d+-[0-9a-z]+\.tmp$/;

/** Writes one file whole: a reader, or a kill, sees the old bytes or the new ones, never part. */
export function writeWhole(target: string, file: OutputFile | { contents: string }, writer: FileWriter): void {
  const temporary = temporaryName(path.dirname(target));
  try {
    if ('copyFrom' in file) writer.copy(file.copyFrom, temporary);
    else writer.write(temporary, file.contents);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** A failed write of an output file, as one line naming it (not the temporary file it went to) and saying what to do. */
export function outputWriteError(file: string, error: unknown): unknown {
  if (error instanceof FileSystemError) return error; // named already, by the write that failed
  const mapped = fileSystemError(error, file);
  return mapped ? new FileSystemError(shownPath(file), mapped.code, mapped.message, error) : error;
}

/** Removes outputs no longer built, then the folders they leave empty. */
function removeOutputs(outDir: string, removed: string[]): void {
  const parents = new Set<string>();
  for (const relative of removed) {
    const target = insideFolder(outDir, relative);
    fs.rmSync(target, { force: true });
    parents.add(path.dirname(target));
  }
  for (const folder of [...parents].sort((a, b) => b.length - a.length)) {
    for (let dir = folder; dir.startsWith(outDir + path.sep); dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not empty (or already gone): so are its parents
      }
    }
  }
}

/**
 * Writes the given files into the existing output folder and removes outputs no longer planned.
 * Removals go first, so a path can turn from a file into a folder between builds. The marker
 * carries the new id only after the last write; until then it says the folder is being updated.
 */
export function updateSite(outDir: string, files: OutputFile[], removed: string[], ids: { from: string; to: string; list: string }, writer: FileWriter = diskWriter): void {
  if (files.length === 0 && removed.length === 0) return; // nothing changed: neither did the id
  const marker = path.join(outDir, OUTPUT_MARKER);
  const writeOne = (target: string, file: OutputFile | { contents: string }) => {
    try {
      writeWhole(target, file, writer);
    } catch (error) {
      throw outputWriteError(target, error);
    }
  };
  // Until the update is done, files of either build may be there: the list names both.
  writeOne(marker, { contents: updatingMarker(ids.from, ids.to, ids.list + fileList(removed)) });
  try {
    removeOutputs(outDir, removed);
    const targets = files.map((file) => insideFolder(outDir, file.path));
    for (const folder of new Set(targets.map((t) => path.dirname(t)))) fs.mkdirSync(folder, { recursive: true });
    files.forEach((file, i) => writeOne(targets[i], file));
  } catch (error) {
    throw outputWriteError((error as NodeJS.ErrnoException).path ?? outDir, error);
  }
  writeOne(marker, { contents: completeMarker(ids.to, ids.list) });
}
