/**
 * A post's or page's `event:` (recap sites): the meetup it announces or recaps, checked key by key
 * with each problem at its line, and put back into the data as what it means (dates as Dates), so
 * templates see `page.event.date` as a date.
 *
 *   event:
 *     date: 2026-06-09 18:30      # required: when it starts, on the meetup's clocks
 *     end: 21:30                  # a time that day, or a date and time
 *     venue: The Ropeworks
 *     address: 12 Rope Walk, Harbour City
 *     rsvp: https://lu.ma/harbour-june
 *     online: https://meet.example/harbour
 */
import { closest } from '../util/closest.js';
import { keyError, readLink, readString, type FrontMatter } from '../pipeline/front-matter-values.js';
import { FrontMatterError, SiteError } from '../pipeline/errors.js';
import { keyLine } from '../pipeline/front-matter.js';
import type { MeetupEvent } from '../pipeline/types.js';
import { eventEnd } from './timing.js';
import { readDateText } from '../util/dates.js';
import { entryLines } from '../util/yaml.js';

/** The key a post sets its event with. */
const EVENT_KEY = 'event';

const EVENT_KEYS = ['date', 'end', 'venue', 'address', 'rsvp', 'online'] as const;

const EXAMPLE = 'event: {date: 2026-06-09 18:30, venue: The Ropeworks, rsvp: https://…}';

/** A time of day alone (an `end` on the day the meetup starts): 21:30, 9:05, 21:30:00. */
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Whether date text names a time of day (2026-06-09 18:30), not a day alone. */
const HAS_TIME = /^\s*\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t]+)\d/;

const shownValue = (text: string) => `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;

/** A value as date text, or undefined when it is no text (a list, a mapping). */
const asText = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/**
 * The event of a file's front matter, or undefined when it has none or when any of its keys is
 * wrong: each problem is recorded in `errors` (the file's other keys are still read), at its key's
 * line under `event:` (from the front matter as written, `matter.text`).
 */
export function readEvent(matter: FrontMatter, errors: SiteError[]): MeetupEvent | undefined {
  const value = matter.data[EVENT_KEY];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
    errors.push(keyError(matter, EVENT_KEY, `"${EVENT_KEY}" must be a mapping of the meetup's details, like ${EXAMPLE}`));
    return undefined;
  }
  const entries = value as Record<string, unknown>;
  // The line of each key in a block mapping; one in a flow mapping ({date: …}) is at the event's own line.
  const nested = entryLines(matter.text ?? '', EVENT_KEY);
  const own = matter.fromDefaults.has(EVENT_KEY) ? undefined : keyLine(matter.lines, EVENT_KEY);
  const lineOf = (key: string) => (nested.has(key) ? nested.get(key)! + 1 : own);
  const problem = (key: string, message: string) => errors.push(new FrontMatterError(matter.path, message, { line: lineOf(key) }));
  const before = errors.length;

  for (const key of Object.keys(entries)) {
    if (!(EVENT_KEYS as readonly string[]).includes(key)) problem(key, unknownKey(key));
  }
  // The link and text rules of top-level keys, each at its own line and named as event.<key>.
  const asKey = (key: string): FrontMatter => ({ ...matter, data: { [`${EVENT_KEY}.${key}`]: entries[key] }, lines: {}, fromDefaults: new Set() });
  const read = (key: string, reader: (m: FrontMatter, k: string) => string): string => {
    try {
      return reader(asKey(key), `${EVENT_KEY}.${key}`);
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      errors.push(new FrontMatterError(matter.path, error.message, { line: lineOf(key) }));
      return '';
    }
  };
  const event: MeetupEvent = { start: new Date(0), venue: read('venue', readString).trim(), address: read('address', readString).trim(), rsvp: read('rsvp', readLink), online: read('online', readLink) };

  const start = readStart(entries.date, (message) => problem('date', message));
  if (entries.date === undefined || entries.date === null) {
    errors.push(new FrontMatterError(matter.path, `"${EVENT_KEY}" has no "date": add when the meetup starts, like date: 2026-06-09 18:30`, { line: own }));
  }
  if (start) event.start = start;
  const end = readEnd(entries.end, start, (message) => problem('end', message));
  if (end) event.end = end;
  // iCalendar's times have four-digit years: a meetup in the last hours of 9999 (a typo) would end in none.
  if (start && eventEnd(event).getUTCFullYear() > 9999) problem(entries.end === undefined ? 'date' : 'end', `"${EVENT_KEY}" would end after the year 9999, which no calendar can hold; is the year a typo?`);
  if (errors.length > before || !start) return undefined;
  // What templates see as page.event: the front matter's keys, dates as Dates.
  matter.data[EVENT_KEY] = { date: event.start, end: event.end, venue: event.venue, address: event.address, rsvp: event.rsvp, online: event.online };
  return event;
}

/** What an unknown key under `event:` is told: the key it most likely meant, and every key. */
function unknownKey(key: string): string {
  const guess = closest(key, EVENT_KEYS);
  const keys = EVENT_KEYS.join(', ');
  return `"${EVENT_KEY}" has an unknown key "${key}"; ${guess ? `did you mean "${guess}"? The keys are: ${keys}` : `the keys are: ${keys}`}`;
}

/** `date`: a date with a time of day, checked as a post's date is. */
function readStart(value: unknown, fail: (message: string) => void): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const text = asText(value);
  if (text === undefined) {
    fail(`"${EVENT_KEY}.date" must be a date and time like 2026-06-09 18:30, not ${Array.isArray(value) ? 'a list' : typeof value}`);
    return undefined;
  }
  const reading = readDateText(text);
  if ('problem' in reading) {
    fail(`"${EVENT_KEY}.date" is not a valid date: ${shownValue(text)} (${reading.problem}); write it as YYYY-MM-DD HH:MM`);
    return undefined;
  }
  if (!HAS_TIME.test(text)) {
    fail(`"${EVENT_KEY}.date" has no time of day: ${shownValue(text)}; write when the meetup starts, like ${text.trim()} 18:30`);
    return undefined;
  }
  return reading.date;
}

/** `end`: a time of day on the day it starts (21:30), or a date and time; after the start (when the start could be read). */
function readEnd(value: unknown, start: Date | undefined, fail: (message: string) => void): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const text = asText(value);
  const hint = 'write it as HH:MM (on the day it starts) or YYYY-MM-DD HH:MM';
  if (text === undefined) {
    fail(`"${EVENT_KEY}.end" must be a time or a date and time, not ${Array.isArray(value) ? 'a list' : typeof value}; ${hint}`);
    return undefined;
  }
  let end: Date;
  const time = TIME_OF_DAY.exec(text.trim());
  if (time) {
    const [hours, minutes, seconds] = [time[1], time[2], time[3] ?? '0'].map(Number);
    if (hours > 23 || minutes > 59 || seconds > 59) {
      fail(`"${EVENT_KEY}.end" is no time of day: ${shownValue(text)}; ${hint}`);
      return undefined;
    }
    if (!start) return undefined;
    end = new Date(start.getTime());
    end.setUTCHours(hours, minutes, seconds, 0);
  } else {
    const reading = readDateText(text);
    if ('problem' in reading || !HAS_TIME.test(text)) {
      // Why a date is wrong helps only with what looks like one (2026-02-30 21:00), not with "9pm".
      const why = 'problem' in reading && /^\s*\d{4}-/.test(text) ? ` (${reading.problem})` : '';
      fail(`"${EVENT_KEY}.end" is not a time or a date and time: ${shownValue(text)}${why}; ${hint}`);
      return undefined;
    }
    end = reading.date;
  }
  if (!start) return undefined;
  if (end.getTime() <= start.getTime()) {
    fail(`"${EVENT_KEY}.end" (${text.trim()}) is not after the start (${start.toISOString().slice(0, 16).replace('T', ' ')}); for a meetup past midnight write the date too, like ${nextDay(start)} 01:00`);
    return undefined;
  }
  return end;
}

const nextDay = (date: Date) => new Date(date.getTime() + 86_400_000).toISOString().slice(0, 10);
