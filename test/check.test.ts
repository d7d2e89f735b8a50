import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkLinks, checkSite, type BrokenLink, type RelativeShareUrl } from '../src/check/links.js';
import { main } from '../src/cli.js';
import { jekyllSite, listTree, tempDir, writeSite } from './helpers.js';

/** A built output folder written by hand: file path → contents. */
function site(files: Record<string, string>): string {
  return writeSite(files, tempDir('recap-check-'));
}

/** Checks a site both ways recap does: listing the folder (recap check) and from the build's outputs (build --check). */
function check(files: Record<string, string>, basePath = '/', url = 'https://example.org'): BrokenLink[] {
  const dir = site(files);
  const listed = checkLinks(dir, basePath, url);
  assert.deepEqual(checkLinks(dir, basePath, url, listTree(dir)), listed, 'the same answer with or without the list of outputs');
  return listed;
}

const html = (body: string, head = '') => `<!doctype html><html><head><title>t</title>${head}</head><body>${body}</body></html>`;
const missing = (page: string, reference: string): BrokenLink => ({ page, reference, problem: 'points at no file' });
const noAnchor = (page: string, reference: string, id: string, on: string): BrokenLink => ({
  page,
  reference,
  problem: `has no element with id "${id}" on ${on}`,
});

describe('checkLinks: what already worked', () => {
  it('finds nothing broken on a site whose links all resolve', () => {
    const broken = check({
      'index.html': html(
        '<a href="/about/">about</a> <a href="about/#team">team</a> <a href="/about">no slash</a>' +
          '<a href="/c%23/">encoded</a> <a href="https://elsewhere.example/x">external</a> <a href="mailto:a@example.org">mail</a>' +
          '<img src="/images/a.png" alt=""> <a href="//cdn.example/x.js">cdn</a> <a href="">self</a> <a href="/feed.xml?v=1">feed</a>',
        '<link rel="stylesheet" href="/style.css"><script src="/app.js"></script>',
      ),
      'about/index.html': html('<h2 id="team">Team</h2><p><a href="../">home</a> <a href="./#top">top</a> <a name="top"></a></p>'),
      'c#/index.html': html('<a href="/c%23/">itself</a>'),
      'images/a.png': 'png',
      'style.css': 'body{}',
      'app.js': '',
      'feed.xml': '<rss/>',
    });
    assert.deepEqual(broken, []);
  });

  it('reports a link to a missing file, once per page however often it appears', () => {
    const broken = check({
      'index.html': html('<a href="/gone/">a</a> <a href="/gone/">again</a> <img src="/images/none.png"> <a href="nowhere.html">rel</a>'),
      'b/index.html': html('<a href="/gone/">a</a> <a href="../gone/">same file, written differently</a>'),
    });
    assert.deepEqual(broken, [
      missing('b/index.html', '/gone/'),
      missing('b/index.html', '../gone/'),
      missing('index.html', '/gone/'),
      missing('index.html', '/images/none.png'),
      missing('index.html', 'nowhere.html'),
    ]);
  });

  it('reports an #anchor missing on its target page, on the same page or another', () => {
    const broken = check({
      'index.html': html('<h2 id="intro">Intro</h2><a href="#intro">ok</a> <a href="#outro">missing</a> <a href="/about/#team">elsewhere</a>'),
      'about/index.html': html('<h2 id="teams">Teams</h2>'),
    });
    assert.deepEqual(broken, [noAnchor('index.html', '#outro', 'outro', 'index.html'), noAnchor('index.html', '/about/#team', 'team', 'about/index.html')]);
  });

  it('resolves against the base path, and reports a link outside it', () => {
    const broken = check(
      {
        'index.html': html('<a href="/blog/about/">ok</a> <a href="about/">relative</a> <a href="/about/">outside</a> <a href="../x/">above</a>'),
        'about/index.html': html('<a href="../">home</a> <a href="/blog/">home</a>'),
      },
      '/blog/',
    );
    const outside = 'is outside the site (its base path is /blog/)';
    assert.deepEqual(broken, [
      { page: 'index.html', reference: '/about/', problem: outside },
      { page: 'index.html', reference: '../x/', problem: outside },
    ]);
  });

  it('counts absolute links to the site’s own url as internal', () => {
    const broken = check(
      {
        'index.html': html('<a href="https://example.org/blog/about/">ok</a> <a href="https://example.org/blog/gone/">gone</a> <a href="https://example.org">root</a>'),
        'about/index.html': html('<link rel="canonical" href="https://example.org/blog/about/">'),
      },
      '/blog/',
      'https://example.org',
    );
    // The root of the url is outside a site served from /blog/.
    assert.deepEqual(broken, [missing('index.html', '/blog/gone/'), { page: 'index.html', reference: '/', problem: 'is outside the site (its base path is /blog/)' }]);
  });

  it('checks every URL of a srcset, and poster and source references', () => {
    const broken = check({
      'index.html': html(
        '<img srcset="/a.png 1x, /b.png 2x" src="/a.png" alt="">' +
          '<picture><source srcset="/wide.png 800w,/gone.png 1600w"><img src="/a.png" alt=""></picture>' +
          '<video poster="/poster.png"><source src="/clip.mp4"><track src="/subs.vtt"></video>',
      ),
      'a.png': '',
      'b.png': '',
      'wide.png': '',
      'poster.png': '',
      'clip.mp4': '',
    });
    assert.deepEqual(broken, [missing('index.html', '/gone.png'), missing('index.html', '/subs.vtt')]);
  });

  it('skips a redirect page, whose only link is where it sends the browser', () => {
    const broken = check({
      'old/index.html': html('<a href="/gone/">x</a>', '<meta http-equiv="refresh" content="0; url=/gone/">'),
    });
    assert.deepEqual(broken, []);
  });
});

describe('checkLinks: it reads elements, as the browser does, not text', () => {
  it('finds no link in a code sample', () => {
    const broken = check({
      'index.html': html('<p>Write it so:</p><pre><code>&lt;a href="/missing/"&gt;here&lt;/a&gt;\n&lt;img src=\'/none.png\'&gt;</code></pre>'),
    });
    assert.deepEqual(broken, []);
  });

  it('finds no link in a script, a style or a comment', () => {
    const broken = check({
      'index.html': html(
        '<script>document.write(\'<a href="/missing/">x</a>\')</script><style>a[href="/none/"]{color:red}</style><!-- <a href="/old/">old</a> -->',
      ),
    });
    assert.deepEqual(broken, []);
  });

  it('checks a page whose text mentions http-equiv="refresh", which is not a redirect', () => {
    const broken = check({
      'index.html': html('<p>Redirect with <code>&lt;meta http-equiv="refresh" content="0; url=/new/"&gt;</code>, <a href="/missing/">as here</a>.</p>'),
      'prose/index.html': html('<p>Our old pages said http-equiv="refresh" in their head.</p><a href="/gone/">gone</a>'),
      'old/index.html': html('<a href="/gone/">x</a>', '<META HTTP-EQUIV="Refresh" CONTENT="0; url=/gone/">'),
    });
    assert.deepEqual(broken, [missing('index.html', '/missing/'), missing('prose/index.html', '/gone/')]);
  });

  it('reads attribute names in any case, and values without quotes or in single quotes', () => {
    const broken = check({
      'index.html': html('<A HREF="/missing/">upper</A> <a href=/unquoted/>unquoted</a> <IMG SRC=\'/single.png\'> <a Href=/ok/>ok</a>'),
      'ok/index.html': html(''),
    });
    assert.deepEqual(broken, [missing('index.html', '/missing/'), missing('index.html', '/unquoted/'), missing('index.html', '/single.png')]);
  });

  it('takes anchors from elements’ ids and <a> names, not from code samples or other names', () => {
    const broken = check({
      'index.html': html(
        '<p><a href="#ghost">jump</a> <a href="#description">meta</a> <a href="#real">real</a> <a href="#old">old</a></p>' +
          '<pre><code>&lt;p id="ghost"&gt;boo&lt;/p&gt;</code></pre><p ID="real">real</p><a NAME="old"></a>',
        '<meta name="description" content="x">',
      ),
    });
    assert.deepEqual(broken, [noAnchor('index.html', '#ghost', 'ghost', 'index.html'), noAnchor('index.html', '#description', 'description', 'index.html')]);
  });

  it('decodes entities in attribute values before resolving, in links and in ids', () => {
    const broken = check({
      'index.html': html(
        '<a href="/a?x=1&amp;y=2">query</a> <a href="/caf&eacute;/">named</a> <a href="/docs&#47;faq&#x2F;">numeric</a>' +
          '<h2 id="q&amp;a">Q&amp;A</h2><a href="#q&amp;a">q&amp;a</a> <a href="/caf%C3%A9/#r&eacute;sum&eacute;">résumé</a>' +
          '<a href="/gone/?x=1&amp;y=2">gone</a>',
      ),
      a: 'a',
      'café/index.html': html('<h2 id="résumé">Résumé</h2>'),
      'docs/faq/index.html': html(''),
    });
    // Reported as the browser reads it.
    assert.deepEqual(broken, [missing('index.html', '/gone/?x=1&y=2')]);
  });

  it('reads a srcset URL that holds commas whole', () => {
    const broken = check({
      'index.html': html('<img srcset="data:image/png;base64,AA,BB 1x, /c.png 2x,/d.png" alt="">'),
      'c.png': '',
    });
    assert.deepEqual(broken, [missing('index.html', '/d.png')]);
  });

  it('keeps the first of duplicate attributes, as the browser does', () => {
    const broken = check({
      'index.html': html('<a href="/ok/" href="/missing/">dup</a> <p id="x" id="y"></p> <a href="#y">y</a>'),
      'ok/index.html': html(''),
    });
    assert.deepEqual(broken, [noAnchor('index.html', '#y', 'y', 'index.html')]);
  });
});

describe('checkLinks: fragments browsers always accept', () => {
  it('accepts #top without an element of that id, as browsers scroll to the top', () => {
    assert.deepEqual(check({ 'index.html': html('<a href="#top">Back to top</a><a href="#nowhere">x</a>') }), [noAnchor('index.html', '#nowhere', 'nowhere', 'index.html')]);
  });
});

/** The relative canonical and sharing URLs of a hand-written output, both ways recap checks. */
function shareUrls(files: Record<string, string>): RelativeShareUrl[] {
  const dir = site(files);
  const listed = checkSite(dir, '/', 'https://example.org');
  assert.deepEqual(checkSite(dir, '/', 'https://example.org', listTree(dir)), listed, 'the same answer with or without the list of outputs');
  return listed.relativeShareUrls;
}

describe('checkSite: canonical and sharing URLs that are not absolute', () => {
  it('reports each page once, naming every such tag with its value; absolute ones pass', () => {
    const found = shareUrls({
      'index.html': html(
        '',
        '<link rel="canonical" href="/"><meta property="og:url" content="/"><meta property="og:image" content="/images/a.jpg">' +
          '<meta name="twitter:image" content="/images/a.jpg"><meta property="og:image" content="/images/b.jpg">',
      ),
      'about/index.html': html('', '<link rel="canonical" href="https://example.org/about/"><meta property="og:url" content="https://example.org/about/"><meta name="twitter:image" content="HTTP://EXAMPLE.ORG/a.jpg">'),
      'post/index.html': html('', '<link rel="canonical" href="https://example.org/post/"><meta property="og:image" content="images/p.jpg">'),
      'images/a.jpg': '',
      'images/b.jpg': '',
    });
    assert.deepEqual(found, [
      {
        page: 'index.html',
        tags: [
          { tag: '<link rel="canonical">', value: '/' },
          { tag: 'og:url', value: '/' },
          { tag: 'og:image', value: '/images/a.jpg' },
          { tag: 'twitter:image', value: '/images/a.jpg' },
        ],
      },
      { page: 'post/index.html', tags: [{ tag: 'og:image', value: 'images/p.jpg' }] },
    ]);
  });

  it('takes URLs that only work beside the page for what they are: scheme-relative, scheme without slashes, empty, other schemes', () => {
    const page = (value: string) => html('', `<meta property="og:image" content="${value}">`);
    const found = shareUrls({
      'a.html': page('//cdn.example.org/a.jpg'),
      'b.html': page('https:a.jpg'),
      'c.html': page(''),
      'd.html': page('data:image/png;base64,AA'),
      'e.html': page('ftp://example.org/a.jpg'),
      'f.html': page('https://'),
      'ok.html': page('  https://example.org/a.jpg\n'),
    });
    assert.deepEqual(
      found.map((f) => `${f.page} ${f.tags[0].value}`),
      ['a.html //cdn.example.org/a.jpg', 'b.html https:a.jpg', 'c.html ', 'd.html data:image/png;base64,AA', 'e.html ftp://example.org/a.jpg', 'f.html https://'],
    );
  });

  it('reads the tags as a browser or crawler does: rel as a list, names in any case, attributes in any order, twitter:image by property too, entities decoded', () => {
    const found = shareUrls({
      'a.html': html('', '<LINK HREF="/a/" REL="Canonical alternate">'),
      'b.html': html('', '<meta content="/b.jpg" property="OG:Image">'),
      'c.html': html('', '<meta property="twitter:image" content="/c.jpg" />'),
      'd.html': html('', '<meta property="og:image" content="https&#58;//example.org/d.jpg"><link rel="canonical" href="https://example.org/d/">'),
    });
    assert.deepEqual(found, [
      { page: 'a.html', tags: [{ tag: '<link rel="canonical">', value: '/a/' }] },
      { page: 'b.html', tags: [{ tag: 'og:image', value: '/b.jpg' }] },
      { page: 'c.html', tags: [{ tag: 'twitter:image', value: '/c.jpg' }] },
    ]);
  });

  it('takes only link and meta elements with those names: not other tags, text, code samples, or a name left from an earlier element', () => {
    const found = shareUrls({
      'index.html': html(
        '<a name="og:image"></a><meta content="/x.jpg"><a rel="canonical" href="/a/">a</a><link rel="alternate" href="/feed.xml">' +
          '<meta property="og:title" content="/title"><meta name="og:imagery" content="/y.jpg">' +
          '<pre><code>&lt;link rel="canonical" href="/"&gt;</code></pre><script>document.write(\'<meta property="og:url" content="/">\')</script>',
      ),
      'a/index.html': html(''),
      'feed.xml': '',
    });
    assert.deepEqual(found, []);
  });

  it('skips a redirect page, whose canonical link is its target', () => {
    const found = shareUrls({ 'old.html': html('', '<meta http-equiv="refresh" content="0; url=/new/"><link rel="canonical" href="/new/">'), 'new/index.html': html('') });
    assert.deepEqual(found, []);
  });
});

describe('recap check: a built site whose canonical and sharing URLs are paths', () => {
  /** A recap site with a post (with an image) and a page; `config` is its recap.config.yml (images left as written: room.jpg is no photo). */
  const recapSite = (config: string) =>
    writeSite({
      'recap.config.yml': `${config}\nimages: false\n`,
      'posts/2024-03-12-photos.md': '---\ntitle: Photos\nimage: /images/room.jpg\n---\n![The room](/images/room.jpg)\n',
      'pages/about.md': '---\ntitle: About\n---\nAbout us.\n',
      'static/images/room.jpg': 'jpeg',
    });
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line), interactive: false, color: false });
    return { code, out, err };
  };

  it('reports every page of the theme, grouped by source, and exits 1; with url: set it passes', async () => {
    const root = recapSite('title: No URL\n');
    const outDir = path.join(tempDir(), 'public');
    assert.equal((await run(['build', '--root', root, '--out', outDir])).code, 0);
    const result = await run(['check', '--root', root, '--out', outDir]);
    assert.equal(result.code, 1);
    assert.ok(result.err.includes('posts/2024-03-12-photos.md'), result.err.join('\n'));
    assert.ok(
      result.err.includes('  2024/03/12/photos/index.html: <link rel="canonical"> "/2024/03/12/photos/", og:url "/2024/03/12/photos/", og:image "/images/room.jpg", twitter:image "/images/room.jpg" are not absolute URLs'),
      result.err.join('\n'),
    );
    assert.ok(result.err.includes('pages/about.md'));
    assert.ok(result.err.includes('  about/index.html: <link rel="canonical"> "/about/", og:url "/about/" are not absolute URLs'), result.err.join('\n'));
    const pages = fs.readdirSync(outDir, { recursive: true }).filter((f) => String(f).endsWith('.html')).length;
    assert.equal(
      result.err.at(-1),
      `Found ${pages} pages whose canonical or sharing URLs are not absolute; search engines and link previews need https://…: set url: in recap.config.yml (in _config.yml for a Jekyll site) to the address the site is published at.`,
    );
    // build --check says the same, from the plan.
    const checked = await run(['build', '--check', '--root', root, '--out', path.join(tempDir(), 'public')]);
    assert.equal(checked.code, 1);
    // (after the build's own warning that url is not set)
    assert.deepEqual(checked.err.slice(1), result.err);
    assert.match(checked.err[0], /^warning "url" is not set in recap\.config\.yml/);

    const withUrl = recapSite('title: With URL\nurl: https://meetup.example.org\n');
    const good = await run(['build', '--check', '--root', withUrl, '--out', path.join(tempDir(), 'public')]);
    assert.equal(good.code, 0, good.err.join('\n'));
    assert.ok(good.out.includes('Checked links: nothing broken.'));
  });

  it("a Jekyll site's {% seo %} without url: its og:image and twitter:image are paths (no canonical, as jekyll-seo-tag); with url all pass", async () => {
    const files = {
      '_layouts/default.html': '<!doctype html><html><head>{% seo %}</head><body>{{ content }}</body></html>\n',
      '_posts/2024-01-01-p.md': '---\nlayout: default\ntitle: P\nimage: /img/a.jpg\n---\nHi\n',
      'img/a.jpg': 'jpeg',
    };
    const without = await run(['build', '--check', '--root', jekyllSite('title: J\nplugins: [jekyll-seo-tag]\n', files), '--out', path.join(tempDir(), 'public')]);
    assert.equal(without.code, 1);
    assert.deepEqual(
      without.err.filter((line) => !line.startsWith('warning')),
      [
        '_posts/2024-01-01-p.md',
        '  2024/01/01/p.html: og:image "/img/a.jpg", twitter:image "/img/a.jpg" are not absolute URLs',
        'Found 1 page whose canonical or sharing URLs are not absolute; search engines and link previews need https://…: set url: in recap.config.yml (in _config.yml for a Jekyll site) to the address the site is published at.',
      ],
    );
    const withUrl = await run(['build', '--check', '--root', jekyllSite('title: J\nurl: https://j.example.org\nplugins: [jekyll-seo-tag]\n', files), '--out', path.join(tempDir(), 'public')]);
    assert.equal(withUrl.code, 0, withUrl.err.join('\n'));
  });

  it('with url: set, names a layout that prints a path alone, and says to use absoluteUrl', async () => {
    const root = recapSite('title: Own layout\nurl: https://meetup.example.org\n');
    writeSite({ 'templates/post.njk': '<!doctype html><html><head><title>{{ page.title }}</title><meta property="og:image" content="{{ page.image }}"></head><body>{{ content | safe }}</body></html>\n' }, root);
    const result = await run(['build', '--check', '--root', root, '--out', path.join(tempDir(), 'public')]);
    assert.equal(result.code, 1, result.err.join('\n'));
    assert.deepEqual(result.err, [
      'posts/2024-03-12-photos.md',
      '  2024/03/12/photos/index.html: og:image "/images/room.jpg" is not an absolute URL',
      'Found 1 page whose canonical or sharing URLs are not absolute; search engines and link previews need https://…: print them with the absoluteUrl filter (absolute_url in a Jekyll layout).',
    ]);
  });
});
