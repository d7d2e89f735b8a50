/**
 * The theme's `date` filter: `{{ value | date(format, language) }}`.
 *
 * - format: a style, `full` `long` `medium` `short` (Intl's dateStyle in the language: fr `full` is
 *   "mardi 14 mai 2024", ja "2024年5月14日火曜日"), or a strftime format (Ruby's directives; month
 *   and day names in the language). None: `long`.
 * - language: the language to print in; when not given, the `language` of the page being rendered
 *   (a post's front matter may set its own), else the site's `language`.
 *
 * English (en, en-*) keeps recap's English forms, which every English site has printed so far:
 * `full` "Tuesday 14 May 2024", `long` "14 May 2024" (Intl's en would give "Tuesday, May 14, 2024").
 * Dates are the meetup's own: its clock time as written, never moved to another zone.
 */
import { toDate, formatDate } from '../util/dates.js';
import { dateLocale, dateNames, isEnglish } from '../util/date-names.js';
import { strftime } from '../util/strftime.js';
import { wallClockTime } from '../util/zones.js';
import { VALUE_LIMIT } from '../pipeline/limits.js';
import { TemplateLimitError } from './template-limits.js';

export const DATE_STYLES = ['full', 'long', 'medium', 'short'] as const;
export type DateStyle = (typeof DATE_STYLES)[number];

/** The style a date is printed in when a template names none. */
export const DEFAULT_DATE_STYLE: DateStyle = 'long';

/** recap's English forms of the styles (the shapes of British English, which recap has always printed). */
const ENGLISH_STYLES: Record<DateStyle, string> = {
  full: '%A %-d %B %Y',
  long: '%-d %B %Y',
  medium: '%-d %b %Y',
  short: '%d/%m/%Y',
};

const isStyle = (format: string): format is DateStyle => (DATE_STYLES as readonly string[]).includes(format);

const styleFormats = new Map<string, Intl.DateTimeFormat>();

/** Intl's dateStyle in a locale, on the clock a date is held on (UTC holds the meetup's own time). */
function styleFormat(locale: string, style: DateStyle): Intl.DateTimeFormat {
  const key = `${locale}\0${style}`;
  let format = styleFormats.get(key);
  if (!format) styleFormats.set(key, (format = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' })));
  return format;
}

/**
 * The language a date is printed in: the one the template gave, else the page's own `language`,
 * else the site's. Anything but non-empty text is passed over.
 */
export function dateLanguage(given: unknown, page: unknown, siteLanguage: string): string {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const pageLanguage = typeof page === 'object' && page !== null ? (page as { language?: unknown }).language : undefined;
  return text(given) ?? text(pageLanguage) ?? siteLanguage;
}

/**
 * A template value (a Date, date text, a timestamp) printed in a style or a strftime format, in a
 * language; "" for a value that is no date. `timeZone`: a Jekyll site's `timezone`, which its dates
 * are clock times on (%Z and %z print its abbreviation and offset); none for a recap site, whose
 * times are the meetup's own clock times with no zone known (%Z prints UTC, %z +0000).
 */
export function themeDate(value: unknown, format: unknown, language: string, timeZone?: string): string {
  const date = toDate(value);
  if (!date) return '';
  const asked = format === undefined || format === null || format === '' ? DEFAULT_DATE_STYLE : String(format);
  if (isStyle(asked)) {
    const locale = isEnglish(language) ? undefined : dateLocale(language);
    if (locale) return styleFormat(locale, asked).format(date);
    return formatDate(date, ENGLISH_STYLES[asked]);
  }
  // Wide directives make text fast (%1024d again and again): as much as a template may handle at once.
  let made = 0;
  const spend = (chars: number) => {
    if ((made += chars) > VALUE_LIMIT) throw new TemplateLimitError(`the date format ${JSON.stringify(asked.slice(0, 40))}… makes more than ${VALUE_LIMIT / 1024 / 1024} MB of text`);
  };
  if (timeZone) return strftime(wallClockTime(date, timeZone), asked, dateNames(language), spend);
  return formatDate(date, asked, language, spend);
}
