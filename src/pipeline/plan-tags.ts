/** Tags as planned: one per URL slug, spelled as most posts spell it; slugs that collide are errors naming both tags. */
import { OutputConflictError, OutputPathError, type SiteError } from './errors.js';
import type { PlannedPost, Post, SiteConfig, Tag } from './types.js';
import { expandPattern, MAX_NAME_BYTES, resolveUrlPath, shown, withBase } from '../util/urls.js';

const noSlug = (name: string) => `tag "${name}" has no letters or digits to make a URL from; rename the tag`;

/** A tag's pages and feed by its slug, or why its URL cannot be used. */
function newTag(config: SiteConfig, name: string, slug: string): Tag | string {
  if (slug === '') return noSlug(name);
  const urlPath = expandPattern(config.tagPermalink, { tag: slug }).result;
  // A slug is a-z, 0-9 and "-": one byte a character. (Its later pages too, at tagPaginatePath, numbered up to 6 digits.)
  const laterPage = expandPattern(config.tagPaginatePath, { tag: slug, num: '999999' }).result;
  const longest = Math.max(...[...urlPath.split('/'), ...laterPage.split('/')].map((segment) => segment.length));
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
    feedUrl: withBase(config.basePath, '/' + feedOutPath),
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
const sameTagName = (a: string, b: string) => a === b || a.toLowerCase().normalize('NFC') === b.toLowerCase().normalize('NFC');

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
            `tags "${first.name}" (${first.post.source}) and "${name}" (${post.source}) both have the URL slug "${slug}"; rename one of them`,
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
