import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pad, parseDate } from '../util/dates.js';
import { loadConfig } from '../pipeline/config.js';
import { fileSystemError, SiteError } from '../pipeline/errors.js';
import { makeFolder } from '../util/files.js';
import { slugifyTag } from '../util/urls.js';
import { UsageError, withSiteErrors, type Io } from './io.js';
import { realPath } from '../util/real-paths.js';
import { yamlQuoted } from '../util/yaml.js';

const USAGE = `Usage: recap new "TITLE" [options]

Writes posts/YYYY-MM-DD-slug.md with a front-matter skeleton (title, description, image,
tags including the year, location) and prints its path. Never overwrites a file.

Options:
  --date YYYY-MM-DD   The meetup's date (default: today)
  --tags A,B          Tags, separated by commas (the year is always added)
  --draft             Mark the post "draft: true" (built with --drafts and by serve)
  --root DIR          Site folder (default: the current folder)
  -h, --help          Show this help`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { root: { type: 'string' }, date: { type: 'string' }, tags: { type: 'string' }, draft: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('recap new takes one title, in quotes: recap new "March meetup recap"');
  return withSiteErrors(io, () => {
    const root = values.root ?? '.';
    const config = loadConfig(root);
    const file = createPost(root, { title: positionals[0], date: values.date, tags: values.tags?.split(','), draft: values.draft, postsDir: config.postsDir });
    io.out(path.join(path.relative(process.cwd(), path.resolve(root)), file) || file);
    return 0;
  });
}

export interface NewPostOptions {
  title: string;
  /** YYYY-MM-DD; default: today, in the local time zone. */
  date?: string;
  tags?: string[];
  draft?: boolean;
  /** The site's posts folder, relative to root. */
  postsDir: string;
}


/** Longest slug `recap new` derives from a title: a URL people can read, and a file name every disk takes. */
const MAX_SLUG = 80;

/** A slug cut to MAX_SLUG characters at a word boundary; the full title stays in the front matter. */
function shortSlug(slug: string): string {
  if (slug.length <= MAX_SLUG) return slug;
  const cut = slug.slice(0, MAX_SLUG + 1);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 0 ? cut.slice(0, lastDash) : cut.slice(0, MAX_SLUG)).replace(/-+$/, '');
}

/**
 * Writes `posts/YYYY-MM-DD-slug.md` with a front-matter skeleton and returns its site-relative
 * path. Never overwrites: an existing file is an error.
 */
export function createPost(root: string, options: NewPostOptions): string {
  const title = options.title.trim();
  if (title === '') throw new SiteError(options.postsDir, 'a new post needs a title: recap new "March meetup recap"');
  const now = new Date();
  const dateText = options.date ?? `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const date = parseDate(dateText);
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(dateText)) {
    throw new SiteError(options.postsDir, `--date must be a calendar date like 2026-05-14, not "${dateText}"`);
  }
  const slug = shortSlug(slugifyTag(title)) || 'recap';
  const year = dateText.slice(0, 4);
  const tags = [...new Set([...(options.tags ?? []).map((t) => t.trim()).filter(Boolean), year])];
  const relative = `${options.postsDir}/${dateText}-${slug}.md`;
  const text = [
    '---',
    'layout: post',
    `title: ${yamlQuoted(title)}`,
    'description: ""',
    'image: ""',
    `tags: [${tags.map(yamlQuoted).join(', ')}]`,
    'location: ""',
    ...(options.draft ? ['draft: true'] : []),
    '---',
    '',
    'A sentence or two about the evening: who came, what was new.',
    '',
    '## Talks',
    '',
    '- **Speaker name**: what the talk showed. [Slides](https://example.org/slides)',
    '',
    'Thanks to our host and sponsors.',
    '',
  ].join('\n');
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
