/**
 * Typed readers of front-matter keys. Each names the file and the key's line when a value is
 * wrong; the values recap reads (booleans, dates) are put back into the data as what they mean,
 * so templates see `hide_image: no` as false and `date` as a Date.
 */
import { dateInRange, readDateText } from '../util/dates.js';
import { invisibleCharacterReason, redirectPatternReason, shown, urlScheme } from '../util/urls.js';
import { yamlBoolean } from '../util/yaml.js';
import { FrontMatterError, SiteError } from './errors.js';
import { keyLine, type KeyLines } from './front-matter.js';
import { JEKYLL_CONFIG_FILE } from '../jekyll/config.js';
import { readLanguageTag } from '../i18n/languages.js';

/** A file's front matter as read: its values (site defaults included) and where each key is. */
export interface FrontMatter {
  path: string;
  data: Record<string, unknown>;
  lines: KeyLines;
  /** Keys whose value came from the site's defaults rather than the file. */
  fromDefaults: ReadonlySet<string>;
  /** The zone a date written with an offset is read in (a Jekyll site's `timezone`); undefined: kept as written. */
  timeZone?: string;
  /** The front matter as written (between the --- lines), for the lines of a list's items. */
  text?: string;
}

/** An error about one key, at its line, or naming the defaults it came from. */
export function keyError(matter: FrontMatter, key: string, message: string): FrontMatterError {
  const from = matter.fromDefaults.has(key) ? ` (it comes from "defaults" in ${JEKYLL_CONFIG_FILE})` : '';
  return new FrontMatterError(matter.path, message + from, { line: matter.fromDefaults.has(key) ? undefined : keyLine(matter.lines, key) });
}

/**
 * A key's value from `read`, or, when it is wrong, its error recorded in `errors` and `fallback`
 * instead: a file's other keys are still read, so one build names every bad key of a file.
 */
export function readOr<T>(errors: SiteError[], read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof SiteError)) throw error;
    errors.push(error);
    return fallback;
  }
}

/** The keys recap reads as booleans, and their values when absent. */
export const BOOLEAN_KEYS = { published: true, draft: false, hide_image: false, render_with_liquid: true } as const;

/** YAML 1.1 booleans, as Jekyll read them, in any case: `published: no` and `hide_image: Off` mean false. */
export function readBoolean(matter: FrontMatter, key: string, fallback: boolean): boolean {
  const value = matter.data[key];
  if (value === undefined || value === null) return fallback;
  const flag = yamlBoolean(value);
  if (flag !== undefined) return flag;
  throw keyError(matter, key, `"${key}" must be true or false, yes or no, on or off`);
}

/**
 * What a boolean key that cannot be read is taken as, for the file's other checks: as if absent
 * (a post that may be published is checked as one), except render_with_liquid: a body whose
 * author said something about it is not run as a template, whose errors could then be only the
 * literal braces the author meant to keep.
 */
const BOOLEAN_FALLBACKS: Record<keyof typeof BOOLEAN_KEYS, boolean> = { ...BOOLEAN_KEYS, render_with_liquid: false };

/** Every boolean key, read and put back into the data as a boolean for templates; a wrong one is recorded (BOOLEAN_FALLBACKS). */
export function readBooleans(matter: FrontMatter, errors: SiteError[]): Record<keyof typeof BOOLEAN_KEYS, boolean> {
  const result = { ...BOOLEAN_KEYS } as Record<keyof typeof BOOLEAN_KEYS, boolean>;
  for (const key of Object.keys(BOOLEAN_KEYS) as (keyof typeof BOOLEAN_KEYS)[]) {
    result[key] = readOr(errors, () => readBoolean(matter, key, BOOLEAN_KEYS[key]), BOOLEAN_FALLBACKS[key]);
    if (key in matter.data) matter.data[key] = result[key];
  }
  return result;
}

export function readString(matter: FrontMatter, key: string): string {
  const value = matter.data[key];
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw keyError(matter, key, `"${key}" must be a single text value, not ${Array.isArray(value) ? 'a list' : typeof value}`);
}

export function readStringList(matter: FrontMatter, key: string, splitWords: boolean): string[] {
  const value = matter.data[key];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const result: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      result.push(...(splitWords && !Array.isArray(value) ? item.split(/\s+/) : [item.trim()]).filter((s) => s !== ''));
    } else if (typeof item === 'number' || typeof item === 'boolean') {
      result.push(String(item));
    } else {
      const found = item === null ? 'an empty item' : Array.isArray(item) ? 'a nested list' : 'a mapping';
      throw keyError(matter, key, `"${key}" must be a list of text values; found ${found}`);
    }
  }
  return result;
}

/**
 * A date key (`date`, `updated`), checked by the same rules as a file name's date, whichever way
 * it was written: plain, quoted, under a quoted key, through a merge key or the site's defaults.
 * YAML hands it over as the text written (util/yaml.ts has no timestamp type). The Date is put
 * back into the data for templates.
 */
export function readDateKey(matter: FrontMatter, key: string): Date | undefined {
  const value = matter.data[key];
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  const reading = text === undefined ? { problem: `it is ${Array.isArray(value) ? 'a list' : typeof value}` } : readDateText(text, matter.timeZone);
  if ('problem' in reading) {
    const shown = text === undefined ? '' : `: "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
    throw keyError(matter, key, `"${key}" is not a valid date${shown} (${reading.problem}); write it as YYYY-MM-DD or YYYY-MM-DD HH:MM`);
  }
  matter.data[key] = reading.date;
  return reading.date;
}

/** Where a post's date comes from when front matter has none: its file name, or (drafts, pages) a fallback. */
export interface DateFallback {
  /** The YYYY-MM-DD at the start of the file name, if any. */
  nameDate?: string;
  /** A draft's file modification time; pages' placeholder date. */
  fallback?: { date: Date; what: string };
}

/** A post's date: its `date` key, else its file name's date, else the fallback; each checked alike. */
export function readPostDate(matter: FrontMatter, { nameDate, fallback }: DateFallback): Date {
  const own = readDateKey(matter, 'date');
  if (own) return own;
  if (nameDate !== undefined) {
    const reading = readDateText(nameDate);
    if ('problem' in reading) throw new FrontMatterError(matter.path, `file name has an impossible date "${nameDate}" (${reading.problem}); rename the file with a real date`);
    return reading.date;
  }
  if (!fallback) throw new FrontMatterError(matter.path, 'has no date; name the file YYYY-MM-DD-slug.md or add a "date:" key');
  if (!dateInRange(fallback.date)) {
    const shown = Number.isNaN(fallback.date.getTime()) ? 'none' : fallback.date.toISOString();
    throw new FrontMatterError(matter.path, `${fallback.what} is not a usable date (${shown}); add a "date:" key`);
  }
  return fallback.date;
}

/**
 * A link from front matter (image, video, slides, redirect_to): http(s) or a path. Other schemes
 * (javascript:, data:) are refused, and so are backslashes and control characters, which browsers
 * quietly drop or turn into "/" (so "/\evil.example" would leave the site).
 */
export function readLink(matter: FrontMatter, key: string): string {
  const value = readString(matter, key).trim();
  if (value === '') return '';
  if (/[\x00-\x1f\x7f\\]/.test(value)) throw keyError(matter, key, `"${key}" contains a backslash or a control character; write the URL with "/"`);
  const invisible = invisibleCharacterReason(value);
  if (invisible) throw keyError(matter, key, `"${key}" ${invisible}`);
  const scheme = urlScheme(value);
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw keyError(matter, key, `"${key}" must be an http(s) URL or a path; "${scheme}:" links are refused`);
  }
  return value;
}

/**
 * `image`: a link, or jekyll-seo-tag's and jekyll-feed's mapping (`image: {path: /img/x.png, alt: …}`),
 * whose `path` is the image; the mapping stays in the data for templates.
 */
export function readImage(matter: FrontMatter): string {
  const value = matter.data.image;
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return readLink(matter, 'image');
  const imagePath = (value as Record<string, unknown>).path;
  if (imagePath === undefined || imagePath === null) throw keyError(matter, 'image', '"image" as a mapping needs a "path" (image: {path: /images/x.png, alt: …})');
  return readLink({ ...matter, data: { ...matter.data, image: imagePath } }, 'image');
}

export function readRedirectTo(matter: FrontMatter): string {
  // jekyll-redirect-from takes the first of a list.
  const listed = matter.data.redirect_to;
  const target = Array.isArray(listed) ? readLink({ ...matter, data: { ...matter.data, redirect_to: listed[0] } }, 'redirect_to') : readLink(matter, 'redirect_to');
  if (target !== '' && urlScheme(target) === undefined && (!target.startsWith('/') || target.startsWith('//'))) {
    throw keyError(matter, 'redirect_to', `"redirect_to" must be an http(s) URL or a path starting with "/"; got "${target}"`);
  }
  // A path of the site goes into _redirects as it is written; another site's URL is encoded there.
  const pattern = target.startsWith('/') ? redirectPatternReason(target.replace(/[?#].*$/s, '')) : undefined;
  if (pattern) throw keyError(matter, 'redirect_to', `"redirect_to" ${shown(target)} ${pattern}`);
  return target;
}

/** A post's own language: a BCP 47 tag, put back into the data in its canonical form (`pt-br` → pt-BR) for templates. */
export function readLanguage(matter: FrontMatter, key: string): string | undefined {
  const value = matter.data[key];
  if (value === undefined || value === null) return undefined;
  const reading = typeof value === 'string' ? readLanguageTag(value) : { problem: `must be a language tag like en, fr or pt-BR, not ${Array.isArray(value) ? 'a list' : typeof value}` };
  if ('problem' in reading) throw keyError(matter, key, `"${key}" ${reading.problem}`);
  matter.data[key] = reading.tag;
  return reading.tag;
}
