/**
 * Which files in the output folder are recap's to replace. After a build the folder holds that
 * build alone (swapped in whole, or updated in place), so everything in it must be accounted for:
 * files recap wrote (listed in its marker, see output-marker.ts), kept files (`keepFiles`, left
 * untouched), and anything else, which a build never deletes without --force: it stops and names them.
 *
 * A marker from before the list (an older recap) is read with the cache's output index of the same
 * build id; without either, no file can be proven recap's, and all of them need --force once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, OutputFolderError } from './errors.js';
import { OUTPUT_MARKER, type OutputState } from './output-marker.js';
import { TEMPORARY_FILE } from './write-in-place.js';

/** What a build keeps when the site says nothing: a gh-pages worktree's .git. */
export const DEFAULT_KEEP_FILES = ['.git'];

/** A `keepFiles` (or Jekyll `keep_files`) value as clean relative paths; anything leaving the output folder is an error. */
export function keptPaths(file: string, key: string, value: unknown, line?: number): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((entry): entry is string => typeof entry === 'string')) {
    throw new ConfigError(file, `"${key}" must be a list of paths in the output folder, like [.git, CNAME]`, { line });
  }
  return list.map((entry) => {
    const clean = entry.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    const parts = clean.split('/');
    if (clean === '' || clean === OUTPUT_MARKER || /^[/\\]|^[a-z]:/i.test(entry) || /[\\\0]/.test(entry) || parts.some((p) => p === '' || p === '.' || p === '..')) {
      throw new ConfigError(file, `"${key}" entry ${JSON.stringify(entry)} must be a path inside the output folder, like .git or downloads/slides.pdf`, { line });
    }
    return clean;
  });
}

const shown = (outDir: string) => path.relative(process.cwd(), outDir) || '.';

/** Whether `file` is the output path `entry` (a kept entry) or lies inside it. */
export const withinEntry = (file: string, entry: string) => file === entry || file.startsWith(`${entry}/`);

/** Whether every folder on the way to `relative` inside `outDir` is a real folder (no link to follow elsewhere). */
function reachableWithoutLinks(outDir: string, relative: string): boolean {
  const parts = relative.split('/');
  for (let i = 1; i < parts.length; i++) {
    if (!fs.lstatSync(path.join(outDir, ...parts.slice(0, i)), { throwIfNoEntry: false })?.isDirectory()) return false;
  }
  return true;
}

/** The keepFiles entries present in the output folder that recap did not write itself: these are carried into the new output. */
export function presentKeptFiles(outDir: string, keepFiles: string[], known: Set<string>): string[] {
  const present = keepFiles.filter(
    (entry) => !known.has(entry) && reachableWithoutLinks(outDir, entry) && fs.lstatSync(path.join(outDir, entry), { throwIfNoEntry: false }) !== undefined,
  );
  // An entry inside another kept entry moves with it.
  return [...new Set(present)].filter((entry) => !present.some((other) => other !== entry && withinEntry(entry, other)));
}

/** Stop listing past this many: the message shows a few, and the count says "or more". */
const LIST_LIMIT = 1000;

/**
 * Entries of the output folder that are neither recap's nor kept: files (and links, and anything
 * else but folders) not in the marker's list, in name order. Links are not followed. Folders hold
 * no data of their own: an empty one goes with the old output. Also the temporary files of killed
 * updates, which are recap's (the name is reserved) and go too.
 */
function unlistedEntries(outDir: string, known: Set<string>, kept: Set<string>): { unknown: string[]; temporaries: string[] } {
  const unknown: string[] = [];
  const temporaries: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (unknown.length >= LIST_LIMIT) return;
      const relative = prefix + entry.name;
      if (kept.has(relative) || relative === OUTPUT_MARKER) continue;
      if (entry.isDirectory()) walk(`${dir}/${entry.name}`, `${relative}/`);
      else if (entry.isFile() && !known.has(relative) && TEMPORARY_FILE.test(entry.name)) temporaries.push(relative);
      else if (!entry.isFile() || !known.has(relative)) unknown.push(relative);
    }
  };
  walk(outDir, '');
  return { unknown: unknown.sort(), temporaries };
}

function listed(entries: string[]): string {
  const first = entries.slice(0, 5).join(', ');
  const count = entries.length >= LIST_LIMIT ? `${LIST_LIMIT} or more` : String(entries.length);
  return entries.length > 5 ? `${count} entries recap did not write: ${first} and more` : `${count} ${entries.length === 1 ? 'entry' : 'entries'} recap did not write: ${first}`;
}

/** The files the current output was written with: the marker's list, else (an older marker) what `fallback` knows of that build. */
export function knownOutputFiles(state: OutputState, fallback: Set<string> | undefined): Set<string> {
  return (state.kind === 'unmarked' ? undefined : state.files) ?? fallback ?? new Set();
}

/**
 * Before a build replaces the output folder (or updates it in place): what to carry across
 * (present keepFiles entries), and the temporary files of killed updates, to remove.
 * Throws, naming them, when the folder holds anything else recap did not write (unless `force`).
 */
export function claimOutputFolder(outDir: string, options: { known: Set<string>; keepFiles: string[]; force: boolean; legacyMarker: boolean }): { kept: string[]; temporaries: string[] } {
  const kept = presentKeptFiles(outDir, options.keepFiles, options.known);
  let temporaries: string[] = [];
  if (!options.force) {
    const unlisted = unlistedEntries(outDir, options.known, new Set(kept));
    const unknown = unlisted.unknown;
    temporaries = unlisted.temporaries;
    if (unknown.length > 0) {
      const older = options.legacyMarker ? ` (its ${OUTPUT_MARKER} comes from an older recap, which did not list its files: if they are all recap's, pass --force once)` : '';
      throw new OutputFolderError(
        shown(outDir),
        `holds ${listed(unknown)}${older}; the build replaces this folder, so it stopped and changed nothing: delete or move them, add them to "keepFiles" in recap.config.yml to keep them in every build, or pass --force to delete them`,
      );
    }
  }
  return { kept, temporaries };
}

/**
 * A kept entry is the user's, so the site may build nothing at it, in it or around it: checked
 * before any write, whether the entry is in the output folder yet or not (a file built into a
 * kept folder that does not exist yet would be kept, never removed, from then on).
 */
export function checkKeptNotBuilt(outDir: string, paths: string[], keepFiles: string[]): void {
  for (const entry of keepFiles) {
    const clash = paths.find((file) => withinEntry(file, entry) || withinEntry(entry, file));
    if (clash !== undefined) {
      throw new OutputFolderError(shown(outDir), `keeps ${entry} ("keepFiles"), but the site also builds ${clash}; remove one of them`);
    }
  }
}

/**
 * Watch mode writes into the output folder in place: it may replace and remove only files it
 * wrote itself, and never through a link. Throws, naming them, before anything is written.
 */
export function checkInPlaceWrites(outDir: string, written: string[], removed: string[], wroteBefore: (outPath: string) => boolean, force: boolean): void {
  // The folder itself may have been replaced by a link since the watch began (public -> ..).
  if (!fs.lstatSync(outDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new OutputFolderError(shown(outDir), 'is no longer a folder (a link or a file took its place); recap never writes through a link: remove it and save again');
  }
  const links: string[] = [];
  const unknown: string[] = [];
  const folders = new Set<string>();
  for (const relative of [...written, ...removed]) {
    for (let dir = path.posix.dirname(relative); dir !== '.' && !folders.has(dir); dir = path.posix.dirname(dir)) {
      folders.add(dir);
      const stat = fs.lstatSync(path.join(outDir, dir), { throwIfNoEntry: false });
      if (stat?.isSymbolicLink()) links.push(dir);
      else if (stat && !stat.isDirectory() && !wroteBefore(dir)) unknown.push(dir);
    }
  }
  for (const relative of [...written, OUTPUT_MARKER]) {
    const stat = fs.lstatSync(path.join(outDir, relative), { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) links.push(relative);
    else if (stat && (!stat.isFile() || !(wroteBefore(relative) || relative === OUTPUT_MARKER))) unknown.push(relative);
  }
  if (links.length > 0) {
    throw new OutputFolderError(shown(outDir), `has symbolic links where recap writes: ${links.slice(0, 5).join(', ')}; recap never writes through a link; remove them`);
  }
  if (unknown.length > 0 && !force) {
    throw new OutputFolderError(shown(outDir), `holds ${listed(unknown)}, where this build writes; move them, or pass --force to replace them`);
  }
}
