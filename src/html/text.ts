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

/** Text in document order; a loop with a stack (of nodes and block-ending spaces), since raw HTML can nest deeper than the call stack. */
function textOf(root: ParentNode): string {
  let text = '';
  const stack: (DefaultTreeAdapterMap['childNode'] | ' ')[] = [...root.childNodes].reverse();
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item === ' ') text += ' ';
    else if (item.nodeName === '#text') text += (item as DefaultTreeAdapterMap['textNode']).value;
    else if (!('tagName' in item) || HIDDEN.has(item.tagName)) continue;
    else {
      const block = BLOCKS.has(item.tagName);
      if (block) text += ' ';
      if (block) stack.push(' ');
      for (let i = item.childNodes.length - 1; i >= 0; i--) stack.push(item.childNodes[i]);
    }
  }
  return text;
}
