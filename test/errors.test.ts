import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCount, printBuildFailure, SHOWN_ERRORS, shownErrors, type Io } from '../src/commands/io.js';
import { FrontMatterError, SiteError, sortErrors } from '../src/pipeline/errors.js';

/** `count` errors in each of `files` files named f000.md, f001.md… (from f`first`), at lines 1, 2… */
function errorsIn(files: number, count: number, first = 0): SiteError[] {
  const errors: SiteError[] = [];
  for (let f = first; f < first + files; f++) {
    for (let line = 1; line <= count; line++) errors.push(new FrontMatterError(`f${String(f).padStart(3, '0')}.md`, `problem ${line}`, { line }));
  }
  return errors;
}

function captured(): { io: Io; lines: string[] } {
  const lines: string[] = [];
  return { io: { out: (line) => lines.push(line), err: (line) => lines.push(line), interactive: false, color: false }, lines };
}

describe('sortErrors', () => {
  it('says an error found twice once', () => {
    const twice = [new FrontMatterError('_includes/x.html', 'links out of the site'), new FrontMatterError('a.md', 'other', { line: 2 }), new FrontMatterError('_includes/x.html', 'links out of the site')];
    assert.deepEqual(sortErrors(twice).map((e) => e.format()), ['_includes/x.html: links out of the site', 'a.md:2: other']);
  });

  it('orders by file, then line (a file\'s errors without a line first), then column, keeping the order found at one place', () => {
    const found = [
      new SiteError('posts/b.md', 'b3', { line: 3 }),
      new SiteError('posts/a.md', 'a9', { line: 9 }),
      new SiteError('posts/b.md', 'b-none'),
      new SiteError('posts/a.md', 'a2:5', { line: 2, column: 5 }),
      new SiteError('posts/a.md', 'a2:1', { line: 2, column: 1 }),
      new SiteError('posts/a.md', 'a2:1 again', { line: 2, column: 1 }),
      new SiteError('_posts/c.md', 'c'),
    ];
    assert.deepEqual(sortErrors(found).map((e) => e.message), ['c', 'a2:1', 'a2:1 again', 'a2:5', 'a9', 'b-none', 'b3']);
  });
});

describe('printing many errors', () => {
  it('counts errors and files', () => {
    assert.equal(errorCount(errorsIn(1, 1)), '1 error');
    assert.equal(errorCount(errorsIn(1, 3)), '3 errors in 1 file');
    assert.equal(errorCount(errorsIn(22, 1).concat(errorsIn(6, 1, 0))), '28 errors in 22 files');
  });

  it('prints every error when there are up to 200', () => {
    const { io, lines } = captured();
    printBuildFailure(io, errorsIn(40, 5), 'nothing was written.');
    assert.equal(lines.length, SHOWN_ERRORS + 1);
    assert.equal(lines.at(-1), 'Build failed with 200 errors in 40 files; nothing was written.');
  });

  it('stops at the last whole file within 200 errors and counts the rest', () => {
    const { io, lines } = captured();
    // 7 errors a file: 28 whole files are 196 errors; the 29th would pass 200.
    printBuildFailure(io, errorsIn(1000, 7), 'nothing was written.');
    assert.equal(lines.length, 196 + 2);
    assert.equal(lines[195], 'error f027.md:7: problem 7');
    assert.deepEqual(lines.slice(-2), [
      '… and 6804 more errors (in 972 files) not shown: fix those above and build again to see them',
      'Build failed with 7000 errors in 1000 files; nothing was written.',
    ]);
  });

  it('cuts one file with more than 200 errors at 200', () => {
    const { shown, rest } = shownErrors(errorsIn(1, 500).concat(errorsIn(3, 1, 1)));
    assert.equal(shown.length, SHOWN_ERRORS);
    assert.equal(rest, '… and 303 more errors (in 4 files) not shown: fix those above and build again to see them');
  });
});
