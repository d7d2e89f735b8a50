/**
 * The VTIMEZONE component RFC 5545 asks for each TZID a calendar uses (3.6.5): the zone's offsets
 * and their changes over the years the events are in, found from Intl (Node's tz data) rather than
 * written as rules, so it is right for any zone Intl knows, however its rules changed. One
 * STANDARD or DAYLIGHT observance a change, each with its onset: plain data a calendar app reads
 * without expanding a rule.
 */
import { icalText, clockDigits } from './ical-text.js';
import { offsetAt, zoneAbbreviation } from '../util/zones.js';
import { pad } from '../util/dates.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Zones whose clocks are UTC's: their times are written as UTC (…Z), with no VTIMEZONE. */
export const isUtcZone = (timeZone: string) => /^(?:Etc\/)?(?:UTC|UCT|GMT|GMT0|Universal|Zulu|Greenwich)$/.test(timeZone);

/** A change of a zone's offset: the first instant of the new offset, the offsets (minutes east) before and after. */
interface OffsetChange {
  instant: number;
  from: number;
  to: number;
}

const changesByYear = new Map<string, OffsetChange[]>();

/**
 * The offset changes of a zone in one calendar year (UTC), each found to the minute: the days are
 * walked for a change of offset, then the day holding one is halved down to its minute.
 */
function changesIn(timeZone: string, year: number): OffsetChange[] {
  const key = `${timeZone}\0${year}`;
  const known = changesByYear.get(key);
  if (known) return known;
  const changes: OffsetChange[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let before = Date.UTC(year, 0, 1);
  let offset = offsetAt(timeZone, before);
  for (let day = before + DAY; day <= end; day += DAY) {
    const next = offsetAt(timeZone, day);
    if (next !== offset) {
      // The change is after `before` (old offset) and at or before `day` (new offset).
      let [low, high] = [before / MINUTE, day / MINUTE];
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(timeZone, middle * MINUTE) === offset) low = middle;
        else high = middle;
      }
      changes.push({ instant: high * MINUTE, from: offset, to: next });
      offset = next;
    }
    before = day;
  }
  changesByYear.set(key, changes);
  return changes;
}

/** An offset in minutes as a UTC-OFFSET value: +0200, -0330, +053328 for the seconds of old local mean times. */
function utcOffset(minutes: number): string {
  const seconds = Math.round(Math.abs(minutes) * 60);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return `${minutes < 0 ? '-' : '+'}${pad(h)}${pad(m)}${s ? pad(s) : ''}`;
}

/** One observance: from its onset (local time in the offset before it), the offset it brings and its abbreviation. */
function observance(timeZone: string, kind: 'STANDARD' | 'DAYLIGHT', onset: number, from: number, to: number): string[] {
  return [
    `BEGIN:${kind}`,
    `DTSTART:${clockDigits(new Date(onset + from * MINUTE))}`,
    `TZOFFSETFROM:${utcOffset(from)}`,
    `TZOFFSETTO:${utcOffset(to)}`,
    `TZNAME:${icalText(zoneAbbreviation(timeZone, onset, to))}`,
    `END:${kind}`,
  ];
}

/**
 * The years an event is in (UTC years, from its start's to its end's), as runs of consecutive
 * years: only those need observances. A year between two meetups that none is in (an event of 1990
 * and one of 2026, or a typo like 9026) adds no observance, however many years lie between.
 */
function yearRuns(events: readonly (readonly [start: number, end: number])[]): [first: number, last: number][] {
  const years = new Set<number>();
  for (const [start, end] of events) {
    for (let year = new Date(start).getUTCFullYear(); year <= new Date(end).getUTCFullYear(); year++) years.add(year);
  }
  const runs: [number, number][] = [];
  for (const year of [...years].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last[1] === year - 1) last[1] = year;
    else runs.push([year, year]);
  }
  return runs;
}

/**
 * The VTIMEZONE of `timeZone` for events at these instants (start, end): for each run of years
 * they are in, the offset in effect at its start, then each change. Intl cannot say which offset is
 * summer time: a change to a greater offset is DAYLIGHT, to a smaller one STANDARD (the kind is a
 * label; the offsets are what calendar apps compute with).
 */
export function timeZoneComponent(timeZone: string, events: readonly (readonly [start: number, end: number])[]): string[] {
  const observances = yearRuns(events).flatMap(([from, to]) => {
    const changes: OffsetChange[] = [];
    for (let year = from; year <= to; year++) changes.push(...changesIn(timeZone, year));
    const start = Date.UTC(from, 0, 1);
    const initial = offsetAt(timeZone, start);
    const initialKind = changes.length > 0 && changes[0].to < initial ? 'DAYLIGHT' : 'STANDARD';
    return [
      ...observance(timeZone, initialKind, start, initial, initial),
      ...changes.flatMap((change) => observance(timeZone, change.to > change.from ? 'DAYLIGHT' : 'STANDARD', change.instant, change.from, change.to)),
    ];
  });
  return ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, ...observances, 'END:VTIMEZONE'];
}
