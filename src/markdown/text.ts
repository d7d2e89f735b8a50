/** Plain text of markdown trees, for excerpts: what a reader sees, not the markup around it. */
import type { Nodes, Paragraph, Root } from 'mdast';
import { htmlText } from '../html/text.js';
import { trimEndOf } from '../util/text.js';

/** Nodes whose children run on in one line; the children of any other node are separate blocks. */
const PHRASING_PARENTS = new Set(['paragraph', 'heading', 'tableCell', 'emphasis', 'strong', 'delete', 'link', 'linkReference']);

/**
 * A node's text: raw HTML tags left out but their inner text kept (`Hello <b>world</b>` →
 * "Hello world"), images left out, blocks apart. Entities are decoded once, by the parsers.
 */
export function plainText(node: Nodes): string {
  switch (node.type) {
    case 'html':
      return htmlText(node.value);
    case 'break':
      return ' ';
    case 'text':
    case 'inlineCode':
    case 'code':
      return node.value;
  }
  if (!('children' in node)) return '';
  const parts = (node.children as Nodes[]).map(plainText);
  return parts.join(PHRASING_PARENTS.has(node.type) ? '' : ' ');
}

export const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The first paragraph with any text, as plain text, or "". */
export function firstParagraphText(tree: Root): string {
  for (const node of tree.children) {
    // A captioned photo is a figure (see figures.ts): its caption is not the post's first words.
    if (node.type !== 'paragraph' || node.data?.hName === 'figure') continue;
    const text = collapse(plainText(node as Paragraph));
    if (text !== '') return text;
  }
  return '';
}

/** Cuts text to at most `limit` characters at a word boundary, marking the cut with "…". */
export function cutAtWord(text: string, limit = 200): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return trimEndOf(space > limit / 2 ? cut.slice(0, space) : cut, /[\s,;:.–—-]/) + '…';
}
