import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { mapSrcset, rewriteUrlAttributes } from '../src/html/rewrite-urls.js';
import { htmlText } from '../src/html/text.js';
import { withBasePath } from '../src/markdown/links.js';
import { renderMarkdown, renderWork } from '../src/markdown/render.js';
import { buildInto, copySite, FIXTURES } from './helpers.js';

const CODE_SAMPLE = '<pre><code class="language-html">&#x3C;a href="/about/">About us&#x3C;/a>\n&#x3C;img src="/images/logo.png" alt="">\n</code></pre>';
const PROSE = '<p>Prose that merely mentions src="/images/logo.png" stays as written, and so does <code>href="/inline/"</code> in code.</p>';

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

/** The feed's HTML bodies, unescaped once, as a feed reader sees them. */
const feedContent = (xml: string) =>
  [...xml.matchAll(/<content type="html">([\s\S]*?)<\/content>/g)].map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')).join('');

describe('rewriteUrlAttributes', () => {
  const addBlog = (url: string) => (url.startsWith('/') ? '/blog' + url : url);

  it('rewrites unquoted values and values with spaces around "=", re-quoted and escaped', () => {
    assert.equal(rewriteUrlAttributes('<img src=/images/x.png>', addBlog), '<img src="/blog/images/x.png">');
    assert.equal(rewriteUrlAttributes('<a href = "/x">x</a>', addBlog), '<a href="/blog/x">x</a>');
    assert.equal(rewriteUrlAttributes("<a HREF='/a?b=1&amp;c=\"2\"' class=x>", addBlog), '<a HREF="/blog/a?b=1&amp;c=&quot;2&quot;" class=x>');
    assert.equal(rewriteUrlAttributes('<form action=/go><button formaction=/stop>x</button></form><blockquote cite=/q><object data=/o.svg></object></blockquote>', addBlog), '<form action="/blog/go"><button formaction="/blog/stop">x</button></form><blockquote cite="/blog/q"><object data="/blog/o.svg"></object></blockquote>');
  });

  it('keeps every other byte as written, partial blocks included', () => {
    for (const html of ['<div class="video-wrapper">', '</div>', '<div class = wrapper\n  data-x=1>', '<p>src="/x" href=/y</p>', '<!-- <a href="/x"> -->', '<script>const a = \'<a href="/x">\';</script>', '<a href="https://x.example/">x</a>', '<p>&amp; &#x3C; <b>b</b></p>']) {
      assert.equal(rewriteUrlAttributes(html, addBlog), html);
    }
    assert.equal(rewriteUrlAttributes('<p  id=a>\n<a  href=/x   title="T">t</a >\n', addBlog), '<p  id=a>\n<a  href="/blog/x"   title="T">t</a >\n');
  });

  it('rewrites an element the parser re-opens once', () => {
    assert.equal(rewriteUrlAttributes('<p><a href=/x>1<p>2</a>', addBlog), '<p><a href="/blog/x">1<p>2</a>');
  });

  it('finds URLs in <noscript> and <template> content', () => {
    assert.equal(rewriteUrlAttributes('<noscript><img src="/n.png"></noscript><template><img src="/t.png"></template>', addBlog), '<noscript><img src="/blog/n.png"></noscript><template><img src="/blog/t.png"></template>');
  });

  it('maps each srcset URL and keeps descriptors and spacing', () => {
    assert.equal(mapSrcset('/a.png 1x,/b.png  2x , https://c/d.png 480w', addBlog), '/blog/a.png 1x,/blog/b.png  2x , https://c/d.png 480w');
    // As browsers read it: a URL runs to whitespace, so commas inside one are part of it.
    assert.equal(mapSrcset('/w_100,h_50/a.png 100w, /b.png,, /c.png 2x', addBlog), '/blog/w_100,h_50/a.png 100w, /blog/b.png,, /blog/c.png 2x');
  });
});

describe('the base path rule', () => {
  it('prefixes site-root URLs that do not already start with it', () => {
    assert.equal(withBasePath('/about/', '/blog/'), '/blog/about/');
    assert.equal(withBasePath('/blog/about/', '/blog/'), '/blog/about/');
    assert.equal(withBasePath('/blog', '/blog/'), '/blog');
    assert.equal(withBasePath('/blogroll/', '/blog/'), '/blog/blogroll/');
    assert.equal(withBasePath('//cdn.example/x.js', '/blog/'), '//cdn.example/x.js');
    assert.equal(withBasePath('about/', '/blog/'), 'about/');
    assert.equal(withBasePath('/about/', '/'), '/about/');
  });

  it('treats a Jekyll reference marker as the site-root path it stands for (marked as the path alone, the base path before it)', () => {
    assert.equal(withBasePath('recap-reference:0:', '/blog/'), '/blogrecap-reference-path:0:');
    assert.equal(withBasePath('recap-reference:0:#agenda', '/blog/'), '/blogrecap-reference-path:0:#agenda');
    assert.equal(withBasePath('/blogrecap-reference:0:', '/blog/'), '/blogrecap-reference-path:0:');
    assert.equal(withBasePath('https://x.example/blogrecap-reference:0:', '/blog/'), 'https://x.example/blogrecap-reference-path:0:');
  });

  it('rewrites links, images, definitions and raw HTML in markdown, never code or text', () => {
    const markdown = '[a](/a/) ![i](/i.png) [r][r] `<a href="/c/">` <a href=/raw/>raw</a>\n\n    <img src="/indented.png">\n\n[r]: /r/\n';
    assert.equal(
      renderMarkdown(markdown, 'commonmark', '/blog/').html,
      '<p><a href="/blog/a/">a</a> <img src="/blog/i.png" alt="i"> <a href="/blog/r/">r</a> <code>&#x3C;a href="/c/"></code> <a href="/blog/raw/">raw</a></p>\n<pre><code>&#x3C;img src="/indented.png">\n</code></pre>\n',
    );
    // A value is read as the browser reads it, entities decoded.
    assert.equal(renderMarkdown('<p><img src="&#x2F;e.png"></p>', 'commonmark', '/blog/').html, '<p><img src="/blog/e.png"></p>\n');
  });
});

describe('excerpts are plain text', () => {
  it('leave raw HTML tags out of the first paragraph but keep their text', () => {
    assert.equal(renderMarkdown('![photo](/p.jpg)\n\nHello <b>world</b> <!-- note --> and <span title="t">3 &lt; 5</span> & `<code>`.').firstParagraph, 'Hello world and 3 < 5 & <code>.');
  });

  it('take the text before an excerpt_separator from its markdown tree, entities decoded once', () => {
    const rendered = renderWork({ body: 'x', flavor: 'commonmark', basePath: '/', beforeSeparator: 'When 3 < 5 & 6 > 4 &amp; &#x3C;\n\n<p>Raw <b>block</b></p>\n\n- one\n- two\n' });
    assert.equal(rendered.beforeSeparator?.text, 'When 3 < 5 & 6 > 4 & < Raw block one two');
  });

  it('read the text of raw HTML as a browser shows it', () => {
    assert.equal(htmlText('<p>a &amp; b</p><p>c<br>d</p><script>x()</script><i>e</i>f').replace(/\s+/g, ' ').trim(), 'a & b c d ef');
    assert.equal(htmlText('no markup'), 'no markup');
  });
});

describe('the html-trees fixture, as built', async () => {
  const out = await buildInto(path.join(FIXTURES, 'html-trees'));
  const post = read(out, '2019/04/01/code-and-raw-html/index.html');
  const comparisons = read(out, '2019/04/02/comparisons/index.html');
  const index = read(out, 'index.html');
  const feed = read(out, 'feed.xml');

  it('leaves code samples and prose about attributes untouched, on the page and in the feed', () => {
    assert.ok(post.includes(CODE_SAMPLE), 'code sample on the page');
    assert.ok(post.includes(PROSE), 'prose on the page');
    assert.ok(feedContent(feed).includes(CODE_SAMPLE), 'code sample in the feed');
    assert.ok(feedContent(feed).includes(PROSE), 'prose in the feed');
  });

  it('gives raw HTML URLs the base path on the page and makes them absolute in the feed', () => {
    // x.png is no real image: the image pass leaves its URL and adds only how it loads.
    assert.ok(post.includes('<figure><img src="/blog/images/x.png" alt="An unquoted source" fetchpriority="high" decoding="async"></figure>'));
    assert.ok(post.includes('<a href="/blog/x">spaced</a>'));
    assert.ok(post.includes('<video POSTER="/blog/images/poster.jpg" controls><source src="/blog/media/talk.mp4" type="video/mp4"></video>'));
    assert.ok(post.includes('<source srcset="/blog/images/x.png 1x,/blog/images/x@2x.png 2x"><img src="/blog/images/x.png?size=small&amp;v=2" alt="" loading="lazy" decoding="async">'));
    const content = feedContent(feed);
    assert.ok(content.includes('<figure><img src="https://example.org/blog/images/x.png" alt="An unquoted source"></figure>'));
    assert.ok(content.includes('<a href="https://example.org/blog/x">spaced</a>'));
  });

  it('keeps the video wrappers byte for byte', () => {
    assert.ok(post.includes('<div class="video-wrapper">\n    <iframe src="https://www.youtube-nocookie.com/embed/abcDEF12345" title="Recording" allowfullscreen></iframe>\n</div>\n<div class="video-wrapper">\n<p><video'));
  });

  it('shows excerpts as text, escaped once, in the meta description, on the index and in the feed summary', () => {
    assert.ok(post.includes('<meta name="description" content="Hello world, and welcome to the markup night.">'));
    assert.ok(index.includes('<p>Hello world, and welcome to the markup night.</p>'));
    assert.ok(feed.includes('<summary type="text">Hello world, and welcome to the markup night.</summary>'));
    const excerpt = 'When 3 &lt; 5 &amp; 6 &gt; 4, the pipeline is &quot;green&quot;. Its second paragraph is part of the excerpt, with emphasis and a link.';
    assert.ok(comparisons.includes(`<meta name="description" content="${excerpt}">`));
    assert.ok(index.includes(`<p>${excerpt}</p>`));
    assert.ok(feed.includes(`<summary type="text">${excerpt}</summary>`));
  });

  it('with base path "/", still leaves code samples alone in the feed', async () => {
    const root = copySite(path.join(FIXTURES, 'html-trees'));
    fs.rmSync(path.join(root, 'expected'), { recursive: true });
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: At the root\nurl: https://example.org\n');
    const rootFeed = feedContent(read(await buildInto(root), 'feed.xml'));
    assert.ok(rootFeed.includes(CODE_SAMPLE));
    assert.ok(rootFeed.includes(PROSE));
    assert.ok(rootFeed.includes('<figure><img src="https://example.org/images/x.png" alt="An unquoted source"></figure>'));
  });
});
