/**
 * events.ics: the site's meetups, upcoming and past, as an iCalendar feed (RFC 5545) that members
 * subscribe to in their calendar app. Made from the posts alone, never from the time of the build,
 * so the same site gives the same bytes: a UID from the post's file, DTSTAMP from its dates.
 *
 * Times: with `timezone:` each is the meetup's clock time on that zone (DTSTART;TZID=…) and the
 * file carries the zone's VTIMEZONE, as RFC 5545 asks; with a UTC zone, UTC times (…Z); without a
 * zone, floating times, which every calendar shows at that clock time wherever its reader is.
 */
import type { CalendarPage, PlannedPost, SiteConfig, SitePlan } from '../pipeline/types.js';
import { translate } from '../i18n/translate.js';
import { sha1 } from '../util/hash.js';
import { absoluteUrl, isSiteRootPath } from '../util/urls.js';
import { eventLinks } from '../theme/event-view.js';
import { clockDigits, icalFile, icalText, utcDigits } from './ical-text.js';
import { eventEnd, instantOf } from './timing.js';
import { isUtcZone, timeZoneComponent } from './vtimezone.js';

/** Where the calendar is written, under the base path. */
export const CALENDAR_PATH = 'events.ics';

/** How often calendar apps are asked to read the feed again (RFC 7986 REFRESH-INTERVAL, and Apple's and Google's own name for it). */
const REFRESH = 'PT12H';

/** UIDs stay the same across builds and address changes: made from the post's file, at the site's host. */
function uidOf(config: SiteConfig, entry: PlannedPost): string {
  const host = config.url ? new URL(config.url).host : 'recap.invalid';
  return `${sha1(entry.post.source)}@${host}`;
}

/** How the calendar writes a clock time of the meetup: on its zone, in UTC, or floating. */
function timeWriter(config: SiteConfig): (name: string, wallClock: Date) => string {
  const zone = config.timezone;
  if (!zone) return (name, wallClock) => `${name}:${clockDigits(wallClock)}`;
  if (isUtcZone(zone)) return (name, wallClock) => `${name}:${utcDigits(instantOf(config, wallClock))}`;
  return (name, wallClock) => `${name};TZID=${zone}:${clockDigits(wallClock)}`;
}

/** What the event's DESCRIPTION says: the post's description (or excerpt), then its RSVP and online links, in the site's language. */
function descriptionOf(config: SiteConfig, entry: PlannedPost, { rsvp, online }: { rsvp: string; online: string }): string {
  const { post } = entry;
  const words = (key: string) => translate(config.i18n, config.language, key);
  const links = [
    rsvp ? `${words('eventRsvp')}: ${absoluteUrl(rsvp, config)}` : '',
    online ? `${words('eventOnline')}: ${absoluteUrl(online, config)}` : '',
  ].filter(Boolean);
  return [post.description || entry.excerpt, links.join('\n')].filter(Boolean).join('\n\n');
}

function eventLines(config: SiteConfig, entry: PlannedPost, time: (name: string, wallClock: Date) => string): string[] {
  const { post } = entry;
  const event = post.event!;
  // A page has no date of its own: its event's start stands for when it was written.
  const stamp = post.updated ?? (post.collection === 'pages' ? event.start : post.date);
  const links = eventLinks(event, entry.url);
  const location = [event.venue, event.address].filter(Boolean).join(', ') || (links.online ? absoluteUrl(links.online, config) : '');
  const description = descriptionOf(config, entry, links);
  const url = absoluteUrl(entry.url, config);
  return [
    'BEGIN:VEVENT',
    `UID:${uidOf(config, entry)}`,
    `DTSTAMP:${utcDigits(instantOf(config, stamp))}`,
    time('DTSTART', event.start),
    time('DTEND', eventEnd(event)),
    `SUMMARY:${icalText(post.title)}`,
    ...(location ? [`LOCATION:${icalText(location)}`] : []),
    ...(description ? [`DESCRIPTION:${icalText(description)}`] : []),
    // A URL is a URI: without the site's `url` there is only a path, which is none (the build warns about url).
    ...(isSiteRootPath(url) ? [] : [`URL:${url}`]),
    'END:VEVENT',
  ];
}

/**
 * What a site with events should know: without `timezone:` its calendar has floating times and an
 * event counts as ended by UTC's clock, which can be hours off the meetup's.
 */
export function calendarWarnings(config: SiteConfig, plan: Pick<SitePlan, 'calendarUrl'>): string[] {
  if (!plan.calendarUrl || config.timezone) return [];
  return [
    'recap.config.yml: "timezone" is not set, and the site has events: events.ics gives their clock times without a zone (each calendar shows them in its own), and an event ends by UTC\'s clock; add your meetup\'s zone, like timezone: Europe/Berlin',
  ];
}

/** The iCalendar file of a site's events, soonest first. */
export function renderCalendar(config: SiteConfig, page: CalendarPage): string {
  const zone = config.timezone;
  const time = timeWriter(config);
  const instants = page.events.map((entry) => [instantOf(config, entry.post.event!.start), instantOf(config, eventEnd(entry.post.event!))] as const);
  return icalFile([
    'BEGIN:VCALENDAR',
    'PRODID:-//recap//Meetup events//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icalText(config.title)}`,
    ...(config.description ? [`X-WR-CALDESC:${icalText(config.description)}`] : []),
    ...(zone ? [`X-WR-TIMEZONE:${zone}`] : []),
    `REFRESH-INTERVAL;VALUE=DURATION:${REFRESH}`,
    `X-PUBLISHED-TTL:${REFRESH}`,
    ...(zone && !isUtcZone(zone) ? timeZoneComponent(zone, instants) : []),
    ...page.events.flatMap((entry) => eventLines(config, entry, time)),
    'END:VCALENDAR',
  ]);
}
