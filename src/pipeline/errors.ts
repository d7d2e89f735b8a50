import { shownPath } from '../util/files.js';

/** Every error the build reports names the file it came from. */
export class SiteError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;

  constructor(file: string, message: string, options: { line?: number; column?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.file = file;
    this.line = options.line;
    this.column = options.column;
  }

  /** `posts/x.md:3:9: message`, the shape compilers and editors understand. */
  format(): string {
    let where = this.file;
    if (this.line !== undefined) {
      where += `:${this.line}`;
      if (this.column !== undefined) where += `:${this.column}`;
    }
    return `${where}: ${this.message}`;
  }
}

export class ConfigError extends SiteError {}
export class ReadError extends SiteError {}
export class FrontMatterError extends SiteError {}
export class TemplateError extends SiteError {}
/** A post's markdown could not be rendered within its budget of time, memory or nesting. */
export class MarkdownError extends SiteError {}
/** A Jekyll site's Sass stylesheet could not be compiled: the file (a partial when it is there) and line of the problem. */
export class SassError extends SiteError {}
export class OutputConflictError extends SiteError {}
/** An image's resized copy could not be made (the file changed while read, the cache folder is full). */
export class ImageError extends SiteError {}
export class OutputPathError extends SiteError {}
/** Another recap process is writing the output folder. */
export class OutputLockedError extends SiteError {}

/** What to do about each file-system error a build, watch or `recap new` can meet, by errno code. */
const FILE_SYSTEM_ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full; free some space and build again',
  EDQUOT: 'the disk quota is used up; free some space and build again',
  EROFS: 'is on a read-only file system; choose a writable folder',
  EACCES: 'permission denied; give yourself access to it, or choose another folder',
  EPERM: 'the operation is not permitted; check its permissions and owner, or choose another folder',
  ENAMETOOLONG: 'the name or path is too long for the file system; shorten the folder names, the permalink, tag or title it comes from',
  ENOENT: 'does not exist (it was moved or deleted while recap was working); build again',
  ENOTDIR: 'a part of this path is a file where recap expected a folder; rename or remove that file',
  EISDIR: 'is a folder where recap expected a file; rename or remove that folder',
  EEXIST: 'already exists and is in the way; remove it and build again',
  EBUSY: 'is in use by another program; close it and build again',
  EMFILE: 'too many files are open; close other programs or raise the limit (ulimit -n) and build again',
  ENFILE: 'too many files are open on this system; close other programs and build again',
  EIO: 'the disk reported an input/output error; check the disk',
  ELOOP: 'has symbolic links that loop; fix or remove them',
  EXDEV: 'cannot be moved across disks; put the output folder on the same disk as its parent',
};

/** Codes a file changing during a build explains: building again is likely to succeed. */
const RACE_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EBUSY']);

/** A file-system error (a full disk, a read-only folder, a file deleted mid-build), named by its path. */
export class FileSystemError extends SiteError {
  readonly code: string;
  constructor(file: string, code: string, message: string, cause: unknown) {
    super(file, message, { cause });
    this.code = code;
  }

  /** Whether files changing under the build may explain it (then building again may well succeed). */
  get mayBeRace(): boolean {
    return RACE_CODES.has(this.code);
  }
}

/**
 * The one mapping from Node's file-system errors (an `errno` code and a syscall) to recap's: one
 * line naming the path and what to do, instead of a stack trace. Undefined for anything else.
 * Some errors carry no path (a write to an open file that fills the disk): `fallbackPath` is named then.
 * `hint` adds what else the caller's situation allows (another --out, --no-cache).
 */
export function fileSystemError(error: unknown, fallbackPath?: string, hint?: string): FileSystemError | undefined {
  if (error instanceof FileSystemError) return error;
  const errno = error as NodeJS.ErrnoException | undefined;
  if (!(error instanceof Error) || typeof errno?.code !== 'string' || typeof errno.syscall !== 'string') return undefined;
  const code = errno.code;
  // A copy names its source and destination: the destination when writing failed, else the source.
  const dest = (error as { dest?: unknown }).dest;
  const writing = ['ENOSPC', 'EDQUOT', 'EROFS', 'EISDIR'].includes(code);
  const file = (typeof dest === 'string' && writing ? dest : errno.path) ?? fallbackPath;
  const advice = FILE_SYSTEM_ADVICE[code] ?? `failed (${errno.syscall}); check the file and build again`;
  return new FileSystemError(file === undefined ? '.' : shownPath(file), code, `${advice}${hint ? `; ${hint}` : ''} (${code})`, error);
}

/** The output folder holds files recap did not write, or links it would write through. */
export class OutputFolderError extends SiteError {}

/** Work or size beyond recap's limits: a template that runs too long or writes too much. */
export class LimitError extends SiteError {}

/**
 * Errors as a build reports them: by file, then by line (a file's errors without a line first),
 * then by column; errors at one place keep the order they were found in; the same error twice once.
 */
export function sortErrors(errors: SiteError[]): SiteError[] {
  const at = (n: number | undefined) => n ?? 0;
  // One problem found twice (a file read for two stages, say) is said once.
  const seen = new Set<string>();
  const once = errors.filter((error) => {
    const line = error.format();
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
  return once.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : at(a.line) - at(b.line) || at(a.column) - at(b.column)));
}

/** A build that found errors: all of them, in the order found. */
export class BuildFailedError extends Error {
  readonly errors: SiteError[];
  constructor(errors: SiteError[]) {
    super(`build failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  ${e.format()}`).join('\n')}`);
    this.name = 'BuildFailedError';
    this.errors = errors;
  }
}
