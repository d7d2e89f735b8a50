/**
 * The kramdown settings of a Jekyll site (_config.yml's `kramdown:` key, over Jekyll's defaults)
 * that change what a post's text and header ids become. Plain data: it travels to the markdown
 * threads with each post and is part of the body cache's key.
 */

/** kramdown's typographic symbols, by the names its `typographic_symbols` option uses. */
export type TypographicSymbol = 'mdash' | 'ndash' | 'hellip' | 'laquo' | 'raquo' | 'laquo_space' | 'raquo_space';

export interface KramdownOptions {
  /** `input`: "GFM" (Jekyll's default, kramdown-parser-gfm) or "kramdown"; they make header ids differently. */
  input: 'GFM' | 'kramdown';
  /** `auto_ids`: headers without an id of their own get one made from their text. */
  autoIds: boolean;
  /** `auto_id_prefix`: put before every made id. */
  autoIdPrefix: string;
  /** `smart_quotes`: the characters for ‘ ’ “ ” in that order. */
  smartQuotes: [string, string, string, string];
  /** What each typographic symbol is written as (`typographic_symbols` over kramdown's characters). */
  symbols: Record<TypographicSymbol, string>;
  /** false with `gfm_quirks: [no_auto_typographic]`: dashes, "..." and << >> are left as written (quotes are still made smart). */
  typographicSymbols: boolean;
}

/** What kramdown writes for each symbol when `typographic_symbols` says nothing. */
export const STANDARD_SYMBOLS: Record<TypographicSymbol, string> = {
  mdash: '—',
  ndash: '–',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  laquo_space: '«\u00a0',
  raquo_space: '\u00a0»',
};

export const STANDARD_QUOTES: [string, string, string, string] = ['‘', '’', '“', '”'];

/** Jekyll's kramdown defaults (GFM input, ids on, curly quotes). */
export const JEKYLL_KRAMDOWN: KramdownOptions = {
  input: 'GFM',
  autoIds: true,
  autoIdPrefix: '',
  smartQuotes: STANDARD_QUOTES,
  symbols: STANDARD_SYMBOLS,
  typographicSymbols: true,
};

/** The entity names `smart_quotes` is usually given with; kramdown also takes code points. */
const QUOTE_ENTITIES: Record<string, string> = {
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  sbquo: '‚',
  bdquo: '„',
  lsaquo: '‹',
  rsaquo: '›',
  laquo: '«',
  raquo: '»',
  apos: "'",
  quot: '"',
  nbsp: '\u00a0',
};

/** One `smart_quotes` entry (an entity name or a code point) as a character; undefined when recap does not know it. */
function quoteCharacter(entry: unknown): string | undefined {
  const text = String(entry).trim();
  if (/^\d+$/.test(text)) {
    const code = Number(text);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return QUOTE_ENTITIES[text];
}

function smartQuotes(value: unknown): [string, string, string, string] {
  const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!entries || entries.length !== 4) return STANDARD_QUOTES;
  const quotes = entries.map(quoteCharacter);
  // An entry recap cannot read keeps kramdown's usual quote for that place.
  return STANDARD_QUOTES.map((standard, i) => quotes[i] ?? standard) as [string, string, string, string];
}

function symbols(value: unknown): Record<TypographicSymbol, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return STANDARD_SYMBOLS;
  const result = { ...STANDARD_SYMBOLS };
  for (const [key, text] of Object.entries(value as Record<string, unknown>)) {
    if (key in result && (typeof text === 'string' || typeof text === 'number')) result[key as TypographicSymbol] = String(text);
  }
  return result;
}

/** The site's kramdown options from _config.yml's values; keys it does not give keep Jekyll's defaults. */
export function readKramdownOptions(values: Record<string, unknown>): KramdownOptions {
  const given = values.kramdown;
  if (!given || typeof given !== 'object' || Array.isArray(given)) return JEKYLL_KRAMDOWN;
  const kramdown = given as Record<string, unknown>;
  // Jekyll passes `input` to kramdown, which names the parser by it: "GFM" and "kramdown" are the ones sites use.
  const input = typeof kramdown.input === 'string' && kramdown.input.toLowerCase() === 'kramdown' ? 'kramdown' : 'GFM';
  const quirks = Array.isArray(kramdown.gfm_quirks) ? kramdown.gfm_quirks.map(String) : typeof kramdown.gfm_quirks === 'string' ? kramdown.gfm_quirks.split(',').map((q) => q.trim()) : [];
  return {
    input,
    autoIds: kramdown.auto_ids !== false,
    autoIdPrefix: typeof kramdown.auto_id_prefix === 'string' ? kramdown.auto_id_prefix : '',
    smartQuotes: smartQuotes(kramdown.smart_quotes),
    symbols: symbols(kramdown.typographic_symbols),
    typographicSymbols: !(input === 'GFM' && quirks.includes('no_auto_typographic')),
  };
}
