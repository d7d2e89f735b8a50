/**
 * Site-root links in a body (`/images/x.jpg`, `/2019/03/06/slug/`) get the site's base path, so a
 * site moves into a subfolder without editing posts. Done on the markdown tree, where a link is a
 * link and a code sample is text, and on raw HTML with a parser (see html/rewrite-urls.ts).
 */
import type { Nodes, Root } from 'mdast';
import { rewriteUrlAttributes } from '../html/rewrite-urls.js';
import { pathReferenceMarker, REFERENCE_MARKER, REFERENCE_PREFIX } from '../jekyll/references.js';
import { addBasePath } from '../util/urls.js';

/**
 * `url` with the base path, when it is a site-root URL (`/x`, not `//host/x`) that does not
 * already start with it. A Jekyll reference marker stands for a site-root path that planning
 * fills in without the base path: `{% post_url a %}` gets it here, `{{ site.baseurl }}{% post_url a %}`
 * already has it.
 */
export function withBasePath(url: string, basePath: string): string {
  if (!url.includes(REFERENCE_PREFIX)) return addBasePath(url, basePath);
  const probe = url.replace(REFERENCE_MARKER, '/x');
  // In a URL the marker stands for the path alone: the base path is added before it here, when it is not there already.
  const path = url.replace(REFERENCE_MARKER, (_m, index: string) => pathReferenceMarker(Number(index)));
  // A marker at the start is filled in with a path starting with "/": the same join serves both.
  return addBasePath(probe, basePath) === probe ? path : basePath.slice(0, -1) + path;
}

/**
 * Whether raw HTML can hold a value the base path changes: one starting with "/" (after a quote,
 * "=" or a space), an entity (that may spell "/"), a marker, or any srcset. Most embeds link
 * elsewhere (`<iframe src="https://…">`): they are not parsed at all.
 */
const MAY_NEED_BASE = new RegExp(`[\\s"'=](?:/|&|${REFERENCE_PREFIX})|srcset`, 'i');

/** The remark plugin: links, images and definitions in the tree, and URL attributes in raw HTML. */
export function remarkBasePath(basePath: string) {
  const map = (url: string) => withBasePath(url, basePath);
  const visit = (node: Nodes): void => {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition') node.url = map(node.url);
    else if (node.type === 'html' && MAY_NEED_BASE.test(node.value)) node.value = rewriteUrlAttributes(node.value, map);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  return (tree: Root) => {
    if (basePath !== '/') visit(tree);
  };
}
