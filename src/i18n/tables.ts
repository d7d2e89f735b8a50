/**
 * Translation tables: the words the default theme prints, one YAML file per language. recap's own
 * are in templates/i18n/<language>.yml; a site's i18n/<language>.yml changes any of them (or adds
 * strings its own templates print). Read once per config, as plain data, so a change to any of
 * them is a change of the config (and of every page's render key).
 */
import fs from 'node:fs';
import path from 'node:path';
import { closest } from '../util/closest.js';
import { ConfigError, type SiteError } from '../pipeline/errors.js';
import { decodeText } from '../pipeline/read.js';
import { PACKAGE_ROOT } from '../util/package-root.js';
import { isInside, realPath } from '../util/real-paths.js';
import { describeProblem, loadYaml, topLevelLine, YamlProblem } from '../util/yaml.js';
import { readLanguageTag } from './languages.js';
import { shown } from '../util/urls.js';

/** Intl.PluralRules' categories, the keys of a counted string. */
export const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
export type PluralCategory = (typeof PLURAL_CATEGORIES)[number];

/** A string counted by its `count` value: one form per plural category the language has, `other` always. */
export type CountedMessage = Partial<Record<PluralCategory, string>> & { other: string };
export type Message = string | CountedMessage;

/** One table: key → string. */
export type StringTable = Record<string, Message>;

export interface Translations {
  /** recap's tables (templates/i18n/<tag>.yml), by canonical language tag. */
  theme: Record<string, StringTable>;
  /** The site's own tables (i18n/<tag>.yml), by canonical language tag, with the file each came from. */
  site: Record<string, { file: string; strings: StringTable }>;
}

/** The language every other one falls back to, and whose keys are the theme's strings. */
export const BASE_LANGUAGE = 'en';

/** The site's folder of tables, beside posts/. */
export const TRANSLATIONS_DIR = 'i18n';

/** recap's own tables, shipped with the default theme. */
export const THEME_TRANSLATIONS_DIR = path.join(PACKAGE_ROOT, 'templates', TRANSLATIONS_DIR);

/** A key: letters, digits, `_`, `-` and `.`, starting with a letter (never `__proto__` or `constructor` in disguise). */
const KEY = /^[A-Za-z][\w.-]*$/;

/** `{name}` in a string: where the theme puts a value. */
export const PLACEHOLDER = /\{([A-Za-z_]\w*)\}/g;

/** A message's text, or the text of each of its counted forms. */
const textsOf = (message: Message): string[] => (typeof message === 'string' ? [message] : Object.values(message).filter((text) => text !== undefined));

/** The placeholders a message uses, in every form. */
export function placeholdersOf(message: Message): Set<string> {
  return new Set(textsOf(message).flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((match) => match[1])));
}

/**
 * The longest a site's text for one of the theme's strings may be. They are a few words each, and
 * the theme prints them on every page, some once a heading (headingLink, which headingAnchors takes
 * at this length at most): a longer one is a paste gone wrong, said at its line.
 */
export const MAX_THEME_STRING = 1000;

/** One value of a table as a Message, or why it cannot be one. */
function readMessage(value: unknown): Message | string[] {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const counted = 'must be text, or counted forms like one: "{count} recap" and other: "{count} recaps"';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [counted];
  const forms: Partial<Record<PluralCategory, string>> = {};
  for (const [category, text] of Object.entries(value)) {
    if (!(PLURAL_CATEGORIES as readonly string[]).includes(category)) return [`has the form "${category}"; counted forms are ${PLURAL_CATEGORIES.join(', ')}`];
    if (typeof text !== 'string' && typeof text !== 'number') return [`has a form "${category}" that is not text`];
    forms[category as PluralCategory] = String(text);
  }
  if (forms.other === undefined) return ['has counted forms but no "other", which every language needs'];
  return forms as CountedMessage;
}

/** A table file's text → its strings; each problem is recorded in `errors` at its line (that key left out). */
export function parseTable(file: string, text: string, errors: SiteError[]): StringTable {
  let data: unknown;
  try {
    data = loadYaml(text);
  } catch (error) {
    if (!(error instanceof YamlProblem)) throw error;
    const { message, ...at } = describeProblem(error, (key) => topLevelLine(text, key));
    errors.push(new ConfigError(file, message, { ...at, cause: error }));
    return {};
  }
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    errors.push(new ConfigError(file, 'must be a mapping of keys to strings, like older: "Plus ancien"'));
    return {};
  }
  const table: StringTable = {};
  for (const [key, value] of Object.entries(data)) {
    const at = { line: topLevelLine(text, key) };
    if (!KEY.test(key)) {
      errors.push(new ConfigError(file, `"${key}" is not a key; keys are letters, digits, _ - and ., like older or tagged`, at));
      continue;
    }
    const message = readMessage(value);
    if (Array.isArray(message)) errors.push(new ConfigError(file, `"${key}" ${message[0]}`, at));
    else table[key] = message;
  }
  return table;
}

/** recap's own tables. They are checked by recap's tests: a broken one is a bug in recap, thrown as such. */
export function readThemeTables(dir = THEME_TRANSLATIONS_DIR): Record<string, StringTable> {
  const tables: Record<string, StringTable> = {};
  for (const name of fs.readdirSync(dir).filter((entry) => entry.endsWith('.yml')).sort()) {
    const errors: SiteError[] = [];
    const table = parseTable(`(default theme) templates/i18n/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'), errors);
    if (errors.length > 0) throw new Error(`recap's own translation table is broken: ${errors[0].format()}`);
    tables[name.slice(0, -'.yml'.length)] = table;
  }
  return tables;
}

/** The text of every template file in a folder (not its assets), where a site's own keys are looked for. */
function templateTexts(dir: string | undefined): string[] {
  if (!dir || !fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile() && /\.(njk|html)$/i.test(entry.name) && !path.relative(dir, entry.parentPath).startsWith('assets'))
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
}

/**
 * The site's tables: i18n/<language>.yml, named by a language tag in any case (pt-br.yml is pt-BR).
 * A file that is no table, a name that is no language tag, invalid YAML or a wrong value is an
 * error at its line. A key that is none of the theme's strings, nor named in the site's own
 * templates, is a warning (a typo would otherwise change nothing, silently); a placeholder the
 * theme does not give for that key is an error (it would be printed as written).
 */
export function readSiteTables(
  root: string,
  english: StringTable,
  ownTemplates: string | undefined,
  errors: SiteError[],
  warnings: string[],
): Translations['site'] {
  const dir = path.join(root, TRANSLATIONS_DIR);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return {};
  const tables: Translations['site'] = {};
  let templates: string[] | undefined;
  // As every source: nothing is read through a link that leaves the site (the folder itself, or a table in it).
  const site = realPath(root);
  if (!isInside(site, realPath(dir))) {
    errors.push(new ConfigError(TRANSLATIONS_DIR, 'is a link out of the site folder; keep the tables in the site'));
    return {};
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = `${TRANSLATIONS_DIR}/${entry.name}`;
    if (entry.name.startsWith('.') || /~$|\.swp$|\.tmp$/.test(entry.name)) continue;
    const stem = /^(.+)\.ya?ml$/.exec(entry.name)?.[1];
    const real = realPath(path.join(dir, entry.name));
    if (!isInside(site, real)) {
      errors.push(new ConfigError(file, 'is a link out of the site folder; keep the tables in the site'));
      continue;
    }
    if (!fs.statSync(real, { throwIfNoEntry: false })?.isFile() || stem === undefined) {
      errors.push(new ConfigError(file, `is not a translation table; ${TRANSLATIONS_DIR}/ holds one <language>.yml per language, like ${TRANSLATIONS_DIR}/fr.yml`));
      continue;
    }
    const language = readLanguageTag(stem);
    if ('problem' in language) {
      errors.push(new ConfigError(file, `is named for no language: ${shown(stem)} is not a BCP 47 language tag; name the file like fr.yml, pt-BR.yml or zh-Hant.yml`));
      continue;
    }
    const twin = tables[language.tag];
    if (twin) {
      errors.push(new ConfigError(file, `is a second table for ${language.tag}, beside ${twin.file}; keep one`));
      continue;
    }
    const text = decodeText(file, fs.readFileSync(path.join(dir, entry.name)));
    const strings = parseTable(file, text, errors);
    for (const [key, message] of Object.entries(strings)) {
      const line = topLevelLine(text, key);
      const where = line === undefined ? file : `${file}:${line}`;
      const theme = english[key];
      if (theme === undefined) {
        templates ??= templateTexts(ownTemplates);
        if (templates.some((template) => template.includes(`'${key}'`) || template.includes(`"${key}"`))) continue;
        const guess = closest(key, Object.keys(english));
        warnings.push(`${where}: "${key}" is none of the theme's strings${guess ? ` (did you mean "${guess}"?)` : ''} and no template in templates/ names it; it is not used`);
        continue;
      }
      const given = placeholdersOf(theme);
      const unknown = [...placeholdersOf(message)].filter((name) => !given.has(name));
      if (unknown.length > 0) {
        const gives = given.size > 0 ? `it gives ${[...given].map((name) => `{${name}}`).join(', ')}` : 'it gives none';
        errors.push(new ConfigError(file, `"${key}" uses {${unknown[0]}}, which the theme does not give for this string; ${gives}`, { line }));
      }
      const longest = Math.max(...textsOf(message).map((text) => text.length));
      if (longest > MAX_THEME_STRING) {
        errors.push(new ConfigError(file, `"${key}" has ${longest.toLocaleString('en')} characters; a theme string may have ${MAX_THEME_STRING.toLocaleString('en')}`, { line }));
      }
    }
    tables[language.tag] = { file, strings };
  }
  return tables;
}
