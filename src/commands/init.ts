import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseCommandArgs } from './args.js';
import { recapSpec } from '../init/recap-spec.js';
import { starterFiles, writeStarter, type StarterWrite } from '../init/starter.js';
import { parseSiteUrl } from '../pipeline/config-checks.js';
import { fileSystemError, SiteError } from '../pipeline/errors.js';
import { localToday } from '../util/dates.js';
import { makeFolder, shownPath } from '../util/files.js';
import { PACKAGE_ROOT } from '../util/package-root.js';
import { asciiSlug } from '../util/slugs.js';
import { plural, printWarnings, UsageError, withSiteErrors, type Io } from './io.js';

const USAGE = `Usage: recap init [DIR] [options]

Creates a meetup site in DIR (default: the current folder; made if missing): recap.config.yml,
posts/ with a sample recap (a draft), pages/ (about, code of conduct, speak, sponsors), static/
with a favicon, package.json, .gitignore, and deploy files for GitHub Pages and Netlify.
Refuses a folder that is not empty (.git and .DS_Store aside); never overwrites a file.

Options:
  --title TEXT         The site's title (asked on a terminal; default: from the folder's name)
  --url URL            The address the site is published at, like https://octo.github.io/my-meetup
                       (asked on a terminal; without it, recap.config.yml has a line to fill in)
  --description TEXT   A sentence about the site, for search results and the feed
  --recap SPEC         package.json's dependency on recap (default: where this recap came from)
  --force              Add the starter's files to a folder that is not empty; files there are kept
  -h, --help           Show this help`;

const DEFAULT_DESCRIPTION = 'Recaps of our meetups: the talks, slides, photos and recordings.';

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    options: {
      title: { type: 'string' },
      url: { type: 'string' },
      description: { type: 'string' },
      recap: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`recap init takes one folder, not ${positionals.length}: recap init my-meetup`);
  if (values.url !== undefined) {
    const parsed = parseSiteUrl(values.url);
    if (typeof parsed === 'string') throw new UsageError(`--url ${parsed}`);
  }
  for (const option of ['title', 'description', 'recap'] as const) {
    if (values[option] !== undefined && values[option].trim() === '') throw new UsageError(`--${option} is empty; leave it out for the default`);
  }
  const dir = path.resolve(positionals[0] ?? '.');
  return withSiteErrors(io, async () => {
    checkFolder(dir, values.force ?? false);
    const defaultTitle = titleFrom(path.basename(dir));
    let { title, url } = values;
    if (io.terminal && (title === undefined || url === undefined)) {
      const answers = await askSettings(io.terminal, io, { title: title === undefined ? defaultTitle : undefined, url: url === undefined });
      if (answers === 'interrupted' || answers === 'ended') {
        io.err('recap init: stopped; nothing was written.');
        return answers === 'interrupted' ? 130 : 1;
      }
      title ??= answers.title;
      url ??= answers.url;
    }
    const spec = values.recap ?? recapSpec(PACKAGE_ROOT);
    const files = starterFiles({
      title: title ?? defaultTitle,
      description: values.description ?? DEFAULT_DESCRIPTION,
      url,
      packageName: packageNameFor(path.basename(dir)),
      recapSpec: spec,
      date: localToday(),
    });
    try {
      makeFolder(dir);
    } catch (error) {
      throw fileSystemError(error, dir) ?? error;
    }
    const result = writeStarter(dir, files);
    printCreated(io, dir, result, spec);
    printReminders(io, result, spec, url);
    printNextSteps(io, dir, positionals[0]);
    return 0;
  });
}

/** What the new site still needs before it is published: a dependency other machines can install, and its address. */
function printReminders(io: Io, result: StarterWrite, spec: string, url: string | undefined): void {
  if (spec.startsWith('file:') && result.written.includes('package.json')) {
    printWarnings(io, [
      `package.json depends on recap at ${spec}, a path on this computer: to build the site on GitHub or Netlify, depend on a git URL or a published version instead (npm install -D git+https://…)`,
    ]);
  }
  if (url === undefined && result.written.includes('recap.config.yml')) {
    io.out(`No url yet: write the site's address in recap.config.yml before you publish it (the GitHub Pages workflow finds its own).`);
  }
}

/**
 * What a folder may hold and still count as empty: a fresh `git init`, and the files an operating
 * system's file browser leaves in a folder it has shown (macOS's .DS_Store, Windows' Thumbs.db
 * and desktop.ini).
 */
const NOT_CONTENT = new Set(['.git', '.DS_Store', 'Thumbs.db', 'desktop.ini']);

/** A folder recap init may write in: missing, empty but for NOT_CONTENT, or any folder with --force; never a file. */
function checkFolder(dir: string, force: boolean): void {
  const named = shownPath(dir) === '.' ? dir : shownPath(dir);
  let entries: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) throw new SiteError(named, 'is a file, not a folder; recap init makes a site in a new or empty folder');
    entries = fs.readdirSync(dir).filter((name) => !NOT_CONTENT.has(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fileSystemError(error, dir) ?? error;
  }
  if (entries.length === 0 || force) return;
  const shown = entries.length > 3 ? `${entries.slice(0, 3).join(', ')} and ${entries.length - 3} more` : entries.join(', ');
  throw new SiteError(named, `is not empty (holds ${shown}); use --force to add the starter's files, which never overwrites one`);
}

/** "my-meetup" → "My Meetup": a title to start from, which the config or a question replaces. */
export function titleFrom(folderName: string): string {
  const words = folderName.split(/[-_.\s]+/).filter(Boolean);
  return words.length === 0 ? 'Our meetup' : words.map((word) => word[0].toUpperCase() + word.slice(1)).join(' ');
}

/**
 * package.json's name from the folder's: lower case, a-z0-9 and "-", as npm requires. Never
 * "recap": npm refuses to install a package into one of the same name.
 */
export function packageNameFor(folderName: string): string {
  const name = asciiSlug(folderName).slice(0, 100).replace(/-$/, '');
  return name === '' ? 'meetup-site' : name === 'recap' ? 'recap-site' : name;
}

/**
 * The title and url asked on the terminal, one line each: Enter takes the default title, or
 * leaves the url for later; a url recap cannot use is asked again with the reason. Ctrl-C
 * ("interrupted") or the input's end ("ended") stops before anything is written.
 */
async function askSettings(
  terminal: NonNullable<Io['terminal']>,
  io: Io,
  ask: { title?: string; url: boolean },
): Promise<{ title?: string; url?: string } | 'interrupted' | 'ended'> {
  const output = terminal.output as NodeJS.WritableStream & { isTTY?: boolean };
  const readline = createInterface({ input: terminal.input, output, terminal: Boolean(output.isTTY) });
  let interrupted = false;
  readline.on('SIGINT', () => {
    interrupted = true;
    readline.close();
  });
  // Lines are read through the iterator, which keeps those typed ahead and ends with the input.
  const lines = readline[Symbol.asyncIterator]();
  const question = async (prompt: string): Promise<string | undefined> => {
    readline.setPrompt(prompt);
    readline.prompt();
    const next = await lines.next();
    return next.done ? undefined : (next.value as string).trim();
  };
  try {
    const answers: { title?: string; url?: string } = {};
    if (ask.title !== undefined) {
      const title = await question(`Site title (${ask.title}): `);
      if (title === undefined) return interrupted ? 'interrupted' : 'ended';
      answers.title = title === '' ? ask.title : title;
    }
    while (ask.url) {
      const url = await question(`Site address, like https://octo.github.io/my-meetup (Enter to set it later): `);
      if (url === undefined) return interrupted ? 'interrupted' : 'ended';
      if (url === '') break;
      const parsed = parseSiteUrl(url);
      if (typeof parsed !== 'string') {
        answers.url = url;
        break;
      }
      io.err(`The address ${parsed}.`);
    }
    return answers;
  } finally {
    readline.close();
  }
}

/** What was written, in short: the top-level files, and folders by name (a folder of one file by its path); then what was kept. */
function printCreated(io: Io, dir: string, result: StarterWrite, spec: string): void {
  const byTop = new Map<string, string[]>();
  for (const file of result.written) {
    const top = file.split('/')[0];
    byTop.set(top, [...(byTop.get(top) ?? []), file]);
  }
  const shown = [...byTop.values()].map((files) => (files.length === 1 ? files[0] : `${files[0].split('/')[0]}/`));
  const where = shownPath(dir) === '.' ? 'the current folder' : `${shownPath(dir)}/`;
  if (result.written.length > 0) io.out(`Created a recap site in ${where} (${plural(result.written.length, 'file')}): ${shown.join(', ')}`);
  else io.out(`Wrote nothing in ${where}: every file of the starter is there already.`);
  for (const kept of result.kept) {
    // The site's own package.json may not know recap yet: npm install -D adds it, leaving the rest as it is.
    const add = kept.path === 'package.json' ? ` If it does not list recap yet: npm install -D ${shellWord(spec)}` : '';
    io.out(`Kept your ${kept.path} (${kept.reason}).${add}`);
  }
}

/**
 * The next three commands: into the folder (as the user named it), install, serve; already in
 * it: install, start a post, serve.
 */
function printNextSteps(io: Io, dir: string, named: string | undefined): void {
  const inside = dir === process.cwd();
  const steps = [
    ...(inside ? [] : [[`cd ${shellWord(notAnOption(named ?? dir))}`, '']]),
    ['npm install', 'installs recap and what it needs'],
    ...(inside ? [['npx recap new "Our next meetup"', 'starts a recap in posts/']] : []),
    ['npm run serve', 'shows the site at http://localhost:8080 as you edit, drafts included'],
  ];
  const width = Math.max(...steps.map(([command]) => command.length));
  io.out('');
  io.out('Next:');
  for (const [command, what] of steps) io.out(`  ${what ? `${command.padEnd(width)}  # ${what}` : command}`);
}

/**
 * A path as one word for a POSIX shell: as it is when plain, else in single quotes. A plain word
 * may not start with "#" (the rest of the line would be a comment) or "=" (zsh expands =name).
 */
const shellWord = (text: string) => (/^[\w./@+:,-][\w./@+:#=,-]*$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);

/** A relative path that starts with "-" as ./-…: quoting does not stop cd reading -x as an option, or - as the last folder. */
const notAnOption = (folder: string) => (folder.startsWith('-') ? `./${folder}` : folder);
