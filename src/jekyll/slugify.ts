/** Jekyll's Utils.slugify, for the `slugify` filter and permalinks' :title and :slug. */
/** What each mode replaces with "-". */
const SLUG_PATTERNS: Record<string, RegExp> = {
  raw: /\s+/gu,
  default: /[^\p{M}\p{L}\p{Nd}]+/gu,
  pretty: /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu,
  ascii: /[^A-Za-z0-9]+/g,
  latin: /[^\p{M}\p{L}\p{Nd}]+/gu,
};

/** Letters I18n.transliterate spells with other letters; other accents are dropped, anything else not ASCII becomes "?". */
const TRANSLITERATIONS: Record<string, string> = {
  Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', ß: 'ss', Œ: 'OE', œ: 'oe', Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Ł: 'L', ł: 'l', Þ: 'TH', þ: 'th', Ŧ: 'T', ŧ: 't', Ħ: 'H', ħ: 'h', ı: 'i', Ŋ: 'NG', ŋ: 'ng', ĸ: 'k',
};

function transliterate(value: string): string {
  return [...value.normalize('NFD').replace(/\p{M}/gu, '')].map((c) => TRANSLITERATIONS[c] ?? (c.charCodeAt(0) < 128 ? c : '?')).join('');
}

/** Jekyll's Utils.slugify with its modes: none, raw, default, pretty, ascii, latin (an unknown mode only lowercases). */
export function slugify(value: string, mode = 'default', cased = false): string {
  const pattern = SLUG_PATTERNS[mode];
  if (!pattern) return cased ? value : value.toLowerCase();
  const source = mode === 'latin' ? transliterate(value) : value;
  const slug = source.replace(pattern, '-').replace(/^-|-$/g, '');
  return cased ? slug : slug.toLowerCase();
}
