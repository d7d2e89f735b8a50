/**
 * Month and day names in a site's language, for strftime formats (%B %b %A %a %p), from the
 * Unicode CLDR data that Node's Intl carries. English keeps Ruby's names, so every English site
 * prints what it printed before.
 */
import { RUBY_NAMES, type DateNames } from './strftime.js';

/** English, Ruby's names, and %OB/%Ob as the same words (English has one form of a month's name). */
const ENGLISH_NAMES: DateNames = { ...RUBY_NAMES, monthsAlone: RUBY_NAMES.months, monthsAloneShort: RUBY_NAMES.monthsShort };

/** Whether a language is English (en, en-US, en-GB…): recap prints its dates in its own English forms. */
export function isEnglish(language: string): boolean {
  return /^en(?:[-_]|$)/i.test(language.trim());
}

/**
 * The locale Intl formats a language's dates in (the language as written, `pt-BR`, or with
 * Unicode extensions, `fa-u-ca-gregory`), or undefined when it is no language tag or Intl has no
 * data for it: then the machine's own locale would be used, and a build would depend on where it ran.
 */
export function dateLocale(language: string): string | undefined {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([language.trim().replace(/_/g, '-')])[0];
  } catch {
    return undefined;
  }
}

const namesByLocale = new Map<string, DateNames>();

/** The names strftime prints in `language`: Ruby's English for English and for a language Intl does not know. */
export function dateNames(language: string): DateNames {
  const locale = isEnglish(language) ? undefined : dateLocale(language);
  if (!locale) return ENGLISH_NAMES;
  let names = namesByLocale.get(locale);
  if (!names) namesByLocale.set(locale, (names = intlNames(locale)));
  return names;
}

/** A day of each month of 2024, and a week of May 2024 from Sunday the 5th. */
const MONTH_DAYS = Array.from({ length: 12 }, (_, month) => new Date(Date.UTC(2024, month, 14)));
const WEEK_DAYS = Array.from({ length: 7 }, (_, day) => new Date(Date.UTC(2024, 4, 5 + day)));

/**
 * Names as CLDR gives them. A month inside a date takes the form it has there: several languages
 * decline it ("14 травня", "14 maja", "14 μαΐου"), so %B is read from a day and its month, as glibc's
 * %B is; the month on its own ("травень 2024", a heading) is %OB. The Gregorian calendar always:
 * strftime's numbers are Gregorian ones, whatever calendar a locale prefers.
 */
function intlNames(locale: string): DateNames {
  const formatOf = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...options, calendar: 'gregory', timeZone: 'UTC' });
  /** One part of a formatted date (the month of "14 травня"), or the whole text when it has no such part. */
  const part = (options: Intl.DateTimeFormatOptions, type: Intl.DateTimeFormatPartTypes) => {
    const format = formatOf(options);
    return (date: Date) => format.formatToParts(date).find((p) => p.type === type)?.value ?? format.format(date);
  };
  // A month on its own is the whole text: ja's "5月" is a number and a literal part.
  const whole = (options: Intl.DateTimeFormatOptions) => {
    const format = formatOf(options);
    return (date: Date) => format.format(date);
  };
  const alone = MONTH_DAYS.map(whole({ month: 'long' }));
  const aloneShort = MONTH_DAYS.map(whole({ month: 'short' }));
  // Where a date writes its month as a number (ja "5月14日", cs "14. 5."), the name is the month's own ("5月", "kvě").
  const inDate = (names: string[], own: string[]) => names.map((name, month) => (/^\p{Nd}+$/u.test(name) ? own[month] : name));
  const period = part({ hour: 'numeric', hour12: true }, 'dayPeriod');
  return {
    months: inDate(MONTH_DAYS.map(part({ day: 'numeric', month: 'long' }, 'month')), alone),
    monthsShort: inDate(MONTH_DAYS.map(part({ day: 'numeric', month: 'short' }, 'month')), aloneShort),
    monthsAlone: alone,
    monthsAloneShort: aloneShort,
    days: WEEK_DAYS.map(part({ weekday: 'long' }, 'weekday')),
    daysShort: WEEK_DAYS.map(part({ weekday: 'short' }, 'weekday')),
    dayPeriods: [period(new Date(Date.UTC(2024, 0, 1, 9))), period(new Date(Date.UTC(2024, 0, 1, 21)))],
    locale,
  };
}
