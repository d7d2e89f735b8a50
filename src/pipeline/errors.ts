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
export class OutputConflictError extends SiteError {}
export class OutputPathError extends SiteError {}

/** A build that found errors: all of them, in the order found. */
export class BuildFailedError extends Error {
  readonly errors: SiteError[];
  constructor(errors: SiteError[]) {
    super(`build failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  ${e.format()}`).join('\n')}`);
    this.name = 'BuildFailedError';
    this.errors = errors;
  }
}
