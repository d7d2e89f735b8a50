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
import { buildInto, jekyllSite, writeSite } from './helpers.js';

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

/** Sites' `timezone`s: DST north and south, half-hour offsets and a half-hour DST (Lord Howe), a negative DST (Dublin), none (Tokyo). */
const ZONES = ['America/New_York', 'Europe/Berlin', 'Europe/Kyiv', 'Europe/Dublin', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Lord_Howe', 'America/Sao_Paulo'];

/** Clock times as posts give them: ordinary ones, and New York's and Europe's DST changes (a time skipped, a time shown twice). */
const CLOCKS: number[][] = [[2024, 5, 14, 18, 30, 0], [2024, 1, 5, 23, 59, 59], [2024, 3, 10, 2, 30, 0], [2024, 11, 3, 1, 30, 0], [2024, 3, 31, 2, 30, 0], [2024, 10, 27, 2, 30, 0], [2024, 4, 7, 2, 15, 0], [1950, 6, 1, 12, 0, 0]];

/** Text in a zone: without an offset (the zone's clock), with the zone's own offset, another one, UTC's. */
const ZONE_TEXTS = ['2024-05-14 18:30', '2024-01-05 10:00 -0500', '2024-07-05 10:00 +0200', '2024-07-05 10:00 +0100', '2024-07-05 10:00 +0000', '2024-07-05 10:00 Z', '2024-07-05 10:00 GMT', '2024-11-03 01:30 -0400'];

/** What the zone changes: offsets in every form, the abbreviation, the instant, the clock. */
const ZONE_FORMATS = ['%Y-%m-%d %H:%M:%S %z %Z', '%:z|%::z|%:::z|%-z|%_z', '%#Z|%^10Z|%-10Z|%_8Z', '%s', '%c', '%e %I %l %p'];

/** Jekyll's date_to_xmlschema and date_to_rfc822 (of a Time shown on the site's zone's clocks). */
const JEKYLL_FILTERS: [string, string][] = [['date_to_xmlschema', '%Y-%m-%dT%H:%M:%S%:z'], ['date_to_rfc822', '%a, %d %b %Y %H:%M:%S %z']];

interface RubyCase {
  /**
   * "moment": a Time at these epoch milliseconds on the zone's clocks (Time.at(…).localtime);
   * "clock": Time.local of these numbers; "text": Time.parse of it.
   */
  kind: 'moment' | 'clock' | 'text';
  value: string | number[];
  zone: string;
  formats: string[];
  /** Shown on the zone's clocks first, as Jekyll's date_to_* filters do (Time#localtime). */
  localtime?: boolean;
}

const FORMATS = allFormats();
const clockDate = ([y, mo, d, h, mi, s]: number[]) => new Date(Date.UTC(y, mo - 1, d, h, mi, s));

/** Every case Ruby prints, by name: one run of Ruby does them all. */
const RUBY_CASES = {
  moments: MOMENTS.map((moment): RubyCase => ({ kind: 'moment', value: String(Date.parse(moment)), zone: 'UTC', formats: FORMATS })),
  texts: TEXTS.map((text): RubyCase => ({ kind: 'text', value: text, zone: 'UTC', formats: FORMATS })),
  zoned: ZONES.flatMap((zone) => [
    ...CLOCKS.map((clock): RubyCase => ({ kind: 'clock', value: clock, zone, formats: ZONE_FORMATS })),
    ...ZONE_TEXTS.map((text): RubyCase => ({ kind: 'text', value: text, zone, formats: ZONE_FORMATS })),
    ...MOMENTS.map((moment): RubyCase => ({ kind: 'moment', value: String(Date.parse(moment)), zone, formats: ZONE_FORMATS })),
  ]),
  zonedFilters: ZONES.flatMap((zone) => [
    ...CLOCKS.map((clock): RubyCase => ({ kind: 'clock', value: clock, zone, formats: JEKYLL_FILTERS.map(([, format]) => format), localtime: true })),
    ...ZONE_TEXTS.map((text): RubyCase => ({ kind: 'text', value: text, zone, formats: JEKYLL_FILTERS.map(([, format]) => format), localtime: true })),
  ]),
};

type RubyResults = Record<keyof typeof RUBY_CASES, (string | null)[][]>;
let rubyResults: RubyResults | undefined;

/**
 * What Ruby's strftime printed for each case and format (null where Ruby raises), from one run of
 * Ruby for all of them. The zone is set as Jekyll sets it (ENV["TZ"] from `timezone`); text is
 * read as Liquid's date filter reads it (down-cased, Time.parse).
 */
function rubyPrinted(name: keyof typeof RUBY_CASES): (string | null)[][] {
  if (!rubyResults) {
    const names = Object.keys(RUBY_CASES) as (keyof typeof RUBY_CASES)[];
    const script = `
      require "json"; require "time"
      groups = JSON.parse($stdin.read)
      puts JSON.generate(groups.map { |cases| cases.map { |c|
        ENV["TZ"] = c["zone"]
        time = case c["kind"]
          when "moment" then Time.at(Rational(c["value"].to_i, 1000)).localtime
          when "clock" then Time.local(*c["value"])
          else Time.parse(c["value"].downcase)
        end
        time = time.dup.localtime if c["localtime"]
        c["formats"].map { |f| begin; time.strftime(f); rescue ArgumentError; nil; end }
      } })`;
    const run = spawnSync('ruby', ['-e', script], { input: JSON.stringify(names.map((n) => RUBY_CASES[n])), encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(run.status, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as (string | null)[][][];
    rubyResults = Object.fromEntries(names.map((n, i) => [n, printed[i]])) as RubyResults;
  }
  return rubyResults[name];
}

/** A case's value as a template gets it: a Date (a recap date: the clock time, held as UTC), or text. */
const valueOf = (c: RubyCase): unknown => (c.kind === 'moment' ? (c.zone === 'UTC' ? new Date(Number(c.value)) : Number(c.value) / 1000) : c.kind === 'clock' ? clockDate(c.value as number[]) : c.value);

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
  it('a Jekyll site\'s Liquid date filter prints every directive, flag, width and modifier as Ruby does, for times and for date text', { skip: RUBY_MISSING }, () => {
    const root = jekyllSite('title: T\n');
    const cases = [...RUBY_CASES.moments, ...RUBY_CASES.texts];
    const ruby = [...rubyPrinted('moments'), ...rubyPrinted('texts')];
    const wrong = cases.flatMap((c, i) => differences(String(c.value), c.formats, jekyllPrinted(root, valueOf(c), c.formats), ruby[i]));
    assert.deepEqual(wrong, []);
  });

  it('the theme\'s date filter prints English strftime formats as Ruby does, in the meetup\'s own time (%Z UTC, %z +0000)', { skip: RUBY_MISSING }, () => {
    const root = writeSite({ 'recap.config.yml': 'title: T\n' });
    // %OB and %Ob name a month on its own in the theme (see the language tests); Ruby prints them as written.
    const english = FORMATS.map((format, i) => [format, i] as const).filter(([format]) => !/%[-_0^#\d]*O[Bb]/.test(format));
    const formats = english.map(([format]) => format);
    const wrong = RUBY_CASES.moments.flatMap((c, i) => {
      const ruby = english.map(([, index]) => rubyPrinted('moments')[i][index]);
      const date = valueOf(c) as Date;
      const fromUtil = formats.map((format) => {
        try {
          return formatDate(date, format);
        } catch (error) {
          return `ERROR ${(error as Error).message}`;
        }
      });
      return [...differences(`theme ${c.value}`, formats, themePrinted(root, date, formats), ruby), ...differences(`formatDate ${c.value}`, formats, fromUtil, ruby)];
    });
    assert.deepEqual(wrong, []);
  });

  it('a Jekyll site with a `timezone` prints times on its clocks as Ruby does: offsets, the zone\'s abbreviation (%Z: EDT, CEST, IST, +1030), DST changes', { skip: RUBY_MISSING }, () => {
    const roots = new Map(ZONES.map((zone) => [zone, jekyllSite(`title: T\ntimezone: ${zone}\n`)]));
    const wrong = RUBY_CASES.zoned.flatMap((c, i) => {
      const root = roots.get(c.zone)!;
      const label = `${c.zone} ${c.kind} ${JSON.stringify(c.value)}`;
      const theme = c.kind === 'clock' ? differences(`theme ${label}`, c.formats, themePrinted(root, valueOf(c), c.formats), rubyPrinted('zoned')[i]) : [];
      return [...differences(label, c.formats, jekyllPrinted(root, valueOf(c), c.formats), rubyPrinted('zoned')[i]), ...theme];
    });
    const filters = RUBY_CASES.zonedFilters.flatMap((c, i) => {
      const engine = createLiquidEngine(loadConfig(roots.get(c.zone)!));
      return JEKYLL_FILTERS.flatMap(([filter], j) => {
        const printed = engine.parseAndRenderSync(`{{ d | ${filter} }}`, { d: valueOf(c) });
        const ruby = rubyPrinted('zonedFilters')[i][j];
        return printed === ruby ? [] : [`${c.zone} ${JSON.stringify(c.value)} | ${filter}: Ruby ${ruby}, recap ${printed}`];
      });
    });
    assert.deepEqual([...wrong, ...filters].slice(0, 30), []);
  });

  it('a Jekyll site with `timezone: America/New_York` prints its dates as Jekyll 4.3.1 did: Time#to_s, date, date_to_rfc822, date_to_xmlschema, seo, feed, sitemap', async () => {
    // What `jekyll build` printed for this site (jekyll-feed 0.17, jekyll-seo-tag 2.8, jekyll-sitemap 1.4).
    const root = jekyllSite('title: Zoned\nurl: https://zoned.example\ntimezone: America/New_York\nplugins: [jekyll-feed, jekyll-seo-tag, jekyll-sitemap]\n', {
      '_layouts/default.html': '<html><head>{% seo %}</head><body>{{ content }}</body></html>\n',
      '_posts/2024-05-14-hello.md': '---\ntitle: Hello\nlayout: default\ndate: 2024-05-14 10:00\nlast_modified_at: 2024-06-01 09:15\n---\n[{{ page.date }}] [{{ page.date | date: "%Z %z %e %I %p" }}] [{{ page.date | date_to_rfc822 }}] [{{ page.date | jsonify }}]\n',
      '_posts/2024-01-05-winter.md': '---\ntitle: Winter\nlayout: default\ndate: 2024-01-05 18:30:00 +0100\n---\n[{{ page.date }}] [{{ page.date | date_to_xmlschema }}]\n',
    });
    const out = await buildInto(root);
    const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');
    const hello = read('2024/05/14/hello.html');
    assert.match(hello, /\[2024-05-14 10:00:00 -0400\] \[EDT -0400 14 10 AM\] \[Tue, 14 May 2024 10:00:00 -0400\] \[“2024-05-14 10:00:00 -0400”\]/);
    assert.match(hello, /<meta property="article:published_time" content="2024-05-14T10:00:00-04:00" \/>/);
    assert.match(hello, /"dateModified":"2024-06-01T09:15:00-04:00","datePublished":"2024-05-14T10:00:00-04:00"/);
    assert.match(read('2024/01/05/winter.html'), /\[2024-01-05 12:30:00 -0500\] \[2024-01-05T12:30:00-05:00\]/);
    const feed = read('feed.xml');
    for (const line of ['<published>2024-05-14T10:00:00-04:00</published>', '<updated>2024-06-01T09:15:00-04:00</updated>', '<published>2024-01-05T12:30:00-05:00</published>']) assert.ok(feed.includes(line), line);
    assert.match(feed, /<updated>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00<\/updated>/, "the build's time, on New York's clocks");
    assert.match(read('sitemap.xml'), /<lastmod>2024-01-05T12:30:00-05:00<\/lastmod>[\s\S]*<lastmod>2024-06-01T09:15:00-04:00<\/lastmod>/);
  });

  it('recap\'s theme on a Jekyll site with a `timezone` dates pages on its clocks, and <time datetime> names the true instant', async () => {
    const root = jekyllSite('title: Zoned\ntimezone: Europe/Berlin\n', { '_posts/2024-05-14-hello.md': '---\ntitle: Hello\ndate: 2024-05-14 23:30\n---\n{{ page.date | date: "%H:%M %Z" }}\n' });
    const page = fs.readFileSync(path.join(await buildInto(root), '2024/05/14/hello.html'), 'utf8');
    assert.match(page, /<time datetime="2024-05-14T21:30:00.000Z">Tuesday 14 May 2024<\/time>/);
    assert.match(page, /23:30 CEST/);
    const env = createTemplateEnvironment(loadConfig(root));
    assert.equal(env.renderString("{{ d | date('%-d %B %H:%M %Z %z') }}", { d: new Date('2024-01-05T10:00:00Z') }), '5 January 10:00 CET +0100');
  });

  it('%e is space-padded, %I and %l are the 12-hour clock, %p and %P its halves, %Z the zone: not printed as written', () => {
    const date = new Date('2024-05-05T19:03:09Z');
    assert.equal(formatDate(date, '%e|%-e|%I|%l|%p|%P|%#p|%Z|%z|%:z'), ' 5|5|07| 7|PM|pm|pm|UTC|+0000|+00:00');
  });

  it('a format of many wide directives is stopped before it fills the memory: the theme at 16 MB, Jekyll\'s Liquid at its memory limit', () => {
    const format = '%1024d'.repeat(1_000_000);
    const env = createTemplateEnvironment(loadConfig(writeSite({ 'recap.config.yml': 'title: T\n' })));
    assert.throws(() => env.renderString('{{ d | date(f) }}', { d: new Date(), f: format }), /the date format "%1024d.*makes more than 16 MB of text/);
    const engine = createLiquidEngine(loadConfig(jekyllSite('title: T\n')));
    assert.throws(() => engine.parseAndRenderSync('{{ d | date: f }}', { d: new Date(), f: format }), /memory alloc limit exceeded/);
  });

  it('what a format prints from front matter is escaped in the theme (a format is text, not HTML)', () => {
    const env = createTemplateEnvironment(loadConfig(writeSite({ 'recap.config.yml': 'title: T\n' })));
    assert.equal(env.renderString('{{ page.date | date(page.dateFormat) }}', { page: { date: new Date('2024-05-14T00:00:00Z'), dateFormat: '<img src=x onerror=alert(1)> %Y & "%B"' } }), '&lt;img src=x onerror=alert(1)&gt; 2024 &amp; &quot;May&quot;');
  });

  it('a width beyond 1024 is refused rather than padded (a typo should not print a megabyte)', () => {
    assert.equal(formatDate(new Date('2024-05-05T00:00:00Z'), '%1024d').length, 1024);
    assert.throws(() => formatDate(new Date('2024-05-05T00:00:00Z'), '%1025d'), /invalid format: %1025d \(a width goes up to 1024\)/);
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
    // A site's language must be a language tag (the config refuses others); one Intl has no data for prints English.
    for (const language of ['xx', 'tlh']) {
      assert.deepEqual(themeDates(language, ['date', "date('full')", "date('%B')"]), ['14 May 2024', 'Tuesday 14 May 2024', 'May'], language);
    }
    // The filter's own argument may be anything a template passes: no tag is English too.
    for (const language of ['klingon-language', '"><script>alert(1)</script>', 'fr fr']) {
      const argument = JSON.stringify(language);
      assert.deepEqual(themeDates('en', [`date(none, ${argument})`, `date('full', ${argument})`, `date('%B', ${argument})`]), ['14 May 2024', 'Tuesday 14 May 2024', 'May'], language);
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
