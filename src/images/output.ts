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
 * A folder for copies when the cache is off (--no-cache): mkdtemp, a fresh folder no other user of
 * the temporary folder can have put (or linked) there first. Watch makes one for its session.
 */
export const temporaryImageFolder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'recap-images-'));

/** The site's images for this build, or undefined when images are left as written. */
export async function siteImages(config: SiteConfig, plan: SitePlan, reuse: Reuse, sessionFolder?: string): Promise<SiteImages | undefined> {
  if (!config.images.enabled) return undefined;
  const catalog = await reuse.imageCatalog(() => readImageCatalog(config, plan.copies));
  const cached = imageCacheFolder(config) || sessionFolder;
  const encoder = new ImageEncoder(cached || temporaryImageFolder(), config.images, config.root, !cached);
  return new SiteImages(config, catalog, encoder);
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

/** Once a build ends (its copies written, or failed), a folder of its own for copies is removed; no encode runs on into it. */
export async function endImages(images: SiteImages | undefined): Promise<void> {
  if (!images) return;
  await images.encoder.settled().catch(() => undefined);
  if (images.encoder.temporary) fs.rmSync(images.encoder.folder, { recursive: true, force: true });
}
