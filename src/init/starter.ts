/**
 * A new site's files (recap init): the folder starter/ of recap's package, copied as it is but for
 * recap.config.yml and package.json, which get the site's title, description, url and its
 * dependency on recap, and the sample post, named with the day it was made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileSystemError } from '../pipeline/errors.js';
import { lstatOrNone, makeFolder } from '../util/files.js';
import { PACKAGE_ROOT } from '../util/package-root.js';
import { yamlQuoted } from '../util/yaml.js';

export const STARTER_DIR = path.join(PACKAGE_ROOT, 'starter');

export interface StarterSettings {
  title: string;
  description: string;
  /** The site's address; without one, recap.config.yml has a commented-out url to fill in. */
  url?: string;
  /** package.json's name. */
  packageName: string;
  /** package.json's dependency on recap (see recap-spec.ts). */
  recapSpec: string;
  /** YYYY-MM-DD: the date in the sample post's name. */
  date: string;
}

/** A file of the new site: its path in the site ("/" separators) and what it holds. */
export interface StarterFile {
  path: string;
  content: string | Buffer;
}

/**
 * Names stored without their leading dot in starter/: npm leaves every .gitignore out of a package
 * it packs, and a dot folder is easily missed in a listing of the starter.
 */
const STORED_NAMES = new Map([
  ['gitignore', '.gitignore'],
  ['github', '.github'],
]);

/** In the sample post's file and folder names, replaced by the day `recap init` runs. */
const DATE_IN_NAME = 'YYYY-MM-DD';

/** Every file of the starter as the site gets it, by path. */
export function starterFiles(settings: StarterSettings, starterDir = STARTER_DIR): StarterFile[] {
  const entries = fs.readdirSync(starterDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return entries
    .map((entry) => {
      const source = path.join(entry.parentPath, entry.name);
      const [first, ...rest] = path.relative(starterDir, source).split(path.sep);
      const site = [STORED_NAMES.get(first) ?? first, ...rest].join('/').replaceAll(DATE_IN_NAME, settings.date);
      if (site === 'recap.config.yml') return { path: site, content: configText(fs.readFileSync(source, 'utf8'), settings) };
      if (site === 'package.json') return { path: site, content: packageText(fs.readFileSync(source, 'utf8'), settings) };
      return { path: site, content: fs.readFileSync(source) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** recap.config.yml with its __TITLE__, __DESCRIPTION__ and __URL__ lines filled in, each value quoted. */
function configText(template: string, settings: StarterSettings): string {
  const values = new Map([
    ['TITLE', yamlQuoted(settings.title)],
    ['DESCRIPTION', yamlQuoted(settings.description)],
    [
      'URL',
      settings.url === undefined
        ? "# url: https://your-meetup.example.org  # TODO: the site's address, for the feed, sitemap, share cards and recap check: uncomment this line and write it"
        : `url: ${yamlQuoted(settings.url)}`,
    ],
  ]);
  return template.replace(/__([A-Z]+)__/g, (placeholder, name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`starter/recap.config.yml has an unknown placeholder ${placeholder}`);
    return value;
  });
}

/** package.json with the site's name and its dependency on recap. */
function packageText(template: string, settings: StarterSettings): string {
  const manifest = JSON.parse(template) as { devDependencies?: Record<string, string>; allowScripts?: Record<string, boolean> };
  const filled = {
    ...manifest,
    name: settings.packageName,
    devDependencies: { ...manifest.devDependencies, recap: settings.recapSpec },
    // npm 11 lists the install scripts of packages from a tarball or git URL that allowScripts does
    // not approve (a warning at every install), and later versions skip them: recap from git
    // compiles itself in its `prepare`. Its key is the spec itself (npm install-scripts approve
    // writes it so); sharp (prebuilt binaries) and @parcel/watcher (sass's, unused) are denied
    // as recap's own package.json denies them.
    allowScripts: fromRegistry(settings.recapSpec) ? manifest.allowScripts : { [settings.recapSpec]: true, ...manifest.allowScripts },
  };
  return JSON.stringify(filled, null, 2) + '\n';
}

/** A version, a range or a tag (^0.1.0, 0.1.x, latest): the registry, whose packages run no prepare. */
const fromRegistry = (spec: string) => /^[\^~<>=*\d]/.test(spec) || /^[a-z][\w.-]*$/i.test(spec);

/** What writing the starter did: files written, and files kept with the reason. */
export interface StarterWrite {
  written: string[];
  kept: { path: string; reason: string }[];
}

/**
 * Writes each file into `dir` where nothing is, never over a file ("wx"): a file already there is
 * kept, and so is one whose folder is a link or a file (nothing is written through a link placed
 * in the site). A write that fails (a full disk) stops with one error naming the file; the files
 * written before it stay.
 */
export function writeStarter(dir: string, files: StarterFile[]): StarterWrite {
  const result: StarterWrite = { written: [], kept: [] };
  for (const file of files) {
    const blocked = notAFolder(dir, file.path);
    if (blocked) {
      result.kept.push({ path: file.path, reason: `${blocked} is a link or a file, not a folder` });
      continue;
    }
    const target = path.join(dir, ...file.path.split('/'));
    try {
      makeFolder(path.dirname(target));
      fs.writeFileSync(target, file.content, { flag: 'wx' });
      result.written.push(file.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (error as NodeJS.ErrnoException).syscall === 'open') {
        result.kept.push({ path: file.path, reason: 'already there' });
        continue;
      }
      // A half-written file would pass for the starter's: nothing is left of it.
      if ((error as NodeJS.ErrnoException).syscall === 'write') fs.rmSync(target, { force: true });
      const hint = result.written.length > 0 ? 'the files before it were written: run recap init --force again to add the rest' : undefined;
      throw fileSystemError(error, target, hint) ?? error;
    }
  }
  return result;
}

/** The first folder on the way to `file` that is there but is no plain folder (a link, a file), or undefined. */
function notAFolder(dir: string, file: string): string | undefined {
  const folders = file.split('/').slice(0, -1);
  for (let depth = 1; depth <= folders.length; depth++) {
    const stat = lstatOrNone(path.join(dir, ...folders.slice(0, depth)));
    if (stat === undefined) return undefined;
    if (!stat.isDirectory()) return folders.slice(0, depth).join('/');
  }
  return undefined;
}
