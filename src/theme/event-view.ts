/**
 * A meetup as templates, the JSON-LD and events.ics show it: the front matter's keys, its links as
 * site paths (`rsvp: register.html` is beside the post, as its photos and slides are, so the home
 * page's upcoming block and the calendar link it right), and its times as <time datetime> writes them.
 */
import type { MeetupEvent, PlannedPost, SiteConfig } from '../pipeline/types.js';
import { htmlDateTime } from '../events/timing.js';
import { linkBesidePage } from '../util/urls.js';

export interface EventView {
  /** The meetup's clock times, as Dates (for the `date` filter). */
  date: Date;
  end?: Date;
  venue: string;
  address: string;
  /** Links: http(s), or site paths (a relative one resolved beside the page). */
  rsvp: string;
  online: string;
  /** Whether it has not ended at the build's `now`. */
  upcoming: boolean;
  /** As <time datetime> writes them: with the zone's offset when the site has a `timezone` ("" for no end). */
  datetime: string;
  endDatetime: string;
  /** Whether it ends on the day it starts: "18:30–21:30" then, else each time with its date. */
  endsSameDay: boolean;
}

/** The links of a post's or page's event, resolved beside its page. */
export function eventLinks(event: MeetupEvent, pageUrl: string): { rsvp: string; online: string } {
  return { rsvp: linkBesidePage(event.rsvp, pageUrl), online: linkBesidePage(event.online, pageUrl) };
}

export function eventView(config: SiteConfig, planned: PlannedPost, event: MeetupEvent, upcoming: boolean): EventView {
  return {
    date: event.start,
    end: event.end,
    venue: event.venue,
    address: event.address,
    ...eventLinks(event, planned.url),
    upcoming,
    datetime: htmlDateTime(config, event.start),
    endDatetime: event.end ? htmlDateTime(config, event.end) : '',
    endsSameDay: event.end !== undefined && event.end.toISOString().slice(0, 10) === event.start.toISOString().slice(0, 10),
  };
}
