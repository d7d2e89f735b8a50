import { closest } from './util/closest.js';
import { defaultIo, UsageError, type Command, type Io } from './commands/io.js';

const USAGE = `Usage: recap <command> [options]

A static site generator for meetup recap posts.

Commands:
  init      Create a new meetup site: recap init my-meetup
  build     Build the site into the output folder (default: public/)
  new       Start a new post: recap new "Cloud Native London, May 2026"
  check     Check the built site for links, images and anchors that point at nothing
  migrate   Write recap.config.yml from a Jekyll site's _config.yml
  watch     Build, then rebuild whenever posts, templates, static files or the config change
  serve     Watch, and serve the site on a local web server that reloads open pages

Options:
  -h, --help     Show help (also: recap help <command>, recap <command> --help)
  -v, --version  Show recap's version

Run "recap help build" for the build options.`;

/** Each command's module is loaded only when it runs: a build never loads the watcher or the server. */
const COMMANDS = new Map<string, () => Promise<Command>>([
  ['init', async () => (await import('./commands/init.js')).run],
  ['build', async () => (await import('./commands/build.js')).run],
  ['new', async () => (await import('./commands/new.js')).run],
  ['check', async () => (await import('./commands/check.js')).run],
  ['migrate', async () => (await import('./commands/migrate.js')).run],
  ['watch', async () => (await import('./commands/watch.js')).run],
  ['serve', async () => (await import('./commands/serve.js')).run],
]);

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** argv (without node and script) → exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let [command, ...rest] = argv;
  // `recap help build` is `recap build --help`, as git and npm have it.
  if (command === 'help' && rest.length > 0) [command, rest] = [rest[0], ['--help']];
  try {
    if (command === undefined) {
      io.err(USAGE);
      return 2;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (command === '-v' || command === '--version') {
      io.out(await version());
      return 0;
    }
    const load = COMMANDS.get(command);
    if (!load) {
      const guess = closest(command, [...COMMANDS.keys()]);
      throw new UsageError(`unknown command "${command}"${guess ? `; did you mean "recap ${guess}"?` : ''}`);
    }
    const run = await load();
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`recap: ${error.message}`);
      io.err(COMMANDS.has(command) ? `Run "recap ${command} --help" for its options.` : 'Run "recap --help" for usage.');
      return 2;
    }
    throw error;
  }
}
