/**
 * Phone-size photos for the benchmarks (bench/pages.ts, the photos corpus of bench/bench.ts): JPEGs
 * of 2048×1536 (one in eight 1536×2048, portrait) at quality 80, about 250–350 KB each, as a
 * phone's photo of a meetup room is after an organiser's export. Plain noise compresses far worse
 * than a photo and flat colour far better, so each is a smooth gradient (the room's light), blurred
 * shapes (people, chairs, a screen), then grain: the mix lands JPEG's size where a photo's lands.
 * Generated photos are kept in the benchmark's own cache folder (bench/.cache/photos/), so reruns
 * only copy them.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { random } from './corpus.js';

/** A generated photo: its file in the cache folder and its size. */
export interface Photo {
  file: string;
  width: number;
  height: number;
  bytes: number;
}

/** Bump when the way photos are drawn changes: cached photos of another version are drawn again. */
const VERSION = 1;
const QUALITY = 80;
// Grain strength: at 32 the frames land at 250–350 KB (at 24 about 240 KB, at 40 about 360 KB).
const GRAIN = 32;

/** Where generated photos are kept between runs (gitignored). */
export function photoCacheDir(repo: string): string {
  return path.join(repo, 'bench/.cache/photos');
}

const channel = (rand: () => number, low: number, high: number) => Math.round(low + rand() * (high - low));

/** The room's light: a few colours on a coarse grid, upscaled smoothly to the whole frame. */
function gradient(rand: () => number, width: number, height: number): Promise<Buffer> {
  const cells = { width: 4, height: 3 };
  const warm = rand() < 0.6;
  const pixels = Buffer.alloc(cells.width * cells.height * 3);
  for (let i = 0; i < cells.width * cells.height; i++) {
    const light = channel(rand, 40, 210);
    pixels[i * 3] = Math.min(255, light + (warm ? 30 : 0));
    pixels[i * 3 + 1] = light;
    pixels[i * 3 + 2] = Math.max(0, light - (warm ? 25 : -15));
  }
  return sharp(pixels, { raw: { ...cells, channels: 3 } })
    .resize(width, height, { kernel: 'cubic', fit: 'fill' })
    .raw()
    .toBuffer();
}

/** People (a head over shoulders), chairs and a projected screen, as an SVG drawn at the frame's size. */
function shapesSvg(rand: () => number, width: number, height: number): Buffer {
  const shapes: string[] = [];
  const colour = () => `rgb(${channel(rand, 10, 245)},${channel(rand, 10, 245)},${channel(rand, 10, 245)})`;
  shapes.push(`<rect x="${width * (0.2 + rand() * 0.3)}" y="${height * 0.08}" width="${width * 0.35}" height="${height * 0.3}" fill="rgb(235,235,225)"/>`);
  const people = 10 + Math.floor(rand() * 20);
  for (let i = 0; i < people; i++) {
    const x = rand() * width;
    const y = height * (0.35 + rand() * 0.55);
    const size = (0.03 + rand() * 0.05) * width * (y / height);
    shapes.push(`<ellipse cx="${x}" cy="${y + size * 2.2}" rx="${size * 1.6}" ry="${size * 1.5}" fill="${colour()}"/>`);
    shapes.push(`<circle cx="${x}" cy="${y}" r="${size * 0.75}" fill="rgb(${channel(rand, 90, 230)},${channel(rand, 60, 180)},${channel(rand, 40, 150)})"/>`);
  }
  for (let i = 0; i < 8; i++) {
    shapes.push(`<rect x="${rand() * width}" y="${height * (0.6 + rand() * 0.3)}" width="${width * 0.06}" height="${height * 0.12}" fill="${colour()}" opacity="0.8"/>`);
  }
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`);
}

/** Grain: sensor noise at half resolution (smoothed up, as a phone's denoiser leaves it) and a little at full. */
function grain(rand: () => number, width: number, height: number, strength: number): Promise<Buffer> {
  const half = { width: width / 2, height: height / 2 };
  const pixels = Buffer.alloc(half.width * half.height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 128 + Math.round((rand() - 0.5) * strength);
  return sharp(pixels, { raw: { ...half, channels: 3 } })
    .resize(width, height, { kernel: 'linear', fit: 'fill' })
    .raw()
    .toBuffer();
}

/** Draws photo number `index` as JPEG bytes. */
export async function drawPhoto(index: number): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const rand = random(90_000 + index);
  const portrait = index % 8 === 7;
  const width = portrait ? 1536 : 2048;
  const height = portrait ? 2048 : 1536;
  const raw = { width, height, channels: 3 as const };
  const shapes = await sharp(shapesSvg(rand, width, height)).blur(4 + rand() * 6).png({ compressionLevel: 0 }).toBuffer();
  // Composited in two steps: libvips composites every overlay onto the base, not onto each other.
  const lit = await sharp(await gradient(rand, width, height), { raw }).composite([{ input: shapes }]).removeAlpha().raw().toBuffer();
  const jpeg = await sharp(lit, { raw })
    .composite([{ input: await grain(rand, width, height, GRAIN), raw, blend: 'overlay' }])
    .removeAlpha()
    .jpeg({ quality: QUALITY })
    .toBuffer();
  return { jpeg, width, height };
}

/**
 * Photos 0 … count-1, drawn into the cache folder when missing (two at a time: libvips uses threads
 * of its own), then listed.
 */
export async function ensurePhotos(cacheDir: string, count: number, onProgress?: (made: number) => void): Promise<Photo[]> {
  fs.mkdirSync(cacheDir, { recursive: true });
  const photos: Photo[] = new Array<Photo>(count);
  let next = 0;
  let made = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const file = path.join(cacheDir, `v${VERSION}-photo-${String(index).padStart(4, '0')}.jpg`);
      if (!fs.existsSync(file)) {
        const { jpeg } = await drawPhoto(index);
        fs.writeFileSync(file + '.tmp', jpeg);
        fs.renameSync(file + '.tmp', file);
        if (++made % 25 === 0) onProgress?.(made);
      }
      const portrait = index % 8 === 7;
      photos[index] = { file, width: portrait ? 1536 : 2048, height: portrait ? 2048 : 1536, bytes: fs.statSync(file).size };
    }
  };
  await Promise.all([worker(), worker()]);
  return photos;
}
