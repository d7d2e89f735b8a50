import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { loadConfig } from '../src/pipeline/config.js';
import { startServer, type SiteServer } from '../src/dev/serve.js';
import { createTemplateEnvironment } from '../src/theme/environment.js';
import { nunjucksBodies, recapDialect } from '../src/pipeline/recap-dialect.js';
import { buildInto, copySite, FIXTURES, listTree, parsePost, REPO, tempDir } from './helpers.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'url', 'category', 'link'].includes(name) });

/** Parses XML after checking it is well-formed; fails with the parser's message otherwise. */
function parseXml(text: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const valid = XMLValidator.validate(text);
  assert.equal(valid, true, `well-formed XML: ${JSON.stringify(valid)}`);
  assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i, 'no unescaped &');
  return xml.parse(text);
}

function recap(args: string[], cwd = REPO) {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin/recap.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the Atom feed', () => {
  it('is valid Atom with absolute URLs, tags, summary and full content, newest first, no drafts', async () => {
    const out = await buildInto(path.join(FIXTURES, 'base-path'));
    const feed = parseXml(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8')).feed;
    assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
    for (const required of ['id', 'title', 'updated', 'author']) assert.ok(feed[required], `feed has <${required}>`);
    assert.equal(feed.id, 'https://example.org/blog/feed.xml');
    assert.deepEqual(feed.link.map((l: Record<string, string>) => [l['@rel'], l['@href']]), [
      ['self', 'https://example.org/blog/feed.xml'],
      ['alternate', 'https://example.org/blog/'],
    ]);
    const [entry] = feed.entry;
    for (const required of ['id', 'title', 'updated', 'published', 'link', 'content', 'summary']) assert.ok(entry[required], `entry has <${required}>`);
    assert.equal(entry.id, 'https://example.org/blog/2019/Cloud-Night.html');
    assert.deepEqual(entry.category.map((c: Record<string, string>) => c['@term']), ['Service Mesh', 'Café Talks']);
    assert.equal(entry.summary['#text'], 'See the tags and https://example.org/blog/.');
    const content: string = entry.content['#text'];
    assert.match(content, /<img src="https:\/\/example\.org\/blog\/images\/night\.jpg" alt="The room">/, 'relative links made absolute');
    assert.match(content, /srcset="https:\/\/example\.org\/blog\/images\/raw\.png 1x, https:\/\/example\.org\/blog\/images\/raw@2x\.png 2x"/);
    assert.doesNotMatch(content, /(href|src)="\//, 'no site-relative link left');
  });

  it('lists at most feedLimit posts, newest first, and leaves out drafts', async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.appendFileSync(path.join(root, 'recap.config.yml'), 'feedLimit: 3\nurl: https://fixture.example\n');
    const out = await buildInto(root, { drafts: true });
    const entries = parseXml(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8')).feed.entry;
    assert.deepEqual(entries.map((e: Record<string, string>) => e.id), [
      'https://fixture.example/2023/07/08/undated-with-key/',
      'https://fixture.example/special/2021/custom-permalink/',
      'https://fixture.example/2020/05/01/literal-braces/',
    ]);
    assert.ok(fs.existsSync(path.join(out, '2022/04/06/a-draft/index.html')), 'the draft is built with --drafts');
    assert.doesNotMatch(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8'), /a-draft/);
    assert.doesNotMatch(fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8'), /a-draft/);
  });

  it('has a feed per tag, linked from the tag page', async () => {
    const out = await buildInto(path.join(FIXTURES, 'default-theme'));
    const tagFeed = parseXml(fs.readFileSync(path.join(out, 'tags/photos/feed.xml'), 'utf8')).feed;
    assert.equal(tagFeed.title['#text'], 'Harbourside Meetup: Photos');
    assert.deepEqual(tagFeed.entry.map((e: Record<string, string>) => e.id), ['https://meetup.example.org/2019/04/03/april/', 'https://meetup.example.org/2019/03/06/march/']);
    const tagPage = fs.readFileSync(path.join(out, 'tags/photos/index.html'), 'utf8');
    assert.match(tagPage, /<link rel="alternate" type="application\/atom\+xml" title="Harbourside Meetup: Photos" href="\/tags\/photos\/feed\.xml">/);
  });

  it('escapes hostile front matter in every page, feed and sitemap, and never runs it as a template', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'url: https://hostile.example\n');
    const title = `<script>alert("x")</script> & ]]> {{ 7 * 7 }} '</title>`;
    fs.writeFileSync(
      path.join(root, 'posts/2019-03-06-hostile.md'),
      `---\ntitle: ${JSON.stringify(title)}\ndescription: "a & b <i>"\ntags: ["<b>", "R&D"]\nlocation: "</script><script>alert(1)</script>"\n---\nBody.\n`,
    );
    const out = await buildInto(root);
    const feed = parseXml(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8')).feed;
    assert.equal(feed.entry[0].title['#text'], title, 'the title survives the round trip exactly');
    parseXml(fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8'));
    for (const file of listTree(out).filter((f) => f.endsWith('.html'))) {
      const html = fs.readFileSync(path.join(out, file), 'utf8');
      assert.doesNotMatch(html, /<script>alert|<\/title>'|49/, file);
      const scripts = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => m[1]);
      for (const json of scripts) assert.doesNotThrow(() => JSON.parse(json), `${file}: JSON-LD parses`);
    }
  });
});

describe('redirect targets', () => {
  it('are escaped for attributes and for the script', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    fs.writeFileSync(path.join(root, 'posts/2019-03-06-away.md'), `---\ntitle: Away\nredirect_to: 'https://example.org/"><script>alert(1)</script>'\nredirect_from: /old/\n---\n`);
    const out = await buildInto(root);
    for (const file of ['2019/03/06/away/index.html', 'old/index.html']) {
      const html = fs.readFileSync(path.join(out, file), 'utf8');
      assert.doesNotMatch(html, /<script>alert/, file);
      assert.match(html, /<link rel="canonical" href="https:\/\/example\.org\/&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;">/, file);
      assert.match(html, /location\.replace\("https:\/\/example\.org\/\\"\\u003e\\u003cscript\\u003ealert\(1\)\\u003c\/script\\u003e"\);/, file);
    }
  });
});

describe('the sitemap and robots.txt', () => {
  it('lists every post, page, index and tag page with absolute URLs and lastmod, never redirects or 404', async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.appendFileSync(path.join(root, 'recap.config.yml'), 'url: https://fixture.example\n');
    const out = await buildInto(root);
    const urls: { loc: string; lastmod?: string }[] = parseXml(fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8')).urlset.url;
    const locs = urls.map((u) => u.loc);
    assert.ok(locs.includes('https://fixture.example/2019/03/06/March-Meetup/'));
    assert.ok(locs.includes('https://fixture.example/conduct/'), 'pages');
    assert.ok(locs.includes('https://fixture.example/page/2/') && locs.includes('https://fixture.example/tags/photos/'));
    assert.ok(!locs.some((l) => /March-Meetup\/$|old\/|moved|404/.test(l.replace('/2019/03/06/March-Meetup/', ''))), 'no redirect pages or 404');
    assert.equal(urls.find((u) => u.loc.endsWith('/2019/03/06/March-Meetup/'))?.lastmod, '2019-03-06T00:00:00Z');
    assert.equal(fs.readFileSync(path.join(out, 'robots.txt'), 'utf8'), 'User-agent: *\nAllow: /\n\nSitemap: https://fixture.example/sitemap.xml\n');
  });

  it("keeps the site's own static/robots.txt", async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.writeFileSync(path.join(root, 'static/robots.txt'), 'User-agent: *\nDisallow: /private/\n');
    const out = await buildInto(root);
    assert.equal(fs.readFileSync(path.join(out, 'robots.txt'), 'utf8'), 'User-agent: *\nDisallow: /private/\n');
  });
});

describe('social and search metadata in the default theme', () => {
  it('gives a post OpenGraph, Twitter card and a BlogPosting about an Event', async () => {
    const out = await buildInto(path.join(FIXTURES, 'default-theme'));
    const html = fs.readFileSync(path.join(out, '2019/03/06/march/index.html'), 'utf8');
    const meta = (attribute: string, name: string) => new RegExp(`<meta ${attribute}="${name}" content="([^"]*)">`).exec(html)?.[1];
    assert.equal(meta('property', 'og:title'), 'March: &quot;Operators&quot; night');
    assert.equal(meta('property', 'og:url'), 'https://meetup.example.org/2019/03/06/march/');
    assert.equal(meta('property', 'og:image'), 'https://meetup.example.org/images/march.jpg');
    assert.equal(meta('property', 'og:type'), 'article');
    assert.equal(meta('property', 'article:published_time'), '2019-03-06T00:00:00.000Z');
    assert.deepEqual([...html.matchAll(/<meta property="article:tag" content="([^"]*)">/g)].map((m) => m[1]), ['Photos', 'Video', '2019']);
    assert.equal(meta('name', 'twitter:card'), 'summary_large_image');
    assert.equal(meta('name', 'description'), 'Two talks on operators.');
    assert.match(html, /<link rel="canonical" href="https:\/\/meetup\.example\.org\/2019\/03\/06\/march\/">/);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]);
    assert.equal(ld['@type'], 'BlogPosting');
    assert.equal(ld.headline, 'March: "Operators" night');
    assert.deepEqual(ld.about, {
      '@type': 'Event',
      name: 'March: "Operators" night',
      startDate: '2019-03-06T00:00:00.000Z',
      location: { '@type': 'Place', name: 'Dockside Hub, Harbour City', address: 'Dockside Hub, Harbour City' },
    });
    const may = fs.readFileSync(path.join(out, '2019/05/01/may/index.html'), 'utf8');
    assert.match(may, /<meta name="twitter:card" content="summary">/, 'no image: a plain summary card');
    assert.match(may, /<meta name="description" content="No tags, no image\.">/, 'no description: the excerpt');
    assert.doesNotMatch(may, /"about"/, 'no location: no Event');
  });
});

describe('excerpts', () => {
  const config = loadConfig(tempDir(), { now: new Date('2024-01-01') });
  const context = { config, dialect: recapDialect(config), bodyEngine: nunjucksBodies(config, createTemplateEnvironment(config)) };
  const excerpt = (text: string) => parsePost({ path: 'posts/2019-01-01-x.md', text }, context).excerpt;

  it('is front matter excerpt, else the first paragraph with text, cut at a word boundary', () => {
    assert.equal(excerpt('---\ntitle: t\nexcerpt: Given.\n---\nFirst.'), 'Given.');
    assert.equal(excerpt('---\ntitle: t\n---\n![cover](/a.jpg)\n\n# Heading\n\nThe *first* real [paragraph](/x).\n\nSecond.'), 'The first real paragraph.');
    const long = excerpt(`---\ntitle: t\n---\n${'word '.repeat(100)}`);
    assert.ok(long.length <= 200 && long.endsWith('word…'), long);
  });
});

describe('drafts', () => {
  it('builds posts/_drafts/ only with --drafts, dated by the file time, with a draft badge', async () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    fs.mkdirSync(path.join(root, 'posts/_drafts'));
    const draft = path.join(root, 'posts/_drafts/june-ideas.md');
    fs.writeFileSync(draft, '---\ntitle: June ideas\n---\nNot yet.\n');
    fs.utimesSync(draft, new Date('2019-06-02T10:00:00Z'), new Date('2019-06-02T10:00:00Z'));
    const without = await buildInto(root);
    assert.ok(!listTree(without).some((f) => f.includes('june-ideas')));
    const withDrafts = await buildInto(root, { drafts: true });
    const page = fs.readFileSync(path.join(withDrafts, '2019/06/02/june-ideas/index.html'), 'utf8');
    assert.match(page, /<span class="badge">draft<\/span>/);
    assert.match(fs.readFileSync(path.join(withDrafts, 'index.html'), 'utf8'), /June ideas<\/a> <span class="badge">draft<\/span>/);
  });
});

describe('recap new', () => {
  it('writes a draft with every key the theme reads, which serve shows and build leaves out; never overwrites', async () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    const created = recap(['new', 'Cloud Native London, May 2026', '--date', '2026-05-14', '--tags', 'Meetup,Video', '--root', root]);
    assert.equal(created.code, 0, created.stderr);
    const file = path.join(root, 'posts/2026-05-14-cloud-native-london-may-2026.md');
    assert.equal(path.resolve(created.stdout.trim()), file);
    assert.match(created.stderr, /It is a draft: "recap serve" shows it, "recap build" leaves it out/);
    const text = fs.readFileSync(file, 'utf8');
    const frontMatter = text.split('\n---\n')[0];
    for (const key of ['layout: post', 'title: "Cloud Native London, May 2026"', 'description: ""', 'image: ""', 'image_alt: ""', 'tags: ["Meetup", "Video", "2026"]', 'location: ""', 'video: ""', 'slides: ""', '# redirect_from: ', 'draft: true']) {
      assert.ok(frontMatter.split('\n').some((line) => line.startsWith(key)), `${key} in\n${frontMatter}`);
    }
    assert.doesNotMatch(text, /https?:\/\//, 'no made-up link that a careless publish would put online');
    // build leaves the draft out (and says so); --drafts, as serve builds, has it with its badge.
    const built = recap(['build', '--future', '--root', root, '--out', path.join(root, 'out')]);
    assert.match(built.stdout, /; 1 draft left out \(--drafts builds it\)\n$/);
    assert.ok(!listTree(path.join(root, 'out')).some((f) => f.includes('cloud-native-london')));
    const withDrafts = await buildInto(root, { future: true, drafts: true });
    assert.match(fs.readFileSync(path.join(withDrafts, '2026/05/14/cloud-native-london-may-2026/index.html'), 'utf8'), /<span class="badge">draft<\/span>/);
    fs.writeFileSync(file, text + '\nMy own words.\n');
    const again = recap(['new', 'Cloud Native London, May 2026', '--date', '2026-05-14', '--root', root]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; recap new never overwrites/);
    assert.match(fs.readFileSync(file, 'utf8'), /My own words\./);
  });

  it('writes talks:, sponsors: and event: commented out, so a draft has no made-up talk; uncommented and filled in, they are the post\'s talks and meetup', async () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    const created = recap(['new', 'Talks night', '--date', '2024-01-10', '--publish', '--root', root]);
    assert.equal(created.code, 0, created.stderr);
    const file = path.join(root, 'posts/2024-01-10-talks-night.md');
    const text = fs.readFileSync(file, 'utf8');
    const skeleton = text.split('\n').filter((line) => /^# (talks|sponsors|event):|^#   /.test(line));
    assert.deepEqual(
      skeleton.map((line) => line.replace(/\s+#.*$/, '')),
      [
        ...['# talks:', '#   - title: ""', '#     speaker: ""', '#     company: ""', '#     slides: ""', '#     video: ""', '#     start: ""', '#     description: ""'],
        ...['# sponsors:', '#   - name: ""', '#     url: ""', '#     logo: ""'],
        ...['# event:', '#   date: 2024-01-10 18:30', '#   end: "21:30"', '#   venue: ""', '#   address: ""', '#   rsvp: ""', '#   online: ""'],
      ],
    );
    const asBuilt = await buildInto(root);
    assert.ok(!listTree(asBuilt).some((f) => f.startsWith('speakers/') || f.startsWith('sponsors/')), 'as written, no talks and no sponsors');
    // Uncommented as the comment says, the title and names filled in: the post has its talk and its sponsor.
    const filled = text
      .split('\n')
      .map((line) => (skeleton.includes(line) ? line.replace(/^# ?/, '') : line))
      .join('\n')
      .replace('- title: ""', '- title: "Operators in practice"')
      .replace('speaker: ""', 'speaker: Ana Lima')
      .replace('- name: ""', '- name: Acme');
    fs.writeFileSync(file, filled);
    const out = await buildInto(root);
    assert.ok(listTree(out).includes('speakers/ana-lima/index.html') && listTree(out).includes('sponsors/index.html'), listTree(out).join('\n'));
    const html = fs.readFileSync(path.join(out, '2024/01/10/talks-night/index.html'), 'utf8');
    assert.match(html, /<h3 class="talk-title">Operators in practice<\/h3>/);
    assert.match(html, /This meetup took place on Wednesday 10 January 2024\./, 'the event as written, past');
    assert.match(fs.readFileSync(path.join(out, 'events.ics'), 'utf8'), /DTSTART:20240110T183000\r\n/);
  });

  it('--publish writes a post the next build publishes', async () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    const created = recap(['new', 'Published night', '--date', '2026-05-14', '--publish', '--root', root]);
    assert.equal(created.code, 0, created.stderr);
    assert.doesNotMatch(fs.readFileSync(path.join(root, 'posts/2026-05-14-published-night.md'), 'utf8'), /draft/);
    assert.ok(fs.existsSync(path.join(await buildInto(root, { future: true }), '2026/05/14/published-night/index.html')));
  });

  it("uses the site's own outline, templates/new-post.md or archetypes/post.md, with draft: true added", () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    fs.mkdirSync(path.join(root, 'archetypes'));
    fs.writeFileSync(path.join(root, 'archetypes/post.md'), '---\ntitle: {{ title | yaml }}\ntags: {{ tags | yaml }}\nsponsor: Our host\n---\n\nRecap of {{ date }} ({{ year }}), {{ slug }}.\n');
    assert.equal(recap(['new', 'Night: "one"', '--date', '2026-05-14', '--root', root]).code, 0);
    assert.equal(
      fs.readFileSync(path.join(root, 'posts/2026-05-14-night-one.md'), 'utf8'),
      '---\ntitle: "Night: \\"one\\""\ntags: ["2026"]\nsponsor: Our host\ndraft: true\n---\n\nRecap of 2026-05-14 (2026), night-one.\n',
    );
    // templates/new-post.md comes first; an outline that says draft: itself is followed.
    fs.mkdirSync(path.join(root, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(root, 'templates/new-post.md'), '---\ntitle: {{ title | yaml }}\ndraft: {{ draft }}\n---\nOur outline\n');
    assert.equal(recap(['new', 'Second', '--date', '2026-05-15', '--root', root]).code, 0);
    assert.equal(fs.readFileSync(path.join(root, 'posts/2026-05-15-second.md'), 'utf8'), '---\ntitle: "Second"\ndraft: true\n---\nOur outline\n');
    assert.equal(recap(['new', 'Third', '--date', '2026-05-16', '--publish', '--root', root]).code, 0);
    assert.equal(fs.readFileSync(path.join(root, 'posts/2026-05-16-third.md'), 'utf8'), '---\ntitle: "Third"\ndraft: false\n---\nOur outline\n');
    // An outline that cannot be filled in, or gives front matter recap cannot read, is named; nothing is written.
    fs.writeFileSync(path.join(root, 'templates/new-post.md'), '---\ntitle: {{ titel }}\n---\n');
    const unknown = recap(['new', 'Fourth', '--date', '2026-05-17', '--root', root]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error templates\/new-post\.md:2: could not be filled in: attempted to output null or undefined value; an outline may use \{\{ title \}\}/m);
    fs.writeFileSync(path.join(root, 'templates/new-post.md'), '---\ntitle: {{ title }}\ntags: [x\n---\n');
    const broken = recap(['new', 'Fifth', '--date', '2026-05-17', '--root', root]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /^error templates\/new-post\.md:\d+(:\d+)?: invalid YAML/m);
    assert.ok(!fs.existsSync(path.join(root, 'posts/2026-05-17-fourth.md')) && !fs.existsSync(path.join(root, 'posts/2026-05-17-fifth.md')));
  });

  it("fills in a site's outline as a guarded template: no way to the runtime or to files, bounded in time, read only from the site", () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    fs.mkdirSync(path.join(root, 'templates'), { recursive: true });
    const outline = path.join(root, 'templates/new-post.md');
    const attempt = (text: string | undefined, title: string) => {
      if (text !== undefined) fs.writeFileSync(outline, text);
      const result = recap(['new', title, '--date', '2026-06-01', '--root', root]);
      assert.equal(result.code, 1, `${title}: ${result.stdout}${result.stderr}`);
      assert.ok(!listTree(path.join(root, 'posts')).some((file) => file.includes(title.toLowerCase())), `${title} wrote no post`);
      return result.stderr;
    };
    // Nunjucks is no sandbox: a member lookup of constructor would reach Function and run code.
    assert.match(attempt('---\ntitle: x\n---\n{{ range.constructor("return process.pid")() }}\n', 'Climb'), /^error templates\/new-post\.md:\d+: could not be filled in: Unable to call/m);
    assert.match(attempt('---\ntitle: x\n---\n{% include "/etc/passwd" %}\n', 'Include'), /could not be filled in: .*template not found: \/etc\/passwd/);
    assert.match(attempt('---\ntitle: x\n---\n{% import "/etc/passwd" as p %}\n', 'Import'), /template not found: \/etc\/passwd/);
    assert.match(attempt('---\ntitle: x\n---\n{% for i in range(0, 1000000000) %}{% endfor %}\n', 'Range'), /range\(0, 1000000000\) would make more than 100,000 numbers/);
    const started = Date.now();
    assert.match(
      attempt('---\ntitle: x\n---\n{% for i in range(0, 100000) %}{% for j in range(0, 100000) %}{% endfor %}{% endfor %}\n', 'Loop'),
      /^error templates\/new-post\.md: could not be filled in: it took longer than 5 s/m,
    );
    assert.ok(Date.now() - started < 20_000, 'stopped in seconds, not minutes');
    // A link out of the site (a secret, a device that never ends) is not read; nor is a folder or a pipe.
    fs.rmSync(outline);
    fs.symlinkSync('/dev/zero', outline);
    assert.match(attempt(undefined, 'Zero'), /^error templates\/new-post\.md: is a symbolic link to \/dev\/zero, outside the site/m);
    fs.rmSync(outline);
    fs.mkdirSync(outline);
    assert.match(attempt(undefined, 'Folder'), /^error templates\/new-post\.md: is not a file/m);
    fs.rmSync(outline, { recursive: true });
    // Saved by an editor with a BOM and CRLF line ends, it is read as a post is.
    fs.writeFileSync(outline, '\ufeff---\r\ntitle: {{ title | yaml }}\r\n---\r\nOur outline\r\n');
    assert.equal(recap(['new', 'Windows', '--date', '2026-06-01', '--root', root]).code, 0);
    assert.equal(fs.readFileSync(path.join(root, 'posts/2026-06-01-windows.md'), 'utf8'), '---\ntitle: "Windows"\ndraft: true\n---\nOur outline\n');
  });

  it('exits 2 on bad usage, an impossible date included', () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    for (const args of [[], ['a', 'b'], ['site', 'my-meetup'], ['x', '--publish', '--draft'], ['x', '--dates', '2026-01-01']]) {
      const result = recap(['new', ...args, '--root', root]);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Run "recap new --help"/);
    }
    assert.match(recap(['new', 'site', 'x', '--root', root]).stderr, /a new site is "recap init DIR"/);
    for (const date of ['2026-02-30', '2026-5-1', 'tomorrow', '0019-01-01']) {
      const result = recap(['new', 'Bad date', '--date', date, '--root', root]);
      assert.equal(result.code, 2, date);
      assert.equal(result.stderr, `recap: --date must be a calendar date like 2026-05-14, not "${date}"\nRun "recap new --help" for its options.\n`);
    }
    assert.equal(listTree(path.join(root, 'posts')).filter((f) => f.includes('bad-date')).length, 0);
  });
});

describe('pages and the 404 page', () => {
  it('collide with posts like any output, naming both', async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.writeFileSync(path.join(root, 'pages/clash.md'), '---\ntitle: Clash\npermalink: /2019/03/06/March-Meetup/\n---\n');
    const result = recap(['build', '--root', root, '--out', path.join(tempDir(), 'out')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error pages\/clash\.md: the output file 2019\/03\/06\/March-Meetup\/index\.html would be written twice: by posts\/2019-03-06-March-Meetup\.md \(the site permalink\) and by pages\/clash\.md \(its permalink\)/);
  });

  it("are in site.pages by nav_order, and static/404.html replaces the theme's", async () => {
    const out = await buildInto(path.join(FIXTURES, 'basic'));
    assert.match(fs.readFileSync(path.join(out, 'about/index.html'), 'utf8'), /<nav><a href="\/conduct\/">Code of Conduct<\/a> <a href="\/about\/">About<\/a> <\/nav>/);
    assert.match(fs.readFileSync(path.join(out, '404.html'), 'utf8'), /<h1>Not found<\/h1>/);
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.writeFileSync(path.join(root, 'static/404.html'), 'own 404');
    assert.equal(fs.readFileSync(path.join(await buildInto(root), '404.html'), 'utf8'), 'own 404');
  });
});

describe('recap check', () => {
  it('reports missing files and anchors grouped by source, and exits 1', async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.writeFileSync(
      path.join(root, 'posts/2019-04-01-links.md'),
      '---\ntitle: Links\n---\n[ok](/conduct/) [gone](/nowhere/) [anchor](/about/#team) ![img](/images/missing.png) [self](#intro) [ext](https://example.org/x)\n',
    );
    const out = path.join(tempDir(), 'public');
    assert.equal(recap(['build', '--root', root, '--out', out]).code, 0);
    const result = recap(['check', '--root', root, '--out', out]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      [
        'posts/2019-04-01-links.md',
        '  2019/04/01/links/index.html: /nowhere/ points at no file',
        '  2019/04/01/links/index.html: /about/#team has no element with id "team" on about/index.html',
        '  2019/04/01/links/index.html: /images/missing.png points at no file',
        '  2019/04/01/links/index.html: #intro has no element with id "intro" on 2019/04/01/links/index.html',
        'Found 4 broken links on 1 page.',
        '',
      ].join('\n'),
    );
    // With its url set: without one, its 404 page's canonical link is a path, which check reports (test/check.test.ts).
    const clean = copySite(path.join(FIXTURES, 'drafts-future'));
    fs.writeFileSync(path.join(clean, 'recap.config.yml'), 'url: https://fixture.example.org\n');
    const ok = recap(['build', '--check', '--root', clean, '--out', path.join(tempDir(), 'public')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Checked links: nothing broken\./);
  });
});

describe('a site hosted under a subfolder', () => {
  let server: SiteServer;
  let out: string;
  before(async () => {
    out = await buildInto(path.join(FIXTURES, 'base-path'));
    server = await startServer({ outDir: out, basePath: '/blog/', host: '127.0.0.1', port: 0, liveReload: false });
  });
  after(() => server.close());

  /** GET over HTTP, following redirects (at most 5), returning the final status. */
  function status(url: string, hops = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      http
        .get(url, (res) => {
          res.resume();
          const location = res.headers.location;
          if (location && res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && hops < 5) {
            resolve(status(new URL(location, url).href, hops + 1));
          } else {
            resolve(res.statusCode ?? 0);
          }
        })
        .on('error', reject);
    });
  }

  it('serves every page under /blog/, and every internal link on every page resolves', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const pages = listTree(out).filter((f) => f.endsWith('.html'));
    let checked = 0;
    for (const file of pages) {
      const pageUrl = `${origin}/blog/${file.replace(/(^|\/)index\.html$/, '$1')}`;
      assert.equal(await status(pageUrl), 200, pageUrl);
      const html = fs.readFileSync(path.join(out, file), 'utf8');
      for (const match of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
        const link = match[1].replace('https://example.org', origin);
        if (/^[a-z]+:/i.test(link) && !link.startsWith(origin)) continue;
        const target = new URL(link, pageUrl);
        assert.ok(target.pathname.startsWith('/blog/'), `${file}: ${match[1]} stays under /blog/`);
        assert.equal(await status(target.href.replace(/#.*$/, '')), 200, `${file}: ${match[1]}`);
        checked++;
      }
    }
    assert.ok(checked > 20, `checked ${checked} links`);
  });
});

describe('recap serve and drafts', () => {
  /** Starts `recap serve` on a free port and returns its URL and a stop function. */
  async function serve(args: string[]): Promise<{ url: string; stop: () => void }> {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.join(REPO, 'bin/recap.js'), 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const found = /Serving at (\S+)/.exec(output)?.[1];
        if (found) resolve(found);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
    });
    return { url, stop: () => child.kill('SIGINT') };
  }
  const statusOf = (url: string) => new Promise<number>((resolve, reject) => http.get(url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));

  it('shows drafts by default, and not with --no-drafts', async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    const withDrafts = await serve(['--root', root]);
    try {
      assert.equal(await statusOf(`${withDrafts.url}2022/04/06/a-draft/`), 200);
    } finally {
      withDrafts.stop();
    }
    const root2 = copySite(path.join(FIXTURES, 'basic'));
    const noDrafts = await serve(['--root', root2, '--no-drafts']);
    try {
      assert.equal(await statusOf(`${noDrafts.url}2022/04/06/a-draft/`), 404);
    } finally {
      noDrafts.stop();
    }
  });
});
