/**
 * Jekyll's own Liquid filters (lib/jekyll/filters.rb, url_filters.rb, date_filters.rb), and the
 * standard filters liquidjs gives differently from Ruby's Liquid where sites notice: each written
 * from what Jekyll 4.3.1 prints for the same input (test/jekyll-liquid.test.ts holds its output).
 * liquidjs's own are kept where they already print what Jekyll does (map, uniq, truncate, strip_html…).
 */
import { slugify } from './slugify.js';
import { smartenText } from './typography.js';
import { Drop, isTruthy, toValue, Value, type Context, type Liquid } from 'liquidjs';
import type { SiteConfig } from '../pipeline/types.js';
import { escapeHtml } from '../util/escape.js';
import { Parser as HtmlParser } from 'htmlparser2';
import { renderMarkdown } from '../markdown/render.js';
import { flatList, isPlainObject, liquidText, rubyInspect, rubyTimeText, strftime, timeOfDate, toRubyTime, type RubyTime } from './ruby.js';
import { instantTime } from '../util/zones.js';
import { RUBY_NAMES } from '../util/strftime.js';

/** What a filter is called with as `this` (liquidjs's FilterImpl, of which filters here read the context and engine). */
interface FilterThis {
  context: Context;
  liquid: Liquid;
}

/**
 * The most characters markdownify renders in one call: remark runs in this thread here (see
 * markdownify). 64 KB of prose takes about 1 s on a loaded 2-core machine (256 KB took 4.8 s),
 * well inside the 5 s a page may take; front matter and data, what sites markdownify, are far shorter.
 */
export const MARKDOWNIFY_LIMIT = 64 * 1024;

/** A Liquid value as a list: a list as is, a hash's values (as Jekyll's where and group_by take them), nothing as none, anything else alone. */
function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  if (isPlainObject(value)) return Object.values(value);
  return [value];
}

const text = (value: unknown) => liquidText(value);

/** Liquid's `empty` and `blank` as a filter argument (where: "tags", empty). */
const EMPTY = Symbol('empty');

/** A filter's argument as a plain value: liquidjs hands `nil`, `empty` and `blank` over as drops (`empty` is EMPTY where it is a target). */
function plainValue(value: unknown, emptyAsTarget: boolean): unknown {
  if (value instanceof Drop) {
    const plain: unknown = toValue(value);
    return plain === '' && emptyAsTarget ? EMPTY : plain;
  }
  return value;
}

/** Filters whose target may be `empty` (where: "tags", empty). */
const TAKES_EMPTY = new Set(['where', 'find']);
const inputValue = (value: unknown) => (value instanceof Drop ? toValue(value) : value);

/** Jekyll's parse_sort_input: properties that look like numbers compare as numbers. */
function asSortValue(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const shown = String(value);
  if (/^\s*-?\d+\s*$/.test(shown)) return parseInt(shown, 10);
  if (/^\s*-?(?:\d+\.?\d*|\.\d+)\s*$/.test(shown)) return parseFloat(shown);
  return value;
}

/** Jekyll's item_property: a property of an item, "a.b" read step by step. */
function itemProperty(item: unknown, property: string): unknown {
  let value: unknown = item;
  for (const key of property.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    value = key === 'size' && Array.isArray(value) ? value.length : (value as Record<string, unknown>)[key];
  }
  return asSortValue(value);
}

/** Jekyll's compare_property_vs_target (where, find): text equality, a list matching when any entry does. */
function matchesTarget(property: unknown, target: unknown): boolean {
  if (target === null || target === undefined) return property === null || property === undefined;
  if (target === EMPTY) return property === '' || listOf(property).map(text).join('') === '';
  const wanted = text(target);
  if (typeof property === 'string') return property === wanted;
  return listOf(property).some((entry) => text(entry) === wanted);
}

/** Ruby's <=> for the values Jekyll's sort compares: numbers as numbers, text by code points, else as text. */
function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  const [x, y] = [text(a), text(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Evaluates a Liquid expression (where_exp and the like) with `variable` set to each item. */
function* evaluateFor(self: FilterThis, items: unknown[], variable: unknown, expression: unknown): Generator<unknown, unknown[], unknown> {
  const parsed = new Value(text(expression), self.liquid);
  self.context.memoryLimit.use(items.length);
  const results: unknown[] = [];
  for (const item of items) {
    self.context.push({ [text(variable)]: item });
    try {
      results.push(yield parsed.value(self.context, false));
    } finally {
      self.context.pop();
    }
  }
  return results;
}

/** Jekyll's make_grouped_array. */
function grouped(items: unknown[], keys: unknown[]): { name: unknown; items: unknown[]; size: number }[] {
  const groups = new Map<unknown, unknown[]>();
  items.forEach((item, index) => {
    const members = groups.get(keys[index]);
    if (members) members.push(item);
    else groups.set(keys[index], [item]);
  });
  return [...groups].map(([name, members]) => ({ name, items: members, size: members.length }));
}

/** Jekyll's time(): a date filter's input as a time on the site's zone's clocks, or an error naming it (Jekyll fails the build the same way). */
function jekyllTime(input: unknown, timeZone: string): RubyTime {
  const time = toRubyTime(input, timeZone);
  if (!time) throw new Error(`Invalid Date: ${rubyInspect(input, 200)} is not a valid datetime`);
  return instantTime(time.date, timeZone);
}

const ORDINALS: Record<string, string> = { '1': 'st', '2': 'nd', '3': 'rd' };
const ordinal = (day: number) => (day >= 11 && day <= 13 ? 'th' : ORDINALS[String(day % 10)] ?? 'th');

/** Jekyll's stringify_date (date_to_string, date_to_long_string). */
function stringifyDate(input: unknown, month: string, type: unknown, style: unknown, timeZone: string): unknown {
  if (text(input) === '') return input;
  const time = jekyllTime(input, timeZone);
  if (type !== 'ordinal') return strftime(time, `%d ${month} %Y`);
  const day = Number(strftime(time, '%-d'));
  const ordinalDay = `${day}${ordinal(day)}`;
  return strftime(time, style === 'US' ? `${month} ${ordinalDay}, %Y` : `${ordinalDay} ${month} %Y`);
}

const CJK = '\\p{sc=Han}\\p{sc=Katakana}\\p{sc=Hiragana}\\p{sc=Hangul}';
const CJK_CHARACTER = new RegExp(`[${CJK}]`, 'gu');
const NON_CJK_WORD = new RegExp(`[^${CJK}\\s]+`, 'gu');
const rubySplit = (value: string) => value.split(/[ \t\n\v\f\r]+/).filter(Boolean);

/** Jekyll's number_of_words: words between spaces; with "cjk" each Chinese, Japanese or Korean character counts as a word ("auto": when there is one). */
function numberOfWords(value: string, mode: unknown): number {
  const cjk = (value.match(CJK_CHARACTER) ?? []).length;
  if (mode === 'cjk' || (mode === 'auto' && cjk > 0)) return cjk + (value.match(NON_CJK_WORD) ?? []).length;
  return rubySplit(value).length;
}

/** Characters a URL keeps as they are (Addressable's unreserved and reserved), besides valid %XX escapes. */
const URL_KEPT = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/;

/**
 * Percent-encodes what a URL may not hold (spaces, non-ASCII, quotes), as Addressable's normalize
 * does; escapes already there stay (in capitals), but those of letters, digits and -._~ are decoded.
 */
export function encodeUrl(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      const decoded = String.fromCharCode(parseInt(value.slice(i + 1, i + 3), 16));
      out += /[A-Za-z0-9\-._~]/.test(decoded) ? decoded : '%' + value.slice(i + 1, i + 3).toUpperCase();
      i += 2;
    } else if (URL_KEPT.test(c)) out += c;
    else {
      const char = String.fromCodePoint(value.codePointAt(i)!);
      if (char.length === 2) i++;
      out += [...Buffer.from(char, 'utf8')].map((byte) => '%' + byte.toString(16).toUpperCase().padStart(2, '0')).join('');
    }
  }
  return out;
}

/** RFC 3986's remove_dot_segments on a URL's path (its query and fragment kept), as Addressable's normalize does. */
function withoutDotSegments(url: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)?([^?#]*)(.*)$/s.exec(url)!;
  const [, origin = '', pathPart, rest] = match;
  if (!pathPart.includes('.')) return url;
  const segments: string[] = [];
  for (const segment of pathPart.split('/')) {
    if (segment === '..') {
      if (segments.length > 1) segments.pop();
    } else if (segment !== '.') segments.push(segment);
  }
  const last = pathPart.split('/').at(-1);
  if (last === '.' || last === '..') segments.push('');
  return origin + segments.join('/') + rest;
}

/** Ruby's CGI.escape: everything but letters, digits and _.-~ percent-encoded, spaces as "+". */
const cgiEscape = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, '+');

/** Whether a URL has a scheme (Addressable's absolute?): "https:", "mailto:"; "//host" does not. */
const hasScheme = (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);

/** Ruby's CGI-free xml escaping as Jekyll's xml_escape does it (encode xml: :attr, quotes kept out at the ends). */
export const xmlEscape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** JSON as Ruby's to_json writes it, with "</" and "<!--" escaped so that it cannot end a <script> it is printed in (the value is the same). */
function jsonify(value: unknown, budget: number): string {
  let used = 0;
  // The objects being written, innermost last: one inside itself (a post's next and previous) is written as null.
  const open: unknown[] = [];
  const json = JSON.stringify(value ?? null, function (this: unknown, key: string, item: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    used += typeof item === 'string' ? item.length : 8;
    if (used > budget) throw new RangeError('jsonify makes too much text');
    if (typeof item !== 'object' || item === null) return raw instanceof Date ? rubyTimeText(timeOfDate(raw)) : item === undefined ? null : item;
    while (open.length > 0 && open[open.length - 1] !== this) open.pop();
    if (open.includes(item)) return null;
    open.push(item);
    return item;
  });
  return json.replace(/<\//g, '<\\/').replace(/<!--/g, '\\u003c!--');
}

/** Ruby Liquid's Utils.to_number: "3.5" is 3.5, "12px" is 12, "abc" is 0. */
function rubyNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  const shown = text(value).trim();
  if (/^-?\d+\.\d+$/.test(shown)) return parseFloat(shown);
  return toInteger(shown);
}

/** Ruby Liquid's Utils.to_integer and String#to_i: the leading digits. */
function toInteger(value: unknown): number {
  if (value === true) return 1;
  if (value === false) return 0;
  if (typeof value === 'number') return Math.trunc(value);
  const match = /^\s*[+-]?\d+/.exec(text(value));
  return match ? parseInt(match[0], 10) : 0;
}

/** Ruby's escape_once: HTML escaping of what is not part of an entity already. */
export const escapeOnce = (value: string) => value.replace(/["'<>]|&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#x[0-9a-fA-F]+);)/g, (c) => escapeHtml(c));

/** A bare & (one that starts no entity) as &amp;, as kramdown writes it. */
const escapeAmpersands = (text: string) => text.replace(/&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#x[0-9a-fA-F]+);)/g, '&amp;');

/** Elements whose text kramdown leaves as written. */
const LITERAL_ELEMENTS = new Set(['code', 'pre', 'kbd', 'samp', 'script', 'style', 'textarea']);

/** Block elements, whose content kramdown's SmartyPants parser (smartify) leaves as written. */
const BLOCK_ELEMENTS = ['p', 'div', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'figure', 'section', 'article', 'aside', 'header', 'footer', 'nav'];
const SMARTIFY_LITERAL = new Set([...LITERAL_ELEMENTS, ...BLOCK_ELEMENTS]);

/**
 * Typography on the text of a piece of HTML, found by a real parser; the text of `literal`
 * elements (code, by default) is left alone, and tags stay as written.
 */
export function smartify(html: string, literalElements: ReadonlySet<string> = LITERAL_ELEMENTS): string {
  let out = '';
  let at = 0;
  let text = '';
  let literal = 0;
  const parser = new HtmlParser(
    {
      onopentagname(name) {
        if (literalElements.has(name)) literal++;
      },
      onclosetag(name) {
        if (literalElements.has(name) && literal > 0) literal--;
      },
      ontext(data) {
        if (literal > 0) return;
        const start = parser.startIndex;
        out += html.slice(at, start) + escapeAmpersands(smartenText(data, text));
        text += data;
        at = parser.endIndex + 1;
      },
    },
    { decodeEntities: false },
  );
  parser.end(html);
  return out + html.slice(at);
}

/**
 * markdownify renders markdown as kramdown would (the kramdown flavour), in this thread: Liquid
 * runs synchronously, and posts' markdown runs in worker threads under a budget
 * (markdown/budget.ts) that this cannot use. It stays safe because its input is capped at
 * MARKDOWNIFY_LIMIT characters (ordinary markdown of that size renders in about a second and
 * far less memory than a worker's budget), its input counts
 * against liquidjs's memory limit, and every Liquid render runs under the time limit of
 * util/time-limit.ts (a body's in the parse stage, a layout's in the render stage), which stops
 * it wherever it is. Markdown nested deeper than the stack allows is a clear error, not a crash.
 */
function markdownify(this: FilterThis, config: SiteConfig, input: unknown): string {
  const source = text(input);
  if (source === '') return '\n';
  if (source.length > MARKDOWNIFY_LIMIT) throw new Error(`markdownify was given ${source.length} characters; it renders at most ${MARKDOWNIFY_LIMIT}`);
  this.context.memoryLimit.use(source.length);
  try {
    // kramdown's typography, on the text outside code (a no-op where the markdown flavour applied it already).
    return smartify(renderMarkdown(source, 'kramdown', config.basePath).html);
  } catch (error) {
    if (error instanceof RangeError) throw new Error('markdownify was given markdown nested too deeply to render');
    throw error;
  }
}

/** Jekyll's relative_url and absolute_url for a site: its baseurl, and its url before that. */
export function jekyllUrlFilters(config: SiteConfig): { relativeUrl: (input: unknown) => unknown; absoluteUrl: (input: unknown) => unknown } {
  const baseurl = config.basePath.replace(/\/$/, '');
  const relativeUrl = (input: unknown): unknown => {
    if (input === null || input === undefined) return input;
    const value = text(input);
    if (hasScheme(value)) return value;
    const parts = [baseurl, value].map((part) => (part === '' || part.startsWith('/') ? part : '/' + part));
    return withoutDotSegments(encodeUrl(parts.join('')));
  };
  const absoluteUrl = (input: unknown): unknown => {
    if (input === null || input === undefined) return input;
    const value = text(input);
    if (hasScheme(value)) return value;
    const relative = relativeUrl(value) as string;
    if (config.url === '') return relative;
    const joined = withoutDotSegments(encodeUrl(config.url + relative));
    // Addressable's normalize gives an http(s) URL without a path the path "/".
    return /^https?:\/\/[^/?#]+$/i.test(joined) ? joined + '/' : joined;
  };
  return { relativeUrl, absoluteUrl };
}

/** date_to_xmlschema: "2019-03-12T00:00:00+00:00", on the clocks of the site's `timezone`. */
export const xmlSchemaTime = (input: unknown, timeZone: string) => strftime(jekyllTime(input, timeZone), '%Y-%m-%dT%H:%M:%S%:z');

/** liquidjs's filters that Jekyll's Liquid does not know. */
const LIQUIDJS_ONLY_FILTERS = ['sum', 'has', 'has_exp', 'find_index', 'find_index_exp', 'reject', 'reject_exp', 'squish', 'sha256', 'hmac_sha256', 'json', 'remove_last', 'replace_last'];

/** Registers Jekyll's filters, and Ruby Liquid's versions of standard ones, on a Jekyll site's engine. */
export function registerJekyllFilters(engine: Liquid, config: SiteConfig): void {
  const { relativeUrl, absoluteUrl } = jekyllUrlFilters(config);
  const budget = (self: FilterThis) => (used: number) => self.context.memoryLimit.use(used);
  // Jekyll sets TZ to the site's `timezone`: Ruby shows every Time on its clocks.
  const timeZone = config.jekyll?.timezone ?? 'UTC';

  const filters: Record<string, (this: FilterThis, input: unknown, ...args: unknown[]) => unknown> = {
    relative_url: relativeUrl,
    absolute_url: absoluteUrl,
    date_to_xmlschema: (input) => (input === null || input === undefined || text(input) === '' ? input : xmlSchemaTime(input, timeZone)),
    date_to_rfc822: (input) => (input === null || input === undefined || text(input) === '' ? input : strftime(jekyllTime(input, timeZone), '%a, %d %b %Y %H:%M:%S %z')),
    date_to_string: (input, type, style) => stringifyDate(input, '%b', type, style, timeZone),
    date_to_long_string: (input, type, style) => stringifyDate(input, '%B', type, style, timeZone),
    date(input, format) {
      const shown = text(format);
      if (shown === '') return input;
      const time = toRubyTime(input, timeZone);
      if (!time) return input;
      this.context.memoryLimit.use(shown.length);
      return strftime(time, shown, RUBY_NAMES, (chars) => this.context.memoryLimit.use(chars));
    },
    // Ruby's CGI.escapeHTML: quotes as &quot; and &#39;.
    escape: (input) => escapeHtml(text(input)),
    escape_once: (input) => escapeOnce(text(input)),
    xml_escape: (input) => (input === null || input === undefined ? input : xmlEscape(text(input))),
    cgi_escape: (input) => cgiEscape(text(input)),
    uri_escape: (input) => encodeUrl(text(input)),
    number_of_words: (input, mode) => numberOfWords(text(input), mode),
    array_to_sentence_string(input, connector = 'and') {
      const items = listOf(input).map(text);
      budget(this)(items.reduce((sum, item) => sum + item.length + 2, 0));
      const joiner = text(connector);
      if (items.length <= 1) return items[0] ?? '';
      if (items.length === 2) return `${items[0]} ${joiner} ${items[1]}`;
      return `${items.slice(0, -1).join(', ')}, ${joiner} ${items[items.length - 1]}`;
    },
    slugify: (input, mode) => (input === null || input === undefined ? input : slugify(text(input), mode === undefined || mode === null ? 'default' : text(mode))),
    jsonify(input) {
      return jsonify(input, 4 * 1024 * 1024);
    },
    normalize_whitespace: (input) => text(input).replace(/[ \t\n\v\f\r]+/g, ' ').trim(),
    markdownify(input) {
      return markdownify.call(this, config, input);
    },
    // Jekyll's smartify: kramdown's SmartyPants parser, which leaves code and block HTML as written.
    smartify: (input) => smartify(text(input), SMARTIFY_LITERAL),
    inspect: (input) => xmlEscape(rubyInspect(input, 4 * 1024 * 1024)),
    to_integer: toInteger,
    where(input, property, target) {
      if (property === null || property === undefined || Array.isArray(target) || isPlainObject(target)) return input;
      const items = listOf(input);
      this.context.memoryLimit.use(items.length);
      return items.filter((item) => matchesTarget(itemProperty(item, text(property)), target));
    },
    find(input, property, target) {
      if (property === null || property === undefined || Array.isArray(target) || isPlainObject(target)) return input;
      return listOf(input).find((item) => matchesTarget(itemProperty(item, text(property)), target)) ?? null;
    },
    group_by(input, property) {
      if (!Array.isArray(input) && !isPlainObject(input)) return input;
      const items = listOf(input);
      this.context.memoryLimit.use(items.length);
      return grouped(items, items.map((item) => text(itemProperty(item, text(property)))));
    },
    sort(input, property, nils = 'first') {
      if (input === null || input === undefined) throw new Error('Cannot sort a null object.');
      // Ruby's Hash#sort, as Jekyll's sort calls it: the [key, value] pairs, by key (`site.tags | sort`).
      if (isPlainObject(input) && (property === null || property === undefined)) {
        const pairs = Object.entries(input);
        this.context.memoryLimit.use(pairs.length);
        return pairs.sort((a, b) => compareValues(a[0], b[0]));
      }
      const items = listOf(input);
      this.context.memoryLimit.use(items.length);
      if (property === null || property === undefined) return [...items].sort(compareValues);
      if (nils !== 'first' && nils !== 'last') throw new Error(`Invalid nils order: '${text(nils)}' is not a valid nils order. It must be 'first' or 'last'.`);
      const order = nils === 'first' ? -1 : 1;
      const keyed = items.map((item) => ({ item, key: itemProperty(item, text(property)) }));
      const missing = (value: unknown) => value === null || value === undefined;
      keyed.sort((a, b) => (missing(a.key) === missing(b.key) ? (missing(a.key) ? 0 : compareValues(a.key, b.key)) : missing(a.key) ? order : -order));
      return keyed.map(({ item }) => item);
    },
    sample(input, count = 1) {
      if (!Array.isArray(input)) return input;
      const wanted = toInteger(count);
      const shuffled = [...input];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      return wanted === 1 ? shuffled[0] ?? null : shuffled.slice(0, Math.max(0, wanted));
    },
    push(input, item) {
      if (!Array.isArray(input)) return input;
      this.context.memoryLimit.use(input.length + 1);
      return [...input, item];
    },
    pop(input, count = 1) {
      if (!Array.isArray(input)) return input;
      this.context.memoryLimit.use(input.length);
      return input.slice(0, Math.max(0, input.length - Math.max(0, toInteger(count))));
    },
    shift(input, count = 1) {
      if (!Array.isArray(input)) return input;
      this.context.memoryLimit.use(input.length);
      return input.slice(Math.max(0, toInteger(count)));
    },
    unshift(input, item) {
      if (!Array.isArray(input)) return input;
      this.context.memoryLimit.use(input.length + 1);
      return [item, ...input];
    },
    // Ruby Liquid's size: a hash's number of keys, an Integer's bytes (8), a text's characters.
    size: (input) => (isPlainObject(input) ? Object.keys(input).length : typeof input === 'number' ? 8 : typeof input === 'string' ? [...input].length : Array.isArray(input) ? input.length : 0),
    // Ruby Liquid's default: an empty hash takes the default too; `allow_false: true` keeps false.
    default(input, fallback, ...options) {
      const allowFalse = options.some((option) => Array.isArray(option) && option[0] === 'allow_false' && option[1] === true);
      const empty = typeof input === 'string' || Array.isArray(input) ? input.length === 0 : isPlainObject(input) ? Object.keys(input).length === 0 : false;
      return input === null || input === undefined || (input === false && !allowFalse) || empty ? fallback : input;
    },
    // Ruby Liquid's join flattens nested lists (map: "tags" | join) and prints items as Liquid does.
    join(input, separator = ' ') {
      const items = Array.isArray(input) ? flatList(input) : [input];
      const joined = items.map(text).join(text(separator));
      this.context.memoryLimit.use(joined.length);
      return joined;
    },
    // Ruby's String#split: on " " it splits at runs of whitespace; empty strings at the end are dropped.
    split(input, separator) {
      const value = text(input);
      const by = text(separator);
      const parts = by === ' ' ? value.trim().split(/[ \t\n\v\f\r]+/) : by === '' ? [...value] : value.split(by);
      while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
      this.context.memoryLimit.use(parts.length);
      return parts;
    },
    // A hash's first and last are its first and last [key, value] pairs.
    first: (input) => (isPlainObject(input) ? Object.entries(input)[0] : Array.isArray(input) ? input[0] : typeof input === 'string' ? input[0] : undefined),
    last: (input) => (isPlainObject(input) ? Object.entries(input).at(-1) : Array.isArray(input) ? input.at(-1) : typeof input === 'string' ? input.at(-1) : undefined),
    // Ruby's Integer division: two whole numbers give a whole number (words | divided_by: 200 for reading time).
    divided_by(input, divisor) {
      const [a, b] = [rubyNumber(input), rubyNumber(divisor)];
      if (b === 0) throw new Error('divided by 0');
      return Number.isInteger(a) && Number.isInteger(b) ? Math.floor(a / b) : a / b;
    },
    plus: (input, other) => rubyNumber(input) + rubyNumber(other),
    minus: (input, other) => rubyNumber(input) - rubyNumber(other),
    times: (input, other) => rubyNumber(input) * rubyNumber(other),
    modulo(input, other) {
      const [a, b] = [rubyNumber(input), rubyNumber(other)];
      if (b === 0) throw new Error('divided by 0');
      return a - b * Math.floor(a / b);
    },
  };
  for (const [name, filter] of Object.entries(filters)) {
    engine.registerFilter(name, function (this: FilterThis, input: unknown, ...args: unknown[]) {
      return filter.call(this, inputValue(input), ...args.map((arg) => plainValue(arg, TAKES_EMPTY.has(name))));
    });
  }
  // Filters liquidjs has that Ruby's Liquid 4 (Jekyll's) has not: there they print their input unchanged (see liquid.ts).
  for (const name of LIQUIDJS_ONLY_FILTERS) delete engine.filters[name];

  // Filters with an expression (where_exp and its kin) evaluate it with liquidjs, for each item.
  engine.registerFilter('where_exp', function* (this: FilterThis, input: unknown, variable: unknown, expression: unknown) {
    const items = listOf(inputValue(input));
    const results = yield* evaluateFor(this, items, variable, expression);
    return items.filter((_item, index) => isTruthy(results[index], this.context));
  });
  engine.registerFilter('find_exp', function* (this: FilterThis, input: unknown, variable: unknown, expression: unknown) {
    const items = listOf(inputValue(input));
    const results = yield* evaluateFor(this, items, variable, expression);
    return items.find((_item, index) => isTruthy(results[index], this.context)) ?? null;
  });
  engine.registerFilter('group_by_exp', function* (this: FilterThis, input: unknown, variable: unknown, expression: unknown) {
    const value = inputValue(input);
    if (!Array.isArray(value) && !isPlainObject(value)) return value;
    const items = listOf(value);
    return grouped(items, yield* evaluateFor(this, items, variable, expression));
  });
}
