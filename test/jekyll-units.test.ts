import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/pipeline/config.js';
import { frontMatterDefaults, readJekyllConfig } from '../src/jekyll/config.js';
import { slugify as jekyllSlugify } from '../src/jekyll/slugify.js';
import { kramdownId, parseAttributeList } from '../src/jekyll/kramdown.js';
import { createLiquidEngine } from '../src/jekyll/liquid.js';
import { renderMarkdown } from '../src/markdown/render.js';
import { dialectOf } from '../src/pipeline/dialect.js';
import { liquidBodies } from '../src/jekyll/dialect.js';
import { classifyChange, createRebuilder } from '../src/dev/watch.js';
import { buildInto, copySite, jekyllSite, parsePost, REPO, tempDir } from './helpers.js';


describe('_config.yml', () => {
  it('reads the keys recap understands and lists the rest in one warning', () => {
    const root = jekyllSite('title: T\nbaseurl: /blog\nurl: https://x.example\npermalink: pretty\npaginate: 3\npaginate_path: /p:num/\ntwitter_username: t\nplugins: [jekyll-feed]\njekyll-archives:\n  permalinks:\n    tag: /topic/:name/\n');
    const config = loadConfig(root);
    assert.equal(config.title, 'T');
    assert.equal(config.basePath, '/blog/');
    assert.equal(config.permalink, '/:categories/:year/:month/:day/:title/');
    assert.equal(config.paginate, 3);
    assert.equal(config.paginatePath, '/p:num/');
    assert.equal(config.tagPermalink, '/topic/:tag/');
    assert.equal(config.feedLimit, 10);
    // twitter_username is the site's own data (its Liquid reads site.twitter_username): no warning.
    assert.deepEqual(config.warnings.filter((w) => w.startsWith('_config.yml')), []);
    const withCollections = loadConfig(jekyllSite('title: T\ncollections:\n  speakers: {output: true}\nlayouts_dir: _templates\n'));
    assert.deepEqual(withCollections.warnings.filter((w) => w.startsWith('_config.yml')), ['_config.yml: recap does not follow "collections", "layouts_dir"']);
  });

  it('lets recap.config.yml win key by key', () => {
    const root = jekyllSite('title: From Jekyll\npermalink: none\n', { 'recap.config.yml': 'title: From recap\n' });
    const config = loadConfig(root);
    assert.equal(config.title, 'From recap');
    assert.equal(config.permalink, '/:categories/:title:output_ext');
  });

  it('applies defaults by path and type', () => {
    const jekyll = readJekyllConfig(jekyllSite('defaults:\n  - scope: {path: "", type: posts}\n    values: {layout: post, author: A}\n  - scope: {path: "_posts/2019"}\n    values: {author: B}\n'), 'production')!.jekyll;
    assert.deepEqual(frontMatterDefaults(jekyll, '_posts/2018-01-01-x.md', 'posts'), { layout: 'post', author: 'A' });
    assert.deepEqual(frontMatterDefaults(jekyll, '_posts/2019/2019-01-01-x.md', 'posts'), { layout: 'post', author: 'B' });
    assert.deepEqual(frontMatterDefaults(jekyll, 'about.md', 'pages'), {});
  });

  it('slugifies as Jekyll does', () => {
    assert.equal(jekyllSlugify('KubeCon Recap: Día 1!', 'default'), 'kubecon-recap-día-1');
    assert.equal(jekyllSlugify('KubeCon Recap: Día 1!', 'pretty', true), 'KubeCon-Recap-Día-1!');
  });
});

describe('Liquid in Jekyll bodies', () => {
  const root = jekyllSite('url: https://x.example\nbaseurl: /blog\n', { '_includes/note.html': '<aside>{{ include.text }}</aside>' });
  const config = loadConfig(root, { now: new Date('2030-01-01') });
  const dialect = dialectOf(config);
  const context = { config, dialect, bodyEngine: liquidBodies(config, dialect.urlPath, createLiquidEngine(config)) };
  const body = (text: string) => parsePost({ path: '_posts/2019-03-06-x.md', text: `---\ntitle: "T & U"\n---\n${text}` }, context);

  it("runs Jekyll's filters and include", () => {
    assert.equal(body('{{ "/a/" | relative_url }} {{ "/a/" | absolute_url }} {{ page.title | xml_escape }} {{ "Hello World!" | slugify }}').html, '<p>/blog/a/ https://x.example/blog/a/ T &#x26; U hello-world</p>\n');
    assert.equal(body('{{ page.date | date_to_string }} {{ page.date | date: "%B %-d, %Y" }}').html, '<p>06 Mar 2019 March 6, 2019</p>\n');
    assert.equal(body('{% include note.html text="Bring a laptop" %}').html, '<aside>Bring a laptop</aside>\n');
    assert.equal(body('{% raw %}{{ kept }}{% endraw %}').html, '<p>{{ kept }}</p>\n');
    assert.equal(body('{% highlight yaml %}\nkey: <value>\n{% endhighlight %}').html, '<figure class="highlight"><pre><code class="language-yaml" data-lang="yaml">key: &lt;value&gt;</code></pre></figure>\n');
  });

  it('names the post and line of an unknown tag; an unknown filter passes its input through, as in Jekyll', () => {
    assert.throws(() => body('ok\n\n{% nosuch %}'), (e: unknown) => e instanceof Error && 'format' in e && (e as { format(): string }).format() === 'posts/2019-03-06-x.md:6:1: tag "nosuch" not found (wrap literal {{ }} or {% %} in {% raw %}…{% endraw %}, or set render_with_liquid: false)'.replace('posts/', '_posts/'));
    const post = body('{{ "kept" | nofilter }}');
    assert.equal(post.html, '<p>kept</p>\n');
    assert.deepEqual(post.unknownFilters, ['nofilter']);
  });
});

describe('kramdown habits', () => {
  const html = (md: string) => renderMarkdown(md, 'kramdown').html;
  it('applies inline attribute lists instead of printing them', () => {
    assert.equal(html('[slides](/s){:target="_blank"}'), '<p><a href="/s" target="_blank">slides</a></p>\n');
    assert.equal(html('A lead.\n{: .lead}'), '<p class="lead">A lead.</p>\n');
    assert.equal(html('> Quote\n\n{: .big #q}'), '<blockquote id="q" class="big">\n<p>Quote</p>\n</blockquote>\n');
    assert.deepEqual(parseAttributeList('{: .a .b #c data-x="1"}'), { class: 'a b', id: 'c', 'data-x': '1' });
    assert.equal(parseAttributeList('{not an ial}'), undefined);
  });
  it('gives headers ids as kramdown does, and builds {:toc}', () => {
    assert.equal(kramdownId('2019: The "Year" in Review!'), 'the-year-in-review');
    // As real Jekyll: an id given with {#…} is not counted, so a made id may repeat it.
    assert.equal(html('## Agenda {#agenda}\n\n## Agenda'), '<h2 id="agenda">Agenda</h2>\n<h2 id="agenda">Agenda</h2>\n');
    assert.match(html('* TOC\n{:toc}\n\n## One\n\n### Two'), /^<ul id="markdown-toc">\n<li><a href="#one" id="markdown-toc-one">One<\/a>\n<ul>\n<li><a href="#two" id="markdown-toc-two">Two<\/a><\/li>/);
  });
  it('reads markdown inside markdown="1" blocks, and URLs with spaces', () => {
    assert.equal(html('<div class="box" markdown="1">\n**bold**\n</div>'), '<div class="box">\n<p><strong>bold</strong></p>\n</div>\n');
    assert.equal(html('![Crowd](/images/big crowd.jpg)'), '<p><img src="/images/big%20crowd.jpg" alt="Crowd"></p>\n');
  });
  it('leaves attribute lists out of the excerpt', () => {
    assert.equal(renderMarkdown('A lead.\n{: .lead}\n\nMore.', 'kramdown').firstParagraph, 'A lead.');
  });
  it('leaves recap sites on CommonMark', () => {
    assert.equal(renderMarkdown('A.\n{: .lead}').html, '<p>A.\n{: .lead}</p>\n');
  });
});

describe('files as Jekyll publishes them', () => {
  it('copies files without front matter, builds pages, skips HTML pages, honours exclude', async () => {
    const root = jekyllSite('exclude: [secret.txt]\n', {
      '_posts/2019-01-01-a.md': '---\ntitle: A\nlayout: default\n---\nA.\n',
      'about.md': '---\ntitle: About\n---\nAbout us.\n',
      'README.md': 'No front matter: copied.\n',
      'index.html': '---\nlayout: home\n---\n{% for p in site.posts %}{% endfor %}\n',
      'images/a.png': 'PNG',
      'secret.txt': 'no',
      '_drafts/idea.md': '---\ntitle: Idea\n---\n',
    });
    const out = await buildInto(root);
    assert.ok(fs.existsSync(path.join(out, '2019/01/01/a.html')), 'posts at Jekyll URLs');
    assert.ok(fs.existsSync(path.join(out, 'about.html')), 'pages at Jekyll URLs');
    assert.equal(fs.readFileSync(path.join(out, 'README.md'), 'utf8'), 'No front matter: copied.\n');
    assert.ok(fs.existsSync(path.join(out, 'images/a.png')));
    assert.ok(!fs.existsSync(path.join(out, 'secret.txt')), 'excluded');
    assert.match(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /class="post-card"/, "recap's own home page");
  });

  it('builds a page without a title, names an untitled post from its slug, and follows the first redirect_to of a list, as Jekyll does', async () => {
    const root = jekyllSite('title: Meetup\nurl: https://x.example\n', {
      '_posts/2019-03-06-kubernetes-day-RECAP.md': '---\nlayout: post\n---\nTalks.\n',
      '_posts/2019-04-06-empty.md': '---\ntitle: ""\n---\nEmpty title.\n',
      'thanks.md': '---\nlayout: page\n---\nThanks for coming.\n',
      'old.md': '---\ntitle: Old\nredirect_to: [/thanks.html, /elsewhere/]\n---\n',
    });
    const out = await buildInto(root);
    const post = fs.readFileSync(path.join(out, '2019/03/06/kubernetes-day-RECAP.html'), 'utf8');
    assert.match(post, /<title>Kubernetes Day Recap · Meetup<\/title>/);
    assert.match(fs.readFileSync(path.join(out, '2019/04/06/empty.html'), 'utf8'), /<title>Empty · Meetup<\/title>/);
    const page = fs.readFileSync(path.join(out, 'thanks.html'), 'utf8');
    assert.match(page, /<title>Meetup<\/title>/, 'no title: the site title alone');
    assert.match(page, /Thanks for coming\./);
    assert.doesNotMatch(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), /href="\/thanks\.html"/, 'an untitled page is not in the navigation');
    assert.match(fs.readFileSync(path.join(out, 'old.html'), 'utf8'), /http-equiv="refresh" content="0; url=(https:\/\/x\.example)?\/thanks\.html"/);
  });

  it('reads a date written with an offset on the clocks of the site\'s timezone (UTC when not set), as Jekyll does', async () => {
    // What Jekyll 4.3 wrote for these two posts (TZ=UTC, as GitHub Pages builds): 2019/03/05/x.html and 2019/03/07/y.html;
    // with timezone: Europe/Berlin, 2019/03/06/x.html and 2019/03/08/y.html.
    const posts = {
      '_posts/2019-03-06-x.md': '---\ntitle: X\ndate: 2019-03-06 00:30:00 +0100\n---\n{{ page.date | date: "%Y-%m-%d %H:%M" }}\n',
      '_posts/2019-03-07-y.md': '---\ntitle: Y\ndate: 2019-03-07 18:30:00 -0500\n---\n{{ page.date | date: "%Y-%m-%d %H:%M" }}\n',
      '_posts/2019-03-09-z.md': '---\ntitle: Z\ndate: 2019-03-09 23:30\n---\nNo offset: kept.\n',
    };
    const utc = await buildInto(jekyllSite('title: M\n', posts));
    assert.match(fs.readFileSync(path.join(utc, '2019/03/05/x.html'), 'utf8'), /2019-03-05 23:30/);
    assert.match(fs.readFileSync(path.join(utc, '2019/03/07/y.html'), 'utf8'), /2019-03-07 23:30/);
    assert.ok(fs.existsSync(path.join(utc, '2019/03/09/z.html')));
    const berlin = await buildInto(jekyllSite('title: M\ntimezone: Europe/Berlin\n', posts));
    assert.match(fs.readFileSync(path.join(berlin, '2019/03/06/x.html'), 'utf8'), /2019-03-06 00:30/);
    assert.match(fs.readFileSync(path.join(berlin, '2019/03/08/y.html'), 'utf8'), /2019-03-08 00:30/);
    const config = loadConfig(jekyllSite('title: M\ntimezone: Mars/Olympus\n', posts));
    assert.ok(config.warnings.some((w) => w.includes('"timezone" Mars/Olympus is no time zone name')), config.warnings.join('\n'));
  });

  it('reads YAML as Ruby does: a plain yes/no/on/off is a boolean in front matter, _config.yml and _data, a quoted one text', async () => {
    const out = await buildInto(
      jekyllSite('title: M\nshow_share: off\n', {
        '_data/features.yml': 'banner: no\nsearch: Yes\n',
        'flags.md': '---\ntitle: Flags\ncomments: no\nquoted: "no"\n---\n{% if page.comments %}C-on{% else %}C-off{% endif %} {% if site.show_share %}S-on{% else %}S-off{% endif %} {% if site.data.features.banner %}B-on{% else %}B-off{% endif %} {% if site.data.features.search %}F-on{% endif %} [{{ page.quoted }}]\n',
      }),
    );
    assert.match(fs.readFileSync(path.join(out, 'flags.html'), 'utf8'), /C-off S-off B-off F-on \[no\]/);
  });

  it('gives templates jekyll.environment: JEKYLL_ENV, else production for a build and development for watch', async () => {
    const files = { 'pay.md': '---\ntitle: Pay\n---\nkey: {% if jekyll.environment == "production" %}live-key{% else %}test-key{% endif %} ({{ jekyll.environment }})\n' };
    const built = fs.readFileSync(path.join(await buildInto(jekyllSite('title: M\n', files)), 'pay.html'), 'utf8');
    assert.match(built, /live-key \(production\)/);
    const root = jekyllSite('title: M\n', files);
    const rebuilder = createRebuilder(root, { outDir: path.join(tempDir(), 'public') });
    const report = await rebuilder.rebuild([], true);
    assert.ok(report.result, String(report.errors));
    assert.match(fs.readFileSync(path.join(rebuilder.config!.outDir, 'pay.html'), 'utf8'), /test-key \(development\)/);
    await rebuilder.close();
    process.env.JEKYLL_ENV = 'staging';
    try {
      assert.match(fs.readFileSync(path.join(await buildInto(jekyllSite('title: M\n', files)), 'pay.html'), 'utf8'), /test-key \(staging\)/);
    } finally {
      delete process.env.JEKYLL_ENV;
    }
  });

  it('publishes the files Jekyll publishes, and posts from every _posts folder', async () => {
    const root = jekyllSite('exclude: ["*.sh"]\ninclude: [.htaccess]\n', {
      '_posts/2020-03-03-x.md': '---\ntitle: X\n---\nX.\n',
      'blog/_posts/2020-02-02-cat-post.md': '---\ntitle: In blog\n---\nB.\n',
      '#notes.txt': 'editor backup',
      'scripts/b.sh': 'echo',
      'vendor/keep.txt': 'kept',
      'vendor/bundle/gem.rb': 'bundled',
      '.htaccess': 'Options -Indexes',
      'robots.txt': '---\nlayout: null\n---\nSitemap: {{ site.url }}/sitemap.xml\n',
      'assets/main.scss': '---\n---\nbody { color: red; }\n',
    });
    const out = await buildInto(root);
    const files = fs.readdirSync(out, { recursive: true }).map(String);
    assert.ok(files.includes('blog/2020/02/02/cat-post.html'), 'a post in blog/_posts/ has the category blog');
    assert.ok(files.includes('vendor/keep.txt') && !files.includes('vendor/bundle/gem.rb'));
    assert.ok(files.includes('.htaccess'), 'included');
    assert.ok(!files.includes('#notes.txt') && !files.includes('scripts/b.sh'), 'left out as Jekyll does');
    assert.ok(!files.includes('assets/main.scss'), 'files Jekyll would render are skipped');
    assert.ok(!files.includes('robots.txt'), 'the Liquid robots.txt is skipped and none takes its place: the site enables no jekyll-sitemap (which would leave it to the site anyway)');
  });

  it('watches Jekyll sites by their own layout', () => {
    const config = loadConfig(jekyllSite('title: t\n'));
    assert.equal(classifyChange(config, '_posts/2019-01-01-a.md'), 'post');
    assert.equal(classifyChange(config, '_includes/note.html'), 'template');
    assert.equal(classifyChange(config, 'about.md'), 'post-or-copy');
    assert.equal(classifyChange(config, 'images/a.png'), 'post-or-copy', 'any file may be a page: one with front matter is');
    assert.equal(classifyChange(config, '_layouts/post.html'), 'template');
    assert.equal(classifyChange(config, '_data/members.yml'), 'config', 'site.data, and the authors of feed entries');
    assert.equal(classifyChange(config, '_config.yml'), 'config');
  });
});

describe('a Jekyll site under a baseurl', () => {
  const site = () =>
    jekyllSite('url: https://x.example\nbaseurl: /blog\nexcerpt_separator: "<!--more-->"\nplugins: [jekyll-feed]\n', {
      '_posts/2019-03-06-a.md': '---\ntitle: A\n---\nTarget.\n',
      '_posts/2019-03-07-b.md': [
        '---\ntitle: B\n---',
        'When 3 < 5 & 6 > 4 we <em>ship</em>.\n\n<!--more-->\n',
        '[bare]({% post_url 2019-03-06-a %}), [prefixed]({{ site.baseurl }}{% post_url 2019-03-06-a %}), [ref][r],',
        '<a href="{% post_url 2019-03-06-a %}#top">raw</a> and <a href={{ site.baseurl }}{% link _posts/2019-03-06-a.md %}>raw link</a>.\n',
        '[r]: {% post_url 2019-03-06-a %}',
      ].join('\n'),
    });

  it('gives post_url and link the base path once, whether or not the post wrote {{ site.baseurl }}', async () => {
    const html = fs.readFileSync(path.join(await buildInto(site()), '2019/03/07/b.html'), 'utf8');
    assert.ok(
      html.includes('<p><a href="/blog/2019/03/06/a.html">bare</a>, <a href="/blog/2019/03/06/a.html">prefixed</a>, <a href="/blog/2019/03/06/a.html">ref</a>,\n<a href="/blog/2019/03/06/a.html#top">raw</a> and <a href="/blog/2019/03/06/a.html">raw link</a>.</p>'),
      html,
    );
    assert.ok(!html.includes('/blog/blog') && !html.includes('recap-reference'));
  });

  it('prints post_url in text with the base path, as Jekyll 4 does, and resolves it in excerpts, descriptions and the feed', async () => {
    const root = site();
    fs.writeFileSync(path.join(root, '_posts/2019-03-08-c.md'), '---\ntitle: C\n---\nSee {% post_url 2019-03-06-a %} or [the post]({% post_url 2019-03-06-a %}).\n');
    const out = await buildInto(root);
    const page = fs.readFileSync(path.join(out, '2019/03/08/c.html'), 'utf8');
    assert.ok(page.includes('<p>See /blog/2019/03/06/a.html or <a href="/blog/2019/03/06/a.html">the post</a>.</p>'), page);
    assert.ok(page.includes('<meta name="description" content="See /blog/2019/03/06/a.html or the post.">'), page);
    const feed = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8');
    assert.ok(feed.includes('See /blog/2019/03/06/a.html or the post.') && !feed.includes('recap-reference'), feed);
  });

  it('takes the excerpt_separator excerpt as text, escaped once', async () => {
    const out = await buildInto(site());
    const excerpt = 'When 3 &lt; 5 &amp; 6 &gt; 4 we ship.';
    assert.ok(fs.readFileSync(path.join(out, '2019/03/07/b.html'), 'utf8').includes(`<meta name="description" content="${excerpt}">`));
    assert.ok(fs.readFileSync(path.join(out, 'index.html'), 'utf8').includes(`<p>${excerpt}</p>`));
    assert.ok(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8').includes(`<summary type="html"><![CDATA[${excerpt}]]></summary>`), 'as jekyll-feed: the HTML of the excerpt without its tags');
  });
});

describe('recap migrate', () => {
  it('writes recap.config.yml from _config.yml, reports the rest, and never overwrites', () => {
    const root = copySite(path.join(REPO, 'test/jekyll-site'));
    const run = (args: string[]) => spawnSync(process.execPath, [path.join(REPO, 'bin/recap.js'), ...args], { encoding: 'utf8' });
    const result = run(['migrate', '--root', root]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Wrote recap\.config\.yml: title, description, url, permalink, paginate, paginatePath\n/);
    assert.match(result.stdout, /Still read from _config\.yml \(no recap\.config\.yml key for them\): defaults, exclude, excerpt_separator/);
    assert.match(result.stdout, /Not carried over \(only a Jekyll site's Liquid reads them\): .*twitter_username/);
    assert.match(fs.readFileSync(path.join(root, 'recap.config.yml'), 'utf8'), /^# Written by "recap migrate"[^\n]*\ntitle: /);
    assert.equal(loadConfig(root).title, loadConfig(path.join(REPO, 'test/jekyll-site')).title, 'the site reads the same');
    assert.equal(run(['migrate', '--root', root]).status, 1);
  });
});

describe('post_url and the markdown rule', () => {
  it('finds posts named .MD or .mkd, as Jekyll does', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '_posts'));
    fs.writeFileSync(path.join(root, '_config.yml'), 'title: T\nbaseurl: /blog\n');
    fs.writeFileSync(path.join(root, '_posts/2024-01-01-a.MD'), '---\ntitle: A\n---\nA.\n');
    fs.writeFileSync(path.join(root, '_posts/2024-01-03-c.mkd'), '---\ntitle: C\n---\nC.\n');
    fs.writeFileSync(path.join(root, '_posts/2024-01-02-b.md'), '---\ntitle: B\n---\n[A]({% post_url 2024-01-01-a %}) [C]({{ site.baseurl }}{% post_url 2024-01-03-c %})\n');
    const out = await buildInto(root);
    const html = fs.readFileSync(path.join(out, '2024/01/02/b.html'), 'utf8');
    assert.match(html, /<a href="\/blog\/2024\/01\/01\/a\.html">A<\/a> <a href="\/blog\/2024\/01\/03\/c\.html">C<\/a>/);
  });
});
