/**
 * Speakers and sponsors as planned from the listed posts' `talks:` and `sponsors:`: a speaker per
 * URL slug (the tag rule: util/slugs.ts), spelled as most talks spell them, with a page of their
 * talks; a sponsor per name (in any case) with the meetups it supported; the speakers index and the
 * sponsors page. Two names on one slug are an error naming both and a post each. A site that has
 * no talks gets no speaker pages, one without sponsors no sponsors page.
 */
import { OutputConflictError, OutputPathError, type SiteError } from './errors.js';
import type { CopiedFile, Page, PlannedPost, PlannedSponsor, Post, SiteConfig, Speaker, Talk } from './types.js';
import { nameBytes } from './plan-tags.js';
import { encodeSegment, expandPattern, linkBesidePage, MAX_NAME_BYTES, resolveUrlPath, shown, withBase } from '../util/urls.js';
import { foldTagName, slugifyTag } from '../util/slugs.js';

/** The speakers index and the sponsors page where a setting names none, and where they go when a page of the site is there. */
const DEFAULT_PATHS = { speakers: ['/speakers/', '/speakers/all/'], sponsors: ['/sponsors/', '/sponsors/all/'] } as const;

/** What planning gives the speakers and sponsors: themselves, their pages, and the two listings' URLs ("" for none). */
export interface TalksPlan {
  speakers: Speaker[];
  sponsors: PlannedSponsor[];
  speakersUrl: string;
  sponsorsUrl: string;
  pages: Page[];
}

/** A speaker's page URL path (before the base path) from speakerPermalink: the slug percent-encoded, as every link spells it. */
const speakerUrlPath = (config: SiteConfig, slug: string) => expandPattern(config.speakerPermalink, { slug: encodeSegment(slug) }).result;

/** A speaker's page by their slug, or why their name cannot give one. */
function speakerPage(config: SiteConfig, name: string, slug: string): { url: string; outPath: string } | string {
  if (slug === '') return `speaker ${shown(name)} has no letters or digits to make their page's URL from; write their name in letters`;
  const urlPath = speakerUrlPath(config, slug);
  const longest = Math.max(...urlPath.split('/').map(nameBytes));
  if (longest > MAX_NAME_BYTES) return `speaker ${shown(name)} is too long a name for a URL: their page's folder name would be ${longest} bytes, and file systems allow ${MAX_NAME_BYTES}`;
  const resolved = resolveUrlPath(urlPath);
  if (typeof resolved === 'string') return `speaker ${shown(name)} gives an unusable URL: it ${resolved}`;
  return { url: withBase(config.basePath, resolved.url), outPath: resolved.outPath };
}

/** The speakers of one talk, each once (names that differ only in case or normalization are one). */
const talkSpeakers = (talk: Talk) => [...new Map(talk.speakers.map((name) => [foldTagName(name), name])).values()];

/** Why each speaker of a post cannot have a page (for a post with other errors, which is in no listing but is checked). */
export function speakerProblems(config: SiteConfig, post: Post): SiteError[] {
  const problems: SiteError[] = [];
  for (const talk of post.talks ?? []) {
    for (const name of talkSpeakers(talk)) {
      const page = speakerPage(config, name, slugifyTag(name));
      if (typeof page === 'string') problems.push(new OutputPathError(post.source, page, { line: talk.line }));
    }
  }
  return problems;
}

/** The spelling most uses have (ties: the first seen, which is the newest post's). */
function mostUsed(counts: Map<string, number>): string {
  let best: [string, number] = ['', 0];
  for (const entry of counts) if (entry[1] > best[1]) best = entry;
  return best[0];
}

const count = (counts: Map<string, number>, name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);

/**
 * Every speaker of the listed posts' talks, one per slug; a slug two names share is an error. The
 * announcements' speakers are checked (and counted for their spelling) too, as their tags are: a
 * name that makes no page must be an error while the announcement is up, not first on the morning
 * after, when it is listed and the build stops with no file changed. Their talks are on speakers'
 * pages once they are recaps.
 */
function planSpeakers(config: SiteConfig, listed: PlannedPost[], announced: PlannedPost[], errors: SiteError[]): Speaker[] {
  const speakers = new Map<string, { speaker: Speaker; first: { name: string; post: Post }; spellings: Map<string, number> }>();
  // Newest first, as the listed posts are (the announcements come soonest first).
  for (const entry of [...announced].reverse().concat(listed)) {
    const { post } = entry;
    for (const talk of post.talks ?? []) {
      for (const name of talkSpeakers(talk)) {
        const slug = slugifyTag(name);
        const known = speakers.get(slug);
        if (known && foldTagName(known.first.name) !== foldTagName(name)) {
          const message = `speakers ${shown(known.first.name)} (${known.first.post.source}) and ${shown(name)} (${post.source}) both have the URL slug ${shown(slug)}; if they are one person, write their name the same way in both posts, else tell them apart (a middle initial)`;
          errors.push(new OutputConflictError(post.source, message, { line: talk.line }));
          continue;
        }
        if (known) {
          count(known.spellings, name);
          known.speaker.talks.push({ talk, post: entry });
          continue;
        }
        const page = speakerPage(config, name, slug);
        if (typeof page === 'string') {
          errors.push(new OutputPathError(post.source, page, { line: talk.line }));
          continue;
        }
        speakers.set(slug, { speaker: { name, slug, url: page.url, talks: [{ talk, post: entry }] }, first: { name, post }, spellings: new Map([[name, 1]]) });
      }
    }
  }
  const isListed = new Set(listed);
  for (const { speaker, spellings } of speakers.values()) {
    speaker.name = mostUsed(spellings);
    speaker.talks = speaker.talks.filter((given) => isListed.has(given.post));
  }
  return [...speakers.values()].map((s) => s.speaker).filter((speaker) => speaker.talks.length > 0);
}

/** Every sponsor of the listed posts, one per name in any case; its link and logo are the newest post's that gives them. */
function planSponsors(listed: PlannedPost[]): PlannedSponsor[] {
  const sponsors = new Map<string, { sponsor: PlannedSponsor; spellings: Map<string, number> }>();
  for (const entry of listed) {
    for (const { name, url, logo } of entry.post.sponsors ?? []) {
      const key = foldTagName(name);
      let known = sponsors.get(key);
      if (!known) sponsors.set(key, (known = { sponsor: { name, url: '', logo: '', posts: [] }, spellings: new Map() }));
      count(known.spellings, name);
      known.sponsor.posts.push(entry);
      known.sponsor.url ||= linkBesidePage(url, entry.url);
      known.sponsor.logo ||= linkBesidePage(logo, entry.url);
    }
  }
  for (const { sponsor, spellings } of sponsors.values()) sponsor.name = mostUsed(spellings);
  return [...sponsors.values()].map((s) => s.sponsor);
}

/**
 * Where a listing goes: its setting's path when set; else recap's (/speakers/), or, when a page or
 * file of the site is already there (a recap site's pages/sponsors.md), beside it (/sponsors/all/):
 * the site's own page wins, and nothing has to be renamed.
 */
function listingPath(config: SiteConfig, setting: string, defaults: readonly [string, string], taken: (outPath: string) => boolean): { url: string; outPath: string } {
  const place = (urlPath: string) => {
    const resolved = resolveUrlPath(urlPath);
    // The config checks refused a path that does not resolve.
    if (typeof resolved === 'string') throw new Error(`unchecked listing path ${urlPath}: ${resolved}`);
    return { url: withBase(config.basePath, resolved.url), outPath: resolved.outPath };
  };
  if (setting !== '') return place(setting);
  const first = place(defaults[0]);
  return taken(first.outPath) ? place(defaults[1]) : first;
}

/** Outputs of the site itself (its posts, pages, redirects and files), by path as a disk compares them: a listing that is not set gives way to them. */
export function siteClaims(config: SiteConfig, pages: Page[], copies: CopiedFile[]): (outPath: string) => boolean {
  const key = (outPath: string) => (config.caseSensitiveUrls ? outPath.normalize('NFC') : outPath.normalize('NFC').toLowerCase());
  const claimed = new Set([...pages, ...copies].map((output) => key(output.outPath)));
  return (outPath) => claimed.has(key(outPath));
}

/** The speakers and sponsors of the listed posts, and their pages; the announcements' (upcoming events') speakers checked. */
export function planTalks(config: SiteConfig, listed: PlannedPost[], announced: PlannedPost[], taken: (outPath: string) => boolean, errors: SiteError[]): TalksPlan {
  const collator = new Intl.Collator(config.language);
  const byName = <T extends { name: string }>(a: T, b: T) => collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const speakers = planSpeakers(config, listed, announced, errors).sort(byName);
  const sponsors = planSponsors(listed).sort(byName);
  const plan: TalksPlan = { speakers, sponsors, speakersUrl: '', sponsorsUrl: '', pages: [] };
  if (speakers.length > 0) {
    const index = listingPath(config, config.speakersPermalink, DEFAULT_PATHS.speakers, taken);
    plan.speakersUrl = index.url;
    plan.pages.push({ kind: 'speakers', ...index, origin: { file: '', what: config.speakersPermalink ? 'the speakers index (speakersPermalink)' : 'the speakers index' }, speakers });
    for (const speaker of speakers) {
      // A slug that resolves to no path was refused by planSpeakers (speakerPage) already.
      const resolved = resolveUrlPath(speakerUrlPath(config, speaker.slug));
      if (typeof resolved === 'string') continue;
      plan.pages.push({ kind: 'speaker', outPath: resolved.outPath, url: speaker.url, origin: { file: speaker.talks[0].post.post.source, what: `speaker ${shown(speaker.name)}` }, speaker });
    }
  }
  if (sponsors.length > 0) {
    const page = listingPath(config, config.sponsorsPermalink, DEFAULT_PATHS.sponsors, taken);
    plan.sponsorsUrl = page.url;
    plan.pages.push({ kind: 'sponsors', ...page, origin: { file: '', what: config.sponsorsPermalink ? 'the sponsors page (sponsorsPermalink)' : 'the sponsors page' }, sponsors });
  }
  return plan;
}
