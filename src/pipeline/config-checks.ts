/**
 * What the values of the config's URL and path settings may be (url, basePath, permalink,
 * tagPermalink, paginatePath, tagPaginatePath, cacheDir), with errors at the key and line that set them, in
 * recap.config.yml or a Jekyll site's _config.yml.
 */
import path from 'node:path';
import { ConfigError } from './errors.js';
import type { SiteSettings } from './types.js';
import { JEKYLL_PLACEHOLDERS } from '../jekyll/config.js';
import { expandPattern, invisibleCharacterReason, resolveUrlPath, shown } from '../util/urls.js';
import { describeProblem, loadYaml, topLevelLine, YamlProblem, type YamlFlavor } from '../util/yaml.js';

/** Where a setting was written: its file, the key as written there, and its line. */
export interface SettingOrigin {
  file: string;
  key: string;
  line?: number;
}

export type OriginOf = (setting: keyof SiteSettings) => SettingOrigin;

/** An error about a setting's value, at its key in the file that set it. */
export const settingError = (origin: SettingOrigin, message: string) => new ConfigError(origin.file, `"${origin.key}" ${message}`, { line: origin.line });

/** One base-path segment: letters, digits, - . _ ~ and percent-encoded bytes; nothing that means anything in HTML, a URL or _redirects. */
const BASE_PATH = /^\/(?:(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+\/)*$/;

/** Why a base path ("/" or "/blog/") is unusable, or undefined. */
export function basePathReason(basePath: string): string | undefined {
  const hint = 'must be a path like / or /blog/ of letters, digits and - . _ ~ (percent-encode anything else)';
  if (!BASE_PATH.test(basePath)) {
    const bad = basePath.replace(/%[0-9A-Fa-f]{2}/g, '').match(/[^A-Za-z0-9._~/-]/)?.[0];
    return `${hint}; ${shown(basePath)} has ${bad === undefined ? 'an empty segment' : /\s/.test(bad) ? 'a space' : `the character ${bad}`}`;
  }
  for (const segment of basePath.split('/').filter(Boolean)) {
    const decoded = decodeURIComponent(segment);
    if (decoded === '.' || decoded === '..' || /[/\\]/.test(decoded) || invisibleCharacterReason(decoded)) {
      return `${hint}; ${shown(basePath)} has the segment ${shown(segment)}`;
    }
  }
  return undefined;
}

/**
 * The site's address: an http(s) URL with a host and at most a path, which becomes the base path
 * (https://octo.github.io/meetup → /meetup/). Returns its origin and path, or the reason it is unusable.
 */
export function parseSiteUrl(value: string): { origin: string; path: string } | string {
  const example = 'write the site\'s address like https://meetup.example.org';
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/i.test(value)) return `must be an absolute http(s) URL; ${example}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${shown(value)} is not a valid URL (a port must be a number, a host cannot hold spaces or brackets); ${example}`;
  }
  if (url.username !== '' || url.password !== '') return `must not hold a user name or password; ${example}`;
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) return `must not have a "?" query or a "#" fragment; ${example}`;
  const urlPath = url.pathname.endsWith('/') ? url.pathname : url.pathname + '/';
  const reason = basePathReason(urlPath);
  if (reason) return `has the path ${urlPath}, which is the base path and ${reason}`;
  return { origin: url.origin, path: urlPath };
}

/** Why a cache folder would break the site or the build, or undefined: recap writes bodies.json there. */
export function cacheDirReason(root: string, cacheDir: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(cacheDir)) return 'contains a control character; write a folder name';
  if (cacheDir.trim() === '') return 'is empty; write a folder name like .recap-cache, or pass --no-cache';
  if (path.resolve(root, cacheDir) === root) return 'is the site folder itself; write a folder name like .recap-cache';
  return undefined;
}

/** Every problem of the URL and path settings, each at its key: one build names them all. */
export function checkConfig(config: SiteSettings, originOf: OriginOf, jekyllPermalink: boolean): ConfigError[] {
  const errors: ConfigError[] = [];
  const fail = (key: keyof SiteSettings, message: string) => errors.push(settingError(originOf(key), message));
  if (config.url !== '') {
    const parsed = parseSiteUrl(config.url);
    if (typeof parsed === 'string') fail('url', parsed);
  }
  const basePathProblem = basePathReason(config.basePath);
  if (basePathProblem) fail('basePath', basePathProblem);
  // Keys with a wrong placeholder are not checked as paths too: that would say the same twice.
  const patternsWrong = new Set<keyof SiteSettings>();
  const permalink = expandPattern(config.permalink, jekyllPermalink ? JEKYLL_PLACEHOLDERS : { year: '', month: '', day: '', slug: '', title: '' });
  if (permalink.unknown.length > 0) {
    const known = jekyllPermalink ? Object.keys(JEKYLL_PLACEHOLDERS).map((p) => `:${p}`).join(' ') : ':year :month :day :slug :title';
    fail('permalink', `has unknown placeholder ${permalink.unknown[0]}; use ${known}`);
    patternsWrong.add('permalink');
  }
  if (!config.paginatePath.includes(':num')) {
    fail('paginatePath', 'must contain :num, like /page/:num/');
    patternsWrong.add('paginatePath');
  }
  const tagPermalink = expandPattern(config.tagPermalink, { tag: '' });
  if (tagPermalink.unknown.length > 0 || !config.tagPermalink.includes(':tag')) {
    fail('tagPermalink', 'must contain :tag and no other placeholder');
    patternsWrong.add('tagPermalink');
  }
  const tagPaginatePath = expandPattern(config.tagPaginatePath, { tag: '', num: '' });
  if (tagPaginatePath.unknown.length > 0 || !config.tagPaginatePath.includes(':tag') || !config.tagPaginatePath.includes(':num')) {
    fail('tagPaginatePath', 'must contain :tag and :num and no other placeholder, like /tags/:tag/page/:num/');
    patternsWrong.add('tagPaginatePath');
  }
  for (const key of meetupPatternProblems(config, fail)) patternsWrong.add(key);
  // Patterns that leave the output folder whatever fills them in are refused here, once, not per post.
  const sample = Object.fromEntries(Object.keys(jekyllPermalink ? JEKYLL_PLACEHOLDERS : { year: 1, month: 1, day: 1, slug: 1, title: 1 }).map((k) => [k, 'x']));
  const checks: [keyof SiteSettings, string][] = [
    ['permalink', expandPattern(config.permalink, sample).result],
    ['tagPermalink', expandPattern(config.tagPermalink, { tag: 'x' }).result],
    ['paginatePath', config.paginatePath.replace(':num', '2')],
    ['tagPaginatePath', expandPattern(config.tagPaginatePath, { tag: 'x', num: '2' }).result],
    ['speakerPermalink', expandPattern(config.speakerPermalink, { slug: 'x' }).result],
  ];
  // The speakers and sponsors pages' own paths, when set (unset, they are recap's).
  for (const key of ['speakersPermalink', 'sponsorsPermalink'] as const) if (config[key] !== '') checks.push([key, config[key]]);
  for (const [key, urlPath] of checks) {
    if (patternsWrong.has(key)) continue;
    // A permalink's empty placeholders may leave "//", which a post's URL collapses; the other patterns are used as written.
    const reason = resolveUrlPath(key === 'permalink' ? urlPath.replace(/\/{2,}/g, '/') : urlPath);
    if (typeof reason === 'string') fail(key, `${shown(config[key] as string)} ${reason}`);
  }
  return errors;
}

/**
 * The placeholders of the speaker and sponsor pages' settings: a speaker's page needs :slug, the
 * speakers index and the sponsors page are one page each and take none. Returns the keys found wrong.
 */
function meetupPatternProblems(config: SiteSettings, fail: (key: keyof SiteSettings, message: string) => void): (keyof SiteSettings)[] {
  const wrong: (keyof SiteSettings)[] = [];
  const speaker = expandPattern(config.speakerPermalink, { slug: '' });
  if (speaker.unknown.length > 0 || !config.speakerPermalink.includes(':slug')) {
    fail('speakerPermalink', 'must contain :slug and no other placeholder, like /speakers/:slug/');
    wrong.push('speakerPermalink');
  }
  for (const key of ['speakersPermalink', 'sponsorsPermalink'] as const) {
    const { unknown } = expandPattern(config[key], {});
    if (unknown.length > 0) {
      fail(key, `is one page and takes no placeholder; ${unknown[0]} would be written as it is. Write a path like ${key === 'speakersPermalink' ? '/speakers/' : '/sponsors/'}`);
      wrong.push(key);
    }
  }
  return wrong;
}

/** A config file's YAML (recap.config.yml or _config.yml), with an invalid or exploding one reported at its line. */
export function parseConfigYaml(file: string, text: string, flavor: YamlFlavor = 'core'): unknown {
  try {
    return loadYaml(text, flavor);
  } catch (error) {
    if (!(error instanceof YamlProblem)) throw error;
    const { message, ...at } = describeProblem(error, (key) => topLevelLine(text, key));
    throw new ConfigError(file, message, { ...at, cause: error });
  }
}
