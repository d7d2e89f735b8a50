/**
 * `node dist/bench/regex-audit.js [--length 2000] [--slow 2]`: times every regular expression
 * literal in src/ on adversarial strings (one character or pair repeated, with the prefixes and
 * suffixes that make patterns backtrack) and lists the slow ones. A pattern slower than --slow ms
 * at --length is timed again on its worst string at 10× and 100× the length: time growing with
 * the square of the length is super-linear backtracking. Patterns built at run time
 * (`new RegExp`) are listed to be read by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { REPO } from '../test/helpers.js';

interface Found {
  where: string;
  source: string;
  pattern: RegExp;
}

const PUMPS = [' ', '\t', '\n', 'a', '0', '-', ':', '"', "'", '#', '{', '%', '<', '>', '/', '.', '\\', '_', '=', '@', '&', ';', '[', '(', '+', 'T', '|', '*', '!', ',', '~', '$', 'a ', ' a', 'a:', ': ', '-1', '{%', '{{', '<a', '//', '0:', ' #', '\t ', 'a-', '%2', '&#', '--'];
const PREFIXES = ['', 'a', 'a ', 'date: ', 'date: a', '2019-03-06', '2019-03-06 ', '"', '"a', '---', '{{', '{%', '{:', '{#', '<a ', '<div', 'http://', '/', '|', ' ', '(', '\n'];
const SUFFIXES = ['', '\u0000', '!', '\n', ':'];

function regexLiterals(file: string): Found[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Found[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const end = literal.lastIndexOf('/');
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      // A sticky pattern is tried where the code puts it: kept sticky, and run globally it walks its matches.
      const flags = literal.slice(end + 1).replace('g', '');
      found.push({ where: `${path.relative(REPO, file)}:${line + 1}`, source: literal, pattern: new RegExp(literal.slice(1, end), flags) });
    } else if (ts.isNewExpression(node) && node.expression.getText() === 'RegExp') {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      console.log(`built at run time (read by hand): ${path.relative(REPO, file)}:${line + 1}: ${node.getText().slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function timeOn(pattern: RegExp, text: string): number {
  const started = performance.now();
  // Every start position, as a search or replace would try them; a sticky pattern only where the
  // code puts it, which is after its last match: here, from the start.
  const global = new RegExp(pattern.source, pattern.flags + 'g');
  text.replace(global, '');
  return performance.now() - started;
}

function worstCase(pattern: RegExp, length: number): { ms: number; text: (n: number) => string; label: string } {
  let worst = { ms: -1, text: (n: number) => 'a'.repeat(n), label: '' };
  for (const pump of PUMPS) {
    for (const prefix of PREFIXES) {
      for (const suffix of SUFFIXES) {
        const text = (n: number) => prefix + pump.repeat(Math.ceil(n / pump.length)) + suffix;
        const ms = timeOn(pattern, text(length));
        if (ms > worst.ms) worst = { ms, text, label: `${JSON.stringify(prefix)} + ${JSON.stringify(pump)}×n + ${JSON.stringify(suffix)}` };
      }
    }
  }
  return worst;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

const { values } = parseArgs({ options: { length: { type: 'string', default: '2000' }, slow: { type: 'string', default: '2' } } });
const length = Number(values.length);
const slowMs = Number(values.slow);
const all = files(path.join(REPO, 'src')).flatMap(regexLiterals);
console.log(`${all.length} regular expression literals in src/, each on ${PUMPS.length * PREFIXES.length * SUFFIXES.length} strings of ${length} characters`);
let slow = 0;
for (const found of all) {
  const worst = worstCase(found.pattern, length);
  if (worst.ms < slowMs) continue;
  slow++;
  const tenfold = timeOn(found.pattern, worst.text(length * 10));
  const hundredfold = tenfold < 1000 ? `, ${timeOn(found.pattern, worst.text(length * 100)).toFixed(0)} ms at ${length * 100}` : '';
  console.log(`SLOW ${found.where} ${found.source}\n  ${worst.label}: ${worst.ms.toFixed(1)} ms at ${length}, ${tenfold.toFixed(0)} ms at ${length * 10}${hundredfold}`);
}
console.log(slow === 0 ? 'no pattern was slow' : `${slow} slow pattern(s)`);
