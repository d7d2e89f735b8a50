/**
 * What every page of a build is rendered with besides its own inputs: the config, the templates
 * (the site's and the theme's, assets included), recap's own code with the packages it resolved,
 * the machine's time zone (a date without one is read in it), and the versions of the Unicode data
 * Intl prints dates in other languages from (Node's ICU, CLDR, time zones). Equal keys: a page whose
 * fingerprint is unchanged renders to the same bytes in a new process too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SiteConfig } from '../pipeline/types.js';
import { installedVersion, PACKAGE_ROOT } from '../util/package-root.js';
import { sha1 } from '../util/hash.js';
import { fileSignature } from '../util/files.js';

/** Files read as templates (small, and worth hashing: an edit within a file system's time tick, or a restored copy, changes no time). */
const TEMPLATE_TEXT = /\.(njk|html|liquid|md|css|scss|js|mjs|json|ya?ml|svg|txt|xml)$/i;

/** Each file under `dir` (not through linked folders), by path, with what the hash of it is made of. */
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

/** recap's compiled code and the installed versions of its dependencies, read once per process. */
export function codeKey(): string {
  if (code) return code;
  const compiled = path.join(PACKAGE_ROOT, 'dist/src');
  const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  const versions = Object.keys(manifest.dependencies ?? {}).sort().map(installedVersion);
  const files = fs.existsSync(compiled) ? listFiles(compiled, (file) => (file.endsWith('.js') ? sha1(fs.readFileSync(file, 'utf8')) : '')) : [];
  return (code = sha1([manifest.version, ...versions, ...files].join('\n')));
}

/** The render key of a build of this config; templates count by content, other theme files (images) by size and time. */
export function renderKey(configKey: string, config: SiteConfig): string {
  const describe = (file: string, stat: fs.Stats) => (TEMPLATE_TEXT.test(file) && stat.size < 1 << 20 ? sha1(fs.readFileSync(file, 'utf8')) : fileSignature(stat));
  const templates = config.templateDirs.flatMap((dir) => (fs.existsSync(dir) ? [dir, ...listFiles(dir, describe)] : []));
  const zone = `${process.env.TZ ?? ''}\0${Intl.DateTimeFormat().resolvedOptions().timeZone}`;
  const intl = `${process.versions.icu}\0${process.versions.cldr}\0${process.versions.tz}`;
  return sha1([configKey, codeKey(), zone, intl, ...templates].join('\n'));
}
