/**
 * Heading ids for recap's own sites, made as GitHub makes them (the rule github-slugger follows,
 * written here): the heading's text in lower case; every character dropped but letters, combining
 * marks, digits, connector punctuation (`_`), `-` and the space; each space a `-`. A repeated id
 * gets `-1`, `-2`…. So `## Talks` → `talks`, `## Київ, травень` → `київ-травень`, `## 🎉 Party` →
 * `-party`, as on GitHub. Composed (NFC), so a link typed on any keyboard finds it.
 *
 * Ids a page already has are never given again: the author's own (an id or an <a name> in raw
 * HTML, a heading that has one), the default theme's (THEME_IDS) and GFM's footnotes'. A heading
 * whose text leaves nothing (`## 🎉`) gets no id: an empty id is no HTML. Headings written as raw
 * HTML are left as written. A Jekyll site's headings get kramdown's ids instead (jekyll/header-ids.ts).
 */
import type { Nodes, Root } from 'mdast';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { plainText } from './text.js';

type ParentNode = DefaultTreeAdapterMap['parentNode'];

/** Ids the default theme's pages hold around a post's body (templates/base.njk: the skip link's target). */
export const THEME_IDS = ['main'];

/** The footnotes section GFM adds at the end of a body has this heading id; its notes have user-content-fn-…. */
const FOOTNOTE_IDS = ['footnote-label'];

/** Everything GitHub drops from a heading's text: all but letters (and other alphabetic characters), marks, digits, `_`, `-` and the space. */
const NOT_IN_ID = /[^\p{Alphabetic}\p{M}\p{Nd}\p{Nl}\p{Pc}\- ]/gu;

/** A heading text's id before it is made unique ("" when nothing is left). */
export function headingSlug(text: string): string {
  return text.toLowerCase().replace(NOT_IN_ID, '').replace(/ /g, '-').normalize('NFC');
}

/** Hands out ids in document order: one already taken gets the first free `-1`, `-2`… after it. */
export function uniqueIds(taken: Iterable<string>): (slug: string) => string {
  const uses = new Map<string, number>();
  for (const id of taken) uses.set(id, 0);
  return (slug) => {
    let id = slug;
    while (uses.has(id)) {
      const count = uses.get(slug)! + 1;
      uses.set(slug, count);
      id = `${slug}-${count}`;
    }
    uses.set(id, 0);
    return id;
  };
}

/** Raw HTML that may name an anchor: parsing costs far more than this test. */
const MAY_NAME_ANCHOR = /\b(?:id|name)\s*=/i;

/** The ids (and <a name>s) in a piece of raw HTML; a loop with a stack, since an author's HTML can nest deeper than the call stack. */
function anchorsIn(html: string, into: Set<string>): void {
  const stack: ParentNode[] = [parseFragment(html)];
  for (let parent = stack.pop(); parent; parent = stack.pop()) {
    for (const node of parent.childNodes) {
      if (!('tagName' in node)) continue;
      for (const { name, value } of node.attrs) {
        if (name === 'id' || (name === 'name' && node.tagName === 'a')) into.add(value);
      }
      stack.push(node.tagName === 'template' ? (node as DefaultTreeAdapterMap['template']).content : node);
    }
  }
}

/** Every id the body will hold besides the ones made here, and the theme's. */
function takenIds(tree: Root): Set<string> {
  const taken = new Set([...THEME_IDS, ...FOOTNOTE_IDS]);
  const visit = (node: Nodes): void => {
    if (node.type === 'html' && MAY_NAME_ANCHOR.test(node.value)) anchorsIn(node.value, taken);
    else if (node.type === 'heading' && typeof node.data?.hProperties?.id === 'string') taken.add(node.data.hProperties.id);
    else if (node.type === 'footnoteDefinition') taken.add(`user-content-fn-${node.identifier.toLowerCase()}`).add(`user-content-fnref-${node.identifier.toLowerCase()}`);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return taken;
}

/** The remark plugin: an id on every markdown heading that has none. */
export function remarkHeadingIds() {
  return (tree: Root) => {
    const next = uniqueIds(takenIds(tree));
    const visit = (node: Nodes): void => {
      if (node.type === 'heading' && node.data?.hProperties?.id === undefined) {
        const slug = headingSlug(plainText(node));
        if (slug !== '') node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id: next(slug) } };
      }
      if ('children' in node) for (const child of node.children) visit(child);
    };
    visit(tree);
  };
}
