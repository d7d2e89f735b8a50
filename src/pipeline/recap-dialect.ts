/** recap's own site layout: posts/, pages/, static/ and templates/, Nunjucks in bodies, CommonMark. */
import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import type nunjucks from 'nunjucks';
import { PAGES_DIR } from './config.js';
import { TRANSLATIONS_DIR } from '../i18n/tables.js';
import { bodyTemplateError, type BodyEngine, type ChangeKind, type Dialect, type GeneratedFiles, type SourceListing } from './dialect.js';
import type { SiteError } from './errors.js';
import { listFiles, type CopySource } from './read.js';
import type { Post, SiteConfig } from './types.js';
import { templateErrorLocation } from '../theme/environment.js';
import { explainLimit, isOverLimit } from '../theme/template-limits.js';
import { siteTemplateData } from '../theme/views.js';
import { pad } from '../util/dates.js';
import { isMarkdownFile, withoutMarkdownExtension } from '../util/files.js';
import { encodeSegment, expandPattern } from '../util/urls.js';
import { INVALID_FORMAT } from '../util/strftime.js';

/** The folders a recap site's sources live in. */
export const SOURCE_FOLDERS = ['posts', '_posts', PAGES_DIR, 'templates', 'static'];

export function recapDialect(config: SiteConfig): Dialect {
  return {
    listSources: (errors) => recapSources(config, errors),
    yaml: 'core',
    // Drafts in posts/_drafts/ need no date in their name: they are dated by their file's modification time.
    place: (source) => ({
      collection: source.startsWith(`${config.postsDir}/`) ? 'posts' : 'pages',
      draft: source.startsWith(`${config.postsDir}/_drafts/`),
      folderCategories: [],
    }),
    defaults: () => ({}),
    postLanguageKey: 'language',
    meetupKeys: true,
    // Every post and page of a recap site is listed and shown under its title.
    untitledTitle: () => undefined,
    urlPath: (post) => recapUrlPath(config, post),
    extensionless: 'folder',
    generated: RECAP_GENERATED,
    flavor: 'commonmark',
    excerptSeparator: '',
    layoutFor: (post) => post.layout,
    // recap's theme lays out every page; no body waits for the planned site.
    layoutPlan: () => ({ by: 'theme', leftOut: () => false }),
    siteRenderer: async () => undefined,
    bodyEngine: async (templates) => nunjucksBodies(config, templates),
    // recap's own sites write their CSS as CSS (static/, the theme's assets).
    compileStylesheets: async () => ({ files: [], warnings: [] }),
    classifyChange: (relative) => classifyRecapChange(config.postsDir, relative, (folder) => fs.existsSync(path.join(config.root, folder))),
  };
}

/** recap's own feeds (the site's and one per tag) and sitemap; drafts are in neither. */
const RECAP_GENERATED: GeneratedFiles = { feeds: { style: 'recap' }, sitemap: 'recap', sitemapXsl: false, robots: true, redirectsJson: false, listDrafts: false, copyInSitemap: () => false };

function recapSources(config: SiteConfig, errors: SiteError[]): SourceListing {
  return {
    postPaths(only) {
      const folders = [
        { dir: config.postsDir, ignore: config.drafts ? [] : ['_drafts/**'] },
        { dir: PAGES_DIR, ignore: [] },
      ];
      const paths: string[] = [];
      for (const { dir, ignore } of folders) {
        const prefix = `${dir}/`;
        const patterns = only
          ? only.filter((p) => p.startsWith(prefix) && isMarkdownFile(p)).map((p) => fg.escapePath(p.slice(prefix.length)))
          : ['**/*.{md,markdown,mkdown,mkdn,mkd}'];
        if (patterns.length === 0) continue;
        paths.push(...listFiles(config, config.root, dir, patterns, errors, { ignore, anyCase: true }).filter(isMarkdownFile).map((p) => prefix + p));
      }
      return paths.sort();
    },
    copies: () => [
      ...listFiles(config, config.root, 'static', ['**'], errors, { dot: true }).map((file) => ({
        source: `static/${file}`,
        from: path.join(config.root, 'static', file),
        outPath: file,
      })),
      ...postFolderFiles(config, errors),
    ],
    stylesheets: [],
    ownTemplates: () => undefined,
  };
}

/**
 * Files in a folder named like a post, beside it (posts/2024-05-14-night.md and
 * posts/2024-05-14-night/room.jpg), as jekyll-postfiles keeps them: copied into the post's own
 * output folder, so `![](room.jpg)` in the post shows it. Markdown in such a folder is a post of its own.
 */
function postFolderFiles(config: SiteConfig, errors: SiteError[]): CopySource[] {
  // Problems with the posts themselves are the post listing's to report; here only those of a post's folder's files.
  const problems: SiteError[] = [];
  const files = listFiles(config, config.root, config.postsDir, ['**'], problems, { ignore: config.drafts ? [] : ['_drafts/**'] });
  const posts = new Map(files.filter(isMarkdownFile).map((file) => [withoutMarkdownExtension(file), file]));
  const prefix = `${config.postsDir}/`;
  /** The post whose folder holds `file` (nearest first: posts/2024/2024-05-14-night/room.jpg too), and the rest of its path. */
  const postHolding = (file: string) => {
    const segments = file.split('/');
    for (let depth = segments.length - 1; depth >= 1; depth--) {
      const post = posts.get(segments.slice(0, depth).join('/'));
      if (post !== undefined) return { post, inside: segments.slice(depth).join('/') };
    }
    return undefined;
  };
  errors.push(...problems.filter((problem) => problem.file.startsWith(prefix) && !isMarkdownFile(problem.file) && postHolding(problem.file.slice(prefix.length))));
  return files.flatMap((file) => {
    const holder = isMarkdownFile(file) ? undefined : postHolding(file);
    return holder ? [{ source: prefix + file, from: path.join(config.root, config.postsDir, file), outPath: holder.inside, besidePost: prefix + holder.post }] : [];
  });
}

/** A post's URL path from its permalink (or the site's); a page's is its path under pages/ unless it sets one. */
function recapUrlPath(config: SiteConfig, post: Post): string {
  if (post.collection === 'pages' && !post.permalink) return `/${post.slug.split('/').map(encodeSegment).join('/')}/`;
  const values = {
    year: String(post.date.getUTCFullYear()),
    month: pad(post.date.getUTCMonth() + 1),
    day: pad(post.date.getUTCDate()),
    slug: encodeSegment(post.slug),
    title: encodeSegment(post.slug),
  };
  return expandPattern(post.permalink || config.permalink, values).result;
}

/** Bodies are Nunjucks with the site's templates, seeing `site` and `page`. */
export function nunjucksBodies(config: SiteConfig, templates: nunjucks.Environment): BodyEngine {
  return {
    render(file, split, page) {
      try {
        return templates.renderString(split.body, { site: siteTemplateData(config), page });
      } catch (error) {
        const where = templateErrorLocation(error, split.body);
        throw bodyTemplateError(file, split, { ...where, message: explainLimit(where.message) }, error, isOverLimit(error) || where.message.startsWith(INVALID_FORMAT));
      }
    },
  };
}

/** Editor leftovers are never sources. */
export const isEditorFile = (relative: string) => /~$|\.swp$|\.tmp$/.test(relative);

/** `hasFolder`: whether a site-relative folder exists (a post's own folder, beside it). */
export function classifyRecapChange(postsDir: string, relative: string, hasFolder?: (relative: string) => boolean): ChangeKind {
  const [top, ...rest] = relative.split('/');
  // A source folder appearing or vanishing can change which folders are used (posts/ or _posts/, templates/).
  if (rest.length === 0 && SOURCE_FOLDERS.includes(top)) return 'config';
  if (rest.some((segment) => segment.startsWith('.')) || isEditorFile(relative)) return 'ignore';
  // The site's translation tables are read with the config: a change to one loads it again.
  if (top === TRANSLATIONS_DIR) return 'config';
  if (top === postsDir && rest.length > 1 && !isMarkdownFile(relative)) return 'copy';
  // A post that comes or goes may take its own folder's files with it (see postFolderFiles).
  if (top === postsDir && isMarkdownFile(relative) && hasFolder?.(withoutMarkdownExtension(relative))) return 'post-or-copy';
  if (top === postsDir || top === PAGES_DIR) return isMarkdownFile(relative) ? 'post' : 'ignore';
  if (top === 'templates') return rest[0] === 'assets' ? 'copy' : 'template';
  if (top === 'static') return 'copy';
  return 'ignore';
}
