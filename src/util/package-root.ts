import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** recap's own folder (the checkout, or the installed package): compiled code runs from dist/src/. */
export const PACKAGE_ROOT = path.resolve(fileURLToPath(import.meta.url), '../../../..');

/** The version installed of a package recap depends on, found as Node would find it from recap's folder. */
export function installedVersion(name: string): string {
  const require = createRequire(path.join(PACKAGE_ROOT, 'package.json'));
  for (const folder of require.resolve.paths(name) ?? []) {
    try {
      return `${name}@${(JSON.parse(fs.readFileSync(path.join(folder, name, 'package.json'), 'utf8')) as { version: string }).version}`;
    } catch {
      // Not in this node_modules: the next one up.
    }
  }
  return `${name}@?`;
}
