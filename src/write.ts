import fs from 'node:fs';
import path from 'node:path';
import type { OutputFile } from './types.js';

const BATCH = 64;

function inside(dir: string, relative: string): string {
  const target = path.resolve(dir, relative);
  if (!target.startsWith(dir + path.sep)) throw new Error(`refusing to write ${relative}: it is outside ${dir}`);
  return target;
}

async function writeAll(dir: string, files: OutputFile[]): Promise<void> {
  const targets = files.map((file) => inside(dir, file.path));
  const folders = [...new Set(targets.map((t) => path.dirname(t)))].sort();
  for (const folder of folders) await fs.promises.mkdir(folder, { recursive: true });
  for (let i = 0; i < files.length; i += BATCH) {
    await Promise.all(
      files.slice(i, i + BATCH).map((file, j) => {
        const target = targets[i + j];
        return 'copyFrom' in file ? fs.promises.copyFile(file.copyFrom, target) : fs.promises.writeFile(target, file.contents);
      }),
    );
  }
}

/**
 * Writes the whole site beside the output folder, then swaps it in: a build that fails while
 * writing leaves the previous output as it was, and no stale file from an earlier build survives.
 */
export async function writeSite(outDir: string, files: OutputFile[]): Promise<void> {
  const parent = path.dirname(outDir);
  const name = path.basename(outDir);
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const staging = path.join(parent, `.${name}.tmp-${suffix}`);
  const retired = path.join(parent, `.${name}.old-${suffix}`);
  await fs.promises.mkdir(parent, { recursive: true });
  await fs.promises.mkdir(staging);
  try {
    await writeAll(staging, files);
  } catch (error) {
    await fs.promises.rm(staging, { recursive: true, force: true });
    throw error;
  }
  const existing = await fs.promises.lstat(outDir).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    await fs.promises.rm(staging, { recursive: true, force: true });
    throw new Error(`${outDir} exists and is not a folder; remove it or choose another --out`);
  }
  if (existing) await fs.promises.rename(outDir, retired);
  await fs.promises.rename(staging, outDir);
  if (existing) await fs.promises.rm(retired, { recursive: true, force: true });
}

/**
 * Watch mode: writes only the given files into the existing output folder and removes outputs no
 * longer planned, with the folders they leave empty. Removals go first, so a path can turn from a
 * file into a folder between builds.
 */
export async function updateSite(outDir: string, files: OutputFile[], removed: string[]): Promise<void> {
  const parents = new Set<string>();
  for (const relative of removed) {
    const target = inside(outDir, relative);
    await fs.promises.rm(target, { force: true });
    parents.add(path.dirname(target));
  }
  for (const folder of [...parents].sort((a, b) => b.length - a.length)) {
    for (let dir = folder; dir.startsWith(outDir + path.sep); dir = path.dirname(dir)) {
      try {
        await fs.promises.rmdir(dir);
      } catch {
        break; // not empty (or already gone): so are its parents
      }
    }
  }
  await writeAll(outDir, files);
}
