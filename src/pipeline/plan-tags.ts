/** Tags as planned: one per URL slug, spelled as most posts spell it; slugs that collide are errors naming both tags. */
import { OutputConflictError, OutputPathError, type SiteError } from './errors.js';
import type { PlannedPost, Post, SiteConfig, Tag } from './types.js';
import { expandPattern, resolveUrlPath, withBase } from '../util/urls.js';

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
        errors.push(new OutputPathError(post.source, `tag "${name}" has no letters or digits to make a URL from; rename the tag`, { line }));
        continue;
      }
      const first = firstUse.get(slug);
      if (first && first.name !== name && first.name.toLowerCase() !== name.toLowerCase()) {
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
        const resolved = resolveUrlPath(expandPattern(config.tagPermalink, { tag: slug }).result);
        if (typeof resolved === 'string') {
          errors.push(new OutputPathError(post.source, `tag "${name}" gives an unusable URL: the tagPermalink ${resolved}`, { line }));
          continue;
        }
        const feedOutPath = resolved.outPath.endsWith('/index.html')
          ? resolved.outPath.slice(0, -'index.html'.length) + 'feed.xml'
          : resolved.outPath.replace(/\.[^./]+$/, '') + '.xml';
        tag = {
          name,
          slug,
          url: withBase(config.basePath, resolved.url),
          outPath: resolved.outPath,
          feedUrl: withBase(config.basePath, '/' + feedOutPath),
          feedOutPath,
          posts: [],
        };
        tags.set(slug, tag);
      }
      tag.posts.push(entry);
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
