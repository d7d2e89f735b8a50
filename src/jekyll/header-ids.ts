/**
 * Header ids as Jekyll's kramdown gives them. With GFM input (Jekyll's default) kramdown-parser-gfm
 * makes them from the header's text (quotes, dashes and entities as the characters they became,
 * code as written, image alt and footnote marks left out): lowercased, every character but
 * letters, marks, digits, "_", "-", spaces and tabs dropped, spaces and tabs made "-". With
 * `input: kramdown`, kramdown's own rule reads the header's source line as written: ASCII letters,
 * digits, spaces and "-" only, from the first letter on, "section" when nothing is left. Either
 * way a repeated id gets "-1", "-2"…, counted among made ids only (an id given with `{#id}` is not
 * counted, as in kramdown), and `auto_id_prefix` goes before it.
 */
import type { Heading, Nodes, Parent, Root, Text } from 'mdast';
import type { KramdownOptions } from './kramdown-options.js';
import type { StandardTexts } from './typography.js';

/** kramdown's basic_generate_id (its own input): letters first, then ASCII letters, digits, spaces and hyphens; spaces to "-". */
export function kramdownId(text: string): string {
  const id = text
    .replace(/^[^a-zA-Z]+/, '')
    .replace(/[^a-zA-Z0-9 -]/g, '')
    .replace(/ /g, '-')
    .toLowerCase();
  return id === '' ? 'section' : id;
}

/** What kramdown-parser-gfm drops: anything but Ruby's \p{Word} (letters, marks, digits, connectors; Unicode 13, Ruby 3.1), "-", space and tab. */
const NOT_IN_GFM_ID = /[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\- \t]/gu;

/**
 * kramdown-parser-gfm's id for a header's text ("" when nothing is left: such a header has no id).
 * Lowercased as Ruby does: without JavaScript's final sigma (ΟΔΟΣ → "οδοσ").
 */
export function gfmId(text: string): string {
  return text.replace(/Σ/g, 'σ').toLowerCase().replace(NOT_IN_GFM_ID, '').replace(/[ \t]/g, '-');
}

/** An XML name, as kramdown's `{#id}` takes it (REXML's NAME_START_CHAR, then NAME_CHAR). */
const XML_NAME =
  /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}][-.0-9\u00B7\u0300-\u036F\u203F-\u2040:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}]*$/u;

/**
 * `## Title {#id}`: an id given at the end of the header line, after a space or tab. Read from the
 * end of the text (a regular expression ending in \s*$ would retry every whitespace run).
 */
export function explicitId(text: string): { id: string; rest: string } | undefined {
  const end = text.trimEnd();
  if (!end.endsWith('}')) return undefined;
  const open = end.lastIndexOf('{#');
  if (open <= 0 || (end[open - 1] !== ' ' && end[open - 1] !== '\t')) return undefined;
  const id = end.slice(open + 2, -1);
  return XML_NAME.test(id) ? { id, rest: end.slice(0, open).trimEnd() } : undefined;
}

/** Takes a `{#id}` off the end of a header's text; returns the id, or undefined. */
export function takeExplicitId(heading: Heading): string | undefined {
  const last = heading.children[heading.children.length - 1];
  if (last?.type !== 'text') return undefined;
  const found = explicitId(last.value);
  if (found) last.value = found.rest;
  return found?.id;
}

/**
 * The text kramdown-parser-gfm makes a header's id from: text (with kramdown's typographic
 * characters) and code; not image alt, footnote marks or HTML tags.
 */
function gfmText(node: Nodes, standardTexts: StandardTexts): string {
  if (node.type === 'text') return standardTexts.get(node as Text) ?? node.value;
  if (node.type === 'inlineCode') return node.value;
  if (node.type === 'image' || node.type === 'imageReference' || node.type === 'footnoteReference' || !('children' in node)) return '';
  let text = '';
  for (const child of (node as Parent).children as Nodes[]) text += gfmText(child, standardTexts);
  return text;
}

/** Under `input: kramdown`, the header's line as written (markup, entities and link URLs included). */
function sourceText(heading: Heading, source: string | undefined): string | undefined {
  const first = heading.children[0]?.position?.start.offset;
  const last = heading.children[heading.children.length - 1]?.position?.end.offset;
  return source === undefined || first === undefined || last === undefined ? undefined : source.slice(first, last);
}

/** A header as the table of contents lists it. */
export interface HeaderEntry {
  depth: number;
  id: string;
  text: string;
}

/** Where a header's id is kept: as an HTML property of the header node. */
function idOf(heading: Heading): string | undefined {
  return (heading.data?.hProperties as Record<string, unknown> | undefined)?.id as string | undefined;
}

function setId(heading: Heading, id: string): void {
  const data = (heading.data ??= {});
  (data.hProperties ??= {}).id = id;
}

/** Whether an offset is in one of some ranges, sorted and apart (a binary search: a post may have thousands). */
function isInside(ranges: [number, number][], offset: number): boolean {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ranges[middle][1] <= offset) low = middle + 1;
    else high = middle;
  }
  return low < ranges.length && ranges[low][0] <= offset;
}

/** What header ids are made from besides the tree. */
export interface IdContext {
  source: string | undefined;
  options: KramdownOptions;
  standardTexts: StandardTexts;
  /** Where the content of markdown="1" HTML blocks is in the source. */
  inHtml: [number, number][];
}

/**
 * Gives every header without an id of its own kramdown's id (with `auto_ids`), in document order
 * (headers in quotes and lists too), and returns the headers that have an id, for `{:toc}`.
 * `text` reads a header's visible text.
 *
 * With GFM input, kramdown-parser-gfm does not reach headers inside HTML elements (markdown="1"
 * blocks): kramdown's HTML converter gives those its own rule's id, from the same text, counted apart.
 */
export function assignHeaderIds(tree: Root, context: IdContext, text: (heading: Heading) => string): HeaderEntry[] {
  const { source, options, standardTexts, inHtml } = context;
  const gfmCounts = new Map<string, number>();
  const converterCounts = new Map<string, number>();
  const entries: HeaderEntry[] = [];
  const counted = (counts: Map<string, number>, base: string) => {
    const count = (counts.get(base) ?? -1) + 1;
    counts.set(base, count);
    return options.autoIdPrefix + (count === 0 ? base : `${base}-${count}`);
  };
  const madeId = (heading: Heading) => {
    if (options.input === 'kramdown') return counted(converterCounts, kramdownId(sourceText(heading, source) ?? text(heading)));
    const inElement = isInside(inHtml, heading.position?.start.offset ?? -1);
    const plain = gfmText(heading, standardTexts);
    return inElement ? counted(converterCounts, kramdownId(plain)) : counted(gfmCounts, gfmId(plain));
  };
  const visit = (parent: Parent) => {
    for (const node of parent.children as Nodes[]) {
      if (node.type === 'heading') {
        const heading = node as Heading;
        let id = idOf(heading);
        if (id === undefined && options.autoIds) {
          id = madeId(heading);
          // kramdown writes no id="" for a header whose made id is empty.
          if (id !== '') setId(heading, id);
        }
        if (id) entries.push({ depth: heading.depth, id, text: text(heading) });
      } else if ('children' in node) {
        visit(node as Parent);
      }
    }
  };
  visit(tree);
  return entries;
}
