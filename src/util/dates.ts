import { dateNames } from './date-names.js';
import { strftime } from './strftime.js';

const PATTERN = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?[ \t]*(Z|[+-]\d{1,2}(?::?\d{2})?)?$/;

/**
 * Years recap accepts. Before 1900 is a typo (0019 for 2019), and JavaScript reads years 0–99 as
 * 1900–1999; after 9999 is not a four-digit year.
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 9999;

/** A date as written, or why it is not one. */
export type DateReading = { date: Date } | { problem: string };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysInMonth = (year: number, month: number) => (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]);

/** A UTC date with the year taken as written (Date.UTC would read 19 as 1919). */
function utcDate(year: number, month: number, day: number, hour: number, minute: number, second: number): Date {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  return date;
}

/** Whether a date (a file's modification time, say) is one recap can give a post. */
export function dateInRange(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= FIRST_YEAR && year <= LAST_YEAR;
}

function zoneProblem(zone: string | undefined): string | undefined {
  if (!zone || zone === 'Z') return undefined;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.length > 2 ? digits.slice(0, -2) : digits);
  const minutes = digits.length > 2 ? Number(digits.slice(-2)) : 0;
  return hours > 14 || minutes > 59 ? `the zone offset ${zone} is beyond ±14:00` : undefined;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Whether `timeZone` is a time zone name this machine knows ("UTC", "Europe/Berlin"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    zoneFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * A zone name as the tz database spells it (europe/berlin → Europe/Berlin), or undefined when it
 * is none. A name Intl takes for another (Asia/Kolkata, which Node's ICU calls Asia/Calcutta;
 * US/Pacific) is kept as written: it is a name of the tz database too, and the one the site chose.
 * Offsets (+02:00) are refused whatever Intl does with them: an offset does not know summer time.
 */
export function canonicalTimeZone(name: string): string | undefined {
  const written = name.trim();
  if (!/^[A-Za-z]/.test(written) || !isTimeZone(written)) return undefined;
  const resolved = zoneFormat(written).resolvedOptions().timeZone;
  return resolved.toLowerCase() === written.toLowerCase() ? resolved : written;
}

/** The zone names this machine knows, for "did you mean". */
export const timeZoneNames = (): string[] => ['UTC', ...Intl.supportedValuesOf('timeZone')];

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    const parts = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;
    zoneFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...parts })));
  }
  return format;
}

/** The date and time on the clocks of `timeZone` at an instant, held as recap holds dates (as UTC). */
export function wallClockIn(timeZone: string, instant: number): Date {
  const parts = zoneFormat(timeZone).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return utcDate(part('year'), part('month'), part('day'), part('hour'), part('minute'), part('second'));
}

/** A zone offset as written (Z, +01, +0100, -05:30) in minutes east of UTC. */
function offsetMinutes(zone: string): number {
  if (zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.length > 2 ? digits.slice(0, -2) : digits) * 60 + (digits.length > 2 ? Number(digits.slice(-2)) : 0);
  return zone.startsWith('-') ? -minutes : minutes;
}

/**
 * Reads `2019-03-06`, `2019-03-06 18:30`, `2019-03-06T18:30:00+01:00`. Dates are handled as UTC
 * holding the date and time on the meetup's clocks. recap's own sites keep a date as written (a
 * zone offset is checked, then set aside): a meetup at 23:30 on the 6th stays on the 6th in its URL
 * and on its page, wherever the build runs. With `timeZone` (a Jekyll site's), a date written with
 * an offset is the time it names on that zone's clocks, as Jekyll reads it: `00:30 +0100` is 23:30
 * the day before in UTC, and in the post's URL.
 */
export function readDateText(text: string, timeZone?: string): DateReading {
  const match = PATTERN.exec(text.trim());
  if (!match) return { problem: 'it is not written as YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM:SS+HH:MM' };
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (year < FIRST_YEAR) return { problem: `the year ${y} is before ${FIRST_YEAR}` };
  if (month < 1 || month > 12) return { problem: `there is no month ${mo}` };
  if (day < 1 || day > daysInMonth(year, month)) return { problem: `${MONTHS[month - 1]} ${year} has ${daysInMonth(year, month)} days` };
  if (hour > 23 || minute > 59 || second > 59) return { problem: 'there is no such time of day' };
  const problem = zoneProblem(zone);
  if (problem) return { problem };
  const date = utcDate(year, month, day, hour, minute, second);
  return { date: zone && timeZone ? wallClockIn(timeZone, date.getTime() - offsetMinutes(zone) * 60_000) : date };
}

/** readDateText's date, or undefined for anything that is not a real calendar date and time. */
export function parseDate(text: string): Date | undefined {
  const reading = readDateText(text);
  return 'date' in reading ? reading.date : undefined;
}

/** A number as at least `width` digits: 7 → "07". */
export const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Today as YYYY-MM-DD in this computer's time zone: the day a person running recap new or init has. */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * A recap date (the meetup's clock time, held as UTC) as Ruby's strftime prints it: every directive
 * of Ruby's Time#strftime, with its flags and widths (see strftime.ts), month and day names in
 * `language` (date-names.ts). `spend`: see strftime.
 */
export function formatDate(date: Date, format: string, language = 'en', spend?: (chars: number) => void): string {
  return strftime({ date, offsetMinutes: 0, zone: 'UTC' }, format, dateNames(language), spend);
}

/**
 * A date from a template value: a Date, a date as front matter writes it (read in the meetup's
 * own time, as parseDate does), any other date text JavaScript reads, or a timestamp.
 */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value !== 'string') return undefined;
  const parsed = parseDate(value) ?? new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
