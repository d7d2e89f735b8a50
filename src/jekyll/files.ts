/** Which files of a Jekyll site are posts, pages and copies, by Jekyll's own rules. */
import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { listFiles } from '../pipeline/read.js';
import { ConfigError, type SiteError } from '../pipeline/errors.js';
import { isInside } from '../util/real-paths.js';
import { readOutputState } from '../pipeline/output-marker.js';
import type { SiteConfig } from '../pipeline/types.js';
import { isMarkdownFile } from '../util/files.js';
import { trimEndOf } from '../util/text.js';
import { globMatcher, isGlob } from '../util/glob.js';

/** Files Jekyll compiles with Sass: recap leaves them out with a warning. */
const SASS = /\.s[ac]ss$/i;

const posix = (p: string) => p.split(path.sep).join('/');

/**
 * A build replaces the output folder whole: inside a Jekyll site it may be no folder holding posts
 * (`--out blog` with blog/_posts/), and no folder Jekyll copies into the site (a theme's public/css/)
 * unless it holds a build of recap's already, however --force is given.
 */
function refuseSourcesInside(config: SiteConfig, errors: SiteError[]): void {
  const outDir = config.outDir;
  if (!isInside(config.root, outDir) || !fs.existsSync(outDir)) return;
  const shown = posix(path.relative(process.cwd(), outDir)) || '.';
  const [found] = fg.sync(['**/_posts', '**/_drafts'], { cwd: outDir, onlyDirectories: true, dot: true, followSymbolicLinks: false, ignore: ['**/.git/**'] });
  if (found !== undefined) {
    errors.push(new ConfigError(shown, `cannot be the output folder: the build replaces it whole and it holds posts (${found}/); choose another --out`));
    return;
  }
  const relative = posix(path.relative(config.root, outDir));
  const excluded = jekyllMatcher([...JEKYLL_EXCLUDE, ...config.jekyll!.exclude]);
  const isSource = !excluded(relative) && !relative.split('/').some(special);
  if (isSource && fs.readdirSync(outDir).length > 0 && readOutputState(outDir, false).kind === 'unmarked') {
    errors.push(new ConfigError(shown, "cannot be the output folder: it holds files of this Jekyll site (Jekyll copies every folder not named _… or .… into the site) and no build of recap's; build into _site (--out _site) or another folder"));
  }
}

/** Jekyll's own default exclusions, and recap's files in a Jekyll site. */
const JEKYLL_EXCLUDE = [
  'Gemfile',
  'Gemfile.lock',
  'node_modules',
  'vendor/bundle/',
  'vendor/cache/',
  'vendor/gems/',
  'vendor/ruby/',
  'gemfiles',
  '.sass-cache',
  '.jekyll-cache',
  'package.json',
  'package-lock.json',
  'recap.config.yml',
  'templates',
];


function startsWithFrontMatter(file: string): boolean {
  const handle = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const read = fs.readSync(handle, head, 0, 4, 0);
    const text = head.subarray(0, read).toString('latin1').replace(/^\xef\xbb\xbf/, '');
    return text.startsWith('---');
  } finally {
    fs.closeSync(handle);
  }
}

/**
 * Jekyll's exclude and include entries match a path when it starts with the entry, or when the
 * entry is a pattern (File.fnmatch, whose "*" also crosses "/") that matches it.
 */
function jekyllMatcher(entries: string[]): (relative: string) => boolean {
  const tests = entries.map((raw) => {
    const entry = raw.replace(/^\/+/, '');
    if (isGlob(entry)) {
      const pattern = globMatcher(entry);
      return (relative: string) => pattern(relative) || pattern(path.posix.basename(relative));
    }
    const bare = trimEndOf(entry, '/');
    return (relative: string) => relative === bare || relative.startsWith(bare + '/');
  });
  return (relative) => tests.some((test) => test(relative));
}

/** Jekyll leaves out names starting with ".", "_", "#" or "~" (unless `include`d) and backups ending in "~". */
const special = (segment: string) => /^[._#~]/.test(segment) || segment.endsWith('~');

/**
 * A Jekyll site's files, sorted as Jekyll publishes them: posts (in any `_posts/` folder, and
 * `_drafts/` when drafts are built); pages (any other file with front matter: markdown, HTML, feeds,
 * JSON, CSS, each rendered with Liquid); files copied as they are (everything else Jekyll
 * publishes); and Sass stylesheets with front matter, which are compiled to CSS (see sass.ts).
 * Whether the pages that only the site's own layouts can show (HTML, index.md) are built is
 * planning's choice (see layouts.ts).
 */
export interface JekyllFiles {
  posts: string[];
  pages: string[];
  copies: string[];
  /** Sass stylesheets with front matter, which Jekyll compiles to CSS. */
  stylesheets: string[];
}

export function jekyllFiles(config: SiteConfig, errors: SiteError[]): JekyllFiles {
  const jekyll = config.jekyll!;
  // recap's own folders inside the site (compared as real paths: config's are) are never sources.
  const own = [config.outDir, config.cacheDir].filter((dir) => dir !== '' && dir !== config.root && isInside(config.root, dir)).map((dir) => posix(path.relative(config.root, dir)));
  refuseSourcesInside(config, errors);
  const excluded = jekyllMatcher([...JEKYLL_EXCLUDE, ...jekyll.exclude, ...own]);
  const included = jekyllMatcher(jekyll.include);
  const posts: string[] = [];
  const pages: string[] = [];
  const copies: string[] = [];
  const stylesheets: string[] = [];
  const ignore = ['**/.git/**', '**/node_modules/**', '_site/**', ...own.map((dir) => `${fg.escapePath(dir)}/**`)];
  for (const file of listFiles(config, config.root, '', ['**'], errors, { dot: true, ignore })) {
    if (excluded(file)) continue;
    const segments = file.split('/');
    const folders = segments.slice(0, -1);
    // Posts live in any _posts/ folder (blog/_posts/ gives them the category "blog"), drafts in _drafts/.
    const postsAt = folders.findIndex((segment) => segment === '_posts' || (segment === '_drafts' && config.drafts));
    if (postsAt !== -1) {
      if (isMarkdownFile(file) && !segments.slice(0, postsAt).some(special) && !segments.slice(postsAt + 1).some(special)) posts.push(file);
      continue;
    }
    if (segments.some((segment, i) => special(segment) && !included(segments.slice(0, i + 1).join('/')))) continue;
    if (!startsWithFrontMatter(path.join(config.root, file))) copies.push(file);
    else if (SASS.test(file)) stylesheets.push(file);
    else pages.push(file);
  }
  return { posts, pages, copies, stylesheets };
}
