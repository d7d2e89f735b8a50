/**
 * The dependency on recap that `recap init` writes into a new site's package.json: the recap that
 * is running, from where it came. Until recap is on the registry, someone who installed it from a
 * tarball or a git URL must get a site that installs that same tarball or commit, not a name npm
 * cannot find; once it is there, a version range, as any package gets.
 *
 * npm (7 and later) records where it got each package in the hidden lockfile of the project that
 * installed it, `<project>/node_modules/.package-lock.json`, as `resolved` (tried with npm 11:
 * `npm install x.tgz`, and `npx --package x.tgz recap`, which installs into
 * ~/.npm/_npx/<hash>/ and writes the same file there):
 * - a tarball or folder: `file:` and a path relative to that project;
 * - a git URL: `git+https://…#<commit>` (or git+ssh, git+file), which installs that commit;
 * - the registry: its tarball's URL, or nothing (`omit-lockfile-registry-resolved`).
 * A global install (`npm install -g x.tgz`) keeps no hidden lockfile at all.
 * A folder installed by `npm install ../recap` is a link to it, so recap runs from the folder
 * itself, outside any node_modules: a checkout, depended on by its path.
 */
import fs from 'node:fs';
import path from 'node:path';

interface HiddenLockfile {
  packages?: Record<string, { resolved?: unknown } | undefined>;
}

/** The spec for recap running from `packageRoot` (its folder: a checkout, or an installed package). */
export function recapSpec(packageRoot: string): string {
  const version = (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  if (!packageRoot.split(path.sep).includes('node_modules')) return `file:${packageRoot}`;
  const installed = installedFrom(packageRoot);
  if (installed?.resolved.startsWith('file:')) return `file:${path.resolve(installed.project, installed.resolved.slice('file:'.length))}`;
  if (installed?.resolved.startsWith('git+')) return installed.resolved;
  // Listed as from the registry: a version range. Not listed at all (a global install keeps no
  // hidden lockfile): the folder it runs from, on this computer, rather than a name the registry
  // may not have (init warns that such a path does not deploy).
  return installed ? `^${version}` : `file:${packageRoot}`;
}

/**
 * Where npm says it got the package at `packageRoot` ("" when it does not say): the hidden
 * lockfile of the nearest node_modules above it that lists it (a package nested in another's
 * node_modules is listed in the project's, by its path from the project: node_modules/a/node_modules/recap).
 */
function installedFrom(packageRoot: string): { project: string; resolved: string } | undefined {
  for (let folder = path.dirname(packageRoot); folder !== path.dirname(folder); folder = path.dirname(folder)) {
    if (path.basename(folder) !== 'node_modules') continue;
    const project = path.dirname(folder);
    let lockfile: unknown;
    try {
      lockfile = JSON.parse(fs.readFileSync(path.join(folder, '.package-lock.json'), 'utf8'));
    } catch {
      continue; // No hidden lockfile here (or not one npm wrote): the next node_modules up.
    }
    // JSON that is no object (null, a list) is no lockfile npm wrote either.
    if (typeof lockfile !== 'object' || lockfile === null) continue;
    const entry = (lockfile as HiddenLockfile).packages?.[path.relative(project, packageRoot).split(path.sep).join('/')];
    if (typeof entry === 'object' && entry !== null) return { project, resolved: typeof entry.resolved === 'string' ? entry.resolved : '' };
  }
  return undefined;
}
