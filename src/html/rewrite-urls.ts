/**
 * URLs in an author's raw HTML, found with a real HTML parser (parse5) rather than patterns, so
 * unquoted values and spaces around "=" are found, and text that only looks like an attribute
 * (a code sample, prose about `src="…"`) never is. Only the rewritten attributes change: every
 * other byte, partial blocks like a lone `<div class="wrapper">` included, stays as written.
 */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { escapeHtml } from '../util/escape.js';
import { trimEndOf } from '../util/text.js';

type ParentNode = DefaultTreeAdapterMap['parentNode'];
type Element = DefaultTreeAdapterMap['element'];

/** Attributes whose value is one URL (srcset, a list of them, is handled apart). */
const URL_ATTRIBUTES = new Set(['href', 'src', 'poster', 'action', 'formaction', 'cite', 'data']);

/** Parsing costs far more than this test: HTML without any URL attribute is returned at once. */
const MAY_HAVE_URL = /(?:href|src|srcset|poster|action|formaction|cite|data)\s*=/i;

/** New text for source ranges, by start offset. */
type Splices = Map<number, { end: number; text: string }>;

/**
 * `html` with the value of every URL attribute (href, src, srcset, poster, action, formaction,
 * cite, data) replaced by `map(value)`. `map` gets the value as the browser reads it (entities
 * decoded, surrounding whitespace removed) and returns it unchanged to leave the attribute alone.
 */
export function rewriteUrlAttributes(html: string, map: (url: string) => string): string {
  if (!MAY_HAVE_URL.test(html)) return html;
  // Without scripting, <noscript> content is markup too, so its fallback images are found.
  const fragment = parseFragment(html, { sourceCodeLocationInfo: true, scriptingEnabled: false });
  const splices: Splices = new Map();
  collect(fragment, html, map, splices);
  if (splices.size === 0) return html;
  let result = '';
  let at = 0;
  for (const start of [...splices.keys()].sort((a, b) => a - b)) {
    const splice = splices.get(start)!;
    result += html.slice(at, start) + splice.text;
    at = splice.end;
  }
  return result + html.slice(at);
}

/** Every element, in document order; a loop with a stack, since an author's HTML can nest deeper than the call stack. */
function collect(root: ParentNode, html: string, map: (url: string) => string, splices: Splices): void {
  const stack: ParentNode[] = [root];
  for (let parent = stack.pop(); parent; parent = stack.pop()) {
    for (let i = parent.childNodes.length - 1; i >= 0; i--) {
      const node = parent.childNodes[i];
      if (!('tagName' in node)) continue;
      spliceAttributes(node, html, map, splices);
      stack.push(node.tagName === 'template' ? (node as DefaultTreeAdapterMap['template']).content : node);
    }
  }
}

function spliceAttributes(element: Element, html: string, map: (url: string) => string, splices: Splices): void {
  const locations = element.sourceCodeLocation?.attrs;
  if (!locations) return;
  for (const attribute of element.attrs) {
    const isList = attribute.name === 'srcset';
    if (!isList && !URL_ATTRIBUTES.has(attribute.name)) continue;
    const written = attribute.prefix ? `${attribute.prefix}:${attribute.name}` : attribute.name;
    const location = locations[written];
    // Elements the parser re-opens (`<p><a href=/x>1<p>2</a>` has two a's) share their source: spliced once.
    if (!location || splices.has(location.startOffset)) continue;
    const value = isList ? attribute.value : attribute.value.trim();
    const mapped = isList ? mapSrcset(value, map) : map(value);
    if (mapped === value) continue;
    // The name as the author wrote it (HREF stays HREF); the value re-quoted and escaped.
    const name = html.slice(location.startOffset, location.startOffset + written.length);
    splices.set(location.startOffset, { end: location.endOffset, text: `${name}="${escapeHtml(mapped)}"` });
  }
}

/**
 * A srcset list ("a.png 1x, b.png 2x") with each candidate's URL mapped and the rest, descriptors
 * and spacing, kept. As in the HTML spec a URL runs to the next whitespace; commas ending it
 * separate candidates, while commas inside it (`/w_100,h_50/a.png`) belong to it.
 */
export function mapSrcset(list: string, map: (url: string) => string): string {
  const token = /([\s,]*)(\S*)/y;
  let result = '';
  let at = 0;
  while (at < list.length) {
    token.lastIndex = at;
    const [whole, separator, candidate] = token.exec(list)!;
    const url = trimEndOf(candidate, ',');
    result += separator + (url === '' ? candidate : map(url) + candidate.slice(url.length));
    at += whole.length;
    if (url === '' || url.length < candidate.length) continue;
    const comma = list.indexOf(',', at);
    const end = comma === -1 ? list.length : comma;
    result += list.slice(at, end);
    at = end;
  }
  return result;
}
