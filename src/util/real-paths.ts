/**
 * Paths compared as the disk sees them. Two spellings of one folder (a symbolic link and its
 * target, `alias/` and `site/`) must never pass a containment check that their strings pass.
 */
import fs from 'node:fs';
import path from 'node:path';

/** More links than this in one path is a loop (Linux gives up at 40 too). */
const MAX_LINKS = 40;

/**
 * The path with every symbolic link resolved. A path that does not exist yet resolves through
 * its deepest existing ancestor; a link to nothing resolves to where it points, since writing
 * through it would create its target.
 */
export function realPath(target: string, links = 0): string {
  const absolute = path.resolve(target);
  try {
    return fs.realpathSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  const parent = path.dirname(absolute);
  if (parent === absolute) return absolute;
  const name = path.basename(absolute);
  const realParent = realPath(parent, links);
  const here = path.join(realParent, name);
  const stat = fs.lstatSync(here, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) {
    if (links >= MAX_LINKS) throw Object.assign(new Error(`too many symbolic links in ${target}`), { code: 'ELOOP' });
    return realPath(path.resolve(realParent, fs.readlinkSync(here)), links + 1);
  }
  return here;
}

/** Whether `child` is `parent` or inside it (both absolute, compared as given: pass real paths). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..' + path.sep) && relative !== '..' && !path.isAbsolute(relative));
}

/** A folder's identity on disk (device and inode), or undefined when it does not exist. */
function identity(folder: string): string | undefined {
  const stat = fs.statSync(folder, { throwIfNoEntry: false });
  return stat && `${stat.dev}:${stat.ino}`;
}

/** The identities of a path and every existing folder above it. */
function lineage(target: string): Set<string> {
  const ids = new Set<string>();
  for (let dir = target; ; dir = path.dirname(dir)) {
    const id = identity(dir);
    if (id) ids.add(id);
    if (path.dirname(dir) === dir) return ids;
  }
}

/**
 * How `folder` stands to `other` (both real paths): the same folder, holding it, inside it, or
 * apart (undefined). Compared as paths, then by device and inode, which also sees one folder under
 * two names that links do not explain (bind mounts, case-insensitive disks).
 */
export function overlap(folder: string, other: string): 'is' | 'holds' | 'is inside' | undefined {
  if (folder === other) return 'is';
  if (isInside(folder, other)) return 'holds';
  if (isInside(other, folder)) return 'is inside';
  const folderId = identity(folder);
  const otherId = identity(other);
  if (folderId !== undefined && folderId === otherId) return 'is';
  if (folderId !== undefined && lineage(other).has(folderId)) return 'holds';
  if (otherId !== undefined && lineage(folder).has(otherId)) return 'is inside';
  return undefined;
}
