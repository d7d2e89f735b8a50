/**
 * The image pass over a rendered page, read with an HTML parser (htmlparser2's tokenizer, which
 * knows comments, scripts and raw text): each local photo's <img> gets its resized copies
 * (<picture> with WebP/AVIF sources, srcset and sizes) and the photo's width and height, so the
 * page does not shift as it loads; every <img> gets decoding="async", and loading="lazy" but the
 * first, which the browser fetches first (fetchpriority="high"). og:image and twitter:image point
 * at the share card. Only the tags it changes are written anew; every other byte stays.
 */
import { Parser } from 'htmlparser2';
import { escapeHtml } from '../util/escape.js';
import type { ImageSource } from './catalog.js';
import { MIME_TYPES, type ImageCopies, type ImageCopy } from './copies.js';

/** What the pass needs of the site: its images by URL, and their copies. */
export interface PageImages {
  /** The output path a URL (as written on a page at `pageUrl`) names on this site, whether or not a file is there. */
  localPath(url: string, pageUrl: string): string | undefined;
  /** The site image at an output path, if there is one. */
  imageAt(outPath: string): ImageSource | undefined;
  copies(source: ImageSource): ImageCopies;
  shareCard(source: ImageSource): ImageCopy;
  /** A copy's URL: site-root (with basePath), or absolute for shares. */
  urlOf(copy: ImageCopy, absolute: boolean): string;
  /** The sizes attribute of a photo in the theme's column. */
  sizes: string;
}

/** What a page uses: photos it shows resized, images it shares as cards, and site paths it shows or shares where no image file is (yet). */
export interface PageImageUse {
  shown: ImageSource[];
  shared: ImageSource[];
  absent: string[];
}

/** Tags with any of these can need the pass; a page with none is returned as it is, unparsed. */
const MAY_NEED_PASS = /<img|og:image|twitter:image/i;

/** Elements whose <img>s the pass leaves alone: not shown as HTML images (see onopentag). */
const SKIPPED_INSIDE = new Set(['noscript', 'svg', 'math', 'template']);
const COUNTED = new Set([...SKIPPED_INSIDE, 'picture', 'head']);

/** Attribute names written back as they are: anything else (quotes, slashes in a name) leaves the tag as the author wrote it. */
const PLAIN_NAME = /^[a-z_:][a-z0-9_.:-]*$/;

type Attributes = Record<string, string>;

interface Splice {
  start: number;
  end: number;
  text: string;
}

const tag = (name: string, attributes: Attributes) =>
  `<${name}${Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeHtml(value)}"`)
    .join('')}>`;

const srcset = (images: PageImages, copies: ImageCopy[]) => copies.map((copy) => `${images.urlOf(copy, false)} ${copy.width}w`).join(', ');

/** The copy `src` names, for browsers without srcset: the first at least 960 wide, or the widest. */
const fallbackSrc = (copies: ImageCopy[]) => copies.find((copy) => copy.width >= 960) ?? copies[copies.length - 1];

export function pictureImages(html: string, pageUrl: string, images: PageImages): { html: string } & PageImageUse {
  const use: PageImageUse = { shown: [], shared: [], absent: [] };
  if (!MAY_NEED_PASS.test(html)) return { html, ...use };
  const splices: Splice[] = [];
  // Open elements by name, counted for the few the pass asks about: a stack searched at every tag would be quadratic in an author's deep nesting.
  const open: string[] = [];
  const inside = new Map<string, number>();
  const within = (name: string) => (inside.get(name) ?? 0) > 0;
  let seenImage = false;
  const parser = new Parser(
    {
      onopentag(name, attributes, isImplied) {
        open.push(name);
        if (COUNTED.has(name)) inside.set(name, (inside.get(name) ?? 0) + 1);
        if (isImplied) return;
        // After an end tag with a space before its ">" (`</a\n>`, as Prettier writes), htmlparser2's
        // startIndex of a tag right after it is that ">": the tag itself starts at the next "<".
        const start = html.indexOf('<', parser.startIndex);
        const end = parser.endIndex + 1;
        // In <svg> or <math> a <picture> would be foreign content, and what a <template> holds is not shown.
        if (name === 'img' && ![...SKIPPED_INSIDE].some(within)) {
          const first = !seenImage;
          seenImage = true;
          const text = imageMarkup(attributes, first, within('picture'), pageUrl, images, use);
          if (text !== undefined) splices.push({ start, end, text });
        } else if (name === 'meta' && within('head')) {
          const text = shareMarkup(attributes, pageUrl, images, use);
          if (text !== undefined) splices.push({ start, end, text });
        }
      },
      onclosetag() {
        const name = open.pop();
        if (name !== undefined && COUNTED.has(name)) inside.set(name, inside.get(name)! - 1);
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.end(html);
  if (splices.length === 0) return { html, ...use };
  let result = '';
  let at = 0;
  for (const splice of splices) {
    result += html.slice(at, splice.start) + splice.text;
    at = splice.end;
  }
  return { html: result + html.slice(at), ...use };
}

/**
 * The site image a URL shows. A site path with no image file is noted as absent: the page is
 * rendered again once a file is put there.
 */
function find(images: PageImages, url: string, pageUrl: string, use: PageImageUse): ImageSource | undefined {
  const outPath = images.localPath(url, pageUrl);
  if (outPath === undefined) return undefined;
  const source = images.imageAt(outPath);
  if (!source) use.absent.push(outPath);
  return source;
}

/** An <img> as the pass writes it, or undefined to leave it as written. */
function imageMarkup(attributes: Attributes, first: boolean, inPicture: boolean, pageUrl: string, images: PageImages, use: PageImageUse): string | undefined {
  if (!Object.keys(attributes).every((name) => PLAIN_NAME.test(name))) return undefined;
  const img: Attributes = { ...attributes };
  const source = img.src === undefined ? undefined : find(images, img.src, pageUrl, use);
  const authorSized = img.width !== undefined || img.height !== undefined;
  const resize = source?.resized && !inPicture && img.srcset === undefined;
  if (resize) {
    use.shown.push(source);
    const copies = images.copies(source);
    img.src = images.urlOf(fallbackSrc(copies.fallback), false);
    img.srcset = srcset(images, copies.fallback);
    const width = Number(img.width);
    img.sizes ??= Number.isInteger(width) && width > 0 ? `min(${width}px, 100vw)` : images.sizes;
  }
  // A GIF's size is known too; an SVG's is often only a shape (a viewBox), so it keeps what it was given.
  const sizeKnown = source !== undefined && !source.unreadable && (resize || (source.format === 'gif' && !inPicture && img.srcset === undefined));
  if (sizeKnown && !authorSized) {
    img.width = String(source.width);
    img.height = String(source.height);
  }
  if (source && !source.resized) use.shown.push(source);
  if (first) {
    img.fetchpriority ??= 'high';
  } else {
    img.loading ??= 'lazy';
  }
  img.decoding ??= 'async';
  // A theme gives sizes for the copies it expects; without copies (an SVG, a remote image) it would be invalid HTML.
  if (img.srcset === undefined) delete img.sizes;
  const element = tag('img', img);
  if (!resize) return element;
  const sources = images
    .copies(source)
    .byFormat.map(({ format, copies }) => tag('source', { type: MIME_TYPES[format], srcset: srcset(images, copies), sizes: img.sizes }))
    .join('');
  return sources ? `<picture>${sources}${element}</picture>` : element;
}

/** og:image and twitter:image of a site image, pointed at its share card. */
function shareMarkup(attributes: Attributes, pageUrl: string, images: PageImages, use: PageImageUse): string | undefined {
  const key = attributes.property ?? attributes.name;
  if ((key !== 'og:image' && key !== 'twitter:image') || attributes.content === undefined) return undefined;
  if (!Object.keys(attributes).every((name) => PLAIN_NAME.test(name))) return undefined;
  const source = find(images, attributes.content, pageUrl, use);
  if (!source || source.unreadable) return undefined;
  use.shared.push(source);
  return tag('meta', { ...attributes, content: images.urlOf(images.shareCard(source), true) });
}
