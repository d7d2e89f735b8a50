import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { build, type BuildState, type Changes } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { random } from '../bench/corpus.js';
import { copySite, FIXTURES, listTree, tempDir, writeSite } from './helpers.js';

interface PostModel {
  title: string;
  tags: string[];
  redirects: string[];
  draft: boolean;
  body: string;
  broken: boolean;
  /** The post's own language (its page, its card, its feed entry follow it), or the site's. */
  language?: string;
  /** Its meetup: when it starts and ends, as front matter writes them; upcoming or past as the clock moves. */
  event?: { date: string; end?: string };
  /** Its talks (speakers' pages follow them) and sponsors (the sponsors page). */
  talks: { title: string; speakers: string[] }[];
  sponsors: string[];
}

const TAGS = ['Photos', 'photos', 'Video', '2019', 'Service Mesh', 'Kubernetes', 'GitOps'];
// One speaker in two cases, a Cyrillic name; and, rarely (an error until one goes), a name on another's slug (bo-chen).
const SPEAKERS = ['Ana Lima', 'ana lima', 'Олена Коваль', 'Bo Chen', 'Cy Diaz'];
const COLLIDING_SPEAKER = 'Bö Chen';
const SPONSORS = ['Acme', 'ACME', 'Globex', 'Київ Cloud'];
const NOW = new Date('2024-06-01T00:00:00Z');

function postText(model: PostModel): string {
  if (model.broken) return `---\ntitle: [${model.title}\n---\n${model.body}\n`;
  const lines = ['---', `title: ${JSON.stringify(model.title)}`, `tags: ${JSON.stringify(model.tags)}`];
  if (model.redirects.length) lines.push(`redirect_from: ${JSON.stringify(model.redirects)}`);
  if (model.draft) lines.push('draft: true');
  if (model.language) lines.push(`language: ${model.language}`);
  if (model.event) lines.push(`event: {date: ${model.event.date}${model.event.end ? `, end: "${model.event.end}"` : ''}, venue: Hall, rsvp: /rsvp/}`);
  if (model.talks.length) lines.push('talks:', ...model.talks.flatMap((talk) => [`  - title: ${JSON.stringify(talk.title)}`, `    speaker: ${JSON.stringify(talk.speakers)}`]));
  if (model.sponsors.length) lines.push(`sponsors: ${JSON.stringify(model.sponsors)}`);
  return [...lines, '---', model.body, ''].join('\n');
}

/** An operation of a property test: one random post's model changed, and its file written again. */
function editing(posts: Map<string, PostModel>, pick: <T>(items: T[]) => T, write: (file: string) => void) {
  return (change: (model: PostModel) => void) => (): Changes => {
    const file = pick([...posts.keys()]);
    change(posts.get(file)!);
    write(file);
    return { posts: [file], templates: false, copies: false };
  };
}

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(listTree(dir).map((file) => [file, fs.readFileSync(path.join(dir, file))]));
}

function assertSameTree(actualDir: string, expectedDir: string, step: string): void {
  const actual = snapshot(actualDir);
  const expected = snapshot(expectedDir);
  assert.deepEqual([...actual.keys()], [...expected.keys()], `${step}: the same files`);
  for (const [file, bytes] of expected) {
    assert.ok(actual.get(file)?.equals(bytes), `${step}: ${file} is byte for byte the clean build's\n--- watch:\n${actual.get(file)}\n--- clean:\n${bytes}`);
  }
}

async function cleanBuild(root: string, outDir: string, now = NOW) {
  fs.rmSync(outDir, { recursive: true, force: true });
  return build(loadConfig(root, { now, outDir, cache: false }));
}

/** A clock time as front matter writes it: 2024-06-03 18:30. */
const clockText = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');

describe('incremental rebuilds', () => {
  it('after every edit in a long random sequence, equal a clean build of the same files (watch rebuilds, and new builds with the cache)', async () => {
    const seed = Number(process.env.SEED ?? 20261122);
    const steps = Number(process.env.STEPS ?? 100);
    const rand = random(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.rmSync(path.join(root, 'options.json'));
    // The theme's blocks of the next meetup, and a page that reads site.upcoming: events change them as the clock moves.
    fs.appendFileSync(path.join(root, 'templates/index.njk'), '{% include "partials/upcoming.njk" %}\n');
    fs.appendFileSync(path.join(root, 'templates/post.njk'), '{% include "partials/event.njk" %}\n');
    fs.appendFileSync(path.join(root, 'templates/tag.njk'), '<!-- {{ site.upcoming | length }} upcoming -->\n');
    // The fixture's post layout shows talks and sponsors as the default theme's does, and links the speakers.
    fs.appendFileSync(
      path.join(root, 'templates/post.njk'),
      '{% if talks.length %}{% include "partials/talks.njk" %}{% endif %}{% if sponsors.length %}{% include "partials/sponsors.njk" %}{% endif %}\n<a href="{{ site.speakersUrl }}">speakers</a>\n',
    );
    let now = NOW;
    const outDir = path.join(tempDir(), 'public');
    const cleanDir = path.join(tempDir(), 'public');
    // Built from scratch each step as a new `recap build` would, with the cache: unchanged pages are kept from its last output.
    const freshDir = path.join(tempDir(), 'public');
    const posts = new Map<string, PostModel>();
    let counter = 0;
    let keptSteps = 0;
    const newName = () => `posts/20${19 + Math.floor(rand() * 5)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}-recap-${++counter}.md`;
    const write = (file: string) => fs.writeFileSync(path.join(root, file), postText(posts.get(file)!));
    const edit = editing(posts, pick, write);
    const someTalks = () =>
      Array.from({ length: Math.floor(rand() * 3) }, (_, i) => ({ title: `Talk ${i} ${rand().toFixed(2)}`, speakers: [...SPEAKERS.filter(() => rand() < 0.25), ...(rand() < 0.02 ? [COLLIDING_SPEAKER] : [])] }));

    let outcome = await build(loadConfig(root, { now, outDir, cache: false }));
    assert.ok(outcome.ok);
    let state: BuildState = outcome.state!;
    let lastGood = snapshot(outDir);

    const operations: Record<string, () => Changes> = {
      create: () => {
        const file = newName();
        posts.set(file, { title: `Recap ${counter}`, tags: [pick(TAGS), pick(TAGS)], redirects: [], draft: false, body: `Talks ${counter}.`, broken: false, talks: someTalks(), sponsors: SPONSORS.filter(() => rand() < 0.3) });
        write(file);
        return { posts: [file], templates: false, copies: false };
      },
      editBody: edit((model) => {
        model.body += ` More ${rand().toFixed(3)}.`;
      }),
      retitle: edit((model) => {
        model.title = `Renamed ${rand().toFixed(3)}`;
      }),
      retag: edit((model) => {
        model.tags = TAGS.filter(() => rand() < 0.3);
      }),
      redirects: edit((model) => {
        model.redirects = model.redirects.length ? [] : [`/old/${Math.floor(rand() * 6)}/`];
      }),
      draft: edit((model) => {
        model.draft = !model.draft;
      }),
      rename: () => {
        const from = pick([...posts.keys()]);
        const to = newName();
        posts.set(to, posts.get(from)!);
        posts.delete(from);
        fs.renameSync(path.join(root, from), path.join(root, to));
        return { posts: [from, to], templates: false, copies: false };
      },
      remove: () => {
        const file = pick([...posts.keys()]);
        posts.delete(file);
        fs.rmSync(path.join(root, file));
        return { posts: [file], templates: false, copies: false };
      },
      breakOrFix: edit((model) => {
        model.broken = !model.broken;
      }),
      template: () => {
        const file = path.join(root, 'templates', pick(['post.njk', 'tag.njk', 'index.njk', 'partials/head.njk']));
        // Templates that read nothing else, the site listing, or other posts' bodies: each changes what a page depends on.
        const listing = pick([
          'no listing',
          '{{ site.posts | length }} posts, {{ site.tags | length }} tags',
          '{% for p in site.posts %}{{ p.content | length }} {% endfor %}',
          '{% if next %}{{ next.content | striptags | truncate(20) }}{% endif %}',
        ]);
        const text = fs.readFileSync(file, 'utf8').replace(/\n<!-- footer:.*-->\n?$/, '\n');
        fs.writeFileSync(file, `${text}<!-- footer: ${listing} -->\n`);
        return { posts: [], templates: true, copies: false };
      },
      relanguage: edit((model) => {
        model.language = pick([undefined, 'en', 'de', 'ar', 'ja']);
      }),
      // A post's talks or sponsors (or both): speakers' pages, the speakers index, the sponsors page and the header's link come and go.
      retalk: edit((model) => {
        const what = rand();
        if (what < 0.7) model.talks = someTalks();
        if (what > 0.4) model.sponsors = SPONSORS.filter(() => rand() < 0.4);
      }),
      // A page of the site at /sponsors/ moves the generated list to /sponsors/all/, and every post's link to it.
      sponsorsPage: () => {
        const file = 'pages/sponsors.md';
        if (fs.existsSync(path.join(root, file))) fs.rmSync(path.join(root, file));
        else fs.writeFileSync(path.join(root, file), '---\ntitle: Sponsor us\n---\nWrite to us.\n');
        return { posts: [file], templates: false, copies: false };
      },
      // The site's table of theme strings: the watcher loads the config again (see classifyChange).
      translate: () => {
        const table = path.join(root, 'i18n', 'en.yml');
        if (rand() < 0.3) fs.rmSync(table, { force: true });
        else {
          fs.mkdirSync(path.dirname(table), { recursive: true });
          fs.writeFileSync(table, `${pick(['older', 'newer', 'navRecaps', 'skipToContent'])}: Word ${Math.floor(rand() * 5)}\n`);
        }
        return { templates: true, copies: true };
      },
      // A meetup before or after the clock, with an end or the usual length; or none.
      event: edit((model) => {
        const start = new Date(now.getTime() + Math.floor((rand() * 50 - 10) * 24) * 3_600_000);
        model.event = rand() < 0.25 ? undefined : { date: clockText(start), end: rand() < 0.5 ? `${String(start.getUTCHours()).padStart(2, '0')}:59` : undefined };
      }),
      // Time passes, no file changes: events end, and future posts fall due.
      clock: () => {
        now = new Date(now.getTime() + Math.floor(rand() * 15 * 24) * 3_600_000);
        return { posts: [], templates: false, copies: false };
      },
      staticFile: () => {
        fs.writeFileSync(path.join(root, 'static', 'CNAME'), `recaps-${Math.floor(rand() * 100)}.example\n`);
        return { posts: [], templates: false, copies: true };
      },
    };
    const names = Object.keys(operations);

    for (let step = 1; step <= steps; step++) {
      const name = posts.size === 0 ? 'create' : pick(names);
      const changes = operations[name]();
      const label = `seed ${seed}, step ${step} (${name})`;
      outcome = await build(loadConfig(root, { now, outDir, cache: false }), { previous: state, changes });
      const clean = await cleanBuild(root, cleanDir, now);
      const fresh = await build(loadConfig(root, { now, outDir: freshDir }));
      assert.equal(outcome.ok, clean.ok, `${label}: incremental and clean builds agree on success`);
      assert.equal(fresh.ok, clean.ok, `${label}: a new build with the cache and a clean build agree on success`);
      if (fresh.ok) {
        assertSameTree(freshDir, cleanDir, `${label}, new build with the cache`);
        if (name === 'editBody') keptSteps += fresh.result.written.length < fresh.result.files / 2 ? 1 : 0;
      }
      if (outcome.ok) {
        assertSameTree(outDir, cleanDir, label);
        lastGood = snapshot(outDir);
      } else {
        assert.deepEqual(outcome.errors.map((e) => e.format()), clean.ok ? [] : clean.errors.map((e) => e.format()), `${label}: the same errors`);
        assert.deepEqual(snapshot(outDir), lastGood, `${label}: a failed rebuild leaves the output as it was`);
      }
      if (outcome.state) state = outcome.state;
    }
    assert.ok(keptSteps > 0, 'a new build after a body edit renders only the pages that show the body');
  });

  it('with events, as the clock moves: the next meetup, event pages, tag pages and events.ics equal a clean build after every step', async () => {
    const seed = Number(process.env.SEED ?? 20260609);
    const steps = Number(process.env.EVENT_STEPS ?? 50);
    const rand = random(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
    const hours = (n: number) => n * 3_600_000;
    // The default theme, three posts a page: the home page's block and its first page's cards both move.
    const root = writeSite({ 'recap.config.yml': 'title: Events\nurl: https://meetup.example.org\ntimezone: Europe/Berlin\npaginate: 3\n' });
    let now = new Date('2024-06-01T10:00:00Z');
    const outDir = path.join(tempDir(), 'public');
    const cleanDir = path.join(tempDir(), 'public');
    const freshDir = path.join(tempDir(), 'public');
    const posts = new Map<string, PostModel>();
    let counter = 0;
    fs.mkdirSync(path.join(root, 'posts'));
    const write = (file: string) => fs.writeFileSync(path.join(root, file), postText(posts.get(file)!));
    const edit = editing(posts, pick, write);
    // Meetups from two days ago to twelve days ahead, on the hour (the clock catches up with them); some with an end that evening.
    const someEvent = () => {
      const start = new Date(Math.floor(now.getTime() / hours(1)) * hours(1) + hours(Math.floor(rand() * 14 * 24) - 2 * 24));
      return { date: clockText(start), end: rand() < 0.5 ? `${String(start.getUTCHours()).padStart(2, '0')}:59` : undefined };
    };
    const created = (event: boolean): Changes => {
      // Posts dated around now: some in the future, built only when they have an event.
      const date = new Date(now.getTime() + hours(Math.floor(rand() * 30 * 24) - 20 * 24)).toISOString().slice(0, 10);
      const file = `posts/${date}-night-${++counter}.md`;
      posts.set(file, { title: `Night ${counter}`, tags: [pick(TAGS)], redirects: [], draft: false, body: `Talks ${counter}.`, broken: false, talks: [], sponsors: [], event: event ? someEvent() : undefined });
      write(file);
      return { posts: [file], templates: false, copies: false };
    };
    const operations: Record<string, () => Changes> = {
      create: () => created(rand() < 0.6),
      event: edit((model) => {
        model.event = rand() < 0.2 ? undefined : someEvent();
      }),
      clock: () => {
        now = new Date(now.getTime() + hours(Math.floor(rand() * 3 * 24)));
        return { posts: [], templates: false, copies: false };
      },
      editBody: edit((model) => {
        model.body += ` More ${rand().toFixed(3)}.`;
      }),
      // Time passes with no build until a save that changes a body only (the last plan is kept if it still holds).
      clockThenSave: () => {
        now = new Date(now.getTime() + hours(Math.floor(rand() * 3 * 24)));
        const file = pick([...posts.keys()]);
        // A paragraph after the first: the excerpt stays, so only the body changed.
        posts.get(file)!.body += `\n\nLater ${rand().toFixed(3)}.`;
        write(file);
        return { posts: [file], templates: false, copies: false };
      },
      retitle: edit((model) => {
        model.title = `Renamed ${rand().toFixed(3)}`;
      }),
      retag: edit((model) => {
        model.tags = TAGS.filter(() => rand() < 0.3);
      }),
      draft: edit((model) => {
        model.draft = !model.draft;
      }),
      remove: () => {
        const file = pick([...posts.keys()]);
        posts.delete(file);
        fs.rmSync(path.join(root, file));
        return { posts: [file], templates: false, copies: false };
      },
      // A standalone page with a meetup of its own.
      page: () => {
        const file = 'pages/hackathon.md';
        const event = rand() < 0.7 ? someEvent() : undefined;
        fs.mkdirSync(path.join(root, 'pages'), { recursive: true });
        fs.writeFileSync(path.join(root, file), `---\ntitle: Hackathon\n${event ? `event: {date: ${event.date}, venue: Library}\n` : ''}---\nHack.\n`);
        return { posts: [file], templates: false, copies: false };
      },
    };
    // Time and events twice as often as the rest.
    const names = [...Object.keys(operations), 'clock', 'clockThenSave', 'event'];
    let outcome = await build(loadConfig(root, { now, outDir, cache: false }));
    assert.ok(outcome.ok);
    let state: BuildState = outcome.state!;
    const seen = { upcoming: 0, ended: 0 };
    // How many events the home page announces.
    const announced = (dir: string) => (fs.readFileSync(path.join(dir, 'index.html'), 'utf8').match(/class="upcoming-event"/g) ?? []).length;
    for (let step = 1; step <= steps; step++) {
      const name = posts.size === 0 ? 'create' : pick(names);
      const upcomingBefore = announced(outDir);
      const changes = operations[name]();
      const label = `seed ${seed}, step ${step} (${name})`;
      outcome = await build(loadConfig(root, { now, outDir, cache: false }), { previous: state, changes });
      const clean = await cleanBuild(root, cleanDir, now);
      const fresh = await build(loadConfig(root, { now, outDir: freshDir }));
      assert.ok(outcome.ok && clean.ok && fresh.ok, `${label}: every build succeeds`);
      assertSameTree(outDir, cleanDir, label);
      assertSameTree(freshDir, cleanDir, `${label}, new build with the cache`);
      const upcomingNow = announced(outDir);
      if (upcomingNow > 0) seen.upcoming++;
      if (name.startsWith('clock') && upcomingNow < upcomingBefore) seen.ended++;
      if (outcome.state) state = outcome.state;
    }
    assert.ok(seen.upcoming > steps / 4, `the home page announced events in ${seen.upcoming} steps`);
    assert.ok(seen.ended > 0, 'the clock moved past the end of an upcoming event');
  });

  it('brings in a future post once it is due, even when the next save only changes a body', async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    const outDir = path.join(tempDir(), 'public');
    fs.writeFileSync(path.join(root, 'posts/2024-07-01-soon.md'), '---\ntitle: Soon\n---\nSoon.\n');
    const before = await build(loadConfig(root, { now: NOW, outDir, cache: false }));
    assert.ok(before.ok && !fs.existsSync(path.join(outDir, '2024/07/01/soon/index.html')));
    const file = 'posts/2020-01-15-service-mesh.markdown';
    fs.appendFileSync(path.join(root, file), '\nLater.\n');
    const later = new Date('2024-08-01T00:00:00Z');
    const after = await build(loadConfig(root, { now: later, outDir, cache: false }), { previous: before.state, changes: { posts: [file], templates: false, copies: false } });
    assert.ok(after.ok);
    const clean = path.join(tempDir(), 'public');
    await build(loadConfig(root, { now: later, outDir: clean, cache: false }));
    assertSameTree(outDir, clean, 'the due post');
    assert.ok(fs.existsSync(path.join(outDir, '2024/07/01/soon/index.html')));
  });

  it('writes only the files whose content changed', async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    const outDir = path.join(tempDir(), 'public');
    const config = loadConfig(root, { now: NOW, outDir, cache: false });
    const first = await build(config);
    assert.ok(first.ok);
    const before = snapshot(outDir);
    const file = 'posts/2020-01-15-service-mesh.markdown';
    fs.appendFileSync(path.join(root, file), '\nOne more line.\n');
    const second = await build(config, { previous: first.state, changes: { posts: [file], templates: false } });
    assert.ok(second.ok);
    assert.ok(second.result.written.includes('2020/01/15/service-mesh/index.html'));
    // Exactly the files whose bytes changed are written.
    const after = snapshot(outDir);
    // The marker (.recap-built) carries an id of the whole output: it changes with any file.
    const changed = [...after.keys()].filter((f) => f !== '.recap-built' && !before.get(f)?.equals(after.get(f)!));
    assert.deepEqual([...second.result.written].sort(), changed.sort());
    assert.ok(!changed.includes('2019/03/06/March-Meetup/index.html'), 'an unrelated post is not written');
    assert.deepEqual(second.result.removed, []);
  });

  it('a new build with the cache renders again the pages that read the site listing, once it changes', async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.rmSync(path.join(root, 'options.json'));
    const template = path.join(root, 'templates/post.njk');
    fs.appendFileSync(template, '<!-- {{ site.posts | length }} posts; newest: {{ site.posts[0].title }} -->\n');
    const outDir = path.join(tempDir(), 'public');
    const config = () => loadConfig(root, { now: NOW, outDir });
    assert.ok((await build(config())).ok);
    fs.writeFileSync(path.join(root, 'posts/2024-05-01-newest.md'), '---\ntitle: Newest\n---\nHello.\n');
    const second = await build(config());
    assert.ok(second.ok);
    const clean = path.join(tempDir(), 'public');
    await build(loadConfig(root, { now: NOW, outDir: clean, cache: false }));
    assertSameTree(outDir, clean, 'after a new post');
    assert.ok(second.result.written.includes('2019/03/06/March-Meetup/index.html'), 'an old post shows the new count');
    // Nothing changed since: no page is rendered again but what reads the whole site (the static files are copied again as always, and written only if they differ).
    const third = await build(config());
    assert.ok(third.ok);
    const rendered = third.result.written.filter((file) => /\.(html|xml|json|txt)$/.test(file));
    assert.ok(rendered.length < 3, `rendered again: ${rendered.join(', ')}`);
    assertSameTree(outDir, clean, 'a build with nothing changed');
  });
});
