import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../util/package-root.js';
import { BuildFailedError, ConfigError, SiteError, sortErrors } from './errors.js';
import type { SiteConfig, SiteSettings } from './types.js';
import { JEKYLL_CONFIG_FILE, readJekyllConfig } from '../jekyll/config.js';
import { entryLines, topLevelLine, yamlBoolean } from '../util/yaml.js';
import { canonicalTimeZone, isTimeZone, timeZoneNames } from '../util/dates.js';
import { closest } from '../util/closest.js';
import { defaultThreads } from '../markdown/workers.js';
import { cacheDirReason, checkConfig, parseConfigYaml, parseSiteUrl, settingError, type OriginOf } from './config-checks.js';
import { DEFAULT_KEEP_FILES, keptPaths } from './output-ownership.js';
import { checkSiteFolders } from './site-folders.js';
import { DEFAULT_IMAGE_SETTINGS, readImageSettings } from '../images/settings.js';
import { readTagSlugs } from './tag-slug-settings.js';
import { noTagSlugs } from '../util/slugs.js';
import { readLanguageTag } from '../i18n/languages.js';
import { BASE_LANGUAGE, readSiteTables, readThemeTables } from '../i18n/tables.js';
import { missingPagefindWarning, pagefindBinary } from '../search/pagefind.js';

export const CONFIG_FILE = 'recap.config.yml';

/** Standalone pages (About, Code of Conduct…) live here, beside posts/. */
export const PAGES_DIR = 'pages';

/** recap's own theme, shipped in the package: a site without templates/ is built with it. */
export const DEFAULT_THEME_DIR = path.join(PACKAGE_ROOT, 'templates');

export interface LoadOptions {
  outDir?: string;
  /** Replace files in the output folder that recap did not write (it refuses by default). */
  force?: boolean;
  /** false: neither read nor write the cache of rendered bodies (--no-cache). */
  cache?: boolean;
  /** Threads rendering markdown (default: one per core). */
  threads?: number;
  drafts?: boolean;
  future?: boolean;
  now?: Date;
  /**
   * `url` and `basePath` for this build only (--url, --base-path: a preview deployment under
   * another address), already checked by the command. They win over the config's: --url's path is
   * the base path unless --base-path is given; --base-path alone keeps the config url's origin.
   */
  url?: string;
  basePath?: string;
  /** A Jekyll site's `jekyll.environment` when JEKYLL_ENV is not set: "production" (build) or "development" (watch, serve). */
  jekyllEnvironment?: 'production' | 'development';
}

const DEFAULTS: SiteSettings = {
  title: 'Meetup recaps',
  description: '',
  url: '',
  basePath: '/',
  permalink: '/:year/:month/:day/:slug/',
  tagPermalink: '/tags/:tag/',
  tagPaginatePath: '/tags/:tag/page/:num/',
  paginate: 10,
  paginatePath: '/page/:num/',
  language: 'en',
  feedLimit: 20,
  author: '',
  caseSensitiveUrls: false,
  cacheDir: '.recap-cache',
  keepFiles: DEFAULT_KEEP_FILES,
  images: DEFAULT_IMAGE_SETTINGS,
  tagSlugs: noTagSlugs(),
  timezone: '',
  speakersPermalink: '',
  speakerPermalink: '/speakers/:slug/',
  sponsorsPermalink: '',
  search: 'default',
};

const KEYS = Object.keys(DEFAULTS) as (keyof SiteSettings)[];

/** recap.config.yml's values; each wrong key is recorded in `errors` (and keeps its default), so every one is named at once. */
function readConfigFile(root: string, errors: SiteError[]): { values: Partial<SiteSettings>; text: string } {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { values: {}, text: '' };
    throw new ConfigError(CONFIG_FILE, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseConfigYaml(CONFIG_FILE, text);
  if (parsed === undefined || parsed === null) return { values: {}, text };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(CONFIG_FILE, 'must be a mapping of keys to values, like "title: My meetup"');
  }
  const values: Partial<SiteSettings> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const at = { line: topLevelLine(text, key) };
    try {
      readSetting(values, key, value, at, text, errors);
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      errors.push(error);
    }
  }
  return { values, text };
}

/** One key of recap.config.yml into `values`, or the error that says what is wrong with it (tagSlugs: one for each wrong entry, into `errors`). */
function readSetting(values: Partial<SiteSettings>, key: string, value: unknown, at: { line?: number }, text: string, errors: SiteError[]): void {
  if (!(KEYS as string[]).includes(key)) {
    throw new ConfigError(CONFIG_FILE, `unknown key "${key}"; the keys are: ${KEYS.join(', ')}`, at);
  }
  const name = key as keyof SiteSettings;
  if (value === null) return; // an empty key keeps its default
  if (name === 'tagSlugs') {
    const lines = entryLines(text, key);
    values.tagSlugs = readTagSlugs(CONFIG_FILE, value, at.line, (tag) => lines.get(tag), errors);
  } else if (name === 'images') {
    values.images = readImageSettings(CONFIG_FILE, value, at);
  } else if (name === 'keepFiles') {
    values.keepFiles = keptPaths(CONFIG_FILE, 'keepFiles', value, at.line);
  } else if (name === 'search') {
    const flag = yamlBoolean(value);
    if (flag === undefined) throw new ConfigError(CONFIG_FILE, `"search" must be true or false`, at);
    values.search = flag;
  } else if (name === 'caseSensitiveUrls') {
    const flag = yamlBoolean(value);
    if (flag === undefined) throw new ConfigError(CONFIG_FILE, `"caseSensitiveUrls" must be true or false`, at);
    values.caseSensitiveUrls = flag;
  } else if (name === 'language') {
    const language = typeof value === 'string' || typeof value === 'number' ? readLanguageTag(String(value)) : { problem: 'must be a language tag like en, fr or pt-BR' };
    if ('problem' in language) throw new ConfigError(CONFIG_FILE, `"language" ${language.problem}`, at);
    values.language = language.tag;
  } else if (name === 'timezone') {
    values.timezone = readTimeZoneSetting(value, at);
  } else if (name === 'paginate' || name === 'feedLimit') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new ConfigError(CONFIG_FILE, `"${name}" must be a whole number of posts, 1 or more`, at);
    }
    values[name] = value;
  } else {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ConfigError(CONFIG_FILE, `"${name}" must be a string`, at);
    }
    values[name] = String(value);
  }
}

/** `timezone:`: the meetup's zone, an IANA name (Europe/Berlin), spelled as the tz database does; a misspelling gets "did you mean". */
function readTimeZoneSetting(value: unknown, at: { line?: number }): string {
  const text = typeof value === 'string' ? value : '';
  const zone = canonicalTimeZone(text);
  if (zone) return zone;
  const guess = text ? closest(text, timeZoneNames()) : undefined;
  const shown = typeof value === 'string' ? `"${value}"` : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : String(value);
  const hint = /^\s*[+-]?\d/.test(text) || typeof value === 'number' ? ' (an offset is not a zone: it does not know summer time)' : '';
  throw new ConfigError(CONFIG_FILE, `"timezone" ${shown} is no time zone name${hint}; ${guess ? `did you mean "${guess}"?` : 'write the meetup\'s zone like Europe/Berlin or America/New_York'}`, at);
}

/** One error as itself (as every caller has always had it), several as one BuildFailedError listing them all. */
function throwAll(errors: SiteError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new BuildFailedError(sortErrors(errors));
}

/** Reads recap.config.yml (every key optional) and applies the command-line options. */
export function loadConfig(rootDir: string, options: LoadOptions = {}): SiteConfig {
  const root = path.resolve(rootDir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new ConfigError(rootDir, 'is not a folder; pass the site folder with --root');
  }
  const errors: SiteError[] = [];
  const { values, text } = readConfigFile(root, errors);
  // A Jekyll site's _config.yml is read too; recap.config.yml wins where both set a key.
  const jekyllConfig = readJekyllConfig(root, process.env.JEKYLL_ENV || options.jekyllEnvironment || 'production');
  // A Jekyll site's pages stay as Jekyll writes them unless recap.config.yml asks for resized images.
  const jekyllImages = jekyllConfig ? { images: { ...DEFAULT_IMAGE_SETTINGS, enabled: false } } : {};
  const config: SiteSettings = { ...DEFAULTS, ...jekyllImages, ...jekyllConfig?.settings, ...values };
  if (options.url !== undefined) config.url = options.url;
  if (options.basePath !== undefined) config.basePath = options.basePath;
  const warnings: string[] = [];
  if (jekyllConfig) {
    const unfollowed = jekyllConfig.jekyll.unfollowedKeys;
    if (unfollowed.length > 0) warnings.push(`${JEKYLL_CONFIG_FILE}: recap does not follow ${unfollowed.map((k) => `"${k}"`).join(', ')}`);
    if (!isTimeZone(jekyllConfig.jekyll.timezone)) {
      warnings.push(`${JEKYLL_CONFIG_FILE}: "timezone" ${jekyllConfig.jekyll.timezone} is no time zone name (such as Europe/Berlin); dates written with an offset are read in UTC`);
      jekyllConfig.jekyll.timezone = 'UTC';
    }
  }
  // Without Pagefind's program the site is built without search, the same for every page (one warning; none for a Jekyll site that did not ask).
  if (config.search !== false && pagefindBinary() === undefined) {
    if (config.search === true || !jekyllConfig) warnings.push(missingPagefindWarning());
    config.search = false;
  }
  if (!config.basePath.endsWith('/')) config.basePath += '/';
  if (!config.basePath.startsWith('/')) config.basePath = '/' + config.basePath;
  const originOf: OriginOf = (setting) => {
    if (values[setting] !== undefined) return { file: CONFIG_FILE, key: setting, line: topLevelLine(text, setting) };
    const jekyll = jekyllConfig?.origins[setting];
    return jekyll ? { file: JEKYLL_CONFIG_FILE, ...jekyll } : { file: CONFIG_FILE, key: setting };
  };
  errors.push(...checkConfig(config, originOf, jekyllConfig !== undefined));
  const parsedUrl = config.url === '' ? undefined : parseSiteUrl(config.url);
  if (typeof parsedUrl === 'object') {
    // `url` is the origin; a path in it is the base path (https://octo.github.io/meetup → /meetup/).
    // --url is the whole address of this build: at a root (a preview, a custom domain), the site is at the root.
    if ((parsedUrl.path !== '/' || options.url !== undefined) && options.basePath === undefined) {
      if (options.url === undefined && values.basePath !== undefined && config.basePath !== parsedUrl.path) {
        errors.push(settingError(originOf('url'), `has the path ${parsedUrl.path} but "basePath" is ${config.basePath}; give the path in one of them`));
      }
      config.basePath = parsedUrl.path;
    }
    config.url = parsedUrl.origin;
  }

  const postsDir = jekyllConfig || (!fs.existsSync(path.join(root, 'posts')) && fs.existsSync(path.join(root, '_posts'))) ? '_posts' : 'posts';
  const pagesDir = jekyllConfig ? '' : PAGES_DIR;
  // A cacheDir that names no folder is said at its line; where a folder is, checkSiteFolders says by real path.
  const cacheReason = options.cache === false ? undefined : cacheDirReason(root, config.cacheDir);
  if (cacheReason) errors.push(settingError(originOf('cacheDir'), cacheReason));
  // The theme's words; a Jekyll site's i18n/ is its own (its Liquid's), never read as recap's tables.
  const theme = readThemeTables();
  const i18n = { theme, site: jekyllConfig ? {} : readSiteTables(root, theme[BASE_LANGUAGE], path.join(root, 'templates'), errors, warnings) };
  // The folders below are checked with settings known to be good.
  throwAll(errors);
  // Every folder from here on is its real path: a link and its target are one folder.
  const folders = checkSiteFolders({
    root,
    outDir: path.resolve(root, options.outDir ?? 'public'),
    cacheDir: options.cache === false ? '' : path.resolve(root, config.cacheDir),
    jekyll: jekyllConfig !== undefined,
    themeDir: DEFAULT_THEME_DIR,
  });
  const outStat = fs.lstatSync(folders.outDir, { throwIfNoEntry: false });
  if (outStat && !outStat.isDirectory()) {
    throw new ConfigError(path.relative(process.cwd(), folders.outDir), 'exists and is not a folder; remove it or choose another --out');
  }
  const siteTemplates = path.join(folders.root, 'templates');
  const templateDirs = [siteTemplates, DEFAULT_THEME_DIR].filter(
    (dir, index, all) => fs.existsSync(dir) && all.indexOf(dir) === index,
  );

  return {
    root: folders.root,
    outDir: folders.outDir,
    force: options.force ?? false,
    postsDir,
    templateDirs,
    pagesDir,
    jekyll: jekyllConfig?.jekyll,
    warnings,
    i18n,
    ...config,
    cacheDir: folders.cacheDir,
    threads: options.threads ?? defaultThreads(),
    drafts: options.drafts ?? false,
    future: options.future ?? false,
    now: options.now ?? new Date(),
  };
}
