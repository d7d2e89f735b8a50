/**
 * What templates see of talks, speakers and sponsors: each talk with its speakers' pages, its links
 * as site paths (a file in the post's own folder works on a speaker's page too) and its recording
 * at the moment the talk starts; each speaker with their talks and the meetups they gave them at;
 * each sponsor with the meetups it supported. Plain values, escaped by whatever prints them.
 */
import type { Attendance, PlannedPost, PlannedSponsor, Post, Speaker, Sponsor, Talk } from '../pipeline/types.js';
import { linkBesidePage } from '../util/urls.js';
import { momentText } from '../util/timestamps.js';
import { hostedVideo } from './hosted-video.js';
import type { EventView } from './event-view.js';

export interface TalkView {
  title: string;
  /** Each speaker's name as the post writes it, and their page's URL. */
  speakers: { name: string; url: string }[];
  company: string;
  description: string;
  slides: string;
  /** The recording: the talk's own `video`, else the post's ("" for none). */
  video: string;
  /** The recording at the moment the talk starts (see videoAtMoment); "" for none. */
  recording: string;
  /** Where the talk starts in the recording, in seconds, and as players show it ("4:00"); null and "" when not given. */
  start: number | null;
  startText: string;
}

export interface SponsorView {
  name: string;
  url: string;
  logo: string;
}

/** A recap post's talks, sponsors, attendance and event (a page's event), kept on its view under MEETUP for its JSON-LD (templates cannot reach a symbol's key). */
export interface MeetupData {
  talks: TalkView[];
  sponsors: SponsorView[];
  attendance?: Attendance;
  /** The post's or page's `event:` as its view shows it (event-view.ts). */
  event?: EventView;
}

export const MEETUP = Symbol('meetup');

/**
 * A speaker's page by their name as a talk writes it (any spelling of theirs), "" for a speaker who
 * has none: an announcement's speaker whose first talk is still to come links nowhere until it is.
 */
export type SpeakerPages = (name: string) => string;

/** The page of each speaker of a post's talks, in order: what its view's links were made with. */
export const speakerLinks = (post: Post, speakerPage: SpeakerPages): string[] => (post.talks ?? []).flatMap((talk) => talk.speakers.map(speakerPage));

/**
 * A recording's link at a moment: YouTube's `t` parameter (`?t=240`, `&t=240`; `start` for an
 * embedded player's /embed/ URL, which reads no `t`), Vimeo's `#t=240s`; any other link as written.
 * A `t` (or `start`) already there is replaced.
 */
export function videoAtMoment(link: string, seconds: number | undefined): string {
  const video = seconds === undefined ? undefined : hostedVideo(link);
  if (!video || seconds === undefined) return link;
  const hashAt = link.indexOf('#');
  const beforeHash = hashAt === -1 ? link : link.slice(0, hashAt);
  if (video.provider === 'vimeo') return `${beforeHash}#t=${seconds}s`;
  const hash = hashAt === -1 ? '' : link.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const address = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const name = /\/embed\//.test(address) ? 'start' : 't';
  const params = queryAt === -1 ? [] : beforeHash.slice(queryAt + 1).split('&').filter((param) => param !== '' && !param.startsWith(`${name}=`));
  return `${address}?${[...params, `${name}=${seconds}`].join('&')}${hash}`;
}

export function talkView(planned: PlannedPost, talk: Talk, speakerPage: SpeakerPages): TalkView {
  const beside = (link: string) => linkBesidePage(link, planned.url);
  const postVideo = typeof planned.post.data.video === 'string' ? planned.post.data.video.trim() : '';
  const video = beside(talk.video || postVideo);
  return {
    title: talk.title,
    speakers: talk.speakers.map((name) => ({ name, url: speakerPage(name) })),
    company: talk.company,
    description: talk.description,
    slides: beside(talk.slides),
    video,
    recording: videoAtMoment(video, talk.start),
    start: talk.start ?? null,
    startText: talk.start === undefined ? '' : momentText(talk.start),
  };
}

export const sponsorView = (planned: PlannedPost, sponsor: Sponsor): SponsorView => ({
  name: sponsor.name,
  url: linkBesidePage(sponsor.url, planned.url),
  logo: linkBesidePage(sponsor.logo, planned.url),
});

/** The view's talks, sponsors and MEETUP data, for a post that has any of them or a post or page with an event. */
export function meetupViews(planned: PlannedPost, event: EventView | undefined, speakerPage: SpeakerPages): { talks: TalkView[]; sponsors: SponsorView[]; data: MeetupData } | undefined {
  const { post } = planned;
  if (!post.talks && !post.sponsors && !event) return undefined;
  const talks = (post.talks ?? []).map((talk) => talkView(planned, talk, speakerPage));
  const sponsors = (post.sponsors ?? []).map((sponsor) => sponsorView(planned, sponsor));
  return { talks, sponsors, data: { talks, sponsors, attendance: post.attendance, event } };
}

/**
 * What a post page's layout gets as `talks` and `sponsors`: a recap post's as read, never a Jekyll
 * site's keys of those names (its own, unchecked: a `slides: javascript:…` there is no link of recap's).
 */
export function meetupTemplateData(view: Record<string, unknown> | undefined): { talks: TalkView[]; sponsors: SponsorView[] } {
  const meetup = (view as { [MEETUP]?: MeetupData } | undefined)?.[MEETUP];
  return { talks: meetup?.talks ?? [], sponsors: meetup?.sponsors ?? [] };
}

/** A speaker on their page and in the index: their talks, newest first, each with its meetup (the post's view). */
export function speakerView(speaker: Speaker, speakerPage: SpeakerPages, postView: (p: PlannedPost) => Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    name: speaker.name,
    slug: speaker.slug,
    url: speaker.url,
    count: speaker.talks.length,
    talks: speaker.talks.map(({ talk, post }) => ({ ...talkView(post, talk, speakerPage), meetup: postView(post) })),
  };
}

/** A speaker in the index: no talks, only how many. */
export const speakerSummary = (speaker: Speaker) => ({ name: speaker.name, slug: speaker.slug, url: speaker.url, count: speaker.talks.length });

export function plannedSponsorView(sponsor: PlannedSponsor, postView: (p: PlannedPost) => Record<string, unknown> | undefined): Record<string, unknown> {
  return { name: sponsor.name, url: sponsor.url, logo: sponsor.logo, count: sponsor.posts.length, meetups: sponsor.posts.map(postView) };
}
