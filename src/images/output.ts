/**
 * The images step of a build, after render: every page's images (rendered, unchanged or carried
 * over) asked of the encoder, which has been encoding them since the first page used them; once
 * all are encoded, the copies the output lacks become output files, copied from the image cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Reuse } from '../incremental/reuse.js';
import { OutputConflictError, SiteError } from '../pipeline/errors.js';
import type { OutputFile, SiteConfig, SitePlan } from '../pipeline/types.js';
import { imageCacheFolder, readImageCatalog, SOURCES_FILE } from './catalog.js';
import { ImageEncoder } from './encoder.js';
import { SiteImages } from './site-images.js';

/**
 * Without the cache (--no-cache) copies are encoded into a temporary folder, kept for the rebuilds
 * of a watch session (so a rebuild encodes only new photos) and removed when the process ends.
 * mkdtemp: a fresh folder no other user of the temporary folder can have put (or linked) there first.
 */
function temporaryFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'recap-images-'));
  process.once('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** The site's images for this build, or undefined when images are left as written. */
export async function siteImages(config: SiteConfig, plan: SitePlan, reuse: Reuse): Promise<SiteImages | undefined> {
  if (!config.images.enabled) return undefined;
  const catalog = await reuse.imageCatalog(() => readImageCatalog(config, plan.copies));
  const folder = imageCacheFolder(config) || reuse.temporaryImageFolder(temporaryFolder);
  return new SiteImages(config, catalog, new ImageEncoder(folder, config.images, config.root));
}

/** The copies pages use, once encoded, that the output does not hold yet; and a warning per file that is no image. */
export async function encodedCopies(config: SiteConfig, images: SiteImages | undefined, plan: SitePlan, reuse: Reuse, errors: SiteError[]): Promise<{ files: OutputFile[]; warnings: string[] }> {
  if (!images) return { files: [], warnings: [] };
  const { copies, warnings } = images.use(reuse.pageImages());
  try {
    await images.encoder.settled();
  } catch (error) {
    if (!(error instanceof SiteError)) throw error;
    errors.push(error);
    return { files: [], warnings };
  }
  // A whole build asked for every copy a page uses: the rest of the cache is old photos and settings.
  if (!reuse.continues && imageCacheFolder(config)) images.encoder.prune(SOURCES_FILE);
  const planned = copies.size === 0 ? new Map<string, string>() : new Map([...plan.outputs, ...plan.copies].map((output) => [output.outPath, output.origin.file] as const));
  const files: OutputFile[] = [];
  for (const [outPath, file] of copies) {
    const other = planned.get(outPath);
    if (other !== undefined) {
      errors.push(new OutputConflictError(other || outPath, `is built at ${outPath}, where recap writes a resized photo; rename or move it`));
      continue;
    }
    if (reuse.copied(outPath, file)) files.push({ path: outPath, copyFrom: file });
  }
  return { files, warnings };
}
