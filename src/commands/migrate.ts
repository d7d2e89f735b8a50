import path from 'node:path';
import { parseCommandArgs } from './args.js';
import { withSiteErrors, type Io } from './io.js';

const USAGE = `Usage: recap migrate [options]

Writes recap.config.yml with the settings read from a Jekyll site's _config.yml and
reports what it could not carry over. Changes nothing else; never overwrites.

Options:
  --root DIR   Site folder (default: the current folder)
  -h, --help   Show this help`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { root: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const { migrate } = await import('../jekyll/migrate.js');
  return withSiteErrors(io, () => {
    const result = migrate(path.resolve(values.root ?? '.'));
    io.out(`Wrote recap.config.yml: ${Object.keys(result.written).join(', ')}`);
    if (result.stillRead.length) io.out(`Still read from _config.yml (no recap.config.yml key for them): ${result.stillRead.join(', ')}`);
    if (result.notCarried.length) io.out(`Not carried over (only a Jekyll site's Liquid reads them): ${result.notCarried.join(', ')}`);
    return 0;
  });
}
