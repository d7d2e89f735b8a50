import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { createRebuilder } from '../src/dev/watch.js';
import { buildErrors, listTree, tempDir, treeDigest, writeSite } from './helpers.js';

/** A Jekyll site of its own layouts (default ← page ← archive, default ← post), includes with parameters, _data, pagination. */
const SITE: Record<string, string> = {
  '_config.yml': 'title: Layout Meetup\nurl: https://meetup.example\nbaseurl: /blog\npermalink: /:year/:month/:day/:title/\npaginate: 2\nplugins: [jekyll-paginate, jekyll-feed, jekyll-sitemap]\nsocial: {twitter: ann}\n',
  '_layouts/default.html':
    '<html><title>{% if page.title %}{{ page.title }} · {% endif %}{{ site.title }}</title>\n{% include header.html active=page.url %}\n<main>{{ content }}</main>\n{% include footer.html %}\n</html>\n',
  '_layouts/post.html':
    '---\nlayout: default\nkind: article\n---\n<article><h1>{{ page.title }}</h1>\n<p class="meta">{{ page.date | date: "%Y-%m-%d" }} id={{ page.id }} kind={{ layout.kind }} path={{ page.path }} tags={{ page.tags | join: "+" }} cats={{ page.categories | join: "+" }}</p>\n{{ content }}\n<nav>older={{ page.previous.title }} newer={{ page.next.title }}</nav>\n<aside>related={% for r in site.related_posts %}{{ r.title }};{% endfor %}</aside>\n<a class="first" href="{% post_url 2024-01-10-meetup-1 %}">first</a></article>\n',
  '_layouts/page.html': '---\nlayout: default\n---\n<section><h1>{{ page.title }}</h1>{{ content }}<p>name={{ page.name }} url={{ page.url }}</p></section>\n',
  '_layouts/archive.html':
    '---\nlayout: page\n---\n{% for tag in site.tags %}<h2>{{ tag[0] }} ({{ tag[1].size }})</h2>{% assign list = tag[1] %}{% include post-list.html posts=list %}{% endfor %}\n{% for c in site.categories %}<p>category {{ c[0] }}: {{ c[1] | map: "title" | join: ", " }}</p>{% endfor %}\n',
  '_includes/header.html': '<header>{{ site.social.twitter }} {% for p in site.pages %}{% if p.title %}<a href="{{ p.url | relative_url }}"{% if include.active == p.url %} class="on"{% endif %}>{{ p.title }}</a>{% endif %}{% endfor %}</header>',
  '_includes/footer.html':
    '<footer>{% for m in site.data.members %}{{ m.name }}/{{ m.role }} {% endfor %}motto={{ site.data.settings.motto }} city={{ site.data.venues[0].city }} team={{ site.data.team.lead.name }} files={% for f in site.static_files %}{{ f.path }}|{{ f.name }}|{{ f.basename }}|{{ f.extname }} {% endfor %}</footer>',
  '_includes/post-list.html': '<ul>{% for post in include.posts %}<li><a href="{{ post.url | relative_url }}">{{ post.title }}</a></li>{% endfor %}</ul>',
  '_data/members.yml': '- name: Ann\n  role: host\n- name: Bob\n  role: speaker\n',
  '_data/settings.json': '{"motto": "Learn & share"}',
  '_data/venues.csv': 'name,city\nHub,"Paris, FR"\n',
  '_data/team/lead.yaml': 'name: Cy\n',
  'index.html':
    '---\nlayout: default\ntitle: Home\n---\n{% for post in paginator.posts %}<div class="post">{{ post.title }}: {{ post.excerpt }}</div>{% endfor %}\n<p>page {{ paginator.page }}/{{ paginator.total_pages }} of {{ paginator.total_posts }} by {{ paginator.per_page }} prev={{ paginator.previous_page }}:{{ paginator.previous_page_path }} next={{ paginator.next_page }}:{{ paginator.next_page_path }}</p>\n',
  'archive.html': '---\nlayout: archive\ntitle: Archive\n---\n',
  'about.md': '---\nlayout: page\ntitle: About\n---\nWe have {{ site.posts | size }} recaps; the first is [here]({% post_url 2024-01-10-meetup-1 %}).\n',
  '404.html': '---\nlayout: default\npermalink: /404.html\n---\n<h1>Not here</h1>\n',
  'search.json': '---\nlayout: null\n---\n[{% for post in site.posts %}{{ post.title | jsonify }}{% unless forloop.last %},{% endunless %}{% endfor %}]\n',
  'assets/site.css': 'body { color: red }\n',
  '_posts/2024-06-10-secret.md': '---\nlayout: post\ntitle: Secret\nhidden: true\n---\nNot in the paginated lists.\n',
};
for (let i = 1; i <= 5; i++) {
  SITE[`_posts/2024-0${i}-10-meetup-${i}.md`] = `---\nlayout: post\ntitle: Meetup ${i}\ntags: [${i % 2 === 0 ? 'even' : 'odd'}, all]\ncategories: [recaps]\n---\nFirst paragraph of **meetup ${i}**.\n\nSecond paragraph.\n`;
}

const NOW = new Date('2025-01-01T00:00:00Z');

async function build(files: Record<string, string>): Promise<{ out: string; warnings: string[]; read: (file: string) => string }> {
  const out = path.join(tempDir(), 'public');
  const result = await buildSite(loadConfig(writeSite(files), { cache: false, outDir: out, now: NOW }));
  return { out, warnings: result.warnings, read: (file) => fs.readFileSync(path.join(out, file), 'utf8') };
}

describe("a Jekyll site in its own layouts", () => {
  it('wraps posts in their layouts, each in the one it names, with page, layout and content', async () => {
    const { read } = await build(SITE);
    const html = read('2024/03/10/meetup-3/index.html');
    assert.match(html, /^<html><title>Meetup 3 · Layout Meetup<\/title>/, 'post → default');
    assert.match(html, /<main><article><h1>Meetup 3<\/h1>/);
    assert.match(html, /2024-03-10 id=\/2024\/03\/10\/meetup-3 kind=article path=_posts\/2024-03-10-meetup-3.md tags=odd\+all cats=recaps/);
    assert.match(html, /<p>First paragraph of <strong>meetup 3<\/strong>.<\/p>/);
    assert.match(html, /older=Meetup 2 newer=Meetup 4/);
    // Jekyll without lsi: the ten newest other posts.
    assert.match(html, /related=Secret;Meetup 5;Meetup 4;Meetup 2;Meetup 1;/);
    assert.match(html, /<a class="first" href="\/blog\/2024\/01\/10\/meetup-1\/">/, 'post_url in a layout, with the base path as Jekyll 4 writes it');
  });

  it('gives site its posts, pages, tags, categories, data, static files and config keys', async () => {
    const { read } = await build(SITE);
    const archive = read('archive/index.html');
    assert.match(archive, /<h2>odd \(3\)<\/h2><ul><li><a href="\/blog\/2024\/05\/10\/meetup-5\/">Meetup 5<\/a><\/li><li>.*Meetup 3.*Meetup 1<\/a><\/li><\/ul><h2>all \(5\)<\/h2>/s, 'tags in the order they first appear, posts newest first');
    assert.match(archive, /category recaps: Meetup 5, Meetup 4, Meetup 3, Meetup 2, Meetup 1/);
    assert.match(archive, /<header>ann <a href="\/blog\/about\/">About<\/a><a href="\/blog\/archive\/" class="on">Archive<\/a><a href="\/blog\/">Home<\/a><a href="\/blog\/page2\/">Home<\/a>/, 'site.pages by file name, then the paginated copies');
    assert.match(archive, /Ann\/host Bob\/speaker motto=Learn & share city=Paris, FR team=Cy files=\/assets\/site.css\|site.css\|site\|.css /);
    assert.match(archive, /name=archive.html url=\/archive\//);
    assert.equal(read('search.json'), '["Secret","Meetup 5","Meetup 4","Meetup 3","Meetup 2","Meetup 1"]\n', 'a JSON page rendered with no layout');
    assert.match(read('about/index.html'), /<p>We have 6 recaps; the first is <a href="\/blog\/2024\/01\/10\/meetup-1\/">here<\/a>.<\/p>/, 'a markdown body that reads site.posts runs with the planned site');
  });

  it('paginates index.html as jekyll-paginate does, and writes none of recap\'s own pages', async () => {
    const { out, read } = await build(SITE);
    assert.match(read('index.html'), /Meetup 5: <p>First paragraph of <strong>meetup 5<\/strong>.<\/p>\n<\/div><div class="post">Meetup 4: /, 'hidden posts left out; excerpts are HTML');
    assert.match(read('index.html'), /page 1\/3 of 5 by 2 prev=: next=2:\/page2<\/p>/);
    assert.match(read('page2/index.html'), /page 2\/3 of 5 by 2 prev=1:\/ next=3:\/page3<\/p>/);
    assert.match(read('page3/index.html'), /Meetup 1: .*page 3\/3 of 5 by 2 prev=2:\/page2 next=:/s);
    assert.match(read('404.html'), /<h1>Not here<\/h1>/);
    const files = listTree(out);
    for (const ours of ['tags/index.html', 'tags/odd/index.html', 'assets/style.css']) assert.ok(!files.includes(ours), `${ours} is recap's theme's, not the site's`);
    assert.ok(files.includes('feed.xml') && files.includes('sitemap.xml'), 'feeds and sitemap stay');
  });

  it('links {% link index.html %} to the page itself, not to one of its paginated copies', async () => {
    const layout = SITE['_layouts/default.html'].replace('<main>', '<a class="home" href="{% link index.html %}">home</a><main>');
    const { read } = await build({ ...SITE, '_layouts/default.html': layout });
    for (const file of ['index.html', 'page2/index.html', 'page3/index.html', 'about/index.html']) assert.match(read(file), /<a class="home" href="\/blog\/">home<\/a>/, file);
  });

  it("keeps the site's own feed.xml and robots.txt pages, as jekyll-feed and jekyll-sitemap keep them", async () => {
    const { read } = await build({
      ...SITE,
      'feed.xml': '---\nlayout: null\n---\n<feed>{% for post in site.posts limit:2 %}<entry>{{ post.title }}</entry>{% endfor %}</feed>\n',
      'robots.txt': '---\nlayout: null\n---\nSitemap: {{ site.url }}{{ site.baseurl }}/sitemap.xml\n',
    });
    assert.equal(read('feed.xml'), '<feed><entry>Secret</entry><entry>Meetup 5</entry></feed>\n');
    assert.equal(read('robots.txt'), 'Sitemap: https://meetup.example/blog/sitemap.xml\n');
  });

  it("prints what Liquid is given as Jekyll does: the site's layouts are its authors' templates", async () => {
    const { read } = await build({ ...SITE, 'about.md': '---\nlayout: page\ntitle: "About <em>us</em>"\n---\nText.\n' });
    assert.match(read('about/index.html'), /<h1>About <em>us<\/em><\/h1>/);
  });

  it('names the layout, its line and the page in a layout error', async () => {
    const errors = await buildErrors(writeSite({ ...SITE, '_layouts/page.html': '---\nlayout: default\n---\n<section>\n{% no_such_tag %}{{ content }}\n</section>\n' }));
    assert.ok(errors.includes('_layouts/page.html:5:1: tag "no_such_tag" not found (rendering about/index.html for about.md (the site permalink))'), errors.join('\n'));
    const inInclude = await buildErrors(writeSite({ ...SITE, '_includes/post-list.html': '<ul>\n{% for post in %}</ul>' }));
    assert.match(inInclude[0], /^_includes\/post-list.html:2:1: illegal tag: \{% for post in %\} \(rendering archive\/index.html for archive.html/);
  });

  it('stops every page at once when a layout ran out of time for one (an include that includes itself)', async () => {
    const files: Record<string, string> = { ...SITE, '_includes/footer.html': '<footer>{% include footer.html %}</footer>' };
    for (let i = 1; i <= 28; i++) files[`_posts/2023-01-${String(i).padStart(2, '0')}-more.md`] = `---\nlayout: post\ntitle: More ${i}\n---\nText.\n`;
    const started = Date.now();
    const errors = await buildErrors(writeSite(files));
    assert.ok(Date.now() - started < 20_000, 'seconds, not a limit per page (minutes)');
    // Whichever comes first on the machine: the time limit or the stack.
    assert.ok(errors.length > 30 && errors.every((e) => e.startsWith('_includes/footer.html:1:') && /took too long to render|nests too deeply/.test(e)), errors.slice(0, 3).join('\n'));
  });

  it('stops at a layout that names itself again, and names a bad data file', async () => {
    const { read } = await build({ ...SITE, '_layouts/default.html': '---\nlayout: post\n---\n<body>{{ content }}</body>' });
    assert.match(read('about/index.html'), /^<article><h1>About<\/h1>[^]*<body><section><h1>About<\/h1>/, 'page → default → post, then default again: stopped, as Jekyll stops');
    const errors = await buildErrors(writeSite({ ...SITE, '_data/bad.yml': 'a: [1\n' }));
    assert.match(errors[0], /^_data\/bad.yml:2:1: invalid YAML/);
  });

  it('uses recap\'s theme, and says once what is missing and which pages would be empty, when a layout or include of its theme is not in the site', async () => {
    // extra.html uses a tag of a plugin recap lacks: left out with the site's own layouts, it is no error.
    const files: Record<string, string> = { ...SITE, '_config.yml': `${SITE['_config.yml']}remote_theme: someone/meetup-theme\n`, 'topics.md': '---\nlayout: archive\ntitle: Topics\npermalink: /topics/\n---\n', 'extra.html': '---\nlayout: default\n---\n{% no_such_plugin_tag %}\n' };
    delete files['_layouts/archive.html'];
    delete files['_includes/footer.html'];
    const { out, warnings } = await build(files);
    const warning = warnings.filter((w) => w.includes("own layouts are not used"));
    assert.equal(warning.length, 1);
    assert.match(warning[0], /_layouts\/archive, _includes\/footer.html are not in the site \(a gem or remote_theme theme recap cannot install\)/);
    assert.match(warning[0], /written empty: topics.md\./);
    assert.ok(warnings.some((w) => w.startsWith('skipped ') && w.includes('index.html') && w.includes('archive.html')));
    assert.ok(listTree(out).includes('tags/index.html'), "recap's theme");
  });

  it('keeps a site without a theme in its own layouts: a missing layout is left out of its pages, a missing include is an error only where it runs', async () => {
    const files: Record<string, string> = {
      ...SITE,
      'topics.md': '---\nlayout: nosuchlayout\ntitle: Topics\n---\nTopic list.\n',
      '_layouts/page.html': '---\nlayout: default\n---\n<section>{{ content }}</section>{% if site.comments %}{% include comments.html %}{% endif %}\n',
    };
    const { out, warnings, read } = await build(files);
    assert.ok(!listTree(out).includes('tags/index.html'), "the site's own layouts");
    assert.match(read('topics/index.html'), /^<p>Topic list.<\/p>\s*$/, 'written without the missing layout, as Jekyll writes it');
    assert.ok(warnings.some((w) => w.startsWith('_layouts/nosuchlayout.html is not in the site: topics.md is written without it')), warnings.join('\n'));
    const errors = await buildErrors(writeSite({ ...files, '_config.yml': `${SITE['_config.yml']}comments: true\n` }));
    assert.ok(errors.some((e) => /^_layouts\/page.html:\d+:\d+: could not locate the included file "comments\.html" in _includes\/; add it there, or correct the name \(rendering /.test(e)), errors.join('\n'));
  });
});

/** The text a reader sees of a page: tags dropped, the few entities these pages use decoded, whitespace folded. */
function visibleText(html: string): string {
  const text = html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  return text.replace(/\s+/g, ' ').trim();
}

const JEKYLL = '/usr/bin/jekyll';

describe('the same site built by real Jekyll', { skip: !fs.existsSync(JEKYLL) && !process.env.CI ? `no Jekyll at ${JEKYLL}` : false }, () => {
  it('shows the same text on every page, and writes the same pages', async () => {
    const root = writeSite(SITE);
    const jekyllOut = path.join(tempDir(), '_site');
    const run = spawnSync(JEKYLL, ['build', '--quiet', '--source', root, '--destination', jekyllOut], { encoding: 'utf8' });
    assert.equal(run.status, 0, `jekyll build failed:\n${run.stdout}\n${run.stderr}`);
    const { out } = await build(SITE);
    // recap writes a feed, sitemap and robots.txt for every site; this one lists no plugin for them.
    const pages = listTree(jekyllOut).filter((file) => /\.(html|json)$/.test(file));
    assert.deepEqual(
      listTree(out).filter((file) => /\.(html|json)$/.test(file)),
      pages,
    );
    for (const file of pages) {
      assert.equal(visibleText(fs.readFileSync(path.join(out, file), 'utf8')), visibleText(fs.readFileSync(path.join(jekyllOut, file), 'utf8')), file);
    }
  });
});

describe("a Jekyll site in recap's theme", () => {
  it('runs a body that reads site.posts with the planned site, and again when a post changes', async () => {
    const files = {
      '_config.yml': 'title: T\n',
      '_posts/2024-01-01-a.md': '---\ntitle: A\n---\nHello a.\n',
      '_posts/2024-01-02-b.md': '---\ntitle: B\n---\nHello b.\n',
      'list.md': '---\ntitle: List\n---\n{% for p in site.posts %}\n- [{{ p.title }}]({{ p.url }}) {{ p.excerpt | strip_html }}\n{% endfor %}\n',
    };
    const { read } = await build(files);
    assert.match(read('list.html'), /<li>\n<p><a href="\/2024\/01\/02\/b.html">B<\/a> Hello b.<\/p>\n<\/li>\n<li>\n<p><a href="\/2024\/01\/01\/a.html">A<\/a> Hello a.<\/p>/);
    const root = writeSite(files);
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { outDir, cache: false, now: NOW });
    try {
      assert.ok((await rebuilder.rebuild([], true)).result);
      fs.writeFileSync(path.join(root, '_posts/2024-01-01-a.md'), '---\ntitle: A\n---\nGoodbye a.\n');
      assert.ok((await rebuilder.rebuild(['_posts/2024-01-01-a.md'])).result);
      assert.match(fs.readFileSync(path.join(outDir, 'list.html'), 'utf8'), /A<\/a> Goodbye a./);
    } finally {
      await rebuilder.close();
    }
  });
});

describe('watching a Jekyll site in its own layouts', () => {
  it('renders again after a layout, an include, a data file or a post changes, as a clean build would', async () => {
    // A site of a theme (whose missing layouts make recap's theme take over) with all of its layouts copied in.
    const root = writeSite({ ...SITE, '_config.yml': `${SITE['_config.yml']}remote_theme: someone/meetup-theme\n` });
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { outDir, cache: false, now: NOW });
    const clean = async () => {
      const out = path.join(tempDir(), 'public');
      await buildSite(loadConfig(root, { cache: false, outDir: out, now: NOW, jekyllEnvironment: 'development' }));
      return out;
    };
    const same = async () => {
      const expected = treeDigest(await clean());
      const actual = treeDigest(outDir);
      expected.delete('.recap-built');
      actual.delete('.recap-built');
      assert.deepEqual(actual, expected);
    };
    try {
      assert.ok((await rebuilder.rebuild([], true)).result);
      const edits: [string, string, RegExp][] = [
        ['_layouts/post.html', SITE['_layouts/post.html'].replace('<article>', '<article class="edited">'), /<article class="edited">/],
        ['_includes/footer.html', '<footer>changed footer {{ site.data.settings.motto }}</footer>', /changed footer Learn & share/],
        ['_data/settings.json', '{"motto": "New motto"}', /changed footer New motto/],
        ['_posts/2024-02-10-meetup-2.md', '---\nlayout: post\ntitle: Meetup Two\ntags: [even]\n---\nRenamed.\n', /older=Meetup Two/],
      ];
      for (const [file, text, shows] of edits) {
        fs.writeFileSync(path.join(root, file), text);
        const report = await rebuilder.rebuild([file]);
        assert.ok(report.result, String(report.errors));
        assert.match(fs.readFileSync(path.join(outDir, '2024/03/10/meetup-3/index.html'), 'utf8'), shows, file);
        await same();
      }
      // A layout removed: recap's theme takes over; put back: the site's own layouts again.
      fs.rmSync(path.join(root, '_layouts/archive.html'));
      assert.ok((await rebuilder.rebuild(['_layouts/archive.html'])).result);
      assert.ok(fs.existsSync(path.join(outDir, 'tags/index.html')));
      await same();
      fs.writeFileSync(path.join(root, '_layouts/archive.html'), SITE['_layouts/archive.html']);
      assert.ok((await rebuilder.rebuild(['_layouts/archive.html'])).result);
      assert.ok(!fs.existsSync(path.join(outDir, 'tags/index.html')));
      await same();
    } finally {
      await rebuilder.close();
    }
  });
});

describe('watching a Jekyll site in its own layouts, edit after edit', () => {
  it('equals a clean build after every step of a random sequence', async () => {
    const seed = Number(process.env.SEED ?? 20261201);
    const steps = Number(process.env.STEPS ?? 40);
    let state = seed;
    // A small linear congruential generator: the same sequence for the same seed.
    const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
    const root = writeSite(SITE);
    const outDir = path.join(tempDir(), 'public');
    const cleanDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { outDir, cache: false, now: NOW });
    const snapshot = (dir: string) => {
      const digest = treeDigest(dir);
      digest.delete('.recap-built');
      return digest;
    };
    const posts = () => fs.readdirSync(path.join(root, '_posts')).map((name) => `_posts/${name}`);
    const edit = (file: string, change: (text: string) => string) => {
      const full = path.join(root, file);
      fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
      return [file];
    };
    let counter = 0;
    const operations: Record<string, () => string[]> = {
      create: () => {
        const file = `_posts/2024-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}-new-${++counter}.md`;
        fs.writeFileSync(path.join(root, file), `---\nlayout: post\ntitle: New ${counter}\ntags: [${pick(['odd', 'even', 'fresh'])}]\n---\nNew post ${counter}.\n`);
        return [file];
      },
      firstParagraph: () => edit(pick(posts()), (text) => text.replace(/\n---\n/, `\n---\nOpening ${rand().toFixed(3)}. `)),
      laterParagraph: () => edit(pick(posts()), (text) => `${text}\nLater ${rand().toFixed(3)}.\n`),
      retitle: () => edit(pick(posts()), (text) => text.replace(/^title: .*$/m, `title: Renamed ${rand().toFixed(3)}`)),
      retag: () => edit(pick(posts()), (text) => text.replace(/^tags: .*$/m, `tags: [${pick(['odd', 'even', 'other'])}]`)),
      hide: () => edit(pick(posts()), (text) => (text.includes('hidden: true') ? text.replace('hidden: true\n', '') : text.replace('---\n', '---\nhidden: true\n'))),
      unpublish: () => edit(pick(posts()), (text) => (text.includes('published: false') ? text.replace('published: false\n', '') : text.replace('---\n', '---\npublished: false\n'))),
      remove: () => {
        const file = pick(posts());
        fs.rmSync(path.join(root, file));
        return [file];
      },
      layout: () => edit(pick(['_layouts/post.html', '_layouts/page.html', '_layouts/default.html']), (text) => `${text}<!-- ${pick(['{{ site.posts.size }}', '{{ page.next.content | size }}', 'plain'])} -->\n`),
      include: () => edit('_includes/post-list.html', (text) => `${text}<i>${rand().toFixed(3)}</i>`),
      data: () => edit('_data/members.yml', (text) => `${text}- name: M${rand().toFixed(3)}\n  role: guest\n`),
      staticFile: () => {
        const file = `assets/file-${Math.floor(rand() * 3)}.txt`;
        fs.writeFileSync(path.join(root, file), `${rand()}`);
        return [file];
      },
      page: () => edit('about.md', (text) => `${text}\nAnd {{ site.posts | map: "title" | first }} ${rand().toFixed(3)}.\n`),
      index: () => edit('index.html', (text) => `${text}<!-- ${rand().toFixed(3)} -->\n`),
    };
    const names = Object.keys(operations);
    try {
      assert.ok((await rebuilder.rebuild([], true)).result);
      let lastGood = snapshot(outDir);
      for (let step = 1; step <= steps; step++) {
        const name = posts().length === 0 ? 'create' : pick(names);
        const changed = operations[name]();
        const label = `seed ${seed}, step ${step} (${name} ${changed.join(', ')})`;
        const report = await rebuilder.rebuild(changed);
        fs.rmSync(cleanDir, { recursive: true, force: true });
        let cleanOk = true;
        try {
          await buildSite(loadConfig(root, { cache: false, outDir: cleanDir, now: NOW, jekyllEnvironment: 'development' }));
        } catch {
          cleanOk = false;
        }
        assert.equal(report.result !== undefined, cleanOk, `${label}: watch and a clean build agree on success: ${String(report.errors)}`);
        if (!cleanOk) {
          assert.deepEqual(snapshot(outDir), lastGood, `${label}: a failed rebuild leaves the output as it was`);
          continue;
        }
        const actual = snapshot(outDir);
        const expected = snapshot(cleanDir);
        assert.deepEqual([...actual.keys()], [...expected.keys()], `${label}: the same files`);
        for (const [file, hash] of expected) {
          if (actual.get(file) !== hash) {
            assert.equal(fs.readFileSync(path.join(outDir, file), 'utf8'), fs.readFileSync(path.join(cleanDir, file), 'utf8'), `${label}: ${file} is the clean build's`);
          }
        }
        lastGood = actual;
      }
    } finally {
      await rebuilder.close();
    }
  });
});
