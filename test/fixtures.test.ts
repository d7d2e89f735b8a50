import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildErrors, buildInto, FIXTURES, INVALID_FIXTURES, listTree } from './helpers.js';

const UPDATE = process.env.UPDATE === '1';

/** A readable diff: the first differing line with two lines of context either side, - expected, + actual. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    const from = Math.max(0, i - 2);
    const context = (lines: string[], to: number) => lines.slice(from, i).map((line) => `  ${line}`).concat(lines.slice(i, to));
    const removed = a.slice(i, i + 3).map((line) => `- ${line}`);
    const added = b.slice(i, i + 3).map((line) => `+ ${line}`);
    return `line ${i + 1}:\n${[...context(a, i), ...removed, ...added].join('\n')}`;
  }
  return 'no difference';
}

/**
 * The marker's build id hashes every file, so it differs whenever anything does: content files
 * are compared first, so a mismatch names the file that really differs.
 */
const MARKER = '.recap-built';
const markerLast = (files: string[]) => [...files.filter((f) => f !== MARKER), ...files.filter((f) => f === MARKER)];

const caseNames = (dir: string) => fs.readdirSync(dir).filter((name) => fs.statSync(path.join(dir, name)).isDirectory()).sort();

describe('fixture sites build to exactly their expected/ output', () => {
  for (const name of caseNames(FIXTURES)) {
    it(name, async () => {
      const root = path.join(FIXTURES, name);
      const expectedDir = path.join(root, 'expected');
      const outDir = await buildInto(root);
      if (UPDATE) {
        fs.rmSync(expectedDir, { recursive: true, force: true });
        fs.cpSync(outDir, expectedDir, { recursive: true });
      }
      const files = listTree(outDir);
      assert.deepEqual(files, listTree(expectedDir), 'the list of output files');
      for (const file of markerLast(files)) {
        const actual = fs.readFileSync(path.join(outDir, file));
        const expected = fs.readFileSync(path.join(expectedDir, file));
        if (!actual.equals(expected)) {
          assert.fail(`${name}/expected/${file} differs at ${firstDifference(expected.toString('utf8'), actual.toString('utf8'))}\n(run UPDATE=1 npm test to accept, then review the diff)`);
        }
      }
    });
  }
});

describe('invalid sites fail with exactly the expected errors', () => {
  for (const name of caseNames(INVALID_FIXTURES)) {
    it(name, async () => {
      const root = path.join(INVALID_FIXTURES, name);
      const expectedFile = path.join(root, 'expected-errors.txt');
      const errors = await buildErrors(root);
      if (UPDATE) fs.writeFileSync(expectedFile, errors.join('\n') + '\n');
      assert.deepEqual(errors, fs.readFileSync(expectedFile, 'utf8').trimEnd().split('\n'));
    });
  }
});
