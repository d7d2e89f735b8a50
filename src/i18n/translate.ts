/**
 * A theme string in a language: found in the site's tables, then recap's, along the language's
 * chain (zh-TW → zh-Hant → zh), then in English; its placeholders filled in and, for a counted
 * string, its form chosen by the language's plural rules. What is missing from a language's
 * tables is said once per key, by the build (translationWarnings).
 */
import { tableChain } from './languages.js';
import { BASE_LANGUAGE, PLACEHOLDER, type Message, type PluralCategory, type Translations } from './tables.js';

/** A message and the language of the table that gave it (its plural rules choose a counted form). */
export interface FoundMessage {
  message: Message;
  language: string;
}

/** The tables a language reads, best first: the site's along its chain, recap's along it, then English (the site's, recap's). */
function tablesFor(i18n: Translations, language: string): { language: string; strings: Record<string, Message> | undefined }[] {
  const chain = tableChain(language);
  const base = chain.includes(BASE_LANGUAGE) ? [] : [BASE_LANGUAGE];
  return [
    ...chain.map((tag) => ({ language: tag, strings: i18n.site[tag]?.strings })),
    ...chain.map((tag) => ({ language: tag, strings: i18n.theme[tag] })),
    ...base.map((tag) => ({ language: tag, strings: i18n.site[tag]?.strings })),
    ...base.map((tag) => ({ language: tag, strings: i18n.theme[tag] })),
  ];
}

/** The message for `key` in `language`, or undefined when no table has it, not even English. */
export function findMessage(i18n: Translations, language: string, key: string): FoundMessage | undefined {
  for (const table of tablesFor(i18n, language)) {
    if (table.strings && Object.hasOwn(table.strings, key)) return { message: table.strings[key], language: table.language };
  }
  return undefined;
}

/** How the pieces of a message are written out: its own text, and the values put into it. */
export interface Writer {
  text(text: string): string;
  value(value: unknown): string;
}

/** Plain text, as a page's title or a feed's text is. */
export const PLAIN: Writer = { text: (text) => text, value: (value) => String(value ?? '') };

/** The form of a counted message for `values.count` (`other` when the language's form is not in the table, or there is no count). */
function formOf(found: FoundMessage, values: Record<string, unknown>): string {
  const { message } = found;
  if (typeof message === 'string') return message;
  const count = Number(values.count);
  if (values.count === undefined || values.count === null || !Number.isFinite(count)) return message.other;
  const category = new Intl.PluralRules(found.language).select(count) as PluralCategory;
  return message[category] ?? message.other;
}

/** A found message with its placeholders filled in; a placeholder without a value stays as written. */
export function formatMessage(found: FoundMessage, values: Record<string, unknown> = {}, writer: Writer = PLAIN): string {
  const form = formOf(found, values);
  let out = '';
  let last = 0;
  for (const match of form.matchAll(PLACEHOLDER)) {
    const name = match[1];
    out += writer.text(form.slice(last, match.index));
    out += Object.hasOwn(values, name) ? writer.value(values[name]) : writer.text(match[0]);
    last = match.index + match[0].length;
  }
  return out + writer.text(form.slice(last));
}

/** A theme string recap itself prints (page titles, redirect pages): every key it asks for is in the English table. */
export function translate(i18n: Translations, language: string, key: string, values: Record<string, unknown> = {}): string {
  const found = findMessage(i18n, language, key);
  if (!found) throw new Error(`recap's theme string "${key}" is missing from templates/i18n/${BASE_LANGUAGE}.yml`);
  return formatMessage(found, values);
}

/**
 * What the build says about the tables for the languages its pages are in: a language no table
 * has (its pages show English), each key a language's tables lack (once, naming the key and the
 * language), and a site table no page reads.
 */
export function translationWarnings(i18n: Translations, siteLanguage: string, languages: Iterable<string>): string[] {
  const used = [...new Set([siteLanguage, ...languages])];
  const warnings: string[] = [];
  const english = { ...i18n.theme[BASE_LANGUAGE], ...i18n.site[BASE_LANGUAGE]?.strings };
  const read = new Set<string>([BASE_LANGUAGE]);
  for (const language of used) {
    const chain = tableChain(language);
    chain.forEach((tag) => read.add(tag));
    if (chain.includes(BASE_LANGUAGE)) continue;
    const tables = chain.flatMap((tag) => [i18n.site[tag]?.strings, i18n.theme[tag]]).filter((table) => table !== undefined);
    const file = chain.map((tag) => i18n.site[tag]?.file).find((name) => name !== undefined) ?? `i18n/${language}.yml`;
    if (tables.length === 0) {
      warnings.push(`recap has no theme strings in ${language}: its pages show them in English; translate them in ${file} (the keys are in recap's templates/i18n/${BASE_LANGUAGE}.yml)`);
      continue;
    }
    for (const key of Object.keys(english)) {
      if (tables.some((table) => Object.hasOwn(table, key))) continue;
      const shown = english[key];
      warnings.push(`${file}: no "${key}" in ${language}; its pages show it in English ("${typeof shown === 'string' ? shown : shown.other}")`);
    }
  }
  for (const [tag, { file }] of Object.entries(i18n.site)) {
    if (!read.has(tag)) warnings.push(`${file}: no page is in ${tag} (the site's language is ${siteLanguage}); this table is not used`);
  }
  return warnings;
}
