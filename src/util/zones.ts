/**
 * Times on a time zone's clocks as Ruby shows them, for a Jekyll site's `timezone` (Jekyll sets
 * TZ to it and Ruby prints every Time there): the offset at an instant (from Intl), the instant a
 * clock time names (as Ruby's Time.local picks one in a DST gap or overlap), and the zone's
 * abbreviation for %Z ("CEST", "EDT", "-03"), read from the tz database as Ruby reads it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { wallClockIn } from './dates.js';
import type { RubyTime } from './strftime.js';

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Zulu', 'Etc/Zulu']);

/** Minutes east of UTC on `timeZone`'s clocks at an instant (with a fraction for the local mean times of old dates: +02:02:04). */
export function offsetAt(timeZone: string, instant: number): number {
  if (UTC_NAMES.has(timeZone)) return 0;
  const whole = Math.floor(instant / 1000) * 1000;
  return (wallClockIn(timeZone, whole).getTime() - whole) / 60_000;
}

/** An instant shown on `timeZone`'s clocks, as Ruby's Time#localtime shows it. */
export function instantTime(instant: Date, timeZone: string): RubyTime {
  const offsetMinutes = offsetAt(timeZone, instant.getTime());
  return { date: instant, offsetMinutes, zone: zoneAbbreviation(timeZone, instant.getTime(), offsetMinutes) };
}

const DAY = 86_400_000;

/**
 * A clock time on `timeZone` (held as UTC, as recap holds dates) as the instant it names, shown
 * there: Ruby's Time.local. A time the clocks skip (02:30 when they go forward) is read with the
 * offset before the change, so it shows an hour later (03:30); a time they show twice (01:30 when
 * they go back) is the second one.
 */
export function wallClockTime(wallClock: Date, timeZone: string): RubyTime {
  const wall = wallClock.getTime();
  const [before, after] = [offsetAt(timeZone, wall - DAY), offsetAt(timeZone, wall + DAY)];
  const names = (offset: number) => offsetAt(timeZone, wall - offset * 60_000) === offset;
  const offset = names(after) ? after : before;
  return instantTime(new Date(wall - offset * 60_000), timeZone);
}

/** A zone's types of local time (offset in seconds, abbreviation), its transitions, and its rule for the times after them. */
interface ZoneData {
  /** Transition instants in seconds, ascending, and the type each one starts. */
  transitions: number[];
  typeOf: number[];
  types: { offset: number; abbreviation: string }[];
  /** The POSIX TZ rule of the file's footer: standard and daylight abbreviations, the standard offset in seconds. */
  rule?: { standard: string; standardOffset: number; daylight?: string };
}

const zones = new Map<string, ZoneData | undefined>();

/**
 * What %Z prints for `timeZone` at an instant: the tz database's abbreviation, as Ruby gives it.
 * Without the tz database (TZDIR, /usr/share/zoneinfo) or where it disagrees with Intl's offset:
 * Intl's short name when it is one ("EDT"), else the offset as the tz database writes those ("+0530").
 */
export function zoneAbbreviation(timeZone: string, instant: number, offsetMinutes: number): string {
  if (UTC_NAMES.has(timeZone)) return 'UTC';
  if (!zones.has(timeZone)) zones.set(timeZone, readZone(timeZone));
  const data = zones.get(timeZone);
  return (data && abbreviationIn(data, Math.floor(instant / 1000), Math.round(offsetMinutes * 60))) ?? fallbackAbbreviation(timeZone, instant, offsetMinutes);
}

function abbreviationIn(data: ZoneData, seconds: number, offset: number): string | undefined {
  const { transitions, rule } = data;
  if (rule && (transitions.length === 0 || seconds >= transitions[transitions.length - 1])) {
    if (offset === rule.standardOffset) return rule.standard;
    if (rule.daylight) return rule.daylight;
  }
  // The last transition at or before the instant (before the first: the first type, as RFC 8536 says).
  let low = 0;
  let high = transitions.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (transitions[middle] <= seconds) [found, low] = [middle, middle + 1];
    else high = middle - 1;
  }
  const type = data.types[found === -1 ? 0 : data.typeOf[found]];
  if (type?.offset === offset) return type.abbreviation;
  return [...data.types].reverse().find((t) => t.offset === offset)?.abbreviation;
}

function fallbackAbbreviation(timeZone: string, instant: number, offsetMinutes: number): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (/^[A-Z]{2,5}$/.test(name)) return name;
  const abs = Math.abs(Math.trunc(offsetMinutes));
  const hours = String(Math.floor(abs / 60)).padStart(2, '0');
  return `${offsetMinutes < 0 ? '-' : '+'}${hours}${abs % 60 ? String(abs % 60).padStart(2, '0') : ''}`;
}

/** A zone's TZif file (RFC 8536) from the tz database, or undefined when there is none to read. */
function readZone(timeZone: string): ZoneData | undefined {
  // Zone names are words joined by "/": nothing that leaves the database's folder.
  if (!/^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return undefined;
  try {
    return parseTzif(fs.readFileSync(path.join(process.env.TZDIR || '/usr/share/zoneinfo', timeZone)));
  } catch {
    return undefined;
  }
}

/** RFC 8536: a version 1 block of 32-bit times; from version 2, a second block of 64-bit times and a footer with the rule. */
function parseTzif(bytes: Buffer): ZoneData | undefined {
  if (bytes.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const counts = (at: number) => {
    const [isUt, isStd, leap, time, type, chars] = [0, 1, 2, 3, 4, 5].map((i) => bytes.readUInt32BE(at + 20 + i * 4));
    return { isUt, isStd, leap, time, type, chars };
  };
  const blockLength = (c: ReturnType<typeof counts>, timeSize: number) => c.time * timeSize + c.time + c.type * 6 + c.chars + c.leap * (timeSize + 4) + c.isStd + c.isUt;
  const first = counts(0);
  const wide = bytes[4] >= 0x32;
  const header = wide ? 44 + blockLength(first, 4) : 0;
  const c = wide ? counts(header) : first;
  const timeSize = wide ? 8 : 4;
  let at = header + 44;
  const transitions = Array.from({ length: c.time }, (_, i) => (wide ? Number(bytes.readBigInt64BE(at + i * 8)) : bytes.readInt32BE(at + i * 4)));
  at += c.time * timeSize;
  const typeOf = Array.from({ length: c.time }, (_, i) => bytes[at + i]);
  at += c.time;
  const typeAt = at;
  const charsAt = typeAt + c.type * 6;
  const types = Array.from({ length: c.type }, (_, i) => {
    const start = charsAt + bytes[typeAt + i * 6 + 5];
    const end = bytes.indexOf(0, start);
    return { offset: bytes.readInt32BE(typeAt + i * 6), abbreviation: bytes.toString('latin1', start, end === -1 ? charsAt + c.chars : end) };
  });
  const footerAt = header + 44 + blockLength(c, timeSize);
  const footer = wide ? bytes.toString('latin1', footerAt).split('\n')[1] : undefined;
  return { transitions, typeOf, types, rule: footer ? posixRule(footer) : undefined };
}

/** The abbreviations and standard offset of a POSIX TZ rule: "EST5EDT,M3.2.0,M11.1.0", "<-03>3", "<+0530>-5:30". */
function posixRule(text: string): ZoneData['rule'] {
  const match = /^(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,3}(?::\d{1,2}){0,2})(<[^>]+>|[A-Za-z]{3,})?/.exec(text);
  if (!match) return undefined;
  const name = (raw: string) => raw.replace(/^<|>$/g, '');
  const [hours, minutes = '0', seconds = '0'] = match[2].replace(/^[+-]/, '').split(':');
  const west = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * (match[2].startsWith('-') ? -1 : 1);
  // POSIX counts hours west of Greenwich: EST5 is five hours behind UTC.
  return { standard: name(match[1]), standardOffset: -west, daylight: match[3] ? name(match[3]) : undefined };
}
