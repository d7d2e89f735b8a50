/**
 * The theme's words in the site's language: recap's tables (complete, with the plural forms each
 * language needs), the chain a language finds its table along, a site's own i18n/<language>.yml
 * (overrides, typos, missing strings), escaping, a post in its own language, and watch mode.
 * Whole sites in French, Ukrainian, Japanese, Arabic and German with an English post are in
 * test/fixtures/ (exact output); their bad cases in test/fixtures-invalid/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { build, buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { classifyChange, createRebuilder } from '../src/dev/watch.js';
import { openGraphLocale, readLanguageTag, tableChain, textDirection } from '../src/i18n/languages.js';
import { BASE_LANGUAGE, placeholdersOf, readThemeTables, type Translations } from '../src/i18n/tables.js';
import { findMessage, translate } from '../src/i18n/translate.js';
import { buildErrors, buildInto, copySite, FIXTURES, INVALID_FIXTURES, jekyllSite, listTree, REPO, tempDir, writeSite } from './helpers.js';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['document'];

/** Every element named `tag` under a node, in document order. */
function elements(node: Node, tag: string): Element[] {
  const found: Element[] = [];
  const walk = (n: Node) => {
    if ('tagName' in n && n.tagName === tag) found.push(n);
    if ('childNodes' in n) n.childNodes.forEach((child) => walk(child as Node));
    if ('content' in n && n.content) n.content.childNodes.forEach((child) => walk(child as Node));
  };
  walk(node);
  return found;
}
const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
const textOf = (node: Node): string => ('value' in node && node.nodeName === '#text' ? node.value : 'childNodes' in node ? node.childNodes.map((c) => textOf(c as Node)).join('') : '');
const page = (out: string, file: string) => parse(fs.readFileSync(path.join(out, file), 'utf8'));
const read = (out: string, file: string) => fs.readFileSync(path.join(out, file), 'utf8');

const THEME = readThemeTables();
const I18N: Translations = { theme: THEME, site: {} };
const NOW = new Date('2024-06-01T00:00:00Z');

/** The languages the issue asks for, and the right-to-left ones. */
const SHIPPED = ['en', 'fr', 'de', 'es', 'pt', 'it', 'nl', 'pl', 'uk', 'ja', 'zh', 'zh-Hant', 'ar', 'he', 'fa'];

const post = (front: string, body = 'Body.') => `---\n${/^title:/m.test(front) ? '' : 'title: A night\n'}${front}---\n${body}\n`;

describe("recap's translation tables", () => {
  it('ship en, fr, de, es, pt, it, nl, pl, uk, ja, zh, zh-Hant, ar, he and fa, each named by its canonical tag', () => {
    assert.deepEqual(Object.keys(THEME).sort(), [...SHIPPED].sort());
    for (const tag of Object.keys(THEME)) assert.equal(Intl.getCanonicalLocales(tag)[0], tag);
  });

  it('each have every English key and no other, with the same placeholders', () => {
    const english = THEME[BASE_LANGUAGE];
    for (const [language, table] of Object.entries(THEME)) {
      assert.deepEqual(Object.keys(table).sort(), Object.keys(english).sort(), `${language}: the keys`);
      for (const [key, message] of Object.entries(table)) {
        assert.deepEqual([...placeholdersOf(message)].sort(), [...placeholdersOf(english[key])].sort(), `${language}: the placeholders of "${key}"`);
        const texts = typeof message === 'string' ? [message] : Object.values(message);
        for (const text of texts) assert.ok(text && text.trim() === text && !/[<>]/.test(text), `${language}: "${key}" is plain, trimmed text: ${text}`);
      }
    }
  });

  it('count in every form their language needs, for every count from 0 to 10,000', () => {
    for (const [language, table] of Object.entries(THEME)) {
      const rules = new Intl.PluralRules(language);
      for (const [key, message] of Object.entries(table)) {
        if (typeof message === 'string') continue;
        const needed = new Set(Array.from({ length: 10_001 }, (_, n) => rules.select(n)));
        for (const category of needed) assert.ok(category in message, `${language}: "${key}" has no "${category}" form`);
      }
    }
  });

  it('are the same English the theme printed before it had tables', () => {
    const english = (key: string, values?: Record<string, unknown>) => translate(I18N, 'en', key, values);
    assert.equal(english('recapCount', { count: 1 }), '1 recap');
    assert.equal(english('recapCount', { count: 0 }), '0 recaps');
    assert.equal(english('recapCount', { count: 2 }), '2 recaps');
    assert.equal(english('taggedTitle', { tag: 'Video' }), 'Recaps tagged “Video”');
    assert.equal(english('pageTitle', { title: 'Meetup', page: 2 }), 'Meetup · page 2');
    assert.equal(english('pageOf', { page: 2, total: 5 }), 'Page 2 of 5');
    assert.equal(english('siteDescription', { site: 'Meetup' }), 'Meetup: every recap, newest first.');
  });
});

describe('a language and its table', () => {
  it('is read as a canonical BCP 47 tag; anything else is named with what to write', () => {
    assert.deepEqual(readLanguageTag('pt-br'), { tag: 'pt-BR' });
    assert.deepEqual(readLanguageTag(' EN '), { tag: 'en' });
    assert.deepEqual(readLanguageTag('zh-hant-tw'), { tag: 'zh-Hant-TW' });
    assert.deepEqual(readLanguageTag('iw'), { tag: 'he' });
    for (const bad of ['', 'fr_FR', 'English', 'french', 'en US', '<script>', 'x', '12', 'root']) assert.ok('problem' in readLanguageTag(bad), bad);
    assert.match((readLanguageTag('English') as { problem: string }).problem, /a language's code is 2 or 3 letters/);
    assert.match((readLanguageTag('fr_FR') as { problem: string }).problem, /did you mean "fr-FR"\?/);
  });

  it('is found along its chain: pt-BR in pt, zh-TW and zh-HK in zh-Hant, zh-CN in zh, en-GB in en; an unknown language in English', () => {
    const tableOf = (language: string) => findMessage(I18N, language, 'older')?.language;
    assert.equal(tableOf('pt-BR'), 'pt');
    assert.equal(tableOf('pt-PT'), 'pt');
    assert.equal(tableOf('zh-TW'), 'zh-Hant');
    assert.equal(tableOf('zh-HK'), 'zh-Hant');
    assert.equal(tableOf('zh-Hant'), 'zh-Hant');
    assert.equal(tableOf('zh-CN'), 'zh');
    assert.equal(tableOf('zh-Hans'), 'zh');
    assert.equal(tableOf('de-CH'), 'de');
    assert.equal(tableOf('en-GB'), 'en');
    assert.equal(tableOf('sw'), 'en');
    assert.equal(tableOf('tlh'), 'en');
    assert.deepEqual(tableChain('zh-TW'), ['zh-TW', 'zh-Hant', 'zh']);
  });

  it('says its direction and its OpenGraph locale: ar, he, fa, ur and their regional forms right to left', () => {
    for (const rtl of ['ar', 'ar-EG', 'he', 'he-IL', 'fa', 'fa-AF', 'ur', 'yi', 'ckb']) assert.equal(textDirection(rtl), 'rtl', rtl);
    for (const ltr of ['en', 'fr', 'ja', 'zh-Hant', 'uk', 'az-Latn', 'tr', 'el']) assert.equal(textDirection(ltr), 'ltr', ltr);
    assert.deepEqual(['en', 'fr', 'pt', 'pt-PT', 'zh-Hant', 'ja', 'ar', 'en-GB'].map(openGraphLocale), ['en_US', 'fr_FR', 'pt_BR', 'pt_PT', 'zh_TW', 'ja_JP', 'ar_EG', 'en_GB']);
  });

  it('counts in the forms its plural rules choose: Polish, Ukrainian, Arabic, Hebrew, Japanese, French', () => {
    const count = (language: string, n: number) => translate(I18N, language, 'recapCount', { count: n });
    assert.deepEqual([0, 1, 2, 4, 5, 12, 22, 25, 101].map((n) => count('pl', n)), ['0 relacji', '1 relacja', '2 relacje', '4 relacje', '5 relacji', '12 relacji', '22 relacje', '25 relacji', '101 relacji']);
    assert.deepEqual([0, 1, 2, 3, 5, 11, 21, 22].map((n) => count('uk', n)), ['0 оглядів', '1 огляд', '2 огляди', '3 огляди', '5 оглядів', '11 оглядів', '21 огляд', '22 огляди']);
    assert.deepEqual([0, 1, 2, 3, 10, 11, 99, 100].map((n) => count('ar', n)), ['لا ملخصات', 'ملخص واحد', 'ملخصان', '3 ملخصات', '10 ملخصات', '11 ملخصًا', '99 ملخصًا', '100 ملخص']);
    assert.deepEqual([1, 2, 3].map((n) => count('he', n)), ['סיכום אחד', 'שני סיכומים', '3 סיכומים']);
    assert.deepEqual([1, 2].map((n) => count('ja', n)), ['1件のレポート', '2件のレポート']);
    assert.deepEqual([0, 1, 2].map((n) => count('fr', n)), ['0 compte rendu', '1 compte rendu', '2 comptes rendus']);
    // Without a count, the general form.
    assert.equal(translate(I18N, 'pl', 'recapCount'), '{count} relacji');
  });
});

describe("a site's own i18n/<language>.yml", () => {
  const site = (config: string, files: Record<string, string> = {}) =>
    writeSite({
      'recap.config.yml': `title: Meetup\nurl: https://meetup.example\n${config}`,
      'posts/2024-03-12-night.md': post('tags: [kubernetes]\nvideo: https://youtu.be/abcDEF12345\n'),
      'posts/2024-04-09-later.md': post('title: Later\ntags: [kubernetes]\n'),
      ...files,
    });

  it('changes any string, escaped as text; an unknown key is a warning naming the file, its line and the key it is closest to', async () => {
    const root = site('language: fr\n', {
      'i18n/fr.yml': 'older: Avant\ntagFeed: "flux <b>RSS</b> & Atom"\noldre: Plus vieux\nrecapCount:\n  one: "{count} soirée"\n  other: "{count} soirées"\n',
    });
    const result = await buildSite(loadConfig(root, { cache: false, outDir: path.join(tempDir(), 'public') }));
    const out = result.outDir;
    assert.match(read(out, '2024/04/09/later/index.html'), /<span>Avant<\/span> A night/);
    assert.match(read(out, 'tags/kubernetes/index.html'), /<p class="lead">2 soirées · <a href="\/tags\/kubernetes\/feed.xml">flux &lt;b&gt;RSS&lt;\/b&gt; &amp; Atom<\/a>/);
    // The other strings are recap's French.
    assert.match(read(out, 'index.html'), /<a class="skip-link" href="#main">Aller au contenu<\/a>/);
    assert.deepEqual(result.warnings.filter((w) => w.startsWith('i18n/')), ['i18n/fr.yml:3: "oldre" is none of the theme\'s strings (did you mean "older"?) and no template in templates/ names it; it is not used']);
  });

  it("adds strings the site's own templates print, without a warning", async () => {
    const root = site('language: de\n', {
      'i18n/de.yml': 'rsvp: Jetzt anmelden\n',
      'i18n/en.yml': 'rsvp: Sign up now\n',
      'templates/partials/footer.njk': "<footer><a href=\"/rsvp/\">{{ 'rsvp' | t }}</a> {{ t('older') }}</footer>\n",
    });
    const result = await buildSite(loadConfig(root, { cache: false, outDir: path.join(tempDir(), 'public') }));
    assert.match(read(result.outDir, 'index.html'), /<footer><a href="\/rsvp\/">Jetzt anmelden<\/a> Älter<\/footer>/);
    assert.deepEqual(result.warnings.filter((w) => w.includes('i18n')), []);
  });

  it('is an error naming the template and line when a template asks for a string no table has, a layout or a partial', async () => {
    const root = site('language: de\n', {
      'templates/partials/footer.njk': "<footer>\n  {{ 'rsvpp' | t }}\n</footer>\n",
      'templates/tags.njk': "{% extends \"base.njk\" %}\n{% block main %}\n{{ t('nope') }}\n{% endblock %}\n",
    });
    const errors = await buildErrors(root);
    assert.ok(errors.includes('templates/partials/footer.njk:2:6: t: no theme string "rsvpp" in de or English; add it to i18n/de.yml, or use a key of recap\'s templates/i18n/en.yml (rendering index.html for the home page)'), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('templates/tags.njk:3:') && e.includes('no theme string "nope"')), errors.join('\n'));
  });

  it('fills in what a language lacks from English, with one warning per missing key naming it and the language', async () => {
    const root = site('language: sw\n', { 'i18n/sw.yml': 'older: Zamani\nnewer: Mpya\n' });
    const result = await buildSite(loadConfig(root, { cache: false, outDir: path.join(tempDir(), 'public') }));
    assert.match(read(result.outDir, '2024/04/09/later/index.html'), /<span>Zamani<\/span>/);
    assert.match(read(result.outDir, '2024/04/09/later/index.html'), /<a class="skip-link" href="#main">Skip to content<\/a>/);
    const missing = result.warnings.filter((w) => w.startsWith('i18n/sw.yml: no '));
    assert.equal(missing.length, Object.keys(THEME.en).length - 2, 'every other key, each once, though many pages print it');
    assert.ok(missing.includes('i18n/sw.yml: no "skipToContent" in sw; its pages show it in English ("Skip to content")'));
    assert.ok(missing.includes('i18n/sw.yml: no "recapCount" in sw; its pages show it in English ("{count} recaps")'));
  });

  it('says once when no table has the language, and when a table is read by no page', async () => {
    const root = site('language: sw\n', { 'i18n/ko.yml': 'older: 이전\n' });
    const result = await buildSite(loadConfig(root, { cache: false, outDir: path.join(tempDir(), 'public') }));
    assert.deepEqual(result.warnings.filter((w) => /i18n|theme strings/.test(w)), [
      "recap has no theme strings in sw: its pages show them in English; translate them in i18n/sw.yml (the keys are in recap's templates/i18n/en.yml)",
      "i18n/ko.yml: no page is in ko (the site's language is sw); this table is not used",
    ]);
    // pt-BR reads i18n/pt.yml: no warning for it.
    const brazil = site('language: pt-BR\n', { 'i18n/pt.yml': 'older: Anterior\n' });
    const built = await buildSite(loadConfig(brazil, { cache: false, outDir: path.join(tempDir(), 'public') }));
    assert.deepEqual(built.warnings.filter((w) => w.includes('i18n')), []);
    assert.match(read(built.outDir, '2024/04/09/later/index.html'), /<span>Anterior<\/span>/);
  });

  it('is never markup: a translation or a value that looks like HTML is text, in content and in attributes', async () => {
    const attack = '"><img src=x onerror=alert(1)><script>alert(2)</script>';
    const root = site('', {
      'i18n/en.yml': [`skipToContent: '${attack.replace(/'/g, "''")}'`, `playVideoTitled: '${attack.replace(/'/g, "''")} {title}'`, `notFoundLinks: "{home} <b>or</b> {tags} {home}"`, ''].join('\n'),
      'posts/2024-05-14-title.md': post(`title: '${attack.replace(/'/g, "''")}'\nvideo: https://youtu.be/abcDEF12345\n`),
    });
    const out = await buildInto(root);
    for (const file of ['2024/05/14/title/index.html', '404.html']) {
      const doc = page(out, file);
      assert.deepEqual(elements(doc, 'script').filter((s) => !attr(s, 'type') && !attr(s, 'src')), [], `${file}: no script element`);
      assert.equal(elements(doc, 'img').filter((img) => attr(img, 'src') === 'x').length, 0, `${file}: no injected image`);
      assert.equal(textOf(elements(doc, 'a').find((a) => attr(a, 'class') === 'skip-link')!), attack);
    }
    const facade = elements(page(out, '2024/05/14/title/index.html'), 'a').find((a) => attr(a, 'class')?.startsWith('video-facade'))!;
    assert.equal(attr(facade, 'aria-label'), `${attack} ${attack}`);
    // The 404 page's links are the template's, put in where the string says; the string's own <b> is text.
    const links = elements(page(out, '404.html'), 'main')[0];
    assert.deepEqual(elements(links, 'a').map((a) => attr(a, 'href')), ['/', '/tags/', '/']);
    assert.match(textOf(links), /Go to the list of recaps <b>or<\/b> browse by tag Go to the list of recaps/);
  });

  it("is an error at its line when it is no table: invalid YAML, a list, an unknown form or placeholder, a file named for no language; recap build exits 1 naming them all", () => {
    const root = copySite(path.join(INVALID_FIXTURES, 'i18n-tables-invalid'));
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin/recap.js'), 'build'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /i18n\/fr\.yml:4:1: invalid YAML/);
    assert.match(run.stderr, /i18n\/de\.yml:2: "taggedTitle" uses \{tga\}/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!fs.existsSync(path.join(root, 'public')), 'nothing is written');
  });

  it('is read through no link out of the site (the folder or a table); a link inside it is read', async () => {
    const outside = writeSite({ 'fr.yml': 'older: Secret\n', 'secret.txt': 'x' });
    const root = site('language: fr\n', { 'shared/fr-words.yml': 'older: Avant\n' });
    fs.mkdirSync(path.join(root, 'i18n'));
    fs.symlinkSync(path.join(outside, 'fr.yml'), path.join(root, 'i18n/de.yml'));
    fs.symlinkSync(path.join(root, 'shared/fr-words.yml'), path.join(root, 'i18n/fr.yml'));
    assert.deepEqual(await buildErrors(root), ['i18n/de.yml: is a link out of the site folder; keep the tables in the site']);
    fs.rmSync(path.join(root, 'i18n/de.yml'));
    assert.match(read(await buildInto(root), '2024/04/09/later/index.html'), /<span>Avant<\/span>/);
    const linked = site('language: fr\n');
    fs.symlinkSync(outside, path.join(linked, 'i18n'));
    assert.deepEqual(await buildErrors(linked), ['i18n: is a link out of the site folder; keep the tables in the site']);
  });

  it("is a Jekyll site's own: its i18n/ is copied as it is, never read as recap's tables", async () => {
    const root = jekyllSite('title: Jekyll\n', { 'i18n/fr.yml': 'older: [not, a, string\n', 'index.md': '---\ntitle: Home\n---\nHi.\n' });
    const out = await buildInto(root);
    assert.ok(listTree(out).includes('i18n/fr.yml'));
  });
});

describe('a page in its own language', () => {
  it("follows its front matter's language: lang, dir, theme strings, og:locale, JSON-LD, its card in listings and its feed entry", async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Meetup\nurl: https://meetup.example\nlanguage: en\n',
      'posts/2024-03-12-cairo.md': post('title: أمسية القاهرة\nlanguage: ar-EG\ntags: [cloud]\n', 'مرحبا.'),
      'posts/2024-04-09-london.md': post('title: London night\ntags: [cloud]\n'),
      'pages/about.md': '---\ntitle: À propos\nlanguage: FR\n---\nNous.\n',
    });
    const out = await buildInto(root);
    const cairo = read(out, '2024/03/12/cairo/index.html');
    assert.match(cairo, /^<!DOCTYPE html>\n<html lang="ar-EG" dir="rtl">/);
    assert.match(cairo, /<a class="skip-link" href="#main">انتقل إلى المحتوى<\/a>/);
    assert.match(cairo, /<meta property="og:locale" content="ar_EG">/);
    assert.match(cairo, /"inLanguage":"ar-EG"/);
    const london = read(out, '2024/04/09/london/index.html');
    assert.match(london, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.match(london, /"inLanguage":"en"/);
    assert.match(read(out, 'about/index.html'), /^<!DOCTYPE html>\n<html lang="fr">[^]*Aller au contenu/);
    const cards = elements(page(out, 'index.html'), 'article');
    assert.deepEqual(cards.map((card) => [attr(card, 'lang'), attr(card, 'dir')]), [[undefined, undefined], ['ar-EG', 'rtl']]);
    const feed = read(out, 'feed.xml');
    assert.match(feed, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="en">/);
    assert.deepEqual([...feed.matchAll(/<entry( xml:lang="[^"]*")?>/g)].map((m) => m[1] ?? ''), ['', ' xml:lang="ar-EG"']);
    assert.match(read(out, 'tags/cloud/feed.xml'), /<entry xml:lang="ar-EG">/);
  });

  it('a right-to-left site marks its redirect pages too', async () => {
    const out = await buildInto(writeSite({ 'recap.config.yml': 'language: he\n', 'posts/2024-03-12-a.md': post('redirect_from: /old/\n') }));
    assert.match(read(out, 'old/index.html'), /^<!DOCTYPE html>\n<html lang="he" dir="rtl">[^]*<title>מעבירים אותך…<\/title>/);
  });
});

describe('watch mode and warm builds', () => {
  it('sort i18n/ as the config: a change loads it again', () => {
    assert.equal(classifyChange(undefined, 'i18n/fr.yml'), 'config');
    assert.equal(classifyChange(undefined, 'i18n'), 'config');
    assert.equal(classifyChange(undefined, 'i18n/.fr.yml.swp'), 'ignore');
  });

  it('render every page again after i18n/<language>.yml is edited, as a clean build would', async () => {
    const root = copySite(path.join(FIXTURES, 'french'));
    fs.rmSync(path.join(root, 'expected'), { recursive: true });
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { now: NOW, outDir, cache: false });
    try {
      assert.ok((await rebuilder.rebuild([])).result);
      fs.mkdirSync(path.join(root, 'i18n'));
      fs.writeFileSync(path.join(root, 'i18n/fr.yml'), 'skipToContent: Sauter au contenu\n');
      const edited = await rebuilder.rebuild(['i18n/fr.yml']);
      assert.ok(edited.result, edited.errors?.map((e) => e.format()).join('\n'));
      const pages = listTree(outDir).filter((file) => file.endsWith('.html') && !read(outDir, file).includes('http-equiv="refresh"'));
      for (const file of pages) assert.match(read(outDir, file), /Sauter au contenu/, file);
      // A broken table is reported and the output kept; fixing it builds again.
      fs.writeFileSync(path.join(root, 'i18n/fr.yml'), 'skipToContent: [\n');
      const broken = await rebuilder.rebuild(['i18n/fr.yml']);
      assert.match(broken.errors?.[0]?.format() ?? '', /^i18n\/fr\.yml:2:1: invalid YAML/);
      assert.match(read(outDir, 'index.html'), /Sauter au contenu/);
      fs.writeFileSync(path.join(root, 'i18n/fr.yml'), 'skipToContent: Vers le contenu\n');
      assert.ok((await rebuilder.rebuild(['i18n/fr.yml'])).result);
      const clean = await buildInto(root, { now: NOW });
      for (const file of listTree(clean).filter((f) => f !== '.recap-built')) assert.equal(read(outDir, file), read(clean, file), file);
    } finally {
      await rebuilder.close();
    }
  });

  it('a new build with the cache carries no page over from before the table changed', async () => {
    const root = copySite(path.join(FIXTURES, 'japanese'));
    fs.rmSync(path.join(root, 'expected'), { recursive: true });
    const outDir = path.join(tempDir(), 'public');
    assert.ok((await build(loadConfig(root, { outDir }))).ok);
    fs.mkdirSync(path.join(root, 'i18n'));
    fs.writeFileSync(path.join(root, 'i18n/ja.yml'), 'older: 以前のレポート\n');
    const second = await build(loadConfig(root, { outDir }));
    assert.ok(second.ok);
    assert.match(read(outDir, '2024/06/11/wasm/index.html'), /<span>以前のレポート<\/span>/);
  });
});
