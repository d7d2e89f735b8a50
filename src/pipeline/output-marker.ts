/**
 * The marker file in every output folder recap writes (`.recap-built`). It says the folder is
 * recap's, which whole build it holds, and lists every file recap wrote there, so that a build
 * replaces only those (see output-ownership.ts). A watch-mode rebuild, which writes in place,
 * first marks the folder as being updated and writes the new id only once every file is in place:
 * a rebuild that stops part-way (killed, disk full) leaves a folder that says so, and the next
 * build writes it whole.
 *
 * The list lives in the output folder, so it travels with it: a fresh clone with a public/ built by
 * CI, or a deleted .recap-cache, still knows which files are recap's.
 */
import fs from 'node:fs';
import path from 'node:path';

export const OUTPUT_MARKER = '.recap-built';

/** What an output folder's marker says of it. `files` is undefined for a marker from an older recap, which listed none. */
export type OutputState =
  /** No marker: no folder, an empty one, or one recap did not write. */
  | { kind: 'unmarked' }
  /** A whole build, with the output's id (see incremental/output-id.ts). */
  | { kind: 'complete'; id: string; files?: Set<string> }
  /** An update in place began and has not finished (or is running now, in process `pid`). */
  | { kind: 'updating'; from: string; to: string; pid: number; files?: Set<string> };

const HEADER = "This folder is written by recap. A build replaces the files listed below, carries the site's keepFiles over, and stops at any other file.\n";
const FILES_HEADER = 'files (JSON strings, one a line):';

/** The marker's list of files: sorted, so that watch mode and a clean build write the same bytes. */
export function fileList(files: Iterable<string>): string {
  return [...new Set(files)].sort().map((file) => `${JSON.stringify(file)}\n`).join('');
}

/** The marker of a whole build, listing its files (`fileList`). */
export const completeMarker = (id: string, list: string) => `${HEADER}build ${id}\n${FILES_HEADER}\n${list}`;

/** The marker while an update in place runs; `list` holds every file of either build. */
export const updatingMarker = (from: string, to: string, list: string) =>
  `${HEADER}updating from ${from} to ${to} (process ${process.pid})\n` +
  'If this is still here after that process stopped, the update stopped part-way: some files are from each build. The next build writes the folder whole.\n' +
  `${FILES_HEADER}\n${list}`;

/** What the marker says; with `withFiles: false` only its first lines are read (watch mode asks before every rebuild). */
export function readOutputState(outDir: string, withFiles = true): OutputState {
  const file = path.join(outDir, OUTPUT_MARKER);
  let text: string;
  try {
    // Only a file of its own: a link put in its place would vouch for files recap never wrote.
    if (!fs.lstatSync(file).isFile()) return { kind: 'unmarked' };
    text = withFiles ? fs.readFileSync(file, 'utf8') : readHead(file);
  } catch {
    return { kind: 'unmarked' };
  }
  const files = withFiles ? listedFiles(text) : undefined;
  const updating = /^updating from (\S+) to (\S+) \(process (\d+)\)$/m.exec(text);
  if (updating) return { kind: 'updating', from: updating[1], to: updating[2], pid: Number(updating[3]), files };
  // A marker without an id still marks a whole folder of recap's (a staged folder is complete once it has one).
  return { kind: 'complete', id: /^build (\S+)$/m.exec(text)?.[1] ?? '', files };
}

function readHead(file: string): string {
  const handle = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(1024);
    const text = head.subarray(0, fs.readSync(handle, head, 0, head.length, 0)).toString('utf8');
    return text.slice(0, text.indexOf(`\n${FILES_HEADER}`) + 1 || undefined);
  } finally {
    fs.closeSync(handle);
  }
}

function listedFiles(text: string): Set<string> | undefined {
  const at = text.indexOf(`\n${FILES_HEADER}\n`);
  if (at === -1) return undefined;
  const files = new Set<string>();
  for (const line of text.slice(at + FILES_HEADER.length + 2).split('\n')) {
    if (line === '') continue;
    try {
      const file: unknown = JSON.parse(line);
      if (typeof file === 'string') files.add(file);
    } catch {
      // A damaged line proves nothing: its file counts as not recap's.
    }
  }
  return files;
}

/** The build id of a whole output folder; undefined when it has none or is part-way through an update. */
export function outputBuildId(outDir: string): string | undefined {
  const state = readOutputState(outDir, false);
  return state.kind === 'complete' && state.id !== '' ? state.id : undefined;
}
