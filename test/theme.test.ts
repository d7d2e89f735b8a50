/**
 * The default theme's pages as written: the favicon (ours, or the site's own), a meta description on
 * every page, the video facade and its checks, the navigation's "More". Browser behaviour is in
 * theme-browser.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { videoEmbedUrl, videoFacade } from '../src/theme/hosted-video.js';
import { buildInto, jekyllSite, listTree, REPO, tempDir, writeSite } from './helpers.js';

const read = (out: string, file: string) => fs.readFileSync(path.join(out, file), 'utf8');
const iconLinks = (html: string) => html.split('\n').filter((line) => /<link rel="(icon|apple-touch-icon)"/.test(line));
const description = (html: string) => /<meta name="description" content="([^"]*)">/.exec(html)?.[1];

/** A post's file: "A night" unless the front matter gives a title. */
const post = (front: string, body = 'Body.') => `---\n${/^title:/m.test(front) ? '' : 'title: A night\n'}${front}---\n${body}\n`;

describe('the favicon', () => {
  const pages = ['index.html', 'tags/index.html', 'tags/x/index.html', '2024/03/12/night/index.html', 'about/index.html', '404.html'];
  const site = (files: Record<string, string> = {}) =>
    writeSite({ 'recap.config.yml': 'basePath: /blog/\n', 'posts/2024-03-12-night.md': post('tags: [x]\n'), 'pages/about.md': '---\ntitle: About\n---\nUs.\n', ...files });

  it('is the theme\'s SVG (and PNG, for browsers and home screens that want one) on every page, with basePath', async () => {
    const out = await buildInto(site());
    for (const page of pages) {
      assert.deepEqual(iconLinks(read(out, page)), [
        '<link rel="icon" href="/blog/assets/favicon.svg" type="image/svg+xml">',
        '<link rel="icon" href="/blog/assets/favicon.png" type="image/png" sizes="180x180">',
        '<link rel="apple-touch-icon" href="/blog/assets/favicon.png">',
      ], page);
    }
    assert.ok(fs.readFileSync(path.join(out, 'assets/favicon.png')).equals(fs.readFileSync(path.join(REPO, 'templates/assets/favicon.png'))));
    assert.match(read(out, 'assets/favicon.svg'), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  for (const [files, expected] of [
    [['favicon.ico'], '/blog/favicon.ico'],
    [['favicon.png'], '/blog/favicon.png'],
    [['favicon.ico', 'favicon.svg'], '/blog/favicon.svg'],
    [['favicon.ico', 'favicon.png'], '/blog/favicon.png'],
  ] as const) {
    it(`is the site's own with static/${files.join(' and static/')}: ${expected}`, async () => {
      const out = await buildInto(site(Object.fromEntries(files.map((file) => [`static/${file}`, 'icon']))));
      for (const page of pages) assert.deepEqual(iconLinks(read(out, page)), [`<link rel="icon" href="${expected}">`], page);
    });
  }

  it('is not a file in a subfolder of static/ or a page\'s name', async () => {
    const out = await buildInto(site({ 'static/images/favicon.ico': 'icon' }));
    assert.equal(iconLinks(read(out, 'index.html'))[0], '<link rel="icon" href="/blog/assets/favicon.svg" type="image/svg+xml">');
  });

  it('is the site\'s templates/assets/favicon.svg when it has one (the theme\'s file replaced, the links kept)', async () => {
    const out = await buildInto(site({ 'templates/assets/favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>' }));
    assert.equal(read(out, 'assets/favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>');
    assert.equal(iconLinks(read(out, 'index.html'))[0], '<link rel="icon" href="/blog/assets/favicon.svg" type="image/svg+xml">');
  });

  it('is a Jekyll site\'s own favicon.ico at its root, when the site is built in recap\'s theme', async () => {
    const out = await buildInto(jekyllSite('title: J\n', { '_posts/2020-01-01-p.md': '---\ntitle: P\n---\nHi\n', 'favicon.ico': 'icon' }));
    assert.ok(listTree(out).includes('favicon.ico'));
    for (const page of ['index.html', '2020/01/01/p.html', 'tags/index.html', '404.html']) {
      assert.deepEqual(iconLinks(read(out, page)), ['<link rel="icon" href="/favicon.ico">'], page);
    }
  });

  it('follows a static/favicon.ico added or removed while watching, and in a new build over the last output', async () => {
    const root = site();
    const outDir = path.join(tempDir(), 'public');
    const config = () => loadConfig(root, { outDir, threads: 1 });
    const first = await build(config());
    assert.ok(first.ok);
    const icon = path.join(root, 'static/favicon.ico');
    fs.mkdirSync(path.dirname(icon), { recursive: true });
    fs.writeFileSync(icon, 'icon');
    const added = await build(config(), { previous: first.state, changes: { posts: [], templates: false, copies: true } });
    assert.ok(added.ok);
    for (const page of pages) assert.deepEqual(iconLinks(read(outDir, page)), ['<link rel="icon" href="/blog/favicon.ico">'], `watch: ${page}`);
    fs.rmSync(icon);
    const removed = await build(config(), { previous: added.state, changes: { posts: [], templates: false, copies: true } });
    assert.ok(removed.ok);
    for (const page of pages) assert.equal(iconLinks(read(outDir, page)).length, 3, `watch: ${page}`);
    // A build from scratch with the cache carries unchanged pages over from the output: not these.
    fs.writeFileSync(icon, 'icon');
    assert.ok((await build(config())).ok);
    for (const page of pages) assert.deepEqual(iconLinks(read(outDir, page)), ['<link rel="icon" href="/blog/favicon.ico">'], `new build: ${page}`);
  });
});

describe('meta descriptions', () => {
  it('are on the home, index, tag, tags and 404 pages of a site without a description, from its title, escaped', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: \'Rust & "Friends" <Meetup>\'\npaginate: 1\n',
      'posts/2024-03-12-night.md': post('tags: [\'C++ & "Go"\']\n'),
      'posts/2024-04-12-second.md': post('tags: [x]\n'),
    });
    const out = await buildInto(root);
    const site = 'Rust &amp; &quot;Friends&quot; &lt;Meetup&gt;';
    assert.equal(description(read(out, 'index.html')), `${site}: every recap, newest first.`);
    assert.equal(description(read(out, 'page/2/index.html')), `${site}: every recap, newest first.`);
    assert.equal(description(read(out, 'tags/c-go/index.html')), `Recaps tagged “C++ &amp; &quot;Go&quot;” on ${site}.`);
    assert.equal(description(read(out, 'tags/index.html')), `The tags of the recaps on ${site}, with the number of recaps for each.`);
    assert.equal(description(read(out, '404.html')), `${site}: every recap, newest first.`);
    assert.match(read(out, 'index.html'), new RegExp(`<meta property="og:description" content="${site}: every recap, newest first.">`));
  });

  it('are the site\'s description where it has one, and a post\'s own description or excerpt', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Meetup\ndescription: Talks & pizza.\n',
      'posts/2024-03-12-night.md': post('description: Our first night.\n'),
      'posts/2024-04-12-empty.md': post('', ''),
    });
    const out = await buildInto(root);
    assert.equal(description(read(out, 'index.html')), 'Talks &amp; pizza.');
    assert.equal(description(read(out, '404.html')), 'Talks &amp; pizza.');
    assert.equal(description(read(out, '2024/03/12/night/index.html')), 'Our first night.');
    assert.equal(description(read(out, '2024/04/12/empty/index.html')), 'Talks &amp; pizza.', 'a post with no text');
  });
});

describe('the video facade', () => {
  it('reads YouTube and Vimeo links as strictly as videoEmbed, and nothing else', () => {
    assert.deepEqual(videoFacade('https://www.youtube.com/watch?v=abcDEF12345&t=30s'), {
      provider: 'youtube',
      playerUrl: 'https://www.youtube-nocookie.com/embed/abcDEF12345?autoplay=1',
      thumbnailUrl: 'https://i.ytimg.com/vi/abcDEF12345/hqdefault.jpg',
    });
    assert.equal(videoFacade('https://youtu.be/abc-_12')?.playerUrl, 'https://www.youtube-nocookie.com/embed/abc-_12?autoplay=1');
    assert.equal(videoFacade('https://m.youtube.com/shorts/abc')?.thumbnailUrl, 'https://i.ytimg.com/vi/abc/hqdefault.jpg');
    assert.deepEqual(videoFacade('https://vimeo.com/76979871'), { provider: 'vimeo', playerUrl: 'https://player.vimeo.com/video/76979871?autoplay=1', thumbnailUrl: '' });
    const refused = [
      'https://www.youtube.com/watch?v=abc"onload=x',
      'https://www.youtube.com/watch?v=abc%22%3E%3Cscript%3E',
      'https://www.youtube.com/watch?v=abc/../../x',
      'https://youtu.be/abc%22x',
      'https://youtu.be/a/b',
      'https://youtube.com.evil.example/watch?v=abc',
      'https://evil.example/youtube.com/watch?v=abc',
      'https://vimeo.com/channels/staffpicks',
      'https://vimeo.com.evil.example/123',
      'javascript:alert(1)//youtube.com/watch?v=abc',
      'javascript://youtube.com/watch?v=abc&x=%0aalert(1)',
      'data://youtube.com/watch?v=abc',
      'https://example.org/talk.mp4',
      '',
    ];
    for (const link of refused) {
      assert.equal(videoFacade(link), undefined, link);
      assert.equal(videoEmbedUrl(link), '', link);
    }
    assert.equal(videoFacade(42), undefined);
  });

  it('is a link to the video, with the player and its title as data, and the script with basePath; no iframe until asked', async () => {
    const root = writeSite({
      'recap.config.yml': 'basePath: /blog/\n',
      'posts/2024-03-12-night.md': post('title: \'Night "one" <b>\'\nvideo: https://www.youtube.com/watch?v=abcDEF12345\nimage: /images/cover.jpg\n'),
      'posts/2024-04-12-vimeo.md': post('video: https://vimeo.com/76979871\n'),
    });
    const out = await buildInto(root);
    const youtube = read(out, '2024/03/12/night/index.html');
    const title = 'Night &quot;one&quot; &lt;b&gt;';
    assert.ok(youtube.includes(`<a class="video-facade video-facade-youtube" href="https://www.youtube.com/watch?v=abcDEF12345" aria-label="Play video: ${title}" data-player="https://www.youtube-nocookie.com/embed/abcDEF12345?autoplay=1" data-title="${title}" data-frame-title="Video: ${title}">`), youtube);
    // Not lazy though not the page's first image: the theme says so (the image pass keeps it).
    assert.ok(youtube.includes('<img src="https://i.ytimg.com/vi/abcDEF12345/hqdefault.jpg" alt="" width="480" height="360" loading="eager" decoding="async"'), youtube);
    assert.ok(youtube.includes('<script src="/blog/assets/video.js" defer></script>'));
    assert.ok(youtube.includes('<div class="post-media post-media-pair">'), 'the cover and the video side by side on wide screens');
    assert.ok(!youtube.includes('<iframe'));
    const vimeo = read(out, '2024/04/12/vimeo/index.html');
    assert.ok(vimeo.includes('<a class="video-facade video-facade-vimeo" href="https://vimeo.com/76979871" aria-label="Play video: A night" data-player="https://player.vimeo.com/video/76979871?autoplay=1" data-title="A night" data-frame-title="Video: A night">'));
    assert.ok(!vimeo.includes('i.ytimg.com'), 'no thumbnail for Vimeo');
    assert.ok(vimeo.includes('<span class="video-facade-title">A night</span>'));
    assert.ok(listTree(out).includes('assets/video.js'));
    assert.ok(!read(out, 'index.html').includes('video.js'), 'only posts with a video load the script');
  });

  it('is a plain link for any other video, with no script', async () => {
    const root = writeSite({
      'recap.config.yml': 'basePath: /blog/\n',
      'posts/2024-03-12-file.md': post('video: /media/talk.mp4\n'),
      'posts/2024-03-13-odd.md': post('video: \'https://www.youtube.com/watch?v=abc"x\'\n'),
    });
    const out = await buildInto(root);
    const file = read(out, '2024/03/12/file/index.html');
    assert.ok(file.includes('<p class="video-link"><a href="/blog/media/talk.mp4">Watch the video</a></p>'));
    assert.ok(!file.includes('video.js') && !file.includes('video-facade'));
    const odd = read(out, '2024/03/13/odd/index.html');
    assert.ok(odd.includes('<p class="video-link"><a href="https://www.youtube.com/watch?v=abc&quot;x">Watch the video</a></p>'), odd);
  });

  it('the script loads only the players the theme writes', () => {
    const script = fs.readFileSync(path.join(REPO, 'templates/assets/video.js'), 'utf8');
    const player = new RegExp(/var PLAYER = \/(.*)\/;/.exec(script)![1]);
    assert.ok(player.test('https://www.youtube-nocookie.com/embed/abcDEF12345?autoplay=1'));
    assert.ok(player.test('https://player.vimeo.com/video/76979871?autoplay=1'));
    for (const url of ['javascript:alert(1)', 'https://evil.example/?https://www.youtube-nocookie.com/embed/a?autoplay=1', 'https://www.youtube-nocookie.com/embed/a?autoplay=1&x', 'https://player.vimeo.com/video/1/../x?autoplay=1']) {
      assert.equal(player.test(url), false, url);
    }
  });
});

describe('the navigation', () => {
  it('shows every page inline up to four, then three and the rest under "More", open on a page it lists', async () => {
    const pages = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`pages/p${i}.md`, `---\ntitle: Page ${i}\nnav_order: ${i}\n---\nText.\n`]));
    const four = await buildInto(writeSite(pages(4)));
    assert.ok(!read(four, 'index.html').includes('nav-more'));
    assert.ok(read(four, 'index.html').includes('<a href="/p3/">Page 3</a>'));
    const five = await buildInto(writeSite(pages(5)));
    const home = read(five, 'index.html');
    assert.ok(home.includes('<a href="/p2/">Page 2</a>\n      <details class="nav-more">\n        <summary>More</summary>'), home);
    assert.ok(home.includes('<li><a href="/p3/">Page 3</a></li>') && home.includes('<li><a href="/p4/">Page 4</a></li>'));
    assert.ok(read(five, 'p4/index.html').includes('<details class="nav-more" open>'));
    assert.ok(read(five, 'p4/index.html').includes('<li><a href="/p4/" aria-current="page">Page 4</a></li>'));
    assert.ok(read(five, 'p1/index.html').includes('<details class="nav-more">'));
  });
});
