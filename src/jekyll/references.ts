/**
 * Jekyll's post_url and link, as markers in a rendered body that planning resolves. Kept apart
 * from liquid.ts so that recap's own sites never load the Liquid engine.
 */

/** A `{% post_url %}` or `{% link %}` in a body: resolved to a URL once every post has one (see plan). */
export interface Reference {
  kind: 'post_url' | 'link';
  target: string;
  line: number;
}

/** Stands in the rendered body for a reference's URL until planning knows it. URL-safe, so markdown keeps it as written. */
export const referenceMarker = (index: number) => `recap-reference:${index}:`;
export const REFERENCE_MARKER = /recap-reference:(\d+):/g;
/** What every marker starts with: a cheap test before REFERENCE_MARKER is run. */
export const REFERENCE_PREFIX = 'recap-reference:';

/** The render variable holding the body's list of references. */
export const REFERENCES_KEY = '__recapReferences';

/** "tag "x" not found, line:2, col:1" → its line and column. */
export function liquidErrorLocation(error: unknown): { message: string; line?: number; column?: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const match = /,\s*line:(\d+),\s*col:(\d+)/.exec(raw);
  return { message: raw.replace(/,\s*line:\d+,\s*col:\d+.*$/s, ''), line: match ? Number(match[1]) : undefined, column: match ? Number(match[2]) : undefined };
}
