/**
 * Tag slugs for any script (issue #16): every slug recap made before stays exactly as it was; a tag
 * it refused gets a slug of its own script's letters and digits; tagSlugs: names any tag's slug.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { parseYaml, splitFrontMatter } from '../src/pipeline/front-matter.js';
import { createTemplateEnvironment } from '../src/theme/environment.js';
import { main } from '../src/cli.js';
import { createPost } from '../src/commands/new.js';
import { foldTagName, slugifyTag, tagSlug, unicodeSlug } from '../src/util/slugs.js';
import { entryLines } from '../src/util/yaml.js';
import { buildErrors, buildInto, FIXTURES, INVALID_FIXTURES, jekyllSite, REPO, tempDir, writeSite } from './helpers.js';

/** recap's tag slug before issue #16, copied as it was: the reference every old slug is checked against. */
function slugBefore(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  return slug.replace(/^-+/, '').replace(/-+$/, '');
}

/** Every file under `dir` (not node_modules, not expected output). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/(^|\/)(expected|node_modules|_site)(\/|$)/.test(path.relative(dir, entry.parentPath)))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The tags of every post and page with front matter in a folder, as written (a Jekyll string of tags both whole and split). */
function tagsUnder(dir: string): string[] {
  const tags: string[] = [];
  for (const file of filesUnder(dir).filter((f) => /\.(md|markdown|html)$/.test(f))) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.startsWith('---')) continue;
    let data: Record<string, unknown>;
    try {
      const source = { path: path.relative(REPO, file), text };
      data = parseYaml(source, splitFrontMatter(source));
    } catch {
      continue; // a fixture of a broken file
    }
    for (const key of ['tags', 'tag']) {
      const value = data[key];
      const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value, ...String(value).split(/\s+/)];
      tags.push(...list.map(String));
    }
  }
  return tags;
}

async function buildSite(files: Record<string, string>) {
  const root = writeSite(files);
  const outDir = path.join(tempDir(), 'public');
  const outcome = await build(loadConfig(root, { outDir, cache: false }));
  return { root, outDir, outcome, read: (file: string) => fs.readFileSync(path.join(outDir, file), 'utf8') };
}

const entryLinesOf = (text: string) => entryLines(text, 'tagSlugs');

const post = (tags: string, body = 'Text.', date = '2024-05-14') => `---\ntitle: A recap\ndate: ${date}\ntags: ${tags}\n---\n${body}\n`;

describe('tag slugs: every slug recap made before stays as it was', () => {
  it('for every tag of the fixture sites, the Jekyll test site and this repository\'s own posts', () => {
    const folders = [...fs.readdirSync(FIXTURES).map((name) => path.join(FIXTURES, name)), ...fs.readdirSync(INVALID_FIXTURES).map((name) => path.join(INVALID_FIXTURES, name)), path.join(REPO, 'test/jekyll-site'), path.join(REPO, 'posts')];
    const tags = [...new Set(folders.flatMap(tagsUnder))];
    assert.ok(tags.length > 60, `found the tags (${tags.length})`);
    const kept = tags.filter((tag) => slugBefore(tag) !== '');
    for (const tag of kept) assert.equal(slugifyTag(tag), slugBefore(tag), `tag ${JSON.stringify(tag)}`);
    // Latin ones with spaces, accents and ß are among them, and a mixed one (test/fixtures/any-script).
    for (const tag of ['Service Mesh', 'Café Talks', 'Photos', '2019', 'Zürich', 'Straße', 'Größe', 'Київ 2024']) assert.ok(kept.includes(tag), tag);
    assert.equal(slugifyTag('Zürich'), 'zurich');
    assert.equal(slugifyTag('Service Mesh'), 'service-mesh');
    assert.equal(slugifyTag('Straße'), 'stra-e', 'an odd old slug is kept too: its URL exists');
    assert.equal(slugifyTag('Київ 2024'), '2024', 'the ASCII digits were its slug before');
  });

  it('for every Latin letter and sign up to U+024F, alone and in words, and for mixed-script names', () => {
    const names: string[] = [];
    for (let code = 0x20; code <= 0x24f; code++) {
      const c = String.fromCodePoint(code);
      names.push(c, `${c}x`, `Meetup ${c} 2024`, `${c}${c.toUpperCase()}`);
    }
    names.push('ﬁnance', 'Ｋ８ｓ', 'İstanbul', 'Diyarbakır', 'Ærø', 'Œuvre', 'naïve café', 'KubeCon 東京', 'Москва 2024', 'C++', 'C#', '.NET', 'Node.js', 'k8s_SIG', '2019', '  Café / Talks!! ');
    // Random names from Latin, Cyrillic, CJK, emoji and punctuation: whenever the old rule made a slug, it is the slug.
    const alphabet = [...'aZé ß-_.+#/Ж東🎉İı5ΣçØ\u0301'];
    let seed = 16;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i++) names.push(Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    let checked = 0;
    for (const name of names) {
      if (slugBefore(name) === '') continue;
      assert.equal(slugifyTag(name), slugBefore(name), JSON.stringify(name));
      checked++;
    }
    assert.ok(checked > 2000, `checked ${checked}`);
  });
});

describe('tag slugs: a tag refused before gets one in its own script', () => {
  it('lower case, composed (NFC), words of letters, marks and digits joined by "-"', () => {
    const cases: [string, string][] = [
      ['Київ', 'київ'],
      ['Москва', 'москва'],
      ['МОСКВА Сити', 'москва-сити'],
      ['東京', '東京'],
      ['クラウドネイティブ', 'クラウドネイティブ'],
      ['東京・大阪', '東京-大阪'],
      ['서울', '서울'],
      ['ß', 'ß'],
      ['ẞ', 'ß'],
      ['Αθήνα', 'αθήνα'],
      ['Α\u0301θηνα'.normalize('NFD'), 'άθηνα'],
      ['ΟΔΟΣ', 'οδος'],
      ['Οδοσ', 'οδος'],
      ['القاهرة', 'القاهرة'],
      ['تل أبيب', 'تل-أبيب'],
      ['תל אביב', 'תל-אביב'],
      ['दिल्ली', 'दिल्ली'],
      ['मुंबई मीटअप', 'मुंबई-मीटअप'],
      ['กรุงเทพ', 'กรุงเทพ'],
      ['می\u200cخواهم', 'میخواهم'],
      ['٢٠٢٤', '٢٠٢٤'],
      ['🎉 Київ 🎉', 'київ'],
    ];
    for (const [name, slug] of cases) {
      assert.equal(slugifyTag(name), slug, name);
      assert.equal(slug, slug.normalize('NFC'), `${name}: composed`);
    }
  });

  it('gives none to a tag of emoji, punctuation or invisible characters alone', () => {
    for (const name of ['🎉', '++', '❤️', '👩‍💻', '\u0301', '\u200b', '\u3164', '—', '¯\\_(ツ)_/¯'.replace('ツ', '')]) assert.equal(slugifyTag(name), '', JSON.stringify(name));
    assert.equal(unicodeSlug('¯\\_(ツ)_/¯'), 'ツ');
  });

  it('folds case, normalization and Greek sigma as one tag', () => {
    assert.equal(foldTagName('КИЇВ'), foldTagName('київ'));
    assert.equal(foldTagName('Αθήνα'.normalize('NFD')), foldTagName('ΑΘΉΝΑ'));
    assert.equal(foldTagName('ΟΔΟΣ'), foldTagName('οδοσ'));
    assert.notEqual(foldTagName('ß'), foldTagName('ss'));
  });

  it('are percent-encoded in every link and written as UTF-8 folder names', async () => {
    const { outcome, outDir, read, root } = await buildSite({
      'recap.config.yml': 'title: Meetups\nurl: https://meetup.example.org\n',
      'posts/2024-05-14-kyiv.md': post('[Київ, 東京, ß]'),
    });
    assert.ok(outcome.ok);
    const encoded = { київ: '%D0%BA%D0%B8%D1%97%D0%B2', 東京: '%E6%9D%B1%E4%BA%AC', ß: '%C3%9F' };
    for (const [slug, inUrl] of Object.entries(encoded)) {
      assert.ok(fs.existsSync(path.join(outDir, 'tags', slug, 'index.html')), `tags/${slug}/index.html`);
      assert.ok(fs.existsSync(path.join(outDir, 'tags', slug, 'feed.xml')), `tags/${slug}/feed.xml`);
      assert.ok(read('2024/05/14/kyiv/index.html').includes(`href="/tags/${inUrl}/"`), `the post links /tags/${inUrl}/`);
      assert.ok(read('tags/index.html').includes(`href="/tags/${inUrl}/"`), 'the tags index');
      assert.ok(read('sitemap.xml').includes(`<loc>https://meetup.example.org/tags/${inUrl}/</loc>`), 'the sitemap');
      const feed = read(`tags/${slug}/feed.xml`);
      assert.ok(feed.includes(`href="https://meetup.example.org/tags/${inUrl}/feed.xml" rel="self"`), 'the feed\'s own link');
      assert.ok(feed.includes(`href="https://meetup.example.org/tags/${inUrl}/" rel="alternate"`), 'the feed\'s page');
      assert.ok(read(`tags/${slug}/index.html`).includes(`href="/tags/${inUrl}/feed.xml"`), 'the tag page links its feed');
      assert.ok(!read('sitemap.xml').includes(`/tags/${slug}/`), 'never unencoded in the sitemap');
    }
    const out: string[] = [];
    assert.equal(await main(['check', '--root', root, '--out', outDir], { out: (line) => out.push(line), err: (line) => out.push(line), interactive: false, color: false }), 0, out.join('\n'));
  });

  it('makes tags differing in case, normalization or sigma one tag page, spelled as most posts spell it', async () => {
    const { outcome, outDir, read } = await buildSite({
      'posts/2024-05-14-a.md': post(`[Київ, "${'Αθήνα'.normalize('NFD')}", ΟΔΟΣ]`),
      'posts/2024-05-15-b.md': post('[КИЇВ, Αθήνα, οδοσ]', 'Text.', '2024-05-15'),
      'posts/2024-05-16-c.md': post('[Київ, Οδοσ]', 'Text.', '2024-05-16'),
    });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
    assert.deepEqual(fs.readdirSync(path.join(outDir, 'tags')).sort(), ['index.html', 'αθήνα', 'οδος', 'київ']);
    assert.ok(read('tags/київ/index.html').includes('<h1 class="page-title">'));
    assert.match(read('tags/index.html'), />Київ<\/a> <span class="count">3</);
  });

  it('refuses two tags whose folders a case-insensitive disk makes one (dotless ı and I), and keeps ß and ss apart', async () => {
    const turkish = await buildSite({ 'posts/2024-05-14-a.md': post('[ı, I]') });
    assert.ok(!turkish.outcome.ok);
    assert.match(turkish.outcome.errors[0].format(), /the output files tags\/i\/index\.html .* and tags\/ı\/index\.html .* differ only in case/);
    const german = await buildSite({ 'posts/2024-05-14-a.md': post('[ß, ss, Straße, Strasse]') });
    assert.ok(german.outcome.ok);
    assert.deepEqual(fs.readdirSync(path.join(german.outDir, 'tags')).sort(), ['index.html', 'ss', 'stra-e', 'strasse', 'ß']);
  });

  it('counts a slug\'s bytes against the file systems\' limit of a name', async () => {
    // 90 Cyrillic letters: 90 characters but 180 bytes, under 255; 130 are 260 bytes, over.
    const ok = await buildSite({ 'posts/2024-05-14-a.md': post(`[${'ж'.repeat(90)}]`) });
    assert.ok(ok.outcome.ok);
    const long = await buildSite({ 'posts/2024-05-14-a.md': post(`[${'ж'.repeat(130)}]`) });
    assert.ok(!long.outcome.ok);
    assert.match(long.outcome.errors[0].format(), /is too long for a URL: its page's folder name would be 260 bytes/);
  });
});

describe('tagSlugs: in recap.config.yml', () => {
  it('names any tag\'s slug, so C++ and C# can both be used; a tag matches in any case', async () => {
    const { outcome, outDir, read } = await buildSite({
      'recap.config.yml': 'title: Languages\ntagSlugs:\n  c++: cpp\n  "C#": c-sharp\n  "🎉": party\n  東京: tokyo\n',
      'posts/2024-05-14-a.md': post('[C++, "C#", "🎉", 東京, C]'),
    });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
    assert.deepEqual(fs.readdirSync(path.join(outDir, 'tags')).sort(), ['c', 'c-sharp', 'cpp', 'index.html', 'party', 'tokyo']);
    assert.ok(read('2024/05/14/a/index.html').includes('<a href="/tags/cpp/" rel="tag">C++</a>'));
    assert.deepEqual(outcome.result.warnings.filter((w) => w.includes('tagSlugs')), []);
  });

  it("warns of an entry no post's tag matches (drafts count), naming its line", async () => {
    const { outcome } = await buildSite({
      'recap.config.yml': 'title: Languages\ntagSlugs:\n  "C#": c-sharp\n  Kubernets: k8s\n  Draft only: drafted\n',
      'posts/2024-05-14-a.md': post('["C#"]'),
      'posts/2024-05-15-b.md': `---\ntitle: Later\ndate: 2024-05-15\ndraft: true\ntags: [Draft only]\n---\nText.\n`,
    });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.result.warnings.filter((w) => w.includes('tagSlugs')), ['recap.config.yml:4: "tagSlugs" names the tag "Kubernets", which no post has; check its spelling against the posts\' tags']);
  });

  it('gives the slugify filter the slug a tag gets', () => {
    const root = writeSite({ 'recap.config.yml': 'title: T\ntagSlugs:\n  "C#": c-sharp\n' });
    const env = createTemplateEnvironment(loadConfig(root, { outDir: path.join(tempDir(), 'public') }));
    assert.equal(env.renderString('{{ "C#" | slugify }} {{ "c#" | slugify }} {{ "C++" | slugify }} {{ "Київ" | slugify }} {{ "Zürich" | slugify }} [{{ "🎉" | slugify }}]', {}), 'c-sharp c-sharp c київ zurich []');
  });

  it('an error for a tagSlugs: slug another tag has, naming both tags', async () => {
    const errors = await buildErrors(path.join(INVALID_FIXTURES, 'tag-without-slug'));
    assert.ok(errors.some((e) => e.includes('tags "C#" (posts/2024-05-15-languages.md) and "C++" (posts/2024-05-15-languages.md) both have the URL slug "c"')));
  });

  it('is a change of the config: watch builds from scratch, so every slug follows it', () => {
    const root = writeSite({ 'recap.config.yml': 'title: T\ntagSlugs:\n  "C#": c-sharp\n' });
    const options = { outDir: path.join(tempDir(), 'public') };
    const before = loadConfig(root, options);
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: T\ntagSlugs:\n  "C#": csharp\n');
    const after = loadConfig(root, options);
    assert.equal(tagSlug('C#', before.tagSlugs), 'c-sharp');
    assert.equal(tagSlug('C#', after.tagSlugs), 'csharp');
    assert.notEqual(JSON.stringify(before.tagSlugs), JSON.stringify(after.tagSlugs), 'the config compares unequal (reuse.ts keys a build by the config as JSON)');
  });

  it('a tag named __proto__ or constructor is a tag like any other', async () => {
    const { outcome, outDir } = await buildSite({
      'recap.config.yml': 'title: T\ntagSlugs:\n  __proto__: proto\n  constructor: ctor\n',
      'posts/2024-05-14-a.md': post('[__proto__, constructor, toString]'),
    });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map((e) => e.format()).join('\n'));
    assert.deepEqual(fs.readdirSync(path.join(outDir, 'tags')).sort(), ['ctor', 'index.html', 'proto', 'tostring']);
  });
});

describe('tag slugs of long names', () => {
  it('are made in linear time, whatever the name holds', () => {
    const MB = 1024 * 1024;
    const started = performance.now();
    for (const run of ['ж', 'ж-', '🎉', '\u0301', '\u200c', 'a\u0301', 'Σ ', '東']) {
      const name = run.repeat(MB / run.length);
      slugifyTag(name);
      foldTagName(name);
    }
    assert.equal(entryLinesOf(`tagSlugs:\n  "${'\\"'.repeat(MB / 2)}": x\n  "${'\\"'.repeat(MB / 2)}\n  ${'a'.repeat(MB)}: y\n`).size, 2, 'a quoted key, one never closed, a plain key');
    const took = (performance.now() - started) / 1000;
    assert.ok(took < 20, `took ${took.toFixed(1)} s`);
  });
});

describe('tag slugs elsewhere', () => {
  it('a Jekyll site in recap\'s theme gets tag pages for tags in any script, and its posts keep kramdown\'s header ids', async () => {
    const root = jekyllSite('title: Jekyll meetup\n', {
      '_posts/2024-05-14-kyiv.md': '---\ntitle: Київ\ntags: [Київ, Zürich]\n---\n## ΟΔΟΣ\n\n## Доповіді\n\n## Доповіді\n',
    });
    const outDir = await buildInto(root);
    assert.ok(fs.existsSync(path.join(outDir, 'tags/київ/index.html')));
    assert.ok(fs.existsSync(path.join(outDir, 'tags/zurich/index.html')));
    const page = fs.readFileSync(path.join(outDir, '2024/05/14/kyiv.html'), 'utf8');
    // kramdown lowercases as Ruby does (no final sigma): not GitHub's "οδος".
    for (const id of ['οδοσ', 'доповіді', 'доповіді-1']) assert.ok(page.includes(`id="${id}"`), id);
  });

  it('recap new names a post in any script by its title (ASCII when that keeps every letter), cut by character, never inside one', () => {
    const root = tempDir();
    assert.equal(createPost(root, { title: '東京クラウドネイティブ 6月', date: '2024-06-04', postsDir: 'posts', draft: true }), 'posts/2024-06-04-東京クラウドネイティブ-6月.md');
    const long = createPost(root, { title: '𠮷'.repeat(100), date: '2024-06-05', postsDir: 'posts', draft: true });
    assert.equal(long, `posts/2024-06-05-${'𠮷'.repeat(50)}.md`, 'at most 200 bytes: 50 characters of four');
    assert.equal(createPost(root, { title: 'ж'.repeat(90), date: '2024-06-05', postsDir: 'posts', draft: true }), `posts/2024-06-05-${'ж'.repeat(80)}.md`, 'at most 80 characters');
    assert.equal(createPost(root, { title: 'Spring meetup in Zürich', date: '2024-06-06', postsDir: 'posts', draft: true }), 'posts/2024-06-06-spring-meetup-in-zurich.md', 'as before');
    assert.equal(createPost(root, { title: 'Grüße aus Zürich', date: '2024-06-07', postsDir: 'posts', draft: true }), 'posts/2024-06-07-grüße-aus-zürich.md');
    assert.equal(createPost(root, { title: 'Київ, травень 2024', date: '2024-06-08', postsDir: 'posts', draft: true }), 'posts/2024-06-08-київ-травень-2024.md');
    assert.equal(createPost(root, { title: '🎉🎉', date: '2024-06-09', postsDir: 'posts', draft: true }), 'posts/2024-06-09-recap.md');
  });
});
