import { parseCommandArgs } from './args.js';
import { loadConfig } from '../pipeline/config.js';
import { checkBuiltSite } from './check.js';
import { readOutputState } from '../pipeline/output-marker.js';
import { failedOutputOutcome, lockOutputFolder, outDirOf, printBuildFailure, printBuilt, progressLine, SITE_OPTIONS, SITE_OPTIONS_HELP, siteOptions, UsageError, withSiteErrors, type Io } from './io.js';

const USAGE = `Usage: recap build [options]

Builds posts/ (or Jekyll's _posts/), templates/ and static/ into a complete site.
On success the output folder holds exactly this build: written beside it and swapped
in (its keepFiles, such as .git, carried over), or, when it holds the last build and
.recap-cache/ knows it, updated in place with only the changed files. On failure it is
left untouched. A build waits for another recap build writing the same output folder,
and stops if a recap watch or serve is writing it.

Options:
${SITE_OPTIONS_HELP}
  --check      Then check links, images and anchors (see "recap check --help")
  -q, --quiet  Print errors only: no warnings, summary or progress line
  --verbose    Also print each stage's time and how many files were written
  -h, --help   Show this help

Exit codes: 0 built, 1 content errors (each printed as file:line:column: message), 2 bad usage.`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { ...SITE_OPTIONS, check: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, verbose: { type: 'boolean' } }, allowPositionals: false });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose contradict each other');
  const verbosity = values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal';
  const progress = progressLine(verbosity === 'quiet' ? { ...io, interactive: false } : io);
  const site = siteOptions(values);
  const outDir = outDirOf(values.root ?? '.', site);
  const buildAndCheck = async () => {
    const config = loadConfig(values.root ?? '.', site);
    // One writer per output folder: a watch or serve on it, or another build, is not raced.
    const lock = await lockOutputFolder(io, config.outDir, 'build', args);
    try {
      // Loaded only now so that --help and usage errors stay quick.
      const { buildSite } = await import('../pipeline/build.js');
      const result = await buildSite(config, { onProgress: progress.update });
      progress.clear();
      printBuilt(io, result, verbosity);
      // --quiet: broken links are still printed (on stderr), "nothing broken" is not.
      return values.check ? await checkBuiltSite(verbosity === 'quiet' ? { ...io, out: () => {} } : io, config, result.plan) : 0;
    } catch (error) {
      // Whatever went wrong is printed on a line of its own, not after the progress line.
      progress.clear();
      throw error;
    } finally {
      lock.release();
    }
  };
  return withSiteErrors(io, buildAndCheck, (errors) => printBuildFailure(io, errors, failedOutputOutcome(outDir, readOutputState(outDir, false), 'build')));
}
