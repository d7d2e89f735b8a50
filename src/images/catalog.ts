/**
 * The site's image files, as the image pass needs them: each one's size, format and content hash,
 * and whether sharp can read it. Read before pages render (pages get width and height from it),
 * from a record in the cache folder where the file's size and time are unchanged, so a warm build
 * opens no photo.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { CopiedFile, SiteConfig } from '../pipeline/types.js';
import { contentStamp, writeFileAtomically } from '../util/files.js';
import { contentHash } from '../util/hash.js';
import { inParallel } from '../util/parallel.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff' | 'gif' | 'svg';

export interface ImageSource {
  /** The image's path in the output (its URL after basePath). */
  outPath: string;
  /** Its file in the site. */
  from: string;
  /** Its content's hash (hex). */
  hash: string;
  /** As shown: EXIF rotation applied. */
  width: number;
  height: number;
  format: ImageFormat;
  /** Resized into copies: a still photo or picture sharp reads whole (GIFs, SVGs and animations are not). */
  resized: boolean;
  /** Why sharp could not read the file; it is then copied as it is and shown unresized. */
  unreadable?: string;
}

const IMAGE_FILE = /\.(jpe?g|png|webp|avif|tiff?|gif|svg)$/i;
const FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'avif', 'tiff', 'gif', 'svg'] satisfies ImageFormat[];
const RESIZED_FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'avif', 'tiff'] satisfies ImageFormat[];
const RECORD_VERSION = 2;
/** Larger image files are copied as they are, never read into memory to be resized. */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/** What the image folder's sources.json keeps of a file: what it held when it had this size and time. */
type SourceRecord = { signature: string; image: Omit<ImageSource, 'outPath' | 'from'> };

/** The catalog's records, beside the copies in the image folder. */
export const SOURCES_FILE = 'sources.json';

/** The folder in the cache where images are kept: their records and resized copies. */
export const imageCacheFolder = (config: SiteConfig) => (config.cacheDir ? path.join(config.cacheDir, 'images') : '');

/** What a file holds, by its bytes: the same for the same bytes, wherever the file is. */
async function inspect(file: string, stat: fs.Stats): Promise<SourceRecord['image']> {
  // No photo is this large: read whole, such a file would take the memory of the build (or more than Node reads at once).
  if (stat.size > MAX_IMAGE_BYTES) {
    return { hash: `large:${contentStamp(stat)}`, width: 0, height: 0, format: 'jpeg', resized: false, unreadable: `over ${MAX_IMAGE_BYTES / 1024 / 1024} MB, more than any photo` };
  }
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (error) {
    return { hash: `unread:${contentStamp(stat)}`, width: 0, height: 0, format: 'jpeg', resized: false, unreadable: `it cannot be read: ${(error as Error).message}` };
  }
  const hash = contentHash(bytes);
  try {
    const meta = await sharp(bytes, { failOn: 'truncated' }).metadata();
    const format = meta.format === 'heif' ? 'avif' : meta.format;
    if (!format || !FORMATS.includes(format) || !meta.width || !meta.height) {
      return { hash, width: 0, height: 0, format: 'jpeg', resized: false, unreadable: `sharp reads it as ${format ?? 'no image'}` };
    }
    // EXIF orientations 5–8 turn the picture a quarter: it is shown with width and height swapped.
    const turned = (meta.orientation ?? 1) >= 5;
    const still = (meta.pages ?? 1) === 1;
    const resized = RESIZED_FORMATS.includes(format) && still;
    // A photo cut short (a truncated upload) reads its header fine: decoding it, small, finds the cut.
    if (resized) await sharp(bytes, { failOn: 'truncated' }).resize(16, 16, { fit: 'inside' }).raw().toBuffer();
    return { hash, width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height, format: format as ImageFormat, resized };
  } catch (error) {
    const reason = bytes.length === 0 ? 'the file is empty' : (error as Error).message.split('\n')[0];
    return { hash, width: 0, height: 0, format: 'jpeg', resized: false, unreadable: reason };
  }
}

/** Every image file the site copies into the output, by output path. */
export async function readImageCatalog(config: SiteConfig, copies: CopiedFile[]): Promise<Map<string, ImageSource>> {
  const catalog = new Map<string, ImageSource>();
  if (!config.images.enabled) return catalog;
  const folder = imageCacheFolder(config);
  const recordsFile = folder && path.join(folder, SOURCES_FILE);
  const before = readRecords(recordsFile);
  const after: Record<string, SourceRecord> = {};
  const images = copies.filter((copy) => IMAGE_FILE.test(copy.outPath));
  await inParallel(images, os.availableParallelism() * 2, async (copy) => {
    const stat = await fs.promises.stat(copy.from);
    const signature = contentStamp(stat);
    const known = before[copy.from];
    const image = known?.signature === signature ? known.image : await inspect(copy.from, stat);
    after[copy.from] = { signature, image };
    catalog.set(copy.outPath, { ...image, outPath: copy.outPath, from: copy.from });
  });
  const changed = Object.keys(before).length !== Object.keys(after).length || images.some((c) => before[c.from]?.signature !== after[c.from].signature);
  if (recordsFile && changed) {
    try {
      fs.mkdirSync(folder, { recursive: true });
      writeFileAtomically(recordsFile, JSON.stringify({ version: RECORD_VERSION, records: after }));
    } catch {
      // Without the records the next build reads the images again.
    }
  }
  return catalog;
}

function soundRecord(record: SourceRecord): boolean {
  const image = record?.image;
  return (
    typeof record?.signature === 'string' &&
    typeof image === 'object' &&
    image !== null &&
    typeof image.hash === 'string' &&
    Number.isInteger(image.width) &&
    Number.isInteger(image.height) &&
    FORMATS.includes(image.format) &&
    typeof image.resized === 'boolean' &&
    (!image.resized || (image.width > 0 && image.height > 0)) &&
    (image.unreadable === undefined || typeof image.unreadable === 'string')
  );
}

function readRecords(file: string): Record<string, SourceRecord> {
  if (!file) return {};
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: number; records?: Record<string, SourceRecord> };
    if (data.version !== RECORD_VERSION || !data.records || typeof data.records !== 'object') return {};
    // A damaged record is read again, never trusted.
    return Object.fromEntries(Object.entries(data.records).filter(([, record]) => soundRecord(record)));
  } catch {
    return {};
  }
}
