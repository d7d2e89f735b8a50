import fs from 'node:fs';
import path from 'node:path';
import { parseCommandArgs } from './args.js';
import { localToday, parseDate } from '../util/dates.js';
import { DEFAULT_THEME_DIR, loadConfig } from '../pipeline/config.js';
import { parseYaml, splitFrontMatter } from '../pipeline/front-matter.js';
import { TEMPLATE_TIME_LIMIT_MS } from '../pipeline/limits.js';
import { decodeText, MAX_POST_BYTES } from '../pipeline/read.js';
import type { SourceFile } from '../pipeline/types.js';
import { fileSystemError, SiteError } from '../pipeline/errors.js';
import { makeFolder } from '../util/files.js';
import { postSlug } from '../util/slugs.js';
import { UsageError, withSiteErrors, type Io } from './io.js';
import { isInside, realPath } from '../util/real-paths.js';
import { runWithinTime, TimeLimitExceeded } from '../util/time-limit.js';
import { createTextEnvironment, templateErrorLocation } from '../theme/environment.js';
import { explainLimit } from '../theme/template-limits.js';
import { yamlQuoted } from '../util/yaml.js';

const USAGE = `Usage: recap new "TITLE" [options]

Writes posts/YYYY-MM-DD-slug.md as a draft (draft: true: "recap serve" shows it, "recap build"
leaves it out) from the site's outline, templates/new-post.md or archetypes/post.md, else
recap's (every key the theme reads, and a recap's sections), and prints its path. Never
overwrites a file.

Options:
  --date YYYY-MM-DD   The meetup's date (default: today)
  --tags A,B          Tags, separated by commas (the year is always added)
  --publish           Write a published post instead of a draft
  --draft             Write a draft (the default)
  --root DIR          Site folder (default: the current folder)
  -h, --help          Show this help`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    options: { root: { type: 'string' }, date: { type: 'string' }, tags: { type: 'string' }, publish: { type: 'boolean' }, draft: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.publish && values.draft) throw new UsageError('--publish and --draft contradict each other');
  if (positionals[0] === 'site') throw new UsageError('a new site is "recap init DIR"; a new post is recap new "March meetup recap"');
  if (positionals.length !== 1) throw new UsageError('recap new takes one title, in quotes: recap new "March meetup recap"');
  // A date that is no date is bad usage, said before the site is read.
  const badDate = values.date === undefined ? undefined : dateProblem(values.date);
  if (badDate) throw new UsageError(badDate);
  return withSiteErrors(io, () => {
    const root = values.root ?? '.';
    const config = loadConfig(root);
    const draft = !values.publish;
    const file = createPost(root, { title: positionals[0], date: values.date, tags: values.tags?.split(','), draft, postsDir: config.postsDir });
    io.out(path.join(path.relative(process.cwd(), path.resolve(root)), file) || file);
    if (draft) io.err('It is a draft: "recap serve" shows it, "recap build" leaves it out until you delete its "draft: true" line.');
    return 0;
  });
}

export interface NewPostOptions {
  title: string;
  /** YYYY-MM-DD; default: today, in the local time zone. */
  date?: string;
  tags?: string[];
  /** Write `draft: true` (recap new's default; --publish turns it off). */
  draft: boolean;
  /** The site's posts folder, relative to root. */
  postsDir: string;
}

/** The site's own outline for a new post, where it keeps one (Hugo calls it an archetype), first found wins. */
const OUTLINES = ['templates/new-post.md', 'archetypes/post.md'];

/** Why --date is no calendar date, or undefined. */
function dateProblem(text: string): string | undefined {
  return parseDate(text) && /^\d{4}-\d{2}-\d{2}$/.test(text) ? undefined : `--date must be a calendar date like 2026-05-14, not "${text}"`;
}

/** Longest slug `recap new` derives from a title: a URL people can read, and a file name every disk takes. */
const MAX_SLUG = 80;

/** And in bytes: a slug in another script is two to four bytes a character, and the file's name (date, slug, .md) must stay under 255. */
const MAX_SLUG_BYTES = 200;

/**
 * A slug cut to MAX_SLUG characters (and MAX_SLUG_BYTES) at a word boundary; the full title stays in
 * the front matter. Counted and cut by code point: a character beyond U+FFFF (𠮷) is never split.
 */
function shortSlug(slug: string): string {
  const chars = [...slug];
  let end = 0;
  for (let bytes = 0; end < chars.length && end < MAX_SLUG; end++) {
    bytes += Buffer.byteLength(chars[end], 'utf8');
    if (bytes > MAX_SLUG_BYTES) break;
  }
  if (end === chars.length) return slug;
  // A "-" just after the kept part is a word boundary too.
  const cut = chars.slice(0, end + 1).join('');
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 0 ? cut.slice(0, lastDash) : chars.slice(0, end).join('')).replace(/-+$/, '');
}

/** A value in YAML's flow syntax (a double-quoted string, a [list]): JSON's syntax is valid YAML (yamlQuoted: characters YAML refuses escaped). */
const yamlValue = (value: unknown): string =>
  Array.isArray(value) ? `[${value.map(yamlValue).join(', ')}]` : typeof value === 'string' ? yamlQuoted(value) : JSON.stringify(value);

/**
 * The new post's text: the site's outline (or recap's, templates/new-post.md in the package)
 * rendered with Nunjucks, given `title`, `date`, `year`, `slug`, `file`, `tags` and `draft`, and the
 * `yaml` filter that writes a value as YAML. An outline that does not say `draft:` gets `draft:
 * true` added for a draft. The result must be a post recap can read: front matter that parses.
 */
function outlineText(root: string, values: { title: string; date: string; slug: string; tags: string[]; draft: boolean; file: string }): string {
  const own = OUTLINES.find((file) => fs.existsSync(path.join(root, file)));
  const source = own ?? '(recap) templates/new-post.md';
  const outline = own ? readOwnOutline(root, own) : fs.readFileSync(path.join(DEFAULT_THEME_DIR, 'new-post.md'), 'utf8');
  // The site's outline is a template from whoever wrote the site: guarded and limited in time as a post's body is.
  const env = createTextEnvironment({ yaml: yamlValue });
  let text: string;
  try {
    text = runWithinTime(TEMPLATE_TIME_LIMIT_MS, () => env.renderString(outline, { ...values, year: values.date.slice(0, 4) }));
  } catch (error) {
    if (error instanceof TimeLimitExceeded) {
      throw new SiteError(source, `could not be filled in: it took longer than ${error.limitMs / 1000} s; look for loops over large ranges or deep recursion`, { cause: error });
    }
    const where = templateErrorLocation(error, outline);
    throw new SiteError(source, `could not be filled in: ${explainLimit(where.message)}; an outline may use {{ title }}, {{ date }}, {{ year }}, {{ slug }}, {{ file }}, {{ tags }}, {{ draft }} and the yaml filter`, {
      line: where.line,
      cause: error,
    });
  }
  const file: SourceFile = { path: source, text };
  const split = splitFrontMatter(file);
  const data = parseYaml(file, split);
  if (values.draft && !('draft' in data)) {
    // The closing --- is the line after the front matter: draft: true goes just before it.
    const lines = text.split('\n');
    lines.splice(split.bodyLine - 2, 0, 'draft: true');
    text = lines.join('\n');
  }
  return text;
}

/**
 * The site's own outline, read as a post is (strict UTF-8, a BOM dropped, CRLF read as LF, at most
 * 10 MB), and only when it is a file in the site: a link out of it (to a secret, to /dev/zero) is
 * refused, as a build refuses one.
 */
function readOwnOutline(root: string, relative: string): string {
  const full = path.join(root, relative);
  try {
    const real = realPath(full);
    if (!isInside(realPath(root), real)) throw new SiteError(relative, `is a symbolic link to ${real}, outside the site; copy the file in instead`);
    const stat = fs.statSync(real);
    if (!stat.isFile()) throw new SiteError(relative, 'is not a file; an outline is a markdown file with front matter');
    if (stat.size > MAX_POST_BYTES) throw new SiteError(relative, `is ${(stat.size / 1024 / 1024).toFixed(1)} MB; an outline is limited to ${MAX_POST_BYTES / 1024 / 1024} MB`);
    return decodeText(relative, fs.readFileSync(real));
  } catch (error) {
    throw fileSystemError(error, full) ?? error;
  }
}

/**
 * Writes `posts/YYYY-MM-DD-slug.md` from the site's outline and returns its site-relative path.
 * Never overwrites: an existing file is an error.
 */
export function createPost(root: string, options: NewPostOptions): string {
  const title = options.title.trim();
  if (title === '') throw new SiteError(options.postsDir, 'a new post needs a title: recap new "March meetup recap"');
  const dateText = options.date ?? localToday();
  const problem = dateProblem(dateText);
  if (problem) throw new SiteError(options.postsDir, problem);
  const slug = shortSlug(postSlug(title)) || 'recap';
  const year = dateText.slice(0, 4);
  const tags = [...new Set([...(options.tags ?? []).map((t) => t.trim()).filter(Boolean), year])];
  const relative = `${options.postsDir}/${dateText}-${slug}.md`;
  const text = outlineText(root, { title, date: dateText, slug, tags, draft: options.draft, file: `${dateText}-${slug}` });
  // Created where the folder really is (posts/ may be a link inside the site, even to a folder not made yet).
  const folder = realPath(path.join(root, options.postsDir));
  try {
    makeFolder(folder);
  } catch (error) {
    throw fileSystemError(error) ?? error;
  }
  const file = path.join(folder, path.basename(relative));
  try {
    // "wx": never overwrite, and never write through a link placed where the new post goes.
    fs.writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SiteError(relative, 'already exists; recap new never overwrites a post (choose another title or --date)', { cause: error });
    }
    // A half-written post would be read by the next build: nothing is left behind. A full disk names no path: the post's is named.
    if ((error as NodeJS.ErrnoException).syscall === 'write') fs.rmSync(file, { force: true });
    throw fileSystemError(error, file) ?? error;
  }
  return relative;
}
