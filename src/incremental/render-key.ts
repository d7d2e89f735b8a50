/**
 * What every page of a build is rendered with besides its own inputs: the config, the templates
 * (the site's and the theme's, assets included) and recap's own code. Equal keys: a page whose
 * fingerprint is unchanged renders to the same bytes in a new process too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SiteConfig } from '../pipeline/types.js';
import { PACKAGE_ROOT } from '../util/package-root.js';
import { sha1 } from '../util/hash.js';

/** Each file under `dir` (links followed), by path, with what the hash of it is made of. */
function listFiles(dir: string, describe: (file: string, stat: fs.Stats) => string): string[] {
  const lines: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile()) lines.push(`${path.relative(dir, file)}\0${describe(file, stat)}`);
  }
  return lines.sort();
}

let code: string | undefined;

/** recap's compiled code and the versions of the packages it renders with, read once per process. */
function codeKey(): string {
  if (code) return code;
  const compiled = path.join(PACKAGE_ROOT, 'dist/src');
  const files = fs.existsSync(compiled) ? listFiles(compiled, (file) => sha1(fs.readFileSync(file, 'utf8'))) : [];
  return (code = sha1([fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'), ...files].join('\n')));
}

/**
 * The render key of a build of this config. Templates count by size and modification time
 * (an edit moves both or the time), not content: a theme's images are not read every build.
 */
export function renderKey(configKey: string, config: SiteConfig): string {
  const templates = config.templateDirs.flatMap((dir) => (fs.existsSync(dir) ? [dir, ...listFiles(dir, (_file, stat) => `${stat.size}:${stat.mtimeMs}`)] : []));
  return sha1([configKey, codeKey(), ...templates].join('\n'));
}
