import path from 'node:path';
import type { ParsedFile, Reuse } from '../incremental/reuse.js';
import type { MarkdownRenderer } from '../markdown/workers.js';
import type { BodyEngine, Dialect } from './dialect.js';
import { FrontMatterError, MarkdownError, SiteError } from './errors.js';
import type { SiteSources } from './read.js';
import type { MarkdownWork, RenderedBody } from '../markdown/render.js';
import { cutAtWord } from '../markdown/text.js';
import { keyLines, parseYaml, readBoolean, readDate, readLink, readRedirectTo, readString, readStringList, splitFrontMatter } from './front-matter.js';
import { withoutMarkdownExtension } from '../util/files.js';
import type { Post, SiteConfig, SourceFile } from './types.js';

const FILE_NAME = /^(\d{4}-\d{2}-\d{2})-(.+)$/;

export interface ParseContext {
  config: SiteConfig;
  dialect: Dialect;
  /** Runs template syntax in post bodies (Nunjucks; Liquid on a Jekyll site). */
  bodyEngine: BodyEngine;
  /** false: front matter only (for `recap check`, which needs the plan but not the pages). */
  bodies?: boolean;
}

/** Whether the config says this post is built at all; unbuilt posts skip the expensive body rendering. */
export function isBuilt(config: SiteConfig, published: boolean, draft: boolean, date: Date): boolean {
  return published && (!draft || config.drafts) && (date.getTime() <= config.now.getTime() || config.future);
}

/** Whether a body pulls in template files, so that it must be parsed again when templates change. */
export function usesTemplateFiles(text: string): boolean {
  return /\{%-?\s*(include|import|from|extends)\b/.test(text);
}

/**
 * SourceFile → Post, except for its markdown: front matter is read and checked, and the body is
 * run as a template. Pure apart from the template files a body may include.
 */
export function parseSource(file: SourceFile, context: ParseContext): ParsedSource {
  const split = splitFrontMatter(file);
  const data = parseYaml(file, split);
  const lines = keyLines(split.matter);

  const { config, dialect } = context;
  const place = dialect.place(file.path);
  const { collection } = place;
  const stem = withoutMarkdownExtension(path.posix.basename(file.path));
  const nameMatch = collection === 'posts' ? FILE_NAME.exec(stem) : null;
  // A page's slug is its path under pages/ (a Jekyll page's, under the site).
  const pagesPrefix = config.pagesDir ? `${config.pagesDir}/` : '';
  const slug = collection === 'pages' ? withoutMarkdownExtension(file.path.slice(pagesPrefix.length)) : nameMatch ? nameMatch[2] : stem;
  // The config's defaults apply under what the file says.
  Object.assign(data, { ...dialect.defaults(file.path, collection), ...data });

  const titleValue = data.title;
  if (typeof titleValue !== 'string' || titleValue.trim() === '') {
    const problem = titleValue === undefined ? 'has no "title"' : typeof titleValue === 'string' || titleValue === null ? 'has an empty "title"' : '"title" must be text';
    throw new FrontMatterError(file.path, `${problem}; add a line like title: "March meetup recap"`, { line: lines.title });
  }
  const title = titleValue.trim();
  const date = readDate(file, split, data, lines, nameMatch?.[1], collection === 'pages' ? new Date(0) : place.draft ? file.modified : undefined);

  const layout = readString(file, data, lines, 'layout').trim() || (collection === 'pages' ? 'page' : 'post');
  if (!/^[A-Za-z0-9_-]+$/.test(layout)) {
    throw new FrontMatterError(file.path, `"layout" must be a plain name like "post"; got "${layout}"`, { line: lines.layout });
  }

  const tags = readStringList(file, data, lines, 'tags', true);
  const categories = [...place.folderCategories, ...readStringList(file, data, lines, 'categories', true), ...readStringList(file, data, lines, 'category', false)];
  const published = readBoolean(file, data, lines, 'published', true);
  const draft = place.draft || readBoolean(file, data, lines, 'draft', false);
  const navOrder = data.nav_order ?? 0;
  if (typeof navOrder !== 'number') throw new FrontMatterError(file.path, '"nav_order" must be a number', { line: lines.nav_order });
  const post: Post = {
    collection,
    navOrder,
    source: file.path,
    slug,
    date,
    title,
    description: readString(file, data, lines, 'description'),
    image: readLink(file, data, lines, 'image'),
    tags,
    redirectFrom: readStringList(file, data, lines, 'redirect_from', false),
    redirectTo: readRedirectTo(file, data, lines),
    layout,
    published,
    draft,
    permalink: readString(file, data, lines, 'permalink').trim(),
    data,
    html: '',
    excerpt: readString(file, data, lines, 'excerpt').trim(),
    categories,
    references: [],
    keyLines: lines,
  };
  // Checked for their types above; read by templates as written.
  readString(file, data, lines, 'location');
  for (const key of ['video', 'slides']) readLink(file, data, lines, key);
  readBoolean(file, data, lines, 'hide_image', false);

  if (context.bodies !== false && isBuilt(context.config, published, draft, date)) {
    const templated = readBoolean(file, data, lines, 'render_with_liquid', true);
    // Most bodies have no template syntax at all: rendering them would give the same text, slower.
    const body = templated && /\{[{%#]/.test(split.body) ? context.bodyEngine.render(file, split, { ...data, title, date, slug, tags }, post) : split.body;
    for (const reference of post.references) reference.line += split.bodyLine - 1;
    // Jekyll's excerpt_separator (site or post): the excerpt is the text before it.
    const separator = readString(file, data, lines, 'excerpt_separator') || dialect.excerptSeparator;
    const beforeSeparator = separator && body.includes(separator) ? body.slice(0, body.indexOf(separator)) : undefined;
    return { post, markdown: { body, flavor: dialect.flavor, basePath: config.basePath, beforeSeparator } };
  }
  return { post };
}

/** Everything of a post but its markdown, which may be rendered elsewhere (a worker, or the cache). */
export interface ParsedSource {
  post: Post;
  markdown?: MarkdownWork;
}

/**
 * Puts a post's rendered markdown in place (its links already have the base path) and takes the
 * excerpt: plain text, escaped once by whatever shows it.
 */
export function finishPost(config: SiteConfig, parsed: ParsedSource, rendered: RenderedBody | undefined): Post {
  const { post } = parsed;
  if (!rendered) return post;
  post.html = rendered.main.html;
  post.excerpt = post.excerpt || cutAtWord(rendered.beforeSeparator?.text || rendered.main.firstParagraph);
  return post;
}

/**
 * The parse stage: front matter and body templates here, markdown from the body cache or else in
 * worker threads, each post within its budget; files the last build parsed with the same text keep
 * that parse. Returns the posts and pages in path order; errors are collected, one per file.
 */
export async function parseSite(
  sources: SiteSources,
  context: ParseContext,
  reuse: Reuse,
  markdown: MarkdownRenderer,
  errors: SiteError[],
  onProgress?: (done: number, total: number) => void,
): Promise<Post[]> {
  const pending: Pending[] = [];
  for (const file of sources.files) {
    const hash = reuse.fileHash(file);
    const kept = reuse.parsed(file, hash);
    if (kept) {
      reuse.files.set(file.path, kept);
      continue;
    }
    const entry: ParsedFile = { hash, rendered: false, usesTemplates: usesTemplateFiles(file.text) };
    try {
      const parsed = parseSource(file, context);
      entry.post = parsed.post;
      entry.rendered = parsed.markdown !== undefined;
      pending.push({ parsed, entry });
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      entry.error = error;
    }
    reuse.files.set(file.path, entry);
  }
  await renderBodies(pending, context.config, reuse, markdown, onProgress);
  const posts: Post[] = [];
  for (const p of sources.postPaths) {
    const entry = reuse.files.get(p);
    if (entry?.error) errors.push(entry.error);
    else if (entry?.post) posts.push(entry.post);
  }
  return posts;
}

/** A file parsed by this build, and what this build remembers of it. */
interface Pending {
  parsed: ParsedSource;
  entry: ParsedFile;
}

/**
 * Markdown for the parsed sources: from the body cache, else rendered in worker threads. A post
 * that cannot be rendered within its budget becomes that file's error; it is not cached, so the
 * next build tries it again.
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
      source.entry.error = new MarkdownError(source.parsed.post.source, outcome.problem);
      source.entry.post = undefined;
    }
  });
  cache.save();
}
