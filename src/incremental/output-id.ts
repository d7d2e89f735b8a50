/**
 * An output folder's id, written into its marker: a sum of one number per file, from its path
 * and content, so the same files give the same id in every clone, and watch mode updates the sum
 * by the files it changed alone.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';

const MASK = (1n << 64n) - 1n;
const COPY_STAMP = 'copy\0';

/** A copied file's size, times, inode and source: a change to any of them copies it again. */
export function copyStamp(from: string): string {
  // ctime too: cp -p, rsync -a and tar -x keep a file's mtime but not its ctime.
  const stat = fs.statSync(from);
  return `${COPY_STAMP}${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}\0${from}`;
}

function fileTerm(outPath: string, hash: string): bigint {
  // A copied file counts by its size: its stamp's times and source path differ from clone to clone.
  const identity = hash.startsWith(COPY_STAMP) ? hash.slice(0, hash.indexOf('\0', COPY_STAMP.length)) : hash;
  return BigInt('0x' + createHash('sha1').update(`${outPath}\0${identity}`).digest('hex').slice(0, 16));
}

/** The sum over every output file (path → content hash or copy stamp). */
export function outputsSum(outputs: Map<string, { hash: string }>): bigint {
  let sum = 0n;
  for (const [outPath, record] of outputs) sum = (sum + fileTerm(outPath, record.hash)) & MASK;
  return sum;
}

/** The sum after some files changed: `before` and `after` give a file's hash (undefined: absent). */
export function updatedSum(sum: bigint, changed: Iterable<string>, before: (outPath: string) => string | undefined, after: (outPath: string) => string | undefined): bigint {
  for (const outPath of changed) {
    const old = before(outPath);
    const now = after(outPath);
    if (old !== undefined) sum -= fileTerm(outPath, old);
    if (now !== undefined) sum += fileTerm(outPath, now);
    sum &= MASK;
  }
  return sum;
}

export const idOf = (sum: bigint) => sum.toString(16).padStart(16, '0');
