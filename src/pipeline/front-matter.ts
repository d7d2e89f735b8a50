/**
 * Front matter: found between the first line's --- and the next, parsed as YAML without running
 * code (util/yaml.ts), with the line of each top-level key for messages. Its values are read by
 * the typed readers in front-matter-values.ts.
 */
import matter from 'gray-matter';
import { describeProblem, loadYaml, YamlProblem, type YamlFlavor } from '../util/yaml.js';
import { FrontMatterError } from './errors.js';
import type { SourceFile } from './types.js';

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

/** The file line of each top-level key. */
export type KeyLines = Record<string, number>;

/**
 * The key a top-level `key: value` line starts with: in quotes, or plain up to the first ": ".
 * Read with indexOf rather than one regular expression, which backtracked quadratically on long lines.
 */
function topLevelKey(line: string): string | undefined {
  const quote = line[0];
  if (quote === '"' || quote === "'") {
    const close = line.indexOf(quote, 1);
    if (close === -1) return undefined;
    const rest = line.slice(close + 1).trimStart();
    return rest[0] === ':' && (rest.length === 1 || /\s/.test(rest[1])) ? line.slice(1, close) : undefined;
  }
  if (quote === undefined || /[\s#:]/.test(quote) || /^-(\s|$)/.test(line)) return undefined;
  const colon = line.search(/:(\s|$)/);
  return colon === -1 ? undefined : line.slice(0, colon).trimEnd();
}

/** Line of each top-level key in the file, for messages about a key's value. */
export function keyLines(frontMatter: string): KeyLines {
  const result: KeyLines = {};
  frontMatter.split('\n').forEach((line, index) => {
    const key = topLevelKey(line);
    if (key !== undefined && !(key in result)) result[key] = index + 2;
  });
  return result;
}

/** Where one item of a block list starts, and the line of each of its keys (`- title: …` then `  slides: …`). */
export interface ItemLines {
  line: number;
  keys: Record<string, number>;
}

/**
 * The file lines of a top-level key's block list items (`talks:` then `- title: …` lines, the dash
 * indented or not) and of each item's own keys, for messages about one item. A list written in
 * flow style (`[…]`), or an item that is no mapping, gives what it can: a caller falls back to the
 * key's line. Linear: each line is read once.
 */
export function listItemLines(frontMatter: string, keyLine: number | undefined): ItemLines[] {
  const items: ItemLines[] = [];
  if (keyLine === undefined) return items;
  const lines = frontMatter.split('\n');
  let dashIndent: number | undefined;
  let keyIndent: number | undefined;
  // The key's line is file line keyLine, the front matter's line keyLine - 2: the items start after it.
  for (let i = keyLine - 1; i < lines.length; i++) {
    const line = lines[i];
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    const dash = /^-(?:\s+|$)/.exec(content);
    if (indent === 0 && !dash) break;
    if (dash && (dashIndent === undefined || indent === dashIndent)) {
      dashIndent = indent;
      const rest = content.slice(dash[0].length);
      keyIndent = rest === '' ? undefined : indent + dash[0].length;
      const item: ItemLines = { line: i + 2, keys: {} };
      const key = rest === '' ? undefined : topLevelKey(rest);
      if (key !== undefined) item.keys[key] = i + 2;
      items.push(item);
      continue;
    }
    const item = items.at(-1);
    if (!item || (dashIndent !== undefined && indent <= dashIndent)) continue;
    keyIndent ??= indent;
    const key = indent === keyIndent ? topLevelKey(content) : undefined;
    if (key !== undefined && !(key in item.keys)) item.keys[key] = i + 2;
  }
  return items;
}

/**
 * Quoted values that ran on over lines shaped like keys: `title: "KubeCon Watch Party` with its
 * closing quote missing takes in the `tags:` and `description:` lines below it, up to the next
 * quote, and YAML reads that as one long title without a word. A key-shaped line inside a quoted
 * value is almost always that missing quote, so each is said (a block scalar, `|` or `>`, is left
 * alone: there such lines are text). Linear: each line is read once.
 */
export function swallowedKeyWarnings(file: string, frontMatter: string): string[] {
  const lines = frontMatter.split('\n');
  const warnings: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const key = topLevelKey(lines[i]);
    if (key === undefined) continue;
    const value = lines[i].slice(lines[i].indexOf(':', key.length) + 1).trimStart();
    const quote = value[0];
    if (quote !== '"' && quote !== "'") continue;
    let at = lines[i].length - value.length + 1;
    let end = i;
    for (; end < lines.length; end++, at = 0) {
      at = closingQuote(lines[end], at, quote);
      if (at !== -1) break;
    }
    if (end === i || end === lines.length) continue;
    const swallowed = lines.slice(i + 1, end + 1).map(topLevelKey).filter((name): name is string => name !== undefined && /^[A-Za-z_][\w-]*$/.test(name));
    if (swallowed.length === 0) continue;
    warnings.push(
      `${file}:${i + 2}: "${key}" runs on to line ${end + 2} and took in ${swallowed.map((name) => `"${name}:"`).join(', ')}: ` +
        // A wrapped value whose next line starts like a key (Note: …) is legal YAML: indenting it says so, and silences this.
        `a closing ${quote} is probably missing at the end of line ${i + 2} (a value meant to go on over lines has them indented)`,
    );
    i = end;
  }
  return warnings;
}

/** Where a quoted scalar's closing quote is on a line, from `from`, or -1: `\"` escapes in "…", `''` in '…'. */
function closingQuote(line: string, from: number, quote: string): number {
  for (let j = from; j < line.length; j++) {
    if (quote === '"' && line[j] === '\\') j++;
    else if (line[j] === quote) {
      if (quote === "'" && line[j + 1] === "'") j++;
      else return j;
    }
  }
  return -1;
}

/** The line a key's value came from: its own line, or a merge key's (`<<: *defaults`) when it has none. */
export function keyLine(lines: KeyLines, key: string): number | undefined {
  return lines[key] ?? lines['<<'];
}

const refuse = (language: string) => () => {
  throw new Error(`front matter in "${language}" is not supported`);
};

/**
 * gray-matter reads the block as split here, with recap's YAML loader (util/yaml.ts: no timestamps,
 * aliases bounded); code languages are never evaluated. Always called with options: without them
 * gray-matter caches by content and hands back shared objects.
 */
const matterOptions = (flavor: YamlFlavor) => ({
  language: 'yaml',
  engines: {
    yaml: (text: string) => (loadYaml(text, flavor) ?? {}) as object,
    js: refuse('js'),
    javascript: refuse('javascript'),
    coffee: refuse('coffee'),
    json: refuse('json'),
    toml: refuse('toml'),
  },
});
const MATTER_OPTIONS: Record<YamlFlavor, ReturnType<typeof matterOptions>> = { core: matterOptions('core'), ruby: matterOptions('ruby') };

/** The front matter's values, as a mapping of keys; refuses invalid YAML and aliases that expand too far. */
export function parseYaml(file: SourceFile, split: Split, flavor: YamlFlavor = 'core'): Record<string, unknown> {
  let data: unknown;
  try {
    data = matter(`---\n${split.matter}\n---\n`, MATTER_OPTIONS[flavor]).data;
  } catch (error) {
    if (!(error instanceof YamlProblem)) throw error;
    // gray-matter hands the loader the block with the newline after the opening ---: its line 1 is the file's.
    const { message, ...at } = describeProblem(error, (key) => keyLine(keyLines(split.matter), key), 1);
    throw new FrontMatterError(file.path, message, { ...at, cause: error });
  }
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError(file.path, 'front matter must be "key: value" lines', { line: 2 });
  }
  return data as Record<string, unknown>;
}
