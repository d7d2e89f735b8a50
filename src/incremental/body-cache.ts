import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { installedVersion, PACKAGE_ROOT } from '../util/package-root.js';
import type { MarkdownWork, RenderedBody } from '../markdown/render.js';
import { fileSystemError } from '../pipeline/errors.js';
import { makeFolder, writeFileAtomically } from '../util/files.js';

const CACHE_FILE = 'bodies.json';

/**
 * What rendered markdown depends on besides the body: recap's version, its markdown code (remark
 * plugins of its own) and remark's packages. Any change is a miss, never a stale hit.
 */
let pipeline: string | undefined;
function pipelineKey(): string {
  if (pipeline) return pipeline;
  const hash = createHash('sha1');
  const compiled = path.join(PACKAGE_ROOT, 'dist/src');
  // Rendered bodies depend on the markdown code and on the HTML rewriting it calls.
  const codeIn = (folder: string) => fs.readdirSync(path.join(compiled, folder)).filter((file) => file.endsWith('.js')).sort().map((file) => `${folder}/${file}`);
  const kramdown = ['kramdown', 'kramdown-options', 'typography', 'header-ids'].map((name) => `jekyll/${name}.js`);
  for (const file of [...codeIn('markdown'), ...codeIn('html'), ...kramdown]) hash.update(fs.readFileSync(path.join(compiled, file)));
  hash.update(JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version as string);
  for (const pkg of ['remark', 'remark-gfm', 'remark-html', 'parse5']) hash.update(installedVersion(pkg));
  return (pipeline = hash.digest('hex'));
}

/**
 * Rendered post bodies from earlier builds, kept in one file in the cache folder. A corrupt or
 * truncated file is ignored (and rewritten); entries the last build did not use are dropped.
 */
export class BodyCache {
  private readonly stored = new Map<string, RenderedBody>();
  private readonly used = new Map<string, RenderedBody>();
  private readonly pipeline: string;
  private changed = false;

  constructor(private readonly dir: string | undefined) {
    this.pipeline = dir ? pipelineKey() : '';
    if (!dir) return;
    try {
      const data = JSON.parse(fs.readFileSync(path.join(dir, CACHE_FILE), 'utf8')) as { pipeline?: string; entries?: Record<string, RenderedBody> };
      if (data.pipeline === this.pipeline && data.entries && typeof data.entries === 'object') {
        for (const [key, value] of Object.entries(data.entries)) {
          if (value && typeof value.main?.html === 'string' && typeof value.main.firstParagraph === 'string') this.stored.set(key, value);
        }
      }
    } catch {
      // Missing, truncated or not ours: start empty.
    }
  }

  key(work: MarkdownWork): string {
    // The base path is written into links; raw HTML is rewritten by html/ code, which pipelineKey does not read.
    // A Jekyll site's kramdown settings change quotes, dashes and header ids.
    const kramdown = work.kramdown ? `\0${JSON.stringify(work.kramdown)}` : '';
    return createHash('sha1')
      .update(`${work.flavor}\0${work.basePath}\0${work.body}\0${work.beforeSeparator ?? '\u0001'}\0${work.excerpt ?? '\u0001'}${kramdown}`)
      .digest('base64url');
  }

  get(key: string): RenderedBody | undefined {
    const hit = this.stored.get(key);
    if (hit) this.used.set(key, hit);
    return hit;
  }

  set(key: string, value: RenderedBody): void {
    this.used.set(key, value);
    this.changed = true;
  }

  /** Writes what this build used (atomically), when it differs from what was read. */
  save(): void {
    if (!this.dir || (!this.changed && this.used.size === this.stored.size)) return;
    const file = path.join(this.dir, CACHE_FILE);
    try {
      makeFolder(this.dir);
      writeFileAtomically(file, JSON.stringify({ pipeline: this.pipeline, entries: Object.fromEntries(this.used) }));
    } catch (error) {
      // A full disk reports no path of its own: the cache file is where it happened.
      throw fileSystemError(error, file, 'or move the cache of rendered posts with cacheDir, or build with --no-cache') ?? error;
    }
  }
}
