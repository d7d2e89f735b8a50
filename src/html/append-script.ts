/**
 * A `<script src>` added at the end of a page's body, where a real HTML parser (parse5) finds the
 * body's end: a `</body>` inside a comment, a script's string or a <template> is not it. Only the
 * tag is added; every byte of the page stays as it was, whatever its encoding.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { escapeHtml } from '../util/escape.js';

type ParentNode = DefaultTreeAdapterMap['parentNode'];
type Element = DefaultTreeAdapterMap['element'];

/**
 * `page` with `<script src="…" data-…>` before its `</body>`, or at its end when it has none (the
 * parser then puts the element in the body all the same). When the page's own scripts carry a
 * nonce (a Content-Security-Policy that allows scripts by nonce), the added one carries it too.
 */
export function appendScript(page: Buffer, src: string, marker: string): Buffer {
  // As latin1 each byte is one character, so the parser's offsets are byte offsets; markup is
  // ASCII, so the tree is the one a browser builds from the page's real encoding.
  const document = parse(page.toString('latin1'), { sourceCodeLocationInfo: true });
  const body = elementChild(elementChild(document, 'html'), 'body');
  const at = body?.sourceCodeLocation?.endTag?.startOffset ?? page.length;
  const nonce = firstNonce(document);
  const tag = `<script src="${escapeHtml(src)}" ${marker}${nonce === undefined ? '' : ` nonce="${escapeHtml(nonce)}"`}></script>`;
  return Buffer.concat([page.subarray(0, at), Buffer.from(tag, 'latin1'), page.subarray(at)]);
}

function elementChild(parent: ParentNode | undefined, tagName: string): Element | undefined {
  return parent?.childNodes.find((node): node is Element => 'tagName' in node && node.tagName === tagName);
}

/** The nonce of a <script nonce> in the page (a static page gives them all one); a loop with a stack, since a page can nest deeper than the call stack. */
function firstNonce(root: ParentNode): string | undefined {
  const stack: ParentNode[] = [root];
  for (let parent = stack.pop(); parent; parent = stack.pop()) {
    for (let i = parent.childNodes.length - 1; i >= 0; i--) {
      const node = parent.childNodes[i];
      if (!('tagName' in node)) continue;
      const nonce = node.tagName === 'script' ? node.attrs.find((attribute) => attribute.name === 'nonce')?.value : undefined;
      if (nonce) return nonce;
      stack.push(node.tagName === 'template' ? (node as DefaultTreeAdapterMap['template']).content : node);
    }
  }
  return undefined;
}
