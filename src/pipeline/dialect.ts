import type nunjucks from 'nunjucks';
import type { KramdownOptions } from '../jekyll/kramdown-options.js';
import type { MarkdownFlavor, MarkdownWork } from '../markdown/render.js';
import { TemplateError, type SiteError } from './errors.js';
import type { Split } from './front-matter.js';
import type { CopySource } from './read.js';
import type { PlannedPost, Post, PostPage, SiteConfig, SitePlan, SourceFile, StandalonePage } from './types.js';
import type { ExtensionlessStyle } from '../util/urls.js';
import type { JekyllFeedSettings } from '../jekyll/feed.js';
import type { SiteTemplates } from '../jekyll/site-templates.js';
import type { YamlFlavor } from '../util/yaml.js';
import { recapDialect } from './recap-dialect.js';
import { jekyllDialect } from '../jekyll/dialect.js';

/**
 * What a recap site and a Jekyll site do differently, as the questions the stages ask. The
 * pipeline never tests which kind of site it builds: it asks the dialect `dialectOf` chose.
 */
export interface Dialect {
  /** Which files are sources, for one build (read stage). */
  listSources(errors: SiteError[]): SourceListing;
  /** Where a source file belongs, by its path (parse stage). */
  place(source: string): Placement;
  /** Front matter a file gets from the site's config, under what the file says itself. */
  defaults(source: string, collection: Post['collection']): Record<string, unknown>;
  /** How front matter's YAML is read (a Jekyll site's as Ruby reads it: `comments: no` is false). */
  yaml: YamlFlavor;
  /**
   * The front-matter key a post or page sets its own language with (recap's `language`: a bilingual
   * meetup); undefined: every page is in the site's language (a Jekyll site's `lang` is its Liquid's).
   */
  postLanguageKey?: string;
  /**
   * Whether `event:` (posts and pages) and a post's `talks:`, `sponsors:` and `attendance:` are recap's:
   * checked, shown by the theme, with events.ics and speaker and sponsor pages. A Jekyll site's keys
   * of those names are its own Liquid's, as written.
   */
  meetupKeys: boolean;
  /** The zone a date written with an offset is read in; undefined: every date is kept as written. */
  timeZone?: string;
  /** The title of a post or page whose front matter gives none; undefined: a title is required. */
  untitledTitle(collection: Post['collection'], slug: string): string | undefined;
  /** A post's or page's URL path from its permalink, before basePath and before it is checked (plan stage). */
  urlPath(post: Post): string;
  /** How a URL without a trailing slash or extension (`/cnl-slack`) is written (plan stage). */
  extensionless: ExtensionlessStyle;
  /** The files a site gets besides its posts and pages: recap's feeds and sitemap, or those of the Jekyll plugins it enables. */
  generated: GeneratedFiles;
  /** How post bodies are written. */
  flavor: MarkdownFlavor;
  /** With flavor "kramdown": the site's kramdown settings (typography, header ids). */
  kramdown?: KramdownOptions;
  /** The excerpt separator of posts that set none ("" for none). */
  excerptSeparator: string;
  /** Where templates' HTML excerpt of a post ends when it sets no separator (Jekyll's `excerpt`); undefined: posts have none. */
  htmlExcerptSeparator?: string;
  /** The layout a post is rendered with, given the layouts there are. */
  layoutFor(post: Post, outPath: string, layouts: string[]): string;
  /** How built posts and pages are laid out: by the site's own layouts (read into `own`), or by recap's theme (plan stage). */
  layoutPlan(posts: Post[], own: SiteTemplates | undefined): LayoutPlan;
  /** What renders with the planned site: bodies that read it, and pages in the site's own layouts; undefined: nothing does (render stage). */
  siteRenderer(plan: SitePlan): Promise<SiteRenderer | undefined>;
  /** The engine that runs template syntax in post bodies; `templates` is the site's Nunjucks environment. */
  bodyEngine(templates: nunjucks.Environment): Promise<BodyEngine>;
  /** Compiles the listed stylesheets (SourceListing.stylesheets) to files to write; each one's error is collected in `errors`. */
  compileStylesheets(sources: string[], errors: SiteError[]): Promise<CompiledFiles>;
  /** What a changed path (relative to the site folder, "/" separators) asks the next build to redo. */
  classifyChange(relative: string): ChangeKind;
}

/** What a site gets besides its posts and pages, and in which format (plan stage). */
export interface GeneratedFiles {
  /** recap's Atom feed with one per tag; jekyll-feed's feeds as the site configures them; or none. */
  feeds: { style: 'recap' } | { style: 'jekyll-feed'; settings: JekyllFeedSettings } | undefined;
  /** recap's sitemap, jekyll-sitemap's, or none. */
  sitemap: 'recap' | 'jekyll-sitemap' | undefined;
  /** The site has sitemap.xsl: jekyll-sitemap names it as the sitemap's stylesheet. */
  sitemapXsl: boolean;
  /** robots.txt naming the sitemap (unless the site copies one of its own). */
  robots: boolean;
  /** jekyll-redirect-from's redirects.json: every redirect, old path to absolute URL. */
  redirectsJson: boolean;
  /** Drafts (built with --drafts) are in the feeds and sitemap, as in Jekyll; recap's own sites leave them out. */
  listDrafts: boolean;
  /** Whether a copied file (by its path in the site) is listed in the sitemap, as `sitemap: false` in `defaults` says. */
  copyInSitemap(source: string): boolean;
}

/** What compiling the stylesheets gave: files to write (CSS and source maps) and what is worth a warning. */
export interface CompiledFiles {
  files: { source: string; outPath: string; contents: string }[];
  warnings: string[];
}

/** The sources of one build. */
export interface SourceListing {
  /** Post and page files, sorted; with `only`, those of the given paths that are such files now (watch mode's small updates). */
  postPaths(only?: string[]): string[];
  /** The site's own files copied as they are (the theme's assets are listed by the read stage). */
  copies(): CopySource[];
  /** Stylesheets compiled to CSS (a Jekyll site's Sass with front matter), sorted. */
  stylesheets: string[];
  /** The site's own layouts, includes and data, when it can have them (a Jekyll site). */
  ownTemplates(): SiteTemplates | undefined;
}

/** How a site's posts and pages are laid out, as planning decides. */
export type LayoutPlan =
  | {
      by: 'site';
      templates: SiteTemplates;
      /** The layout a post or page is wrapped in ("" for none). */
      layoutOf(post: Post): string;
      /** The page whose copies list the posts page by page (Jekyll's paginated index.html), and how many posts each. */
      paginated?: { source: string; perPage: number; path: string };
      /** Whether a post is left out of the paginated lists. */
      hidden(post: Post): boolean;
      /** Layouts pages name that are not there (those pages are written without them), once. */
      warning?: string;
    }
  | {
      by: 'theme';
      /** Sources only the site's own layouts could show: not built, named in a warning. */
      leftOut(post: Post): boolean;
      /** Why the site's own layouts are not used (what is missing, which pages would be empty), once. */
      warning?: string;
    };

/** Renders what needs the whole planned site. Errors are SiteErrors naming the file and line. */
export interface SiteRenderer {
  /** A body that reads the planned site (see BodyEngine), run with it: the markdown it becomes, or its HTML when it is no markdown. */
  body(entry: PlannedPost): { markdown: MarkdownWork } | { html: string };
  /** A post or page in the site's own layouts, and what it read of other pages (see OwnPageReads). */
  page(page: PostPage | StandalonePage): { contents: string } & OwnPageReads;
  /**
   * What a page in the site's own layouts is rendered from, as comparable keys: the site's layouts
   * and every post's and page's metadata and URL (one key), its own body, and the bodies of the
   * pages it read (`contentOf`, from the last render). Equal keys, equal output.
   */
  fingerprint(page: PostPage | StandalonePage, contentOf: readonly string[]): string[];
}

/** What a page's Liquid read beyond the site's metadata. */
export interface OwnPageReads {
  /** Sources of the posts and pages whose `content` or `excerpt` it read. */
  contentOf: string[];
  /** It read something that changes with every build (site.time): it is rendered on every build. */
  changesEveryBuild: boolean;
}

export interface Placement {
  collection: Post['collection'];
  /** In a drafts folder: a draft, dated by its file's modification time when its name has no date. */
  draft: boolean;
  /** Categories a post gets from the folders it is in. */
  folderCategories: string[];
}

/**
 * Runs a body's template syntax; `page` is what the body sees as `page`; references to other posts
 * are added to `post`. Undefined: the body reads what only the planned site has (the posts, the
 * paginator, the site's data): the render stage runs it with the site (SiteRenderer.body).
 */
export interface BodyEngine {
  render(file: SourceFile, split: Split, page: Record<string, unknown>, post: Post): string | undefined;
}

export type ChangeKind = 'post' | 'template' | 'copy' | 'post-or-copy' | 'config' | 'ignore';

/** The hint every body template error ends with, but those of limits. */
export const BODY_TEMPLATE_HINT = 'wrap literal {{ }} or {% %} in {% raw %}…{% endraw %}, or set render_with_liquid: false';

/**
 * A body template error at its line in the post's file. An error that is no misread text (a
 * limit: a template that makes too much or runs too long; an include that is not there) gets no
 * hint about literal braces.
 */
export function bodyTemplateError(file: SourceFile, split: Split, where: { message: string; line?: number; column?: number }, cause: unknown, notMisreadText: boolean): TemplateError {
  return new TemplateError(file.path, notMisreadText ? where.message : `${where.message} (${BODY_TEMPLATE_HINT})`, {
    line: where.line === undefined ? undefined : where.line + split.bodyLine - 1,
    column: where.column,
    cause,
  });
}

/** A site with Jekyll settings (a _config.yml) follows Jekyll's rules; any other, recap's. */
export function dialectOf(config: SiteConfig): Dialect {
  return config.jekyll ? jekyllDialect(config, config.jekyll) : recapDialect(config);
}
