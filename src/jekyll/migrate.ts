import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { CONFIG_FILE } from '../pipeline/config.js';
import { SiteError } from '../pipeline/errors.js';
import { JEKYLL_CONFIG_FILE, readJekyllConfig } from './config.js';

export interface Migration {
  /** The settings written to recap.config.yml. */
  written: Record<string, unknown>;
  /** _config.yml keys recap goes on reading from there (no recap.config.yml key says the same). */
  stillRead: string[];
  /** _config.yml keys recap.config.yml has no setting for: only a Jekyll site's Liquid reads them. */
  notCarried: string[];
}

/** Writes recap.config.yml from a Jekyll site's _config.yml; changes nothing else and never overwrites. */
export function migrate(root: string): Migration {
  const jekyll = readJekyllConfig(root, 'production');
  if (!jekyll) throw new SiteError(JEKYLL_CONFIG_FILE, 'not found: recap migrate reads a Jekyll site\'s _config.yml (pass the site with --root)');
  const target = path.join(root, CONFIG_FILE);
  if (fs.existsSync(target)) throw new SiteError(CONFIG_FILE, 'already exists; recap migrate never overwrites it (delete it to migrate again)');
  const { settings } = jekyll;
  const written: Record<string, unknown> = {};
  for (const key of ['title', 'description', 'url', 'basePath', 'permalink', 'tagPermalink', 'paginate', 'paginatePath', 'keepFiles'] as const) {
    if (settings[key] !== undefined && settings[key] !== '') written[key] = settings[key];
  }
  const stillRead = [
    ...(jekyll.jekyll.defaults.length ? ['defaults'] : []),
    ...(jekyll.jekyll.exclude.length ? ['exclude'] : []),
    ...(jekyll.jekyll.excerptSeparator ? ['excerpt_separator'] : []),
    // What the plugins' files (feed, redirects.json) read from _config.yml, email and uri of the author included.
    ...['author', 'lang', 'feed', 'redirect_from', 'plugins', 'gems'].filter((key) => key in jekyll.jekyll.values),
  ];
  const header = `# Written by "recap migrate" from ${JEKYLL_CONFIG_FILE}; recap reads both, and this file wins.\n`;
  fs.writeFileSync(target, header + yaml.dump(written, { lineWidth: 120 }), { flag: 'wx' });
  return { written, stillRead, notCarried: jekyll.jekyll.ignoredKeys };
}
