import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BrokenLink } from '../check/links.js';
import { loadConfig } from '../pipeline/config.js';
import type { SiteConfig, SitePlan } from '../pipeline/types.js';
import { readOutputState } from '../pipeline/output-marker.js';
import { shownPath } from '../util/files.js';
import { plural, printWarnings, siteOptions, withSiteErrors, type Io } from './io.js';

const USAGE = `Usage: recap check [options]

Reads the built site and reports every internal link, image, stylesheet or script that
points at nothing, and every #anchor missing on its target page, grouped by the post or
page that produced it. External links are not fetched. Run it after "recap build", or
use "recap build --check".

Options:
  --root DIR   Site folder (default: the current folder)
  --out DIR    The built site (default: public/ in the site folder)
  -h, --help   Show this help

Exit codes: 0 nothing broken, 1 broken links (or site errors), 2 bad usage.`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { root: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  return withSiteErrors(io, async () => {
    // check only reads the output, whoever wrote it.
    const config = loadConfig(values.root ?? '.', siteOptions(values));
    if (!fs.existsSync(config.outDir)) {
      io.err(`recap: ${path.relative(process.cwd(), config.outDir) || '.'} does not exist; run "recap build" first.`);
      return 1;
    }
    const state = readOutputState(config.outDir, false);
    if (state.kind === 'updating') {
      printWarnings(io, [`${shownPath(config.outDir)}/ is part-way through an update (by process ${state.pid}): some files are from each of two builds; run "recap build" before deploying it`]);
    }
    const { checkLinks } = await import('../check/links.js');
    const { planFrontMatter } = await import('../pipeline/build.js');
    const broken = checkLinks(config.outDir, config.basePath, config.url);
    // Planning is most of a check's time: done only to group what is broken.
    const origins = broken.length > 0 ? outputOrigins(await planFrontMatter(config)) : new Map<string, string>();
    return reportBrokenLinks(io, broken, origins);
  });
}

/** build --check: the plan just built names every output, so only those are checked. */
export async function checkBuiltSite(io: Io, config: SiteConfig, plan: SitePlan): Promise<number> {
  const { checkLinks } = await import('../check/links.js');
  const origins = outputOrigins(plan);
  return reportBrokenLinks(io, checkLinks(config.outDir, config.basePath, config.url, origins.keys()), origins);
}

/** Output path → the file that asked for it ("" for generated pages). */
function outputOrigins(plan: SitePlan): Map<string, string> {
  return new Map([...plan.outputs.map((p) => [p.outPath, p.origin.file] as const), ...plan.copies.map((c) => [c.outPath, c.origin.file] as const)]);
}

/** Prints broken links grouped by the file that produced each page; returns the exit code. */
function reportBrokenLinks(io: Io, broken: BrokenLink[], origins: Map<string, string>): number {
  if (broken.length === 0) {
    io.out('Checked links: nothing broken.');
    return 0;
  }
  const groups = new Map<string, BrokenLink[]>();
  for (const link of broken) {
    const source = origins.get(link.page) || link.page;
    let group = groups.get(source);
    if (!group) groups.set(source, (group = []));
    group.push(link);
  }
  for (const [source, links] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    io.err(source);
    for (const link of links) io.err(`  ${link.page}: ${link.reference} ${link.problem}`);
  }
  io.err(`Found ${plural(broken.length, 'broken link')} on ${plural(new Set(broken.map((b) => b.page)).size, 'page')}.`);
  return 1;
}
