import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pad, parseDate } from '../util/dates.js';
import { loadConfig } from '../pipeline/config.js';
import { SiteError } from '../pipeline/errors.js';
import { slugifyTag } from '../util/urls.js';
import { UsageError, withSiteErrors, type Io } from './io.js';
import { realPath } from '../util/real-paths.js';

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


/** A YAML double-quoted scalar: JSON's string syntax is valid YAML. */
const yamlString = (text: string) => JSON.stringify(text);

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
  const slug = slugifyTag(title) || 'recap';
  const year = dateText.slice(0, 4);
  const tags = [...new Set([...(options.tags ?? []).map((t) => t.trim()).filter(Boolean), year])];
  const relative = `${options.postsDir}/${dateText}-${slug}.md`;
  const text = [
    '---',
    'layout: post',
    `title: ${yamlString(title)}`,
    'description: ""',
    'image: ""',
    `tags: [${tags.map(yamlString).join(', ')}]`,
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
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new SiteError(options.postsDir, `cannot be made a folder (${(error as NodeJS.ErrnoException).code}); it should hold the posts`, { cause: error });
  }
  try {
    // "wx": never overwrite, and never write through a link placed where the new post goes.
    fs.writeFileSync(path.join(folder, path.basename(relative)), text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SiteError(relative, 'already exists; recap new never overwrites a post (choose another title or --date)', { cause: error });
    }
    throw error;
  }
  return relative;
}
