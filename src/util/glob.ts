/**
 * File name patterns as Ruby's File.fnmatch reads Jekyll's exclude and include entries: `*` any
 * run of characters ("/" included), `?` one character, `[abc]`, `[a-z]`, `[!a]` one of a set.
 * Matched by walking, not by a regular expression built from the pattern: `*a*a*a*a*b` would
 * make one backtrack exponentially, and an unclosed `[` would make one invalid.
 */

type Token = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'star' } | { kind: 'set'; negated: boolean; test: (c: string) => boolean };

/** A `[...]` set starting at `at`, and where it ends; undefined when it is never closed (then `[` is literal). */
function readSet(pattern: string, at: number): { token: Token; next: number } | undefined {
  let i = at + 1;
  const negated = pattern[i] === '!' || pattern[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  // A "]" first in the set is one of its characters.
  for (let first = true; i < pattern.length && (first || pattern[i] !== ']'); first = false) {
    const from = pattern[i];
    const ranged = pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']';
    ranges.push([from, ranged ? pattern[i + 2] : from]);
    i += ranged ? 3 : 1;
  }
  if (i >= pattern.length) return undefined;
  const test = (c: string) => ranges.some(([low, high]) => c >= low && c <= high) !== negated;
  return { token: { kind: 'set', negated, test }, next: i + 1 };
}

function tokens(pattern: string): Token[] {
  const result: Token[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    const set = c === '[' ? readSet(pattern, i) : undefined;
    if (set) {
      result.push(set.token);
      i = set.next;
      continue;
    }
    // Runs of "*" mean the same as one.
    if (c === '*' && result[result.length - 1]?.kind === 'star') {
      i++;
      continue;
    }
    result.push(c === '*' ? { kind: 'star' } : c === '?' ? { kind: 'one' } : { kind: 'char', char: c });
    i++;
  }
  return result;
}

const matchesOne = (token: Token, c: string) => (token.kind === 'one' ? true : token.kind === 'char' ? token.char === c : token.kind === 'set' ? token.test(c) : false);

/**
 * Whether the whole text matches. On a mismatch only the last `*` takes one more character:
 * at most (text length × pattern length) steps.
 */
function matches(pattern: Token[], text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let starText = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p].kind === 'star') {
      star = p++;
      starText = t;
    } else if (p < pattern.length && matchesOne(pattern[p], text[t])) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p].kind === 'star') p++;
  return p === pattern.length;
}

/** Whether a text is a pattern (has `*`, `?` or `[`). */
export const isGlob = (text: string) => /[*?[]/.test(text);

/** A test of whole texts against a pattern. */
export function globMatcher(pattern: string): (text: string) => boolean {
  const compiled = tokens(pattern);
  return (text) => matches(compiled, text);
}
