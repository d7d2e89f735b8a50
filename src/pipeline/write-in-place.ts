/**
 * Writing into the live output folder (watch-mode rebuilds, and builds that find the output folder
 * as the last build left it): the changed files are first written whole into a staging folder
 * beside the output, so a full disk stops the update before the output is touched. Then the
 * marker says "updating", the files are moved in (renames: no space needed) and the outputs no
 * longer built are removed, and the marker takes the new id. An update killed part-way leaves
 * every file whole, as the last build or this one wrote it, and a marker that says the folder is
 * a mix; the next build writes it whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileSystemError, FileSystemError } from './errors.js';
import { completeMarker, fileList, OUTPUT_MARKER, updatingMarker } from './output-marker.js';
import type { OutputFile } from './types.js';
import { insideFolder, lstatOrNone, shownPath } from '../util/files.js';

/** How file contents reach the disk. Tests pass one that fails part-way, as a full disk does. */
export interface FileWriter {
  write(file: string, contents: string | Uint8Array): void;
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

/** Puts one file whole (`put` writes it to a temporary name beside it): a reader, or a kill, sees the old bytes or the new ones, never part. */
function writeWhole(target: string, put: (temporary: string) => void): void {
  const temporary = temporaryName(path.dirname(target));
  try {
    put(temporary);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** Moves a staged file to its place; an output folder on another disk (a mount point) gets a copy, written whole. */
function moveInto(staged: string, target: string): void {
  // An empty folder where the file goes (made by hand: it holds nothing) makes way.
  if (lstatOrNone(target)?.isDirectory()) fs.rmdirSync(target);
  try {
    fs.renameSync(staged, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    writeWhole(target, (temporary) => fs.copyFileSync(staged, temporary));
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
    // A folder now where the file was (made by hand: it holds no file of anyone's) goes once empty, below.
    if (lstatOrNone(target)?.isDirectory()) parents.add(target);
    else fs.rmSync(target, { force: true });
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

/** The folders a build keeps beside the output (`.public.tmp-…`, `.public.old-…`): named by the process, so another build tidies them only once it is gone. */
export function besideOutput(outDir: string, kind: 'tmp' | 'old', suffix = `${process.pid}-${Date.now().toString(36)}`): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}.${kind}-${suffix}`);
}

/** Matches the names of `besideOutput` folders: [whole, kind, process id]. */
export function besideOutputName(outDir: string): RegExp {
  return new RegExp(`^\\.${path.basename(outDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)-`);
}

/** Writes each file whole into a new staging folder (its i-th file as `i`); on failure removes it and throws, naming the output file. */
function stageFiles(staging: string, files: OutputFile[], targets: string[], writer: FileWriter): string[] {
  fs.mkdirSync(staging);
  try {
    return files.map((file, i) => {
      const staged = path.join(staging, String(i));
      try {
        if ('copyFrom' in file) writer.copy(file.copyFrom, staged);
        else writer.write(staged, file.contents);
      } catch (error) {
        throw outputWriteError(targets[i], error);
      }
      return staged;
    });
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Writes the given files into the existing output folder and removes outputs no longer planned.
 * Every file is staged first; removals go before the moves, so a path can turn from a file into a
 * folder between builds. The marker carries the new id only after the last move; until then it
 * says the folder is being updated.
 */
export function updateSite(outDir: string, files: OutputFile[], removed: string[], ids: { from: string; to: string; list: string }, writer: FileWriter = diskWriter): void {
  if (files.length === 0 && removed.length === 0 && ids.from === ids.to) return; // nothing changed
  const marker = path.join(outDir, OUTPUT_MARKER);
  const writeMarker = (contents: string) => {
    try {
      writeWhole(marker, (temporary) => writer.write(temporary, contents));
    } catch (error) {
      throw outputWriteError(marker, error);
    }
  };
  const targets = files.map((file) => insideFolder(outDir, file.path));
  const staging = besideOutput(outDir, 'tmp');
  const staged = stageFiles(staging, files, targets, writer);
  try {
    // Until the update is done, files of either build may be there: the list names both.
    writeMarker(updatingMarker(ids.from, ids.to, ids.list + fileList(removed)));
    let moving = outDir;
    try {
      removeOutputs(outDir, removed);
      for (const folder of new Set(targets.map((t) => path.dirname(t)))) fs.mkdirSync(folder, { recursive: true });
      targets.forEach((target, i) => {
        moving = target;
        moveInto(staged[i], target);
      });
    } catch (error) {
      throw outputWriteError(moving !== outDir ? moving : ((error as NodeJS.ErrnoException).path ?? outDir), error);
    }
    writeMarker(completeMarker(ids.to, ids.list));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
