/**
 * The site's images during one build: the catalog, their copies' names and URLs, the pass over
 * each rendered page, and the encoder. Pages record which images they used as keys that name the
 * image's content, and the site paths they show where no image file is, so a page carried over
 * from the last build is rendered again when a photo it shows changed or was put in place, and its
 * copies are asked for all the same.
 */
import type { SiteConfig } from '../pipeline/types.js';
import type { ImageSource } from './catalog.js';
import { imageCopies, shareCard, type ImageCopies, type ImageCopy } from './copies.js';
import type { ImageEncoder } from './encoder.js';
import { pictureImages, type PageImages } from './picture.js';
import { relativePath } from '../util/files.js';

/** Any origin would do: relative URLs are resolved against the page with it, and it is never shown. */
const PAGE_ORIGIN = 'http://recap.invalid';

type UseKind = 'shown' | 'shared' | 'absent';

export class SiteImages implements PageImages {
  readonly sizes: string;
  private readonly copiesMemo = new Map<ImageSource, ImageCopies>();
  private readonly cardMemo = new Map<ImageSource, ImageCopy>();

  constructor(
    private readonly config: SiteConfig,
    private readonly catalog: Map<string, ImageSource>,
    readonly encoder: ImageEncoder,
  ) {
    this.sizes = config.images.sizes;
  }

  localPath(url: string, pageUrl: string): string | undefined {
    let parsed: URL;
    let pathname: string;
    try {
      parsed = new URL(url.trim(), PAGE_ORIGIN + pageUrl);
      pathname = decodeURIComponent(parsed.pathname);
    } catch {
      return undefined;
    }
    if (parsed.origin !== PAGE_ORIGIN && parsed.origin !== this.config.url) return undefined;
    const basePath = this.config.basePath;
    return pathname.startsWith(basePath) ? pathname.slice(basePath.length) : undefined;
  }

  imageAt(outPath: string): ImageSource | undefined {
    return this.catalog.get(outPath);
  }

  copies(source: ImageSource): ImageCopies {
    let copies = this.copiesMemo.get(source);
    if (!copies) this.copiesMemo.set(source, (copies = imageCopies(source, this.config.images)));
    return copies;
  }

  shareCard(source: ImageSource): ImageCopy {
    let card = this.cardMemo.get(source);
    if (!card) this.cardMemo.set(source, (card = shareCard(source, this.config.images)));
    return card;
  }

  /** The copies a page that shows (every format's list and the fallback's) or shares `source` needs: none of a file that is no image or not resized. */
  private copiesFor(kind: UseKind, source: ImageSource): ImageCopy[] {
    if (source.unreadable || kind === 'absent') return [];
    if (kind === 'shared') return [this.shareCard(source)];
    if (!source.resized) return [];
    const { byFormat, fallback } = this.copies(source);
    return [...byFormat.flatMap((f) => f.copies), ...fallback];
  }

  urlOf(copy: ImageCopy, absolute: boolean): string {
    return (absolute ? this.config.url : '') + this.config.basePath + copy.outPath;
  }

  /** A rendered page with its images resized, and the keys of what it used; their copies start encoding now. */
  pass(html: string, pageUrl: string): { html: string; keys: string[] } {
    const { html: pictured, shown, shared, absent } = pictureImages(html, pageUrl, this);
    for (const source of shown) for (const copy of this.copiesFor('shown', source)) this.encoder.want(source, copy);
    for (const source of shared) for (const copy of this.copiesFor('shared', source)) this.encoder.want(source, copy);
    const keys = [...shown.map((s) => keyOf('shown', s.hash, s.outPath)), ...shared.map((s) => keyOf('shared', s.hash, s.outPath)), ...absent.map((outPath) => keyOf('absent', '', outPath))];
    return { html: pictured, keys: [...new Set(keys)] };
  }

  /** Whether the images a page used (its keys) are all as they were: same files, same contents, and still none where there was none. */
  holds(keys: readonly string[] = []): boolean {
    return keys.every((key) => {
      const { kind, hash, outPath } = parseKey(key);
      return kind === 'absent' ? !this.catalog.has(outPath) : this.catalog.get(outPath)?.hash === hash;
    });
  }

  /**
   * Starts encoding every copy the pages' keys use, and says what each is: the copies the output
   * gets (path → file in the encoder's folder), and a warning for each image that is no image.
   */
  use(pages: Iterable<[outPath: string, keys: readonly string[]]>): { copies: Map<string, string>; warnings: string[] } {
    const copies = new Map<string, string>();
    const unreadable = new Map<ImageSource, string[]>();
    for (const [page, keys] of pages) {
      for (const key of keys) {
        const { kind, outPath } = parseKey(key);
        const source = this.catalog.get(outPath);
        if (!source) continue;
        if (source.unreadable && kind !== 'absent') unreadable.set(source, [...(unreadable.get(source) ?? []), page]);
        for (const copy of this.copiesFor(kind, source)) {
          this.encoder.want(source, copy);
          copies.set(copy.outPath, this.encoder.fileOf(copy));
        }
      }
    }
    const warnings = [...unreadable].map(([source, pages]) => {
      const shown = pages.slice(0, 3).join(', ') + (pages.length > 3 ? ` and ${pages.length - 3} more` : '');
      return `${relativePath(this.config.root, source.from)} is not an image recap can read (${source.unreadable}); it is copied as it is and shown unresized on ${shown}`;
    });
    return { copies, warnings };
  }
}

function keyOf(kind: UseKind, hash: string, outPath: string): string {
  return `${kind}\n${hash}\n${outPath}`;
}

function parseKey(key: string): { kind: UseKind; hash: string; outPath: string } {
  const [kind, hash, ...rest] = key.split('\n');
  return { kind: kind as UseKind, hash, outPath: rest.join('\n') };
}
