import { FrontMatterError, OutputConflictError, OutputPathError, type SiteError } from './errors.js';
import { isBuilt } from './parse.js';
import type { SiteSources } from './read.js';
import type { CopiedFile, IndexPage, Origin, Page, PlannedPost, Post, SiteConfig, SitePlan, Tag } from './types.js';
import { encodeSegment, expandPattern, resolveUrlPath, shown, slugifyTag, withBase } from './urls.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** Newest first; posts on the same date by file name, descending. */
export function comparePosts(a: Post, b: Post): number {
  const byName = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
  return b.date.getTime() - a.date.getTime() || byName(basename(a.source), basename(b.source)) || byName(a.source, b.source);
}

const basename = (source: string) => source.slice(source.lastIndexOf('/') + 1);

function postUrlPath(config: SiteConfig, post: Post): string {
  const values = {
    year: String(post.date.getUTCFullYear()),
    month: pad(post.date.getUTCMonth() + 1),
    day: pad(post.date.getUTCDate()),
    slug: encodeSegment(post.slug),
    title: encodeSegment(post.slug),
  };
  return expandPattern(post.permalink || config.permalink, values).result;
}

const describe = (origin: Origin) => (origin.file ? `${origin.file} (${origin.what})` : origin.what);

class OutputPaths {
  private readonly claims = new Map<string, Origin>();
  constructor(private readonly errors: SiteError[]) {}

  private conflict(message: string, a: Origin, b: Origin): void {
    this.errors.push(new OutputConflictError(b.file || a.file, `${message}; change one of their URLs`));
  }

  claim(outPath: string, origin: Origin): void {
    const earlier = this.claims.get(outPath);
    if (earlier) {
      this.conflict(`the output file ${outPath} would be written twice: by ${describe(earlier)} and by ${describe(origin)}`, earlier, origin);
    } else {
      this.claims.set(outPath, origin);
    }
  }

  /** A file where another output needs a folder (`a.html` and `a.html/b/index.html`) cannot both exist. */
  checkFolders(): void {
    for (const [outPath, origin] of this.claims) {
      const segments = outPath.split('/');
      for (let i = 1; i < segments.length; i++) {
        const folder = segments.slice(0, i).join('/');
        const file = this.claims.get(folder);
        if (file) {
          this.conflict(`the output path ${folder} is a file for ${describe(file)} but a folder for ${describe(origin)}`, file, origin);
        }
      }
    }
  }
}

function planTags(config: SiteConfig, listed: PlannedPost[], errors: SiteError[]): Map<string, Tag> {
  const tags = new Map<string, Tag>();
  const firstUse = new Map<string, { name: string; post: Post }>();
  const spellings = new Map<string, Map<string, number>>();
  for (const planned of listed) {
    const seen = new Set<string>();
    for (const name of planned.post.tags) {
      const slug = slugifyTag(name);
      const line = planned.post.keyLines.tags;
      if (slug === '') {
        errors.push(new OutputPathError(planned.post.source, `tag "${name}" has no letters or digits to make a URL from; rename the tag`, { line }));
        continue;
      }
      const first = firstUse.get(slug);
      if (first && first.name.toLowerCase() !== name.toLowerCase()) {
        errors.push(
          new OutputConflictError(
            planned.post.source,
            `tags "${first.name}" (${first.post.source}) and "${name}" (${planned.post.source}) both have the URL slug "${slug}"; rename one of them`,
            { line },
          ),
        );
        continue;
      }
      if (!first) firstUse.set(slug, { name, post: planned.post });
      if (seen.has(slug)) continue;
      seen.add(slug);
      const counts = spellings.get(slug) ?? new Map<string, number>();
      spellings.set(slug, counts.set(name, (counts.get(name) ?? 0) + 1));
      let tag = tags.get(slug);
      if (!tag) {
        const resolved = resolveUrlPath(expandPattern(config.tagPermalink, { tag: slug }).result);
        if (typeof resolved === 'string') {
          errors.push(new OutputPathError(planned.post.source, `tag "${name}" gives an unusable URL: the tagPermalink ${resolved}`, { line }));
          continue;
        }
        tag = { name, slug, url: withBase(config.basePath, resolved.url), posts: [] };
        tags.set(slug, tag);
      }
      tag.posts.push(planned);
    }
  }
  // Tags differing only in case are one tag, shown as most posts spell it (ties: the newest post's spelling).
  for (const tag of tags.values()) {
    let best = 0;
    for (const [name, count] of spellings.get(tag.slug) ?? []) {
      if (count > best) [tag.name, best] = [name, count];
    }
  }
  return tags;
}

function planIndexPages(config: SiteConfig, listed: PlannedPost[]): IndexPage[] {
  const totalPages = Math.max(1, Math.ceil(listed.length / config.paginate));
  const urlOf = (n: number) => withBase(config.basePath, n === 1 ? '/' : `/page/${n}/`);
  const pages: IndexPage[] = [];
  for (let n = 1; n <= totalPages; n++) {
    pages.push({
      kind: 'index',
      outPath: n === 1 ? 'index.html' : `page/${n}/index.html`,
      url: urlOf(n),
      origin: { file: '', what: n === 1 ? 'the home page' : `index page ${n}` },
      posts: listed.slice((n - 1) * config.paginate, n * config.paginate),
      pageNumber: n,
      totalPages,
      previousUrl: n > 1 ? urlOf(n - 1) : '',
      nextUrl: n < totalPages ? urlOf(n + 1) : '',
    });
  }
  return pages;
}

/** Decides every output as data and checks that no two claim one path. */
export function planSite(config: SiteConfig, posts: Post[], sources: Pick<SiteSources, 'copies' | 'layouts'>, errors: SiteError[]): SitePlan {
  const built = posts.filter((post) => isBuilt(config, post.published, post.draft, post.date)).sort(comparePosts);

  const planned: PlannedPost[] = [];
  for (const post of built) {
    if (!sources.layouts.includes(post.layout)) {
      errors.push(new FrontMatterError(post.source, `unknown layout "${post.layout}"; the layouts are: ${sources.layouts.join(', ')}`, { line: post.keyLines.layout }));
      continue;
    }
    const urlPath = postUrlPath(config, post);
    const resolved = resolveUrlPath(urlPath);
    if (typeof resolved === 'string') {
      const key = post.permalink ? 'permalink' : 'the site permalink';
      errors.push(new OutputPathError(post.source, `${key} ${shown(urlPath)} ${resolved}`, { line: post.keyLines.permalink }));
      continue;
    }
    planned.push({ post, url: withBase(config.basePath, resolved.url), outPath: resolved.outPath });
  }

  // Posts with redirect_to are only a redirect: they are not listed anywhere.
  const listed = planned.filter((p) => !p.post.redirectTo);
  const tagsBySlug = planTags(config, listed, errors);
  const tags = [...tagsBySlug.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.slug.localeCompare(b.slug));

  // Generated listings first, so a conflict names the post that collides with them.
  const pages: Page[] = [...planIndexPages(config, listed)];
  pages.push({
    kind: 'tags',
    outPath: 'tags/index.html',
    url: withBase(config.basePath, '/tags/'),
    origin: { file: '', what: 'the tags index' },
    tags,
  });
  for (const tag of tags) {
    const resolved = resolveUrlPath(expandPattern(config.tagPermalink, { tag: tag.slug }).result) as { outPath: string };
    pages.push({ kind: 'tag', outPath: resolved.outPath, url: tag.url, origin: { file: tag.posts[0].post.source, what: `tag "${tag.name}"` }, tag });
  }

  const postTags = new Map(listed.map((entry) => [entry, [...new Set(entry.post.tags.map(slugifyTag))].flatMap((slug) => tagsBySlug.get(slug) ?? [])]));
  listed.forEach((entry, index) => {
    pages.push({
      kind: 'post',
      outPath: entry.outPath,
      url: entry.url,
      origin: { file: entry.post.source, what: entry.post.permalink ? 'its permalink' : 'the site permalink' },
      post: entry,
      next: listed[index - 1],
      previous: listed[index + 1],
    });
  });

  const redirects: { from: string; to: string }[] = [];
  for (const entry of planned) {
    const { post } = entry;
    // jekyll-redirect-from sends old URLs of a redirect_to post straight to its target.
    // A site-relative redirect_to is relative to the site, like every other path in front matter.
    const target = post.redirectTo ? (post.redirectTo.startsWith('/') ? withBase(config.basePath, post.redirectTo) : post.redirectTo) : entry.url;
    if (post.redirectTo) {
      pages.push({ kind: 'redirect', outPath: entry.outPath, url: entry.url, origin: { file: post.source, what: 'redirect_to' }, target });
      redirects.push({ from: entry.url, to: target });
    }
    for (const from of post.redirectFrom) {
      const resolved = resolveUrlPath(from);
      if (typeof resolved === 'string') {
        errors.push(new OutputPathError(post.source, `redirect_from ${shown(from)} ${resolved}`, { line: post.keyLines.redirect_from }));
        continue;
      }
      const url = withBase(config.basePath, resolved.url);
      pages.push({ kind: 'redirect', outPath: resolved.outPath, url, origin: { file: post.source, what: `redirect_from ${shown(from)}` }, target });
      // The old URL exactly as written, so hosts that read _redirects match it as the web links to it.
      redirects.push({ from: withBase(config.basePath, from.trim()), to: target });
    }
  }

  let copies: CopiedFile[] = sources.copies.map((c) => ({ outPath: c.outPath, from: c.from, origin: { file: c.source, what: 'copied as is' } }));
  if (redirects.length > 0) {
    // A site's own static/_redirects is kept, with the generated rules after it.
    const own = copies.find((c) => c.outPath === '_redirects');
    copies = copies.filter((c) => c !== own);
    pages.push({
      kind: 'redirectList',
      outPath: '_redirects',
      url: withBase(config.basePath, '/_redirects'),
      origin: { file: '', what: 'the redirect list' },
      redirects,
      prependFrom: own?.from ?? '',
    });
  }

  const claims = new OutputPaths(errors);
  for (const page of pages) claims.claim(page.outPath, page.origin);
  for (const copy of copies) claims.claim(copy.outPath, copy.origin);
  claims.checkFolders();

  return { pages, copies, posts: listed, tags, postTags };
}
