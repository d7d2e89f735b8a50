/**
 * Jekyll's `smartify` on plain text (jekyll-feed runs titles through it): kramdown's typographic
 * characters for `---`, `--` and `...`, and its rules for which way a straight quote curls.
 */

const PUNCTUATION = /^[!"#$%'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const WORD = /^[\p{L}\p{N}_]/u;
const SPACE = /^\s/;
/** A character after which a quote closes (kramdown's SQ_CLOSE): anything but space, backslash, "[", "{", "(" and "-". */
const CLOSES_AFTER = /^[^ \\\t\r\n[{(-]/;

const CURLY = { "'": { open: '‘', close: '’' }, '"': { open: '“', close: '”' } } as const;

/** Whether a quote opens, given the character before it (undefined at the start) and the text after it. */
function opens(before: string | undefined, after: string): boolean {
  if (/^[_*]{1,2}\S/.test(after)) return true;
  // Punctuation right after, not starting "..", and no word after it: a closing quote ("Stop"!).
  if (PUNCTUATION.test(after) && !after.startsWith('..') && !WORD.test(after.slice(1))) return false;
  if (before !== undefined && SPACE.test(before) && WORD.test(after)) return true;
  if (before !== undefined && CLOSES_AFTER.test(before)) return false;
  if (after === '' || SPACE.test(after) || /^s(?![\p{L}\p{N}_])/u.test(after)) return false;
  return true;
}

export function smartify(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '-' && text.startsWith('---', i)) {
      out += '—';
      i += 2;
    } else if (c === '-' && text.startsWith('--', i)) {
      out += '–';
      i += 1;
    } else if (c === '.' && text.startsWith('...', i)) {
      out += '…';
      i += 2;
    } else if (c === "'" || c === '"') {
      const after = text.slice(i + 1, i + 4);
      // Decades ('80s) take an apostrophe; a pair of quotes before a word ("'Quoted') both open.
      if (c === "'" && /^\d\ds/.test(after)) out += '’';
      else if ((after[0] === "'" || after[0] === '"') && after[0] !== c && WORD.test(after.slice(1))) {
        out += CURLY[c].open + CURLY[after[0]].open;
        i += 1;
      } else out += opens(text[i - 1], after) ? CURLY[c].open : CURLY[c].close;
    } else out += c;
  }
  return out;
}
