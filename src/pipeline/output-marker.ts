/**
 * The marker file in every output folder recap writes: it says the folder is recap's, and which
 * whole build it holds. A watch-mode rebuild, which writes in place, first marks the folder as
 * being updated and writes the new id only once every file is in place: a rebuild that stops
 * part-way (killed, disk full) leaves a folder that says so, and the next build writes it whole.
 */
import fs from 'node:fs';
import path from 'node:path';

export const OUTPUT_MARKER = '.recap-built';

/** What an output folder's marker says of it. */
export type OutputState =
  /** No marker: no folder, an empty one, or one recap did not write. */
  | { kind: 'unmarked' }
  /** A whole build, with the output's id (see incremental/output-id.ts). */
  | { kind: 'complete'; id: string }
  /** An update in place began and has not finished (or is running now, in process `pid`). */
  | { kind: 'updating'; from: string; to: string; pid: number };

const HEADER = 'This folder is written by recap: a build replaces it whole.\n';

export const completeMarker = (id: string) => `${HEADER}build ${id}\n`;

export const updatingMarker = (from: string, to: string) =>
  `${HEADER}updating from ${from} to ${to} (process ${process.pid})\n` +
  'If this is still here after that process stopped, the update stopped part-way: some files are from each build. The next build writes the folder whole.\n';

export function readOutputState(outDir: string): OutputState {
  let text: string;
  try {
    text = fs.readFileSync(path.join(outDir, OUTPUT_MARKER), 'utf8');
  } catch {
    return { kind: 'unmarked' };
  }
  const updating = /^updating from (\S+) to (\S+) \(process (\d+)\)$/m.exec(text);
  if (updating) return { kind: 'updating', from: updating[1], to: updating[2], pid: Number(updating[3]) };
  // A marker without an id still marks a whole folder of recap's (a staged folder is complete once it has one).
  return { kind: 'complete', id: /^build (\S+)$/m.exec(text)?.[1] ?? '' };
}

/** The build id of a whole output folder; undefined when it has none or is part-way through an update. */
export function outputBuildId(outDir: string): string | undefined {
  const state = readOutputState(outDir);
  return state.kind === 'complete' && state.id !== '' ? state.id : undefined;
}
