/**
 * How Ruby shows values, where Jekyll's templates print them: Time#to_s and strftime, String and
 * Hash#inspect, Liquid's to_s of arrays and hashes, and Time.parse's reading of date text. Jekyll
 * sites print these (`{{ page.date }}`, `{{ post.date | date: "%e %B" }}`), so recap prints them
 * the same way. Times are shown on the clocks of the site's `timezone`, as Jekyll sets TZ to it
 * (UTC when not set), unless a text gave an offset of its own.
 */
import { RUBY_NAMES, strftime, type RubyTime } from '../util/strftime.js';
import { instantTime, offsetAt, wallClockTime } from '../util/zones.js';

export { strftime, type RubyTime };

/**
 * A Time as a Jekyll site's Liquid has it: a Date (of the instant, for comparisons and sorting)
 * that prints as Ruby prints the Time ("2024-05-10 00:00:00 +0200") and that filters read as that
 * Time, offset and zone included.
 */
export class LiquidDate extends Date {
  readonly time: RubyTime;
  constructor(time: RubyTime) {
    super(time.date.getTime());
    this.time = time;
  }
  override toString(): string {
    return rubyTimeText(this.time);
  }
  override toJSON(): string {
    return this.toString();
  }
}

/**
 * A recap date (the clock time written, held as UTC) as a Jekyll site's Liquid sees it: that time
 * on the site's zone's clocks, as Jekyll reads a date without an offset.
 */
export const liquidDate = (wallClock: Date, timeZone: string) => new LiquidDate(wallClockTime(wallClock, timeZone));

/** The Time a Date stands for: a LiquidDate's own; any other Date is a recap date, a clock time (shown as UTC's). */
const timeOfDate = (date: Date): RubyTime => (date instanceof LiquidDate ? date.time : { date, offsetMinutes: 0 });

/** Every value in `data` that is a Date as a LiquidDate on the site's zone (front matter's date, updated, last_modified_at). */
export function withLiquidDates(data: Record<string, unknown>, timeZone: string): Record<string, unknown> {
  const dated = Object.entries(data).filter(([, value]) => value instanceof Date && !(value instanceof LiquidDate) && !Number.isNaN(value.getTime()));
  return dated.length === 0 ? data : { ...data, ...Object.fromEntries(dated.map(([key, value]) => [key, liquidDate(value as Date, timeZone)])) };
}

const MONTH_PREFIXES = RUBY_NAMES.monthsShort.map((m) => m.toLowerCase());

/** A date as Time.parse reads text: ISO-like dates (- or / between the parts), with or without a time and a zone offset. */
const ISO_LIKE = /^(-?\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{1,2})?$/i;

/**
 * Liquid's Utils.to_date: a Time, a date, a timestamp (number or digits), "now"/"today", or text
 * Time.parse reads, in `timeZone` (the site's: Jekyll's TZ).
 */
export function toRubyTime(value: unknown, timeZone = 'UTC', now: () => Date = () => new Date()): RubyTime | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value instanceof LiquidDate ? value.time : wallClockTime(value, timeZone);
  if (typeof value === 'number') return Number.isFinite(value) ? instantTime(new Date(Math.trunc(value) * 1000), timeZone) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^(now|today)$/i.test(text)) return instantTime(now(), timeZone);
  if (/^\d+$/.test(text)) return instantTime(new Date(Number(text) * 1000), timeZone);
  return isoLike(text, timeZone) ?? looseDate(text, timeZone);
}

function isoLike(text: string, timeZone: string): RubyTime | undefined {
  const match = ISO_LIKE.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const clock = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis));
  // Date.UTC reads years 0-99 as 1900-1999.
  if (Number(y) >= 0 && Number(y) < 100) clock.setUTCFullYear(clock.getUTCFullYear() - 1900);
  // Time.parse rolls days over (February 30th is March 2nd) but refuses months and days out of range.
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  return timeWithZone(clock, zone, timeZone);
}

/**
 * Time.parse's choice of zone for a clock time and the zone text after it: none, the site's zone;
 * one that means UTC ("Z", "UTC", RFC 3339's -00:00), a UTC time; an offset the site's zone has at
 * that moment, the site's zone (with its abbreviation); any other, that bare offset (no %Z).
 */
function timeWithZone(clock: Date, zone: string | undefined, timeZone: string): RubyTime {
  if (zone === undefined) return wallClockTime(clock, timeZone);
  const offsetMinutes = zoneOffset(zone);
  const date = new Date(clock.getTime() - offsetMinutes * 60_000);
  if (UTC_ZONES.test(zone)) return { date, offsetMinutes: 0, zone: 'UTC', utc: true };
  return offsetAt(timeZone, date.getTime()) === offsetMinutes ? instantTime(date, timeZone) : { date, offsetMinutes, zone: '' };
}

/** The zones Ruby's Time.parse reads as a UTC time (zone_utc?). */
const UTC_ZONES = /^(?:-00:?00|-00|UTC|Z)$/i;

function zoneOffset(zone: string): number {
  if (/^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.length > 2 ? digits.slice(0, -2) : digits);
  const minutes = digits.length > 2 ? Number(digits.slice(-2)) : 0;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

const LOOSE_ZONE = /\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})\s*$/i;

/** Other date text ("March 5, 2020", "5 Mar 2020 10:00 +0100"): its clock time read by JavaScript, its zone as Time.parse takes it. */
function looseDate(text: string, timeZone: string): RubyTime | undefined {
  if (!MONTH_PREFIXES.some((prefix) => text.toLowerCase().includes(prefix))) return undefined;
  const zone = LOOSE_ZONE.exec(text)?.[1];
  // Read without its zone, in this machine's zone, then taken as a clock time.
  const parsed = new Date(zone === undefined ? text : text.slice(0, text.length - LOOSE_ZONE.exec(text)![0].length));
  if (Number.isNaN(parsed.getTime())) return undefined;
  return timeWithZone(new Date(parsed.getTime() - parsed.getTimezoneOffset() * 60_000), zone, timeZone);
}

/** Time#to_s: "2019-03-12 00:00:00 +0000". */
export const rubyTimeText = (time: RubyTime) => strftime(time, '%Y-%m-%d %H:%M:%S %z');

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** Ruby's String#inspect: double quotes, backslash escapes, "#{" escaped. */
export function inspectString(text: string): string {
  const escaped = text.replace(/[\\"\n\t\r\f\v\x07\x08\x1b]|#(?=[{$@])|[\x00-\x1f\x7f]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', '\x07': '\\a', '\x08': '\\b', '\x1b': '\\e', '#': '\\#' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  });
  return `"${escaped}"`;
}

/**
 * Ruby's #inspect of a Liquid value (`{"a"=>1, "b"=>[nil, true]}`). Values that contain themselves
 * print as Ruby does ([...], {...}); `budget` is the most characters it may make (it throws beyond).
 */
export function rubyInspect(value: unknown, budget = Infinity): string {
  let used = 0;
  const seen: unknown[] = [];
  const spend = (text: string) => {
    used += text.length;
    if (used > budget) throw new RangeError('inspect makes too much text');
    return text;
  };
  const walk = (item: unknown): string => {
    if (item === null || item === undefined) return spend('nil');
    if (typeof item === 'string') return spend(inspectString(item));
    if (typeof item === 'number' || typeof item === 'boolean') return spend(String(item));
    if (item instanceof Date) return spend(rubyTimeText(timeOfDate(item)));
    if (seen.includes(item)) return spend(Array.isArray(item) ? '[...]' : '{...}');
    seen.push(item);
    try {
      if (Array.isArray(item)) return `[${item.map(walk).join(', ')}]`;
      if (isPlainObject(item)) return `{${Object.entries(item).map(([key, entry]) => `${spend(inspectString(key))}=>${walk(entry)}`).join(', ')}}`;
      return spend(String(item));
    } finally {
      seen.pop();
    }
  };
  return walk(value);
}

/** Ruby's Array#flatten: nested lists' items in order; a list inside itself is left out (Ruby raises). */
export function flatList(list: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const open: unknown[] = [];
  const walk = (items: readonly unknown[]) => {
    if (open.includes(items)) return;
    open.push(items);
    for (const item of items) {
      if (Array.isArray(item)) walk(item);
      else out.push(item);
    }
    open.pop();
  };
  walk(list);
  return out;
}

/** How Liquid prints a value with {{ }}: text as is, nil as nothing, lists joined, hashes inspected, times as Time#to_s. */
export function liquidText(value: unknown, budget = Infinity): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return rubyTimeText(timeOfDate(value));
  if (Array.isArray(value)) return flatList(value).map((item) => liquidText(item, budget)).join('');
  if (isPlainObject(value)) return rubyInspect(value, budget);
  return String(value);
}

export { isPlainObject, timeOfDate };
