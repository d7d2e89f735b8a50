import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../util/package-root.js';
import { ConfigError } from './errors.js';
import type { SiteConfig, SiteSettings } from './types.js';
import { JEKYLL_CONFIG_FILE, JEKYLL_PLACEHOLDERS, readJekyllConfig } from '../jekyll/config.js';
import { expandPattern, resolveUrlPath, shown } from '../util/urls.js';
import { describeProblem, loadYaml, topLevelLine, yamlBoolean, YamlProblem } from '../util/yaml.js';
import { defaultThreads } from '../markdown/workers.js';
import { OUTPUT_MARKER } from './write.js';

export const CONFIG_FILE = 'recap.config.yml';

/** Standalone pages (About, Code of Conduct…) live here, beside posts/. */
export const PAGES_DIR = 'pages';

/** recap's own theme, shipped in the package: a site without templates/ is built with it. */
export const DEFAULT_THEME_DIR = path.join(PACKAGE_ROOT, 'templates');

export interface LoadOptions {
  outDir?: string;
  /** Replace an output folder that recap did not write (it refuses by default). */
  force?: boolean;
  /** false: neither read nor write the cache of rendered bodies (--no-cache). */
  cache?: boolean;
  /** Threads rendering markdown (default: one per core). */
  threads?: number;
  drafts?: boolean;
  future?: boolean;
  now?: Date;
}

const DEFAULTS: SiteSettings = {
  title: 'Meetup recaps',
  description: '',
  url: '',
  basePath: '/',
  permalink: '/:year/:month/:day/:slug/',
  tagPermalink: '/tags/:tag/',
  paginate: 10,
  paginatePath: '/page/:num/',
  language: 'en',
  feedLimit: 20,
  author: '',
  caseSensitiveUrls: false,
  cacheDir: '.recap-cache',
};

const KEYS = Object.keys(DEFAULTS) as (keyof SiteSettings)[];

function readConfigFile(root: string): { values: Partial<SiteSettings>; text: string } {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { values: {}, text: '' };
    throw new ConfigError(CONFIG_FILE, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = loadYaml(text);
  } catch (error) {
    if (!(error instanceof YamlProblem)) throw error;
    const { message, ...at } = describeProblem(error, (key) => topLevelLine(text, key));
    throw new ConfigError(CONFIG_FILE, message, { ...at, cause: error });
  }
  if (parsed === undefined || parsed === null) return { values: {}, text };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(CONFIG_FILE, 'must be a mapping of keys to values, like "title: My meetup"');
  }
  const values: Partial<SiteSettings> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const at = { line: topLevelLine(text, key) };
    if (!(KEYS as string[]).includes(key)) {
      throw new ConfigError(CONFIG_FILE, `unknown key "${key}"; the keys are: ${KEYS.join(', ')}`, at);
    }
    const name = key as keyof SiteSettings;
    if (value === null) continue; // an empty key keeps its default
    if (name === 'caseSensitiveUrls') {
      const flag = yamlBoolean(value);
      if (flag === undefined) throw new ConfigError(CONFIG_FILE, `"caseSensitiveUrls" must be true or false`, at);
      values.caseSensitiveUrls = flag;
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
  return { values, text };
}

function checkConfig(config: SiteSettings, text: string, jekyllPermalink: boolean): void {
  const at = (key: string) => ({ line: topLevelLine(text, key) });
  if (config.url !== '' && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(config.url)) {
    throw new ConfigError(CONFIG_FILE, `"url" must be an absolute http(s) URL like https://meetup.example.org`, at('url'));
  }
  if (!/^\/([^/\s\\?#]+\/)*$/.test(config.basePath)) {
    throw new ConfigError(CONFIG_FILE, `"basePath" must be a path like / or /blog/`, at('basePath'));
  }
  const permalink = expandPattern(config.permalink, jekyllPermalink ? JEKYLL_PLACEHOLDERS : { year: '', month: '', day: '', slug: '', title: '' });
  if (permalink.unknown.length > 0) {
    const known = jekyllPermalink ? Object.keys(JEKYLL_PLACEHOLDERS).map((p) => `:${p}`).join(' ') : ':year :month :day :slug :title';
    throw new ConfigError(
      CONFIG_FILE,
      `"permalink" has unknown placeholder ${permalink.unknown[0]}; use ${known}`,
      at('permalink'),
    );
  }
  if (!config.paginatePath.includes(':num')) {
    throw new ConfigError(CONFIG_FILE, `"paginatePath" must contain :num, like /page/:num/`, at('paginatePath'));
  }
  const tagPermalink = expandPattern(config.tagPermalink, { tag: '' });
  if (tagPermalink.unknown.length > 0 || !config.tagPermalink.includes(':tag')) {
    throw new ConfigError(CONFIG_FILE, `"tagPermalink" must contain :tag and no other placeholder`, at('tagPermalink'));
  }
  // Patterns that leave the output folder whatever fills them in are refused here, once, not per post.
  const sample = Object.fromEntries(Object.keys(jekyllPermalink ? JEKYLL_PLACEHOLDERS : { year: 1, month: 1, day: 1, slug: 1, title: 1 }).map((k) => [k, 'x']));
  const checks: [keyof SiteSettings, string][] = [
    ['permalink', expandPattern(config.permalink, sample).result],
    ['tagPermalink', expandPattern(config.tagPermalink, { tag: 'x' }).result],
    ['paginatePath', config.paginatePath.replace(':num', '2')],
  ];
  for (const [key, urlPath] of checks) {
    const reason = resolveUrlPath(urlPath.replace(/\/{2,}/g, '/'));
    if (typeof reason === 'string') throw new ConfigError(CONFIG_FILE, `"${key}" ${shown(config[key] as string)} ${reason}`, at(key));
  }
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Reads recap.config.yml (every key optional) and applies the command-line options. */
export function loadConfig(rootDir: string, options: LoadOptions = {}): SiteConfig {
  const root = path.resolve(rootDir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new ConfigError(rootDir, 'is not a folder; pass the site folder with --root');
  }
  const { values, text } = readConfigFile(root);
  // A Jekyll site's _config.yml is read too; recap.config.yml wins where both set a key.
  const jekyllConfig = readJekyllConfig(root);
  const config: SiteSettings = { ...DEFAULTS, ...jekyllConfig?.settings, ...values };
  const warnings: string[] = [];
  if (jekyllConfig) {
    const ignored = jekyllConfig.jekyll.ignoredKeys;
    if (ignored.length > 0) warnings.push(`${JEKYLL_CONFIG_FILE}: recap does not use ${ignored.map((k) => `"${k}"`).join(', ')}`);
  }
  if (!config.basePath.endsWith('/')) config.basePath += '/';
  if (!config.basePath.startsWith('/')) config.basePath = '/' + config.basePath;
  checkConfig(config, text, jekyllConfig !== undefined);
  if (config.url !== '') {
    // `url` is the origin; a path in it is the base path (https://octo.github.io/meetup → /meetup/).
    const parsed = new URL(config.url);
    const urlPath = parsed.pathname.endsWith('/') ? parsed.pathname : parsed.pathname + '/';
    if (urlPath !== '/') {
      if (values.basePath !== undefined && config.basePath !== urlPath) {
        throw new ConfigError(CONFIG_FILE, `"url" has the path ${urlPath} but "basePath" is ${config.basePath}; give the path in one of them`, {
          line: topLevelLine(text, 'url'),
        });
      }
      config.basePath = urlPath;
    }
    config.url = parsed.origin;
  }

  const outDir = path.resolve(root, options.outDir ?? 'public');
  const postsDir = jekyllConfig || (!fs.existsSync(path.join(root, 'posts')) && fs.existsSync(path.join(root, '_posts'))) ? '_posts' : 'posts';
  const pagesDir = jekyllConfig ? '' : PAGES_DIR;
  if (jekyllConfig && !fs.existsSync(path.join(root, 'templates'))) {
    warnings.push("Jekyll layouts (_layouts/) are Liquid, which recap does not run: this site is built with recap's default theme (or Nunjucks layouts in templates/)");
  }
  // The build replaces the output folder whole: it must not hold the site's sources or sit inside them.
  for (const source of ['.', postsDir, PAGES_DIR, 'templates', 'static']) {
    const sourceDir = path.join(root, source);
    const holds = isInside(outDir, sourceDir);
    if (holds || (source !== '.' && isInside(sourceDir, outDir))) {
      throw new ConfigError(
        path.relative(process.cwd(), outDir) || '.',
        `cannot be the output folder: the build replaces it whole and it ${holds ? 'holds' : 'is inside'} ${source === '.' ? 'the site' : source + '/'}`,
      );
    }
  }
  // A source folder may itself be a link out of the site (static -> /home/me), not only entries in it.
  const realRoot = fs.realpathSync(root);
  for (const source of [postsDir, PAGES_DIR, 'templates', 'static']) {
    const dir = path.join(root, source);
    if (fs.existsSync(dir) && !isInside(realRoot, fs.realpathSync(dir))) {
      throw new ConfigError(source, `is a symbolic link to ${fs.realpathSync(dir)}, outside the site folder; copy the folder in instead`);
    }
  }
  const outStat = fs.lstatSync(outDir, { throwIfNoEntry: false });
  if (outStat && !outStat.isDirectory()) {
    throw new ConfigError(path.relative(process.cwd(), outDir), 'exists and is not a folder; remove it or choose another --out');
  }
  // A build replaces the output folder whole: one that has files and no marker of recap's is someone else's.
  if (outStat && !options.force && !fs.existsSync(path.join(outDir, OUTPUT_MARKER)) && fs.readdirSync(outDir).length > 0) {
    throw new ConfigError(
      path.relative(process.cwd(), outDir) || '.',
      `exists, has files, and was not written by recap (it has no ${OUTPUT_MARKER}); a build would replace it whole: choose another --out, or pass --force`,
    );
  }
  const siteTemplates = path.join(root, 'templates');
  const templateDirs = [siteTemplates, DEFAULT_THEME_DIR].filter(
    (dir, index, all) => fs.existsSync(dir) && all.indexOf(dir) === index,
  );

  return {
    root,
    outDir,
    postsDir,
    templateDirs,
    pagesDir,
    jekyll: jekyllConfig?.jekyll,
    warnings,
    ...config,
    cacheDir: options.cache === false ? '' : path.resolve(root, config.cacheDir),
    threads: options.threads ?? defaultThreads(),
    drafts: options.drafts ?? false,
    future: options.future ?? false,
    now: options.now ?? new Date(),
  };
}
