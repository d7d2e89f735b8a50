/**
 * Talks, speakers and sponsors (#17): the `talks:` and `sponsors:` front matter, the post page's
 * cards and sponsor row, the speaker and sponsor pages, their URLs and collisions, a talk's start
 * in its recording, the JSON-LD (checked against Google's required properties), watch mode, and a
 * Jekyll site's keys of those names left to its Liquid. The whole fixture site's exact output is in
 * test/fixtures/talks/, its wrong values in test/fixtures-invalid/talks-*.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import sharp from 'sharp';
import { build, type BuildState, type Changes } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { checkLinks } from '../src/check/links.js';
import { listItemLines } from '../src/pipeline/front-matter.js';
import { parseSource } from '../src/pipeline/parse.js';
import { nunjucksBodies, recapDialect } from '../src/pipeline/recap-dialect.js';
import { createTemplateEnvironment } from '../src/theme/environment.js';
import { videoAtMoment } from '../src/theme/talk-views.js';
import { momentText, readMoment } from '../src/util/timestamps.js';
import { buildInto, FIXTURES, jekyllSite, listTree, tempDir, writeSite } from './helpers.js';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['document'];

const NOW = new Date('2024-07-01T00:00:00Z');

/** Every element under a node that `match` accepts, in document order. */
function elements(node: Node, match: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const walk = (n: Node) => {
    if ('tagName' in n && match(n)) found.push(n);
    if ('childNodes' in n) n.childNodes.forEach((child) => walk(child as Node));
  };
  walk(node);
  return found;
}
const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
const hasClass = (element: Element, name: string) => (attr(element, 'class') ?? '').split(' ').includes(name);
const textOf = (node: Node): string => ('value' in node && node.nodeName === '#text' ? node.value : 'childNodes' in node ? node.childNodes.map((c) => textOf(c as Node)).join('') : '');
const byClass = (node: Node, name: string) => elements(node, (e) => hasClass(e, name));
const links = (node: Node) => elements(node, (e) => e.tagName === 'a').map((a) => ({ text: textOf(a).trim(), href: attr(a, 'href') }));

const page = (out: string, file: string) => parse(fs.readFileSync(path.join(out, file), 'utf8'));

/** The page's JSON-LD, parsed: its one <script type="application/ld+json">, found by the HTML parser. */
function jsonLd(out: string, file: string): Record<string, unknown> {
  const scripts = elements(page(out, file), (e) => e.tagName === 'script' && attr(e, 'type') === 'application/ld+json');
  assert.equal(scripts.length, 1, `${file}: one JSON-LD script`);
  return JSON.parse(textOf(scripts[0])) as Record<string, unknown>;
}

type Item = Record<string, unknown>;
const items = (value: unknown): Item[] => (value === undefined ? [] : Array.isArray(value) ? (value as Item[]) : [value as Item]);
const isIsoDate = (value: unknown) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) && !Number.isNaN(Date.parse(value));
const isAbsolute = (value: unknown) => typeof value === 'string' && /^https?:\/\/[^/]/.test(value);

/**
 * What Google requires of the items it shows as rich results, as its documentation lists the
 * required properties (checked 2025):
 * - Event (https://developers.google.com/search/docs/appearance/structured-data/event#structured-data-type-definitions):
 *   name, startDate (ISO 8601), location: a Place with an address, or for an online event a
 *   VirtualLocation with a url (both, for a mixed one).
 * - Video (https://developers.google.com/search/docs/appearance/structured-data/video#video-object):
 *   name, thumbnailUrl, uploadDate (ISO 8601); a Clip (key moments, same page): name, startOffset, url.
 * Returns every property missing or malformed, by its path in the item.
 */
function googleProblems(item: Item, at: string): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => ok || problems.push(`${at}: ${what}`);
  if (item['@type'] === 'Event') {
    need(typeof item.name === 'string' && item.name !== '', 'Event needs a name');
    need(isIsoDate(item.startDate), `Event needs an ISO 8601 startDate, not ${JSON.stringify(item.startDate)}`);
    const places = items(item.location);
    need(places.length > 0, 'Event needs a location');
    for (const place of places) {
      if (place['@type'] === 'Place') need(typeof place.address === 'string' && place.address !== '', 'a Place needs an address');
      else if (place['@type'] === 'VirtualLocation') need(isAbsolute(place.url), 'a VirtualLocation needs an absolute url');
      else problems.push(`${at}: a location is a Place or a VirtualLocation, not ${String(place['@type'])}`);
    }
    if (item.eventAttendanceMode === 'https://schema.org/OnlineEventAttendanceMode') need(places.every((p) => p['@type'] === 'VirtualLocation'), 'an online Event is at a VirtualLocation');
    if (item.eventAttendanceMode === 'https://schema.org/MixedEventAttendanceMode') need(new Set(places.map((p) => p['@type'])).size === 2, 'a mixed Event is at a Place and a VirtualLocation');
    items(item.subEvent).forEach((sub, i) => problems.push(...googleProblems(sub, `${at}.subEvent[${i}]`)));
  }
  if (item['@type'] === 'VideoObject') {
    need(typeof item.name === 'string' && item.name !== '', 'VideoObject needs a name');
    need(isAbsolute(item.thumbnailUrl), 'VideoObject needs an absolute thumbnailUrl');
    need(isIsoDate(item.uploadDate), 'VideoObject needs an ISO 8601 uploadDate');
    items(item.hasPart).forEach((clip, i) => {
      need(typeof clip.name === 'string' && clip.name !== '', `hasPart[${i}]: a Clip needs a name`);
      need(typeof clip.startOffset === 'number', `hasPart[${i}]: a Clip needs a startOffset in seconds`);
      need(isAbsolute(clip.url), `hasPart[${i}]: a Clip needs an absolute url`);
    });
  }
  return problems;
}

/** The top-level items of a page's JSON-LD: its @graph's, or itself. */
const graphOf = (data: Item): Item[] => (Array.isArray(data['@graph']) ? (data['@graph'] as Item[]) : [data]);

async function builtSite(files: Record<string, string>, options: { drafts?: boolean; now?: Date } = {}): Promise<string> {
  const root = writeSite(files);
  const outDir = path.join(tempDir(), 'public');
  const outcome = await build(loadConfig(root, { now: NOW, outDir, cache: false, ...options }));
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
  return outDir;
}

const post = (front: string, body = 'An evening.') => `---\n${/^title:/m.test(front) ? '' : 'title: An evening\n'}${front}---\n${body}\n`;

describe('a moment in a recording', () => {
  it('is read as 4:00, 1:02:03, seconds (a number or its text) or 4m30s; anything else is none of them', () => {
    const read: [unknown, number][] = [['4:00', 240], ['04:00', 240], ['0:59', 59], ['1:02:03', 3723], ['90', 90], [90, 90], [0, 0], ['4m30s', 270], ['4M30S', 270], ['1h2m3s', 3723], ['1h', 3600], ['30s', 30], ['4m', 240], [' 4:00 ', 240], ['100:00', 6000]];
    for (const [value, seconds] of read) assert.equal(readMoment(value), seconds, JSON.stringify(value));
    for (const wrong of ['4.00', '4:60', '1:2', '1:02:60', '', '-5', -5, 1.5, 'abc', '4m30', 'm', '4:00:00:00', true, null, [240], { t: 1 }, 999_999, '2024-03-12']) {
      assert.equal(readMoment(wrong), undefined, JSON.stringify(wrong));
    }
  });

  it('is shown as players show it', () => {
    assert.deepEqual([0, 59, 240, 3599, 3600, 3723, 36000].map(momentText), ['0:00', '0:59', '4:00', '59:59', '1:00:00', '1:02:03', '10:00:00']);
  });

  it("is a recording's link at that moment: YouTube's t (start for an embed), Vimeo's #t; other links as written", () => {
    assert.equal(videoAtMoment('https://www.youtube.com/watch?v=abc', 240), 'https://www.youtube.com/watch?v=abc&t=240');
    assert.equal(videoAtMoment('https://youtu.be/abc', 240), 'https://youtu.be/abc?t=240');
    assert.equal(videoAtMoment('https://youtu.be/abc?si=x#top', 240), 'https://youtu.be/abc?si=x&t=240#top');
    assert.equal(videoAtMoment('https://www.youtube.com/watch?v=abc&t=10&list=L', 240), 'https://www.youtube.com/watch?v=abc&list=L&t=240', 'a t already there is replaced');
    assert.equal(videoAtMoment('https://www.youtube.com/embed/abc', 90), 'https://www.youtube.com/embed/abc?start=90');
    assert.equal(videoAtMoment('https://www.youtube.com/embed/abc?start=5&rel=0', 90), 'https://www.youtube.com/embed/abc?rel=0&start=90');
    assert.equal(videoAtMoment('https://m.youtube.com/shorts/abc', 3), 'https://m.youtube.com/shorts/abc?t=3');
    assert.equal(videoAtMoment('https://vimeo.com/76979871', 3723), 'https://vimeo.com/76979871#t=3723s');
    assert.equal(videoAtMoment('https://vimeo.com/76979871#t=10s', 60), 'https://vimeo.com/76979871#t=60s');
    assert.equal(videoAtMoment('https://example.org/recording.mp4', 240), 'https://example.org/recording.mp4');
    assert.equal(videoAtMoment('/videos/night.mp4', 240), '/videos/night.mp4');
    assert.equal(videoAtMoment('https://www.youtube.com/watch?v=abc', undefined), 'https://www.youtube.com/watch?v=abc');
    assert.equal(videoAtMoment('https://evil.example/?u=https://youtube.com/watch?v=abc', 240), 'https://evil.example/?u=https://youtube.com/watch?v=abc', 'another host is no YouTube link');
  });
});

describe("the lines of a list's items", () => {
  it('are found for a block list, the dash indented or not, with each item key at its line; a flow list has none', () => {
    const text = ['title: x', 'talks:', '  - title: A', '    # a comment', '    speaker:', '      - Ana', '      - Bo', '    slides: /a.pdf', '', '  -', '    title: B', '  - Just text', 'sponsors:', '- Acme', '- name: Globex', '  url: https://globex.example', 'tags: [a]'].join('\n');
    // Front matter line n is the file's line n + 1 (the opening --- is line 1).
    assert.deepEqual(listItemLines(text, 3), [
      { line: 4, keys: { title: 4, speaker: 6, slides: 9 } },
      { line: 11, keys: { title: 12 } },
      { line: 13, keys: {} },
    ]);
    assert.deepEqual(listItemLines(text, 14), [
      { line: 15, keys: {} },
      { line: 16, keys: { name: 16, url: 17 } },
    ]);
    assert.deepEqual(listItemLines('talks: [{title: A}]\nsponsors: [B]', 2), []);
    assert.deepEqual(listItemLines('talks:', undefined), []);
  });
});

describe('talks: and sponsors: in front matter', () => {
  const context = () => {
    const config = loadConfig(tempDir(), { now: NOW });
    return { config, dialect: recapDialect(config), bodyEngine: nunjucksBodies(config, createTemplateEnvironment(config)) };
  };
  const read = (front: string) => parseSource({ path: 'posts/2024-03-12-x.md', text: post(front) }, context());

  it('reads a speaker or a list of them, company, links, start and description; an empty list is none', () => {
    const { post: parsed, errors } = read(
      'video: https://youtu.be/abc\ntalks:\n  - title: " One "\n    speaker: "  Ana   Lima "\n    company: Acme\n    slides: slides.pdf\n    start: "4:00"\n  - title: 1984\n    speaker: [Ana Lima, "", Bo Chen, 42]\n    description: A panel.\n    start:\n',
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      parsed.talks?.map(({ line: _line, ...talk }) => talk),
      [
        { title: 'One', speakers: ['Ana Lima'], company: 'Acme', slides: 'slides.pdf', video: '', description: '', start: 240 },
        { title: '1984', speakers: ['Ana Lima', 'Bo Chen', '42'], company: '', slides: '', video: '', description: 'A panel.' },
      ],
    );
    assert.deepEqual(parsed.talks?.map((t) => t.line), [5, 10]);
    assert.equal(read('talks: []\nsponsors: []\n').post.talks, undefined);
    assert.equal(read('talks:\n').post.talks, undefined);
  });

  it('reads a sponsor as a name or a mapping, each name once in any case, and attendance as written or from the location', () => {
    const { post: parsed, errors } = read('location: online (Zoom)\nsponsors:\n  - Acme\n  - name: ACME\n    url: https://acme.example\n  - {name: Globex, url: https://globex.example, logo: /images/globex.svg}\n');
    assert.deepEqual(errors, []);
    assert.deepEqual(parsed.sponsors?.map(({ line: _line, ...s }) => s), [
      { name: 'Acme', url: '', logo: '' },
      { name: 'Globex', url: 'https://globex.example', logo: '/images/globex.svg' },
    ]);
    assert.equal(parsed.attendance, 'online');
    assert.deepEqual(read('sponsors: Dockside Hub\n').post.sponsors?.map((s) => s.name), ['Dockside Hub']);
    assert.equal(read('location: Dockside Hub\n').post.attendance, 'offline');
    assert.equal(read('location: Online\nattendance: Mixed\n').post.attendance, 'mixed');
    assert.equal(read('title: No place\n').post.attendance, undefined);
  });

  it('names every wrong talk and sponsor at its line, the key a typo meant, and the forms of a start', () => {
    const { errors } = read('talks:\n  - title: A\n    slide: /a.pdf\n  - title: B\n    start: soon\n    video: https://youtu.be/abc\nsponsors:\n  - name: C\n    logo: "javascript:alert(1)"\n');
    assert.deepEqual(
      errors.map((e) => e.format()),
      [
        'posts/2024-03-12-x.md:5: talks[1] has the key "slide", which a talk does not have; did you mean "slides"? (a talk has title, speaker, company, slides, video, start, description)',
        'posts/2024-03-12-x.md:7: "talks[2].start" "soon" is not a moment in the recording; write it as 4:00, 1:02:03, 90 (seconds) or 4m30s',
        'posts/2024-03-12-x.md:11: "sponsors[1].logo" must be an http(s) URL or a path; "javascript:" links are refused',
      ],
    );
  });
});

describe('the talks fixture site', () => {
  const out = buildInto(path.join(FIXTURES, 'talks'));

  it("shows a post's talks as cards: speakers linked to their pages with the company, description, slides and the recording at the talk's moment", async () => {
    const html = page(await out, '2024/04/09/observability-online/index.html');
    const cards = byClass(html, 'talk-card');
    assert.deepEqual(cards.map((card) => textOf(byClass(card, 'talk-title')[0])), ['Three Pillars, One Question', 'Алерти, які не будять уночі', 'Panel: <Do We Need Sidecars?>']);
    assert.deepEqual(links(cards[0]), [
      { text: 'Priya Natarajan', href: '/speakers/priya-natarajan/' },
      { text: 'Recording (from 1:02:03)', href: 'https://vimeo.com/76979871#t=3723s' },
    ]);
    assert.equal(textOf(byClass(cards[0], 'talk-speakers')[0]), 'Priya Natarajan · Northquay Energy');
    assert.deepEqual(links(cards[1]).map((l) => l.href), ['/speakers/%D0%BE%D0%BB%D0%B5%D0%BD%D0%B0-%D0%BA%D0%BE%D0%B2%D0%B0%D0%BB%D0%B5%D0%BD%D0%BA%D0%BE/', 'https://youtu.be/pL4vK9sY2cA?si=share&t=270']);
    assert.equal(textOf(byClass(cards[2], 'talk-speakers')[0]), 'Amara Okafor and Declan Murphy', "two speakers joined as the site's language joins names");
    const march = page(await out, '2024/03/12/containers-night/index.html');
    assert.deepEqual(links(byClass(march, 'talk-card')[1]).slice(1), [
      { text: 'Slides', href: 'https://slides.example.com/k8s-shoestring' },
      { text: 'Recording (from 24:10)', href: 'https://www.youtube.com/watch?v=Hq7dR2mZp4K&t=1450' },
    ], "a talk without its own video starts in the post's");
  });

  it('thanks the sponsors in a row: a logo with the name as its alt text, or the name, linked as a sponsored link when it has a url', async () => {
    const html = page(await out, '2024/03/12/containers-night/index.html');
    const row = byClass(html, 'sponsor-row')[0];
    const logo = elements(row, (e) => e.tagName === 'img')[0];
    assert.equal(attr(logo, 'alt'), 'Saltmarsh Logistics');
    assert.equal(attr(logo, 'src'), '/images/saltmarsh.svg');
    assert.equal(attr(elements(row, (e) => e.tagName === 'a')[0], 'rel'), 'sponsored');
    assert.deepEqual(elements(row, (e) => e.tagName === 'li').map((li) => textOf(li)), ['', 'Dockside Hub']);
    assert.deepEqual(links(byClass(html, 'sponsors-all')[0]), [{ text: 'all our sponsors', href: '/sponsors/all/' }]);
  });

  it('gives a speaker with talks at two meetups one page listing each talk with its meetup, date, slides and recording, newest first', async () => {
    const html = page(await out, 'speakers/priya-natarajan/index.html');
    assert.equal(textOf(elements(html, (e) => e.tagName === 'h1')[0]), 'Priya Natarajan', 'spelled as most talks spell the name');
    const cards = byClass(html, 'talk-card');
    assert.deepEqual(cards.map((card) => textOf(byClass(card, 'talk-title')[0])), ['Five Minutes of eBPF', 'Three Pillars, One Question', 'Containers Without the Hype']);
    const meetups = cards.map((card) => links(byClass(card, 'meta')[0])[0]);
    assert.deepEqual(meetups.map((m) => m.href), ['/2024/05/14/lightning-talks/', '/2024/04/09/observability-online/', '/2024/03/12/containers-night/']);
    assert.deepEqual(cards.map((card) => attr(elements(card, (e) => e.tagName === 'time')[0], 'datetime')), ['2024-05-14T00:00:00.000Z', '2024-04-09T00:00:00.000Z', '2024-03-12T00:00:00.000Z']);
    assert.deepEqual(links(byClass(cards[2], 'talk-links')[0]).map((l) => l.href), ['/2024/03/12/containers-night/slides.pdf', 'https://www.youtube.com/watch?v=Hq7dR2mZp4K'], "slides in the post's own folder are linked by their site path");
    assert.ok(fs.existsSync(path.join(await out, '2024/03/12/containers-night/slides.pdf')));
  });

  it("lists every speaker with their number of talks, a Cyrillic name's page in its own script", async () => {
    const html = page(await out, 'speakers/index.html');
    const entries = elements(byClass(html, 'speaker-index')[0], (e) => e.tagName === 'li').map((li) => textOf(li).replace(/\s+/g, ' ').trim());
    assert.deepEqual(entries, ['Amara Okafor 1 talk', 'Declan Murphy 1 talk', 'Priya Natarajan 3 talks', 'Tomasz Kowalczyk 1 talk', 'Олена Коваленко 2 talks']);
    assert.ok(fs.existsSync(path.join(await out, 'speakers/олена-коваленко/index.html')));
    assert.ok(listTree(await out).includes('speakers/index.html'));
  });

  it("keeps the site's own pages/sponsors.md at /sponsors/, and lists every sponsor with the meetups it supported at /sponsors/all/", async () => {
    const own = page(await out, 'sponsors/index.html');
    assert.match(textOf(own), /Would your company like to host an evening\?/);
    const html = page(await out, 'sponsors/all/index.html');
    const entries = elements(byClass(html, 'sponsor-index')[0], (e) => e.tagName === 'li' && e.parentNode !== null && hasClass(e.parentNode as Element, 'sponsor-index'));
    assert.deepEqual(entries.map((li) => textOf(elements(li, (e) => e.tagName === 'h2')[0])), ['Dockside Hub', 'Northquay Energy', 'saltmarsh logistics']);
    assert.deepEqual(links(byClass(entries[2], 'sponsor-meetups')[0]).map((l) => l.href), ['/2024/04/09/observability-online/', '/2024/03/12/containers-night/'], 'one sponsor, whatever the case of its name');
    assert.equal(attr(elements(entries[2], (e) => e.tagName === 'img')[0], 'src'), '/images/saltmarsh.svg', 'the logo a post gave, though the newest named no logo');
    const sitemap = fs.readFileSync(path.join(await out, 'sitemap.xml'), 'utf8');
    for (const url of ['/speakers/', '/speakers/priya-natarajan/', '/sponsors/all/']) assert.ok(sitemap.includes(`<loc>https://meetup.example.org${url}</loc>`), url);
  });

  it('describes each post with talks as an Event, each of its talks and recordings as Google asks', async () => {
    for (const file of ['2024/03/12/containers-night/index.html', '2024/04/09/observability-online/index.html', '2024/05/14/lightning-talks/index.html']) {
      const graph = graphOf(jsonLd(await out, file));
      assert.deepEqual(graph.slice(0, 2).map((item) => item['@type']), ['BlogPosting', 'Event'], file);
      const [posting, event] = graph;
      assert.deepEqual(posting.about, { '@id': event['@id'] });
      assert.deepEqual(graph.flatMap((item, i) => googleProblems(item, `${file} @graph[${i}]`)), []);
      assert.deepEqual(event.organizer, { '@type': 'Organization', name: 'Harbour City Cloud Native', url: 'https://meetup.example.org/' });
      for (const sub of items(event.subEvent)) {
        for (const performer of items(sub.performer)) assert.match(String(performer.url), /^https:\/\/meetup\.example\.org\/speakers\//);
        const recorded = sub.recordedIn as Item | undefined;
        if (recorded) assert.ok(graph.some((item) => item['@type'] === 'VideoObject' && item['@id'] === recorded['@id']), `${file}: ${String(sub.name)} is recorded in a VideoObject of the page`);
      }
    }
    const online = graphOf(jsonLd(await out, '2024/04/09/observability-online/index.html'))[1];
    assert.equal(online.eventAttendanceMode, 'https://schema.org/OnlineEventAttendanceMode');
    assert.deepEqual(online.location, { '@type': 'VirtualLocation', url: 'https://meetup.example.org/2024/04/09/observability-online/' });
    assert.deepEqual(items(online.subEvent)[1].performer, [{ '@type': 'Person', name: 'Олена Коваленко', url: 'https://meetup.example.org/speakers/%D0%BE%D0%BB%D0%B5%D0%BD%D0%B0-%D0%BA%D0%BE%D0%B2%D0%B0%D0%BB%D0%B5%D0%BD%D0%BA%D0%BE/', affiliation: { '@type': 'Organization', name: 'Київ Cloud' } }]);
    assert.deepEqual(items(online.sponsor), [
      { '@type': 'Organization', name: 'Northquay Energy', url: 'https://northquay.example.org', logo: 'https://cdn.example.org/northquay.png' },
      { '@type': 'Organization', name: 'saltmarsh logistics' },
    ]);
    const mixed = graphOf(jsonLd(await out, '2024/05/14/lightning-talks/index.html'));
    assert.equal(mixed[1].eventAttendanceMode, 'https://schema.org/MixedEventAttendanceMode');
    assert.deepEqual(items(mixed[1].location).map((l) => l['@type']), ['Place', 'VirtualLocation']);
    const video = mixed.find((item) => item['@type'] === 'VideoObject')!;
    assert.equal(video.name, 'Five Minutes of eBPF', "a talk's own recording is named for the talk");
    assert.equal(video.thumbnailUrl, 'https://i.ytimg.com/vi/Xb3nT8wQe1L/hqdefault.jpg');
    assert.equal(video.embedUrl, 'https://www.youtube-nocookie.com/embed/Xb3nT8wQe1L');
    const march = graphOf(jsonLd(await out, '2024/03/12/containers-night/index.html'));
    assert.deepEqual(items(march[2].hasPart), [{ '@type': 'Clip', name: 'Kubernetes on a Shoestring', startOffset: 1450, url: 'https://www.youtube.com/watch?v=Hq7dR2mZp4K&t=1450' }], "a talk at a moment of the evening's recording is a Clip of it");
  });

  it("describes a post or page with an event: as an Event at the meetup's own times and places, with its RSVP", async () => {
    const events = await buildInto(path.join(FIXTURES, 'events'));
    for (const file of ['2026/06/09/june-meetup/index.html', '2026/05/18/summer-party/index.html', '2025/11/11/november-meetup/index.html', 'hackathon/index.html']) {
      const graph = graphOf(jsonLd(events, file));
      assert.deepEqual(graph.map((item) => item['@type']), [file.startsWith('hackathon') ? 'WebPage' : 'BlogPosting', 'Event'], file);
      assert.deepEqual(graph[0].about, { '@id': graph[1]['@id'] }, file);
      assert.deepEqual(graph.flatMap((item, i) => googleProblems(item, `${file} @graph[${i}]`)), []);
    }
    const june = graphOf(jsonLd(events, '2026/06/09/june-meetup/index.html'))[1];
    assert.equal(june.startDate, '2026-06-09T18:30+02:00', "the evening's clock time on the site's timezone, not the post's midnight");
    assert.equal(june.endDate, '2026-06-09T21:30+02:00');
    assert.equal(june.eventAttendanceMode, 'https://schema.org/MixedEventAttendanceMode', 'a venue and an online link');
    assert.deepEqual(june.location, [
      { '@type': 'Place', name: 'The Ropeworks', address: '12 Rope Walk, Harbour City' },
      { '@type': 'VirtualLocation', url: 'https://meet.example/harbour-june' },
    ]);
    assert.deepEqual(june.offers, { '@type': 'Offer', url: 'https://lu.ma/harbour-june' });
    const party = graphOf(jsonLd(events, '2026/05/18/summer-party/index.html'))[1];
    assert.equal(party.eventAttendanceMode, 'https://schema.org/OfflineEventAttendanceMode');
    assert.deepEqual(party.location, { '@type': 'Place', name: 'Strandbar Möwe; upstairs', address: 'Kai 3, Harbour City' });
    assert.equal(party.endDate, undefined, 'no end is made up');
    const november = graphOf(jsonLd(events, '2025/11/11/november-meetup/index.html'))[1];
    assert.equal(november.startDate, '2025-11-11T18:30+01:00', 'winter time');
  });

  it('links nothing that is not there (recap check), under the base path too', async () => {
    assert.deepEqual(checkLinks(await out, '/', 'https://meetup.example.org'), []);
    const blog = await buildInto(path.join(FIXTURES, 'talks'), { basePath: '/blog/' });
    assert.deepEqual(checkLinks(blog, '/blog/', 'https://meetup.example.org'), []);
  });

  it('leaves a post without talks as it was: a BlogPosting about its Event at its location, no cards, no sponsors', async () => {
    const html = page(await out, '2024/06/11/summer-social/index.html');
    assert.deepEqual([...byClass(html, 'talks'), ...byClass(html, 'sponsors')], []);
    const data = jsonLd(await out, '2024/06/11/summer-social/index.html');
    assert.equal(data['@type'], 'BlogPosting');
    assert.deepEqual(data.about, { '@type': 'Event', name: 'June 2024: Summer Social', startDate: '2024-06-11T00:00:00.000Z', location: { '@type': 'Place', name: 'The Harbour Terrace', address: 'The Harbour Terrace' } });
  });
});

describe('speaker and sponsor pages', () => {
  it('are not made for a site without talks or sponsors, and the header has no Speakers link then', async () => {
    const out = await builtSite({ 'posts/2024-03-12-a.md': post('location: Dockside Hub\n'), 'posts/2024-04-09-b.md': post('sponsors: []\ntalks: []\n') });
    assert.ok(!listTree(out).some((file) => file.startsWith('speakers/') || file.startsWith('sponsors/')));
    assert.ok(!links(page(out, 'index.html')).some((l) => l.text === 'Speakers'));
    const sponsorsOnly = await builtSite({ 'posts/2024-03-12-a.md': post('sponsors: [Acme]\n') });
    assert.ok(listTree(sponsorsOnly).includes('sponsors/index.html'));
    assert.ok(!listTree(sponsorsOnly).some((file) => file.startsWith('speakers/')), 'no talks: no speakers page');
  });

  it("sort speakers and sponsors by name in the site's language", async () => {
    const files = (language: string) => ({
      'recap.config.yml': `language: ${language}\n`,
      'posts/2024-03-12-a.md': post('talks:\n  - title: T\n    speaker: [Zoe Berg, Åsa Lind, Anna Holm]\nsponsors: [Zeta, Ångström, Alfa]\n'),
    });
    const order = (out: string, list: string) => elements(byClass(page(out, list === 'speakers' ? 'speakers/index.html' : 'sponsors/index.html'), `${list === 'speakers' ? 'speaker' : 'sponsor'}-index`)[0], (e) => e.tagName === (list === 'speakers' ? 'a' : 'h2')).map((e) => textOf(e));
    const english = await builtSite(files('en'));
    assert.deepEqual(order(english, 'speakers'), ['Anna Holm', 'Åsa Lind', 'Zoe Berg']);
    assert.deepEqual(order(english, 'sponsors'), ['Alfa', 'Ångström', 'Zeta']);
    const swedish = await builtSite(files('sv'));
    assert.deepEqual(order(swedish, 'speakers'), ['Anna Holm', 'Zoe Berg', 'Åsa Lind'], 'Å comes after Z in Swedish');
    assert.deepEqual(order(swedish, 'sponsors'), ['Alfa', 'Zeta', 'Ångström']);
  });

  it('are where speakersPermalink, speakerPermalink and sponsorsPermalink say, under the base path', async () => {
    const out = await builtSite({
      'recap.config.yml': 'basePath: /blog/\nspeakersPermalink: /people/\nspeakerPermalink: /people/:slug.html\nsponsorsPermalink: /thanks/\n',
      'pages/sponsors.md': '---\ntitle: Sponsor us\n---\nWrite to us.\n',
      'posts/2024-03-12-a.md': post('talks:\n  - title: T\n    speaker: Ana Lima\nsponsors: [Acme]\n'),
    });
    assert.deepEqual(listTree(out).filter((f) => /^(people|thanks|sponsors)\//.test(f)), ['people/ana-lima.html', 'people/index.html', 'sponsors/index.html', 'thanks/index.html']);
    const html = page(out, '2024/03/12/a/index.html');
    assert.ok(links(html).some((l) => l.text === 'Ana Lima' && l.href === '/blog/people/ana-lima.html'));
    assert.ok(links(html).some((l) => l.text === 'Speakers' && l.href === '/blog/people/'));
    assert.ok(links(html).some((l) => l.text === 'all our sponsors' && l.href === '/blog/thanks/'));
  });

  it('are /speakers/ and /sponsors/ where the site has no page there; a page at /speakers/ moves the index to /speakers/all/', async () => {
    const out = await builtSite({
      'pages/speakers.md': '---\ntitle: Speak at our meetup\n---\nWe welcome first-time speakers.\n',
      'posts/2024-03-12-a.md': post('talks:\n  - title: T\n    speaker: Ana Lima\nsponsors: [Acme]\n'),
    });
    assert.ok(listTree(out).includes('sponsors/index.html'));
    assert.match(textOf(page(out, 'speakers/index.html')), /first-time speakers/);
    assert.ok(listTree(out).includes('speakers/all/index.html') && listTree(out).includes('speakers/ana-lima/index.html'));
  });

  it('escape every value from front matter, in the pages and in the JSON-LD', async () => {
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const out = await builtSite({
      'recap.config.yml': 'url: https://meetup.example.org\n',
      'posts/2024-03-12-a.md': post(
        `location: Dockside Hub\ntalks:\n  - title: ${JSON.stringify(hostile)}\n    speaker: ${JSON.stringify(`Ana ${hostile}`)}\n    company: ${JSON.stringify(hostile)}\n    description: ${JSON.stringify(hostile)}\n    slides: "https://x.example/?a=\\"onmouseover=alert(3)"\nsponsors:\n  - name: ${JSON.stringify(hostile)}\n    url: https://acme.example/"><script>alert(4)</script>\n    logo: /images/"onerror="alert(5).png\n`,
      ),
    });
    for (const file of listTree(out).filter((f) => f.endsWith('.html'))) {
      const html = page(out, file);
      assert.deepEqual(elements(html, (e) => e.tagName === 'script' && attr(e, 'type') !== 'application/ld+json' && attr(e, 'src') === undefined), [], `${file}: no script but the JSON-LD`);
      assert.deepEqual(elements(html, (e) => e.attrs.some((a) => a.name.startsWith('on'))), [], `${file}: no event handler attribute`);
    }
    const html = page(out, '2024/03/12/a/index.html');
    assert.equal(textOf(byClass(html, 'talk-title')[0]), hostile);
    assert.equal(attr(elements(byClass(html, 'sponsor-row')[0], (e) => e.tagName === 'img')[0], 'alt'), hostile);
    const event = graphOf(jsonLd(out, '2024/03/12/a/index.html'))[1];
    assert.equal(items(event.subEvent)[0].name, hostile, 'read back from the JSON-LD as written');
    assert.equal(items(event.sponsor)[0].name, hostile);
  });

  it('take the talks of drafts only when drafts are built', async () => {
    const files = { 'posts/2024-03-12-a.md': post('draft: true\ntalks:\n  - title: T\n    speaker: Ana Lima\n') };
    assert.ok(!listTree(await builtSite(files)).some((f) => f.startsWith('speakers/')));
    assert.ok(listTree(await builtSite(files, { drafts: true })).includes('speakers/ana-lima/index.html'));
  });

  it("resize a logo in the site as any photo, for a logo's width; an SVG and a remote logo are left as written", async () => {
    const root = writeSite({ 'posts/2024-03-12-a.md': post('sponsors:\n  - {name: Acme, logo: /images/acme.png}\n  - {name: Globex, logo: /images/globex.svg}\n  - {name: Initech, logo: "https://cdn.example.org/initech.png"}\n') });
    fs.mkdirSync(path.join(root, 'static/images'), { recursive: true });
    await sharp({ create: { width: 800, height: 300, channels: 3, background: '#0b6e4f' } }).png().toFile(path.join(root, 'static/images/acme.png'));
    fs.writeFileSync(path.join(root, 'static/images/globex.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 4"/>');
    const outDir = path.join(tempDir(), 'public');
    assert.ok((await build(loadConfig(root, { now: NOW, outDir, cache: false }))).ok);
    const row = byClass(page(outDir, '2024/03/12/a/index.html'), 'sponsor-row')[0];
    const [acme, globex, initech] = elements(row, (e) => e.tagName === 'img');
    assert.equal(attr(acme, 'sizes'), '10rem');
    assert.match(attr(acme, 'srcset') ?? '', /^\/img\/acme-[0-9a-f]+-480\.png 480w, \/img\/acme-[0-9a-f]+-800\.png 800w$/);
    assert.deepEqual([attr(acme, 'width'), attr(acme, 'height'), attr(acme, 'alt'), attr(acme, 'fetchpriority')], ['800', '300', 'Acme', 'low']);
    assert.equal(elements(row, (e) => e.tagName === 'picture').length, 1);
    assert.deepEqual([attr(globex, 'src'), attr(globex, 'srcset'), attr(globex, 'sizes')], ['/images/globex.svg', undefined, undefined]);
    assert.deepEqual([attr(initech, 'src'), attr(initech, 'srcset'), attr(initech, 'sizes')], ['https://cdn.example.org/initech.png', undefined, undefined]);
  });
});

describe('watch mode with talks', () => {
  const files = {
    'posts/2024-03-12-a.md': post('talks:\n  - title: T1\n    speaker: Ana Lima\n  - title: T2\n    speaker: Bo Chen\nsponsors: [Acme]\n'),
    'posts/2024-04-09-b.md': post('talks:\n  - title: T3\n    speaker: Cy Diaz\n'),
  };

  it('renders again exactly the speaker and sponsor pages an edit changes, and equals a clean build', async () => {
    const root = writeSite(files);
    const outDir = path.join(tempDir(), 'public');
    const config = () => loadConfig(root, { now: NOW, outDir, cache: false });
    let outcome = await build(config());
    assert.ok(outcome.ok);
    let state: BuildState = outcome.state!;
    const edit = async (file: string, text: string) => {
      fs.writeFileSync(path.join(root, file), text);
      const changes: Changes = { posts: [file], templates: false, copies: false };
      outcome = await build(config(), { previous: state, changes });
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
      state = outcome.state!;
      const clean = await builtSite({ ...files, [file]: text });
      for (const output of listTree(clean)) if (output !== '.recap-built') assert.equal(fs.readFileSync(path.join(outDir, output), 'utf8'), fs.readFileSync(path.join(clean, output), 'utf8'), output);
      assert.deepEqual(listTree(outDir), listTree(clean));
      return outcome.ok ? outcome.result.written.filter((f) => f.startsWith('speakers/') || f.startsWith('sponsors/')).sort() : [];
    };
    assert.deepEqual(await edit('posts/2024-04-09-b.md', files['posts/2024-04-09-b.md'] + 'More words.\n'), [], 'a body edit renders no speaker page');
    assert.deepEqual(await edit('posts/2024-04-09-b.md', post('talks:\n  - title: T3, renamed\n    speaker: Cy Diaz\n')), ['speakers/cy-diaz/index.html'], "a talk's new title: its speaker's page");
    assert.deepEqual(await edit('posts/2024-04-09-b.md', post('talks:\n  - title: T3\n    speaker: Dee Evans\nsponsors: [Acme]\n')), ['speakers/dee-evans/index.html', 'speakers/index.html', 'sponsors/index.html'], 'a speaker renamed and a sponsor added');
    assert.ok(!listTree(outDir).includes('speakers/cy-diaz/index.html'), "the old name's page is gone");
  });
});

describe("an announcement's talks (a post whose event is still to come)", () => {
  const files = {
    'recap.config.yml': 'url: https://meetup.example.org\n',
    'posts/2024-03-12-a.md': post('talks:\n  - title: T1\n    speaker: Ana Lima\n'),
    'posts/2024-07-09-next.md': post('title: Next\nevent:\n  date: 2024-07-09 18:30\ntalks:\n  - title: Next time\n    speaker: [Ana Lima, Zed Newcomer]\n'),
  };
  const AFTER = new Date('2024-07-10T00:00:00Z');
  const NEXT = '2024/07/09/next/index.html';
  const speakersOf = (out: string) => byClass(page(out, NEXT), 'talk-speakers')[0];
  const performers = (out: string) => items(graphOf(jsonLd(out, NEXT))[1].performer).map((p) => [p.name, p.url]);

  it("link only the speakers who have a page (from a recap); a newcomer's page comes with the announcement's recap", async () => {
    const out = await builtSite(files);
    assert.deepEqual(links(speakersOf(out)), [{ text: 'Ana Lima', href: '/speakers/ana-lima/' }]);
    assert.match(textOf(speakersOf(out)), /Zed Newcomer/);
    assert.deepEqual(performers(out), [['Ana Lima', 'https://meetup.example.org/speakers/ana-lima/'], ['Zed Newcomer', undefined]]);
    assert.ok(!listTree(out).includes('speakers/zed-newcomer/index.html'));
    assert.equal(textOf(byClass(page(out, 'speakers/ana-lima/index.html'), 'lead')[0]).split('·')[0].trim(), '1 talk', 'no talk of the announcement yet');
    assert.deepEqual(checkLinks(out, '/', 'https://meetup.example.org'), []);

    const ended = await builtSite(files, { now: AFTER });
    assert.deepEqual(links(speakersOf(ended)), [{ text: 'Ana Lima', href: '/speakers/ana-lima/' }, { text: 'Zed Newcomer', href: '/speakers/zed-newcomer/' }]);
    assert.ok(listTree(ended).includes('speakers/zed-newcomer/index.html'));
    assert.deepEqual(checkLinks(ended, '/', 'https://meetup.example.org'), []);
  });

  it('are checked while it is announced: a name with no page, or one slug for two names, fails the build now, not on the morning after', async () => {
    const root = writeSite({
      'recap.config.yml': 'url: https://meetup.example.org\n',
      'posts/2024-03-12-a.md': post('talks:\n  - title: T1\n    speaker: Jose Garcia\n'),
      'posts/2024-07-09-next.md': post('title: Next\nevent:\n  date: 2024-07-09 18:30\ntalks:\n  - title: Party\n    speaker: "🎉"\n  - title: Two\n    speaker: José García\n'),
    });
    for (const now of [NOW, AFTER]) {
      const outcome = await build(loadConfig(root, { now, outDir: path.join(tempDir(), 'public'), cache: false }));
      assert.deepEqual(outcome.ok ? [] : outcome.errors.map((e) => e.format()).sort(), [
        'posts/2024-03-12-a.md:4: speakers "José García" (posts/2024-07-09-next.md) and "Jose Garcia" (posts/2024-03-12-a.md) both have the URL slug "jose-garcia"; if they are one person, write their name the same way in both posts, else tell them apart (a middle initial)',
        `posts/2024-07-09-next.md:6: speaker "🎉" has no letters or digits to make their page's URL from; write their name in letters`,
      ], now.toISOString());
    }
  });

  it("link a newcomer in watch mode once another post gives them a page, and no longer once it is gone, as a clean build does", async () => {
    const site = files;
    const root = writeSite(site);
    const outDir = path.join(tempDir(), 'public');
    const config = () => loadConfig(root, { now: NOW, outDir, cache: false });
    let outcome = await build(config());
    assert.ok(outcome.ok);
    let state: BuildState = outcome.state!;
    const added = 'posts/2024-05-14-b.md';
    const step = async (text: string | undefined) => {
      if (text === undefined) fs.rmSync(path.join(root, added));
      else fs.writeFileSync(path.join(root, added), text);
      outcome = await build(config(), { previous: state, changes: { posts: [added], templates: false, copies: false } });
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
      state = outcome.state!;
      const clean = await builtSite(text === undefined ? site : { ...site, [added]: text });
      assert.deepEqual(listTree(outDir), listTree(clean));
      for (const output of listTree(clean)) if (output !== '.recap-built') assert.equal(fs.readFileSync(path.join(outDir, output), 'utf8'), fs.readFileSync(path.join(clean, output), 'utf8'), output);
      return links(speakersOf(outDir)).map((link) => link.text);
    };
    assert.deepEqual(await step(post('talks:\n  - title: First\n    speaker: Zed Newcomer\n')), ['Ana Lima', 'Zed Newcomer']);
    assert.deepEqual(await step(undefined), ['Ana Lima']);
  });
});

describe("a Jekyll site's talks: and sponsors:", () => {
  it('are its own: any shape builds, its Liquid reads them as page.talks, and no speaker or sponsor page is made', async () => {
    const root = jekyllSite('title: Jekyll meetup\n', {
      '_layouts/post.html': '<h1>{{ page.title }}</h1><p>{{ page.talks.size }} talks: {% for talk in page.talks %}{{ talk.name }};{% endfor %} sponsors: {{ page.sponsors }}</p>{{ content }}',
      '_posts/2024-03-12-night.md': '---\nlayout: post\ntitle: Night\ntalks:\n  - name: Not recap\'s shape\n    slide: x\n  - name: Second\nsponsors: 3\nattendance: hybrid\n---\nBody.\n',
    });
    const out = await buildInto(root);
    const html = fs.readFileSync(path.join(out, '2024/03/12/night.html'), 'utf8');
    assert.match(html, /<p>2 talks: Not recap&#39;s shape;Second; sponsors: 3<\/p>|<p>2 talks: Not recap's shape;Second; sponsors: 3<\/p>/);
    assert.ok(!listTree(out).some((file) => file.startsWith('speakers/') || file.startsWith('sponsors/')));
  });

  it("show no talk cards in recap's theme (a site without layouts of its own)", async () => {
    const root = jekyllSite('title: Jekyll meetup\n', { '_posts/2024-03-12-night.md': '---\ntitle: Night\ntalks:\n  - title: A talk\n    speaker: Ana Lima\n---\nBody.\n' });
    const out = await buildInto(root);
    const file = listTree(out).find((f) => f.includes('night') && f.endsWith('.html'))!;
    assert.deepEqual(byClass(page(out, file), 'talk-card'), []);
    assert.ok(!listTree(out).some((f) => f.startsWith('speakers/')));
  });
});
