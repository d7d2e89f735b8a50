/**
 * How deep a page's elements nest, read by htmlparser2 (void elements and the end tags HTML
 * implies are closed as a browser closes them). A post's raw HTML can nest elements a hundred
 * thousand deep in a megabyte; what reads pages element by element may slow down with the square
 * of that (Pagefind does), so the search step asks this first.
 */
import { Parser } from 'htmlparser2';

/** The deepest nesting of elements in `html`, counted up to `limit` (parsing stops there: the answer is then `limit`). */
export function nestingDepth(html: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let stopped = false;
  const parser: Parser = new Parser({
    onopentagname() {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest >= limit && !stopped) {
        stopped = true;
        parser.pause();
      }
    },
    onclosetag() {
      depth--;
    },
  });
  parser.write(html);
  if (!stopped) parser.end();
  return Math.min(deepest, limit);
}
