/** Every output path claimed once: two outputs at one path, or at paths only case tells apart, are errors naming both sources. */
import { OutputConflictError, type SiteError } from './errors.js';
import type { Origin } from './types.js';

const describe = (origin: Origin) => (origin.file ? `${origin.file} (${origin.what})` : origin.what);

export class OutputPaths {
  private readonly claims = new Map<string, Origin>();
  /** Lower-cased paths, unless URLs may differ only in case: most hosts' disks do not tell them apart. */
  private readonly folded: Map<string, string> | undefined;
  constructor(
    private readonly errors: SiteError[],
    caseSensitive: boolean,
  ) {
    this.folded = caseSensitive ? undefined : new Map();
  }

  private conflict(message: string, a: Origin, b: Origin): void {
    this.errors.push(new OutputConflictError(b.file || a.file, `${message}; change one of their URLs`));
  }

  claim(outPath: string, origin: Origin): void {
    const earlier = this.claims.get(outPath);
    if (earlier) {
      this.conflict(`the output file ${outPath} would be written twice: by ${describe(earlier)} and by ${describe(origin)}`, earlier, origin);
      return;
    }
    const other = this.folded?.get(outPath.toLowerCase());
    if (other !== undefined) {
      const first = this.claims.get(other)!;
      this.conflict(
        `the output files ${other} (${describe(first)}) and ${outPath} (${describe(origin)}) differ only in case, so they are one file on case-insensitive disks (macOS, Windows) and the hosts built on them (set caseSensitiveUrls: true if yours tells them apart)`,
        first,
        origin,
      );
      return;
    }
    this.claims.set(outPath, origin);
    this.folded?.set(outPath.toLowerCase(), outPath);
  }

  /** A file where another output needs a folder (`a.html` and `a.html/b/index.html`) cannot both exist. */
  checkFolders(): void {
    for (const [outPath, origin] of this.claims) {
      for (let slash = outPath.indexOf('/'); slash !== -1; slash = outPath.indexOf('/', slash + 1)) {
        const folder = outPath.slice(0, slash);
        const file = this.claims.get(folder);
        if (file) {
          this.conflict(`the output path ${folder} is a file for ${describe(file)} but a folder for ${describe(origin)}`, file, origin);
        }
      }
    }
  }
}
