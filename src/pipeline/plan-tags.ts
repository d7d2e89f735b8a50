/** Tags as planned: one per URL slug, spelled as most posts spell it; slugs that collide are errors naming both tags. */
import { OutputConflictError, OutputPathError, type SiteError } from './errors.js';
import type { PlannedPost, Post, SiteConfig, Tag } from './types.js';
import { encodeSegment, expandPattern, MAX_NAME_BYTES, resolveUrlPath, shown, withBase } from '../util/urls.js';
import { foldTagName, type TagSlugs } from '../util/slugs.js';

/** The entry under tagSlugs: that gives a tag its own slug, for messages that suggest one. */
const tagSlugsHint = (name: string) => `add ${shown(name)}: <slug> under tagSlugs: in recap.config.yml`;

const noSlug = (name: string) => `tag ${shown(name)} has no letters or digits to make a URL from; ${tagSlugsHint(name)}, or rename the tag`;

/** A tag's first page URL path (before the base path) from a pattern: its slug percent-encoded, as every link spells it. */
export const tagUrlPath = (pattern: string, slug: string, num = '') => expandPattern(pattern, { tag: encodeSegment(slug), num }).result;

/** The bytes of a URL path segment's file or folder name (decoded: a slug in any script is one to four bytes a character). */
export function nameBytes(segment: string): number {
  try {
    return Buffer.byteLength(decodeURIComponent(segment), 'utf8');
  } catch {
    return Buffer.byteLength(segment, 'utf8');
  }
}

/** A tag's pages and feed by its slug, or why its URL cannot be used. */
function newTag(config: SiteConfig, name: string, slug: string): Tag | string {
  if (slug === '') return noSlug(name);
  const urlPath = tagUrlPath(config.tagPermalink, slug);
  // Its later pages too, at tagPaginatePath, numbered up to 6 digits.
  const laterPage = tagUrlPath(config.tagPaginatePath, slug, '999999');
  const longest = Math.max(...[...urlPath.split('/'), ...laterPage.split('/')].map(nameBytes));
  if (longest > MAX_NAME_BYTES) {
    return `tag ${shown(name)} is too long for a URL: its page's folder name would be ${longest} bytes, and file systems allow ${MAX_NAME_BYTES}; shorten the tag`;
  }
  const resolved = resolveUrlPath(urlPath);
  if (typeof resolved === 'string') return `tag ${shown(name)} gives an unusable URL: it ${resolved}`;
  const feedOutPath = resolved.outPath.endsWith('/index.html') ? resolved.outPath.slice(0, -'index.html'.length) + 'feed.xml' : resolved.outPath.replace(/\.[^./]+$/, '') + '.xml';
  return {
    name,
    slug,
    url: withBase(config.basePath, resolved.url),
    // From the URL, not the file: a slug in any script stays percent-encoded in links.
    feedUrl: withBase(config.basePath, resolved.url.endsWith('/') ? `${resolved.url}feed.xml` : `${resolved.url.replace(/\.[^./]+$/, '')}.xml`),
    feedOutPath,
    posts: [],
  };
}

/** Why each of a post's tags cannot have a URL (for a post with other errors, whose tags are checked alone: it is in no listing). */
export function tagProblems(config: SiteConfig, post: Post, tagSlugs: string[]): SiteError[] {
  const problems: SiteError[] = [];
  const seen = new Set<string>();
  post.tags.forEach((name, index) => {
    if (seen.has(tagSlugs[index])) return;
    seen.add(tagSlugs[index]);
    const made = newTag(config, name, tagSlugs[index]);
    if (typeof made === 'string') problems.push(new OutputPathError(post.source, made, { line: post.keyLines.tags }));
  });
  return problems;
}

/** Tags spelled differently only in case or in Unicode normalization (é as one character or two) are one tag. */
const sameTagName = (a: string, b: string) => a === b || foldTagName(a) === foldTagName(b);

export function planTags(config: SiteConfig, listed: { entry: PlannedPost; paths: { tagSlugs: string[] } }[], errors: SiteError[]): Map<string, Tag> {
  const tags = new Map<string, Tag>();
  const firstUse = new Map<string, { name: string; post: Post }>();
  const spellings = new Map<string, Map<string, number>>();
  for (const { entry, paths } of listed) {
    const { post } = entry;
    const seen = new Set<string>();
    for (let index = 0; index < post.tags.length; index++) {
      const name = post.tags[index];
      const slug = paths.tagSlugs[index];
      const line = post.keyLines.tags;
      if (slug === '') {
        errors.push(new OutputPathError(post.source, noSlug(name), { line }));
        continue;
      }
      const first = firstUse.get(slug);
      if (first && !sameTagName(first.name, name)) {
        errors.push(
          new OutputConflictError(
            post.source,
            `tags ${shown(first.name)} (${first.post.source}) and ${shown(name)} (${post.source}) both have the URL slug ${shown(slug)}; give one its own slug (${tagSlugsHint(name)}), or rename one of them`,
            { line },
          ),
        );
        continue;
      }
      if (!first) firstUse.set(slug, { name, post });
      if (seen.has(slug)) continue;
      seen.add(slug);
      let counts = spellings.get(slug);
      if (!counts) spellings.set(slug, (counts = new Map()));
      counts.set(name, (counts.get(name) ?? 0) + 1);
      let tag = tags.get(slug);
      if (!tag) {
        const made = newTag(config, name, slug);
        if (typeof made === 'string') {
          errors.push(new OutputPathError(post.source, made, { line }));
          continue;
        }
        tag = made;
        tags.set(slug, tag);
      }
      tag.posts.push(entry);
    }
  }
  // Tags differing only in case (or normalization) are one tag, shown as most posts spell it (ties: the newest post's spelling).
  for (const tag of tags.values()) {
    let best = 0;
    for (const [name, count] of spellings.get(tag.slug) ?? []) {
      if (count > best) [tag.name, best] = [name, count];
    }
  }
  return tags;
}

/**
 * A warning for each tagSlugs: entry whose tag no post has (drafts and future posts count: the
 * entry is for them): most likely a misspelling, which leaves the tag it meant with recap's slug.
 */
export function unusedTagSlugWarnings(tagSlugs: TagSlugs, posts: Post[]): string[] {
  const entries = Object.entries(tagSlugs);
  if (entries.length === 0) return [];
  const used = new Set(posts.flatMap((post) => post.tags.map(foldTagName)));
  return entries
    .filter(([key]) => !used.has(key))
    .map(([, entry]) => `recap.config.yml${entry.line === undefined ? '' : `:${entry.line}`}: "tagSlugs" names the tag ${shown(entry.tag)}, which no post has; check its spelling against the posts' tags`);
}
