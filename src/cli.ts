import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from './build.js';
import { loadConfig } from './config.js';
import { BuildFailedError, SiteError } from './errors.js';

const USAGE = `Usage: recap <command> [options]

A static site generator for meetup recap posts.

Commands:
  build     Build the site into the output folder (default: public/)

Options:
  -h, --help     Show help (also: recap <command> --help)
  -v, --version  Show recap's version

Run "recap build --help" for the build options.`;

const BUILD_USAGE = `Usage: recap build [options]

Builds posts/ (or Jekyll's _posts/), templates/ and static/ into a complete site.
The output folder is replaced whole on success and left untouched on failure.

Options:
  --root DIR   Site folder (default: the current folder)
  --out DIR    Output folder (default: public/ in the site folder)
  --drafts     Also build posts with "draft: true"
  --future     Also build posts dated in the future
  -h, --help   Show this help

Exit codes: 0 built, 1 content errors (each printed as file:line:column: message), 2 bad usage.`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal that may show colour and a progress line. */
  interactive: boolean;
  color: boolean;
}

function defaultIo(): Io {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    interactive,
    color: interactive && process.env.NO_COLOR === undefined,
  };
}

class UsageError extends Error {}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** One line on a terminal, rewritten in place; shown only once work has taken over a second. */
function progressLine(io: Io): { update: (stage: string, done: number, total: number) => void; clear: () => void } {
  const started = Date.now();
  let shown = false;
  let last = 0;
  return {
    update(stage, done, total) {
      if (!io.interactive) return;
      const now = Date.now();
      if (now - started < 1000 || (now - last < 100 && done < total)) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[K${stage} ${done}/${total}`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

async function runBuild(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      root: { type: 'string' },
      out: { type: 'string' },
      drafts: { type: 'boolean' },
      future: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.out(BUILD_USAGE);
    return 0;
  }
  const red = (text: string) => (io.color ? `\x1b[31m${text}\x1b[39m` : text);
  const progress = progressLine(io);
  try {
    const outDir = values.out === undefined ? undefined : path.resolve(values.out);
    const config = loadConfig(values.root ?? '.', { outDir, drafts: values.drafts, future: values.future });
    const result = await build(config, { onProgress: progress.update });
    progress.clear();
    const where = path.relative(process.cwd(), result.outDir) || '.';
    io.out(`Built ${result.posts} post${result.posts === 1 ? '' : 's'} into ${where}/: ${result.files} files (${result.pages} pages) in ${(result.timings.total / 1000).toFixed(2)} s`);
    return 0;
  } catch (error) {
    progress.clear();
    const errors = error instanceof BuildFailedError ? error.errors : error instanceof SiteError ? [error] : undefined;
    if (!errors) throw error;
    for (const e of errors) io.err(`${red('error')} ${e.format()}`);
    io.err(`Build failed with ${errors.length} error${errors.length === 1 ? '' : 's'}; the output folder was left as it was.`);
    return 1;
  }
}

/** argv (without node and script) → exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
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
    if (command === 'build') return await runBuild(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`recap: ${(error as Error).message}`);
      io.err('Run "recap --help" for usage.');
      return 2;
    }
    throw error;
  }
}
