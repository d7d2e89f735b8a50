/**
 * A Jekyll site rendered as Jekyll renders it, with the whole planned site: what its Liquid sees
 * (`site`, `page`, `paginator`, `layout`, `content`; see jekyll-payload.ts), bodies that read the
 * site, and layouts wrapped around the content, each layout in the one it names in turn. Liquid
 * prints what it is given as Jekyll's does (no escaping): layouts and includes are the site
 * authors' own templates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Tag, type Context, type Liquid, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import type { SiteRenderer } from '../pipeline/dialect.js';
import { SiteError, TemplateError } from '../pipeline/errors.js';
import { markdownWork } from '../pipeline/parse.js';
import type { Dialect } from '../pipeline/dialect.js';
import type { PlannedPost, PostPage, SiteConfig, SitePlan, StandalonePage } from '../pipeline/types.js';
import { BODY_OUTPUT_LIMIT, PAGE_OUTPUT_LIMIT } from '../pipeline/limits.js';
import { createPayload, type Payload } from './jekyll-payload.js';
import { createLiquidEngine } from './liquid.js';
import { liquidErrorLocation, referenceIndex, unresolvedReference, type Reference } from './references.js';
import { layoutNameOf } from './layouts.js';
import type { LayoutFile } from './site-templates.js';
import { sha1 } from '../util/hash.js';
import { relativePath } from '../util/files.js';

/** The render variable holding how `{% post_url %}` and `{% link %}` resolve in this render. */
const RESOLVE_KEY = '__recapResolve';
type Resolve = (reference: Pick<Reference, 'kind' | 'target'>) => string;

/** Where a Liquid error happened: the file liquidjs names (an include) or the template rendered, and its line there. */
interface Where {
  file: string;
  /** The file line the template's first line is on. */
  firstLine: number;
}

/** liquidjs's messages for its limits, and what recap says instead. */
const LIMITS: [string, string][] = [
  ['template render limit exceeded', 'its Liquid took too long to render; look for loops over large ranges or deep recursion'],
  ['memory alloc limit exceeded', 'its Liquid makes too much text or too long lists'],
  ['parse length limit exceeded', 'its Liquid, with what it includes, is too long to read'],
  ['Maximum call stack size exceeded', 'its Liquid nests too deeply; look for an include that includes itself'],
];

/** `{% post_url %}` and `{% link %}` resolved at once: the whole site is planned. */
function resolvingTag(kind: Reference['kind']) {
  return class ResolvingTag extends Tag {
    private readonly target: string;
    constructor(token: TagToken, remaining: TopLevelToken[], liquid: Liquid) {
      super(token, remaining, liquid);
      this.target = token.args.trim();
    }
    render(context: Context): string {
      // In an object: liquidjs would call a function it reads, with no arguments.
      const resolver = context.getSync([RESOLVE_KEY]) as { resolve: Resolve } | undefined;
      if (!resolver) throw new Error(`{% ${kind} %} is not available here`);
      return resolver.resolve({ kind, target: this.target });
    }
  };
}

export function jekyllSiteRenderer(config: SiteConfig, dialect: Dialect, plan: SitePlan): SiteRenderer {
  const liquid = createLiquidEngine(config);
  liquid.registerTag('post_url', resolvingTag('post_url'));
  liquid.registerTag('link', resolvingTag('link'));
  // Each source once, at its own URL (a paginated index.html's copies are not it).
  const entries = [...plan.sitePosts, ...plan.pages];
  const lookUp = referenceIndex(entries.map((entry) => ({ source: entry.post.source, collection: entry.post.collection, url: entry.url })));
  const resolver = (cut: number): Resolve => (reference) => {
    const url = lookUp(reference);
    if (url === undefined) throw new Error(unresolvedReference(reference));
    return url.slice(cut);
  };
  // In markdown a site-root link gets the base path when the markdown is rendered; elsewhere it is written whole.
  const inMarkdown = resolver(config.basePath.length - 1);
  const whole = resolver(0);
  // Made at the first render, once bodies run at render have their HTML.
  let payload: Payload | undefined;
  const site = () => (payload ??= createPayload(config, plan));
  const parsed = new Map<string, Template[]>();
  const bySource = new Map(entries.map((entry) => [entry.post.source, entry]));
  // A body that runs in the page (a paginated index.html's) counts as written: its HTML is made there.
  const contentKey = (entry: PlannedPost) => sha1(`${entry.html}\0${entry.excerptHtml}\0${entry.post.pendingBody?.text ?? ''}`);
  // Everything of the site a page can read but bodies: every post's and page's metadata and URL, in site order, the pages there are, the static files.
  let siteMeta: string | undefined;
  const siteKey = () =>
    (siteMeta ??= sha1(
      JSON.stringify([
        entries.map((e) => [e.post.source, e.url, e.outPath, e.layout, e.post.data, e.post.title, e.post.date.getTime(), e.post.tags, e.post.categories, e.post.draft, e.post.slug]),
        plan.outputs.map((page) => page.outPath),
        plan.copies.map((copy) => [copy.outPath, fileStamp(copy.from)]),
      ]),
    ));
  const overLimit = new Map<string, TemplateError>();

  const run = (text: string, where: Where, scope: Record<string, unknown>, cacheKey?: string): string => {
    try {
      let templates = cacheKey === undefined ? undefined : parsed.get(cacheKey);
      if (!templates) {
        templates = liquid.parse(text, path.join(config.root, where.file));
        if (cacheKey !== undefined) parsed.set(cacheKey, templates);
      }
      return String(liquid.renderSync(templates, scope));
    } catch (error) {
      throw liquidError(config, error, where);
    }
  };

  const scopeFor = (entry: PlannedPost, page: PostPage | StandalonePage | undefined, resolve: Resolve) => {
    const { siteFor, dropOf, paginatorOf, jekyll } = site();
    const drop = dropOf(entry);
    return {
      // site.related_posts: for a post, the ten newest others (Jekyll without lsi); for a page, nothing.
      site: siteFor(entry.post.collection === 'posts' ? plan.sitePosts.slice(0, 11).filter((p) => p.post !== entry.post).slice(0, 10).map(dropOf) : undefined),
      page: page && page.url !== entry.url ? { ...drop, url: page.url.slice(config.basePath.length - 1), dir: page.url.slice(config.basePath.length - 1) } : drop,
      paginator: page?.kind === 'page' && page.paginator ? paginatorOf(page.paginator) : undefined,
      jekyll,
      [RESOLVE_KEY]: { resolve },
    };
  };

  const bodyWhere = (entry: PlannedPost): Where => ({ file: entry.post.source, firstLine: entry.post.pendingBody?.line ?? 1 });

  return {
    body(entry) {
      const pending = entry.post.pendingBody!;
      const body = run(pending.text, bodyWhere(entry), scopeFor(entry, undefined, pending.markdown ? inMarkdown : whole));
      if (body.length > BODY_OUTPUT_LIMIT) throw new TemplateError(entry.post.source, `its body template makes ${(body.length / 1024 / 1024).toFixed(0)} MB of text; a body may come to at most ${BODY_OUTPUT_LIMIT / 1024 / 1024} MB`, { line: pending.line });
      if (!pending.markdown) return { html: body };
      return { markdown: markdownWork(body, { config, dialect }, pending.excerptSeparator, pending.htmlExcerptSeparator) };
    },
    page(page) {
      const entry = page.kind === 'post' ? page.post : page.page;
      const { reads } = site();
      reads.content.clear();
      reads.time = false;
      const scope = scopeFor(entry, page, whole);
      const pending = entry.post.pendingBody;
      // A page that is no markdown and reads the site (a paginated index.html) runs its body here, with its paginator.
      let output = pending && !pending.markdown ? run(pending.text, bodyWhere(entry), scope) : entry.html;
      let layoutData: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (let name = entry.layout; name !== '' && !seen.has(name); ) {
        seen.add(name);
        const layout = plan.ownLayouts?.layouts.get(name);
        if (!layout) break;
        // A layout that ran out of time or memory once would for every page: the others stop at once, with the same error.
        const stopped = overLimit.get(name);
        if (stopped) throw stopped;
        // A layout sees its own front matter as `layout`, over what the layouts inside it set.
        layoutData = { ...layoutData, ...layout.data };
        try {
          output = run(layout.body, { file: layout.file, firstLine: layout.bodyLine }, { ...scope, layout: layoutData, content: output }, layout.file);
        } catch (error) {
          if (error instanceof LiquidLimitError) overLimit.set(name, error);
          throw error;
        }
        if (output.length > PAGE_OUTPUT_LIMIT) throw new TemplateError(layout.file, `makes ${(output.length / 1024 / 1024).toFixed(0)} MB of HTML; a page may be at most ${PAGE_OUTPUT_LIMIT / 1024 / 1024} MB`);
        name = parentOf(layout);
      }
      // A page with no layout is checked here; each layout's output was checked as it was made.
      if (output.length > PAGE_OUTPUT_LIMIT) throw new TemplateError(entry.post.source, `makes ${(output.length / 1024 / 1024).toFixed(0)} MB of text; a page may be at most ${PAGE_OUTPUT_LIMIT / 1024 / 1024} MB`);
      return { contents: output, contentOf: [...reads.content].sort(), changesEveryBuild: reads.time };
    },
    fingerprint(page, contentOf) {
      const entry = page.kind === 'post' ? page.post : page.page;
      const paginator = page.kind === 'page' ? page.paginator : undefined;
      return [
        'own',
        page.url,
        entry.layout,
        siteKey(),
        contentKey(entry),
        paginator ? `${paginator.page}/${paginator.totalPages}` : '',
        ...contentOf.map((source) => {
          const read = bySource.get(source);
          return `${source}:${read ? contentKey(read) : ''}`;
        }),
      ];
    },
  };
}

/** A copied file's modification time and size (site.static_files shows the time). */
function fileStamp(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return '';
  }
}

/** The layout a layout is wrapped in ("" for none). */
const parentOf = (layout: LayoutFile) => layoutNameOf(layout.data.layout);

/** A Liquid error as a TemplateError at its file and line: the include liquidjs names, or the template run. */
function liquidError(config: SiteConfig, error: unknown, where: Where): SiteError {
  if (error instanceof SiteError) return error;
  const located = liquidErrorLocation(error);
  const fileMatch = /,\s*file:(.*?)(?=,\s*line:\d+)/.exec(error instanceof Error ? error.message : '');
  const named = fileMatch ? relativePath(config.root, fileMatch[1]) : where.file;
  const inTemplate = named === where.file;
  const message = located.message.replace(/,\s*file:.*$/s, '');
  const limit = LIMITS.find(([text]) => message.includes(text));
  const at = { line: located.line === undefined ? undefined : located.line + (inTemplate ? where.firstLine - 1 : 0), column: located.column, cause: error };
  return limit ? new LiquidLimitError(named, limit[1], at) : new TemplateError(named, message, at);
}

/** A template that ran into one of liquidjs's limits (time, memory, length). */
class LiquidLimitError extends TemplateError {}
