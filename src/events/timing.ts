/**
 * When an event is: the instant its clock times name (on the site's `timezone`, or taken as UTC's
 * as post dates are without one), how long it lasts, and whether it is still upcoming at a build's
 * `now`. Every page that shows an event's state, and the watcher's timer, ask these.
 */
import type { MeetupEvent, Post, SiteConfig } from '../pipeline/types.js';
import { pad } from '../util/dates.js';
import { wallClockTime } from '../util/zones.js';

/** An event without `end` lasts this long: a meetup evening (talks, then drinks). events.ics gives it this end too. */
const USUAL_LENGTH_MS = 3 * 60 * 60 * 1000;

/** When it ends on the meetup's clocks: its `end`, else its start and the usual length. */
export const eventEnd = (event: MeetupEvent): Date => event.end ?? new Date(event.start.getTime() + USUAL_LENGTH_MS);

/**
 * The instant a clock time of the meetup names: on the site's `timezone`, or without one taken as
 * UTC's, as recap takes a post's date when it decides whether the post is due.
 */
export function instantOf(config: Pick<SiteConfig, 'timezone'>, wallClock: Date): number {
  return config.timezone ? wallClockTime(wallClock, config.timezone).date.getTime() : wallClock.getTime();
}

/**
 * Upcoming until it ends: a member running late still finds the address and the RSVP link on the
 * home page while the talks are on. Decided against the build's `now`, never the machine's clock.
 */
export function isUpcoming(config: Pick<SiteConfig, 'timezone' | 'now'>, event: MeetupEvent): boolean {
  return instantOf(config, eventEnd(event)) > config.now.getTime();
}

/** Whether a post or page is an upcoming event at the build's `now`. */
export const isUpcomingEvent = (config: Pick<SiteConfig, 'timezone' | 'now'>, post: Pick<Post, 'event'>): boolean => post.event !== undefined && isUpcoming(config, post.event);

/**
 * The first instant after `now` at which time alone changes what a build makes of these posts:
 * an upcoming event ends, or a post dated in the future falls due: without --future it is then
 * built, and an event's post (built before its date either way) gets its sitemap lastmod. Infinity: never.
 */
export function nextTimedChange(config: Pick<SiteConfig, 'timezone' | 'now' | 'future'>, posts: readonly Pick<Post, 'date' | 'event'>[]): number {
  const now = config.now.getTime();
  let due = Infinity;
  const consider = (time: number) => {
    if (time > now && time < due) due = time;
  };
  for (const post of posts) {
    if (!config.future || post.event) consider(post.date.getTime());
    if (post.event) consider(instantOf(config, eventEnd(post.event)));
  }
  return due;
}

/**
 * A clock time as HTML's <time datetime> writes it: with the zone's offset at that time when the
 * site has a `timezone` (2026-06-09T18:30+02:00), else as a local date and time (2026-06-09T18:30).
 */
export function htmlDateTime(config: Pick<SiteConfig, 'timezone'>, wallClock: Date): string {
  const iso = wallClock.toISOString();
  const local = iso.slice(0, wallClock.getUTCSeconds() === 0 ? 16 : 19);
  if (!config.timezone) return local;
  // The offset the clock time was read with (instantOf), not the zone's offset at the instant: they differ for a
  // time the clocks skip (02:30 as they go forward is read as RFC 5545 reads it, with the offset before the gap).
  const minutes = Math.round((wallClock.getTime() - instantOf(config, wallClock)) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  return `${local}${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}
