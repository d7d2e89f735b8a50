/**
 * The resized copies of an image: their widths (never wider than the photo), formats (the
 * original's, WebP, AVIF when asked) and content-hashed paths, and the 1200×630 crop that shares
 * show. Encoding them is ImageEncoder's; which a page uses is the image pass's.
 */
import path from 'node:path';
import sharp from 'sharp';
import type { ImageSettings } from './settings.js';
import type { ImageSource } from './catalog.js';
import { contentHash } from '../util/hash.js';

export type CopyFormat = 'jpeg' | 'png' | 'webp' | 'avif';

export interface ImageCopy {
  /** Path in the output. */
  outPath: string;
  /** Its file in the image cache folder. */
  cacheName: string;
  width: number;
  height: number;
  format: CopyFormat;
  /** A share card: cropped to exactly width × height. */
  crop: boolean;
}

/** The copies of one image the page markup offers: each format's list, fallback (the original's format) last. */
export interface ImageCopies {
  byFormat: { format: CopyFormat; copies: ImageCopy[] }[];
  fallback: ImageCopy[];
}

/** Where copies go in the output: a folder of their own, their names unique by content hash. */
const COPIES_FOLDER = 'img';

const EXTENSIONS: Record<CopyFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' };
export const MIME_TYPES: Record<CopyFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' };

/** The format every browser shows, for <img> itself: the original's, but JPEG for TIFF (shown by none) and AVIF (not by all). */
const fallbackFormat = (source: ImageSource): CopyFormat => (source.format === 'png' || source.format === 'webp' ? source.format : 'jpeg');

/** A name part from the file's own name: readable in a URL, and nothing in it that needs encoding. */
function stem(outPath: string): string {
  const name = path.posix.basename(outPath).replace(/\.[^.]*$/, '');
  const plain = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return plain || 'image';
}

/** What a copy's bytes depend on besides its size and format: the photo, the quality and the encoder. */
function copyKey(source: ImageSource, settings: ImageSettings): string {
  return contentHash(Buffer.from(`${source.hash}\0${settings.quality}\0${sharp.versions.sharp}\0${sharp.versions.vips}`)).slice(0, 12);
}

function copy(source: ImageSource, settings: ImageSettings, width: number, height: number, format: CopyFormat, crop: boolean): ImageCopy {
  const key = copyKey(source, settings);
  const size = crop ? `${width}x${height}` : `${width}`;
  return {
    outPath: `${COPIES_FOLDER}/${stem(source.outPath)}-${key}-${size}.${EXTENSIONS[format]}`,
    cacheName: `${key}-${size}.${EXTENSIONS[format]}`,
    width,
    height,
    format,
    crop,
  };
}

/** The widths an image gets: each setting below its own width, and its own width (up to the largest setting). */
function copyWidths(source: ImageSource, settings: ImageSettings): number[] {
  const largest = Math.min(source.width, settings.widths[settings.widths.length - 1]);
  return [...new Set([...settings.widths.filter((w) => w < largest), largest])];
}

export function imageCopies(source: ImageSource, settings: ImageSettings): ImageCopies {
  const widths = copyWidths(source, settings);
  const list = (format: CopyFormat) => widths.map((w) => copy(source, settings, w, Math.max(1, Math.round((source.height * w) / source.width)), format, false));
  const fallback = fallbackFormat(source);
  const avif = settings.avif || source.format === 'avif';
  const formats: CopyFormat[] = [...(avif ? ['avif' as const] : []), ...(fallback !== 'webp' ? ['webp' as const] : [])];
  return { byFormat: formats.map((format) => ({ format, copies: list(format) })), fallback: list(fallback) };
}

/** The picture a share shows (og:image, Twitter's card): 1200×630, cropped around what draws the eye; an SVG becomes a PNG. */
export function shareCard(source: ImageSource, settings: ImageSettings): ImageCopy {
  return copy(source, settings, 1200, 630, source.format === 'svg' || source.format === 'png' ? 'png' : 'jpeg', true);
}
