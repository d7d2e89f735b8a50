/**
 * Jekyll's post_url and link, as markers in a rendered body that planning resolves. Kept apart
 * from liquid.ts so that recap's own sites never load the Liquid engine.
 */

/** A `{% post_url %}` or `{% link %}` in a body: resolved to a URL once every post has one (see plan). */
export interface Reference {
  kind: 'post_url' | 'link';
  target: string;
  line: number;
}

/** Stands in the rendered body for a reference's URL until planning knows it. URL-safe, so markdown keeps it as written. */
export const referenceMarker = (index: number) => `recap-reference:${index}:`;
export const REFERENCE_MARKER = /recap-reference:(\d+):/g;
/**
 * A marker inside a link's URL, where the base path was added before it when its markdown was
 * rendered (markdown/links.ts): it stands for the URL without the base path. Any other marker (in
 * text, as Jekyll 4 prints `{% post_url %}`) stands for the URL with it.
 */
export const pathReferenceMarker = (index: number) => `recap-reference-path:${index}:`;
export const PATH_REFERENCE_MARKER = /recap-reference-path:(\d+):/g;
/** What every marker starts with: a cheap test before REFERENCE_MARKER is run. */
export const REFERENCE_PREFIX = 'recap-reference:';

/** The render variable holding the body's list of references. */
export const REFERENCES_KEY = '__recapReferences';

/** "tag "x" not found, line:2, col:1" → its line and column. */
export function liquidErrorLocation(error: unknown): { message: string; line?: number; column?: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const match = /,\s*line:(\d+),\s*col:(\d+)/.exec(raw);
  const message = raw.replace(/,\s*line:\d+,\s*col:\d+.*$/s, '');
  return { message: missingIncludeMessage(message) ?? message, line: match ? Number(match[1]) : undefined, column: match ? Number(match[2]) : undefined };
}

/** liquidjs's message for an include that is not there (it names the folder by its absolute path), as Jekyll says it. */
function missingIncludeMessage(message: string): string | undefined {
  const found = /^ENOENT: Failed to lookup "([^"]*)" in "([^"]*)"/.exec(message);
  if (!found) return undefined;
  const folder = found[2].split(/[\\/]/).pop() ?? '_includes';
  return `${INCLUDE_NOT_FOUND} "${found[1]}" in ${folder}/; add it there, or correct the name`;
}

/** How an error about an include that is not there starts. */
export const INCLUDE_NOT_FOUND = 'could not locate the included file';

/** A post or page and its URL (with the base path), as planning gave it. */
export interface ReferenceTarget {
  source: string;
  collection: 'posts' | 'pages';
  url: string;
}

/**
 * Looks up what `{% post_url %}` and `{% link %}` name: a post by its file name under _posts/
 * (with or without its folders and extension), a post or page by its path in the site.
 * Returns the URL with the base path, or undefined when there is no such post or page.
 */
export function referenceIndex(targets: ReferenceTarget[]): (reference: Pick<Reference, 'kind' | 'target'>) => string | undefined {
  const byPostName = new Map<string, string>();
  const bySource = new Map<string, string>();
  const withoutExtension = (file: string) => file.replace(/\.(md|markdown|mkdown|mkdn|mkd|html)$/i, '');
  for (const { source, collection, url } of targets) {
    bySource.set(source, url);
    if (collection === 'posts') {
      const withinPosts = withoutExtension(source.replace(/^[^/]+\//, ''));
      byPostName.set(withinPosts, url);
      byPostName.set(withinPosts.slice(withinPosts.lastIndexOf('/') + 1), url);
    }
  }
  return (reference) => {
    const target = referenceTarget(reference);
    return reference.kind === 'post_url' ? byPostName.get(withoutExtension(target)) : bySource.get(target.replace(/^\//, ''));
  };
}

/** The target as written, quotes taken off. */
export const referenceTarget = (reference: Pick<Reference, 'target'>) => reference.target.replace(/^["']|["']$/g, '');

/** What an unresolved reference says. */
export function unresolvedReference(reference: Pick<Reference, 'kind' | 'target'>): string {
  const target = referenceTarget(reference);
  const what = reference.kind === 'post_url' ? `no post named "${target}"` : `no post or page at "${target}"`;
  return `{% ${reference.kind} ${target} %}: there is ${what}`;
}
