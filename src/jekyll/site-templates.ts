/**
 * What a Jekyll site's own layouts are made of, as the read stage finds them: `_layouts/` (each
 * with its front matter), the names in `_includes/`, and `_data/` (YAML, JSON, CSV and TSV files
 * as `site.data`). Read once per build: a handful of small files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseConfigYaml } from '../pipeline/config-checks.js';
import { ConfigError, SiteError } from '../pipeline/errors.js';
import { parseYaml, splitFrontMatter } from '../pipeline/front-matter.js';
import { decodeText, listFiles } from '../pipeline/read.js';
import type { SiteConfig } from '../pipeline/types.js';

/** One layout of _layouts/: `default.html` is the layout "default". */
export interface LayoutFile {
  /** Site-relative path, for messages. */
  file: string;
  /** Its front matter (`layout:` names the layout it is wrapped in). */
  data: Record<string, unknown>;
  /** The Liquid after the front matter, and the file line it starts on. */
  body: string;
  bodyLine: number;
}

export interface SiteTemplates {
  /** Layouts by name. */
  layouts: Map<string, LayoutFile>;
  /** The files of _includes/ by their path relative to it, with their text (read to find the includes they use in turn). */
  includes: Map<string, string>;
  /** `site.data`: each file of _data/ by its name without extension, folders as nested objects. */
  data: Record<string, unknown>;
}

const LAYOUTS = '_layouts';
const INCLUDES = '_includes';
const DATA = '_data';
const DATA_FILE = /\.(ya?ml|json|csv|tsv)$/i;

function readText(config: SiteConfig, file: string): string {
  return decodeText(file, fs.readFileSync(path.join(config.root, file)));
}

function readLayout(config: SiteConfig, file: string): LayoutFile {
  const text = readText(config, file);
  // A layout may have no front matter at all.
  if (!/^---[ \t]*\n/.test(text)) return { file, data: {}, body: text, bodyLine: 1 };
  const source = { path: file, text };
  const split = splitFrontMatter(source);
  return { file, data: parseYaml(source, split, 'ruby'), body: split.body, bodyLine: split.bodyLine };
}

/** CSV or TSV with a header row → one object per row, as Jekyll reads them. Quoted fields may hold the separator, quotes ("") and line breaks. */
export function readDelimited(text: string, separator: ',' | '\t'): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  const [header = [], ...records] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  return records.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])));
}

function readDataFile(config: SiteConfig, file: string): unknown {
  const text = readText(config, file);
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return readDelimited(text, ',');
  if (extension === '.tsv') return readDelimited(text, '\t');
  if (extension === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ConfigError(file, `is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix it or remove it from _data/`, { cause: error });
    }
  }
  return parseConfigYaml(file, text, 'ruby');
}

/** Puts a data file's value at its place in `site.data`: _data/team/ann.yml → data.team.ann. */
function place(data: Record<string, unknown>, relative: string, value: unknown): void {
  const keys = relative.replace(DATA_FILE, '').split('/');
  let at = data;
  for (const key of keys.slice(0, -1)) {
    const next = Object.hasOwn(at, key) ? at[key] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}

/** Reads the site's layouts, include names and data; problems are collected in `errors`, naming the file. */
export function readSiteTemplates(config: SiteConfig, errors: SiteError[]): SiteTemplates {
  const templates: SiteTemplates = { layouts: new Map(), includes: new Map(), data: {} };
  const each = (folder: string, pattern: string[], read: (relative: string, file: string) => void) => {
    for (const relative of listFiles(config, config.root, folder, pattern, errors)) {
      const file = `${folder}/${relative}`;
      try {
        read(relative, file);
      } catch (error) {
        if (error instanceof SiteError) errors.push(error);
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed since it was listed
        else throw error;
      }
    }
  };
  each(LAYOUTS, ['**'], (relative, file) => templates.layouts.set(relative.replace(/\.[^./]*$/, ''), readLayout(config, file)));
  // Only scanned for the includes they use in turn (Liquid reads them itself): one that is no text is still there.
  each(INCLUDES, ['**'], (relative, file) => templates.includes.set(relative, fs.readFileSync(path.join(config.root, file), 'utf8')));
  each(DATA, ['**'], (relative, file) => {
    if (DATA_FILE.test(relative)) place(templates.data, relative, readDataFile(config, file));
  });
  return templates;
}
