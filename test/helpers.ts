import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig, type LoadOptions } from '../src/pipeline/config.js';
import { BuildFailedError } from '../src/pipeline/errors.js';
import { renderWork } from '../src/markdown/render.js';
import { finishPost, parseSource, type ParseContext } from '../src/pipeline/parse.js';
import type { Post, SourceFile } from '../src/pipeline/types.js';

/** The repository root, whether tests run from src or from dist/. */
export const REPO = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures');
export const INVALID_FIXTURES = path.join(REPO, 'test/fixtures-invalid');

const made: string[] = [];
// Test runs make hundreds of temp folders; a long-lived /tmp full of them slows the file system down.
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'recap-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Every file below dir, relative, "/" separators, sorted. */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Options a fixture asks for in options.json: {"drafts": true, "future": true, "now": "2024-01-01"}. */
export function fixtureOptions(root: string): LoadOptions {
  const file = path.join(root, 'options.json');
  if (!fs.existsSync(file)) return {};
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { drafts?: boolean; future?: boolean; now?: string };
  return { drafts: raw.drafts, future: raw.future, now: raw.now ? new Date(raw.now) : undefined };
}

/** Builds a site folder into a fresh temp folder and returns that folder. */
export async function buildInto(root: string, options: LoadOptions = {}): Promise<string> {
  const outDir = path.join(tempDir(), 'public');
  // Fixture folders stay as committed: no body cache is written into them.
  await buildSite(loadConfig(root, { cache: false, ...fixtureOptions(root), ...options, outDir }));
  return outDir;
}

/** The formatted error lines of a build that must fail. */
export async function buildErrors(root: string, options: LoadOptions = {}): Promise<string[]> {
  const outDir = path.join(tempDir(), 'public');
  try {
    await buildSite(loadConfig(root, { cache: false, ...fixtureOptions(root), ...options, outDir }));
  } catch (error) {
    if (error instanceof BuildFailedError) return error.errors.map((e) => e.format());
    if (error instanceof Error && 'format' in error && typeof error.format === 'function') return [error.format() as string];
    throw error;
  }
  throw new Error(`expected the build of ${root} to fail, but it succeeded`);
}

/** Copies a folder tree (for tests that edit a site). */
export function copySite(from: string, to: string = tempDir()): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/**
 * Everything under dir as it is on disk, links not followed: each path with "folder", its link
 * target, or its content hash. Paths in `skip` (absolute) are left out with all they hold. Two
 * digests are equal when nothing under dir changed.
 */
export function treeDigest(dir: string, skip: string[] = []): Map<string, string> {
  const digest = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(folder, entry.name);
      if (skip.includes(full)) continue;
      const relative = path.relative(dir, full);
      if (entry.isSymbolicLink()) digest.set(relative, `link ${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) {
        digest.set(relative, 'folder');
        walk(full);
      } else digest.set(relative, `file ${createHash('sha1').update(fs.readFileSync(full)).digest('hex')}`);
    }
  };
  walk(dir);
  return digest;
}

/**
 * SourceFile → Post, markdown included, rendered in this thread without a budget: for unit tests
 * of the parse stage. recap itself renders markdown only in budgeted threads (markdown/workers.ts).
 */
export function parsePost(file: SourceFile, context: ParseContext): Post {
  const parsed = parseSource(file, context);
  // A file with errors throws its first, as a unit test of one key expects; fixtures-invalid/ tests all of them.
  if (parsed.errors.length > 0) throw parsed.errors[0];
  return finishPost(context.config, parsed, parsed.markdown && renderWork(parsed.markdown));
}

/** A site folder (a new temp folder unless `root` is given) with the given files: site-relative path → text. */
export function writeSite(files: Record<string, string>, root = tempDir()): string {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** A Jekyll site in a temp folder: its _config.yml and the given files. */
export function jekyllSite(config: string, files: Record<string, string> = {}): string {
  return writeSite({ '_config.yml': config, ...files }, tempDir('recap-jekyll-'));
}
