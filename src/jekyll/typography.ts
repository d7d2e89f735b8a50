/**
 * kramdown's typography on a markdown tree: straight quotes made curly, `--` `---` `...` `<<` `>>`
 * made – — … « », where kramdown makes them and as its rules decide.
 *
 * kramdown does this while it parses a block's text: at each quote it tries its list of
 * rules (SQ_RULES in kramdown/parser/kramdown/smart_quotes.rb) at the scanner's position, which is
 * the character before the quote when that character is plain text not yet taken by another
 * element, and the rules look ahead into the raw source after the quote (markup included). Here
 * the same rules run over each text node: the character before a quote counts only when kramdown
 * would have it (not an escape, an entity, or `*` `_` `` ` `` `[`, which start other elements), and
 * the look-ahead reads the markdown source after the quote. Code, autolinks, raw HTML blocks and
 * the content of inline HTML elements kramdown reads raw (`<code>`, `<kbd>`, unknown elements) are
 * left as written, as are attributes, URLs and image alt text (never text nodes).
 */
import { Parser } from 'htmlparser2';
import type { Heading, Html, Nodes, Parent, Root, Text } from 'mdast';
import { STANDARD_QUOTES, STANDARD_SYMBOLS, type KramdownOptions, type TypographicSymbol } from './kramdown-options.js';

/** What a rule writes: text as it was, or a smart quote (its place in `smart_quotes`: ‘ ’ “ ”). */
type Piece = string | 0 | 1 | 2 | 3;
const LSQUO = 0;
const RSQUO = 1;
const LDQUO = 2;
const RDQUO = 3;

/** Ruby's \s (ASCII whitespace), which kramdown's rules use. */
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
/** Ruby's \w and \d: ASCII only. */
const isAsciiWord = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_');
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
/** Ruby's \b and \B see letters of any script as word characters. */
const WORD = /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}]$/u;
const isWord = (c: string | undefined) => c !== undefined && WORD.test(c);
const isQuote = (c: string | undefined) => c === '"' || c === "'";
const leftQuote = (quote: string): Piece => (quote === '"' ? LDQUO : LSQUO);
const rightQuote = (quote: string): Piece => (quote === '"' ? RDQUO : RSQUO);
/** SQ_PUNCT: ASCII punctuation. */
const PUNCTUATION = new Set('!"#$%\'()*+,-./:;<=>?@[\\]^_`{|}~');
/** Characters SQ_CLOSE excludes: a quote after them is not a closing one by that rule. */
const NOT_BEFORE_CLOSING = new Set(' \\\t\r\n[{(-');
/** Characters that start another kramdown span element, which takes them before a quote right after can use them. */
const STARTS_ELEMENT = new Set(['*', '_', '`', '[', '\\']);
/** How far past a quote the rules look (`(?=[_*]{1,2}\S)` and `(?=\d\ds)` are the longest). */
const LOOK_AHEAD = 4;

/**
 * kramdown's SQ_RULES in order, tried on `s`: the text from the scanner's position (the character
 * before the quote, or the quote) followed by what comes after the quote in the source. Returns
 * how many characters of `s` the rule took and what they become.
 */
export function smartQuoteRule(s: string): { taken: number; pieces: Piece[] } {
  const [a, b, c, d] = [s[0], s[1], s[2], s[3]];
  // A quote before emphasis opens: "*word*"
  if (isQuote(a) && (b === '_' || b === '*') && c !== undefined && !isSpace(c)) return { taken: 1, pieces: [leftQuote(a)] };
  // A quote before punctuation closes, unless an ellipsis follows it or a word right after the punctuation.
  if (isQuote(a) && PUNCTUATION.has(b) && !(c === '.' && d === '.') && isWord(b) === isWord(c)) return { taken: 1, pieces: [rightQuote(a)] };
  // "'Quoted' words" and '"Quoted" words': two opening quotes at once.
  const space = isSpace(a) ? 1 : 0;
  const [first, second, after] = [s[space], s[space + 1], s[space + 2]];
  if (first === '"' && second === "'" && isAsciiWord(after)) return { taken: space + 2, pieces: [s.slice(0, space), LDQUO, LSQUO] };
  if (first === "'" && second === '"' && isAsciiWord(after)) return { taken: space + 2, pieces: [s.slice(0, space), LSQUO, LDQUO] };
  // Decades: the '80s.
  if (first === "'" && isDigit(second) && isDigit(after) && s[space + 3] === 's') return { taken: space + 1, pieces: [s.slice(0, space), RSQUO] };
  // After a space and before a word: opening.
  if (isSpace(a) && isQuote(b) && isAsciiWord(c)) return { taken: 2, pieces: [a, leftQuote(b)] };
  // After most characters: closing.
  if (a !== undefined && !NOT_BEFORE_CLOSING.has(a) && isQuote(b)) return { taken: 2, pieces: [a, rightQuote(b)] };
  // Before a space, an "s" ending a word, or the end: closing (<i>Custer</i>'s).
  if (isQuote(a) && (b === undefined || isSpace(b) || (b === 's' && !isWord(c)))) return { taken: 1, pieces: [rightQuote(a)] };
  // Any other is opening.
  if (b === "'") return { taken: 2, pieces: [a, LSQUO] };
  if (a === "'") return { taken: 1, pieces: [LSQUO] };
  if (b === '"') return { taken: 2, pieces: [a, LDQUO] };
  return { taken: 1, pieces: [LDQUO] };
}

/** kramdown's typographic symbols, in the order its regular expression tries them. */
const SYMBOLS: [string, TypographicSymbol][] = [
  ['---', 'mdash'],
  ['--', 'ndash'],
  ['...', 'hellip'],
  ['<< ', 'laquo_space'],
  [' >>', 'raquo_space'],
  ['<<', 'laquo'],
  ['>>', 'raquo'],
];

/** A text node's characters: which came from an escape or entity (literal), and where each is in the source (-1: not known). */
interface MappedText {
  value: string;
  literal?: Uint8Array;
  /** The source offset of value[i] is base + i, unless `offsets` says otherwise. */
  base: number;
  offsets?: Int32Array;
}

/**
 * Where the characters of a text node are in the source: one to one for most nodes; otherwise read
 * along both, taking `\x` escapes and `&…;` references as literal characters (kramdown's escapes
 * and entities, which are never smart) and skipping what the parser left out at line starts.
 */
export function mapText(value: string, source: string | undefined, start: number | undefined, end: number | undefined): MappedText {
  if (source === undefined || start === undefined || end === undefined) return { value, base: -1 };
  if (end - start === value.length && source.startsWith(value, start)) return { value, base: start };
  const literal = new Uint8Array(value.length);
  const offsets = new Int32Array(value.length).fill(-1);
  const entityAt = /&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/y;
  let j = start;
  for (let i = 0; i < value.length && j < end; ) {
    const c = source[j];
    if (c === '\\' && PUNCTUATION.has(source[j + 1]) && value[i] === source[j + 1]) {
      literal[i] = 1;
      offsets[i++] = j + 1;
      j += 2;
      continue;
    }
    entityAt.lastIndex = j;
    const entity = c === '&' ? entityAt.exec(source)?.[0] : undefined;
    if (entity !== undefined && !value.startsWith(entity, i)) {
      // One character, which may take two UTF-16 units (an entity for two characters leaves the rest unmapped).
      const units = /[\uD800-\uDBFF]/.test(value[i]) ? 2 : 1;
      for (let k = 0; k < units && i < value.length; k++) {
        literal[i] = 1;
        offsets[i++] = j + entity.length - 1;
      }
      j += entity.length;
      continue;
    }
    if (c === value[i]) {
      offsets[i++] = j++;
      continue;
    }
    // Indentation, blockquote markers and trailing spaces are not in the text.
    if (c !== ' ' && c !== '\t' && c !== '>' && c !== '\r') break;
    j++;
  }
  return { value, literal, base: -1, offsets };
}

/** The characters after value[i] as kramdown's rules see them: the source when known, else the text (literal characters hidden). */
function lookAhead(text: MappedText, i: number, source: string | undefined): string {
  const at = text.offsets ? text.offsets[i] : text.base >= 0 ? text.base + i : -1;
  if (source !== undefined && at >= 0) return source.slice(at + 1, at + 1 + LOOK_AHEAD);
  let rest = '';
  for (let k = i + 1; k < text.value.length && k <= i + LOOK_AHEAD; k++) rest += text.literal?.[k] ? '\0' : text.value[k];
  return rest;
}

/** What the smart quotes and symbols are written as. */
export interface Outputs {
  quotes: readonly [string, string, string, string];
  symbols: Record<TypographicSymbol, string>;
  /** Whether symbols are made at all (`no_auto_typographic` says not). */
  makeSymbols: boolean;
}

const STANDARD: Outputs = { quotes: STANDARD_QUOTES, symbols: STANDARD_SYMBOLS, makeSymbols: true };

function outputsOf(options: KramdownOptions): Outputs {
  return { quotes: options.smartQuotes, symbols: options.symbols, makeSymbols: options.typographicSymbols };
}

/** Whether a text can hold anything kramdown's typography changes: most text nodes cannot, and are left at once. */
const MAY_CHANGE = /["']|--|\.\.\.|<<|>>/;

/**
 * A text's characters as kramdown writes them. `before` is a character kramdown has before this
 * text in the same run (the newline after a hard line break), or "".
 */
export function convertText(text: MappedText, source: string | undefined, outputs: Outputs, before = ''): string {
  const { value, literal } = text;
  const plain = (i: number) => i < value.length && !literal?.[i];
  const plainRun = (from: number, length: number) => {
    for (let k = from; k < from + length; k++) if (!plain(k)) return false;
    return true;
  };
  // Where kramdown's scanner may stop: a quote or what may start a symbol (the text between is plain).
  const candidates = /["']|--|\.\.\.|<<|>>| >>/g;
  let out = '';
  let done = 0; // value[0, done) is in `out`
  let position = 0; // kramdown's scanner: value[position…] is not taken by an element yet
  for (let p = 0; ; ) {
    candidates.lastIndex = p;
    const found = candidates.exec(value);
    if (!found) break;
    p = found.index;
    const c = value[p];
    if (!isQuote(c) || !plain(p)) {
      const symbol = outputs.makeSymbols && plain(p) ? SYMBOLS.find(([written]) => value.startsWith(written, p) && plainRun(p, written.length)) : undefined;
      if (symbol) {
        out += value.slice(done, p) + outputs.symbols[symbol[1]];
        done = position = p + symbol[0].length;
      }
      p = symbol ? position : p + 1;
      continue;
    }
    // The scanner stops at the character before the quote when that one is plain text not yet
    // taken (and starts no other element); the rules see it, the quote and the source after it.
    const at = p > position && plain(p - 1) && !STARTS_ELEMENT.has(value[p - 1]) ? p - 1 : p;
    const fromBefore = p === 0 && before !== '';
    const start = fromBefore ? before + c : value.slice(at, p + 1);
    const rule = smartQuoteRule(start + lookAhead(text, p, source));
    out += value.slice(done, at);
    const pieces = fromBefore && typeof rule.pieces[0] === 'string' ? [rule.pieces[0].slice(before.length), ...rule.pieces.slice(1)] : rule.pieces;
    for (const piece of pieces) out += typeof piece === 'string' ? piece : outputs.quotes[piece];
    done = position = Math.min(value.length, at + rule.taken - (fromBefore ? before.length : 0));
    p = Math.max(position, p + 1);
  }
  return out + value.slice(done);
}

/** kramdown's HTML_BLOCK_ELEMENTS: in running text it prints such a tag as text and reads on. */
const BLOCK_ELEMENTS = new Set(
  'address article aside applet body blockquote caption col colgroup dd div dl dt fieldset figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul'.split(' '),
);
/** kramdown's HTML_CONTENT_MODEL_SPAN: inline elements whose content it reads as markdown; any other element's content is raw. */
const SPAN_CONTENT = new Set('a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt'.split(' '));
/** kramdown's HTML_ELEMENTS_WITHOUT_BODY. */
const WITHOUT_BODY = new Set('area base br col command embed hr img input keygen link meta param source track wbr'.split(' '));

/** Whether kramdown reads the content of an inline element as raw text (no markdown, no typography). */
function rawContent(name: string, attributes: Record<string, string>): boolean {
  if (BLOCK_ELEMENTS.has(name) || WITHOUT_BODY.has(name)) return false;
  const markdown = attributes.markdown;
  if (markdown === '0') return true;
  if (markdown === 'span') return false;
  return !SPAN_CONTENT.has(name);
}

/** The inline HTML of one block, read tag by tag: whether the text between the tags is inside an element kramdown reads raw. */
class InlineHtml {
  private rawName: string | undefined;
  private depth = 0;
  private readonly parser = new Parser(
    {
      onopentag: (name, attributes) => {
        if (this.rawName === undefined) {
          if (rawContent(name, attributes)) [this.rawName, this.depth] = [name, 1];
        } else if (name === this.rawName) this.depth++;
      },
      onclosetag: (name) => {
        if (name === this.rawName && --this.depth === 0) this.rawName = undefined;
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );

  read(html: string): void {
    this.parser.write(html);
  }

  get raw(): boolean {
    return this.rawName !== undefined;
  }
}

/** A link written as `<https://…>` or a bare URL: its text is the URL, which kramdown does not change. */
function isAutolink(node: Nodes, source: string | undefined): boolean {
  const start = node.position?.start.offset;
  return source !== undefined && start !== undefined && source[start] !== '[';
}

/** A bare tag between a text ending in "<" and one starting with ">": kramdown reads `<<name>>` as « name », not as HTML. */
const BARE_TAG = /^<[A-Za-z][A-Za-z0-9-]*>$/;

function joinGuillemetTags(parent: Parent): void {
  const children = parent.children as Nodes[];
  if (!children.some((node) => node.type === 'html')) return;
  // One pass into a new list: splicing each join out would take time growing with the square of the count.
  const kept: Nodes[] = [];
  for (let i = 0; i < children.length; i++) {
    const [before, tag, after] = [kept[kept.length - 1], children[i], children[i + 1]];
    const joins = tag.type === 'html' && before?.type === 'text' && after?.type === 'text' && before.value.endsWith('<') && after.value.startsWith('>') && BARE_TAG.test(tag.value);
    if (!joins) {
      kept.push(tag);
      continue;
    }
    before.value += tag.value + after.value;
    if (before.position && after.position) before.position = { start: before.position.start, end: after.position.end };
    i++; // `after` is now part of `before`
  }
  if (kept.length !== children.length) parent.children = kept as Parent['children'];
}

/** Headers' text with kramdown's own characters, for header ids when the site writes the symbols differently. */
export type StandardTexts = WeakMap<Text, string>;

/**
 * Applies kramdown's typography to the text of every paragraph, header and table cell of the tree.
 * `source` is the markdown the tree was parsed from. Returns, for header text whose symbols the
 * site writes differently, the text with kramdown's characters (GFM header ids are made from those).
 */
export function kramdownTypography(tree: Root, source: string | undefined, options: KramdownOptions): StandardTexts {
  const outputs = outputsOf(options);
  const standardNeeded = outputs.quotes.some((q, i) => q !== STANDARD_QUOTES[i]) || Object.entries(outputs.symbols).some(([k, v]) => STANDARD_SYMBOLS[k as TypographicSymbol] !== v);
  const standardTexts: StandardTexts = new WeakMap();

  const inBlock = (block: Parent) => {
    let html: InlineHtml | undefined;
    let afterBreak = false;
    const heading = block.type === 'heading';
    const visit = (parent: Parent) => {
      if (outputs.makeSymbols) joinGuillemetTags(parent);
      for (const node of parent.children as Nodes[]) {
        if (node.type === 'text') {
          if (!html?.raw && MAY_CHANGE.test(node.value)) {
            const mapped = mapText(node.value, source, node.position?.start.offset, node.position?.end.offset);
            const before = afterBreak ? '\n' : '';
            if (heading && standardNeeded) standardTexts.set(node, convertText(mapped, source, { ...STANDARD, makeSymbols: outputs.makeSymbols }, before));
            node.value = convertText(mapped, source, outputs, before);
          }
        } else if (node.type === 'html') {
          (html ??= new InlineHtml()).read((node as Html).value);
        } else if ('children' in node && !(node.type === 'link' && isAutolink(node, source))) {
          // Inside an element kramdown's scanner is past its markup: no character before the first text.
          afterBreak = false;
          visit(node as Parent);
        }
        afterBreak = node.type === 'break';
      }
    };
    visit(block);
  };

  const blocks = (parent: Parent) => {
    for (const node of parent.children as Nodes[]) {
      if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') inBlock(node as Parent | Heading);
      else if ('children' in node) blocks(node as Parent);
    }
  };
  blocks(tree);
  return standardTexts;
}

/**
 * kramdown's typography on plain text, with its standard characters: what Jekyll's `smartify`
 * (kramdown's SmartyPants parser) makes of it. `before`: the text before it in the same run.
 */
export function smartenText(value: string, before = ''): string {
  if (!MAY_CHANGE.test(value)) return value;
  return convertText(mapText(value, undefined, undefined, undefined), undefined, STANDARD, before.slice(-1));
}
