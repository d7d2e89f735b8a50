import fs from 'node:fs';
import path from 'node:path';
import { parseConfigYaml } from '../pipeline/config-checks.js';
import { keptPaths } from '../pipeline/output-ownership.js';
import type { JekyllSettings, SiteSettings } from '../pipeline/types.js';
import { trimEndOf } from '../util/text.js';

export const JEKYLL_CONFIG_FILE = '_config.yml';

/** Jekyll's named permalink styles, and what a page's URL looks like under each. */
const PERMALINK_STYLES: Record<string, string> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/** The placeholders of Jekyll post permalinks recap fills. */
export const JEKYLL_PLACEHOLDERS: Record<string, string> = Object.fromEntries(
  ['year', 'month', 'i_month', 'day', 'i_day', 'short_year', 'y_day', 'title', 'slug', 'categories', 'output_ext', 'week', 'short_day'].map((k) => [k, '']),
);

/** Keys of _config.yml recap reads; every other key is listed in one warning. */
const UNDERSTOOD = [
  'title',
  'description',
  'url',
  'baseurl',
  'permalink',
  'paginate',
  'paginate_path',
  'timezone',
  'defaults',
  'exclude',
  'excerpt_separator',
  'jekyll-archives',
  'feed',
  'include',
  'keep_files',
  'author',
  'lang',
  'redirect_from',
];

/**
 * Jekyll's own settings that change what it builds and recap does not follow: named in one warning.
 * Any other key is the site's own data, which its Liquid reads as `site.<key>`.
 */
const NOT_FOLLOWED = ['collections', 'collections_dir', 'layouts_dir', 'includes_dir', 'data_dir', 'plugins_dir', 'source', 'destination', 'lsi', 'limit_posts', 'liquid', 'markdown_ext', 'page_excerpts', 'whitelist'];

/** Keys Jekyll itself uses that have no effect on what recap builds: not worth a warning. */
const HARMLESS = ['plugins', 'gems', 'markdown', 'highlighter', 'kramdown', 'theme', 'remote_theme', 'sass', 'safe', 'incremental', 'encoding'];

/** What recap reads from a Jekyll site's _config.yml. */
export interface JekyllConfig {
  settings: Partial<SiteSettings>;
  jekyll: JekyllSettings;
  /** The _config.yml key (and its line) each setting was read from, for messages about its value. */
  origins: Partial<Record<keyof SiteSettings, { key: string; line?: number }>>;
}

/** The _config.yml key each recap setting is read from. */
const JEKYLL_KEYS: Partial<Record<keyof SiteSettings, string>> = {
  title: 'title',
  description: 'description',
  url: 'url',
  basePath: 'baseurl',
  permalink: 'permalink',
  paginate: 'paginate',
  paginatePath: 'paginate_path',
  feedLimit: 'feed',
  author: 'author',
  tagPermalink: 'jekyll-archives',
};

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Reads _config.yml, or returns undefined when the site has none. */
export function readJekyllConfig(root: string, environment: string): JekyllConfig | undefined {
  const file = path.join(root, JEKYLL_CONFIG_FILE);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const data = parseConfigYaml(JEKYLL_CONFIG_FILE, text, 'ruby');
  const values = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const settings: Partial<SiteSettings> = {};
  const listed = [values.plugins, values.gems].flatMap((list) => (Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []));
  const plugins = [...new Set([...listed, ...gemfilePlugins(root)])];
  const jekyll: JekyllSettings = {
    defaults: [],
    exclude: [],
    include: [],
    excerptSeparator: '',
    ignoredKeys: [],
    unfollowedKeys: [],
    pagePermalink: '/:path/:basename:output_ext',
    values,
    plugins,
    environment,
    // Jekyll reads dates in the build machine's zone when `timezone` is not set; GitHub Pages builds in UTC.
    timezone: stringOf(values.timezone) ?? 'UTC',
  };

  const title = stringOf(values.title);
  if (title) settings.title = title;
  const description = stringOf(values.description);
  if (description) settings.description = description;
  // `author`: a name, or a map with `name` (jekyll-feed, jekyll-seo-tag); email and uri are read by the feed.
  const author = stringOf(values.author) ?? (values.author && typeof values.author === 'object' ? stringOf((values.author as Record<string, unknown>).name) : undefined);
  if (author) settings.author = author;
  const url = stringOf(values.url);
  if (url) settings.url = url;
  const baseurl = stringOf(values.baseurl);
  if (baseurl) settings.basePath = baseurl;

  const permalink = stringOf(values.permalink) ?? 'date';
  settings.permalink = PERMALINK_STYLES[permalink] ?? permalink;
  // Jekyll's pages follow the post style: a trailing slash when posts have one, else .html.
  jekyll.pagePermalink = settings.permalink.endsWith('/') ? '/:path/:basename/' : '/:path/:basename:output_ext';

  if (typeof values.paginate === 'number' && values.paginate > 0) settings.paginate = values.paginate;
  const paginatePath = stringOf(values.paginate_path);
  settings.paginatePath = paginatePath ?? '/page:num/';

  if (Array.isArray(values.defaults)) {
    for (const entry of values.defaults) {
      if (!entry || typeof entry !== 'object') continue;
      const { scope, values: defaultValues } = entry as { scope?: { path?: unknown; type?: unknown }; values?: unknown };
      if (!defaultValues || typeof defaultValues !== 'object') continue;
      jekyll.defaults.push({
        path: stringOf(scope?.path) ?? '',
        type: stringOf(scope?.type),
        values: defaultValues as Record<string, unknown>,
      });
    }
  }
  if (Array.isArray(values.exclude)) jekyll.exclude = values.exclude.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(values.include)) jekyll.include = values.include.filter((x): x is string => typeof x === 'string');
  jekyll.excerptSeparator = stringOf(values.excerpt_separator) ?? '';

  // jekyll-feed's default: the newest 10 posts (feed: posts_limit: N to change it).
  const feed = values.feed as { posts_limit?: unknown } | undefined;
  settings.feedLimit = typeof feed?.posts_limit === 'number' && feed.posts_limit > 0 ? feed.posts_limit : 10;

  const archives = values['jekyll-archives'] as { permalinks?: { tag?: unknown } } | undefined;
  const tagPermalink = stringOf(archives?.permalinks?.tag);
  if (tagPermalink) settings.tagPermalink = tagPermalink.replace(':name', ':tag');

  // Jekyll's keep_files: paths in the output folder a build leaves alone; recap carries them into each new output.
  if (values.keep_files !== undefined && values.keep_files !== null) settings.keepFiles = keptPaths(JEKYLL_CONFIG_FILE, 'keep_files', values.keep_files);

  jekyll.ignoredKeys = Object.keys(values).filter((key) => !UNDERSTOOD.includes(key) && !HARMLESS.includes(key));
  jekyll.unfollowedKeys = Object.keys(values).filter((key) => NOT_FOLLOWED.includes(key));
  const origins: JekyllConfig['origins'] = {};
  const lines = text.split('\n');
  for (const setting of Object.keys(settings) as (keyof SiteSettings)[]) {
    const key = JEKYLL_KEYS[setting];
    if (key === undefined || !(key in values)) continue;
    const index = lines.findIndex((line) => line.startsWith(`${key}:`));
    origins[setting] = { key, line: index === -1 ? undefined : index + 1 };
  }
  return { settings, jekyll, origins };
}

/**
 * The gems of a Gemfile's `:jekyll_plugins` group, which Jekyll loads as plugins without
 * `plugins:` naming them: `gem "x"` lines inside `group :jekyll_plugins do … end`, and
 * `gem "x", group: :jekyll_plugins`. Read as lines, not run: a Gemfile is Ruby code.
 */
export function gemfilePlugins(root: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, 'Gemfile'), 'utf8');
  } catch {
    return [];
  }
  const plugins: string[] = [];
  let inGroup = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (/^group\b.*:jekyll_plugins\b.*\bdo$/.test(line)) inGroup = true;
    else if (inGroup && line === 'end') inGroup = false;
    const gem = /^gem\s*\(?\s*["']([^"']+)["']/.exec(line)?.[1];
    if (gem && (inGroup || /group:\s*\[?[^\]]*:jekyll_plugins/.test(line) || /:group\s*=>\s*\[?[^\]]*:jekyll_plugins/.test(line))) plugins.push(gem);
  }
  return plugins;
}

/** Front-matter defaults from _config.yml that apply to a file: `scope.path` is a prefix of its path. */
export function frontMatterDefaults(jekyll: JekyllSettings, source: string, type: 'posts' | 'pages' | 'static'): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const entry of jekyll.defaults) {
    if (entry.type && entry.type !== type) continue;
    const scope = trimEndOf(entry.path.replace(/^\.?\/+/, ''), '/');
    if (scope !== '' && source !== scope && !source.startsWith(scope + '/')) continue;
    Object.assign(merged, entry.values);
  }
  return merged;
}
