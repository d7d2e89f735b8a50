/**
 * Encodes resized copies into the image folder (the cache's), in the background: a copy is started
 * as soon as the first page shows its photo, and sharp works in libuv's threads, so copies are
 * encoded while this thread goes on rendering pages. At most one copy per core at once. A copy already in the folder (same photo, size, format, quality and
 * encoder: its name says so) is not encoded again. Each is written under a temporary name and
 * renamed, so the folder never holds half a copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { SOURCES_FILE, type ImageSource } from './catalog.js';
import type { ImageCopy } from './copies.js';
import type { ImageSettings } from './settings.js';
import { ImageError } from '../pipeline/errors.js';
import { contentHash } from '../util/hash.js';
import { relativePath } from '../util/files.js';

/** An SVG drawn at the density that makes it `wanted` pixels wide (72 dpi is its own size), within what libvips allows. */
const svgDensity = (width: number, wanted: number) => Math.min(2400, Math.max(1, Math.ceil((72 * wanted) / Math.max(1, width))));

/**
 * What a whole build leaves in the cache of copies no page of it uses: those younger than a week
 * (another way of building the same site, such as `serve` showing drafts, may use them), and
 * temporary files younger than ten minutes (another build's, on their way).
 */
const UNUSED_KEPT_MS = 7 * 24 * 60 * 60 * 1000;
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

export class ImageEncoder {
  private readonly started = new Map<string, Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private readonly limit = os.availableParallelism();
  private folderMade = false;

  constructor(
    /** Where copies are kept: the cache's images folder, or a temporary one for --no-cache. */
    readonly folder: string,
    private readonly settings: ImageSettings,
    /** The site folder: errors name images from it. */
    private readonly root: string,
    /** The folder is this build's own, removed when it ends (see removeTemporaryFolder). */
    readonly temporary: boolean,
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
        const age = now - fs.statSync(file).mtimeMs;
        if (age < (name.includes('.tmp-') ? STALE_TEMPORARY_MS : UNUSED_KEPT_MS)) continue;
        fs.rmSync(file, { force: true });
      } catch {
        // What cannot be removed now is removed by a later build.
      }
    }
  }

  /**
   * Runs `work` now when a slot is free (at once, not after this thread's current work: pages render
   * synchronously), else when a copy ends and hands its slot on.
   */
  private queued(work: () => Promise<void>): Promise<void> {
    const run = () => {
      let done: Promise<void>;
      try {
        done = work();
      } catch (error) {
        done = Promise.reject(error);
      }
      // The slot is handed on however the copy ended.
      return done.finally(() => {
        const next = this.waiting.shift();
        if (next) next();
        else this.running--;
      });
    };
    if (this.running < this.limit) {
      this.running++;
      return run();
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(run);
  }

  /** Reads the photo and hands it to sharp before returning, so libuv's threads encode it while this thread renders on. */
  private encode(source: ImageSource, copy: ImageCopy, file: string): Promise<void> {
    const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    let written: Promise<unknown>;
    try {
      if (!this.folderMade) fs.mkdirSync(this.folder, { recursive: true });
      this.folderMade = true;
      // Copies are named by the content the catalog read: encoded from other bytes, they would be wrong for good.
      const bytes = fs.readFileSync(source.from);
      if (contentHash(bytes) !== source.hash) {
        // The catalog's record is wrong (the file changed, or the record was damaged): the next build reads every image again.
        fs.rmSync(path.join(this.folder, SOURCES_FILE), { force: true });
        throw new ImageError(relativePath(this.root, source.from), 'changed while recap was building; build again');
      }
      written = this.pipeline(bytes, source, copy).toFile(temporary);
    } catch (error) {
      return Promise.reject(this.failure(error, source, copy));
    }
    return written.then(
      () => fs.renameSync(temporary, file),
      (error: unknown) => {
        fs.rmSync(temporary, { force: true });
        throw this.failure(error, source, copy);
      },
    );
  }

  private failure(error: unknown, source: ImageSource, copy: ImageCopy): ImageError {
    if (error instanceof ImageError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ImageError(relativePath(this.root, source.from), `could not be resized into ${copy.outPath}: ${message.split('\n')[0]}`, { cause: error });
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
