import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { formatDate, parseDate, readDateText } from '../src/util/dates.js';
import { FrontMatterError, ReadError, SiteError } from '../src/pipeline/errors.js';
import type { ParseContext } from '../src/pipeline/parse.js';
import { planSite } from '../src/pipeline/plan.js';
import { dialectOf } from '../src/pipeline/dialect.js';
import { nunjucksBodies, recapDialect } from '../src/pipeline/recap-dialect.js';
import { decodeText, readSite } from '../src/pipeline/read.js';
import { Reuse } from '../src/incremental/reuse.js';
import { createTemplateEnvironment } from '../src/theme/environment.js';
import { videoEmbedUrl } from '../src/theme/hosted-video.js';
import type { Post } from '../src/pipeline/types.js';
import { resolveUrlPath } from '../src/util/urls.js';
import { slugifyTag } from '../src/util/slugs.js';
import { recoverOutput, writeSite } from '../src/pipeline/write.js';
import { classifyChange } from '../src/dev/watch.js';
import { swallowedKeyWarnings } from '../src/pipeline/front-matter.js';
import { closest } from '../src/util/closest.js';
import { buildInto, listTree, parsePost, tempDir } from './helpers.js';

/** The read stage of a build from scratch. */
const readSources = (config: ReturnType<typeof loadConfig>, errors: SiteError[]) => readSite(config, dialectOf(config), new Reuse(config), errors);

function context(overrides: Partial<ReturnType<typeof loadConfig>> = {}): ParseContext {
  const root = tempDir();
  const config = { ...loadConfig(root, { now: new Date('2024-06-01T00:00:00Z') }), ...overrides };
  return { config, dialect: recapDialect(config), bodyEngine: nunjucksBodies(config, createTemplateEnvironment(config)) };
}

const parse = (text: string, file = 'posts/2019-03-06-x.md', ctx = context()) => parsePost({ path: file, text }, ctx);

describe('urls', () => {
  it('maps URL paths to output files a static host serves', () => {
    assert.deepEqual(resolveUrlPath('/a/b/'), { outPath: 'a/b/index.html', url: '/a/b/' });
    assert.deepEqual(resolveUrlPath('/a/b.html'), { outPath: 'a/b.html', url: '/a/b.html' });
    assert.deepEqual(resolveUrlPath('/a/b'), { outPath: 'a/b/index.html', url: '/a/b/' });
    assert.deepEqual(resolveUrlPath('old-url/'), { outPath: 'old-url/index.html', url: '/old-url/' });
    assert.deepEqual(resolveUrlPath('/caf%C3%A9/'), { outPath: 'café/index.html', url: '/caf%C3%A9/' });
    assert.deepEqual(resolveUrlPath('/talks/kubernetes-1.14'), { outPath: 'talks/kubernetes-1.14/index.html', url: '/talks/kubernetes-1.14/' });
    assert.deepEqual(resolveUrlPath('/C%23-and-100%25/'), { outPath: 'C#-and-100%/index.html', url: '/C%23-and-100%25/' });
  });

  it('refuses every path that could leave the output folder', () => {
    for (const bad of ['/?p=123', '/a#b', '/../x/', '/a/../../x/', '/%2e%2e/x/', '/%2E%2E/', '/a%2f..%2f../', '/a\\b/', '/a\0/', '//host/x', 'C:\\x', '/C:/x/', 'javascript:alert(1)', '/a//b/', '/%zz/']) {
      assert.equal(typeof resolveUrlPath(bad), 'string', `${JSON.stringify(bad)} must be refused`);
    }
  });

  it('slugifies tags: lower case, runs of other characters one dash', () => {
    assert.equal(slugifyTag('Photos'), 'photos');
    assert.equal(slugifyTag('2019'), '2019');
    assert.equal(slugifyTag('Service Mesh'), 'service-mesh');
    assert.equal(slugifyTag('C++'), 'c');
    assert.equal(slugifyTag('  Café / Talks!! '), 'cafe-talks');
    // Refused before (no a-z or 0-9): a slug in the tag's own script now (test/slugs.test.ts has the rules).
    assert.equal(slugifyTag('東京'), '東京');
  });
});

describe('dates', () => {
  it('parses calendar dates and refuses impossible ones', () => {
    assert.equal(parseDate('2019-03-06')?.toISOString(), '2019-03-06T00:00:00.000Z');
    assert.equal(parseDate('2019-03-06 18:30')?.toISOString(), '2019-03-06T18:30:00.000Z');
    assert.equal(parseDate('2019-03-06T18:30:00+01:00')?.toISOString(), '2019-03-06T18:30:00.000Z', 'the time as written');
    assert.equal(parseDate('2019-03-06 23:30 -0500')?.toISOString(), '2019-03-06T23:30:00.000Z', 'the day as written');
    assert.equal(parseDate('2020-02-29')?.toISOString(), '2020-02-29T00:00:00.000Z');
    for (const bad of ['2019-02-29', '2019-02-30', '2019-13-01', '2019-00-10', '2019-03-06 24:00', 'March 6', '']) {
      assert.equal(parseDate(bad), undefined, bad);
    }
  });

  it('keeps the year as written, refuses years before 1900 and zones beyond ±14:00', () => {
    assert.equal(parseDate('1900-01-01')?.toISOString(), '1900-01-01T00:00:00.000Z');
    assert.equal(parseDate('9999-12-31 23:59')?.toISOString(), '9999-12-31T23:59:00.000Z');
    assert.equal(parseDate('2019-03-06T23:30:00+14:00')?.toISOString(), '2019-03-06T23:30:00.000Z');
    assert.equal(parseDate('2019-03-06T23:30:00-0930')?.toISOString(), '2019-03-06T23:30:00.000Z');
    for (const bad of ['0019-03-06', '0000-01-01', '1899-12-31', '2019-03-06T23:30:00+99:99', '2019-03-06 10:00 +15', '2019-03-06 10:00 -05:60']) {
      assert.ok('problem' in readDateText(bad), bad);
      assert.equal(parseDate(bad), undefined, bad);
    }
    assert.deepEqual(readDateText('0019-03-06'), { problem: 'the year 0019 is before 1900' });
    assert.deepEqual(readDateText('2019-02-29'), { problem: 'February 2019 has 28 days' });
    assert.deepEqual(readDateText('2019-03-06T10:00+99:99'), { problem: 'the zone offset +99:99 is beyond ±14:00' });
  });

  it('formats with strftime codes in UTC', () => {
    const date = new Date('2019-03-06T18:05:00Z');
    assert.equal(formatDate(date, '%A %-d %B %Y, %H:%M'), 'Wednesday 6 March 2019, 18:05');
    assert.equal(formatDate(date, '%Y-%m-%d %b %a %j %%'), '2019-03-06 Mar Wed 065 %');
  });
});

describe('parsePost', () => {
  it('reads the date and case-kept slug from a Jekyll file name', () => {
    const post = parse('---\ntitle: Hi\n---\nBody', 'posts/2019-03-06-KubeCon-Party.md');
    assert.equal(post.slug, 'KubeCon-Party');
    assert.equal(post.date.toISOString(), '2019-03-06T00:00:00.000Z');
    assert.equal(post.html, '<p>Body</p>\n');
  });

  it('lets front matter date win over the file name', () => {
    assert.equal(parse('---\ntitle: Hi\ndate: 2020-01-02\n---\n').date.toISOString(), '2020-01-02T00:00:00.000Z');
  });

  it('reads tags as a list, one space-separated string, or numbers', () => {
    assert.deepEqual(parse('---\ntitle: t\ntags: [Photos, "2019", 2020]\n---\n').tags, ['Photos', '2019', '2020']);
    assert.deepEqual(parse('---\ntitle: t\ntags: Meetup Kubernetes 2023\n---\n').tags, ['Meetup', 'Kubernetes', '2023']);
    assert.deepEqual(parse('---\ntitle: t\ntags:\n  - Service Mesh\n  - 2021\n---\n').tags, ['Service Mesh', '2021']);
    assert.throws(() => parse('---\ntitle: t\ntags: [{a: 1}]\n---\n'), /"tags" must be a list of text values; found a mapping/);
    assert.throws(() => parse('---\ntitle: t\ntags: [[a]]\n---\n'), /found a nested list/);
  });

  it('reads Jekyll-era booleans: published: no is false', () => {
    assert.equal(parse('---\ntitle: t\npublished: no\n---\n').published, false);
    assert.equal(parse('---\ntitle: t\npublished: off\n---\n').published, false);
    assert.equal(parse('---\ntitle: t\npublished: false\n---\n').published, false);
    assert.equal(parse('---\ntitle: t\n---\n').published, true);
    assert.throws(() => parse('---\ntitle: t\npublished: maybe\n---\n'), /"published" must be true or false/);
  });

  it('gives templates every boolean key as a boolean, in any YAML 1.1 spelling and case', () => {
    for (const [word, value] of [['no', false], ['No', false], ['OFF', false], ['n', false], ['N', false], ['false', false], ['yes', true], ['Y', true], ['On', true], ['TRUE', true]] as const) {
      const post = parse(`---\ntitle: t\nhide_image: ${word}\ndraft: ${word}\nrender_with_liquid: ${word}\n---\n`);
      assert.deepEqual([post.data.hide_image, post.data.draft, post.data.render_with_liquid, post.draft], [value, value, value, value], word);
    }
    assert.equal(parse('---\ntitle: t\npublished: Yes\n---\n').data.published, true);
    assert.equal(parse('---\ntitle: t\n---\n{{ page.hide_image === undefined }}').html, '<p>true</p>\n');
    assert.equal(parse('---\ntitle: t\nhide_image: no\n---\n{% if page.hide_image %}hidden{% else %}shown{% endif %}').html, '<p>shown</p>\n');
    assert.throws(() => parse('---\ntitle: t\nhide_image: nope\n---\n'), /"hide_image" must be true or false/);
  });

  it('reads "date" written any way YAML allows, keeping the day and time written', () => {
    const dateOf = (matter: string) => parse(`---\ntitle: t\n${matter}\n---\n`).date.toISOString();
    assert.equal(dateOf('"date": 2019-03-06T23:30:00-05:00'), '2019-03-06T23:30:00.000Z');
    assert.equal(dateOf('date: 2019-03-06T23:30:00-05:00'), '2019-03-06T23:30:00.000Z');
    assert.equal(dateOf("'date': '2019-03-06 18:30'"), '2019-03-06T18:30:00.000Z');
    assert.equal(dateOf('<<: {date: 2019-03-07}'), '2019-03-07T00:00:00.000Z');
    assert.equal(dateOf('at: &at 2019-03-08 19:00\ndate: *at'), '2019-03-08T19:00:00.000Z');
    assert.equal(dateOf('date: 2019-03-06 19:30 # doors open'), '2019-03-06T19:30:00.000Z');
    assert.throws(() => parse('---\ntitle: t\n"date": 2019-02-30\n---\n'), (error: unknown) => error instanceof FrontMatterError && error.line === 3);
    assert.throws(() => parse('---\ntitle: t\n<<: {date: 2019-02-30}\n---\n'), (error: unknown) => error instanceof FrontMatterError && error.line === 3);
    assert.throws(() => parse('---\ntitle: t\n---\n', 'posts/0019-03-06-x.md'), /the year 0019 is before 1900/);
  });

  it('gives templates the dates recap read as Dates, and the feed the updated date', () => {
    const post = parse('---\ntitle: t\ndate: 2019-03-06 18:30\nupdated: 2019-03-09\nother: 2019-03-10\n---\n{{ page.updated | isoDate }} {{ page.other }}');
    assert.ok(post.data.date instanceof Date && post.data.updated instanceof Date);
    assert.equal(post.updated?.toISOString(), '2019-03-09T00:00:00.000Z');
    assert.equal(post.html, '<p>2019-03-09T00:00:00.000Z 2019-03-10</p>\n');
    assert.throws(() => parse('---\ntitle: t\nlast_modified_at: 2019-13-01\n---\n'), /"last_modified_at" is not a valid date: "2019-13-01" \(there is no month 13\)/);
  });

  it('dates a draft by its modification time only when that time is a usable date', () => {
    const draft = (modified: Date) => parsePost({ path: 'posts/_drafts/idea.md', text: '---\ntitle: t\n---\n', modified }, context({ drafts: true }));
    assert.equal(draft(new Date('2024-05-01T10:00:00Z')).date.toISOString(), '2024-05-01T10:00:00.000Z');
    assert.throws(() => draft(new Date('1800-01-01T00:00:00Z')), /: the draft's modification time is not a usable date \(1800-01-01T00:00:00.000Z\); add a "date:" key/);
    assert.throws(() => draft(new Date(Number.NaN)), /is not a usable date \(none\)/);
  });

  it('reports broken YAML every time, not only the first (no parser cache hides it)', () => {
    const broken = '---\ntitle: x\ntags: [a\n---\nBody';
    for (let i = 0; i < 2; i++) {
      assert.throws(() => parse(broken), (error: unknown) => error instanceof FrontMatterError && error.line !== undefined);
    }
  });

  it('never evaluates code front matter', () => {
    const marker = '__recapFrontMatterRan';
    for (const language of ['js', 'javascript', 'coffee', 'json']) {
      assert.throws(() => parse(`---${language}\n{ title: (globalThis.${marker} = true) }\n---\n`), /is not supported/);
    }
    assert.equal((globalThis as Record<string, unknown>)[marker], undefined);
  });

  it('keeps raw HTML blocks, indented iframes included', () => {
    const html = parse('---\ntitle: t\n---\n<div class="video-wrapper">\n    <iframe src="https://example.org/v" allowfullscreen></iframe>\n</div>\n').html;
    assert.equal(html, '<div class="video-wrapper">\n    <iframe src="https://example.org/v" allowfullscreen></iframe>\n</div>\n');
  });

  it('keeps a --- line in the body as a horizontal rule', () => {
    assert.match(parse('---\ntitle: t\n---\nAbove\n\n---\n\nBelow').html, /<hr>/);
  });

  it('renders the body as a template with site and page, unless render_with_liquid: false', () => {
    const ctx = context({ basePath: '/blog/' });
    assert.equal(parse('---\ntitle: Hi\n---\n[x]({{ site.basePath }}y/) {{ page.title }}', undefined, ctx).html, '<p><a href="/blog/y/">x</a> Hi</p>\n');
    assert.equal(parse('---\ntitle: Hi\nrender_with_liquid: false\n---\n{{ .Name }}', undefined, ctx).html, '<p>{{ .Name }}</p>\n');
    assert.equal(parse('---\ntitle: Hi\n---\n{% raw %}{{ .Name }}{% endraw %}', undefined, ctx).html, '<p>{{ .Name }}</p>\n');
  });

  it('never lets a body template reach the JavaScript runtime', () => {
    const marker = '__recapBodyRan';
    const attack = `{{ range.constructor("globalThis.${marker} = 1; return 'ran'")() }}`;
    assert.throws(() => parse(`---\ntitle: t\n---\nA ${attack} B`), /Unable to call `range\["constructor"\]`/);
    assert.equal(parse('---\ntitle: t\n---\n{{ cycler.__proto__ }}{{ joiner.prototype }}').html, '');
    assert.equal((globalThis as Record<string, unknown>)[marker], undefined);
  });

  it('refuses links with other schemes, backslashes or control characters', () => {
    assert.throws(() => parse('---\ntitle: t\nslides: "javascript:alert(1)"\n---\n'), /"slides" must be an http\(s\) URL or a path; "javascript:" links are refused/);
    assert.throws(() => parse('---\ntitle: t\nvideo: "data:text/html,x"\n---\n'), /"video"/);
    assert.throws(() => parse('---\ntitle: t\nredirect_to: "/\\\\evil.example/"\n---\n'), /"redirect_to" contains a backslash/);
    assert.throws(() => parse('---\ntitle: t\nredirect_to: "/\\t/evil.example/"\n---\n'), /control character/);
    assert.throws(() => parse('---\ntitle: t\nredirect_to: //evil.example/\n---\n'), /must be an http\(s\) URL or a path starting with "\/"/);
    assert.equal(parse('---\ntitle: t\nredirect_to: https://example.org/x\nimage: images/a.png\n---\n').redirectTo, 'https://example.org/x');
  });

  it('names the line of a YAML error exactly', () => {
    assert.throws(() => parse('---\ntitle: A: B\n---\n'), (error: unknown) => error instanceof FrontMatterError && error.line === 2 && error.column === 9);
  });

  it('reads a front-matter date with a trailing comment', () => {
    assert.equal(parse('---\ntitle: t\ndate: 2019-03-06 19:30 # doors open\n---\n').date.toISOString(), '2019-03-06T19:30:00.000Z');
  });

  it('skips rendering posts that are not built', () => {
    assert.equal(parse('---\ntitle: t\npublished: false\n---\n{{ broken').html, '');
    assert.equal(parse('---\ntitle: t\ndraft: true\n---\n{{ broken').html, '');
  });
});

describe('a quoted value that took in the keys below it', () => {
  it('is said with the key, its line and the keys it took in; quotes that close, escaped quotes and block text are not', () => {
    const warn = (matter: string) => swallowedKeyWarnings('posts/x.md', matter);
    // The case: the title's closing quote missing, the next quote three lines down.
    assert.deepEqual(warn('title: "KubeCon Watch Party\ntags: [oops\ndescription: "\nlocation: Berlin'), [
      'posts/x.md:2: "title" runs on to line 4 and took in "tags:", "description:": a closing " is probably missing at the end of line 2 (a value meant to go on over lines has them indented)',
    ]);
    assert.deepEqual(warn("description: 'It''s on\nvideo: https://youtu.be/x'"), [
      `posts/x.md:2: "description" runs on to line 3 and took in "video:": a closing ' is probably missing at the end of line 2 (a value meant to go on over lines has them indented)`,
    ]);
    for (const fine of [
      'title: "Closed"\ntags: [a]',
      'title: "Two\n  lines, no key"\ntags: [a]',
      'description: "Doors open at 18:30, talks from 19:00.\n  Note: bring an ID for the front desk."\ntitle: x',
      'title: "An \\" escaped quote\n  tags: indented is still text"',
      "title: 'It''s closed'\ndescription: 'and so is this'",
      'description: |\n  Note: block text\n  tags: is text here',
      'title: Plain "quotes" inside\ntags: [a]',
      'title: "Never closed\ntags: [a]',
      'tags: ["a", "b"]\ntitle: x',
    ]) {
      assert.deepEqual(warn(fine), [], fine);
    }
    // One long line and many lines stay linear.
    const long = 'title: "' + 'x'.repeat(1_000_000) + '\n' + 'k: v\n'.repeat(100_000) + 'end: "';
    const started = Date.now();
    assert.equal(warn(long).length, 1);
    assert.ok(Date.now() - started < 5000, 'seconds, not minutes');
  });

  it('is a warning of the build, which still builds', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'url: https://meetup.example.org\n');
    fs.writeFileSync(path.join(root, 'posts/2024-05-14-party.md'), '---\ntitle: "KubeCon Watch Party\ntags: [oops\ndescription: "\n---\nBody.\n');
    const result = await buildSite(loadConfig(root, { cache: false, outDir: path.join(tempDir(), 'out') }));
    assert.deepEqual(result.warnings, ['posts/2024-05-14-party.md:2: "title" runs on to line 4 and took in "tags:", "description:": a closing " is probably missing at the end of line 2 (a value meant to go on over lines has them indented)']);
  });
});

describe('--url and --base-path', () => {
  it('take the address of one build: a --url at a root builds the site at the root, whatever basePath the config has', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'url: https://meetup.example.org\nbasePath: /blog/\n');
    const address = (options: { url?: string; basePath?: string }) => {
      const config = loadConfig(root, { cache: false, ...options });
      return `${config.url} ${config.basePath}`;
    };
    assert.equal(address({}), 'https://meetup.example.org /blog/');
    assert.equal(address({ url: 'https://deploy-preview-7.example.net' }), 'https://deploy-preview-7.example.net /');
    assert.equal(address({ url: 'https://octo.github.io/meetup' }), 'https://octo.github.io /meetup/');
    assert.equal(address({ basePath: '/pr-7/' }), 'https://meetup.example.org /pr-7/');
    assert.equal(address({ url: 'https://meetup.org', basePath: '/pr-7/' }), 'https://meetup.org /pr-7/');
    // What the pages link to: the stylesheet at the root of the preview.
    const outDir = path.join(tempDir(), 'out');
    await buildSite(loadConfig(root, { cache: false, outDir, url: 'https://deploy-preview-7.example.net' }));
    assert.match(fs.readFileSync(path.join(outDir, 'index.html'), 'utf8'), /href="\/assets\/style\.css"/);
  });
});

describe('did you mean', () => {
  it('names the closest command or option, or nothing when none is close', () => {
    const commands = ['build', 'new', 'check', 'migrate', 'watch', 'serve', 'init'];
    assert.equal(closest('biuld', commands), 'build');
    assert.equal(closest('server', commands), 'serve');
    assert.equal(closest('chekc', commands), 'check');
    assert.equal(closest('migrat', commands), 'migrate');
    assert.equal(closest('deploy', commands), undefined);
    assert.equal(closest('x', commands), undefined);
    assert.equal(closest('--dr', ['--drafts', '--dry-run']), undefined, 'the start of two');
    assert.equal(closest('--dr', ['--drafts', '--root']), '--drafts', 'the start of one');
    assert.equal(closest('--draf', ['--drafts', '--root']), '--drafts');
    assert.equal(closest('--BASE-PATH', ['--base-path']), '--base-path');
    assert.equal(closest('--' + 'x'.repeat(100_000), ['--drafts']), undefined);
  });
});

describe('read', () => {
  it('decodes strict UTF-8, drops a BOM, reads CRLF as LF', () => {
    assert.equal(decodeText('x.md', Buffer.from('\uFEFF---\r\ntitle: t\r\n---\r\n')), '---\ntitle: t\n---\n');
    assert.throws(
      () => decodeText('posts/x.md', Buffer.from([0x61, 0x0a, 0x62, 0xff, 0x63])),
      (error: unknown) => error instanceof ReadError && error.format() === 'posts/x.md:2: is not valid UTF-8: bad byte 0xff at byte 3; save the file as UTF-8',
    );
  });

  it('ignores editor leftovers and refuses links out of the site', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    const post = '---\ntitle: t\n---\n';
    for (const name of ['2019-01-01-a.md', '2019-01-01-a.md~', '.#2019-01-01-a.md', '.2019-01-01-a.md.swp', '.hidden.md']) {
      fs.writeFileSync(path.join(root, 'posts', name), post);
    }
    const outside = path.join(tempDir(), 'secret.md');
    fs.writeFileSync(outside, post);
    fs.symlinkSync(outside, path.join(root, 'posts', '2019-01-02-link.md'));
    const errors: SiteError[] = [];
    const sources = await readSources(loadConfig(root), errors);
    assert.deepEqual(sources.files.map((p) => p.path), ['posts/2019-01-01-a.md']);
    assert.deepEqual(errors.map((e) => e.format()), [`posts/2019-01-02-link.md: is a symbolic link to ${outside}, outside the site folder; copy the file in instead`]);
  });

  it('refuses a post over 10 MB, naming its size', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    fs.writeFileSync(path.join(root, 'posts/2019-01-01-huge.md'), '---\ntitle: t\n---\n' + 'x'.repeat(10.5 * 1024 * 1024));
    const errors: SiteError[] = [];
    await readSources(loadConfig(root), errors);
    assert.deepEqual(errors.map((e) => e.format()), ['posts/2019-01-01-huge.md: is 10.5 MB; posts are limited to 10 MB (move large media to static/)']);
  });

  it('refuses templates/ or static/ entries that link out of the site', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'templates/assets'), { recursive: true });
    fs.mkdirSync(path.join(root, 'static'));
    const outside = path.join(tempDir(), 'secret.css');
    fs.writeFileSync(outside, 'secret');
    fs.symlinkSync(outside, path.join(root, 'templates/assets/style.css'));
    fs.symlinkSync(outside, path.join(root, 'static/id_rsa'));
    const errors: SiteError[] = [];
    await readSources(loadConfig(root), errors);
    assert.deepEqual(errors.map((e) => e.format()).sort(), [
      `static/id_rsa: is a symbolic link to ${outside}, outside the site folder; copy the file in instead`,
      `templates/assets/style.css: is a symbolic link to ${outside}, outside the site folder; copy the file in instead`,
    ]);
  });

  it('refuses a source folder that is itself a link out of the site', () => {
    const root = tempDir();
    const outside = tempDir();
    fs.symlinkSync(outside, path.join(root, 'static'));
    assert.throws(() => loadConfig(root), (error: unknown) => error instanceof SiteError && error.format() === `static: is a symbolic link to ${fs.realpathSync(outside)}, outside the site folder; copy the folder in instead`);
  });
});

describe('planSite', () => {
  const post = (source: string, date: string, extra: Partial<Post> = {}): Post => ({
    collection: 'posts', navOrder: 0, categories: [], references: [], source, slug: path.basename(source, '.md').slice(11), date: new Date(date), title: source, description: '', image: '', tags: [],
    redirectFrom: [], redirectTo: '', layout: 'post', published: true, draft: false, permalink: '', data: {}, html: '', excerpt: '', excerptHtml: '', keyLines: {}, ...extra,
  });

  it('orders newest first, then by file name descending on the same date; leaves out future posts', () => {
    const config = loadConfig(tempDir(), { now: new Date('2024-06-01T00:00:00Z') });
    const errors: SiteError[] = [];
    const plan = planSite(config, dialectOf(config), [
      post('posts/2019-03-06-a.md', '2019-03-06'),
      post('posts/2019-03-06-b.md', '2019-03-06'),
      post('posts/2020-01-01-c.md', '2020-01-01'),
      post('posts/2999-01-01-later.md', '2999-01-01'),
      post('posts/2019-01-01-draft.md', '2019-01-01', { draft: true }),
      post('posts/archive/2019-03-06-0-first.md', '2019-03-06'),
    ], { copies: [], layouts: ['post'] }, errors);
    assert.deepEqual(errors, []);
    assert.deepEqual(plan.posts.map((p) => p.post.source), [
      'posts/2020-01-01-c.md',
      'posts/2019-03-06-b.md',
      'posts/2019-03-06-a.md',
      'posts/archive/2019-03-06-0-first.md', // by file name, not by folder
    ]);
  });
});

describe('writeSite', () => {
  it('replaces the output folder whole: no stale files survive', async () => {
    const out = path.join(tempDir(), 'public');
    await writeSite(out, [{ path: 'old/index.html', contents: 'old' }, { path: 'keep.txt', contents: '1' }], 'id1');
    await writeSite(out, [{ path: 'keep.txt', contents: '2' }], 'id2');
    assert.deepEqual(listTree(out), ['.recap-built', 'keep.txt']);
    assert.equal(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8'), '2');
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['public'], 'no staging folder is left behind');
  });

  it('leaves the previous output untouched when writing fails', async () => {
    const out = path.join(tempDir(), 'public');
    await writeSite(out, [{ path: 'index.html', contents: 'good' }], 'id1');
    await assert.rejects(writeSite(out, [{ path: 'a.html', contents: 'x' }, { path: 'b.html', copyFrom: '/nonexistent/file' }], 'id2'));
    assert.deepEqual(listTree(out), ['.recap-built', 'index.html']);
    assert.equal(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), 'good');
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['public']);
  });

  it('recovers what a killed build left: the complete new output, else the previous one', async () => {
    const parent = tempDir();
    const out = path.join(parent, 'public');
    // A killed build between its two renames, with a finished staging folder: the new output wins.
    fs.mkdirSync(path.join(parent, '.public.old-999999-x'));
    fs.writeFileSync(path.join(parent, '.public.old-999999-x', 'old.html'), 'old');
    fs.mkdirSync(path.join(parent, '.public.tmp-999999-x'));
    fs.writeFileSync(path.join(parent, '.public.tmp-999999-x', 'new.html'), 'new');
    fs.writeFileSync(path.join(parent, '.public.tmp-999999-x', '.recap-built'), '');
    recoverOutput(out);
    assert.deepEqual(listTree(out), ['.recap-built', 'new.html']);
    assert.deepEqual(fs.readdirSync(parent), ['public']);
    // A staging folder that never finished: the previous output is put back.
    fs.renameSync(out, path.join(parent, '.public.old-999999-y'));
    fs.mkdirSync(path.join(parent, '.public.tmp-999999-y'));
    recoverOutput(out);
    assert.deepEqual(listTree(out), ['.recap-built', 'new.html']);
    assert.deepEqual(fs.readdirSync(parent), ['public']);
  });

  it('refuses an output folder with files that recap did not write, unless forced', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'public'));
    fs.writeFileSync(path.join(root, 'public/mine.txt'), 'precious');
    await assert.rejects(buildSite(loadConfig(root, { cache: false })), /holds 1 entry recap did not write: mine\.txt; the build replaces this folder, so it stopped and changed nothing/);
    assert.deepEqual(listTree(path.join(root, 'public')), ['mine.txt']);
    await buildSite(loadConfig(root, { cache: false, force: true }));
    assert.ok(!fs.existsSync(path.join(root, 'public/mine.txt')));
  });

  it('refuses to write outside the output folder', async () => {
    const out = path.join(tempDir(), 'public');
    await assert.rejects(writeSite(out, [{ path: '../escape.html', contents: 'x' }], 'id1'), /outside/);
    assert.equal(fs.existsSync(path.join(path.dirname(out), 'escape.html')), false);
  });
});

describe('templates', () => {
  it('turns YouTube and Vimeo links into player URLs', () => {
    assert.equal(videoEmbedUrl('https://www.youtube.com/watch?v=abcDEF12345'), 'https://www.youtube-nocookie.com/embed/abcDEF12345');
    assert.equal(videoEmbedUrl('https://youtu.be/abcDEF12345'), 'https://www.youtube-nocookie.com/embed/abcDEF12345');
    assert.equal(videoEmbedUrl('https://vimeo.com/123456'), 'https://player.vimeo.com/video/123456');
    assert.equal(videoEmbedUrl('https://example.org/talk.mp4'), '');
    assert.equal(videoEmbedUrl('javascript:alert(1)'), '');
  });

  it('shows a post\'s image for hide_image: no, hides it for yes and On (booleans, not the words)', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    const posts: Record<string, string> = { shown: 'no', 'shown-off': 'OFF', hidden: 'yes', 'hidden-on': 'On' };
    for (const [slug, word] of Object.entries(posts)) {
      fs.writeFileSync(path.join(root, `posts/2019-03-06-${slug}.md`), `---\ntitle: ${slug}\nimage: /images/${slug}.jpg\nhide_image: ${word}\n---\nBody.\n`);
    }
    const out = await buildInto(root);
    for (const slug of Object.keys(posts)) {
      const html = fs.readFileSync(path.join(out, `2019/03/06/${slug}/index.html`), 'utf8');
      assert.equal(html.includes(`<figure class="post-image"><img src="/images/${slug}.jpg"`), slug.startsWith('shown'), slug);
    }
  });

  it('reads the config\'s booleans in the same spellings', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'caseSensitiveUrls: Yes\n');
    assert.equal(loadConfig(root).caseSensitiveUrls, true);
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'caseSensitiveUrls: off\n');
    assert.equal(loadConfig(root).caseSensitiveUrls, false);
  });
});

describe('which files are markdown', () => {
  it('reads md, markdown, mkd, mkdn and mkdown in any case, in read, parse and watch alike', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    const post = (title: string) => `---\ntitle: ${title}\n---\nBody of ${title}.\n`;
    fs.writeFileSync(path.join(root, 'posts/2019-01-01-upper.MD'), post('Upper'));
    fs.writeFileSync(path.join(root, 'posts/2019-01-02-short.mkd'), post('Short'));
    fs.writeFileSync(path.join(root, 'posts/2019-01-03-notes.txt'), post('Not a post'));
    const out = await buildInto(root);
    const files = listTree(out);
    assert.ok(files.includes('2019/01/01/upper/index.html'), files.join(', '));
    assert.ok(files.includes('2019/01/02/short/index.html'), files.join(', '));
    assert.ok(!files.some((f) => f.includes('notes')), 'a .txt file is not a post');
    const config = loadConfig(root);
    assert.equal(classifyChange(config, 'posts/2019-01-01-upper.MD'), 'post');
    assert.equal(classifyChange(config, 'posts/2019-01-02-short.MKD'), 'post');
    assert.equal(classifyChange(config, 'posts/2019-01-03-notes.txt'), 'ignore');
  });

  it('gives a Jekyll post named x.MD the URL Jekyll gives it', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '_posts'));
    fs.writeFileSync(path.join(root, '_config.yml'), 'title: T\n');
    fs.writeFileSync(path.join(root, '_posts/2019-01-01-shout.MD'), '---\ntitle: Shout\n---\nHi.\n');
    const files = listTree(await buildInto(root));
    assert.ok(files.includes('2019/01/01/shout.html'), files.join(', '));
  });
});
