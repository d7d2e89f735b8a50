/**
 * schema.org data for a recap with talks, or a post or page with an event: the evening as an Event (its talks as subEvents, each
 * speaker a Person with their company as affiliation; the site as organizer; sponsors as
 * Organizations; where it was: a Place, a VirtualLocation online, both when mixed), and each
 * recording as a VideoObject (a talk that starts at a moment of a shared recording is a Clip of
 * it). The BlogPosting (a page's WebPage) is about the Event; all three are items of one @graph, so a reader of the
 * page's JSON-LD finds each at the top, as search engines look for them.
 */
import type { MeetupData, TalkView } from './talk-views.js';
import type { SiteConfig } from '../pipeline/types.js';
import { hostedVideo, videoEmbedUrl, videoFacade } from './hosted-video.js';
import { linkBesidePage } from '../util/urls.js';

const SCHEMA = 'https://schema.org/';
const ATTENDANCE_MODES = { online: 'OnlineEventAttendanceMode', offline: 'OfflineEventAttendanceMode', mixed: 'MixedEventAttendanceMode' } as const;

/** A recording file a browser plays itself (contentUrl); any other link is a page that shows it (url). */
const MEDIA_FILE = /\.(mp4|m4v|webm|ogv|mov)(?:[?#].*)?$/i;

type Absolute = (value: unknown) => string;
type Item = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** The post's own `video`, as a site path when written beside the post (as its talks' are). */
const postVideo = (page: Item) => {
  const video = text(page.video);
  return video && linkBesidePage(video, String(page.url ?? '/'));
};

/**
 * How people attended: the post's `attendance` (or `location: Online`), else what its `event:`
 * gives: a venue and an online link are mixed, either alone offline or online.
 */
function attendanceOf(meetup: MeetupData): MeetupData['attendance'] {
  if (meetup.attendance || !meetup.event) return meetup.attendance;
  const { venue, address, online } = meetup.event;
  const there = venue !== '' || address !== '';
  if (there && online) return 'mixed';
  return online ? 'online' : there ? 'offline' : undefined;
}

/**
 * Where the evening was: a Place (the event's venue and address, else the location written), online
 * a VirtualLocation (the event's online link, else its recording's page, else the post's), mixed both.
 */
function eventLocation(page: Item, meetup: MeetupData, mode: MeetupData['attendance'], postUrl: string, absolute: Absolute): Item | Item[] | undefined {
  const event = meetup.event;
  const written = text(page.location);
  const place = event && (event.venue || event.address) ? { name: event.venue || event.address, address: event.address || event.venue } : written && !(mode !== 'offline' && /^online\b/i.test(written)) ? { name: written, address: written } : undefined;
  const venue = place && { '@type': 'Place', ...place };
  if (mode !== 'online' && mode !== 'mixed') return venue;
  const video = postVideo(page);
  const virtual = { '@type': 'VirtualLocation', url: event?.online ? absolute(event.online) : video ? absolute(video) : postUrl };
  if (mode === 'online') return virtual;
  return venue ? [venue, virtual] : virtual;
}

/** A speaker as a Person: their page, their company at the time. */
const person = (name: string, url: string, company: string, absolute: Absolute): Item => ({
  '@type': 'Person',
  name,
  url: url ? absolute(url) : undefined,
  affiliation: company ? { '@type': 'Organization', name: company } : undefined,
});

/** One recording and the talks in it. */
interface Recording {
  video: string;
  talks: TalkView[];
  /** Whether a talk gave it as its own video (else it is the post's). */
  own: boolean;
}

/** The post's recordings: each distinct video once, the post's own first. */
function recordings(page: Item, talks: TalkView[]): Recording[] {
  const found = new Map<string, Recording>();
  const own = postVideo(page);
  if (own) found.set(own, { video: own, talks: [], own: false });
  for (const talk of talks) {
    if (!talk.video) continue;
    let recording = found.get(talk.video);
    if (!recording) found.set(talk.video, (recording = { video: talk.video, talks: [], own: true }));
    recording.talks.push(talk);
  }
  return [...found.values()];
}

/**
 * A recording as a VideoObject, or undefined without a thumbnail (YouTube's, else the post's
 * image): a search engine takes a video without one for a mistake on the page, not for a video.
 */
function videoObject(recording: Recording, id: string, page: Item, date: string | undefined, absolute: Absolute): Item | undefined {
  const hosted = hostedVideo(recording.video);
  const thumbnail = videoFacade(recording.video)?.thumbnailUrl || (text(page.image) ? absolute(page.image) : '');
  if (!thumbnail) return undefined;
  const single = recording.own && recording.talks.length === 1 ? recording.talks[0] : undefined;
  const link = absolute(recording.video);
  const clips = recording.talks
    .filter((talk) => talk.start !== null)
    .sort((a, b) => (a.start ?? 0) - (b.start ?? 0))
    .map((talk, index, all) => ({
      '@type': 'Clip',
      name: talk.title,
      startOffset: talk.start,
      endOffset: all[index + 1]?.start ?? undefined,
      url: absolute(talk.recording),
    }));
  return {
    '@type': 'VideoObject',
    '@id': id,
    name: single?.title ?? text(page.title),
    description: text(single?.description) ?? text(page.description) ?? text(page.excerpt) ?? single?.title ?? text(page.title),
    thumbnailUrl: thumbnail,
    uploadDate: date,
    embedUrl: hosted ? videoEmbedUrl(recording.video) : undefined,
    contentUrl: !hosted && MEDIA_FILE.test(recording.video) ? link : undefined,
    url: link,
    hasPart: clips.length > 0 && !single ? clips : undefined,
  };
}

/** The BlogPosting `posting` (as the theme makes it for any post) with the Event it is about and the recordings, as one @graph. */
export function meetupGraph(config: SiteConfig, posting: Item, page: Item, meetup: MeetupData, absolute: Absolute): object {
  const postUrl = absolute(page.url);
  const date = typeof posting.datePublished === 'string' ? posting.datePublished : undefined;
  const eventId = `${postUrl}#event`;
  const attendance = attendanceOf(meetup);
  const mode = attendance ? `${SCHEMA}${ATTENDANCE_MODES[attendance]}` : undefined;
  const location = eventLocation(page, meetup, attendance, postUrl, absolute);
  const videos = new Map<string, Item>();
  recordings(page, meetup.talks).forEach((recording, index) => {
    const item = videoObject(recording, `${postUrl}#video-${index + 1}`, page, date, absolute);
    if (item) videos.set(recording.video, item);
  });
  const recordedIn = (video: string) => (videos.has(video) ? { '@id': videos.get(video)!['@id'] } : undefined);
  // The evening's own times when it has an event: (a recap's date is the day, at midnight).
  const common = { startDate: meetup.event?.datetime ?? date, eventStatus: `${SCHEMA}EventScheduled`, eventAttendanceMode: mode, location };
  const performers = new Map<string, Item>();
  const subEvents = meetup.talks.map((talk) => {
    const people = talk.speakers.map((speaker) => person(speaker.name, speaker.url, talk.company, absolute));
    for (const one of people) if (!performers.has(String(one.name))) performers.set(String(one.name), one);
    return {
      '@type': 'Event',
      name: talk.title,
      description: text(talk.description),
      ...common,
      performer: people.length > 0 ? people : undefined,
      recordedIn: talk.video ? recordedIn(talk.video) : undefined,
    };
  });
  const sponsors = meetup.sponsors.map((sponsor) => ({
    '@type': 'Organization',
    name: sponsor.name,
    url: sponsor.url ? absolute(sponsor.url) : undefined,
    logo: sponsor.logo ? absolute(sponsor.logo) : undefined,
  }));
  const event = {
    '@type': 'Event',
    '@id': eventId,
    name: text(page.title),
    description: posting.description,
    url: postUrl,
    image: posting.image,
    inLanguage: posting.inLanguage,
    ...common,
    endDate: meetup.event?.endDatetime || undefined,
    // The RSVP page, where Google's Event result sends a reader to come (an Offer's url; no price is known).
    offers: meetup.event?.rsvp ? { '@type': 'Offer', url: absolute(meetup.event.rsvp) } : undefined,
    organizer: { '@type': 'Organization', name: config.title, url: absolute(config.basePath) },
    performer: performers.size > 0 ? [...performers.values()] : undefined,
    sponsor: sponsors.length > 0 ? sponsors : undefined,
    subEvent: subEvents.length > 0 ? subEvents : undefined,
    recordedIn: postVideo(page) ? recordedIn(postVideo(page)!) : undefined,
  };
  const { '@context': context, ...article } = posting;
  return { '@context': context, '@graph': [{ ...article, about: { '@id': eventId } }, event, ...videos.values()] };
}
