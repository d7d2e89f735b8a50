/**
 * Whether a Jekyll site is laid out by its own layouts (rendered with Liquid as Jekyll renders them,
 * see liquid-site.ts). A site with layouts of its own is, unless it names a `theme` or
 * `remote_theme` and a layout or include its built pages need (or the layouts those name in turn,
 * or the includes all of them use) is missing: that is the gem theme recap cannot install, so
 * recap's theme lays the site out, and one warning names what is missing and the pages that would
 * come out empty without it. A site without a theme is its own: a layout it lacks is left out of
 * the pages that name it (one warning, as Jekyll warns), and an include it lacks is an error only
 * where it runs, as in Jekyll (one in a branch that never runs is no error).
 */
import path from 'node:path';
import type { LayoutPlan } from '../pipeline/dialect.js';
import type { JekyllSettings, Post } from '../pipeline/types.js';
import { isMarkdownFile } from '../util/files.js';
import type { SiteTemplates } from './site-templates.js';

/** The layout a front matter's `layout` value names ("" for none: no key, null, or Jekyll's "none"), without its extension. */
export function layoutNameOf(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '';
  const name = String(value).trim();
  return name === 'none' || name === 'null' ? '' : name.replace(/\.[^./]*$/, '');
}

/** The layout a post or page names. */
const jekyllLayoutName = (post: Post) => layoutNameOf(post.data.layout);

/** `{% include name.html … %}` with a name as written (not one made by Liquid, `{% include {{ x }} %}`). */
const INCLUDE_TAG = /\{%-?\s*include\s+([^\s%{}'"]+)/g;

export function includesIn(text: string): string[] {
  return [...text.matchAll(INCLUDE_TAG)].map((match) => match[1]);
}

/** What a set of pages needs of the site's layouts and includes, and what of it is missing. */
interface Needs {
  missingLayouts: Set<string>;
  missingIncludes: Set<string>;
  /** Pages naming a layout that is missing, or one wrapped in a missing one. */
  pagesWithoutLayout: Post[];
}

function findNeeds(posts: Post[], own: SiteTemplates): Needs {
  const needs: Needs = { missingLayouts: new Set(), missingIncludes: new Set(), pagesWithoutLayout: [] };
  const checkedLayouts = new Map<string, boolean>();
  const checkedIncludes = new Set<string>();
  const includeAll = (text: string) => {
    for (const name of includesIn(text)) {
      if (checkedIncludes.has(name)) continue;
      checkedIncludes.add(name);
      const included = own.includes.get(name);
      if (included === undefined) needs.missingIncludes.add(name);
      else includeAll(included);
    }
  };
  // Whether a layout and every layout it is wrapped in are there; their includes are checked on the way.
  const layoutThere = (name: string, seen: Set<string>): boolean => {
    const known = checkedLayouts.get(name);
    if (known !== undefined) return known;
    const layout = own.layouts.get(name);
    if (!layout) {
      needs.missingLayouts.add(name);
      checkedLayouts.set(name, false);
      return false;
    }
    includeAll(layout.body);
    const parent = layoutNameOf(layout.data.layout);
    // Jekyll stops at a layout that wraps itself again; so does recap.
    const there = parent === '' || seen.has(parent) || layoutThere(parent, new Set([...seen, name]));
    checkedLayouts.set(name, there);
    return there;
  };
  for (const post of posts) {
    const name = jekyllLayoutName(post);
    if (name !== '' && !layoutThere(name, new Set())) needs.pagesWithoutLayout.push(post);
  }
  return needs;
}

/** The file names of a list, at most `count` of them, then how many more. */
function nameSome(names: string[], count = 20): string {
  return names.length <= count ? names.join(', ') : `${names.slice(0, count).join(', ')} and ${names.length - count} more`;
}

/** jekyll-paginate's template page: an index.html in the folder of paginate_path or one above it, the deepest. */
function paginatedPage(jekyll: JekyllSettings, paginatePath: string, posts: Post[]): string | undefined {
  const perPage = jekyll.values.paginate;
  if (typeof perPage !== 'number' || perPage <= 0 || !jekyll.plugins.includes('jekyll-paginate')) return undefined;
  const folder = path.posix.dirname(path.posix.normalize(`/${paginatePath}`).replace(/\/$/, ''));
  const candidates = posts
    .filter((post) => post.collection === 'pages' && path.posix.basename(post.source) === 'index.html')
    .filter((post) => {
      const dir = path.posix.dirname(`/${post.source}`);
      return folder === dir || folder.startsWith(dir === '/' ? '/' : `${dir}/`);
    });
  return candidates.sort((a, b) => b.source.length - a.source.length)[0]?.source;
}

/** Sources only the site's own layouts can show: pages that are no markdown, and the theme's home page index.md. */
const onlyOwnLayoutsShow = (post: Post) => post.collection === 'pages' && (!isMarkdownFile(post.source) || /^index\.[a-z]+$/i.test(post.source));

export function jekyllLayoutPlan(jekyll: JekyllSettings, posts: Post[], own: SiteTemplates | undefined): LayoutPlan {
  const templates = own ?? { layouts: new Map(), includes: new Map(), data: {} };
  const needs = findNeeds(posts, templates);
  const missing = [...[...needs.missingLayouts].map((name) => `_layouts/${name}`), ...[...needs.missingIncludes].map((name) => `_includes/${name}`)];
  const themed = [jekyll.values.theme, jekyll.values.remote_theme].some((value) => typeof value === 'string' && value.trim() !== '');
  if (templates.layouts.size > 0 && (missing.length === 0 || !themed)) {
    const without = needs.pagesWithoutLayout.map((post) => post.source);
    const missingLayouts = [...needs.missingLayouts].map((name) => `_layouts/${name}.html`);
    const source = paginatedPage(jekyll, typeof jekyll.values.paginate_path === 'string' ? jekyll.values.paginate_path : '/page:num', posts);
    const perPage = jekyll.values.paginate as number;
    return {
      by: 'site',
      templates,
      layoutOf: jekyllLayoutName,
      // jekyll-paginate's paths are paginate_path as written (its default: /page:num, no trailing slash).
      paginated: source === undefined ? undefined : { source, perPage, path: typeof jekyll.values.paginate_path === 'string' ? jekyll.values.paginate_path : '/page:num' },
      // jekyll-paginate leaves out posts with a true `hidden`.
      hidden: (post) => post.data.hidden !== undefined && post.data.hidden !== null && post.data.hidden !== false,
      warning:
        missingLayouts.length === 0
          ? undefined
          : `${nameSome(missingLayouts)} ${missingLayouts.length === 1 ? 'is' : 'are'} not in the site: ${nameSome(without)} ${without.length === 1 ? 'is' : 'are'} written without ${missingLayouts.length === 1 ? 'it' : 'them'}, as Jekyll writes them`,
    };
  }
  if (missing.length === 0) return { by: 'theme', leftOut: onlyOwnLayoutsShow };
  // In recap's theme a page shows its own body: those with none came wholly from the missing layout.
  const empty = needs.pagesWithoutLayout.filter((post) => !onlyOwnLayoutsShow(post) && post.html.trim() === '' && !post.pendingBody).map((post) => post.source);
  const warning =
    `the site's own layouts are not used: ${nameSome(missing)} ${missing.length === 1 ? 'is' : 'are'} not in the site (a gem or remote_theme theme recap cannot install); recap's theme lays out its pages instead` +
    (empty.length > 0 ? `, and these pages, whose content came from those layouts, are written empty: ${nameSome(empty)}` : '') +
    '. Copy the theme\'s _layouts/ and _includes/ into the site to use them';
  return { by: 'theme', leftOut: onlyOwnLayoutsShow, warning };
}
