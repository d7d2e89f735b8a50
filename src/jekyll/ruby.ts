/**
 * How Ruby shows values, where Jekyll's templates print them: Time#to_s and strftime, String and
 * Hash#inspect, Liquid's to_s of arrays and hashes, and Time.parse's reading of date text. Jekyll
 * sites print these (`{{ page.date }}`, `{{ post.date | date: "%e %B" }}`), so recap prints them
 * the same way. Dates are shown in UTC (recap builds in UTC), unless a text gave its own offset.
 */
import { RUBY_NAMES, strftime, type RubyTime } from '../util/strftime.js';

export { strftime, type RubyTime };

const MONTH_PREFIXES = RUBY_NAMES.monthsShort.map((m) => m.toLowerCase());

/** A date as Time.parse reads text: ISO-like dates (- or / between the parts), with or without a time and a zone offset. */
const ISO_LIKE = /^(-?\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{1,2})?$/i;

/** Liquid's Utils.to_date: a Time, a date, a timestamp (number or digits), "now"/"today", or text Time.parse reads. */
export function toRubyTime(value: unknown, now: () => Date = () => new Date()): RubyTime | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : { date: value, offsetMinutes: 0 };
  if (typeof value === 'number') return Number.isFinite(value) ? { date: new Date(Math.trunc(value) * 1000), offsetMinutes: 0 } : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^(now|today)$/i.test(text)) return { date: now(), offsetMinutes: 0 };
  if (/^\d+$/.test(text)) return { date: new Date(Number(text) * 1000), offsetMinutes: 0 };
  return isoLike(text) ?? looseDate(text);
}

function isoLike(text: string): RubyTime | undefined {
  const match = ISO_LIKE.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const offsetMinutes = zoneOffset(zone);
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis));
  // Date.UTC reads years 0-99 as 1900-1999.
  if (Number(y) >= 0 && Number(y) < 100) local.setUTCFullYear(local.getUTCFullYear() - 1900);
  // Time.parse rolls days over (February 30th is March 2nd) but refuses months and days out of range.
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  // Time.parse gives a UTC time for the zones that mean UTC ("Z", "UTC", RFC 3339's -00:00), and a local one otherwise.
  return { date: new Date(local.getTime() - offsetMinutes * 60_000), offsetMinutes, utc: zone !== undefined && UTC_ZONES.test(zone) };
}

/** The zones Ruby's Time.parse reads as a UTC time (zone_utc?). */
const UTC_ZONES = /^(?:-00:?00|-00|UTC|Z)$/i;

function zoneOffset(zone: string | undefined): number {
  if (!zone || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.length > 2 ? digits.slice(0, -2) : digits);
  const minutes = digits.length > 2 ? Number(digits.slice(-2)) : 0;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Other date text ("March 5, 2020", "5 Mar 2020"): read by JavaScript, its wall-clock time taken as UTC as recap's builds do. */
function looseDate(text: string): RubyTime | undefined {
  if (!MONTH_PREFIXES.some((prefix) => text.toLowerCase().includes(prefix))) return undefined;
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime())) return undefined;
  const hasZone = /(Z|UTC|GMT|[+-]\d{2}:?\d{2})\s*$/i.test(text);
  return { date: hasZone ? parsed : new Date(parsed.getTime() - parsed.getTimezoneOffset() * 60_000), offsetMinutes: 0 };
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
    if (item instanceof Date) return spend(rubyTimeText({ date: item, offsetMinutes: 0 }));
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
  if (value instanceof Date) return rubyTimeText({ date: value, offsetMinutes: 0 });
  if (Array.isArray(value)) return flatList(value).map((item) => liquidText(item, budget)).join('');
  if (isPlainObject(value)) return rubyInspect(value, budget);
  return String(value);
}

export { isPlainObject };
