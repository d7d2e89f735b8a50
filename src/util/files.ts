import fs from 'node:fs';
import path from 'node:path';

/**
 * Which files are markdown: Jekyll's markdown_ext (md, markdown, mkdown, mkdn, mkd), in any case,
 * for every site. The one rule read, parse, plan and watch use, so `x.MD` is a post everywhere.
 */
export const MARKDOWN_EXTENSION = /\.(md|markdown|mkdown|mkdn|mkd)$/i;

export const isMarkdownFile = (file: string) => MARKDOWN_EXTENSION.test(file);

/** A file name without its markdown extension. */
export const withoutMarkdownExtension = (file: string) => file.replace(MARKDOWN_EXTENSION, '');

/** A file's size and modification time: enough to tell that it was changed or replaced since. */
export const fileSignature = (stat: fs.Stats) => `${stat.size}:${stat.mtimeMs}`;

/** fileSignature, and the ctime and inode: cp -p, rsync -a, tar -x and exiftool -P keep a file's size and mtime, not these. */
export const contentStamp = (stat: fs.Stats) => `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;

/** A path's lstat (links not followed), or undefined where there is nothing, or a file on the way (ENOTDIR). */
export function lstatOrNone(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}

/**
 * `mkdir -p`, with the real reason when it fails: Node's recursive mkdir reports ENOENT for a
 * parent it cannot write to (read-only, no permission), so the first missing folder is made alone,
 * which fails with EROFS or EACCES as it should (or succeeds, when a folder was removed meanwhile).
 */
export function makeFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let missing = dir;
    while (!fs.existsSync(path.dirname(missing)) && path.dirname(missing) !== missing) missing = path.dirname(missing);
    fs.mkdirSync(missing);
    fs.mkdirSync(dir, { recursive: true });
  }
}

/** `file` relative to `dir`, with "/" separators: how messages and output paths name it. */
export const relativePath = (dir: string, file: string) => path.relative(dir, file).split(path.sep).join('/');

/** A path as messages show it: relative to the current folder when inside it, else absolute. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative;
}

/** `relative` resolved inside `dir`; throws if it would leave it. */
export function insideFolder(dir: string, relative: string): string {
  const target = path.resolve(dir, relative);
  if (!target.startsWith(dir + path.sep)) throw new Error(`refusing to write ${relative}: it is outside ${dir}`);
  return target;
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed over it. The
 * temporary file is created fresh ("wx"), so a link left at its name is never written through.
 */
export function writeFileAtomically(file: string, data: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  fs.rmSync(temporary, { force: true });
  try {
    fs.writeFileSync(temporary, data, { flag: 'wx' });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
