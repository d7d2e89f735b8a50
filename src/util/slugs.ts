/**
 * Tag slugs: the segment of a tag's URL made from its name. Every slug recap has ever made stays
 * as it was (no URL of an existing site moves): the ASCII rule below comes first, and only a tag
 * it leaves empty (one in Cyrillic, Japanese, Greek… which recap refused before) gets a slug of
 * its letters and digits in its own script. `tagSlugs:` in recap.config.yml names any tag's slug.
 */
import { trimOf } from './text.js';

/**
 * The slug recap has always made: accents dropped (compatibility decomposition, then the
 * combining accents U+0300–U+036F removed), lower case, each run of characters other than a-z and
 * 0-9 one "-". Kept exactly as it is, odd cases too (`Straße` → `stra-e`): sites link to these URLs.
 */
export function asciiSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  return trimOf(slug, '-');
}

/**
 * Characters that are nothing on screen (zero-width joiners and non-joiners, variation selectors,
 * soft hyphens, direction marks, the Hangul filler): taken out before words are found, so a Persian
 * word with a zero-width non-joiner stays one word, and no slug holds a character nobody can see.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/** A word of a slug: letters, combining marks (Devanagari and Thai vowel signs) and digits of any script. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * One spelling for the ways a tag's name is written that mean the same tag: Unicode's composed
 * form (NFC: `é` one character, not `e` and a combining accent), lower case, and a Greek sigma
 * written σ or ς as Greek spells it (ς at the end of a word), so `ΟΔΟΣ`, `Οδοσ` and `οδος` agree.
 */
export function foldTagName(name: string): string {
  return name.normalize('NFC').replace(/[σς]/g, 'Σ').toLowerCase().normalize('NFC');
}

/**
 * A slug in the tag's own script, for a tag the ASCII rule leaves empty: its words (letters,
 * marks and digits, see WORD) joined by "-", folded as foldTagName folds (`Київ` → `київ`,
 * `東京` → `東京`, `ß` → `ß`). "" when it has none (`🎉`, `++`): such a tag needs a tagSlugs entry.
 */
export function unicodeSlug(name: string): string {
  const words = foldTagName(name.replace(INVISIBLE, '')).match(WORD) ?? [];
  // A combining mark with no letter before it (left after the emoji it decorated) is no word.
  return words.filter((word) => LETTER_OR_DIGIT.test(word)).join('-');
}

/** A tag's slug by recap's rules alone: the ASCII slug, or when that is empty the tag's own script's. */
export function slugifyTag(name: string): string {
  return asciiSlug(name) || unicodeSlug(name);
}

/**
 * A new post's slug (`recap new`) from its title: the ASCII slug when that keeps every letter of
 * the title (accents aside: `Zürich meetup` → `zurich-meetup`, as always), else the slug in the
 * title's own script (`東京ミートアップ 6月` → `東京ミートアップ-6月`, not the `6` the ASCII rule
 * leaves; `Grüße aus Zürich` → `grüße-aus-zürich`). A new file has no URL to keep yet.
 */
export function postSlug(title: string): string {
  const letters = title.normalize('NFKD').replace(/\p{M}/gu, '').match(/\p{L}/gu) ?? [];
  return letters.every((letter) => /[A-Za-z]/.test(letter)) ? asciiSlug(title) : unicodeSlug(title);
}

/** One `tagSlugs:` entry of recap.config.yml: the tag as written there, the slug it names, and its line. */
export interface TagSlugSetting {
  tag: string;
  slug: string;
  line?: number;
}

/**
 * The `tagSlugs:` entries by their tag's folded name (foldTagName), so a tag written in another
 * case or normalization finds its entry. A record without a prototype: a tag named `__proto__`
 * or `constructor` is a key like any other. Plain data, as the config is compared as JSON.
 */
export type TagSlugs = Record<string, TagSlugSetting>;

export const noTagSlugs = (): TagSlugs => Object.create(null) as TagSlugs;

/** A tag's slug: its `tagSlugs:` entry's, or recap's rule's (slugifyTag). */
export function tagSlug(name: string, named: TagSlugs): string {
  const key = foldTagName(name);
  return Object.hasOwn(named, key) ? named[key].slug : slugifyTag(name);
}

/** What a slug written in `tagSlugs:` may hold besides letters, marks and digits: nothing a URL or a host reads as anything. */
const SLUG_PUNCTUATION = '-_.~';
const SLUG_CHARACTER = /^(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{M}\p{N}]$/u;
const UNSEEN = /^[\p{C}\p{Z}\p{Default_Ignorable_Code_Point}]$/u;

/**
 * Why `slug` cannot be a slug named in `tagSlugs:`, or undefined. One segment of a URL of letters,
 * marks and digits of any script and - _ . ~, so it needs no percent-encoding a reader would see
 * (`+` would be a space on some hosts, `%` is read as an encoding, `/` makes two segments).
 */
export function namedSlugReason(slug: string): string | undefined {
  if (slug === '') return 'is empty';
  if (slug === '.' || slug === '..') return 'names no folder of its own ("." is the folder itself, ".." the one above)';
  if (slug.startsWith('.')) return 'starts with "." (a hidden folder, which many hosts do not serve)';
  for (const c of slug) {
    if (SLUG_PUNCTUATION.includes(c) || SLUG_CHARACTER.test(c)) continue;
    const what = c === ' ' ? 'a space' : UNSEEN.test(c) ? `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which cannot be seen` : `"${c}"`;
    return `has ${what}; a slug is letters and digits (of any script) and - _ . ~, like c-sharp`;
  }
  return undefined;
}
