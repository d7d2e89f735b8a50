/**
 * Trimming a set of characters from the ends of a text, by walking from each end. A regular
 * expression like /,+$/ or /^-+|-+$/g looks for its match from every position, and in a long run
 * of those characters that does not reach the end it walks the run again from each of them:
 * quadratic time on one long line. These are linear.
 */

/** The characters of a set: listed in a string, or matched one at a time by a character class. */
const member = (set: string | RegExp) => (typeof set === 'string' ? (c: string) => set.includes(c) : (c: string) => set.test(c));

/** The text without the characters of `set` at its end. */
export function trimEndOf(text: string, set: string | RegExp): string {
  const inSet = member(set);
  let end = text.length;
  while (end > 0 && inSet(text[end - 1])) end--;
  return text.slice(0, end);
}

/** The text without the characters of `set` at its start. */
export function trimStartOf(text: string, set: string | RegExp): string {
  const inSet = member(set);
  let start = 0;
  while (start < text.length && inSet(text[start])) start++;
  return text.slice(start);
}

/** The text without the characters of `set` at either end. */
export const trimOf = (text: string, set: string | RegExp) => trimStartOf(trimEndOf(text, set), set);
