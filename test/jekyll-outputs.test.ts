/**
 * A Jekyll site's feeds, sitemap, robots.txt, redirects.json and extensionless paths, as
 * jekyll-feed 0.17, jekyll-sitemap 1.4 and jekyll-redirect-from 0.16 write them. Every expected
 * value below was read from the same site built by real Jekyll 4.3.1 (`jekyll build`).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { startServer } from '../src/dev/serve.js';
import { checkLinks } from '../src/check/links.js';
import { migrate } from '../src/jekyll/migrate.js';
import { classifyChange } from '../src/dev/watch.js';
import { smartenText } from '../src/jekyll/typography.js';
import { buildInto, jekyllSite, listTree, tempDir } from './helpers.js';

const NOW = new Date('2026-01-01T12:00:00Z');


const post = (front: string, body = 'Body.') => `---\n${front}\n---\n${body}\n`;

/** The site built by Jekyll for the values below (/tmp/jk1 in the session that wrote this test). */
const BLOG_CONFIG = `title: "Tom's \\"Meetup\\" & more"
description: "Recaps <of> talks"
url: https://example.com
baseurl: /blog
author:
  name: Ann O'Hara
  email: ann@example.com
  uri: https://ann.example
plugins:
  - jekyll-feed
  - jekyll-sitemap
  - jekyll-redirect-from
`;
const BLOG_FILES: Record<string, string> = {
  '_posts/2020-05-01-same-b.md': post('title: Same day b', 'Body b.'),
  '_posts/2020-05-01-same-a.md': post('title: Same day a', 'Body a.'),
  '_posts/2020-05-01-same-c.md': post('title: Same day c', 'Body c.'),
  '_posts/2020-05-02-full.md': post(
    [
      'title: "It\'s a \\"full\\" post -- with <b>tags</b>"',
      'tags: [k8s, "Día uno"]',
      'categories: [talks, Events]',
      'image: /img/cover.png',
      'last_modified_at: 2021-01-02 10:00:00',
      'author: Bob',
      'description: "A <em>desc</em>   with   spaces"',
      'redirect_from: [/old-full/, /older.html]',
    ].join('\n'),
    'First paragraph.\n\nSecond paragraph.',
  ),
  '_posts/2020-05-03-custom.md': post('title: Custom permalink\npermalink: /talks/my-talk/\nauthor:\n  name: Carol\n  email: c@example.com\nimage:\n  path: https://cdn.example/i.png\n  alt: A cover\ndate: 2020-05-03 18:30:00', 'Custom.'),
  '_posts/2020-05-04-gone.md': post('title: Gone\nredirect_to: https://elsewhere.example/gone', 'Gone body.'),
  'blog/_posts/2020-04-01-cat.md': post('title: In a folder category', 'Cat.'),
  'cnl.md': post('title: Slack\npermalink: /cnl-slack', 'slack'),
  'slash.md': post('title: Slash\npermalink: /slash/', 'slash'),
  'html.md': post('title: Html\npermalink: /page.html', 'html'),
  'data.md': post('title: Data\npermalink: /data.json', '{"a":1}'),
  'hidden.md': post('title: Hidden\nsitemap: false', 'hidden'),
  'about.md': post('title: About\nlast_modified_at: 2022-02-02', 'about'),
  '404.md': post('title: Not found\npermalink: /404.html', 'nf'),
  'docs/index.md': post('title: Doc index', 'd'),
  'docs/a b.pdf': 'pdf',
  'slides.PDF': 'pdf',
  'static.html': 'x',
  'other.htm': 'y',
  'pic.txt': 'z',
};

function blogSite(): string {
  const root = jekyllSite(BLOG_CONFIG, BLOG_FILES);
  const fixed = new Date('2024-02-03T04:05:06Z');
  for (const file of ['docs/a b.pdf', 'static.html', 'other.htm']) fs.utimesSync(path.join(root, file), fixed, fixed);
  return root;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link', 'category', 'url'].includes(name) });

type Node = Record<string, unknown>;
const textOf = (value: unknown) => (value && typeof value === 'object' ? String((value as Node)['#text'] ?? '') : String(value ?? ''));

function feedOf(out: string, file = 'feed.xml') {
  const feed = xml.parse(fs.readFileSync(path.join(out, file), 'utf8')).feed as Node;
  const entries = (feed.entry as Node[] | undefined) ?? [];
  return {
    feed,
    entries: entries.map((e) => {
      const author = e.author as Node;
      return {
        id: textOf(e.id),
        link: (e.link as Node[])[0]['@href'],
        published: textOf(e.published),
        updated: textOf(e.updated),
        author: [textOf(author.name), textOf(author.email)],
        categories: ((e.category as Node[] | undefined) ?? []).map((c) => c['@term']),
        title: textOf(e.title),
      };
    }),
  };
}

function sitemapOf(out: string): string[] {
  const urls = xml.parse(fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8')).urlset.url as Node[];
  return urls.map((u) => `${textOf(u.loc)} ${textOf(u.lastmod)}`.trim());
}

describe('feed.xml as jekyll-feed writes it', () => {
  it('gives each entry its id, link, dates, author and categories, newest first and posts of one date in path order', async () => {
    const out = await buildInto(blogSite(), { now: NOW });
    const { entries } = feedOf(out);
    assert.deepEqual(
      entries.map(({ title: _title, ...rest }) => rest),
      [
        { id: 'https://example.com/blog/2020/05/04/gone', link: 'https://example.com/blog/2020/05/04/gone.html', published: '2020-05-04T00:00:00+00:00', updated: '2020-05-04T00:00:00+00:00', author: ["Ann O'Hara", 'ann@example.com'], categories: [] },
        { id: 'https://example.com/blog/talks/custom', link: 'https://example.com/blog/talks/my-talk/', published: '2020-05-03T18:30:00+00:00', updated: '2020-05-03T18:30:00+00:00', author: ['Carol', 'c@example.com'], categories: [] },
        { id: 'https://example.com/blog/talks/events/2020/05/02/full', link: 'https://example.com/blog/talks/events/2020/05/02/full.html', published: '2020-05-02T00:00:00+00:00', updated: '2021-01-02T10:00:00+00:00', author: ['Bob', ''], categories: ['talks', 'Events', 'k8s', 'Día uno'] },
        { id: 'https://example.com/blog/2020/05/01/same-a', link: 'https://example.com/blog/2020/05/01/same-a.html', published: '2020-05-01T00:00:00+00:00', updated: '2020-05-01T00:00:00+00:00', author: ["Ann O'Hara", 'ann@example.com'], categories: [] },
        { id: 'https://example.com/blog/2020/05/01/same-b', link: 'https://example.com/blog/2020/05/01/same-b.html', published: '2020-05-01T00:00:00+00:00', updated: '2020-05-01T00:00:00+00:00', author: ["Ann O'Hara", 'ann@example.com'], categories: [] },
        { id: 'https://example.com/blog/2020/05/01/same-c', link: 'https://example.com/blog/2020/05/01/same-c.html', published: '2020-05-01T00:00:00+00:00', updated: '2020-05-01T00:00:00+00:00', author: ["Ann O'Hara", 'ann@example.com'], categories: [] },
        { id: 'https://example.com/blog/blog/2020/04/01/cat', link: 'https://example.com/blog/blog/2020/04/01/cat.html', published: '2020-04-01T00:00:00+00:00', updated: '2020-04-01T00:00:00+00:00', author: ["Ann O'Hara", 'ann@example.com'], categories: ['blog'] },
      ],
    );
    assert.equal(entries[2].title, 'It’s a “full” post – with tags');
    const text = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8');
    // The feed's own lines, byte for byte as Jekyll wrote them (but the generator and the build time).
    assert.ok(
      text.startsWith(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" ><generator>recap</generator><link href="https://example.com/blog/feed.xml" rel="self" type="application/atom+xml" /><link href="https://example.com/blog/" rel="alternate" type="text/html" /><updated>2026-01-01T12:00:00+00:00</updated><id>https://example.com/blog/feed.xml</id><title type="html">Tom’s “Meetup” &amp;amp; more</title><subtitle>Recaps &lt;of&gt; talks</subtitle><author><name>Ann O&apos;Hara</name><email>ann@example.com</email><uri>https://ann.example</uri></author><entry>',
      ),
      text.slice(0, 800),
    );
    assert.ok(text.includes('<content type="html" xml:base="https://example.com/blog/2020/05/04/gone.html"><![CDATA[]]></content>'), 'a redirect_to post is listed without content, as jekyll-redirect-from leaves it');
    assert.ok(text.includes('<summary type="html"><![CDATA[A desc with spaces]]></summary><media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="https://example.com/blog/img/cover.png" /><media:content medium="image" url="https://example.com/blog/img/cover.png" xmlns:media="http://search.yahoo.com/mrss/" /></entry>'));
    assert.ok(text.includes('<media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="https://cdn.example/i.png" />'), 'image.path, as jekyll-feed reads it');
    assert.ok(text.endsWith('</feed>'), 'no newline after it, as jekyll-feed');
    assert.ok(!listTree(out).some((f) => f.startsWith('tags/') && f.endsWith('feed.xml')));
  });

  it("keeps jekyll-feed's limit, feed.path, tag and category feeds, and smartify's curly quotes and dashes in titles", async () => {
    const titles = ["It's 'quoted' here", '"Double" at start', "Rock 'n' roll in the '80s", 'Wait... what -- really --- yes', `She said "'hi'"`, 'Tom & Jerry <b>bold</b>', "l'été à Paris", '“Already” curly'];
    const files: Record<string, string> = {
      // Loaded by Jekyll from the Gemfile's :jekyll_plugins group without `plugins:` naming it.
      Gemfile: 'source "https://rubygems.org"\ngem "jekyll"\ngroup :jekyll_plugins do\n  gem "jekyll-sitemap" # the sitemap\nend\n',
    };
    titles.forEach((title, i) => {
      files[`_posts/2021-03-0${i + 1}-t${i + 1}.md`] = post(`title: '${title.replaceAll("'", "''")}'\ncategories: [news]\ntags: [go, Go_2, "c++"]`, `Paragraph ${i + 1}.`);
    });
    const root = jekyllSite('title: Dev "Night" -- notes...\nurl: https://example.org\nauthor: Jo Doe\nlang: en_GB\nfeed:\n  path: /atom.xml\n  tags: true\n  categories: [news]\n  posts_limit: 5\nplugins: [jekyll-feed]\n', files);
    const out = await buildInto(root, { now: NOW });
    const files2 = listTree(out);
    for (const file of ['atom.xml', 'feed/by_tag/go.xml', 'feed/by_tag/Go_2.xml', 'feed/news.xml', 'sitemap.xml', 'robots.txt']) assert.ok(files2.includes(file), file);
    assert.ok(!files2.includes('feed.xml') && !files2.some((f) => f.includes('c++')), 'no feed at the default path; none for a tag that is not letters, digits and _');
    const { feed, entries } = feedOf(out, 'atom.xml');
    assert.equal(entries.length, 5, 'posts_limit');
    assert.deepEqual(
      entries.map((e) => e.title),
      ['“Already” curly', 'l’été à Paris', 'Tom &amp; Jerry bold', 'She said “‘hi’”', 'Wait… what – really — yes'],
    );
    assert.deepEqual(titles.slice(0, 5).map((title) => smartenText(title)), ['It’s ‘quoted’ here', '“Double” at start', 'Rock ‘n’ roll in the ’80s', 'Wait… what – really — yes', 'She said “‘hi’”']);
    assert.equal(textOf(feed.title), 'Dev “Night” – notes…');
    assert.equal(feed['@xml:lang'], 'en_GB');
    assert.deepEqual(entries[0].author, ['Jo Doe', '']);
    assert.equal(textOf(feedOf(out, 'feed/news.xml').feed.title), 'Dev “Night” – notes… | News');
    assert.equal(fs.readFileSync(path.join(out, 'robots.txt'), 'utf8'), 'Sitemap: https://example.org/sitemap.xml\n');
  });

  it('writes no feed, sitemap, robots.txt or redirects.json for a Jekyll site that enables none of their plugins, and leaves its own feed.xml alone', async () => {
    const out = await buildInto(jekyllSite('title: T\n', { '_posts/2020-01-01-a.md': post('title: A\nredirect_from: /old/\ntags: [k8s]') }), { now: NOW });
    const files = listTree(out);
    for (const file of ['feed.xml', 'sitemap.xml', 'robots.txt', 'redirects.json', 'tags/k8s/feed.xml']) assert.ok(!files.includes(file), file);
    // recap's theme, which builds this site, links no feed it does not have.
    for (const page of ['index.html', 'tags/k8s/index.html', '2020/01/01/a.html']) assert.ok(!fs.readFileSync(path.join(out, page), 'utf8').includes('feed'), page);
    const withFeed = await buildInto(jekyllSite('title: T\nplugins: [jekyll-feed]\nfeed: {path: atom.xml, tags: {only: [k8s]}}\n', { '_posts/2020-01-01-a.md': post('title: A\ntags: [k8s, other]') }), { now: NOW });
    assert.match(fs.readFileSync(path.join(withFeed, 'index.html'), 'utf8'), /<link rel="alternate" type="application\/atom\+xml" title="T" href="\/atom.xml">/);
    assert.match(fs.readFileSync(path.join(withFeed, 'tags/k8s/index.html'), 'utf8'), /<a href="\/feed\/by_tag\/k8s.xml">feed<\/a>/);
    assert.ok(!fs.readFileSync(path.join(withFeed, 'tags/other/index.html'), 'utf8').includes('feed/by_tag'));
    const own = await buildInto(jekyllSite('title: T\nplugins: [jekyll-feed, jekyll-sitemap]\n', { '_posts/2020-01-01-a.md': post('title: A'), 'feed.xml': '<feed>mine</feed>\n', 'robots.txt': 'User-agent: *\n' }), { now: NOW });
    assert.equal(fs.readFileSync(path.join(own, 'feed.xml'), 'utf8'), '<feed>mine</feed>\n');
    assert.equal(fs.readFileSync(path.join(own, 'robots.txt'), 'utf8'), 'User-agent: *\n');
  });

  it("leaves content out with feed.excerpt_only, which a post's own false does not undo (Liquid's default), and writes no redirects.json with redirect_from.json: false", async () => {
    const root = jekyllSite('url: https://e.x\nplugins: [jekyll-feed, jekyll-redirect-from]\nfeed: {excerpt_only: true}\nredirect_from: {json: false}\n', {
      '_posts/2020-01-01-a.md': post('title: A', 'A body.'),
      '_posts/2020-01-02-b.md': post('title: B\nfeed: {excerpt_only: false}', 'B body.'),
    });
    const out = await buildInto(root, { now: NOW });
    const text = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8');
    assert.ok(!text.includes('<content') && text.includes('<summary type="html"><![CDATA[B body.]]></summary>'));
    assert.ok(!listTree(out).includes('redirects.json'));
  });

  it('looks entry authors given by name up in _data/authors.yml, as jekyll-feed does, and not the feed author', async () => {
    const root = jekyllSite('url: https://e.x\nauthor: ann\nplugins: [jekyll-feed]\n', {
      '_data/authors.yml': 'ann:\n  name: Ann Author\n  email: ann@e.x\nbob:\n  name: Bob B\n  uri: https://bob.x\n',
      '_posts/2020-01-01-a.md': post('title: A\nauthor: bob'),
      '_posts/2020-01-02-b.md': post('title: B'),
      '_posts/2020-01-03-c.md': post('title: C\nauthor: nobody'),
      '_posts/2020-01-04-d.md': post('title: D\nauthor: {name: bob}'),
    });
    const out = await buildInto(root, { now: NOW });
    const text = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8');
    assert.ok(text.includes('<id>https://e.x/feed.xml</id><author><name>ann</name></author><entry>'), 'the feed author as written');
    assert.deepEqual(
      feedOf(out).entries.map((e) => [e.title, ...e.author]),
      [
        ['D', 'bob', ''],
        ['C', 'nobody', ''],
        ['B', 'Ann Author', 'ann@e.x'],
        ['A', 'Bob B', ''],
      ],
    );
    assert.ok(text.includes('<author><name>Bob B</name><uri>https://bob.x</uri></author>'));
  });

  it('escapes what front matter and _config.yml put in the feed, and keeps it XML whatever a body holds', async () => {
    const root = jekyllSite('title: "<script>x</script>"\nurl: https://example.com\nlang: \'en" onload="x\'\nauthor: {name: "A <b> & \\"c\\"", email: "e\'@x"}\nplugins: [jekyll-feed]\n', {
      '_posts/2020-01-01-a.md': post('title: "</title><script>alert(1)</script>"\nlang: \'fr"x\'\nimage: \'/i.png" onerror="x\'\ncategories: ["<c>"]\ntags: ["a\\"b"]\nauthor: "<i>me</i>"', 'Text ]]> more <b>bold</b>.'),
    });
    const out = await buildInto(root, { now: NOW });
    const text = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8');
    const { feed, entries } = feedOf(out);
    assert.equal(feed['@xml:lang'], 'en" onload="x');
    assert.equal(entries[0].title, '', 'markup in a title is left out, a script with its text, as strip_html does');
    assert.deepEqual(entries[0].categories, ['<c>', 'a"b']);
    assert.equal(entries[0].author[0], '<i>me</i>');
    assert.ok(text.includes('<![CDATA[<p>Text ]]]]><![CDATA[> more <b>bold</b>.</p>]]>'), 'a "]]>" in a body does not end the CDATA section');
    assert.ok(!text.includes('<script>') && !text.includes('onerror="x'));
  });
});

describe('sitemap.xml and robots.txt as jekyll-sitemap writes them', () => {
  it('lists posts, HTML pages and .htm/.html/.pdf files with their lastmod, in its order, without sitemap: false, redirects and 404', async () => {
    const out = await buildInto(blogSite(), { now: NOW });
    assert.deepEqual(
      sitemapOf(out).filter((u) => !u.includes('/tags/')),
      [
        'https://example.com/blog/blog/2020/04/01/cat.html 2020-04-01T00:00:00+00:00',
        'https://example.com/blog/2020/05/01/same-a.html 2020-05-01T00:00:00+00:00',
        'https://example.com/blog/2020/05/01/same-b.html 2020-05-01T00:00:00+00:00',
        'https://example.com/blog/2020/05/01/same-c.html 2020-05-01T00:00:00+00:00',
        'https://example.com/blog/talks/events/2020/05/02/full.html 2021-01-02T10:00:00+00:00',
        'https://example.com/blog/talks/my-talk/ 2020-05-03T18:30:00+00:00',
        'https://example.com/blog/about.html 2022-02-02T00:00:00+00:00',
        'https://example.com/blog/cnl-slack',
        'https://example.com/blog/page.html',
        'https://example.com/blog/',
        'https://example.com/blog/docs/',
        'https://example.com/blog/slash/',
        'https://example.com/blog/docs/a%20b.pdf 2024-02-03T04:05:06+00:00',
        'https://example.com/blog/other.htm 2024-02-03T04:05:06+00:00',
        'https://example.com/blog/static.html 2024-02-03T04:05:06+00:00',
      ],
    );
    const text = fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8');
    assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd" xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n<url>\n<loc>https://example.com/blog/blog/2020/04/01/cat.html</loc>\n<lastmod>2020-04-01T00:00:00+00:00</lastmod>\n</url>\n'));
    assert.ok(text.endsWith('</url>\n</urlset>\n'));
    assert.equal(fs.readFileSync(path.join(out, 'robots.txt'), 'utf8'), 'Sitemap: https://example.com/blog/sitemap.xml\n');
  });

  it('leaves out static files that defaults mark sitemap: false, and names sitemap.xsl when the site has one', async () => {
    const root = jekyllSite('url: https://example.org\nplugins: [jekyll-sitemap]\ndefaults:\n  - scope: {path: "docs/private"}\n    values: {sitemap: false}\n', {
      'docs/private/p.pdf': 'pdf',
      'docs/public.pdf': 'pdf',
      'sitemap.xsl': '<x/>',
    });
    const out = await buildInto(root, { now: NOW });
    const urls = sitemapOf(out).map((u) => u.split(' ')[0]);
    assert.ok(urls.includes('https://example.org/docs/public.pdf') && !urls.includes('https://example.org/docs/private/p.pdf'));
    assert.ok(fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8').includes('<?xml-stylesheet type="text/xsl" href="https://example.org/sitemap.xsl"?>\n<urlset'));
  });
});

describe('paths and redirects.json as Jekyll writes them', () => {
  it('writes permalink /x as x.html (and /x/, /x.html, /x.json where Jekyll does), with a folder redirect for hosts that do not try .html', async () => {
    const out = await buildInto(blogSite(), { now: NOW });
    const files = listTree(out);
    for (const file of ['cnl-slack.html', 'slash/index.html', 'page.html', 'data.json', 'old-full/index.html', 'older.html', '2020/05/04/gone.html']) assert.ok(files.includes(file), file);
    assert.ok(!files.includes('page/index.html') && !files.includes('slash.html'));
    const folder = fs.readFileSync(path.join(out, 'cnl-slack/index.html'), 'utf8');
    assert.ok(folder.includes('<meta http-equiv="refresh" content="0; url=https://example.com/blog/cnl-slack.html">'), folder);
  });

  it('answers /x with x.html in recap serve, and /x/ with the folder redirect', async () => {
    const out = await buildInto(blogSite(), { now: NOW });
    const server = await startServer({ outDir: out, basePath: '/blog/', host: '127.0.0.1', port: 0, liveReload: false });
    try {
      const get = (urlPath: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          http.get({ host: '127.0.0.1', port: server.port, path: urlPath }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          }).on('error', reject);
        });
      const page = await get('/blog/cnl-slack');
      assert.equal(page.status, 200);
      assert.equal(page.body, fs.readFileSync(path.join(out, 'cnl-slack.html'), 'utf8'));
      const folder = await get('/blog/cnl-slack/');
      assert.equal(folder.status, 200);
      assert.match(folder.body, /url=https:\/\/example\.com\/blog\/cnl-slack\.html/);
      assert.equal((await get('/blog/nothing-here')).status, 404);
    } finally {
      await server.close();
    }
  });

  it('lets recap check follow /x to x.html, as hosts do, anchors included', () => {
    const dir = tempDir();
    const page = (body: string) => `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;
    fs.writeFileSync(path.join(dir, 'index.html'), page('<a href="/cnl-slack#join">join</a> <a href="/cnl-slack#nothing">no anchor</a> <a href="/missing">missing</a>'));
    fs.writeFileSync(path.join(dir, 'cnl-slack.html'), page('<h2 id="join">Join</h2>'));
    fs.mkdirSync(path.join(dir, 'cnl-slack'));
    fs.writeFileSync(path.join(dir, 'cnl-slack/index.html'), page('<a href="/cnl-slack.html">redirect</a>'));
    assert.deepEqual(checkLinks(dir, '/', 'https://example.org'), [
      { page: 'index.html', reference: '/cnl-slack#nothing', problem: 'has no element with id "nothing" on cnl-slack.html' },
      { page: 'index.html', reference: '/missing', problem: 'points at no file' },
    ]);
  });

  it('writes redirects.json as jekyll-redirect-from does: old paths as written, absolute targets', async () => {
    const out = await buildInto(blogSite(), { now: NOW });
    assert.equal(
      fs.readFileSync(path.join(out, 'redirects.json'), 'utf8'),
      '{"/old-full/":"https://example.com/blog/talks/events/2020/05/02/full.html","/older.html":"https://example.com/blog/talks/events/2020/05/02/full.html","/2020/05/04/gone.html":"https://elsewhere.example/gone"}',
    );
    const root = jekyllSite('url: https://example.com\nplugins: [jekyll-feed, jekyll-redirect-from]\nfeed: {posts_limit: 100}\n', {
      'e.md': post('title: Enc\npermalink: /día uno\nredirect_from: [/old, /olddir/x.json, /ü]'),
      '_posts/2020-01-01-post-x.md': post('title: P\npermalink: /:year/:title\nslug: Mi Slug'),
      '_posts/2020-01-03-p3.md': post('title: P3\npermalink: /p3.json'),
      'k.md': post('title: K\npermalink: /kubernetes-1.14'),
      'v.md': post('title: V\npermalink: /v1.0/'),
    });
    const other = await buildInto(root, { now: NOW });
    assert.equal(fs.readFileSync(path.join(other, 'redirects.json'), 'utf8'), '{"/old":"https://example.com/d%C3%ADa%20uno","/olddir/x.json":"https://example.com/d%C3%ADa%20uno","/ü":"https://example.com/d%C3%ADa%20uno"}');
    const files = listTree(other);
    for (const file of ['día uno.html', 'old.html', 'olddir/x.json', 'ü.html', '2020/Mi-Slug.html', 'p3.json', 'v1.0/index.html']) assert.ok(files.includes(file), file);
    // Jekyll writes /kubernetes-1.14 as a file named "kubernetes-1.14", which hosts serve as a download: recap keeps it a folder.
    assert.ok(files.includes('kubernetes-1.14/index.html'));
    const entries = feedOf(other).entries.map((e) => [e.id, e.link]);
    assert.deepEqual(entries, [
      ['https://example.com/p3', 'https://example.com/p3.json'],
      ['https://example.com/2020/Mi%20Slug', 'https://example.com/2020/Mi-Slug'],
    ]);
  });
});

describe('the settings the plugins read', () => {
  it('reads author from _config.yml without a warning; migrate says it and the plugin settings stay read from there; a Gemfile or _data edit reloads the config', () => {
    const root = jekyllSite('title: T\nauthor: {name: Ann, email: a@x}\nlang: de\nfeed: {path: /atom.xml}\nplugins: [jekyll-feed]\n', {});
    const config = loadConfig(root);
    assert.equal(config.author, 'Ann');
    assert.deepEqual(config.warnings.filter((w) => w.startsWith('_config.yml')), []);
    assert.deepEqual(migrate(root).stillRead, ['author', 'lang', 'feed', 'plugins']);
    assert.equal(classifyChange(config, 'Gemfile'), 'config');
    assert.equal(classifyChange(config, '_data/authors.yml'), 'config', 'feed entries name authors from it');
  });
});

describe('watch mode', () => {
  it('rebuilds the feed, sitemap and redirects.json exactly as a clean build after edits', async () => {
    const root = blogSite();
    const outDir = path.join(tempDir(), 'public');
    const first = await build(loadConfig(root, { now: NOW, outDir, cache: false }));
    assert.ok(first.ok);
    const edits: [string, string][] = [
      ['_posts/2020-05-01-same-a.md', post('title: Same day a\nauthor: {name: Zed, uri: "https://z.example"}\nredirect_from: /a-old', 'Body a, edited.')],
      ['about.md', post('title: About\nsitemap: false', 'about')],
      // A redirect_to post is in the feed, though no page lists it.
      ['_posts/2020-05-04-gone.md', post('title: Gone for good\nredirect_to: https://elsewhere.example/gone', 'Gone body, edited.')],
    ];
    let state = first.state;
    for (const [file, text] of edits) {
      fs.writeFileSync(path.join(root, file), text);
      const next = await build(loadConfig(root, { now: NOW, outDir, cache: false }), { previous: state, changes: { posts: [file], templates: false, copies: false } });
      assert.ok(next.ok, String(!next.ok && next.errors));
      state = next.state;
    }
    // A PDF saved again: its lastmod in the sitemap follows.
    const saved = new Date('2025-06-07T08:09:10Z');
    fs.utimesSync(path.join(root, 'docs/a b.pdf'), saved, saved);
    const copied = await build(loadConfig(root, { now: NOW, outDir, cache: false }), { previous: state, changes: { posts: [], templates: false, copies: true } });
    assert.ok(copied.ok);
    assert.ok(fs.readFileSync(path.join(outDir, 'sitemap.xml'), 'utf8').includes('<loc>https://example.com/blog/docs/a%20b.pdf</loc>\n<lastmod>2025-06-07T08:09:10+00:00</lastmod>'));
    const clean = path.join(tempDir(), 'public');
    assert.ok((await build(loadConfig(root, { now: NOW, outDir: clean, cache: false }))).ok);
    for (const file of ['feed.xml', 'sitemap.xml', 'redirects.json']) assert.equal(fs.readFileSync(path.join(outDir, file), 'utf8'), fs.readFileSync(path.join(clean, file), 'utf8'), file);
    assert.ok(fs.readFileSync(path.join(outDir, 'feed.xml'), 'utf8').includes('<author><name>Zed</name><uri>https://z.example</uri></author>'));
    assert.ok(fs.readFileSync(path.join(outDir, 'redirects.json'), 'utf8').includes('"/a-old":'));
    assert.ok(!fs.readFileSync(path.join(outDir, 'sitemap.xml'), 'utf8').includes('about.html'));
    assert.ok(fs.readFileSync(path.join(outDir, 'feed.xml'), 'utf8').includes('<title type="html">Gone for good</title>'));
  });
});
