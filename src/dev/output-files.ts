/**
 * The file a URL path names in the output folder, found without following symbolic links. recap
 * never writes a link into the output folder (links in static/ are refused), so a link there was
 * put by something else, and may point anywhere (`leak.txt -> /etc/passwd`, `docs -> /`): the dev
 * server serves none, wherever it points. Each segment is checked with lstat on the way down, and
 * only regular files are served (a FIFO would hang the request, a device would never end).
 */
import fs from 'node:fs';
import path from 'node:path';

export type OutputFile =
  /** A regular file: `segments` name it below the output folder, `file` is its path on disk. */
  | { kind: 'file'; segments: string[]; file: string }
  /** A folder asked for without its final "/": static hosts redirect to the folder. */
  | { kind: 'folder' }
  | { kind: 'missing' };

const MISSING: OutputFile = { kind: 'missing' };

/**
 * What `segments` name below `outDir`: with `folder` (the path ended in "/"), the folder's
 * index.html. Any error on the way (no such file, a name too long, no permission) is "missing".
 */
export async function findOutputFile(outDir: string, segments: string[], folder: boolean): Promise<OutputFile> {
  // The output folder itself may be a link (the author's choice of --out); what is below it may not.
  let stats = await statOrUndefined(outDir, fs.promises.stat);
  let at = outDir;
  for (const segment of segments) {
    if (!stats?.isDirectory()) return MISSING;
    at = path.join(at, segment);
    stats = await statOrUndefined(at, fs.promises.lstat);
  }
  if (!stats) return MISSING;
  if (stats.isDirectory()) {
    if (!folder) return { kind: 'folder' };
    const index = path.join(at, 'index.html');
    return (await statOrUndefined(index, fs.promises.lstat))?.isFile() ? { kind: 'file', segments: [...segments, 'index.html'], file: index } : MISSING;
  }
  return stats.isFile() && !folder ? { kind: 'file', segments, file: at } : MISSING;
}

async function statOrUndefined(file: string, stat: (file: string) => Promise<fs.Stats>): Promise<fs.Stats | undefined> {
  try {
    return await stat(file);
  } catch {
    return undefined;
  }
}

/**
 * A file's bytes, refusing a link in its last segment: between the lookup above and this read,
 * the file may have been replaced by one.
 */
export function readWithoutFollowing(file: string): Promise<Buffer> {
  return fs.promises.readFile(file, { flag: fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) });
}
