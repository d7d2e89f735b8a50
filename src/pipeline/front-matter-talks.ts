/**
 * A recap post's meetup keys: `talks:` (each talk's title, speakers, company, slides, recording,
 * start in the recording, description), `sponsors:` (names, or name, url and logo) and
 * `attendance:`. Checked as every key is, each problem at its line: the item's own key where the
 * list is written as block lines (the line map of front matter is per top-level key, so the
 * items' lines are found here), named by the item (`talks[2].slides`: the second talk). A key a
 * talk does not have is an error with the one it probably meant: `slide:` must not vanish quietly.
 */
import { closest } from '../util/closest.js';
import { FrontMatterError, type SiteError } from './errors.js';
import { keyLine, listItemLines, type ItemLines } from './front-matter.js';
import { readLink, readOr, readString, type FrontMatter } from './front-matter-values.js';
import type { Attendance, Sponsor, Talk } from './types.js';
import { foldTagName } from '../util/slugs.js';
import { MOMENT_FORMS, readMoment } from '../util/timestamps.js';

export const TALK_KEYS = ['title', 'speaker', 'company', 'slides', 'video', 'start', 'description'] as const;
export const SPONSOR_KEYS = ['name', 'url', 'logo'] as const;
export const ATTENDANCE_MODES: readonly Attendance[] = ['online', 'offline', 'mixed'];

/** A list key of the front matter, and where its items are written. */
interface ListAt {
  matter: FrontMatter;
  key: string;
  items: ItemLines[];
}

const listAt = (matter: FrontMatter, key: string): ListAt => ({ matter, key, items: listItemLines(matter.text ?? '', keyLine(matter.lines, key)) });

/** An item's name in messages: talks[2] is the second talk, talks[2].slides its slides. */
const label = (list: ListAt, index: number, field?: string) => `${list.key}[${index + 1}]${field ? `.${field}` : ''}`;

/** The line of an item's key, else of the item, else of the list's key. */
const lineOf = (list: ListAt, index: number, field?: string): number | undefined =>
  (field === undefined ? undefined : list.items[index]?.keys[field]) ?? list.items[index]?.line ?? keyLine(list.matter.lines, list.key);

const itemError = (list: ListAt, index: number, field: string | undefined, message: string) =>
  new FrontMatterError(list.matter.path, message, { line: lineOf(list, index, field) });

/** One value of an item, as the readers of top-level keys see a key of their own: their rules and messages, at the item's line. */
function asKey(list: ListAt, index: number, field: string, value: unknown): FrontMatter {
  const name = label(list, index, field);
  const line = lineOf(list, index, field);
  return { path: list.matter.path, data: { [name]: value }, lines: line === undefined ? {} : { [name]: line }, fromDefaults: new Set() };
}

const textOf = (list: ListAt, index: number, field: string, value: unknown) => readString(asKey(list, index, field, value), label(list, index, field)).trim();
const linkOf = (list: ListAt, index: number, field: string, value: unknown) => readLink(asKey(list, index, field, value), label(list, index, field));

/** A name as one spelling: spaces trimmed, each run of spaces one (two spaces typed by accident are no other speaker). */
export const cleanName = (name: string) => name.trim().replace(/\s+/g, ' ');

/** What a value is, for a message about an item that should be a mapping. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'an empty item';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `the text ${JSON.stringify(String(value))}`;
}

/** An item's keys, each one its kind has; an unknown one (a typo) is an error naming the key it probably meant. */
function checkKeys(list: ListAt, index: number, item: Record<string, unknown>, known: readonly string[], what: string): void {
  for (const key of Object.keys(item)) {
    if ((known as readonly string[]).includes(key)) continue;
    const guess = closest(key, known);
    const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
    throw itemError(list, index, key, `${label(list, index)} has the key "${key}", which ${what} does not have${hint} (${what} has ${known.join(', ')})`);
  }
}

/** `speaker`: a name or a list of names; empty ones are left out. */
function readSpeakers(list: ListAt, index: number, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const names = Array.isArray(value) ? value : [value];
  return names
    .map((name) => {
      if (typeof name === 'string' || typeof name === 'number') return cleanName(String(name));
      throw itemError(list, index, 'speaker', `"${label(list, index, 'speaker')}" must be a name or a list of names (speaker: [Ana Lima, Bo Chen]), not ${kindOf(name)}`);
    })
    .filter((name) => name !== '');
}

function readTalk(list: ListAt, index: number, value: unknown, postVideo: string): Talk {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
    throw itemError(list, index, undefined, `${label(list, index)} must be a talk: a mapping with keys like "title:" and "speaker:", not ${kindOf(value)}; start it with "- title: …"`);
  }
  const item = value as Record<string, unknown>;
  checkKeys(list, index, item, TALK_KEYS, 'a talk');
  const title = textOf(list, index, 'title', item.title);
  if (title === '') throw itemError(list, index, 'title', `${label(list, index)} has ${item.title === undefined ? 'no' : 'an empty'} "title"; every talk needs one (title: "Containers without the hype")`);
  const talk: Talk = {
    title,
    speakers: readSpeakers(list, index, item.speaker),
    company: textOf(list, index, 'company', item.company),
    slides: linkOf(list, index, 'slides', item.slides),
    video: linkOf(list, index, 'video', item.video),
    description: textOf(list, index, 'description', item.description),
    line: lineOf(list, index),
  };
  if (item.start !== undefined && item.start !== null && item.start !== '') {
    const start = readMoment(item.start);
    const name = label(list, index, 'start');
    if (start === undefined) {
      const written = typeof item.start === 'string' || typeof item.start === 'number' ? ` ${JSON.stringify(item.start)}` : '';
      throw itemError(list, index, 'start', `"${name}"${written} is not a moment in the recording; write it as ${MOMENT_FORMS}`);
    }
    if (talk.video === '' && postVideo === '') throw itemError(list, index, 'start', `"${name}" is a moment in no recording: give the talk a "video:", or the post one`);
    talk.start = start;
  }
  return talk;
}

/** Each item read by `read`; a wrong one is recorded in `errors` and left out, so one build names every wrong item. */
function readItems<T>(items: unknown[], read: (item: unknown, index: number) => T, errors: SiteError[]): T[] {
  const result: T[] = [];
  items.forEach((item, index) => {
    const value = readOr(errors, () => read(item, index), undefined);
    if (value !== undefined) result.push(value);
  });
  return result;
}

/** `talks:`: a list of talks (an empty list is none); each wrong talk is recorded in `errors`. */
export function readTalks(matter: FrontMatter, postVideo: string, errors: SiteError[]): Talk[] {
  const value = matter.data.talks;
  if (value === undefined || value === null) return [];
  const list = listAt(matter, 'talks');
  if (!Array.isArray(value)) {
    errors.push(new FrontMatterError(matter.path, `"talks" must be a list of talks, each starting with "- title:", not ${kindOf(value)}`, { line: keyLine(matter.lines, 'talks') }));
    return [];
  }
  return readItems(value, (item, index) => readTalk(list, index, item, postVideo), errors);
}

function readSponsor(list: ListAt, index: number, value: unknown): Sponsor {
  if (typeof value === 'string' || typeof value === 'number') return { name: cleanName(String(value)), url: '', logo: '', line: lineOf(list, index) };
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
    throw itemError(list, index, undefined, `${label(list, index)} must be a name, or a mapping of name, url and logo; not ${kindOf(value)}`);
  }
  const item = value as Record<string, unknown>;
  checkKeys(list, index, item, SPONSOR_KEYS, 'a sponsor');
  const name = cleanName(textOf(list, index, 'name', item.name));
  if (name === '') throw itemError(list, index, 'name', `${label(list, index)} has ${item.name === undefined ? 'no' : 'an empty'} "name"; every sponsor needs one`);
  return { name, url: linkOf(list, index, 'url', item.url), logo: linkOf(list, index, 'logo', item.logo), line: lineOf(list, index) };
}

/** `sponsors:`: a name, or a list of names and mappings; a name given twice (in any case) counts once, as first given. Each wrong one is recorded in `errors`. */
export function readSponsors(matter: FrontMatter, errors: SiteError[]): Sponsor[] {
  const value = matter.data.sponsors;
  if (value === undefined || value === null) return [];
  const list = listAt(matter, 'sponsors');
  const seen = new Set<string>();
  return readItems(Array.isArray(value) ? value : [value], (item, index) => readSponsor(list, index, item), errors).filter((sponsor) => {
    const key = foldTagName(sponsor.name);
    if (sponsor.name === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How people attended: `attendance:` as written, else `location: Online` (or a location starting with it) online, another location offline. */
export function readAttendance(matter: FrontMatter): Attendance | undefined {
  const value = matter.data.attendance;
  if (value !== undefined && value !== null) {
    const mode = typeof value === 'string' ? value.trim().toLowerCase() : '';
    if (!(ATTENDANCE_MODES as readonly string[]).includes(mode)) {
      throw new FrontMatterError(matter.path, `"attendance" must be online, offline or mixed (how people took part), not ${kindOf(value)}`, { line: keyLine(matter.lines, 'attendance') });
    }
    return mode as Attendance;
  }
  const location = typeof matter.data.location === 'string' ? matter.data.location.trim() : '';
  if (location === '') return undefined;
  return /^online\b/i.test(location) ? 'online' : 'offline';
}
