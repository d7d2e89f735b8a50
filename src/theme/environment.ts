import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { toDate } from '../util/dates.js';
import { dateLanguage, themeDate } from './date-filter.js';
import { wallClockTime } from '../util/zones.js';
import { StrftimeFormatError } from '../util/strftime.js';
import { scriptJson } from '../util/escape.js';
import type { SiteConfig } from '../pipeline/types.js';
import { absoluteUrl, addBasePath } from '../util/urls.js';
import { tagSlug } from '../util/slugs.js';
import { DEFAULT_ANCHOR_LABEL, headingAnchors } from '../html/heading-anchors.js';
import { limitTemplates, TemplateLimitError } from './template-limits.js';
import { addTranslationFilters } from './translate-filter.js';
import { htmlText } from '../html/text.js';
import { MAX_THEME_STRING } from '../i18n/tables.js';
import { meetupGraph } from './event-data.js';
import { MEETUP, type MeetupData } from './talk-views.js';
import { videoEmbedUrl, videoFacade } from './hosted-video.js';

/**
 * Nunjucks is not a sandbox: `{{ range.constructor("…")() }}` reaches Function and runs any code.
 * Member lookups of these names are refused for every template, so neither a post body nor a
 * theme can climb from a value to the JavaScript runtime.
 */
const FORBIDDEN_MEMBERS = new Set(['constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
type MemberLookup = (obj: unknown, name: unknown) => unknown;
const runtime = nunjucks.runtime as unknown as { memberLookup: MemberLookup; recapHardened?: boolean };
if (!runtime.recapHardened) {
  const lookup = runtime.memberLookup;
  runtime.memberLookup = (obj, name) => (FORBIDDEN_MEMBERS.has(String(name)) ? undefined : lookup(obj, name));
  runtime.recapHardened = true;
}

/**
 * Loads templates from the site's templates/ and then the default theme. Names are checked here
 * rather than by nunjucks' FileSystemLoader, whose containment check is a string prefix test.
 */
class ThemeLoader implements nunjucks.ILoader {
  private readonly dirs: string[];
  constructor(dirs: string[]) {
    this.dirs = dirs.map((dir) => fs.realpathSync(dir));
  }

  getSource(name: string): nunjucks.LoaderSource {
    if (/[\\\0]/.test(name) || path.isAbsolute(name) || name.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw new Error(`template name "${name}" would leave the templates folder`);
    }
    for (const dir of this.dirs) {
      const candidate = path.join(dir, name);
      let real: string;
      try {
        real = fs.realpathSync(candidate);
      } catch {
        continue;
      }
      if (!real.startsWith(dir + path.sep) || !fs.statSync(real).isFile()) continue;
      // Cached for the life of one environment; each build makes its own.
      return { src: fs.readFileSync(real, 'utf8'), path: real, noCache: false };
    }
    // nunjucks turns a missing source into its "template not found" error.
    return null as unknown as nunjucks.LoaderSource;
  }
}


/** The longest label headingAnchors takes: it is written once for every heading. Any theme string fits (the theme's label is headingLink). */
const MAX_ANCHOR_LABEL = MAX_THEME_STRING;

/**
 * An environment for one template given as text, whose values are printed as they are (recap
 * new's outline, which writes markdown and YAML, not HTML). It has no loader, so `{% include %}`
 * and `{% import %}` read no file; the member guard above and the limits apply as to every template.
 */
export function createTextEnvironment(filters: Record<string, (value: unknown) => unknown>): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
  for (const [name, filter] of Object.entries(filters)) env.addFilter(name, filter);
  limitTemplates(env);
  return env;
}

/** One environment per build: autoescape on, so front-matter values are always HTML-escaped. */
export function createTemplateEnvironment(config: SiteConfig): nunjucks.Environment {
  const env = new nunjucks.Environment(new ThemeLoader(config.templateDirs), {
    autoescape: true,
    // Errors keep their line numbers and cause (see templateErrorLocation).
    dev: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  // Page URLs recap hands to templates already start with basePath: adding it again would double it.
  const url = (value: unknown): string => {
    const text = value === undefined || value === null ? '' : String(value);
    return addBasePath(text, config.basePath);
  };
  const absolute = (value: unknown): string => absoluteUrl(value === undefined || value === null ? '' : String(value), config);
  env.addFilter('url', url);
  env.addFilter('absoluteUrl', absolute);
  // date(format, language): see date-filter.ts. Without a language, the page's own, else the site's.
  env.addFilter('date', function (this: { ctx?: { page?: unknown } }, value: unknown, format?: unknown, language?: unknown) {
    return themeDate(value, format, dateLanguage(language, this.ctx?.page, config.language), config.jekyll?.timezone);
  });
  // The instant a date names: a Jekyll site's dates are clock times on its `timezone`; a recap site's are taken as UTC's.
  env.addFilter('isoDate', (value: unknown) => {
    const date = toDate(value);
    return date ? (config.jekyll ? wallClockTime(date, config.jekyll.timezone).date : date).toISOString() : '';
  });
  // The slug a tag of that name gets (its tagSlugs: entry's, or recap's rule's), so a theme can spell a tag's URL.
  env.addFilter('slugify', (value: unknown) => tagSlug(String(value ?? ''), config.tagSlugs));
  env.addFilter('videoEmbed', videoEmbedUrl);
  env.addFilter('videoFacade', videoFacade);
  env.addFilter('jsonLd', (value: unknown) => new nunjucks.runtime.SafeString(scriptJson(value)));
  env.addGlobal('structuredData', (page: Record<string, unknown> | undefined, kind: string) => structuredData(config, page, kind, absolute));
  addTranslationFilters(env, config);
  limitTemplates(env);
  // A body's headings with ids, each followed by a link to itself (html/heading-anchors.ts). Only HTML
  // the template already trusts (a rendered body) is read as HTML; any other value is left for autoescape.
  // Added after the limits: a body is as long as its post makes it (rendered within the markdown
  // budget), and what this adds is a few tags and the label a heading; the label alone is bounded.
  env.addFilter('headingAnchors', (value: unknown, label: unknown) => {
    // A label from the t filter is escaped HTML (a SafeString): its text is what the link is called.
    const text = label === undefined || label === null ? DEFAULT_ANCHOR_LABEL : label instanceof nunjucks.runtime.SafeString ? htmlText(label.toString()) : String(label);
    if (text.length > MAX_ANCHOR_LABEL) throw new TemplateLimitError(`the label given to "headingAnchors" has ${text.length.toLocaleString('en')} characters; a label may have ${MAX_ANCHOR_LABEL.toLocaleString('en')}`);
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(headingAnchors(value.toString(), text)) : value;
  });
  return env;
}

/**
 * schema.org data for a page: a BlogPosting for a post (about an Event when it has a location); a
 * post with talks or an event, or a page with an event, as a @graph with its Event (event-data.ts);
 * a WebSite otherwise.
 */
function structuredData(config: SiteConfig, page: Record<string, unknown> | undefined, kind: string, absolute: (value: unknown) => string): object {
  const publisher = { '@type': 'Organization', name: config.author || config.title };
  // A recap with talks, or a post or page with an event: the Event it is about (event-data.ts).
  const meetup = page && (kind === 'post' || kind === 'page') ? (page as { [MEETUP]?: MeetupData })[MEETUP] : undefined;
  if (kind === 'page' && page && meetup?.event) {
    const webPage = { '@context': 'https://schema.org', '@type': 'WebPage', name: page.title, description: page.description || page.excerpt || undefined, inLanguage: typeof page.language === 'string' ? page.language : config.language, url: absolute(page.url), image: page.image ? absolute(page.image) : undefined };
    return meetupGraph(config, webPage, page, meetup, absolute);
  }
  if (kind !== 'post' || !page) {
    return { '@context': 'https://schema.org', '@type': 'WebSite', name: config.title, description: config.description || undefined, inLanguage: config.language, url: absolute(config.basePath) };
  }
  const date = page.date instanceof Date ? page.date.toISOString() : undefined;
  const tags = Array.isArray(page.tags) ? page.tags.map((tag: { name?: unknown }) => String(tag.name)) : [];
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: page.title,
    description: page.description || page.excerpt || undefined,
    // The post's own language when it sets one (views.ts gives every post view its language).
    inLanguage: typeof page.language === 'string' ? page.language : config.language,
    datePublished: date,
    url: absolute(page.url),
    mainEntityOfPage: absolute(page.url),
    image: page.image ? absolute(page.image) : undefined,
    keywords: tags.length ? tags.join(', ') : undefined,
    author: publisher,
    publisher,
  };
  if (meetup && (meetup.talks.length > 0 || meetup.event)) return meetupGraph(config, data, page, meetup, absolute);
  if (typeof page.location === 'string' && page.location.trim() !== '') {
    data.about = {
      '@type': 'Event',
      name: page.title,
      startDate: date,
      location: { '@type': 'Place', name: page.location, address: page.location },
    };
  }
  return data;
}

/** One line of the "(file) [Line n, Column m]" headers nunjucks puts before an error's text, innermost template last. */
const ERROR_HEADER = /^\s*\(([^)]*)\)(?: \[Line (\d+)(?:, Column (\d+))?\])?\s*$/;

/** What nunjucks keeps on an error (the environment is created with dev: true, so it is not replaced by a bare Error). */
interface NunjucksError {
  cause?: unknown;
}

/**
 * Where nunjucks says an error happened: the template named in the header that carries a line,
 * and that line. nunjucks counts lines and columns from 1 in syntax errors but from 0 in errors
 * thrown while rendering (those carry the thrown error as `cause`). Some runtime errors (an
 * unknown filter) carry no line; then the first use in `source` is named.
 */
export function templateErrorLocation(error: unknown, source?: string): { file?: string; line?: number; column?: number; message: string } {
  const raw = error instanceof Error ? error.message : String(error);
  const lines = raw.split('\n');
  const headers = lines.map((line) => ERROR_HEADER.exec(line));
  const textStart = headers.findIndex((header) => header === null);
  const located = headers.slice(0, textStart === -1 ? lines.length : textStart).find((header) => header?.[2] !== undefined) ?? headers[0];
  // A filter's error after an {% include %} comes with a second set of headers, after "Template render error: ": not part of what went wrong.
  let message = lines
    .slice(textStart === -1 ? lines.length : textStart)
    .map((line) => line.trim().replace(/^Template render error: /, ''))
    .filter((line) => !ERROR_HEADER.test(line))
    .join(' ')
    .replace(/^((Template render error|\w*Error): )+/, '');
  let file = located?.[1] && located[1] !== 'unknown path' ? located[1] : undefined;
  const shift = (error as NunjucksError).cause === undefined ? 0 : 1;
  let line = located?.[2] !== undefined ? Number(located[2]) + shift : undefined;
  let column = located?.[3] !== undefined ? Number(located[3]) + shift : undefined;
  const filter = /filter not found: ([\w$]+)/.exec(message)?.[1];
  // A filter's own error carries no line either: a theme string no table has is found by its quoted key,
  // in the innermost template the error passed through (a partial), which nunjucks names last.
  const missing = /t: no theme string "([\w.-]+)".*$/s.exec(message);
  if (missing) message = missing[0];
  const key = missing?.[1];
  const innermost = key ? lines.map((l) => ERROR_HEADER.exec(l.replace(/^\s*Template render error: /, ''))).filter((h) => h !== null).at(-1) : undefined;
  if (innermost && innermost[2] === undefined && innermost[1] !== 'unknown path') [file, line, column] = [innermost[1], undefined, undefined];
  const use = filter ? new RegExp(`\\|\\s*${filter.replace(/\$/g, '\\$')}\\b`) : key ? new RegExp(`(['"])${key.replace(/\./g, '\\.')}\\1`) : undefined;
  if (line === undefined && use) {
    const text = source ?? (file ? readIfExists(file) : '');
    const index = text.split('\n').findIndex((l) => use.test(l));
    if (index !== -1) {
      line = index + 1;
      column = text.split('\n')[index].search(use) + 1;
    }
  }
  // An error a filter throws carries no line either: a date format is found where it is written.
  const cause = (error as NunjucksError).cause;
  if (line === undefined && cause instanceof StrftimeFormatError) {
    const lines = (source ?? (file ? readIfExists(file) : '')).split('\n');
    const index = lines.findIndex((l) => l.includes(cause.format));
    if (index !== -1) [line, column] = [index + 1, lines[index].indexOf(cause.format) + 1];
  }
  return { file, line, column, message };
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
