/**
 * kramdown habits of Jekyll posts that CommonMark reads differently, as small steps around remark:
 * `markdown="1"` on HTML blocks and URLs with spaces (fixed in the source before parsing), and
 * inline attribute lists, header ids, typography and `{:toc}` (a remark plugin on the tree).
 */
import type { Element as HastElement } from 'hast';
import type { Code, Heading, List, ListItem, Node, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { assignHeaderIds, takeExplicitId, type HeaderEntry } from './header-ids.js';
import { JEKYLL_KRAMDOWN, type KramdownOptions } from './kramdown-options.js';
import { kramdownTypography } from './typography.js';

export { kramdownId } from './header-ids.js';

/** The opening tag of an HTML block at the start of a line, and its name. */
const OPENING_TAG = /^<([a-zA-Z][\w-]*)\b/;
/** A markdown attribute in an opening tag, after whitespace. */
const MARKDOWN_ATTRIBUTE = /\smarkdown=(["']?)(?:1|block|span)\1/;
/** A closing tag at the start of a line (after spaces or tabs). */
const CLOSING_TAG = /\n[ \t]*<\/([a-zA-Z][\w-]*)>/g;

/** Where each tag is closed at a line start: the index of the newline before the closing tag, in order. */
function closingTags(source: string): Map<string, number[]> {
  const closes = new Map<string, number[]>();
  for (const match of source.matchAll(CLOSING_TAG)) {
    const list = closes.get(match[1]) ?? closes.set(match[1], []).get(match[1])!;
    list.push(match.index);
  }
  return closes;
}

/** The first entry of a sorted list at or after `from`. */
function firstFrom(sorted: number[] | undefined, from: number): number | undefined {
  if (!sorted) return undefined;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < from) low = middle + 1;
    else high = middle;
  }
  return sorted[low];
}

/** A line that opens a markdown block: the tag without its markdown attribute, and the tag name. */
function markdownOpening(line: string): { tag: string; name: string } | undefined {
  const name = OPENING_TAG.exec(line)?.[1];
  const end = line.indexOf('>');
  if (name === undefined || end === -1 || /[^ \t]/.test(line.slice(end + 1))) return undefined;
  const tag = line.slice(0, end + 1);
  const attribute = MARKDOWN_ATTRIBUTE.exec(tag);
  if (!attribute) return undefined;
  // The whitespace before the attribute goes with it.
  const before = tag.slice(0, attribute.index).trimEnd();
  return { tag: before + tag.slice(attribute.index + attribute[0].length), name };
}

/**
 * `<div markdown="1">` means "markdown inside" to kramdown; in CommonMark an HTML block runs to the
 * next blank line. Blank lines around the content (and dropping the attribute) give the same result.
 * Read line by line, with every closing tag found in one pass first: a single regular expression
 * for this searched the rest of the text again from each opening tag.
 */
export function markdownInHtml(source: string): string {
  return markdownBlocks(source).source;
}

/** The source with markdown="1" blocks opened up (markdownInHtml), and where their content is in it (start, end offsets). */
export function markdownBlocks(source: string): { source: string; inside: [number, number][] } {
  if (!source.includes('markdown=')) return { source, inside: [] };
  const closes = closingTags(source);
  const inside: [number, number][] = [];
  let result = '';
  let done = 0;
  let lineStart = 0;
  while (lineStart < source.length) {
    const lineEnd = source.indexOf('\n', lineStart) === -1 ? source.length : source.indexOf('\n', lineStart);
    const opening = lineEnd < source.length ? markdownOpening(source.slice(lineStart, lineEnd)) : undefined;
    const close = opening && firstFrom(closes.get(opening.name), lineEnd + 1);
    if (!opening || close === undefined) {
      lineStart = lineEnd + 1;
      continue;
    }
    const closeTag = `</${opening.name}>`;
    const closeAt = source.indexOf(closeTag, close);
    result += source.slice(done, lineStart) + `${opening.tag}\n\n`;
    inside.push([result.length, result.length + close - (lineEnd + 1)]);
    result += `${source.slice(lineEnd + 1, close)}\n\n${closeTag}`;
    done = closeAt + closeTag.length;
    // The next block starts on a line of its own.
    lineStart = source.indexOf('\n', done) === -1 ? source.length : source.indexOf('\n', done) + 1;
  }
  return { source: result + source.slice(done), inside };
}

/** The key of the file data that carries markdownBlocks' ranges to remarkKramdown. */
export const KRAMDOWN_BLOCKS = 'kramdownBlocks';

/** `![a](/images/my photo.jpg)`: kramdown allows spaces in a link URL; CommonMark needs <…> around it. */
export function urlsWithSpaces(source: string): string {
  return source.replace(/(\]\()([^()<>\s"']+(?: [^()<>\s"']+)+)((?:\s+"[^"]*")?\))/g, (_m, open: string, url: string, close: string) => `${open}<${url}>${close}`);
}

type Attributes = Record<string, string>;

/** `{: .a #b key="v"}` → {class: "a", id: "b", key: "v"}; undefined when the text is no attribute list. */
export function parseAttributeList(text: string): Attributes | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{:') && !/^\{[#.]/.test(trimmed)) return undefined;
  if (!trimmed.endsWith('}') || /[{}]/.test(trimmed.slice(1, -1).replace(/^:/, ''))) return undefined;
  const inside = trimmed.slice(trimmed.startsWith('{:') ? 2 : 1, -1).trim();
  const attributes: Attributes = {};
  const classes: string[] = [];
  const pattern = /([.#])([\w-]+)|([\w:-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g;
  for (const part of inside.matchAll(pattern)) {
    if (part[1] === '.') classes.push(part[2]);
    else if (part[1] === '#') attributes.id = part[2];
    else if (part[3]) attributes[part[3]] = part[4] ?? part[5] ?? part[6] ?? '';
    else if (part[7] === 'toc') attributes.toc = 'toc';
    else return undefined;
  }
  if (classes.length) attributes.class = classes.join(' ');
  return attributes;
}

function apply(node: Node, attributes: Attributes): void {
  const data = ((node as { data?: Record<string, unknown> }).data ??= {});
  const properties = ((data.hProperties as Record<string, unknown> | undefined) ??= {});
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'toc') continue;
    properties[key === 'class' ? 'className' : key] = key === 'class' ? value.split(' ') : value;
  }
}

const IAL_AT_START = /^\{:[^{}\n]*\}/;

/**
 * A `{…}` block at the end of a text, opened by `opener` (`{:` for an attribute list, `{#` for a
 * header id), with no braces or line breaks inside, and where the whitespace before it starts.
 * Read from the end, where a regular expression ending in \s*$ would retry every whitespace run.
 */
function trailingBraces(text: string, opener: string): { block: string; index: number } | undefined {
  const end = text.trimEnd();
  const open = end.lastIndexOf(opener);
  if (!end.endsWith('}') || open === -1 || /[{}\n]/.test(end.slice(open + 1, -1))) return undefined;
  return { block: end.slice(open), index: end.slice(0, open).trimEnd().length };
}

/** Span IALs right after a link or image: `[x](/y){:target="_blank"}`. */
function spanAttributes(parent: Parent): void {
  const children = parent.children as PhrasingContent[];
  for (let i = 1; i < children.length; i++) {
    const node = children[i];
    const before = children[i - 1];
    if (node.type !== 'text' || (before.type !== 'link' && before.type !== 'image')) continue;
    const ial = IAL_AT_START.exec(node.value)?.[0];
    const attributes = ial && parseAttributeList(ial);
    if (!attributes) continue;
    apply(before, attributes);
    node.value = node.value.slice(ial.length);
  }
}

function isTocList(node: RootContent): node is List {
  return node.type === 'list' && node.children.length === 1 && /^TOC\s*\{:\s*toc\s*\}$/.test(toString(node).replace(/\s+/g, ' ').trim());
}

function tocList(headings: HeaderEntry[]): List {
  const root: List = { type: 'list', ordered: false, spread: false, children: [], data: { hProperties: { id: 'markdown-toc' } } };
  const stack: { depth: number; list: List }[] = [{ depth: 0, list: root }];
  for (const heading of headings) {
    while (stack.length > 1 && stack[stack.length - 1].depth >= heading.depth) stack.pop();
    const item: ListItem = {
      type: 'listItem',
      spread: false,
      children: [{ type: 'paragraph', children: [{ type: 'link', url: `#${heading.id}`, children: [{ type: 'text', value: heading.text }], data: { hProperties: { id: `markdown-toc-${heading.id}` } } }] }],
    };
    stack[stack.length - 1].list.children.push(item);
    const sub: List = { type: 'list', ordered: false, spread: false, children: [] };
    item.children.push(sub);
    stack.push({ depth: heading.depth, list: sub });
  }
  // Drop the empty sub-lists left by leaves.
  const prune = (list: List) => {
    for (const item of list.children) {
      const sub = item.children[1] as List | undefined;
      if (sub && sub.children.length === 0) item.children.pop();
      else if (sub) prune(sub);
    }
  };
  prune(root);
  return root;
}

/**
 * The remark plugin: attribute lists, header ids (`{#id}` or kramdown's, see header-ids.ts),
 * kramdown's typography (typography.ts) and `{:toc}`, for a site's kramdown options. The
 * transformer takes the markdown source as its file (typography reads what follows a quote there),
 * with the content ranges of markdown="1" blocks as its data (KRAMDOWN_BLOCKS, from markdownBlocks).
 */
/** Inline code as Jekyll's kramdown marks it up for Rouge (see rougeCodeBlock). */
function rougeInlineCode(parent: Parent): void {
  for (const node of parent.children as RootContent[]) {
    if (node.type === 'inlineCode') {
      const data = (node.data ??= {});
      data.hProperties = { className: ['language-plaintext', 'highlighter-rouge'], ...data.hProperties };
    } else if ('children' in node) rougeInlineCode(node as Parent);
  }
}

/**
 * A code block as Jekyll's kramdown marks it up for Rouge, so a theme's CSS for `.highlighter-rouge`
 * and `.highlight` applies: `<div class="language-x highlighter-rouge"><div class="highlight"><pre
 * class="highlight"><code>` (x is `plaintext` without a language); inline code gets `language-plaintext
 * highlighter-rouge`. recap does not colour the code: Rouge's token spans are not made. A remark-html
 * handler for mdast `code`.
 */
export function rougeCodeBlock(_state: unknown, node: Code): HastElement {
  const element = (tagName: string, className: string[], children: HastElement['children']): HastElement => ({ type: 'element', tagName, properties: { className }, children });
  const text = node.value.endsWith('\n') ? node.value : node.value + '\n';
  const code: HastElement = { type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value: text }] };
  const classes = (node.data as { hProperties?: { className?: string[] } } | undefined)?.hProperties?.className ?? [];
  return element('div', [`language-${node.lang || 'plaintext'}`, 'highlighter-rouge', ...classes], [element('div', ['highlight'], [element('pre', ['highlight'], [code])])]);
}

export function remarkKramdown(options: KramdownOptions = JEKYLL_KRAMDOWN) {
  return (tree: Root, file: { value?: unknown; data?: Record<string, unknown> }) => {
    const source = typeof file?.value === 'string' ? file.value : undefined;
    const inHtml = (file?.data?.[KRAMDOWN_BLOCKS] as [number, number][] | undefined) ?? [];
    // `* TOC` + `{:toc}` is found first, before its {:toc} is read as an attribute list.
    const tocAt = new Set(tree.children.flatMap((node, index) => (isTocList(node) ? [index] : [])));
    const removed = new Set<Node>();
    const walk = (parent: Parent) => {
      for (let i = 0; i < parent.children.length; i++) {
        if (parent === tree && tocAt.has(i)) continue;
        const node = parent.children[i] as RootContent;
        if ('children' in node) {
          spanAttributes(node as Parent);
          walk(node as Parent);
        }
        if (node.type === 'heading') {
          // Before typography, which would change `{#a--b}`.
          const id = takeExplicitId(node);
          if (id !== undefined) apply(node, { id });
        }
        if (node.type !== 'paragraph') continue;
        const last = node.children[node.children.length - 1];
        if (last?.type !== 'text') continue;
        const ial = trailingBraces(last.value, '{:');
        const attributes = ial && parseAttributeList(ial.block);
        if (!ial || !attributes) continue;
        last.value = last.value.slice(0, ial.index);
        const empty = node.children.every((child) => child.type === 'text' && (child as Text).value.trim() === '');
        if (empty && i > 0) {
          // A block IAL on its own line applies to the block before it.
          apply(parent.children[i - 1], attributes);
          removed.add(node);
        } else {
          apply(node, attributes);
        }
      }
    };
    walk(tree);
    const prune = (parent: Parent) => {
      parent.children = parent.children.filter((child) => !removed.has(child)) as Parent['children'];
      for (const child of parent.children) if ('children' in child) prune(child as Parent);
    };
    if (removed.size > 0) prune(tree);

    rougeInlineCode(tree);
    const standardTexts = kramdownTypography(tree, source, options);
    const headers = assignHeaderIds(tree, { source, options, standardTexts, inHtml }, (heading: Heading) => toString(heading).trim());
    tree.children = tree.children.map((node, index) => (tocAt.has(index) ? tocList(headers) : node));
  };
}
