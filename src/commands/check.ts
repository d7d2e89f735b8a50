import fs from 'node:fs';
import path from 'node:path';
import { parseCommandArgs } from './args.js';
import type { SiteCheck } from '../check/links.js';
import { loadConfig } from '../pipeline/config.js';
import type { SiteConfig, SitePlan } from '../pipeline/types.js';
import { readOutputState } from '../pipeline/output-marker.js';
import { shownPath } from '../util/files.js';
import { plural, printWarnings, siteOptions, withSiteErrors, type Io } from './io.js';

const USAGE = `Usage: recap check [options]

Reads the built site and reports every internal link, image, stylesheet or script that
points at nothing, every #anchor missing on its target page, and every page whose
canonical link, og:url, og:image or twitter:image is not an absolute http(s) URL (the
site has no url: set), grouped by the post or page that produced it. External links are
not fetched. Run it after "recap build", or use "recap build --check".

Options:
  --root DIR   Site folder (default: the current folder)
  --out DIR    The built site (default: public/ in the site folder)
  --url URL, --base-path PATH
               The address it was built for, when "recap build" was given them
  -h, --help   Show this help

Exit codes: 0 nothing found, 1 broken links or relative URLs (or site errors), 2 bad usage.`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { root: { type: 'string' }, out: { type: 'string' }, url: { type: 'string' }, 'base-path': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
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
    const { checkSite } = await import('../check/links.js');
    const { planFrontMatter } = await import('../pipeline/build.js');
    const found = checkSite(config.outDir, config.basePath, config.url);
    // Planning is most of a check's time: done only to group what was found.
    const origins = found.broken.length + found.relativeShareUrls.length > 0 ? outputOrigins(await planFrontMatter(config)) : new Map<string, string>();
    return reportFindings(io, found, origins, config.url);
  });
}

/**
 * build --check: the marker the build just wrote lists every file it made (the plan's, and the
 * photos' copies and the search index made from them), so only those are checked.
 */
export async function checkBuiltSite(io: Io, config: SiteConfig, plan: SitePlan): Promise<number> {
  const { checkSite } = await import('../check/links.js');
  const origins = outputOrigins(plan);
  const state = readOutputState(config.outDir);
  const built = (state.kind === 'complete' ? state.files : undefined) ?? origins.keys();
  return reportFindings(io, checkSite(config.outDir, config.basePath, config.url, built), origins, config.url);
}

/** Output path → the file that asked for it ("" for generated pages). */
function outputOrigins(plan: SitePlan): Map<string, string> {
  return new Map([...plan.outputs.map((p) => [p.outPath, p.origin.file] as const), ...plan.copies.map((c) => [c.outPath, c.origin.file] as const)]);
}

/** Prints broken links and relative sharing URLs grouped by the file that produced each page; returns the exit code. */
function reportFindings(io: Io, { broken, relativeShareUrls }: SiteCheck, origins: Map<string, string>, siteUrl: string): number {
  if (broken.length === 0 && relativeShareUrls.length === 0) {
    io.out('Checked links: nothing broken.');
    return 0;
  }
  const lines = [
    ...broken.map((link) => ({ page: link.page, line: `${link.page}: ${link.reference} ${link.problem}` })),
    ...relativeShareUrls.map(({ page, tags }) => ({
      page,
      line: `${page}: ${tags.map(({ tag, value }) => `${tag} ${JSON.stringify(value)}`).join(', ')} ${tags.length === 1 ? 'is not an absolute URL' : 'are not absolute URLs'}`,
    })),
  ];
  const groups = new Map<string, string[]>();
  for (const { page, line } of lines) {
    const source = origins.get(page) || page;
    let group = groups.get(source);
    if (!group) groups.set(source, (group = []));
    group.push(line);
  }
  for (const [source, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    io.err(source);
    for (const line of group) io.err(`  ${line}`);
  }
  if (broken.length > 0) io.err(`Found ${plural(broken.length, 'broken link')} on ${plural(new Set(broken.map((b) => b.page)).size, 'page')}.`);
  if (relativeShareUrls.length > 0) {
    // Without url: the theme has no host to put in front of a path; with it, a layout printed the path alone.
    const fix = siteUrl
      ? 'print them with the absoluteUrl filter (absolute_url in a Jekyll layout)'
      : 'set url: in recap.config.yml (in _config.yml for a Jekyll site) to the address the site is published at';
    io.err(`Found ${plural(relativeShareUrls.length, 'page')} whose canonical or sharing URLs are not absolute; search engines and link previews need https://…: ${fix}.`);
  }
  return 1;
}
