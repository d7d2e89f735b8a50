/**
 * A watch session in a process of its own, for test/kill.test.ts to kill: builds the site
 * (argv: root, output folder), prints "ready", then on a line from stdin rebuilds as watch does
 * after a change to templates/base.njk and prints "done <ms writing>".
 */
import { createRebuilder } from '../src/dev/watch.js';

const [root, outDir] = process.argv.slice(2);
const rebuilder = createRebuilder(root, { outDir });
const first = await rebuilder.rebuild([]);
if (!first.result) throw new Error(first.errors?.map((e) => e.format()).join('\n'));
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void rebuilder.rebuild(['templates/base.njk']).then((report) => {
    if (!report.result) throw new Error(report.errors?.map((e) => e.format()).join('\n'));
    process.stdout.write(`done ${Math.round(report.result.timings.write)}\n`);
    process.exit(0);
  });
});
