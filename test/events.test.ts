/**
 * The next meetup (#17): `event:` front matter, upcoming announcements on the home page and their
 * own pages, events.ics read back by a real RFC 5545 parser (ical.js), the `timezone:` setting, and
 * time moving on: warm builds, watch rebuilds and watch's timer. The whole site's exact output is
 * test/fixtures/events; its bad cases are test/fixtures-invalid/event-invalid and timezone-invalid.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { build } from '../src/pipeline/build.js';
import { loadConfig, type LoadOptions } from '../src/pipeline/config.js';
import { watchSite, type RebuildReport } from '../src/dev/watch.js';
import { atInstant, MAX_TIMER_MS, type TimerClock } from '../src/dev/due-timer.js';
import { foldLine, icalText } from '../src/events/ical-text.js';
import { checkLinks } from '../src/check/links.js';
import { buildErrors, copySite, FIXTURES, INVALID_FIXTURES, jekyllSite, listTree, tempDir, writeSite } from './helpers.js';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['document'];

const FIXTURE = path.join(FIXTURES, 'events');
/** The fixture's `now`: the June meetup, the summer party and the hackathon are to come; May's is past. */
const NOW = new Date('2026-05-20T10:00:00Z');

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
const hasClass = (name: string) => (element: Element) => (attr(element, 'class') ?? '').split(' ').includes(name);
const textOf = (node: Node): string => ('value' in node && node.nodeName === '#text' ? node.value : 'childNodes' in node ? node.childNodes.map((c) => textOf(c as Node)).join('') : '');
const read = (out: string, file: string) => fs.readFileSync(path.join(out, file), 'utf8');
const page = (out: string, file: string) => parse(read(out, file));
/** The text of the home page's block of upcoming events ("" when it has none). */
const upcomingBlock = (out: string, file = 'index.html') => elements(page(out, file), hasClass('upcoming')).map(textOf).join('').replace(/\s+/g, ' ').trim();
const cardTitles = (out: string, file = 'index.html') => elements(page(out, file), hasClass('post-card')).map((card) => textOf(elements(card, (e) => e.tagName === 'h2')[0]).trim());

async function buildAt(root: string, now: Date, options: LoadOptions = {}): Promise<{ out: string; warnings: string[]; written: string[]; nextChange?: Date }> {
  const out = options.outDir ?? path.join(tempDir(), 'public');
  const outcome = await build(loadConfig(root, { cache: false, now, ...options, outDir: out }));
  if (!outcome.ok) assert.fail(outcome.errors.map((e) => e.format()).join('\n'));
  return { out, warnings: outcome.result.warnings, written: outcome.result.written, nextChange: outcome.result.nextChange };
}

/** The fixture without its expected output, to edit. */
function fixtureCopy(): string {
  const root = copySite(FIXTURE);
  fs.rmSync(path.join(root, 'expected'), { recursive: true });
  fs.rmSync(path.join(root, 'options.json'));
  return root;
}

/** events.ics read by ical.js, its zones registered: each VEVENT as an ICAL.Event. */
function calendar(text: string): { component: ICAL.Component; events: ICAL.Event[] } {
  ICAL.TimezoneService.reset();
  const component = new ICAL.Component(ICAL.parse(text));
  for (const zone of component.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return { component, events: component.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent)) };
}
after(() => ICAL.TimezoneService.reset());

/** A post file: front matter lines, then a body. */
const post = (front: string[], body = 'Body.') => `---\n${front.join('\n')}\n---\n${body}\n`;

describe('the next meetup: upcoming events', () => {
  it('are announced above the recaps, soonest first, with the date in the site\'s language, the venue and an RSVP button; not listed as recaps until they end', async () => {
    const { out } = await buildAt(FIXTURE, NOW);
    assert.equal(
      upcomingBlock(out),
      'Upcoming meetups June meetup: Platform teams & paved roads Tuesday 9 June 2026, 18:30–21:30 The Ropeworks, 12 Rope Walk, Harbour City RSVP Join online ' +
        'Save the date: the summer party Tuesday 14 July 2026, 19:00 Strandbar Möwe; upstairs, Kai 3, Harbour City ' +
        'Autumn hackathon Saturday 3 October 2026, 10:00 – Sunday 4 October 2026, 18:00 Harbour City Library Join online Subscribe to the calendar',
    );
    const rsvp = elements(page(out, 'index.html'), hasClass('button'));
    assert.deepEqual(rsvp.map((a) => [a.tagName, attr(a, 'href'), textOf(a)]), [['a', 'https://lu.ma/harbour-june', 'RSVP']]);
    // Announcements are no recaps: not in the list, the tag pages, their counts or the feeds (the June post is dated in the future, built without --future).
    assert.deepEqual(cardTitles(out), ['May recap: eBPF in production', 'April recap: GitOps at scale', 'November recap: Kubernetes operators']);
    assert.ok(!read(out, 'tags/meetup/index.html').includes('June meetup') && !read(out, 'feed.xml').includes('June meetup'));
    assert.ok(!fs.existsSync(path.join(out, 'tags/platform')), 'a tag only an announcement has gets its page once the announcement is listed');
    // Its own page is built and marked.
    const june = page(out, '2026/06/09/june-meetup/index.html');
    assert.deepEqual(elements(june, hasClass('badge-upcoming')).map(textOf), ['upcoming']);
    assert.equal(attr(elements(june, (e) => e.tagName === 'time' && attr(e, 'datetime')?.includes('+02:00') === true)[0], 'datetime'), '2026-06-09T18:30+02:00');
    assert.deepEqual(elements(june, hasClass('post-nav')), [], 'an announcement stands outside the recaps\' older/newer chain');
    // A draft announcement is left out without --drafts.
    assert.ok(!fs.existsSync(path.join(out, '2026/06/20/draft-announcement')));
  });

  it('drop off the home page once they end, on the next build, and are listed as recaps from then on', async () => {
    const { out } = await buildAt(FIXTURE, new Date('2026-06-10T08:00:00Z'));
    assert.match(upcomingBlock(out), /^Upcoming meetups Save the date: the summer party .* Autumn hackathon /);
    assert.ok(!upcomingBlock(out).includes('June meetup'));
    assert.deepEqual(cardTitles(out)[0], 'June meetup: Platform teams & paved roads');
    assert.ok(read(out, 'tags/meetup/index.html').includes('June meetup') && read(out, 'feed.xml').includes('June meetup'));
    assert.ok(fs.existsSync(path.join(out, 'tags/platform/index.html')));
    const june = page(out, '2026/06/09/june-meetup/index.html');
    assert.deepEqual(elements(june, hasClass('badge-upcoming')), []);
    assert.deepEqual(elements(june, hasClass('button')), [], 'no RSVP for a meetup that is over');
    assert.equal(textOf(elements(june, hasClass('event'))[0]).replace(/\s+/g, ' ').trim(), 'This meetup took place on Tuesday 9 June 2026. The Ropeworks, 12 Rope Walk, Harbour City');
    // The last one ends: no block at all, and "Next meetup" in the singular before that.
    assert.match(upcomingBlock((await buildAt(FIXTURE, new Date('2026-08-01T00:00:00Z'))).out), /^Next meetup Autumn hackathon/);
    assert.equal(upcomingBlock((await buildAt(FIXTURE, new Date('2027-01-01T00:00:00Z'))).out), '');
  });

  it('end at their end on the meetup\'s clocks: `end`, or three hours after the start; on the site\'s timezone, else taken as UTC\'s as post dates are', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Zones\ntimezone: Europe/Berlin\n',
      'posts/2026-06-01-ends.md': post(['title: With an end', 'event: {date: 2026-06-09 18:30, end: "21:30"}']),
      'posts/2026-06-01-usual.md': post(['title: Without one', 'event: {date: 2026-06-16 18:30}']),
    });
    const shown = async (now: string) => upcomingBlock((await buildAt(root, new Date(now))).out);
    // 21:30 in Berlin's summer is 19:30 UTC.
    assert.match(await shown('2026-06-09T19:29:00Z'), /With an end/);
    assert.doesNotMatch(await shown('2026-06-09T19:30:00Z'), /With an end/);
    // Three hours from 18:30 CEST: 19:30 UTC.
    assert.match(await shown('2026-06-16T19:29:00Z'), /Without one/);
    assert.doesNotMatch(await shown('2026-06-16T19:30:00Z'), /Without one/);
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: No zone\n');
    assert.match(await shown('2026-06-09T21:29:00Z'), /With an end/);
    assert.doesNotMatch(await shown('2026-06-09T21:30:00Z'), /With an end/);
  });

  it('speak the site\'s language: French dates, words and RSVP button', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Rencontres\nlanguage: fr\ntimezone: Europe/Paris\n',
      'posts/2026-06-09-juin.md': post(['title: Juin', 'event:', '  date: 2026-06-09 18:30', '  end: 21:30', '  venue: La Corderie', '  rsvp: https://lu.ma/juin']),
      'posts/2026-05-12-mai.md': post(['title: Mai', 'event: {date: 2026-05-12 18:30}']),
    });
    const { out } = await buildAt(root, NOW);
    assert.equal(upcomingBlock(out), 'Prochaine rencontre Juin mardi 9 juin 2026 à 18:30–21:30 La Corderie Je m’inscris S’abonner au calendrier');
    assert.equal(textOf(elements(page(out, '2026/05/12/mai/index.html'), hasClass('event'))[0]).trim(), 'Cette rencontre a eu lieu le mardi 12 mai 2026.');
    assert.match(read(out, 'events.ics'), /\r\nDESCRIPTION:Body\.\\n\\nJe m’inscris: https:\/\/lu\.ma\/juin\r\n/);
  });

  it('print what front matter gives as text, never as markup; links follow the link rules', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Escapes\nbasePath: /blog/\n',
      'posts/2026-06-09-x.md': post([
        'title: "<script>alert(1)</script>"',
        'event:',
        '  date: 2026-06-09 18:30',
        '  venue: "\\"><img src=x onerror=alert(1)>"',
        '  address: "<b>Rope Walk</b> & co"',
        '  rsvp: "https://lu.ma/x?a=1&b=\\"onmouseover=alert(1)"',
        '  online: /stream/',
      ]),
    });
    const { out } = await buildAt(root, NOW);
    for (const file of ['index.html', '2026/06/09/x/index.html']) {
      const tree = page(out, file);
      // The theme's own JSON-LD is the one script (its text escaped by jsonLd).
      const made = elements(tree, (e) => ['script', 'img', 'b'].includes(e.tagName) && attr(e, 'type') !== 'application/ld+json');
      assert.deepEqual(made.map((e) => e.tagName), [], `${file}: no element from front matter`);
      const [button] = elements(tree, hasClass('button'));
      assert.deepEqual(button.attrs.map((a) => a.name).sort(), ['class', 'href']);
      assert.equal(attr(button, 'href'), 'https://lu.ma/x?a=1&b="onmouseover=alert(1)');
      // A site path gets the base path, as every link does.
      assert.ok(elements(tree, (e) => e.tagName === 'a' && attr(e, 'href') === '/blog/stream/').length === 1, file);
      assert.ok(textOf(tree).includes('"><img src=x onerror=alert(1)>'), `${file}: the venue shows as written`);
    }
    assert.ok(calendar(read(out, 'events.ics')).events[0].description.endsWith('\nOnline: /blog/stream/'));
  });

  it("make a protocol-relative link (//host/x) absolute on the site's scheme where an absolute URL is needed: events.ics, JSON-LD, the share card", async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Links\nurl: https://meetup.example.org\n',
      'posts/2026-06-09-x.md': post(['title: June', 'image: //cdn.example.org/room.jpg', 'event:', '  date: 2026-06-09 18:30', '  rsvp: //lu.ma/june', '  online: //meet.example.org/june']),
    });
    const { out } = await buildAt(root, NOW);
    const [event] = calendar(read(out, 'events.ics')).events;
    assert.equal(event.description, 'Body.\n\nRSVP: https://lu.ma/june\nOnline: https://meet.example.org/june');
    assert.equal(event.location, 'https://meet.example.org/june');
    const tree = page(out, '2026/06/09/x/index.html');
    const [script] = elements(tree, (e) => e.tagName === 'script' && attr(e, 'type') === 'application/ld+json');
    const graph = (JSON.parse(textOf(script)) as { '@graph': Record<string, unknown>[] })['@graph'];
    assert.deepEqual(graph[1].offers, { '@type': 'Offer', url: 'https://lu.ma/june' });
    assert.deepEqual(graph[1].location, { '@type': 'VirtualLocation', url: 'https://meet.example.org/june' });
    assert.equal(graph[0].image, 'https://cdn.example.org/room.jpg');
    const [ogImage] = elements(tree, (e) => e.tagName === 'meta' && attr(e, 'property') === 'og:image');
    assert.equal(attr(ogImage, 'content'), 'https://cdn.example.org/room.jpg');
  });

  it('link a relative rsvp or online link beside the post, from the home page, the JSON-LD and events.ics alike', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Links\nurl: https://meetup.example.org\nbasePath: /blog/\n',
      'posts/2026-06-09-june.md': post(['title: June', 'event:', '  date: 2026-06-09 18:30', '  rsvp: register.html', '  online: stream/']),
    });
    const { out } = await buildAt(root, NOW);
    for (const file of ['index.html', '2026/06/09/june/index.html']) {
      const hrefs = elements(page(out, file), (e) => e.tagName === 'a').map((a) => attr(a, 'href'));
      assert.ok(hrefs.includes('/blog/2026/06/09/june/register.html') && hrefs.includes('/blog/2026/06/09/june/stream/'), `${file}: ${hrefs.join(' ')}`);
    }
    const [event] = calendar(read(out, 'events.ics')).events;
    assert.match(event.description, /RSVP: https:\/\/meetup\.example\.org\/blog\/2026\/06\/09\/june\/register\.html\nOnline: https:\/\/meetup\.example\.org\/blog\/2026\/06\/09\/june\/stream\/$/);
    const [script] = elements(page(out, '2026/06/09/june/index.html'), (e) => e.tagName === 'script' && attr(e, 'type') === 'application/ld+json');
    const graph = (JSON.parse(textOf(script)) as { '@graph': Record<string, unknown>[] })['@graph'];
    assert.deepEqual(graph[1].offers, { '@type': 'Offer', url: 'https://meetup.example.org/blog/2026/06/09/june/register.html' });
  });

  it('are shown by serve (drafts) with the draft badge, and never put in events.ics', async () => {
    const { out } = await buildAt(FIXTURE, NOW, { drafts: true });
    assert.match(upcomingBlock(out), /A draft announcement draft/);
    assert.ok(!read(out, 'events.ics').includes('A draft announcement'));
  });

  it('are recap\'s own: a Jekyll site\'s `event:` is its Liquid\'s, read as written, and it gets no events.ics', async () => {
    const root = jekyllSite('title: A Jekyll site\n', {
      '_posts/2026-05-01-day.md': post(['title: Kubernetes Day', 'event: Kubernetes Day 2026', 'layout: post']),
      '_posts/2026-05-02-night.md': post(['title: Night', 'event: {date: soon, colour: red}']),
    });
    const { out } = await buildAt(root, NOW);
    assert.ok(!fs.existsSync(path.join(out, 'events.ics')));
    assert.ok(!read(out, 'index.html').includes('text/calendar'));
  });

  it("are never shown by recap's theme from a Jekyll site's own `event:` (a site without layouts): no meetup box, no unchecked link", async () => {
    const hostile = '{upcoming: true, date: 2026-06-01, venue: Dock, rsvp: "javascript:alert(1)", online: "javascript:alert(2)"}';
    const root = jekyllSite('title: A Jekyll site\n', {
      '_posts/2026-05-01-day.md': post(['title: Day', `event: ${hostile}`]),
      '_posts/2026-05-02-text.md': post(['title: Text', 'event: Kubernetes Day 2026']),
      'about.md': post(['title: About', 'layout: page', `event: ${hostile}`]),
    });
    const { out } = await buildAt(root, NOW);
    const pages = listTree(out).filter((file) => file.endsWith('.html'));
    assert.ok(pages.includes('about.html') && pages.includes('2026/05/01/day.html'), pages.join(' '));
    for (const file of pages) {
      const tree = page(out, file);
      assert.deepEqual(elements(tree, (e) => e.tagName === 'aside' || hasClass('badge-upcoming')(e)).map((e) => attr(e, 'class')), [], `${file}: no meetup box`);
      assert.deepEqual(elements(tree, (e) => /^\s*javascript:/i.test(attr(e, 'href') ?? '')).length, 0, `${file}: no javascript: link`);
    }
  });

  it('are checked key by key, each problem at its line (the cases are in test/fixtures-invalid/event-invalid)', async () => {
    const errors = await buildErrors(path.join(INVALID_FIXTURES, 'event-invalid'));
    assert.ok(errors.includes('posts/2026-06-02-unknown-keys.md:6: "event" has an unknown key "rvsp"; did you mean "rsvp"? The keys are: date, end, venue, address, rsvp, online'), errors.join('\n'));
    assert.ok(errors.includes('posts/2026-06-06-links.md:5: "event.rsvp" must be an http(s) URL or a path; "javascript:" links are refused'));
    // The file's other problems come with them.
    assert.ok(errors.includes('posts/2026-06-08-and-title.md:2: has an empty "title"; add a line like title: "March meetup recap"'));
  });
});

describe('events.ics', () => {
  it('is read by ical.js as one VEVENT per event, upcoming and past, each at its instant on the meetup\'s zone, summer and winter', async () => {
    const { out } = await buildAt(FIXTURE, NOW);
    const { component, events } = calendar(read(out, 'events.ics'));
    assert.equal(component.name, 'vcalendar');
    assert.equal(component.getFirstPropertyValue('version'), '2.0');
    assert.equal(component.getFirstPropertyValue('method'), 'PUBLISH');
    assert.equal(component.getFirstPropertyValue('x-wr-calname'), 'Harbour City Cloud Native');
    const seen = events.map((event) => ({
      summary: event.summary,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      zone: event.startDate.zone?.tzid,
      location: event.location,
      url: event.component.getFirstPropertyValue('url'),
    }));
    assert.deepEqual(seen, [
      { summary: 'November recap: Kubernetes operators', start: '2025-11-11T17:30:00.000Z', end: '2025-11-11T20:00:00.000Z', zone: 'Europe/Berlin', location: 'The Ropeworks', url: 'https://meetup.example.org/2025/11/11/november-meetup/' },
      { summary: 'May recap: eBPF in production', start: '2026-05-12T16:30:00.000Z', end: '2026-05-12T19:30:00.000Z', zone: 'Europe/Berlin', location: 'Harbour Works', url: 'https://meetup.example.org/2026/05/12/may-meetup/' },
      { summary: 'June meetup: Platform teams & paved roads', start: '2026-06-09T16:30:00.000Z', end: '2026-06-09T19:30:00.000Z', zone: 'Europe/Berlin', location: 'The Ropeworks, 12 Rope Walk, Harbour City', url: 'https://meetup.example.org/2026/06/09/june-meetup/' },
      { summary: 'Save the date: the summer party', start: '2026-07-14T17:00:00.000Z', end: '2026-07-14T20:00:00.000Z', zone: 'Europe/Berlin', location: 'Strandbar Möwe; upstairs, Kai 3, Harbour City', url: 'https://meetup.example.org/2026/05/18/summer-party/' },
      { summary: 'Autumn hackathon', start: '2026-10-03T08:00:00.000Z', end: '2026-10-04T16:00:00.000Z', zone: 'Europe/Berlin', location: 'Harbour City Library', url: 'https://meetup.example.org/hackathon/' },
    ]);
    assert.equal(events[2].description, 'Two talks on platform engineering, then pizza on the terrace.\n\nRSVP: https://lu.ma/harbour-june\nOnline: https://meet.example/harbour-june');
    for (const event of events) {
      assert.match(event.uid, /^[\w-]+@meetup\.example\.org$/);
      assert.ok(event.component.getFirstPropertyValue('dtstamp'), 'every VEVENT has a DTSTAMP');
    }
    assert.equal(new Set(events.map((event) => event.uid)).size, events.length);
  });

  it('is in RFC 5545\'s shape: CRLF line ends, lines of at most 75 octets folded between characters, VERSION and PRODID, a VTIMEZONE for the TZID it uses', async () => {
    const { out } = await buildAt(FIXTURE, NOW);
    const bytes = fs.readFileSync(path.join(out, 'events.ics'));
    const text = bytes.toString('utf8');
    assert.ok(text.endsWith('END:VCALENDAR\r\n'));
    assert.ok(!/[^\r]\n/.test(text) && !/\r[^\n]/.test(text), 'every line ends with CRLF, and only there');
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) {
      assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `over 75 octets: ${line}`);
      assert.ok(!line.includes('\uFFFD'));
    }
    assert.ok(lines.some((line) => line.startsWith(' ')), 'the long descriptions are folded');
    assert.ok(lines.includes('VERSION:2.0') && lines.some((line) => line.startsWith('PRODID:')));
    const zones = new Set(lines.filter((line) => line.startsWith('TZID:')).map((line) => line.slice(5)));
    const used = new Set(lines.flatMap((line) => /;TZID=([^:;]+)/.exec(line)?.[1] ?? []));
    assert.deepEqual([...used], ['Europe/Berlin']);
    assert.deepEqual([...zones], [...used]);
  });

  it('folds at 75 octets between characters, never inside a UTF-8 character or an escape, and escapes TEXT so nothing leaves its property', () => {
    for (const text of ['€'.repeat(80), '🎉'.repeat(40), 'a'.repeat(73) + '\\,' + 'b'.repeat(100), `${'x'.repeat(74)}é${'东京'.repeat(50)}`]) {
      const folded = foldLine(`SUMMARY:${text}`);
      for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line);
      assert.equal(folded.replace(/\r\n /g, ''), `SUMMARY:${text}`, 'unfolding gives the line back');
      assert.ok(!folded.includes('\\\r\n'), 'no escape is cut in two');
    }
    assert.equal(icalText('a\\b;c,d\r\ne\nf\u0000g\u0007h\tI'), 'a\\\\b\\;c\\,d\\ne\\nfgh\tI');
  });

  it('keeps hostile titles and places in their property: CR/LF, BEGIN:VEVENT, semicolons, emoji and long lines read back as written', async () => {
    const title = 'Talk; then, drinks \\ "quotes" 🎉 東京 '.repeat(4).trim();
    const root = writeSite({
      'recap.config.yml': 'title: "Hostile; calendar, \\\\ name"\nurl: https://meetup.example.org\ntimezone: Europe/Berlin\n',
      'posts/2026-06-09-a.md': post([`title: ${JSON.stringify(title)}`, 'event:', '  date: 2026-06-09 18:30', '  venue: "Room 1\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:Injected"']),
      'posts/2026-06-10-b.md': post(['title: "Control\\u0007 \\u001b[31m characters"', 'event: {date: 2026-06-10 18:30}']),
    });
    const { out } = await buildAt(root, NOW);
    const { component, events } = calendar(read(out, 'events.ics'));
    // ical.js leaves an X- property's value as written (its type unknown to it): still escaped, as TEXT is.
    assert.equal(component.getFirstPropertyValue('x-wr-calname'), 'Hostile\\; calendar\\, \\\\ name');
    assert.deepEqual(events.map((event) => event.summary), [title, 'Control [31m characters']);
    assert.equal(events[0].location, 'Room 1\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Injected');
  });

  it('is byte for byte the same for the same site at any moment: UIDs from the post\'s file, DTSTAMPs from its dates', async () => {
    const first = read((await buildAt(FIXTURE, NOW)).out, 'events.ics');
    assert.equal(read((await buildAt(FIXTURE, new Date('2027-03-01T00:00:00Z'))).out, 'events.ics'), first);
    const root = fixtureCopy();
    const file = path.join(root, 'posts/2026-06-09-june-meetup.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: "June meetup: Platform teams & paved roads"', 'title: June meetup, retitled'));
    const uids = (text: string) => calendar(text).events.map((event) => event.uid);
    assert.deepEqual(uids(read((await buildAt(root, NOW)).out, 'events.ics')), uids(first), 'a new title keeps the UID, so calendars update the event');
  });

  it('gives each zone\'s events their instants, however its rules go: north and south, half and quarter hours, no summer time; UTC as UTC; no zone floating, with a warning', async () => {
    const cases: [zone: string, january: string, july: string][] = [
      ['America/New_York', '2026-01-15T23:30:00.000Z', '2026-07-15T22:30:00.000Z'],
      ['Australia/Sydney', '2026-01-15T07:30:00.000Z', '2026-07-15T08:30:00.000Z'],
      ['Asia/Kolkata', '2026-01-15T13:00:00.000Z', '2026-07-15T13:00:00.000Z'],
      ['Asia/Kathmandu', '2026-01-15T12:45:00.000Z', '2026-07-15T12:45:00.000Z'],
      ['America/St_Johns', '2026-01-15T22:00:00.000Z', '2026-07-15T21:00:00.000Z'],
      ['Europe/Dublin', '2026-01-15T18:30:00.000Z', '2026-07-15T17:30:00.000Z'],
      ['Europe/Berlin', '2026-01-15T17:30:00.000Z', '2026-07-15T16:30:00.000Z'],
    ];
    const site = (config: string) =>
      writeSite({
        'recap.config.yml': `title: Zones\n${config}`,
        'posts/2019-03-12-old.md': post(['title: Years ago', 'event: {date: 2019-03-12 18:30}']),
        'posts/2026-01-15-january.md': post(['title: January', 'event: {date: 2026-01-15 18:30}']),
        'posts/2026-07-15-july.md': post(['title: July', 'event: {date: 2026-07-15 18:30}']),
      });
    for (const [zone, january, july] of cases) {
      const { out, warnings } = await buildAt(site(`timezone: ${zone}\n`), NOW);
      const { events } = calendar(read(out, 'events.ics'));
      assert.deepEqual(events.slice(1).map((event) => event.startDate.toJSDate().toISOString()), [january, july], zone);
      assert.equal(events[0].startDate.zone?.tzid, zone, `${zone}: the zone's VTIMEZONE reaches back to the oldest event`);
      assert.deepEqual(warnings.filter((w) => w.includes('timezone')), []);
    }
    const utc = await buildAt(site('timezone: UTC\n'), NOW);
    assert.match(read(utc.out, 'events.ics'), /\r\nDTSTART:20260115T183000Z\r\n/);
    assert.ok(!read(utc.out, 'events.ics').includes('VTIMEZONE'));
    const floating = await buildAt(site(''), NOW);
    const text = read(floating.out, 'events.ics');
    assert.match(text, /\r\nDTSTART:20260115T183000\r\nDTEND:20260115T213000\r\n/);
    assert.ok(!text.includes('VTIMEZONE') && !text.includes('TZID'));
    assert.equal(calendar(text).events[1].startDate.zone?.tzid, 'floating');
    assert.ok(floating.warnings.some((w) => w.startsWith('recap.config.yml: "timezone" is not set, and the site has events')), floating.warnings.join('\n'));
  });

  it("gives the VTIMEZONE only the years events are in: a year typed 9026 adds two years' observances, not seven thousand", async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Typos\ntimezone: Europe/Berlin\n',
      'posts/1990-06-09-old.md': post(['title: Old', 'event: {date: 1990-06-09 18:30}']),
      'posts/2026-06-09-typo.md': post(['title: Typo', 'event: {date: 9026-06-09 18:30}']),
    });
    const started = Date.now();
    const text = read((await buildAt(root, NOW)).out, 'events.ics');
    assert.ok(Date.now() - started < 20_000, 'built in seconds');
    const observances = text.split('\r\n').filter((line) => /^BEGIN:(STANDARD|DAYLIGHT)$/.test(line));
    // Each year: its start's offset, then summer time on and off.
    assert.equal(observances.length, 6, text);
    const { events } = calendar(text);
    assert.deepEqual(events.map((event) => event.startDate.toJSDate().toISOString()), ['1990-06-09T16:30:00.000Z', '9026-06-09T16:30:00.000Z']);
  });

  it('writes a clock time the zone skips (02:30 as summer time starts) at the instant recap reads it, with the offset before the gap, as RFC 5545 does, in the page and the JSON-LD alike', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Night owls\ntimezone: Europe/Berlin\nurl: https://owls.example\n',
      'posts/2026-03-29-gap.md': post(['title: Gap', 'event:', '  date: 2026-03-29 02:30', '  end: 2026-03-29 03:45']),
      'posts/2026-10-25-twice.md': post(['title: Twice', 'event:', '  date: 2026-10-25 02:30', '  end: 2026-10-25 03:45']),
    });
    // 02:30 read with CET's offset is 01:30 UTC; the end, 03:45 CEST, is 01:45 UTC: between them it is on.
    const { out } = await buildAt(root, new Date('2026-03-29T01:40:00Z'));
    assert.match(upcomingBlock(out), /Gap/);
    const instants = (file: string) => {
      const tree = page(out, file);
      const times = elements(tree, (e) => e.tagName === 'time' && (attr(e, 'datetime') ?? '').includes('+')).map((e) => attr(e, 'datetime')!);
      const script = elements(tree, (e) => e.tagName === 'script' && attr(e, 'type') === 'application/ld+json')[0];
      const event = (JSON.parse(textOf(script)) as { '@graph': { startDate?: string; endDate?: string }[] })['@graph'][1];
      return { times, startDate: event.startDate, start: new Date(event.startDate!).toISOString(), end: new Date(event.endDate!).toISOString() };
    };
    assert.deepEqual(instants('2026/03/29/gap/index.html'), { times: ['2026-03-29T02:30+01:00'], startDate: '2026-03-29T02:30+01:00', start: '2026-03-29T01:30:00.000Z', end: '2026-03-29T01:45:00.000Z' });
    // A time shown twice is the second (as Ruby's Time.local and ical.js read it): 02:30 CET.
    assert.deepEqual(instants('2026/10/25/twice/index.html'), { times: ['2026-10-25T02:30+01:00'], startDate: '2026-10-25T02:30+01:00', start: '2026-10-25T01:30:00.000Z', end: '2026-10-25T02:45:00.000Z' });
  });

  it('is linked from every page and from the next meetup, under the base path; a site without events has none; a site\'s own static/events.ics is kept', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Blog\nurl: https://octo.github.io/blog\ntimezone: Europe/Berlin\n',
      'posts/2026-06-09-june.md': post(['title: June', 'event: {date: 2026-06-09 18:30, rsvp: /rsvp/}']),
      'posts/2026-05-01-recap.md': post(['title: A recap']),
      'pages/about.md': post(['title: About']),
    });
    const { out } = await buildAt(root, NOW);
    for (const file of listTree(out).filter((f) => f.endsWith('.html'))) {
      const links = elements(page(out, file), (e) => e.tagName === 'link' && attr(e, 'type') === 'text/calendar');
      assert.deepEqual(links.map((link) => [attr(link, 'rel'), attr(link, 'href'), attr(link, 'title')]), [['alternate', '/blog/events.ics', 'Blog: meetups']], file);
    }
    assert.ok(elements(page(out, 'index.html'), (e) => e.tagName === 'a' && attr(e, 'href') === '/blog/events.ics').length === 1);
    assert.equal(attr(elements(page(out, 'index.html'), hasClass('button'))[0], 'href'), '/blog/rsvp/');
    assert.match(read(out, 'events.ics'), /\r\nURL:https:\/\/octo\.github\.io\/blog\/2026\/06\/09\/june\/\r\n/);
    assert.ok(!read(out, 'sitemap.xml').includes('events.ics'));

    fs.mkdirSync(path.join(root, 'static'), { recursive: true });
    fs.writeFileSync(path.join(root, 'static/events.ics'), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    const own = await buildAt(root, NOW);
    assert.equal(read(own.out, 'events.ics'), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    assert.ok(read(own.out, 'index.html').includes('href="/blog/events.ics"'));

    const none = writeSite({ 'posts/2026-05-01-recap.md': post(['title: A recap']) });
    const plain = await buildAt(none, NOW);
    assert.ok(!fs.existsSync(path.join(plain.out, 'events.ics')) && !read(plain.out, 'index.html').includes('text/calendar'));
    assert.deepEqual(plain.warnings.filter((w) => w.includes('timezone')), []);
  });

  it('leaves the events fixture with no broken link (recap check)', async () => {
    const { out } = await buildAt(FIXTURE, NOW);
    assert.deepEqual(checkLinks(out, '/', 'https://meetup.example.org'), []);
  });
});

describe('the timezone setting', () => {
  it('takes an IANA zone name in any case, spelled as the tz database does; anything else is an error at its line, with "did you mean"', async () => {
    const site = (value: string) => writeSite({ 'recap.config.yml': `title: Zones\ntimezone: ${value}\n` });
    assert.equal(loadConfig(site('europe/berlin'), { cache: false }).timezone, 'Europe/Berlin');
    assert.equal(loadConfig(site('UTC'), { cache: false }).timezone, 'UTC');
    // A name Node's ICU knows by an older one stays as the site wrote it (ICU says Asia/Calcutta).
    assert.equal(loadConfig(site('Asia/Kolkata'), { cache: false }).timezone, 'Asia/Kolkata');
    const error = (value: string) => buildErrors(site(value)).then((errors) => errors.join('\n'));
    assert.equal(await error('Europe/Berln'), 'recap.config.yml:2: "timezone" "Europe/Berln" is no time zone name; did you mean "Europe/Berlin"?');
    assert.equal(await error('"+02:00"'), 'recap.config.yml:2: "timezone" "+02:00" is no time zone name (an offset is not a zone: it does not know summer time); write the meetup\'s zone like Europe/Berlin or America/New_York');
    assert.equal(await error('2'), 'recap.config.yml:2: "timezone" 2 is no time zone name (an offset is not a zone: it does not know summer time); write the meetup\'s zone like Europe/Berlin or America/New_York');
    assert.equal(await error('[Europe/Berlin]'), 'recap.config.yml:2: "timezone" a list is no time zone name; write the meetup\'s zone like Europe/Berlin or America/New_York');
    assert.match(await error('Mars/Olympus_Mons'), /"timezone" "Mars\/Olympus_Mons" is no time zone name; write the meetup's zone/);
  });
});

describe('time moving on', () => {
  it('a build with the cache after an event ended renders the pages that show it again, with no file changed, and equals a clean build', async () => {
    const root = fixtureCopy();
    const out = path.join(tempDir(), 'public');
    const config = (now: Date) => loadConfig(root, { now, outDir: out });
    const first = await build(config(NOW));
    assert.ok(first.ok);
    // Nothing changed, the same moment: nothing is rendered again.
    const same = await build(config(NOW));
    assert.ok(same.ok);
    assert.deepEqual(same.result.written.filter((f) => /\.(html|ics|xml)$/.test(f)), []);
    const later = new Date('2026-06-10T08:00:00Z');
    const second = await build(config(later));
    assert.ok(second.ok);
    for (const file of ['index.html', '2026/06/09/june-meetup/index.html', 'tags/meetup/index.html', 'feed.xml', 'sitemap.xml']) assert.ok(second.result.written.includes(file), file);
    assert.ok(fs.existsSync(path.join(out, 'tags/platform/index.html')));
    assert.ok(!second.result.written.includes('2026/04/14/april-meetup/index.html'), 'a page the ended event does not show is carried over');
    const clean = await buildAt(root, later);
    assert.deepEqual(snapshot(out), snapshot(clean.out));
  });

  it('a watch rebuild after an event ended, for a save that changes a body only, equals a clean build', async () => {
    const root = fixtureCopy();
    const out = path.join(tempDir(), 'public');
    const first = await build(loadConfig(root, { now: NOW, outDir: out, cache: false }));
    assert.ok(first.ok);
    const file = 'posts/2026-04-14-april-meetup.md';
    fs.appendFileSync(path.join(root, file), '\nOne more line.\n');
    const later = new Date('2026-06-10T08:00:00Z');
    const next = await build(loadConfig(root, { now: later, outDir: out, cache: false }), { previous: first.state, changes: { posts: [file], templates: false, copies: false } });
    assert.ok(next.ok);
    assert.deepEqual(snapshot(out), snapshot((await buildAt(root, later)).out));
  });

  it('says when time next changes the site: the next future post or event end', async () => {
    assert.deepEqual((await buildAt(FIXTURE, NOW)).nextChange, new Date('2026-06-09T00:00:00Z'), 'the June announcement\'s own date comes first');
    assert.deepEqual((await buildAt(FIXTURE, new Date('2026-06-09T12:00:00Z'))).nextChange, new Date('2026-06-09T19:30:00Z'), '21:30 in Berlin');
    assert.equal((await buildAt(FIXTURE, new Date('2027-01-01T00:00:00Z'))).nextChange, undefined);
    // With --future a post is built whatever its date, but an event's post still changes on its date: its sitemap lastmod.
    const root = writeSite({ 'posts/2026-06-20-party.md': post(['title: Party', 'event:', '  date: 2026-06-10 18:00']) });
    assert.deepEqual((await buildAt(root, NOW, { future: true })).nextChange, new Date('2026-06-10T21:00:00Z'), 'the event ends first');
    const { out, nextChange } = await buildAt(root, new Date('2026-06-11T00:00:00Z'), { future: true });
    assert.deepEqual(nextChange, new Date('2026-06-20T00:00:00Z'), "then the post's own date");
    assert.doesNotMatch(read(out, 'sitemap.xml'), /party\/<\/loc>\s*<lastmod>/, 'no lastmod while its date is ahead');
  });

  it('watch builds again when an upcoming event ends or a future post falls due, with no file saved', async () => {
    // Clock times without a zone are taken as UTC's, so these are seconds from now.
    const at = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 19).replace('T', ' ');
    const root = writeSite({
      'posts/2020-01-01-old.md': post(['title: Old recap']),
      'posts/2020-01-02-tonight.md': post(['title: Tonight', 'event:', `  date: ${at(-3_600_000)}`, `  end: ${at(6_000)}`]),
      'posts/2020-01-03-soon.md': post(['title: Soon', `date: ${at(8_000)}`]),
    });
    const out = path.join(tempDir(), 'public');
    const reports: RebuildReport[] = [];
    const watcher = watchSite(root, { outDir: out, cache: false }, (report) => reports.push(report));
    try {
      await watcher.ready;
      assert.match(upcomingBlock(out), /^Next meetup Tonight/);
      assert.deepEqual(cardTitles(out), ['Old recap']);
      const until = async (done: () => boolean) => {
        for (let waited = 0; !done(); waited += 100) {
          if (waited > 30_000) assert.fail(`no timed rebuild: ${JSON.stringify(reports.map((r) => ({ due: r.due, changed: r.changed, errors: r.errors?.map((e) => e.format()) })))}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      // Both timed rebuilds, then the search index that follows the last one once rebuilds pause.
      await until(() => reports.filter((report) => report.due).length >= 2 && reports.slice(reports.map((report) => Boolean(report.due)).lastIndexOf(true) + 1).some((report) => report.search));
      const timed = reports.filter((report) => report.due);
      assert.ok(timed.every((report) => report.result && report.changed.length === 0));
      assert.equal(upcomingBlock(out), '');
      assert.deepEqual(cardTitles(out), ['Soon', 'Tonight', 'Old recap']);
      assert.deepEqual(snapshot(out), snapshot((await buildAt(root, new Date())).out));
    } finally {
      await watcher.close();
    }
  });

  it('waits for an instant weeks away in steps setTimeout can hold, and fires once, just after it', () => {
    let now = 0;
    interface Timer {
      fire: () => void;
      at: number;
      ms: number;
    }
    const timers: Timer[] = [];
    const clock: TimerClock = {
      now: () => now,
      setTimeout: (fire, ms) => {
        const timer = { fire, at: now + ms, ms };
        timers.push(timer);
        return timer;
      },
      clearTimeout: (handle) => {
        (handle as Timer).fire = () => {};
      },
    };
    // Fires the timers in their order, moving the clock to each.
    const run = () => {
      while (timers.length > 0) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        now = next.at;
        next.fire();
      }
    };
    const fortyDays = 40 * 86_400_000;
    const fired: number[] = [];
    atInstant(fortyDays, () => fired.push(now), clock);
    assert.equal(timers[0].ms, MAX_TIMER_MS);
    run();
    assert.equal(fired.length, 1);
    assert.ok(fired[0] > fortyDays && fired[0] - fortyDays < 1000, `fired at ${fired[0]}`);
    // Cancelled before it is due: never.
    const cancelled: number[] = [];
    now = 0;
    atInstant(1000, () => cancelled.push(now), clock).cancel();
    run();
    assert.deepEqual(cancelled, []);
  });
});

/** Every file of an output folder but its marker, by content. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    listTree(dir)
      .filter((file) => file !== '.recap-built')
      .map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]),
  );
}
