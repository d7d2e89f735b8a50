/**
 * YAML as recap reads it (front matter, recap.config.yml, _config.yml): js-yaml with YAML 1.2's
 * core types and merge keys (`<<`), and a bound on what aliases expand to.
 */
import yaml from 'js-yaml';

/**
 * No timestamp type: js-yaml would turn `2019-02-30` into 2 March and `23:30-05:00` into the next
 * day in UTC. Dates stay the text written and recap checks them where it reads them (parseDate).
 * No !!binary, !!set, !!omap either: front matter is text, numbers, booleans, lists and mappings.
 */
const MERGE = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;
export const YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [MERGE] });

/**
 * Ruby's YAML (Psych, YAML 1.1), as Jekyll reads a site: a plain yes/no/on/off in any of its
 * spellings is a boolean (`comments: no` hides comments there); quoted, it stays text.
 */
const RUBY_BOOLEAN = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  // It takes the place of the core schema's boolean (one type per tag): true and false too.
  resolve: (data: string | null) => data !== null && /^(?:true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/.test(data),
  construct: (data: string) => /^(?:true|yes|on)$/i.test(data),
});
export const RUBY_YAML_SCHEMA = YAML_SCHEMA.extend({ implicit: [RUBY_BOOLEAN] });

/**
 * Text as a YAML double-quoted scalar that reads back as exactly that text, for files recap writes
 * (recap new, recap init): JSON's string syntax is YAML's, and what YAML refuses as written (DEL,
 * C1 controls, U+FFFE, U+FFFF) or reads as a line break (U+0085, U+2028, U+2029) is escaped too.
 */
export const yamlQuoted = (text: string) =>
  JSON.stringify(text).replace(/[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Which YAML reads a site's files: recap's (YAML 1.2's core types), or Ruby's booleans as well (a Jekyll site). */
export type YamlFlavor = 'core' | 'ruby';

const TRUE_WORDS = ['true', 'yes', 'on', 'y'];
const FALSE_WORDS = ['false', 'no', 'off', 'n'];

/**
 * A boolean as YAML 1.1 (and so Jekyll) wrote them: true/false, yes/no, on/off, y/n in any case.
 * YAML 1.2 reads only true/false as booleans, so `hide_image: no` arrives as the text "no".
 * Undefined for anything else.
 */
export function yamlBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return undefined;
}

/** Nesting deeper than this is refused: js-yaml's own limit for nesting as written, kept through aliases. */
export const MAX_DEPTH = 100;

/** A YAML problem, with the 1-based line and column in the text when known, and the top-level key it is under. */
export class YamlProblem extends Error {
  constructor(
    readonly reason: string,
    readonly where: { line?: number; column?: number; key?: string } = {},
  ) {
    super(reason);
    this.name = 'YamlProblem';
  }
}

/** The line of a top-level `key:` in a config file's text. */
export function topLevelLine(text: string, key: string): number | undefined {
  const index = text.split('\n').findIndex((line) => line.startsWith(`${key}:`));
  return index === -1 ? undefined : index + 1;
}

/**
 * The line of each entry of the block mapping under a top-level `key:` (the indented lines after
 * it), by the entry's key as YAML reads it (quotes taken off). An entry of a flow mapping
 * (`key: {a: b}`) is not found here: callers say the key's own line.
 */
export function entryLines(text: string, key: string): Map<string, number> {
  const found = new Map<string, number>();
  const start = topLevelLine(text, key);
  if (start === undefined) return found;
  const lines = text.split('\n');
  for (let i = start; i < lines.length; i++) {
    const content = lines[i].trim();
    if (content === '' || content.startsWith('#')) continue;
    if (!/^[ \t]/.test(lines[i])) break;
    const entry = entryKey(content);
    if (entry !== undefined && !found.has(entry)) found.set(entry, i + 1);
  }
  return found;
}

/** The key a `key: value` line (without its indentation) starts with: quoted ("…" with escapes, '…' with '') or plain up to ": ". */
function entryKey(line: string): string | undefined {
  const quote = line[0];
  if (quote === '"' || quote === "'") {
    for (let j = 1; j < line.length; j++) {
      if (quote === '"' && line[j] === '\\') j++;
      else if (line[j] === quote && quote === "'" && line[j + 1] === "'") j++;
      else if (line[j] === quote) {
        const raw = line.slice(0, j + 1);
        if (quote === "'") return raw.slice(1, -1).replace(/''/g, "'");
        try {
          return JSON.parse(raw) as string;
        } catch {
          return raw.slice(1, -1);
        }
      }
    }
    return undefined;
  }
  const colon = line.search(/:(\s|$)/);
  return colon === -1 ? undefined : line.slice(0, colon).trimEnd();
}

/**
 * A problem's message and file position: its own line and column, else the line of the top-level
 * key it is under. `firstLine` is the file line the YAML text starts on (2 for front matter).
 */
export function describeProblem(problem: YamlProblem, keyLine: (key: string) => number | undefined, firstLine = 1): { message: string; line?: number; column?: number } {
  const { line, column, key } = problem.where;
  if (line !== undefined) return { message: `invalid YAML: ${problem.reason}`, line: line + firstLine - 1, column };
  if (key === undefined) return { message: problem.reason };
  return { message: `"${key}" ${problem.reason}`, line: keyLine(key) };
}

/**
 * Aliases (`*name`) repeat a value without repeating its text, so a few lines can stand for
 * billions of values ("billion laughs") that JSON, templates and hashing would then walk. What a
 * text may expand to: a million values and characters, or four times its own length if longer.
 */
export function expansionLimit(text: string): number {
  return Math.max(1_000_000, 4 * text.length);
}

/** Parses YAML text; throws YamlProblem for invalid YAML and for aliases that expand too far or into themselves. */
export function loadYaml(text: string, flavor: YamlFlavor = 'core'): unknown {
  let value: unknown;
  try {
    value = yaml.load(text, { schema: flavor === 'ruby' ? RUBY_YAML_SCHEMA : YAML_SCHEMA });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    throw new YamlProblem(error.reason, error.mark ? { line: error.mark.line + 1, column: error.mark.column + 1 } : {});
  }
  checkExpansion(value, expansionLimit(text));
  return value;
}

interface Measure {
  /** Values and characters once every alias is written out. */
  size: number;
  /** Levels of nesting below and including this value. */
  height: number;
}

/**
 * Measures the value as if its aliases were written out, visiting each shared list or mapping
 * once (sizes are remembered), so the work is linear in the text however far it expands.
 */
function checkExpansion(value: unknown, limit: number): void {
  const top = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [[undefined, value] as const];
  const walk = new ExpansionWalk(limit);
  let total = 0;
  for (const [key, child] of top) {
    try {
      total += walk.measure(child, 1).size + (key?.length ?? 0);
      if (total > limit) throw new YamlProblem(walk.tooLarge());
    } catch (error) {
      if (error instanceof YamlProblem) throw new YamlProblem(error.reason, { key });
      throw error;
    }
  }
}

class ExpansionWalk {
  private readonly measured = new Map<object, Measure>();
  private readonly open = new Set<object>();
  constructor(private readonly limit: number) {}

  tooLarge(): string {
    return `expands through aliases (*name) to more than ${this.limit.toLocaleString('en')} values and characters; write the values out instead`;
  }

  measure(value: unknown, depth: number): Measure {
    if (typeof value === 'string') return { size: 1 + value.length, height: 1 };
    if (value === null || typeof value !== 'object') return { size: 1, height: 1 };
    if (this.open.has(value)) throw new YamlProblem('contains itself through an alias (*name); an alias can only repeat a value that is complete');
    const known = this.measured.get(value) ?? this.measureNew(value, depth);
    if (depth + known.height - 1 > MAX_DEPTH) throw new YamlProblem(`nests deeper than ${MAX_DEPTH} levels through aliases (*name)`);
    return known;
  }

  private measureNew(value: object, depth: number): Measure {
    if (depth > MAX_DEPTH) throw new YamlProblem(`nests deeper than ${MAX_DEPTH} levels through aliases (*name)`);
    this.open.add(value);
    const result = { size: 1, height: 1 };
    const entries: [string | undefined, unknown][] = Array.isArray(value) ? value.map((item) => [undefined, item]) : Object.entries(value);
    for (const [key, child] of entries) {
      const inner = this.measure(child, depth + 1);
      result.size += inner.size + (key?.length ?? 0);
      result.height = Math.max(result.height, inner.height + 1);
      if (result.size > this.limit) throw new YamlProblem(this.tooLarge());
    }
    this.open.delete(value);
    this.measured.set(value, result);
    return result;
  }
}
