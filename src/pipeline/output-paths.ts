/**
 * Every output path claimed once: two outputs at one path, or at paths that are one file on common
 * disks (differing only in case, or only in Unicode normalization), are errors naming both sources.
 */
import { OutputConflictError, OutputPathError, type SiteError } from './errors.js';
import type { Origin } from './types.js';
import { RESERVED_NAME_PREFIX } from '../util/urls.js';

const describe = (origin: Origin) => (origin.file ? `${origin.file} (${origin.what})` : origin.what);

/**
 * A name as a case-insensitive disk compares it: each character by its capital when that is one
 * character (Windows' rule), then in lower case. So the letters whose capital is shared, `ı` and
 * `i` (both `I`), Greek `ς` and `σ` (both `Σ`), `ſ` and `s`, are one name, as on those disks;
 * `ß`, whose capital is two letters (`SS`), stays itself, and `İ` stays apart from `i`.
 */
function foldCase(name: string): string {
  if (/^[\x00-\x7f]*$/.test(name)) return name.toLowerCase();
  let folded = '';
  for (const c of name) {
    const capital = c.toUpperCase();
    folded += ([...capital].length === 1 ? capital : c).toLowerCase();
  }
  return folded;
}

/**
 * How two paths that are one file differ. `café` written composed (é) and decomposed (e and a
 * combining accent) looks the same everywhere and is one name on macOS disks, whatever their case
 * rule; case alone is one name on case-insensitive disks (macOS, Windows).
 */
function difference(a: string, b: string): string {
  if (a.normalize('NFC') === b.normalize('NFC')) {
    return 'differ only in Unicode normalization (an accented letter is one character in one, a letter and a combining accent in the other), so they look the same and are one file on macOS disks';
  }
  const inCase = foldCase(a) === foldCase(b) ? 'differ only in case' : 'differ only in case and Unicode normalization';
  return `${inCase}, so they are one file on case-insensitive disks (macOS, Windows) and the hosts built on them (set caseSensitiveUrls: true if yours tells them apart)`;
}

export class OutputPaths {
  private readonly claims = new Map<string, Origin>();
  /** Each path's folded form (see fold) → the path that claimed it first. */
  private readonly folded = new Map<string, string>();
  constructor(
    private readonly errors: SiteError[],
    private readonly caseSensitive: boolean,
  ) {}

  /** One key for the spellings disks take as one name: normalization always, case unless URLs may differ in it. */
  private fold(outPath: string): string {
    const composed = outPath.normalize('NFC');
    return this.caseSensitive ? composed : foldCase(composed).normalize('NFC');
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
    // Pages get their paths checked when planned; a static file's name is checked here.
    const reserved = outPath.split('/').find((name) => name.normalize('NFC').toLowerCase().startsWith(RESERVED_NAME_PREFIX));
    if (reserved !== undefined) {
      this.errors.push(new OutputPathError(origin.file || '.', `would write ${outPath}, but names starting with "${RESERVED_NAME_PREFIX}" are recap's own (its output marker, cache, lock and temporary files); rename it`));
      return;
    }
    const other = this.folded.get(this.fold(outPath));
    if (other !== undefined) {
      const first = this.claims.get(other)!;
      this.conflict(`the output files ${other} (${describe(first)}) and ${outPath} (${describe(origin)}) ${difference(other, outPath)}`, first, origin);
      return;
    }
    this.claims.set(outPath, origin);
    this.folded.set(this.fold(outPath), outPath);
  }

  /** A file where another output needs a folder (`a.html` and `a.html/b/index.html`) cannot both exist, in any spelling of one name. */
  checkFolders(): void {
    for (const [outPath, origin] of this.claims) {
      for (let slash = outPath.indexOf('/'); slash !== -1; slash = outPath.indexOf('/', slash + 1)) {
        const folder = this.folded.get(this.fold(outPath.slice(0, slash)));
        const file = folder === undefined ? undefined : this.claims.get(folder);
        if (file) {
          this.conflict(`the output path ${folder} is a file for ${describe(file)} but a folder for ${describe(origin)}`, file, origin);
        }
      }
    }
  }
}
