/**
 * Encodes resized copies into the image folder (the cache's), in the background: sharp works in
 * libuv's threads, so copies are encoded while this thread goes on rendering pages. At most one
 * copy per core at once. A copy already in the folder (same photo, size, format, quality and
 * encoder: its name says so) is not encoded again. Each is written under a temporary name and
 * renamed, so the folder never holds half a copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { ImageSource } from './catalog.js';
import type { ImageCopy } from './copies.js';
import type { ImageSettings } from './settings.js';
import { ImageError } from '../pipeline/errors.js';
import { contentHash } from '../util/hash.js';
import { relativePath } from '../util/files.js';

/** An SVG drawn at the density that makes it `wanted` pixels wide (72 dpi is its own size), within what libvips allows. */
const svgDensity = (width: number, wanted: number) => Math.min(2400, Math.max(1, Math.ceil((72 * wanted) / Math.max(1, width))));

/** Temporary copies older than this are a killed build's, never a running one's. */
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

export class ImageEncoder {
  private readonly started = new Map<string, Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private readonly limit = os.availableParallelism();

  constructor(
    /** Where copies are kept: the cache's images folder, or a temporary one for --no-cache. */
    readonly folder: string,
    private readonly settings: ImageSettings,
    /** The site folder: errors name images from it. */
    private readonly root: string,
  ) {}

  /** The file a copy is (or will be) in. */
  fileOf(copy: ImageCopy): string {
    return path.join(this.folder, copy.cacheName);
  }

  /** Starts encoding `copy` of `source` unless it is in the folder or on its way. */
  want(source: ImageSource, copy: ImageCopy): void {
    const file = this.fileOf(copy);
    if (this.started.has(file)) return;
    const done = fs.existsSync(file) ? Promise.resolve() : this.queued(() => this.encode(source, copy, file));
    // Failures are collected by settled(); none goes unhandled meanwhile.
    done.catch(() => undefined);
    this.started.set(file, done);
  }

  /** Waits for every copy asked for; throws the first failure (a full disk, a photo that changed while the build ran). */
  async settled(): Promise<void> {
    const outcomes = await Promise.allSettled(this.started.values());
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Removes copies this build did not ask for (old photos, old settings) and killed builds'
   * temporary files, as the body cache keeps only what a build used. Called after a whole build.
   */
  prune(keep: string): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.folder);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      const file = path.join(this.folder, name);
      if (name === keep || this.started.has(file)) continue;
      try {
        if (name.includes('.tmp-') && now - fs.statSync(file).mtimeMs < STALE_TEMPORARY_MS) continue;
        fs.rmSync(file, { force: true });
      } catch {
        // What cannot be removed now is removed by a later build.
      }
    }
  }

  /** Runs `work` when a slot is free; a copy that ends hands its slot to the next waiting one. */
  private async queued(work: () => Promise<void>): Promise<void> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private async encode(source: ImageSource, copy: ImageCopy, file: string): Promise<void> {
    const shown = relativePath(this.root, source.from);
    const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      // Copies are named by the content the catalog read: encoded from other bytes, they would be wrong for good.
      const bytes = await fs.promises.readFile(source.from);
      if (contentHash(bytes) !== source.hash) throw new ImageError(shown, 'changed while recap was building; build again');
      await this.pipeline(bytes, source, copy).toFile(temporary);
      fs.renameSync(temporary, file);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      if (error instanceof ImageError) throw error;
      throw new ImageError(shown, `could not be resized into ${copy.outPath}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
  }

  private pipeline(bytes: Buffer, source: ImageSource, copy: ImageCopy): sharp.Sharp {
    const quality = this.settings.quality;
    // rotate(): turned as EXIF says, since the copies keep no EXIF (nor the GPS position phones write in it).
    let pipeline = sharp(bytes, { failOn: 'truncated', density: source.format === 'svg' ? svgDensity(source.width, copy.width) : undefined }).rotate();
    pipeline = copy.crop
      ? pipeline.resize(copy.width, copy.height, { fit: 'cover', position: sharp.strategy.attention })
      : pipeline.resize(copy.width, copy.height, { fit: 'fill' });
    if (copy.format === 'jpeg') return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality, progressive: true });
    if (copy.format === 'webp') return pipeline.webp({ quality, effort: 4 });
    // AVIF looks as good as JPEG and WebP at a lower quality number.
    if (copy.format === 'avif') return pipeline.avif({ quality: Math.max(1, quality - 20), effort: 4 });
    return pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
  }
}
