/** The text a reader sees in a piece of raw HTML: tags left out, their inner text kept. */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';

type ParentNode = DefaultTreeAdapterMap['parentNode'];

/** Content that is never shown as text. */
const HIDDEN = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math']);

/** Elements that end a line or a box: their text is not run together with the next one's. */
const BLOCKS = new Set(['address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'td', 'th', 'tr', 'ul']);

/**
 * `Hello <b>world</b>` → "Hello world", with entities decoded (`&lt;` → "<"): plain text, which
 * templates escape once. Whitespace is left as it comes; callers collapse it.
 */
export function htmlText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  return textOf(parseFragment(html));
}

function textOf(parent: ParentNode): string {
  let text = '';
  for (const node of parent.childNodes) {
    if (node.nodeName === '#text') text += (node as DefaultTreeAdapterMap['textNode']).value;
    else if (!('tagName' in node) || HIDDEN.has(node.tagName)) continue;
    else if (BLOCKS.has(node.tagName)) text += ` ${textOf(node)} `;
    else text += textOf(node);
  }
  return text;
}
