/**
 * Photos as a page shows them: each local photo resized into WebP and its own format at the
 * configured widths (never wider than it is), offered by srcset and <picture>, sized by its own
 * width and height; lazy but the first; shares get a 1200×630 crop. Built from a site of generated
 * phone-size photos in a temp folder, read back with an HTML parser and sharp.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'parse5';
import sharp from 'sharp';
import { build } from '../src/pipeline/build.js';
import { loadConfig, type LoadOptions } from '../src/pipeline/config.js';
import { classifyRecapChange } from '../src/pipeline/recap-dialect.js';
import { createRebuilder } from '../src/dev/watch.js';
import { buildErrors, buildInto, listTree, tempDir, writeSite } from './helpers.js';

const NOW = new Date('2030-01-01');

/** A photo-like JPEG (a gradient with noise, so it does not compress to nothing) of the given size. */
async function photo(width: number, height: number, seed: number, options: { orientation?: number; format?: 'jpeg' | 'png' } = {}): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed * 7919 + 1;
  for (let i = 0; i < pixels.length; i += 3) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const x = (i / 3) % width;
    const y = Math.floor(i / 3 / width);
    pixels[i] = (x * 255) / width + (state % 24);
    pixels[i + 1] = (y * 255) / height + ((state >> 8) % 24);
    pixels[i + 2] = ((seed * 40) % 255) + ((state >> 16) % 24);
  }
  let image = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  return options.format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 80 }).toBuffer();
}

const POST = `---
title: Photo night
description: A night of photos.
image: /images/cover.jpg
tags: [Photos]
---
The first sentence of the recap.

![The room](/images/room.jpg)

![Kenneth Tan](/images/kt.jpg "Kenneth Tan, Sardina Systems")

A small one: ![badge](../../../../badge.jpg) inline.

<img src="/images/logo.png" alt="Sponsor logo">
<img src="/images/dance.gif" alt="A dance">
<img src="/images/shape.svg" alt="A shape">
<img src="https://photos.example.org/remote.jpg" alt="Remote">
<img src="/images/room.jpg" width="300" alt="Sized by its author">

![Cut short](/images/broken.jpg)
`;

async function photoSite(config = 'title: Photos\nurl: https://photos.example.org\n'): Promise<string> {
  const root = writeSite({ 'recap.config.yml': config, 'posts/2024-05-14-photo-night.md': POST, 'pages/about.md': '---\ntitle: About\n---\nNo photos here.\n' });
  const images = path.join(root, 'static/images');
  fs.mkdirSync(images, { recursive: true });
  fs.writeFileSync(path.join(images, 'cover.jpg'), await photo(2048, 1536, 1));
  fs.writeFileSync(path.join(images, 'room.jpg'), await photo(2048, 1536, 2));
  // Stored landscape, turned upright by its EXIF orientation (6: a quarter clockwise), as phones write portraits.
  fs.writeFileSync(path.join(images, 'kt.jpg'), await photo(2048, 1536, 3, { orientation: 6 }));
  fs.writeFileSync(path.join(images, 'logo.png'), await photo(600, 200, 4, { format: 'png' }));
  fs.writeFileSync(path.join(images, 'shape.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" fill="teal"/></svg>');
  const frame = (colour: string) => sharp({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toBuffer();
  const gif = await sharp([await frame('red'), await frame('blue')], { join: { animated: true } }).gif().toBuffer();
  fs.writeFileSync(path.join(images, 'dance.gif'), gif);
  const whole = await photo(800, 600, 5);
  fs.writeFileSync(path.join(images, 'broken.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
  // Linked relative to the post's page.
  fs.writeFileSync(path.join(root, 'static/badge.jpg'), await photo(300, 200, 6));
  return root;
}

async function buildSite(root: string, options: LoadOptions = {}) {
  const outcome = await build(loadConfig(root, { now: NOW, threads: 1, ...options }));
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.format()).join('\n'));
  return outcome.result;
}

/** A site of these text files and photos (site-relative path → bytes). */
async function siteWith(files: Record<string, string>, photos: Record<string, Buffer>): Promise<string> {
  const root = writeSite(files);
  for (const [file, bytes] of Object.entries(photos)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), bytes);
  }
  return root;
}

/** The site built without the cache into a new folder. */
async function buildClean(root: string): Promise<string> {
  const outDir = path.join(tempDir(), 'public');
  await buildSite(root, { outDir, cache: false });
  return outDir;
}

type Element = { nodeName: string; tagName?: string; attrs?: { name: string; value: string }[]; childNodes?: Element[]; parentNode?: Element; value?: string };

function elements(node: Element, name: string, found: Element[] = []): Element[] {
  if (node.tagName === name) found.push(node);
  for (const child of node.childNodes ?? []) elements(child, name, found);
  if (node.nodeName === 'template') elements((node as unknown as { content: Element }).content, name, found);
  return found;
}

const attr = (element: Element, name: string) => element.attrs?.find((a) => a.name === name)?.value;
const textOf = (node: Element): string => (node.nodeName === '#text' ? (node.value ?? '') : (node.childNodes ?? []).map(textOf).join(''));

function pageOf(outDir: string, outPath: string): Element {
  return parse(fs.readFileSync(path.join(outDir, outPath), 'utf8')) as unknown as Element;
}

describe('photos', () => {
  let root: string;
  let outDir: string;
  let warnings: string[];
  let page: Element;
  let images: Element[];
  const byAlt = (alt: string) => images.find((img) => attr(img, 'alt') === alt)!;

  before(async () => {
    root = await photoSite();
    outDir = path.join(root, 'public');
    warnings = (await buildSite(root)).warnings;
    page = pageOf(outDir, '2024/05/14/photo-night/index.html');
    images = elements(page, 'img');
  });

  it('resizes a photo into its format and WebP at each width below its own, with srcset, sizes and its size', async () => {
    const room = byAlt('The room');
    assert.equal(attr(room, 'width'), '2048');
    assert.equal(attr(room, 'height'), '1536');
    const candidates = attr(room, 'srcset')!.split(', ').map((c) => c.split(' '));
    assert.deepEqual(candidates.map(([, w]) => w), ['480w', '960w', '1600w']);
    assert.ok(attr(room, 'sizes'));
    assert.match(attr(room, 'src')!, /^\/img\/room-[0-9a-f]{12}-960\.jpg$/);
    const picture = room.parentNode!;
    assert.equal(picture.tagName, 'picture');
    const [source] = elements(picture, 'source');
    assert.equal(attr(source, 'type'), 'image/webp');
    const webp = attr(source, 'srcset')!.split(', ').map((c) => c.split(' '));
    assert.deepEqual(webp.map(([, w]) => w), ['480w', '960w', '1600w']);
    for (const [url, w] of [...candidates, ...webp]) {
      const meta = await sharp(path.join(outDir, url)).metadata();
      assert.equal(`${meta.width}w`, w, url);
      assert.equal(meta.height, Math.round((1536 * meta.width!) / 2048), url);
      assert.equal(meta.format, url.endsWith('.webp') ? 'webp' : 'jpeg', url);
    }
  });

  it('turns a photo as its EXIF says: a portrait is sized and resized upright', async () => {
    const kt = byAlt('Kenneth Tan');
    assert.equal(attr(kt, 'width'), '1536');
    assert.equal(attr(kt, 'height'), '2048');
    const widest = attr(kt, 'srcset')!.split(', ').at(-1)!.split(' ')[0];
    const meta = await sharp(path.join(outDir, widest)).metadata();
    assert.deepEqual([meta.width, meta.height, meta.orientation], [1536, 2048, undefined]);
  });

  it('never makes a copy wider than the photo', () => {
    const badge = byAlt('badge');
    assert.deepEqual(attr(badge, 'srcset')!.split(', ').map((c) => c.split(' ')[1]), ['300w']);
    const logo = byAlt('Sponsor logo');
    assert.deepEqual(attr(logo, 'srcset')!.split(', ').map((c) => c.split(' ')[1]), ['480w', '600w']);
    assert.match(attr(logo, 'src')!, /-600\.png$/);
  });

  it('loads the first image at once (the cover, fetchpriority high) and every other lazily, all decoded off the main thread', () => {
    assert.equal(attr(images[0], 'alt'), '');
    assert.match(attr(images[0], 'src')!, /^\/img\/cover-/);
    assert.equal(attr(images[0], 'fetchpriority'), 'high');
    assert.equal(attr(images[0], 'loading'), undefined);
    for (const img of images.slice(1)) assert.equal(attr(img, 'loading'), 'lazy', attr(img, 'alt'));
    for (const img of images) assert.equal(attr(img, 'decoding'), 'async', attr(img, 'alt'));
  });

  it('leaves GIFs, SVGs and remote images as they are, but for loading and decoding (and a GIF its size)', () => {
    const gif = byAlt('A dance');
    assert.equal(attr(gif, 'src'), '/images/dance.gif');
    assert.deepEqual([attr(gif, 'width'), attr(gif, 'height'), attr(gif, 'srcset')], ['40', '30', undefined]);
    const svg = byAlt('A shape');
    assert.deepEqual([attr(svg, 'src'), attr(svg, 'width'), attr(svg, 'srcset')], ['/images/shape.svg', undefined, undefined]);
    const remote = byAlt('Remote');
    assert.deepEqual([attr(remote, 'src'), attr(remote, 'loading'), attr(remote, 'decoding')], ['https://photos.example.org/remote.jpg', 'lazy', 'async']);
    for (const img of [gif, svg, remote]) assert.notEqual(img.parentNode!.tagName, 'picture');
  });

  it("keeps an author's width, and sizes the copies to it", () => {
    const sized = byAlt('Sized by its author');
    assert.equal(attr(sized, 'width'), '300');
    assert.equal(attr(sized, 'height'), undefined);
    assert.equal(attr(sized, 'sizes'), 'min(300px, 100vw)');
  });

  it('makes an image with a title, alone in its paragraph, a figure with that caption', () => {
    const kt = byAlt('Kenneth Tan');
    const figure = kt.parentNode!.parentNode!;
    assert.equal(figure.tagName, 'figure');
    const [caption] = elements(figure, 'figcaption');
    assert.equal(textOf(caption), 'Kenneth Tan, Sardina Systems');
    assert.equal(attr(kt, 'title'), undefined);
    // An image among words stays in its paragraph.
    assert.equal(byAlt('badge').parentNode!.parentNode!.tagName, 'p');
  });

  it('shares a 1200×630 crop of the cover, by absolute URL', async () => {
    const metas = elements(page, 'meta');
    const og = attr(metas.find((m) => attr(m, 'property') === 'og:image')!, 'content')!;
    const twitter = attr(metas.find((m) => attr(m, 'name') === 'twitter:image')!, 'content')!;
    assert.match(og, /^https:\/\/photos\.example\.org\/img\/cover-[0-9a-f]{12}-1200x630\.jpg$/);
    assert.equal(twitter, og);
    const meta = await sharp(path.join(outDir, new URL(og).pathname)).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [1200, 630, 'jpeg']);
  });

  it('copies a file that is no readable image as it is, shows it unresized, and warns once naming it and the page', () => {
    const broken = byAlt('Cut short');
    assert.equal(attr(broken, 'src'), '/images/broken.jpg');
    assert.equal(attr(broken, 'srcset'), undefined);
    assert.deepEqual(fs.readFileSync(path.join(outDir, 'images/broken.jpg')), fs.readFileSync(path.join(root, 'static/images/broken.jpg')));
    const about = warnings.filter((w) => w.includes('broken.jpg'));
    assert.equal(about.length, 1, warnings.join('\n'));
    assert.match(about[0], /^static\/images\/broken\.jpg is not an image recap can read .*2024\/05\/14\/photo-night\/index\.html/);
  });

  it('encodes nothing again on a second build, and only the changed photo after a change', async () => {
    const cache = path.join(root, '.recap-cache/images');
    const stamps = () => new Map(listTree(cache).map((f) => [f, fs.statSync(path.join(cache, f)).mtimeMs]));
    const first = stamps();
    const copies = [...first.keys()].filter((f) => !f.endsWith('.json'));
    assert.ok(copies.length >= 14, copies.join(', '));
    const outputStamps = () => new Map(listTree(path.join(outDir, 'img')).map((f) => [f, fs.statSync(path.join(outDir, 'img', f)).mtimeMs]));
    const output = outputStamps();
    await buildSite(root);
    assert.deepEqual(stamps(), first);
    assert.deepEqual(outputStamps(), output);

    fs.writeFileSync(path.join(root, 'static/images/room.jpg'), await photo(2048, 1536, 9));
    const changed = await buildSite(root);
    assert.ok(!changed.warnings.some((w) => w.includes('room')), changed.warnings.join('\n'));
    const after = stamps();
    const made = [...after.keys()].filter((f) => !first.has(f) && !f.endsWith('.json'));
    assert.equal(made.length, 6, made.join(', '));
    for (const [file, time] of first) if (after.has(file) && !file.endsWith('.json')) assert.equal(after.get(file), time, file);
    assert.ok(changed.written.includes('2024/05/14/photo-night/index.html'));
    const rooms = listTree(path.join(outDir, 'img')).filter((f) => f.startsWith('room-'));
    assert.equal(rooms.length, 6, 'the old copies are gone from the output');
    // The old photo's copies stay a week (another way of building the site, serve with drafts, may show them), then go.
    assert.equal(listTree(cache).length, first.size + 6);
    const weekAgo = (Date.now() - 8 * 24 * 60 * 60 * 1000) / 1000;
    for (const f of listTree(cache)) fs.utimesSync(path.join(cache, f), weekAgo, weekAgo);
    await buildSite(root);
    assert.equal(listTree(cache).length, first.size, 'the old copies are gone from the cache after a week');
    assert.ok(rooms.every((f) => listTree(cache).some((c) => f.includes(c.split('-')[0]))), 'the copies in use stay, however old');
    const room = elements(pageOf(outDir, '2024/05/14/photo-night/index.html'), 'img').find((img) => attr(img, 'alt') === 'The room')!;
    assert.ok(rooms.some((f) => attr(room, 'src') === `/img/${f}`));
  });
});

describe('photo settings', () => {
  it('leaves every image as written with images: false', async () => {
    const root = await photoSite('title: Photos\nimages: false\n');
    const outDir = path.join(tempDir(), 'public');
    await buildSite(root, { outDir, cache: false });
    assert.ok(!fs.existsSync(path.join(outDir, 'img')));
    const html = fs.readFileSync(path.join(outDir, '2024/05/14/photo-night/index.html'), 'utf8');
    assert.ok(html.includes('<img src="/images/room.jpg" alt="The room">'));
  });

  it('follows widths, AVIF and basePath, and without the cache writes none', async () => {
    const root = await photoSite('title: Photos\nbasePath: /blog/\nimages:\n  widths: [320, 640]\n  avif: true\n');
    const outDir = path.join(tempDir(), 'public');
    await buildSite(root, { outDir, cache: false });
    const room = elements(pageOf(outDir, '2024/05/14/photo-night/index.html'), 'img').find((img) => attr(img, 'alt') === 'The room')!;
    assert.match(attr(room, 'srcset')!, /^\/blog\/img\/room-[0-9a-f]{12}-320\.jpg 320w, \/blog\/img\/room-[0-9a-f]{12}-640\.jpg 640w$/);
    const types = elements(room.parentNode!, 'source').map((s) => attr(s, 'type'));
    assert.deepEqual(types, ['image/avif', 'image/webp']);
    const avif = attr(elements(room.parentNode!, 'source')[0], 'srcset')!.split(' ')[0];
    assert.equal((await sharp(path.join(outDir, avif.slice('/blog/'.length))).metadata()).format, 'heif');
    assert.ok(!fs.existsSync(path.join(root, '.recap-cache')));
  });

  it('names a wrong images setting at its line', async () => {
    const root = writeSite({ 'recap.config.yml': 'title: x\nimages:\n  widths: [0]\n' });
    assert.throws(() => loadConfig(root), (error: Error & { format(): string }) => /^recap\.config\.yml:2: .*"images\.widths" must be a list/.test(error.format()));
  });
});

describe('photos, found by a careless author', () => {
  it('keeps the markup whole after an end tag with a space before its ">" (as Prettier writes `</a\n>`)', async () => {
    const root = await siteWith(
      { 'recap.config.yml': 'title: Photos\n', 'posts/2024-05-14-spaced.md': '---\ntitle: Spaced\n---\nWords.\n\n<span>x</span ><img src="/images/room.jpg" alt="After a spaced end tag">\n' },
      { 'static/images/room.jpg': await photo(640, 480, 2) },
    );
    const outDir = await buildClean(root);
    const html = fs.readFileSync(path.join(outDir, '2024/05/14/spaced/index.html'), 'utf8');
    assert.ok(html.includes('<span>x</span ><picture>'), html);
    const [img] = elements(parse(html) as unknown as Element, 'img');
    assert.equal(img.parentNode!.tagName, 'picture');
    assert.equal(elements(img.parentNode!, 'source').length, 1);
  });

  it('renders a page again when a photo it shows is put in place after it was built', async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Photos\nurl: https://photos.example.org\n',
      'posts/2024-05-14-later.md': '---\ntitle: Later\nimage: /images/later.jpg\n---\nWords.\n\n![Taken later](/images/later.jpg)\n',
    });
    await buildSite(root);
    const outDir = path.join(root, 'public');
    const img = () => elements(pageOf(outDir, '2024/05/14/later/index.html'), 'img').find((i) => attr(i, 'alt') === 'Taken later')!;
    assert.equal(attr(img(), 'src'), '/images/later.jpg');
    fs.mkdirSync(path.join(root, 'static/images'), { recursive: true });
    fs.writeFileSync(path.join(root, 'static/images/later.jpg'), await photo(640, 480, 7));
    const warm = await buildSite(root);
    assert.ok(warm.written.includes('2024/05/14/later/index.html'), warm.written.join(', '));
    assert.match(attr(img(), 'src')!, /^\/img\/later-[0-9a-f]{12}-640\.jpg$/);
    const og = elements(pageOf(outDir, '2024/05/14/later/index.html'), 'meta').find((m) => attr(m, 'property') === 'og:image')!;
    assert.match(attr(og, 'content')!, /\/img\/later-[0-9a-f]{12}-1200x630\.jpg$/);
  });

  it("resizes a photo kept in the folder named like its post, copied into the post's folder (and a draft's stays out)", async () => {
    const root = await siteWith(
      {
        'recap.config.yml': 'title: Photos\n',
        'posts/2024-05-14-beside.md': '---\ntitle: Beside\n---\nWords.\n\n![Beside the post](room.jpg)\n',
        'posts/2024-05-15-unfinished.md': '---\ntitle: Unfinished\ndraft: true\n---\nSoon.\n',
        'posts/2024-05-15-unfinished/notes.txt': 'not yet',
      },
      { 'posts/2024-05-14-beside/room.jpg': await photo(1024, 768, 2) },
    );
    const outDir = await buildClean(root);
    assert.deepEqual(fs.readFileSync(path.join(outDir, '2024/05/14/beside/room.jpg')), fs.readFileSync(path.join(root, 'posts/2024-05-14-beside/room.jpg')));
    const img = elements(pageOf(outDir, '2024/05/14/beside/index.html'), 'img').find((i) => attr(i, 'alt') === 'Beside the post')!;
    assert.equal(img.parentNode!.tagName, 'picture');
    assert.deepEqual([attr(img, 'width'), attr(img, 'height')], ['1024', '768']);
    assert.ok(!listTree(outDir).some((f) => f.includes('unfinished')));
  });

  it("takes a cover written as a name (image: cover.jpg) from the post's folder, on its page and on every list that shows it", async () => {
    const root = await siteWith(
      {
        'recap.config.yml': 'title: Covers\nurl: https://meetup.example.org/blog\n',
        'posts/2024-05-14-beside.md': '---\ntitle: Beside\nimage: cover.jpg\ntags: [Photos]\n---\nWords.\n',
      },
      { 'posts/2024-05-14-beside/cover.jpg': await photo(1024, 768, 3) },
    );
    const outDir = await buildClean(root);
    for (const page of ['index.html', 'tags/photos/index.html', '2024/05/14/beside/index.html']) {
      const cover = elements(pageOf(outDir, page), 'img')[0];
      assert.equal(cover.parentNode!.tagName, 'picture', page);
      assert.match(attr(cover, 'src')!, /^\/blog\/img\/cover-[0-9a-f]{12}-\d+\.jpg$/, page);
    }
    const jsonLd = elements(pageOf(outDir, '2024/05/14/beside/index.html'), 'script').find((s) => attr(s, 'type') === 'application/ld+json')!;
    assert.match(JSON.stringify(jsonLd.childNodes!.map((c) => c.value).join('')), /https:\/\/meetup\.example\.org\/blog\/2024\/05\/14\/beside\/cover\.jpg/);
    // A cover that is a site path or a URL stays as written.
    const other = await siteWith({ 'posts/2024-05-14-away.md': '---\ntitle: Away\nimage: https://photos.example.org/a.jpg\n---\nWords.\n' }, {});
    assert.equal(attr(elements(pageOf(await buildClean(other), 'index.html'), 'img')[0], 'src'), 'https://photos.example.org/a.jpg');
  });

  it("copies a nested post's folder, and never lets a post's file stand in for robots.txt or 404.html", async () => {
    const root = writeSite({
      'recap.config.yml': 'title: Photos\n',
      'posts/2024/2024-02-02-nested.md': '---\ntitle: Nested\n---\n![Nested](n.txt)\n',
      'posts/2024/2024-02-02-nested/n.txt': 'nested',
      'posts/2024-01-01-root.md': '---\ntitle: Root\npermalink: /root.html\n---\nAt the root.\n',
      'posts/2024-01-01-root/robots.txt': 'User-agent: *\nDisallow: /\n',
    });
    const errors = await buildErrors(root);
    assert.deepEqual(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /robots\.txt/);
    fs.rmSync(path.join(root, 'posts/2024-01-01-root/robots.txt'));
    const outDir = await buildInto(root);
    assert.equal(fs.readFileSync(path.join(outDir, '2024/02/02/nested/n.txt'), 'utf8'), 'nested');
  });

  it('sees a photo replaced by one of the same size with its time put back (cp -p, exiftool -P)', async () => {
    const root = writeSite({ 'recap.config.yml': 'title: Photos\n', 'posts/2024-05-14-same.md': '---\ntitle: Same\n---\nWords.\n\n![Same size](/images/same.tif)\n' });
    fs.mkdirSync(path.join(root, 'static/images'), { recursive: true });
    const file = path.join(root, 'static/images/same.tif');
    const tiff = (colour: string) => sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).tiff({ compression: 'none' }).toBuffer();
    fs.writeFileSync(file, await tiff('red'));
    const outDir = path.join(root, 'public');
    await buildSite(root);
    const src = () => attr(elements(pageOf(outDir, '2024/05/14/same/index.html'), 'img')[0], 'src')!;
    const before = src();
    const { mtime, atime, size } = fs.statSync(file);
    fs.writeFileSync(file, await tiff('blue'));
    assert.equal(fs.statSync(file).size, size);
    fs.utimesSync(file, atime, mtime);
    await buildSite(root);
    assert.notEqual(src(), before);
    const { dominant } = await sharp(path.join(outDir, src())).stats();
    assert.ok(dominant.b > 200 && dominant.r < 50, JSON.stringify(dominant));
  });

  it('copies an image file too large for any photo as it is, with a warning, without reading it', async () => {
    const root = await siteWith(
      { 'recap.config.yml': 'title: Photos\n', 'posts/2024-05-14-large.md': '---\ntitle: Large\n---\nWords.\n\n![Large](/images/large.jpg)\n' },
      {},
    );
    fs.mkdirSync(path.join(root, 'static/images'), { recursive: true });
    // Sparse, 100 MB on paper; a file over 2 GB took the same way (it stopped the build with Node's stack trace before).
    fs.closeSync(fs.openSync(path.join(root, 'static/images/large.jpg'), 'w'));
    fs.truncateSync(path.join(root, 'static/images/large.jpg'), 100 * 1024 ** 2);
    const outDir = path.join(tempDir(), 'public');
    const result = await buildSite(root, { outDir, cache: false });
    assert.ok(result.warnings.some((w) => /^static\/images\/large\.jpg is not an image recap can read \(over 64 MB/.test(w)), result.warnings.join('\n'));
    const img = elements(pageOf(outDir, '2024/05/14/large/index.html'), 'img').find((i) => attr(i, 'alt') === 'Large')!;
    assert.equal(attr(img, 'src'), '/images/large.jpg');
  });

  it('leaves <img> in <svg>, <math> and <template> alone: the first image shown is the first outside them', async () => {
    const root = await siteWith(
      {
        'recap.config.yml': 'title: Photos\n',
        'posts/2024-05-14-foreign.md':
          '---\ntitle: Foreign\n---\nWords.\n\n<template><img src="/images/room.jpg" alt="In a template"></template>\n<svg><img src="/images/room.jpg" alt="In an svg"></svg>\n<math><img src="/images/room.jpg" alt="In math"></math>\n\n![Shown](/images/room.jpg)\n',
      },
      { 'static/images/room.jpg': await photo(640, 480, 2) },
    );
    const outDir = await buildClean(root);
    const html = fs.readFileSync(path.join(outDir, '2024/05/14/foreign/index.html'), 'utf8');
    for (const alt of ['In a template', 'In an svg', 'In math']) assert.ok(html.includes(`<img src="/images/room.jpg" alt="${alt}">`), alt);
    const shown = elements(parse(html) as unknown as Element, 'img').find((img) => attr(img, 'alt') === 'Shown')!;
    assert.equal(shown.parentNode!.tagName, 'picture');
    assert.equal(attr(shown, 'fetchpriority'), 'high');
  });
});

describe('photos in watch mode', () => {
  it('a rebuild after a photo is added encodes that photo alone, also without the cache, and the output equals a clean build', async () => {
    for (const cache of [true, false]) {
      const root = await photoSite();
      const outDir = path.join(tempDir(), 'public');
      const rebuilder = createRebuilder(root, { now: NOW, threads: 1, outDir, cache });
      const first = await rebuilder.rebuild([]);
      assert.ok(first.result, JSON.stringify(first.errors));
      const encoded = new Set(listTree(outDir).filter((f) => f.startsWith('img/')));
      const post = 'posts/2024-05-14-photo-night.md';
      fs.appendFileSync(path.join(root, post), '\n![Added while serving](/images/added.jpg)\n');
      fs.writeFileSync(path.join(root, 'static/images/added.jpg'), await photo(1024, 768, 11));
      const rebuilt = await rebuilder.rebuild([post, 'static/images/added.jpg']);
      await rebuilder.close();
      assert.ok(rebuilt.result, JSON.stringify(rebuilt.errors));
      const writtenCopies = rebuilt.result.written.filter((f) => f.startsWith('img/'));
      assert.ok(writtenCopies.length > 0 && writtenCopies.every((f) => f.startsWith('img/added-')), `${cache}: ${writtenCopies.join(', ')}`);
      for (const f of encoded) assert.ok(fs.existsSync(path.join(outDir, f)), f);
      const clean = path.join(tempDir(), 'public');
      await build(loadConfig(root, { now: NOW, threads: 1, outDir: clean, cache: false }));
      const digest = (dir: string) => new Map(listTree(dir).filter((f) => f !== '.recap-built').map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
      assert.deepEqual(digest(outDir), digest(clean));
    }
  });
});

describe("a post's own folder in watch mode", () => {
  it('is copied again when a file in it changes; markdown in it is a post', () => {
    assert.equal(classifyRecapChange('posts', 'posts/2024-05-14-beside/room.jpg'), 'copy');
    assert.equal(classifyRecapChange('posts', 'posts/2024-05-14-beside/notes.md'), 'post');
    // A post whose folder is there already takes its files with it when it comes or goes.
    assert.equal(classifyRecapChange('posts', 'posts/2024-05-14-beside.md', (folder) => folder === 'posts/2024-05-14-beside'), 'post-or-copy');
    assert.equal(classifyRecapChange('posts', 'posts/2024-05-15-other.md', (folder) => folder === 'posts/2024-05-14-beside'), 'post');
    assert.equal(classifyRecapChange('posts', 'posts/room.jpg'), 'ignore');
    assert.equal(classifyRecapChange('posts', 'static/images/room.jpg'), 'copy');
  });
});
