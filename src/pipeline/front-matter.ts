/**
 * Front matter: found between the first line's --- and the next, parsed as YAML without running
 * code, and read key by key with typed readers that name the file and line of a bad value.
 */
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { parseDate } from '../util/dates.js';
import { invisibleCharacterReason, redirectPatternReason, shown, urlScheme } from '../util/urls.js';
import { FrontMatterError } from './errors.js';
import type { SourceFile } from './types.js';

const refuse = (language: string) => () => {
  throw new Error(`front matter in "${language}" is not supported`);
};

/**
 * Always called with options: without them gray-matter caches by content and hands back shared
 * objects. YAML goes through js-yaml 4 (safe by default); code languages are never evaluated.
 */
const MATTER_OPTIONS = {
  language: 'yaml',
  engines: {
    yaml: (text: string) => yaml.load(text) as object,
    js: refuse('js'),
    javascript: refuse('javascript'),
    coffee: refuse('coffee'),
    json: refuse('json'),
    toml: refuse('toml'),
  },
};

export interface Split {
  matter: string;
  body: string;
  /** File line where the body starts. */
  bodyLine: number;
}

/** Finds the front matter between the first line's `---` and the next `---` (or `...`) line. */
export function splitFrontMatter(file: SourceFile): Split {
  if (file.text.trim() === '') {
    throw new FrontMatterError(file.path, 'is empty; a post starts with front matter: a --- line, a "title:" line and a closing --- line', { line: 1 });
  }
  const lines = file.text.split('\n');
  const first = lines[0].trimEnd();
  if (first !== '---') {
    const language = /^---\s*([A-Za-z][\w-]*)$/.exec(first)?.[1];
    if (language && language.toLowerCase() !== 'yaml') {
      throw new FrontMatterError(file.path, `front matter in "${language}" is not supported (it would run as code); write YAML between --- lines`, {
        line: 1,
      });
    }
    if (!language) {
      const firstContent = lines.findIndex((line) => line.trim() !== '');
      if (firstContent > 0 && lines[firstContent].trimEnd() === '---') {
        throw new FrontMatterError(file.path, 'front matter must start on the first line; remove the blank lines before ---', {
          line: firstContent + 1,
        });
      }
      throw new FrontMatterError(file.path, 'has no front matter; start the file with a --- line, a "title:" line and a closing --- line', {
        line: 1,
      });
    }
  }
  const close = lines.findIndex((line, index) => index > 0 && (line.trimEnd() === '---' || line.trimEnd() === '...'));
  if (close === -1) {
    throw new FrontMatterError(file.path, 'front matter opened on line 1 is never closed; add a --- line after the last key', { line: 1 });
  }
  return { matter: lines.slice(1, close).join('\n'), body: lines.slice(close + 1).join('\n'), bodyLine: close + 2 };
}

/** Line of each top-level key in the file, for messages about a key's value. */
export function keyLines(frontMatter: string): Record<string, number> {
  const result: Record<string, number> = {};
  frontMatter.split('\n').forEach((line, index) => {
    const key = /^["']?([^\s:"'#][^:"']*?)["']?\s*:(\s|$)/.exec(line)?.[1];
    if (key !== undefined && !(key in result)) result[key] = index + 2;
  });
  return result;
}

function readData(file: SourceFile, split: Split): Record<string, unknown> {
  // gray-matter gets the block exactly as split here, so both agree on where the body starts.
  const data: unknown = matter(`---\n${split.matter}\n---\n`, MATTER_OPTIONS).data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError(file.path, 'front matter must be "key: value" lines', { line: 2 });
  }
  return data as Record<string, unknown>;
}

export function parseYaml(file: SourceFile, split: Split): Record<string, unknown> {
  try {
    return readData(file, split);
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      throw new FrontMatterError(file.path, `invalid YAML: ${error.reason}`, {
        // gray-matter hands the parser the block with the newline after the opening ---, so line 0 is file line 1.
        line: error.mark ? error.mark.line + 1 : undefined,
        column: error.mark ? error.mark.column + 1 : undefined,
        cause: error,
      });
    }
    throw error;
  }
}

/** YAML 1.1 booleans, as Jekyll read them: `published: no` means false. */
export function readBoolean(file: SourceFile, data: Record<string, unknown>, lines: Record<string, number>, key: string, fallback: boolean): boolean {
  const value = data[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['true', 'yes', 'on', 'y'].includes(word)) return true;
    if (['false', 'no', 'off', 'n'].includes(word)) return false;
  }
  throw new FrontMatterError(file.path, `"${key}" must be true or false`, { line: lines[key] });
}

export function readString(file: SourceFile, data: Record<string, unknown>, lines: Record<string, number>, key: string): string {
  const value = data[key];
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new FrontMatterError(file.path, `"${key}" must be a single text value, not ${Array.isArray(value) ? 'a list' : typeof value}`, {
    line: lines[key],
  });
}

export function readStringList(file: SourceFile, data: Record<string, unknown>, lines: Record<string, number>, key: string, splitWords: boolean): string[] {
  const value = data[key];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const result: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      result.push(...(splitWords && !Array.isArray(value) ? item.split(/\s+/) : [item.trim()]).filter((s) => s !== ''));
    } else if (typeof item === 'number' || typeof item === 'boolean') {
      result.push(String(item));
    } else {
      throw new FrontMatterError(file.path, `"${key}" must be a list of text values; found ${item === null ? 'an empty item' : Array.isArray(item) ? 'a nested list' : 'a mapping'}`, {
        line: lines[key],
      });
    }
  }
  return result;
}




export function readDate(
  file: SourceFile,
  split: Split,
  data: Record<string, unknown>,
  lines: Record<string, number>,
  nameDate: string | undefined,
  fallback: Date | undefined,
): Date {
  if (data.date !== undefined && data.date !== null) {
    // js-yaml turns an unquoted date into a Date and silently rolls 2019-02-30 over to March: read the text as written.
    const line = lines.date;
    const written = line
      ? /^date\s*:\s*(.*?)\s*$/
          .exec(split.matter.split('\n')[line - 2])?.[1]
          ?.replace(/\s+#.*$/, '')
          .replace(/^(["'])(.*)\1$/, '$2')
      : undefined;
    const text = written ?? (data.date instanceof Date ? data.date.toISOString() : String(data.date));
    const date = parseDate(text);
    if (!date) {
      throw new FrontMatterError(file.path, `"date" is not a valid date: "${text}"; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM`, { line });
    }
    return date;
  }
  if (nameDate === undefined) {
    if (fallback) return fallback;
    throw new FrontMatterError(file.path, 'has no date; name the file YYYY-MM-DD-slug.md or add a "date:" key');
  }
  const date = parseDate(nameDate);
  if (!date) throw new FrontMatterError(file.path, `file name has an impossible date "${nameDate}"; rename the file with a real date`);
  return date;
}


/**
 * A link from front matter (image, video, slides, redirect_to): http(s) or a path. Other schemes
 * (javascript:, data:) are refused, and so are backslashes and control characters, which browsers
 * quietly drop or turn into "/" (so "/\evil.example" would leave the site).
 */
export function readLink(file: SourceFile, data: Record<string, unknown>, lines: Record<string, number>, key: string): string {
  const value = readString(file, data, lines, key).trim();
  if (value === '') return '';
  if (/[\x00-\x1f\x7f\\]/.test(value)) {
    throw new FrontMatterError(file.path, `"${key}" contains a backslash or a control character; write the URL with "/"`, { line: lines[key] });
  }
  const invisible = invisibleCharacterReason(value);
  if (invisible) throw new FrontMatterError(file.path, `"${key}" ${invisible}`, { line: lines[key] });
  const scheme = urlScheme(value);
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw new FrontMatterError(file.path, `"${key}" must be an http(s) URL or a path; "${scheme}:" links are refused`, { line: lines[key] });
  }
  return value;
}

export function readRedirectTo(file: SourceFile, data: Record<string, unknown>, lines: Record<string, number>): string {
  const target = readLink(file, data, lines, 'redirect_to');
  if (target !== '' && urlScheme(target) === undefined && (!target.startsWith('/') || target.startsWith('//'))) {
    throw new FrontMatterError(file.path, `"redirect_to" must be an http(s) URL or a path starting with "/"; got "${target}"`, {
      line: lines.redirect_to,
    });
  }
  // A path of the site goes into _redirects as it is written; another site's URL is encoded there.
  const pattern = target.startsWith('/') ? redirectPatternReason(target.replace(/[?#].*$/s, '')) : undefined;
  if (pattern) throw new FrontMatterError(file.path, `"redirect_to" ${shown(target)} ${pattern}`, { line: lines.redirect_to });
  return target;
}
