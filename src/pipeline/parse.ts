import path from 'node:path';
import type { ParsedFile, Reuse } from '../incremental/reuse.js';
import type { MarkdownRenderer } from '../markdown/workers.js';
import type { BodyEngine, Dialect } from './dialect.js';
import { LimitError, MarkdownError, SiteError } from './errors.js';
import { BODY_OUTPUT_LIMIT, TEMPLATE_TIME_LIMIT_MS } from './limits.js';
import { forEachWithinTime } from '../util/time-limit.js';
import type { SiteSources } from './read.js';
import type { MarkdownWork, RenderedBody } from '../markdown/render.js';
import { cutAtWord } from '../markdown/text.js';
import { keyLines, parseYaml, splitFrontMatter, swallowedKeyWarnings, type Split } from './front-matter.js';
import { keyError, readBooleans, readOr, readDateKey, readImage, readLanguage, readLink, readPostDate, readRedirectTo, readString, readStringList, type DateFallback, type FrontMatter } from './front-matter-values.js';
import { readAttendance, readSponsors, readTalks } from './front-matter-talks.js';
import { isMarkdownFile, withoutMarkdownExtension } from '../util/files.js';
import { readEvent } from '../events/event-front-matter.js';
import type { Post, SiteConfig, SourceFile } from './types.js';

/** A page's path without its extension: about.md → about, search.json → search (a Jekyll site's pages are any file with front matter). */
const withoutExtension = (file: string) => (isMarkdownFile(file) ? withoutMarkdownExtension(file) : file.replace(/\.[^./]*$/, ''));

const FILE_NAME = /^(\d{4}-\d{2}-\d{2})-(.+)$/;

export interface ParseContext {
  config: SiteConfig;
  dialect: Dialect;
  /** Runs template syntax in post bodies (Nunjucks; Liquid on a Jekyll site). */
  bodyEngine: BodyEngine;
  /** false: front matter only (for `recap check`, which needs the plan but not the pages). */
  bodies?: boolean;
}

/**
 * Whether the config says this post is built at all; unbuilt posts skip the expensive body
 * rendering. A post with an `event:` is built whatever its date: dated on the evening it
 * announces, it is the announcement before that evening and the recap after it.
 */
export function isBuilt(config: SiteConfig, post: Pick<Post, 'published' | 'draft' | 'date' | 'event'>): boolean {
  return post.published && (!post.draft || config.drafts) && (post.date.getTime() <= config.now.getTime() || config.future || post.event !== undefined);
}

/** Whether a body pulls in template files, so that it must be parsed again when templates change. */
export function usesTemplateFiles(text: string): boolean {
  return /\{%-?\s*(include|import|from|extends)\b/.test(text);
}

/** Reads and checks front matter: the site's defaults under what the file says. */
function readFrontMatter(file: SourceFile, split: Split, defaults: Record<string, unknown>, dialect: Pick<Dialect, 'yaml' | 'timeZone'>): FrontMatter {
  const data = parseYaml(file, split, dialect.yaml);
  const fromDefaults = new Set(Object.keys(defaults).filter((key) => !(key in data)));
  return { path: file.path, data: { ...defaults, ...data }, lines: keyLines(split.matter), fromDefaults, timeZone: dialect.timeZone, text: split.matter };
}

function readTitle(matter: FrontMatter, untitled: string | undefined): string {
  const value = matter.data.title;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  // `title: 1984` is a title, as in Jekyll (YAML reads it as a number).
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (untitled !== undefined && (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))) return untitled;
  const problem = value === undefined ? 'has no "title"' : typeof value === 'string' || value === null ? 'has an empty "title"' : '"title" must be text';
  throw keyError(matter, 'title', `${problem}; add a line like title: "March meetup recap"`);
}

function readLayout(matter: FrontMatter, collection: Post['collection']): string {
  const layout = readString(matter, 'layout').trim() || (collection === 'pages' ? 'page' : 'post');
  if (!/^[A-Za-z0-9_-]+$/.test(layout)) throw keyError(matter, 'layout', `"layout" must be a plain name like "post"; got "${layout}"`);
  return layout;
}

/** What a post's date falls back to without a "date" key: its file name's, a draft's modification time, pages' 1970. */
function dateFallback(file: SourceFile, collection: Post['collection'], draft: boolean, nameDate: string | undefined): DateFallback {
  if (collection === 'pages') return { fallback: { date: new Date(0), what: 'a page' } };
  if (nameDate !== undefined) return { nameDate };
  return draft && file.modified ? { fallback: { date: file.modified, what: "the draft's modification time" } } : {};
}

/** A body run through the template engine, refused when it comes out larger than BODY_OUTPUT_LIMIT; undefined: it runs at render (see BodyEngine). */
function renderBody(engine: BodyEngine, file: SourceFile, split: Split, page: Record<string, unknown>, post: Post): string | undefined {
  const body = engine.render(file, split, page, post);
  if (body !== undefined && body.length > BODY_OUTPUT_LIMIT) {
    const size = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    throw new LimitError(file.path, `its body template makes ${size(body.length)} of text; a body may come to at most ${size(BODY_OUTPUT_LIMIT)}`, { line: split.bodyLine });
  }
  return body;
}

/** Where a file's name and place say it belongs: its slug, and its date when the name starts with one. */
function nameParts(file: SourceFile, config: SiteConfig, collection: Post['collection']): { slug: string; nameDate?: string } {
  const stem = withoutMarkdownExtension(path.posix.basename(file.path));
  const nameMatch = collection === 'posts' ? FILE_NAME.exec(stem) : null;
  // A page's slug is its path under pages/ (a Jekyll page's, under the site).
  const pagesPrefix = config.pagesDir ? `${config.pagesDir}/` : '';
  if (collection === 'pages') return { slug: withoutExtension(file.path.slice(pagesPrefix.length)) };
  return nameMatch ? { slug: nameMatch[2], nameDate: nameMatch[1] } : { slug: stem };
}

/**
 * Where a wrong date leaves a post: dated 1970, so that it counts as built and its URL, redirects
 * and tags are still checked (a date only fills in digits, which never make a path unusable).
 */
const PLACEHOLDER_DATE = new Date(0);

/**
 * A file's Post from its front matter, name and place; its body not yet rendered. A wrong value
 * is recorded in `errors` and the key read as its fallback, so every bad key of the file is named
 * in one build; such a Post is only checked, never built.
 */
function readPost(file: SourceFile, split: Split, context: ParseContext, errors: SiteError[]): { post: Post; matter: FrontMatter; renderWithLiquid: boolean } {
  const place = context.dialect.place(file.path);
  const { collection } = place;
  const matter = readFrontMatter(file, split, context.dialect.defaults(file.path, collection), context.dialect);
  const { slug, nameDate } = nameParts(file, context.config, collection);
  const read = <T>(reader: () => T, fallback: T) => readOr(errors, reader, fallback);
  const title = read(() => readTitle(matter, context.dialect.untitledTitle(collection, slug)), '');
  const date = read(() => readPostDate(matter, dateFallback(file, collection, place.draft, nameDate)), PLACEHOLDER_DATE);
  const flags = readBooleans(matter, errors);
  const navOrder = read(() => readNavOrder(matter), 0);
  const post: Post = {
    collection,
    navOrder,
    source: file.path,
    slug,
    date,
    title,
    description: read(() => readString(matter, 'description'), ''),
    image: read(() => readImage(matter), ''),
    tags: read(() => readStringList(matter, 'tags', true), []),
    redirectFrom: read(() => readStringList(matter, 'redirect_from', false), []),
    redirectTo: read(() => readRedirectTo(matter), ''),
    layout: read(() => readLayout(matter, collection), collection === 'pages' ? 'page' : 'post'),
    published: flags.published,
    draft: place.draft || flags.draft,
    permalink: read(() => readString(matter, 'permalink').trim(), ''),
    data: matter.data,
    html: '',
    excerpt: read(() => readString(matter, 'excerpt').trim(), ''),
    excerptHtml: '',
    categories: [
      ...place.folderCategories,
      ...read(() => readStringList(matter, 'categories', true), []),
      ...read(() => readStringList(matter, 'category', false), []),
    ],
    references: [],
    keyLines: matter.lines,
    updated: read(() => readDateKey(matter, 'updated'), undefined) ?? read(() => readDateKey(matter, 'last_modified_at'), undefined),
  };
  const languageKey = context.dialect.postLanguageKey;
  const language = languageKey ? read(() => readLanguage(matter, languageKey), undefined) : undefined;
  if (language) post.language = language;
  const warnings = swallowedKeyWarnings(file.path, split.matter);
  if (warnings.length > 0) post.warnings = warnings;
  // Checked for their types here; read by templates as written.
  read(() => readString(matter, 'location'), '');
  const [video] = ['video', 'slides'].map((key) => read(() => readLink(matter, key), ''));
  if (context.dialect.meetupKeys) readMeetup(post, matter, video, errors);
  return { post, matter, renderWithLiquid: flags.render_with_liquid };
}

/**
 * A recap post's or page's event (events/event-front-matter.ts), and a post's talks, sponsors and
 * attendance (front-matter-talks.ts), set on it when it has them.
 */
function readMeetup(post: Post, matter: FrontMatter, video: string, errors: SiteError[]): void {
  const event = readEvent(matter, errors);
  if (event) post.event = event;
  if (post.collection !== 'posts') return;
  const talks = readTalks(matter, video, errors);
  const sponsors = readSponsors(matter, errors);
  const read = <T>(reader: () => T, fallback: T) => readOr(errors, reader, fallback);
  const attendance = read(() => readAttendance(matter), undefined);
  if (talks.length > 0) post.talks = talks;
  if (sponsors.length > 0) post.sponsors = sponsors;
  if (attendance) post.attendance = attendance;
}

function readNavOrder(matter: FrontMatter): number {
  const navOrder = matter.data.nav_order ?? 0;
  if (typeof navOrder !== 'number') throw keyError(matter, 'nav_order', '"nav_order" must be a number');
  return navOrder;
}

/**
 * The markdown a built post's body becomes once its template syntax has run; undefined when there
 * is none to render: a body that is no markdown is the post's HTML as it is (or, with template
 * syntax, runs at render), and a body that reads the planned site waits for it (Post.pendingBody).
 */
function bodyMarkdown(file: SourceFile, split: Split, context: ParseContext, matter: FrontMatter, post: Post, renderWithLiquid: boolean, errors: SiteError[]): MarkdownWork | undefined {
  const { title, date, slug, tags } = post;
  // Jekyll's excerpt_separator (site or post): the excerpt is the text before it.
  const separator = readOr(errors, () => readString(matter, 'excerpt_separator'), '') || context.dialect.excerptSeparator;
  const htmlExcerptSeparator = context.dialect.htmlExcerptSeparator === undefined ? undefined : separator || context.dialect.htmlExcerptSeparator;
  const markdown = isMarkdownFile(file.path);
  // Most bodies have no template syntax at all: rendering them would give the same text, slower.
  const templated = renderWithLiquid && /\{[{%#]/.test(split.body);
  let body: string | undefined;
  try {
    // A body that is no markdown (a Jekyll site's index.html) is only built in the site's own layouts: it runs there, with the site.
    body = !markdown && templated ? undefined : templated ? renderBody(context.bodyEngine, file, split, { ...matter.data, title, date, slug, tags }, post) : split.body;
  } finally {
    // At the file's lines, also those found before a template error: they are checked with the file's other problems.
    for (const reference of post.references) reference.line += split.bodyLine - 1;
  }
  if (body === undefined) {
    // Whatever this render collected is collected again when the body runs with the site.
    post.references = [];
    post.pendingBody = { text: split.body, line: split.bodyLine, markdown, excerptSeparator: separator, htmlExcerptSeparator };
    return undefined;
  }
  if (!markdown) {
    post.html = body;
    return undefined;
  }
  checkIndentation(file, body, body === split.body ? split.bodyLine : undefined);
  return markdownWork(body, context, separator, htmlExcerptSeparator);
}

/** What a body's markdown asks of the renderer: the body, and the parts before its excerpt separators. */
export function markdownWork(body: string, context: Pick<ParseContext, 'config' | 'dialect'>, separator: string, htmlExcerptSeparator: string | undefined): MarkdownWork {
  const beforeSeparator = separator && body.includes(separator) ? body.slice(0, body.indexOf(separator)) : undefined;
  // Jekyll's excerpt is the body up to the separator, the whole body when it has none.
  const excerpt = htmlExcerptSeparator === undefined ? undefined : body.split(htmlExcerptSeparator)[0];
  return { body, flavor: context.dialect.flavor, kramdown: context.dialect.kramdown, basePath: context.config.basePath, beforeSeparator, excerpt };
}

/**
 * Deeper than this many columns, indentation is lists nested over a hundred levels, which remark
 * renders in time that grows with the cube of the depth (measured: 100 levels 0.2 s, 400 levels
 * 2.7 s, 1,000 levels 54 s): refused at once rather than after the markdown budget's minute.
 */
const MAX_INDENT_COLUMNS = 256;

function checkIndentation(file: SourceFile, body: string, firstLine: number | undefined): void {
  let lineIndex = 0;
  for (let start = 0; start < body.length; lineIndex++) {
    let columns = 0;
    let at = start;
    for (; body[at] === ' ' || body[at] === '\t'; at++) columns += body[at] === '\t' ? 4 - (columns % 4) : 1;
    if (columns > MAX_INDENT_COLUMNS) {
      throw new MarkdownError(file.path, `a line is indented ${columns} columns: lists or quotes nested over a hundred levels deep take minutes to render; flatten them`, {
        line: firstLine === undefined ? undefined : firstLine + lineIndex,
      });
    }
    const end = body.indexOf('\n', at);
    start = end === -1 ? body.length : end + 1;
  }
}

/**
 * SourceFile → Post, except for its markdown: front matter is read and checked, and the body is
 * run as a template. Pure apart from the template files a body may include. Throws only when the
 * front matter cannot be read at all (none, unclosed, invalid YAML); any other problem is recorded
 * in `errors`, and the body is still run, so a file's template errors come with its bad keys.
 */
export function parseSource(file: SourceFile, context: ParseContext): ParsedSource {
  const split = splitFrontMatter(file);
  const errors: SiteError[] = [];
  const { post, matter, renderWithLiquid } = readPost(file, split, context, errors);
  if (context.bodies === false || !isBuilt(context.config, post)) return { post, errors, bodyDone: false };
  let bodyDone = false;
  const markdown = readOr(
    errors,
    () => {
      const work = bodyMarkdown(file, split, context, matter, post, renderWithLiquid, errors);
      bodyDone = work === undefined;
      return work;
    },
    undefined,
  );
  return { post, markdown, errors, bodyDone };
}

/** Everything of a post but its markdown, which may be rendered elsewhere (a worker, or the cache). */
export interface ParsedSource {
  /** With `errors`, the post as far as it could be read, its wrong values replaced by fallbacks: only checked, never built. */
  post: Post;
  markdown?: MarkdownWork;
  /** Every problem found in the file, in the order found; empty when the post can be built. */
  errors: SiteError[];
  /** The body needs no markdown rendered: it is none, or it runs at render with the planned site. */
  bodyDone: boolean;
}

/** The plain-text excerpt: front matter's own, else the text before the separator or of the first paragraph, cut at a word. */
export const plainExcerpt = (own: string, rendered: RenderedBody) => own || cutAtWord(rendered.beforeSeparator?.text || rendered.main.firstParagraph);

/**
 * Puts a post's rendered markdown in place (its links already have the base path) and takes the
 * excerpt: plain text, escaped once by whatever shows it.
 */
export function finishPost(config: SiteConfig, parsed: ParsedSource, rendered: RenderedBody | undefined): Post {
  const { post } = parsed;
  if (!rendered) return post;
  post.html = rendered.main.html;
  post.excerpt = plainExcerpt(post.excerpt, rendered);
  post.excerptHtml = rendered.excerpt?.html ?? '';
  return post;
}

/**
 * Parses each file in turn, each within the time limit, and hands over its parse (with the
 * problems found in it) or, when nothing of it could be read, its one error. A file whose front
 * matter or body template runs too long is stopped and named.
 */
export function parseEach(files: SourceFile[], context: ParseContext, done: (file: SourceFile, parsed: ParsedSource | SiteError, index: number) => void): void {
  const indexed = files.map((file, index) => ({ file, index }));
  const parseOne = ({ file, index }: (typeof indexed)[number]) => {
    let parsed: ParsedSource | SiteError;
    try {
      parsed = parseSource(file, context);
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      parsed = error;
    }
    done(file, parsed, index);
  };
  const seconds = TEMPLATE_TIME_LIMIT_MS / 1000;
  forEachWithinTime(indexed, TEMPLATE_TIME_LIMIT_MS, parseOne, ({ file, index }) => {
    const message = `took longer than ${seconds} s to read: its body template (or front matter) does too much work; look for loops over large ranges or deep recursion`;
    done(file, new LimitError(file.path, message), index);
  });
}

/** The parse stage's posts: those that can be built, and those of files with errors, read as far as they could be (for plan.ts checkFailedPosts). */
export interface ParsedSite {
  posts: Post[];
  failed: Post[];
}

/**
 * The parse stage: front matter and body templates here, markdown from the body cache or else in
 * worker threads, each post within its budget; files the last build parsed with the same text keep
 * that parse (and its errors). Returns the posts and pages in path order; every error of every
 * file is collected: a file with a bad key still has its other keys, its body template and its
 * markdown checked.
 */
export async function parseSite(
  sources: SiteSources,
  context: ParseContext,
  reuse: Reuse,
  markdown: MarkdownRenderer,
  errors: SiteError[],
  onProgress?: (done: number, total: number) => void,
): Promise<ParsedSite> {
  const pending: Pending[] = [];
  const fresh: { file: SourceFile; entry: ParsedFile }[] = [];
  for (const file of sources.files) {
    const hash = reuse.fileHash(file);
    const kept = reuse.parsed(file, hash);
    if (kept) reuse.files.set(file.path, kept);
    else fresh.push({ file, entry: { hash, rendered: false, usesTemplates: usesTemplateFiles(file.text) } });
  }
  parseEach(
    fresh.map((f) => f.file),
    context,
    (file, parsed, index) => {
      const { entry } = fresh[index];
      if (parsed instanceof SiteError) entry.errors = [parsed];
      else {
        if (parsed.errors.length > 0) {
          entry.errors = parsed.errors;
          entry.failedPost = parsed.post;
        } else entry.post = parsed.post;
        entry.rendered = parsed.markdown !== undefined || parsed.bodyDone;
        pending.push({ parsed, entry });
      }
      reuse.files.set(file.path, entry);
    },
  );
  await renderBodies(pending, context.config, reuse, markdown, onProgress);
  const site: ParsedSite = { posts: [], failed: [] };
  for (const p of sources.postPaths) {
    const entry = reuse.files.get(p);
    if (entry?.errors) {
      errors.push(...entry.errors);
      if (entry.failedPost) site.failed.push(entry.failedPost);
    } else if (entry?.post) site.posts.push(entry.post);
  }
  return site;
}

/** A file parsed by this build, and what this build remembers of it. */
interface Pending {
  parsed: ParsedSource;
  entry: ParsedFile;
}

/**
 * Markdown for the parsed sources: from the body cache, else rendered in worker threads. A post
 * that cannot be rendered within its budget gets that error beside any others of its file; it is
 * not cached, so the next build tries it again. The bodies of files with other errors are
 * rendered too, so that a markdown problem is named with them.
 */
async function renderBodies(pending: Pending[], config: SiteConfig, reuse: Reuse, markdown: MarkdownRenderer, onProgress?: (done: number, total: number) => void): Promise<void> {
  const cache = reuse.bodyCache();
  const misses: { source: Pending; work: MarkdownWork; key: string }[] = [];
  for (const source of pending) {
    const work = source.parsed.markdown;
    if (!work) continue;
    const key = cache.key(work);
    const hit = cache.get(key);
    if (hit) finishPost(config, source.parsed, hit);
    else misses.push({ source, work, key });
  }
  // Watch-mode rebuilds parse a file or two: one thread, kept between rebuilds, renders them.
  const threads = reuse.continues ? 1 : config.threads;
  const outcomes = await markdown.render(misses.map((m) => m.work), threads, (done) => onProgress?.(done, misses.length));
  misses.forEach(({ source, key }, i) => {
    const outcome = outcomes[i];
    if (outcome.ok) {
      cache.set(key, outcome.body);
      finishPost(config, source.parsed, outcome.body);
    } else {
      const { entry, parsed } = source;
      entry.errors = [...(entry.errors ?? []), new MarkdownError(parsed.post.source, outcome.problem)];
      entry.failedPost = parsed.post;
      entry.post = undefined;
    }
  });
  cache.save();
}
