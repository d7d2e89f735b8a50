/** A Jekyll site as recap builds it: Jekyll's files, permalinks, defaults, kramdown and Liquid, behind the Dialect questions. */
import path from 'node:path';
import type { Liquid } from 'liquidjs';
import { bodyTemplateError, type BodyEngine, type ChangeKind, type Dialect } from '../pipeline/dialect.js';
import { LIQUID_TIME_LIMIT_MS } from '../pipeline/limits.js';
import { isEditorFile } from '../pipeline/recap-dialect.js';
import type { JekyllSettings, SiteConfig } from '../pipeline/types.js';
import { isMarkdownFile } from '../util/files.js';
import { resolveUrlPath } from '../util/urls.js';
import { frontMatterDefaults } from './config.js';
import { jekyllFiles } from './files.js';
import { readKramdownOptions } from './kramdown-options.js';
import { jekyllUrlPath } from './permalinks.js';
import { jekyllGenerated } from './plugins.js';
import { jekyllLayoutPlan } from './layouts.js';
import { readSiteTemplates } from './site-templates.js';
import { INCLUDE_NOT_FOUND, liquidErrorLocation, REFERENCES_KEY } from './references.js';
import { UNKNOWN_FILTERS_KEY } from './liquid-warnings.js';
import { INVALID_FORMAT } from '../util/strftime.js';
import { withLiquidDates } from './ruby.js';

/** Jekyll's _posts/ and _drafts/ folders, anywhere in the site (blog/_posts/ gives its posts the category "blog"). */
const postsFolderAt = (folders: string[]) => folders.findIndex((f) => f === '_posts' || f === '_drafts');

export function jekyllDialect(config: SiteConfig, jekyll: JekyllSettings): Dialect {
  const urlPath = (post: Parameters<Dialect['urlPath']>[0]) => jekyllUrlPath(jekyll, config.permalink, post);
  const dialect: Dialect = {
    listSources(errors) {
      // Sorting a Jekyll site's files means walking all of it: once per build.
      const files = jekyllFiles(config, errors);
      const all = [...files.posts, ...files.pages].sort();
      return {
        postPaths: (only) => (only ? all.filter((p) => only.includes(p)) : all),
        copies: () => files.copies.map((file) => ({ source: file, from: path.join(config.root, file), outPath: file })),
        stylesheets: files.stylesheets,
        ownTemplates: () => readSiteTemplates(config, errors),
      };
    },
    place(source) {
      const folders = source.split('/').slice(0, -1);
      const at = postsFolderAt(folders);
      return { collection: at === -1 ? 'pages' : 'posts', draft: at !== -1 && folders[at] === '_drafts', folderCategories: at > 0 ? folders.slice(0, at) : [] };
    },
    defaults: (source, collection) => frontMatterDefaults(jekyll, source, collection),
    // As Jekyll: a post without a title takes one from its slug (2019-03-06-kubernetes-day → "Kubernetes Day"); a page may have none.
    timeZone: jekyll.timezone,
    meetupKeys: false,
    yaml: 'ruby',
    untitledTitle: (collection, slug) => (collection === 'posts' ? titleizeSlug(slug) : ''),
    urlPath,
    // As Jekyll: `/cnl-slack` is written as cnl-slack.html (see the folder redirects in plan.ts).
    extensionless: 'html-file',
    generated: jekyllGenerated(config, jekyll),
    flavor: 'kramdown',
    kramdown: readKramdownOptions(jekyll.values),
    excerptSeparator: jekyll.excerptSeparator,
    // Jekyll's own default: the first paragraph (the body up to its first blank line).
    htmlExcerptSeparator: jekyll.excerptSeparator || '\n\n',
    // A Jekyll site names Liquid layouts recap cannot run: its posts and pages take the theme's.
    layoutFor: (post, outPath, layouts) => (layouts.includes(post.layout) ? post.layout : outPath === '404.html' ? '404' : post.collection === 'pages' ? 'page' : 'post'),
    layoutPlan: (posts, own) => jekyllLayoutPlan(jekyll, posts, own),
    async siteRenderer(plan) {
      const needed = plan.ownLayouts !== undefined || plan.sitePosts.some((p) => p.post.pendingBody) || plan.pages.some((p) => p.post.pendingBody);
      if (!needed) return undefined;
      const { jekyllSiteRenderer } = await import('./liquid-site.js');
      return jekyllSiteRenderer(config, dialect, plan);
    },
    async compileStylesheets(sources, errors) {
      if (sources.length === 0) return { files: [], warnings: [] };
      const { compileSassFiles } = await import('./sass.js');
      const compiled = await compileSassFiles(config, sources, errors);
      return {
        files: compiled.flatMap(({ source, outPath, css, mapOutPath, map }) => [{ source, outPath, contents: css }, ...(mapOutPath && map !== undefined ? [{ source, outPath: mapOutPath, contents: map }] : [])]),
        warnings: compiled.flatMap((stylesheet) => stylesheet.warnings),
      };
    },
    async bodyEngine() {
      const { createLiquidEngine } = await import('./liquid.js');
      return liquidBodies(config, urlPath, createLiquidEngine(config));
    },
    classifyChange: (relative) => classifyJekyllChange(config.postsDir, relative),
  };
  return dialect;
}

/** A Jekyll site's files are anywhere: markdown outside _ folders is a page when it has front matter, else a copy. */
function classifyJekyllChange(postsDir: string, relative: string): ChangeKind {
  const segments = relative.split('/');
  const [top] = segments;
  if (segments.some((segment) => segment.startsWith('.')) || isEditorFile(relative)) return 'ignore';
  if (top === postsDir || top === '_drafts') return isMarkdownFile(relative) ? 'post' : 'ignore';
  // Layouts and includes are what the site's own Liquid reads: every page is rendered again.
  if (top === '_includes' || top === '_layouts') return 'template';
  // _data is site.data, and _data/authors.yml names the authors of feed entries: the site is read again.
  if (top === '_data') return 'config';
  if (top === 'templates') return segments[1] === 'assets' ? 'copy' : 'template';
  // Sass partials (in _sass/ or another load path) are compiled into the stylesheets, which the copies' listing compiles again.
  if (/\.(s[ac]ss|css)$/i.test(relative)) return top.startsWith('_') ? 'copy' : 'post-or-copy';
  if (top.startsWith('_')) return 'ignore';
  if (segments.length === 1 && !relative.includes('.')) return 'config'; // a folder came or went
  // Any file with front matter is a page (about.md, index.html, search.json), any other a copy.
  return 'post-or-copy';
}

/** liquidjs's messages for its limits (set in liquid.ts), and what recap says instead. */
const LIQUID_LIMITS: [string, string][] = [
  ['template render limit exceeded', `its Liquid took longer than ${LIQUID_TIME_LIMIT_MS / 1000} s to render; look for loops over large ranges or deep recursion`],
  ['memory alloc limit exceeded', 'its Liquid makes too much text or too long lists'],
  ['parse length limit exceeded', 'its Liquid, with what it includes, is too long to read'],
];

/**
 * Keys of `site` only the planned site has. A body that reads one (or `paginator`) runs at render
 * instead, with the site (see liquid-site.ts): at parse it cannot know them.
 */
const PLANNED_SITE_KEYS = ['posts', 'pages', 'html_pages', 'documents', 'static_files', 'tags', 'categories', 'related_posts', 'data', 'time', 'collections'];

/** Bodies are Liquid (see liquid.ts); post_url and link uses are collected in the post's references. */
export function liquidBodies(config: SiteConfig, urlPath: Dialect['urlPath'], liquid: Liquid): BodyEngine {
  // What a body sees as `site`: every key of _config.yml, and Jekyll's names for recap's settings.
  const settings = { ...(config.jekyll?.values ?? {}), title: config.title, description: config.description, url: config.url, baseurl: config.basePath.replace(/\/$/, ''), basePath: config.basePath };
  const jekyllVariable = { environment: config.jekyll?.environment ?? 'production', version: JEKYLL_VERSION };
  return {
    render(file, split, page, post) {
      // Jekyll bodies see page.url as Jekyll has it: without the base path.
      const resolved = resolveUrlPath(urlPath(post), 'html-file');
      const url = typeof resolved === 'object' ? resolved.url : undefined;
      let readsPlannedSite = false;
      const planned = () => ((readsPlannedSite = true), undefined);
      const site = Object.defineProperties({ ...settings }, Object.fromEntries(PLANNED_SITE_KEYS.map((key) => [key, { get: planned, enumerable: true }])));
      const unknownFilters = new Set<string>();
      const variables = { site, jekyll: jekyllVariable, page: { ...withLiquidDates(page, config.jekyll?.timezone ?? 'UTC'), url, path: post.source }, [REFERENCES_KEY]: post.references, [UNKNOWN_FILTERS_KEY]: unknownFilters };
      const scope = Object.defineProperty(variables, 'paginator', { get: planned, enumerable: true });
      let body: string;
      try {
        body = liquid.parseAndRenderSync(split.body, scope);
        post.unknownFilters = unknownFilters.size > 0 ? [...unknownFilters] : undefined;
      } catch (error) {
        // What went wrong may be no more than what it read being empty here: it runs again with the site.
        if (readsPlannedSite) return undefined;
        const where = liquidErrorLocation(error);
        const limit = LIQUID_LIMITS.find(([text]) => where.message.includes(text));
        throw bodyTemplateError(file, split, limit ? { ...where, message: limit[1] } : where, error, limit !== undefined || where.message.startsWith(INCLUDE_NOT_FOUND) || where.message.startsWith(INVALID_FORMAT));
      }
      return readsPlannedSite ? undefined : body;
    },
  };
}

/** The Jekyll recap follows, as templates see it in `jekyll.version`. */
export const JEKYLL_VERSION = '4.3.1';

/** Jekyll's Utils.titleize_slug: the slug's "-"-separated words, each capitalized (first letter up, the rest down). */
export function titleizeSlug(slug: string): string {
  return slug
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join(' ');
}
