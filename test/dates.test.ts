/**
 * Dates as sites print them. strftime: a Jekyll site's Liquid `date` filter and the theme's
 * Nunjucks `date` filter against what Ruby's Time#strftime prints, for every directive with every
 * flag and width (Ruby runs once, with all the cases; Jekyll's tests need Ruby installed already).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/pipeline/config.js';
import { createLiquidEngine } from '../src/jekyll/liquid.js';
import { createTemplateEnvironment } from '../src/theme/environment.js';
import { formatDate } from '../src/util/dates.js';
import { buildErrors, buildInto, jekyllSite, writeSite } from './helpers.js';

const RUBY_MISSING = spawnSync('ruby', ['--version']).error ? 'ruby is not installed: CI installs it with Jekyll, which these tests compare with' : false;

/** Every conversion Ruby knows, and some it does not (printed as written). */
const LETTERS = [...'aAbBcCdDeFgGhHIjklLmMnNpPrRsStTuUvVwWxXyYzZ%', '+', 'Q', 'J', 'q'];
const FLAGS = ['', '-', '_', '0', '^', '#', '^#', '-^', '_#', '0_', '_0', '-_', '_-'];
const WIDTHS = ['', '1', '3', '10'];

/** Directives with every flag and width, the E and O modifiers, colons, and what Ruby refuses or prints as written. */
function allFormats(): string[] {
  const formats: string[] = [];
  for (const letter of LETTERS) for (const flags of FLAGS) for (const width of WIDTHS) formats.push(`%${flags}${width}${letter}`);
  for (const letter of 'cCxXyYBd') formats.push(`%E${letter}`, `%-E${letter}`);
  for (const letter of 'deHImMSuUVwWyBbkl') formats.push(`%O${letter}`, `%_3O${letter}`);
  for (const colons of [':z', '::z', ':::z', '::::z', '-:z', '_:z', '_10:z', '10::z', '10:::z', '0:z', ':a', ':10z', ':_z']) formats.push(`%${colons}`);
  formats.push('%10-d', '%^-10B', '%#-10p', '%E10d', '%10Ed', '%O-d', '%EOd', '%099999999999d', '%1024d', '%:', '%E', '%O');
  formats.push('%', 'abc%', '%%%', '%-', '%10', '%^', '%_', '%0', '%5%%5', '100%');
  formats.push('%A %-d %B %Y', '%-d %B %Y', '%e %b %Y, %l:%M %p', '%Y-%m-%dT%H:%M:%S%:z', 'x%5%y', 'plain text');
  return formats;
}

/** Moments chosen for their edges: one-digit days and hours, midnight and noon, year ends and ISO weeks 53 and 1, milliseconds. */
const MOMENTS = ['2024-05-05T07:03:09.000Z', '2024-12-31T23:59:59.999Z', '2024-01-01T00:00:00.000Z', '1999-02-28T12:30:00.000Z', '2021-01-03T13:00:01.250Z', '1905-10-10T11:59:59.000Z', '2020-12-28T00:00:00.000Z', '2024-05-14T18:30:00.007Z'];

/** Date text as front matter or a template gives it to Liquid's date filter (Time.parse reads it, in the site's zone). */
const TEXTS = ['2024-05-05 07:03:09 +05:30', '2024-05-14 01:05 -08:00', '2024-05-14 01:05:00 +0000', '2024-05-14T01:05:00Z', '2024-05-14 01:05 -00:00', '2024-05-14 01:05 GMT', '2024-01-05 10:00', '2024-01-05 10:00 -0030'];

interface RubyCase {
  /** "moment": a Time at these epoch milliseconds on the zone's clocks (Time.at(…).localtime); "text": Time.parse of it. */
  kind: 'moment' | 'text';
  value: string;
  zone: string;
  formats: string[];
}

/**
 * What Ruby's strftime prints for each case and format (null where Ruby raises), from one run of
 * Ruby. The zone is set as Jekyll sets it (ENV["TZ"] from `timezone`).
 */
function rubyPrinted(cases: RubyCase[]): (string | null)[][] {
  const script = `
    require "json"; require "time"
    cases = JSON.parse($stdin.read)
    puts JSON.generate(cases.map { |c|
      ENV["TZ"] = c["zone"]
      time = c["kind"] == "moment" ? Time.at(Rational(c["value"].to_i, 1000)).localtime : Time.parse(c["value"].downcase)
      c["formats"].map { |f| begin; time.strftime(f); rescue ArgumentError; nil; end }
    })`;
  const run = spawnSync('ruby', ['-e', script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as (string | null)[][];
}

/** What a Jekyll site's Liquid prints for `value | date: format`, each format; an error's message where it fails. */
function jekyllPrinted(root: string, value: unknown, formats: string[]): string[] {
  const engine = createLiquidEngine(loadConfig(root));
  return formats.map((format) => {
    try {
      return engine.parseAndRenderSync('{{ d | date: f }}', { d: value, f: format });
    } catch (error) {
      return `ERROR ${(error as Error).message}`;
    }
  });
}

/** What the theme's Nunjucks prints for `value | date(format)`, each format; an error's message where it fails. */
function themePrinted(root: string, value: unknown, formats: string[]): string[] {
  const env = createTemplateEnvironment(loadConfig(root));
  return formats.map((format) => {
    try {
      return env.renderString('{{ d | date(f) | safe }}', { d: value, f: format });
    } catch (error) {
      return `ERROR ${(error as Error).message}`;
    }
  });
}

/** The cases where `printed` differs from what Ruby printed (a Ruby error must be an error "invalid format"), at most 20. */
function differences(label: string, formats: string[], printed: string[], ruby: (string | null)[]): string[] {
  const wrong: string[] = [];
  formats.forEach((format, i) => {
    const ok = ruby[i] === null ? printed[i].startsWith('ERROR') && printed[i].includes('invalid format') : printed[i] === ruby[i];
    if (!ok && wrong.length < 20) wrong.push(`${label} ${JSON.stringify(format)}: Ruby ${JSON.stringify(ruby[i])}, recap ${JSON.stringify(printed[i])}`);
  });
  return wrong;
}

describe('strftime as Ruby prints it', () => {
  const formats = allFormats();

  it('a Jekyll site\'s Liquid date filter prints every directive, flag, width and modifier as Ruby does, for times and for date text', { skip: RUBY_MISSING }, () => {
    const root = jekyllSite('title: T\n');
    const cases: RubyCase[] = [
      ...MOMENTS.map((value): RubyCase => ({ kind: 'moment', value: String(Date.parse(value)), zone: 'UTC', formats })),
      ...TEXTS.map((value): RubyCase => ({ kind: 'text', value, zone: 'UTC', formats })),
    ];
    const ruby = rubyPrinted(cases);
    const wrong = cases.flatMap((c, i) => {
      const value = c.kind === 'moment' ? new Date(Number(c.value)) : c.value;
      return differences(`${c.value}`, formats, jekyllPrinted(root, value, formats), ruby[i]);
    });
    assert.deepEqual(wrong, []);
  });

  it('the theme\'s date filter prints English strftime formats as Ruby does, in the meetup\'s own time (%Z UTC, %z +0000)', { skip: RUBY_MISSING }, () => {
    const root = writeSite({ 'recap.config.yml': 'title: T\n' });
    // %OB and %Ob name a month on its own in the theme (see the language tests); Ruby prints them as written.
    const english = formats.filter((format) => !/%[-_0^#\d]*O[Bb]/.test(format));
    const ruby = rubyPrinted(MOMENTS.map((value) => ({ kind: 'moment', value: String(Date.parse(value)), zone: 'UTC', formats: english })));
    const wrong = MOMENTS.flatMap((moment, i) => {
      const date = new Date(moment);
      const fromUtil = english.map((format) => {
        try {
          return formatDate(date, format);
        } catch (error) {
          return `ERROR ${(error as Error).message}`;
        }
      });
      return [...differences(`theme ${moment}`, english, themePrinted(root, date, english), ruby[i]), ...differences(`formatDate ${moment}`, english, fromUtil, ruby[i])];
    });
    assert.deepEqual(wrong, []);
  });

  it('%e is space-padded, %I and %l are the 12-hour clock, %p and %P its halves, %Z the zone: not printed as written', () => {
    const date = new Date('2024-05-05T19:03:09Z');
    assert.equal(formatDate(date, '%e|%-e|%I|%l|%p|%P|%#p|%Z|%z|%:z'), ' 5|5|07| 7|PM|pm|pm|UTC|+0000|+00:00');
  });

  it('a format that ends inside a directive stops a Jekyll build as Jekyll does ("invalid format"), naming the file and line', async () => {
    const root = jekyllSite('title: T\n', { '_posts/2024-05-14-x.md': '---\ntitle: X\n---\nWe were\n{{ page.date | date: "100%" }}\n' });
    const errors = await buildErrors(root);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /_posts\/2024-05-14-x\.md:5:\d+: invalid format: 100%/);
    assert.doesNotMatch(errors[0], /raw/, 'no hint about literal braces: the format is the problem');
  });

  it('a width beyond 1024 is refused rather than padded (a typo should not print a megabyte)', () => {
    assert.equal(formatDate(new Date('2024-05-05T00:00:00Z'), '%1024d').length, 1024);
    assert.throws(() => formatDate(new Date('2024-05-05T00:00:00Z'), '%1025d'), /invalid format: %1025d \(a width of at most 1024\)/);
  });
});

/** The theme's `{{ d | date(…) }}` for each call written in `calls`, on a recap site in `language`. */
function themeDates(language: string, calls: string[], date = new Date('2024-05-14T18:30:00Z'), page: Record<string, unknown> = {}): string[] {
  const env = createTemplateEnvironment(loadConfig(writeSite({ 'recap.config.yml': `title: T\nlanguage: ${JSON.stringify(language)}\n` })));
  return calls.map((call) => env.renderString(`{{ d | ${call} }}`, { d: date, page }));
}

/** Intl's own dateStyle of the test date, in UTC: what a non-English site prints for a style. */
const intlStyle = (language: string, dateStyle: 'full' | 'long' | 'medium' | 'short') =>
  new Intl.DateTimeFormat(language, { dateStyle, timeZone: 'UTC' }).format(new Date('2024-05-14T18:30:00Z'));

describe('dates in the site\'s language', () => {
  it('a French, German, Japanese, Ukrainian and Arabic site prints Intl\'s date styles: long with no format, and full, medium, short by name', () => {
    assert.deepEqual(themeDates('fr', ['date', "date('full')"]), ['14 mai 2024', 'mardi 14 mai 2024']);
    assert.deepEqual(themeDates('ja', ['date', "date('full')"]), ['2024年5月14日', '2024年5月14日火曜日']);
    for (const language of ['fr', 'de', 'ja', 'uk', 'ar']) {
      const printed = themeDates(language, ['date', "date('full')", "date('long')", "date('medium')", "date('short')"]);
      assert.deepEqual(printed, [intlStyle(language, 'long'), intlStyle(language, 'full'), intlStyle(language, 'long'), intlStyle(language, 'medium'), intlStyle(language, 'short')].map((text) => text.replace(/&/g, '&amp;')), language);
    }
    // Months in the form a date gives them: Ukrainian's genitive; Arabic's names.
    assert.match(themeDates('uk', ["date('full')"])[0], /^вівторок, 14 травня 2024/);
    assert.match(themeDates('ar', ["date('full')"])[0], /الثلاثاء.*مايو/);
  });

  it('an English site prints what it printed before: "14 May 2024" with no format, "Tuesday 14 May 2024" in full, for en, en-US and en-GB', () => {
    for (const language of ['en', 'en-US', 'en-GB', 'EN']) {
      assert.deepEqual(themeDates(language, ['date', "date('full')", "date('long')", "date('medium')", "date('short')", "date('%A %-d %B %Y')"]), [
        '14 May 2024',
        'Tuesday 14 May 2024',
        '14 May 2024',
        '14 May 2024',
        '14/05/2024',
        'Tuesday 14 May 2024',
      ]);
    }
  });

  it('a language Intl has no data for, or that is no language tag, prints English rather than the build machine\'s locale', () => {
    for (const language of ['xx', 'klingon-language', '"><script>alert(1)</script>', 'fr fr']) {
      assert.deepEqual(themeDates(language, ['date', "date('full')", "date('%B')"]), ['14 May 2024', 'Tuesday 14 May 2024', 'May'], language);
    }
  });

  it('strftime formats name months and days in the language: %B as a date has it, %OB on its own, %p, and case as the language has it', () => {
    assert.deepEqual(themeDates('uk', ["date('%-d %B %Y')", "date('%OB %Y')", "date('%a %-d %b')"]), ['14 травня 2024', 'травень 2024', 'вт 14 трав.']);
    assert.deepEqual(themeDates('pl', ["date('%-d %B')", "date('%OB')"]), ['14 maja', 'maj']);
    assert.deepEqual(themeDates('fr', ["date('%A %-d %B %Y, %Hh%M')", "date('%^B')", "date('%^a')"]), ['mardi 14 mai 2024, 18h30', 'MAI', 'MAR.']);
    assert.deepEqual(themeDates('de', ["date('%A, %-d. %B %Y')", "date('%b')"]), ['Dienstag, 14. Mai 2024', 'Mai']);
    // A date that writes its month as a number has the month's own name for %B: ja "5月".
    assert.deepEqual(themeDates('ja', ["date('%Y年%B%-d日 %A')", "date('%p %l時')"]), ['2024年5月14日 火曜日', '午後  6時']);
    // Turkish upper case: a dotted İ (Cumartesi, a Saturday).
    assert.deepEqual(themeDates('tr', ["date('%^A')"], new Date('2024-05-11T10:00:00Z')), ['CUMARTESİ']);
    // English: %OB is the month as %B is.
    assert.deepEqual(themeDates('en', ["date('%OB %Y')", "date('%Ob')"]), ['May 2024', 'May']);
  });

  it('the language is the one the template gives, else the page\'s own `language`, else the site\'s', () => {
    assert.deepEqual(themeDates('fr', ['date', "date('full', 'de')", "date(none, 'ja')"], undefined, { language: 'uk' }), ['14 травня 2024 р.', 'Dienstag, 14. Mai 2024', '2024年5月14日']);
    assert.deepEqual(themeDates('fr', ['date'], undefined, { language: 42 }), ['14 mai 2024'], 'a language that is no text is passed over');
    assert.deepEqual(themeDates('de', ["date('full', '')"], undefined, { language: '  ' }), ['Dienstag, 14. Mai 2024']);
  });

  it('a French site built with the default theme dates its post pages in full and its lists long; a post in German is dated in German', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Meetup Paris\nlanguage: fr\n',
      'posts/2024-05-14-kubernetes.md': '---\ntitle: Kubernetes à Paris\ndate: 2024-05-14 23:30\n---\nBonjour.\n',
      'posts/2024-06-04-zurich.md': '---\ntitle: Zürich\nlanguage: de\n---\nGrüezi.\n',
    });
    const out = await buildInto(root);
    const page = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');
    // 23:30 on the 14th stays on the 14th: the meetup's own date.
    assert.match(page('2024/05/14/kubernetes/index.html'), /<time datetime="2024-05-14T23:30:00.000Z">mardi 14 mai 2024<\/time>/);
    assert.match(page('2024/06/04/zurich/index.html'), />Dienstag, 4\. Juni 2024<\/time>/);
    assert.match(page('index.html'), />14 mai 2024<\/time>/);
    assert.match(page('index.html'), />4 juin 2024<\/time>/, 'the list is the site\'s page: in its language');
  });
});
