/**
 * A small link to itself after each heading with an id in a rendered body, the default theme's
 * `headingAnchors` filter: a reader copies it to point others at one talk of a recap.
 *
 *   <div class="anchored-heading"><h2 id="talks">Talks</h2><a class="heading-anchor" href="#talks" aria-label="Link to this section: Talks">#</a></div>
 *
 * The link follows the heading rather than sitting inside it, as GitHub's does: a screen reader's
 * list of headings reads "Talks", not "Talks link to this section", and its list of links tells
 * each one apart by the heading it names. The wrapper lets the theme's CSS put the `#` in the margin
 * beside the heading and show it while the heading is hovered or the link has keyboard focus.
 *
 * Found with a real parser (parse5); only the wrapper and the link are added, every other byte stays.
 * Headings where a link cannot go (inside a link, a button, a <summary> or an <hgroup>) are left as they are.
 */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { escapeHtml } from '../util/escape.js';
import { htmlText } from './text.js';

type ParentNode = DefaultTreeAdapterMap['parentNode'];
type Element = DefaultTreeAdapterMap['element'];

const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Elements a link (or a <div>) cannot go inside: interactive ones, and those that hold only headings and phrasing. */
const NO_LINK_INSIDE = new Set(['a', 'button', 'label', 'summary', 'hgroup', 'dt', 'select', 'option', ...HEADINGS]);

/** What the link is called for screen readers; `{heading}` is the heading's text. */
export const DEFAULT_ANCHOR_LABEL = 'Link to this section: {heading}';

/**
 * Parsing costs far more than these tests: a body with no heading or no id is returned at once. Two
 * tests, each linear: one pattern from a heading's `<h2` to its id would rescan the rest of the
 * text from every `<h2` that has no `>` (a raw HTML block may).
 */
const HEADING_START = /<h[1-6]/i;
const ID_ATTRIBUTE = /\sid\s*=/i;

/** `html` (a rendered body) with each heading that has an id wrapped and followed by its link; `label` names the link. */
export function headingAnchors(html: string, label = DEFAULT_ANCHOR_LABEL): string {
  if (!HEADING_START.test(html) || !ID_ATTRIBUTE.test(html)) return html;
  const fragment = parseFragment(html, { sourceCodeLocationInfo: true });
  const inserts: { at: number; text: string }[] = [];
  for (const heading of anchorableHeadings(fragment)) {
    const location = heading.sourceCodeLocation!;
    const id = heading.attrs.find((attribute) => attribute.name === 'id')!.value;
    const text = htmlText(html.slice(location.startTag!.endOffset, location.endTag!.startOffset)).replace(/\s+/g, ' ').trim();
    const name = labelFor(label, text);
    inserts.push({ at: location.startOffset, text: '<div class="anchored-heading">' });
    inserts.push({ at: location.endOffset, text: `<a class="heading-anchor" href="#${escapeHtml(id)}" aria-label="${escapeHtml(name)}">#</a></div>` });
  }
  if (inserts.length === 0) return html;
  inserts.sort((a, b) => a.at - b.at);
  let result = '';
  let at = 0;
  for (const insert of inserts) {
    result += html.slice(at, insert.at) + insert.text;
    at = insert.at;
  }
  return result + html.slice(at);
}

/**
 * The link's name: `label` with its `{heading}` the heading's text, put in as it is (a heading
 * "Price: $& more" is no replacement pattern). Only the first: a label repeating `{heading}` would
 * write a long heading that many times into every link. With no text, `{heading}` and the colon
 * before it (":", or the full-width "：" of Chinese) are left out: "Link to this section".
 */
function labelFor(label: string, text: string): string {
  return text === '' ? label.replace(/\s*[:：]?\s*\{heading\}/, '').trim() : label.replace('{heading}', () => text);
}

const isElement = (node: DefaultTreeAdapterMap['childNode']): node is Element => 'tagName' in node;

/**
 * HTML headings with a non-empty id, written with both tags, outside any element a link cannot go
 * into and not wrapped already, each once (an element the parser re-opens shares its source).
 * A loop with a stack, since an author's HTML can nest deeper than the call stack.
 */
function anchorableHeadings(root: ParentNode): Element[] {
  const found = new Map<number, Element>();
  const stack: ParentNode[] = [root];
  for (let parent = stack.pop(); parent; parent = stack.pop()) {
    for (const node of parent.childNodes) {
      if (!isElement(node) || node.namespaceURI !== HTML_NAMESPACE) continue;
      const location = node.sourceCodeLocation;
      if (HEADINGS.has(node.tagName) && location?.startTag && location.endTag && !found.has(location.startOffset) && !isWrapper(parent)) {
        if (node.attrs.some((attribute) => attribute.name === 'id' && attribute.value !== '')) found.set(location.startOffset, node);
      }
      // Template contents are no part of the page until a script puts them there.
      if (!NO_LINK_INSIDE.has(node.tagName) && node.tagName !== 'template') stack.push(node);
    }
  }
  return [...found.values()];
}

/** Whether an element is the wrapper this adds (a heading in one was given its link already: the filter applied twice). */
const isWrapper = (parent: ParentNode) =>
  'tagName' in parent && parent.tagName === 'div' && parent.attrs.some((attribute) => attribute.name === 'class' && attribute.value.split(/\s+/).includes('anchored-heading'));
