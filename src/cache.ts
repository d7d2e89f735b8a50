import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarkdownWork, RenderedBody } from './markdown.js';

const CACHE_FILE = 'bodies.json';

/**
 * What rendered markdown depends on besides the body: recap's version, its markdown code (remark
 * plugins of its own) and remark's packages. Any change is a miss, never a stale hit.
 */
let pipeline: string | undefined;
function pipelineKey(): string {
  if (pipeline) return pipeline;
  const hash = createHash('sha1');
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const file of ['markdown.js', 'kramdown.js']) hash.update(fs.readFileSync(path.join(here, file)));
  for (const pkg of ['../../package.json', '../../node_modules/remark/package.json', '../../node_modules/remark-gfm/package.json', '../../node_modules/remark-html/package.json']) {
    try {
      hash.update(JSON.parse(fs.readFileSync(path.join(here, pkg), 'utf8')).version as string);
    } catch {
      hash.update(pkg); // installed elsewhere (hoisted): its version is then part of recap's own
    }
  }
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
    return createHash('sha1')
      .update(`${work.flavor}\0${work.body}\0${work.beforeSeparator ?? '\u0001'}`)
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
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, CACHE_FILE);
    const temporary = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(temporary, JSON.stringify({ pipeline: this.pipeline, entries: Object.fromEntries(this.used) }));
    fs.renameSync(temporary, file);
  }
}

const OUTPUTS_FILE = 'outputs.json';

/** What the last build wrote: its id (also in the output's marker), and each file's content hash. */
export interface OutputIndex {
  buildId: string;
  outDir: string;
  hashes: Map<string, string>;
  /** Each file's size and modification time as written. */
  stats: Map<string, string>;
}

export function readOutputIndex(cacheDir: string, outDir: string, currentBuildId: string | undefined): Omit<OutputIndex, 'buildId' | 'outDir'> | undefined {
  if (!cacheDir || !currentBuildId) return undefined;
  try {
    const data = JSON.parse(fs.readFileSync(path.join(cacheDir, OUTPUTS_FILE), 'utf8')) as {
      buildId?: string;
      outDir?: string;
      hashes?: Record<string, string>;
      stats?: Record<string, string>;
    };
    // Only the build that wrote this very output folder (same id in its marker) knows its files.
    if (data.buildId !== currentBuildId || data.outDir !== outDir || !data.hashes || !data.stats) return undefined;
    return { hashes: new Map(Object.entries(data.hashes)), stats: new Map(Object.entries(data.stats)) };
  } catch {
    return undefined;
  }
}

export function writeOutputIndex(cacheDir: string, index: OutputIndex): void {
  if (!cacheDir) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, OUTPUTS_FILE);
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(
    temporary,
    JSON.stringify({ buildId: index.buildId, outDir: index.outDir, hashes: Object.fromEntries(index.hashes), stats: Object.fromEntries(index.stats) }),
  );
  fs.renameSync(temporary, file);
}
