/**
 * One writer per output folder. A recap process that writes an output folder (build, watch,
 * serve) holds a lock file for it, naming the process. The file lives beside the folder, in its
 * parent, not inside it: it is never deployed, and a build's swap, which replaces the folder
 * whole, never removes it. A lock whose process is gone (killed, crashed, from before a reboot,
 * or a process id now used by another program) is taken over, so no kill leaves a folder locked.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha1 } from '../util/hash.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutputLockedError } from './errors.js';
import { outputWriteError } from './write-in-place.js';
import { shownPath } from '../util/files.js';

/** Which command holds the lock: a build ends by itself (worth waiting for), watch and serve do not. */
export type LockKind = 'build' | 'watch' | 'serve';

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  kind: LockKind;
  /** The command line, as the user typed it (for the message). */
  command: string;
  /** When it took the lock (ISO time). */
  since: string;
  host: string;
  /** The system's boot id, where the system has one: a lock from before a reboot is stale. */
  boot?: string;
  /** The process's start time since boot, where the system tells it: a reused process id is not the holder. */
  started?: string;
  /** Tells this holder's lock from any other with the same process id. */
  token: string;
}

export interface OutputLock {
  /** The lock file. */
  file: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

export interface LockOptions {
  kind: LockKind;
  command: string;
  /** How long to wait for a build holding the lock to finish (milliseconds). */
  waitMs?: number;
  /** Called once when this process starts waiting. */
  onWait?: (holder: LockHolder) => void;
}

/** The lock file of an output folder: `.recap-lock-<name>` beside it (not `.<name>.…`, which the swap's leftovers use). */
export function lockFileFor(outDir: string): string {
  const parent = path.dirname(path.resolve(outDir));
  fs.mkdirSync(parent, { recursive: true });
  // The real folder: two paths to one output (a symbolic link in one of them) share one lock.
  const name = path.basename(outDir);
  // A name near the file system's 255-byte limit leaves no room for the prefix: a shortened name and a hash keep it one per folder.
  const lockName = Buffer.byteLength(name) <= 200 ? name : `${name.slice(0, 40)}-${sha1(name).slice(0, 12)}`;
  return path.join(fs.realpathSync(parent), `.recap-lock-${lockName}`);
}

const readText = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** The system's boot id (Linux); undefined elsewhere. */
const bootId = () => readText('/proc/sys/kernel/random/boot_id');

/** A process's state and start time in clock ticks since boot (Linux), from /proc/<pid>/stat. */
function processStat(pid: number | 'self'): { state: string; started: string } | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Fields 3 and 22; the command name (field 2) is in parentheses and may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], started: fields[19] };
}

function holderOf(options: LockOptions): LockHolder {
  return {
    pid: process.pid,
    kind: options.kind,
    command: options.command,
    since: new Date().toISOString(),
    host: os.hostname(),
    boot: bootId(),
    started: processStat('self')?.started,
    token: randomBytes(8).toString('hex'),
  };
}

function parseHolder(text: string | undefined): LockHolder | undefined {
  try {
    const data = JSON.parse(text ?? '') as Partial<LockHolder>;
    return typeof data.pid === 'number' && typeof data.token === 'string' ? (data as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the holder may still be running. Another host's process cannot be checked: it counts as running. */
export function holderRunning(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = processStat(holder.pid);
  // A killed process stays a zombie until its parent reaps it: it writes nothing any more.
  if (stat?.state === 'Z' || stat?.state === 'X') return false;
  return !holder.started || !stat || stat.started === holder.started;
}

/** Creates the lock file with its whole content at once (a hard link of a finished file), or returns false if it exists. */
function tryCreate(file: string, holder: LockHolder): boolean {
  const temporary = `${file}.${process.pid}-${holder.token}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(holder) + '\n');
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    // No hard links on this file system: create exclusively, then write (a reader may see it empty for a moment).
    try {
      fs.writeFileSync(file, JSON.stringify(holder) + '\n', { flag: 'wx' });
      return true;
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw again;
    }
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * Removes a stale lock, unless another process took it over since it was read: the file is moved
 * aside first, and put back if what was moved is not the stale lock that was read.
 */
function removeStale(file: string, seen: string): void {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // already removed by another process
  }
  if (readText(aside) !== seen) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third process made a new lock meanwhile: it holds the folder.
    }
  }
  fs.rmSync(aside, { force: true });
}

/** A lock file that cannot be read as one, younger than this, may be being written (no hard links). */
const UNREADABLE_GRACE_MS = 5000;
const POLL_MS = 100;

/**
 * Takes the output folder's lock. A build holding it is waited for (up to `waitMs`); a watch or
 * serve holding it, or a build that takes longer, is an OutputLockedError naming that process.
 */
export async function lockOutput(outDir: string, options: LockOptions): Promise<OutputLock> {
  let file = outDir;
  try {
    file = lockFileFor(outDir);
    return await takeLock(outDir, file, options);
  } catch (error) {
    throw outputWriteError(file, error);
  }
}

async function takeLock(outDir: string, file: string, options: LockOptions): Promise<OutputLock> {
  const me = holderOf(options);
  const deadline = Date.now() + (options.waitMs ?? 0);
  let waiting = false;
  for (;;) {
    if (tryCreate(file, me)) return held(file, me.token);
    const text = readText(file);
    if (text === undefined) {
      if (!fs.existsSync(file)) continue; // released between the two steps: try again
      throw new OutputLockedError(shownPath(outDir), `has a lock file that cannot be read: ${shownPath(file)}; if no recap process is writing ${shownPath(outDir)}, delete it`);
    }
    const holder = parseHolder(text);
    const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (holder ? !holderRunning(holder) : age > UNREADABLE_GRACE_MS) {
      removeStale(file, text);
      continue;
    }
    if (holder && (holder.kind !== 'build' || Date.now() >= deadline)) throw lockedError(outDir, file, holder);
    if (holder && !waiting) options.onWait?.(holder);
    waiting = true;
    await sleep(POLL_MS);
  }
}

function held(file: string, token: string): OutputLock {
  const release = () => {
    process.off('exit', release);
    if (parseHolder(readText(file))?.token === token) fs.rmSync(file, { force: true });
  };
  // Also on an exit that skips the command's own release (an uncaught error); a kill leaves it stale instead.
  process.on('exit', release);
  return { file, release };
}

function lockedError(outDir: string, file: string, holder: LockHolder): OutputLockedError {
  const where = holder.host === os.hostname() ? '' : ` on ${holder.host}`;
  const since = new Date(holder.since).toLocaleString();
  const stop = holder.kind === 'build' ? 'wait for it to finish' : 'stop it (Ctrl-C where it runs)';
  return new OutputLockedError(
    shownPath(outDir),
    `is being written by another recap process: process ${holder.pid}${where}, "${holder.command}", since ${since}; ${stop}, or write to another folder with --out. If no such process is running, delete ${shownPath(file)}`,
  );
}
