import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { withSiteErrors, type Io } from '../src/commands/io.js';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { fileSystemError, FileSystemError } from '../src/pipeline/errors.js';
import { listTree, REPO, tempDir } from './helpers.js';

const BIN = path.join(REPO, 'bin/recap.js');

function recap(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A small site: a post with a tag and a static file. */
function smallSite(): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'posts'));
  fs.mkdirSync(path.join(root, 'static/decks'), { recursive: true });
  fs.writeFileSync(path.join(root, 'posts/2024-01-01-a.md'), '---\ntitle: A\ntags: [k8s]\nslides: /decks/a.pdf\n---\nBody.\n');
  fs.writeFileSync(path.join(root, 'static/decks/a.pdf'), '%PDF placeholder\n');
  return root;
}

/** A command that failed the way recap fails on bad input: exit 1, one error line (and the build's summary), no stack trace. */
function assertOneLineFailure(result: { code: number | null; stdout: string; stderr: string }, expected: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('error '));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0], expected);
}

/** Whether this machine lets a test mount a file system in a mount namespace of its own (root on Linux). */
const canMount = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs ${tempDir()}`]).status === 0;

/** Runs recap in a private mount namespace with a tmpfs of `size` at `mountPoint`, after `setup` shell commands. */
function recapOnTmpfs(args: string[], cwd: string, mountPoint: string, size: string, setup = ''): ReturnType<typeof recap> {
  const script = `mount -t tmpfs -o size=${size} tmpfs "$1" && ${setup || 'true'} && shift && exec "$@"`;
  const result = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', mountPoint, process.execPath, BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('fileSystemError', () => {
  it('maps each file-system error to one line naming the path and what to do', () => {
    const dir = tempDir();
    const file = path.join(dir, 'file.txt');
    fs.writeFileSync(file, 'x');
    const real: [string, () => unknown][] = [
      ['ENOENT', () => fs.readFileSync(path.join(dir, 'missing.md'))],
      ['ENOTDIR', () => fs.readdirSync(file)],
      ['EISDIR', () => fs.writeFileSync(dir, 'x')],
      ['ENAMETOOLONG', () => fs.statSync(path.join(dir, 'n'.repeat(300)))],
      ['EEXIST', () => fs.mkdirSync(dir)],
    ];
    for (const [code, fail] of real) {
      let mapped: FileSystemError | undefined;
      try {
        fail();
      } catch (error) {
        mapped = fileSystemError(error);
      }
      assert.ok(mapped, code);
      assert.equal(mapped.code, code);
      assert.match(mapped.format(), new RegExp(`^/.+: .+ \\(${code}\\)$`), code);
      assert.doesNotMatch(mapped.format(), /\n/);
    }
    // Root passes permission checks, and a full or read-only disk needs a mount: these are Node's errors as it raises them.
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EMFILE', 'EIO', 'ESOMETHINGNEW']) {
      const error = Object.assign(new Error(`${code}: failed, open '/srv/site/public/x.html'`), { code, syscall: 'open', path: '/srv/site/public/x.html' });
      assert.match(fileSystemError(error)!.format(), new RegExp(`^/srv/site/public/x\\.html: .+; .+ \\(${code}\\)$`));
    }
    // A full disk is reported by write(), without a path: the caller names where it wrote.
    if (fs.existsSync('/dev/full')) {
      let full: unknown;
      try {
        fs.writeFileSync('/dev/full', 'x');
      } catch (error) {
        full = error;
      }
      assert.equal(fileSystemError(full, '/srv/out')!.format(), '/srv/out: the disk is full; free some space and build again (ENOSPC)');
    }
    assert.equal(fileSystemError(new TypeError('a bug')), undefined, 'a bug is not a file-system error');
  });
});

describe('file-system errors end a command with one line, exit 1 and no stack trace', () => {
  it('a name too long for the file system (ENAMETOOLONG), checked up front for tags and permalinks', () => {
    const root = smallSite();
    const longTag = 'x'.repeat(300);
    fs.writeFileSync(path.join(root, 'posts/2024-01-02-b.md'), `---\ntitle: B\ntags: [${longTag}]\n---\n`);
    assertOneLineFailure(recap(['build'], root), /^error posts\/2024-01-02-b\.md:3: tag "x{40}…x{20}" \(300 characters\) is too long for a URL: .* shorten the tag$/);
    fs.writeFileSync(path.join(root, 'posts/2024-01-02-b.md'), `---\ntitle: B\npermalink: /talks/${'y'.repeat(256)}/\n---\n`);
    assertOneLineFailure(recap(['build'], root), /^error posts\/2024-01-02-b\.md:3: permalink .* has a segment of 256 bytes .*file systems allow 255 at most: shorten it$/);
    fs.rmSync(path.join(root, 'posts/2024-01-02-b.md'));
    // An output folder whose name leaves no room for the staging folder's suffix: found when writing.
    const out = path.join(tempDir(), 'o'.repeat(250));
    assertOneLineFailure(recap(['build', '--out', out], root), /^error \/.*o{200,}: the name or path is too long .* \(ENAMETOOLONG\)$/);
    assert.ok(!fs.existsSync(out));
  });

  it('recap\'s own marker as a permalink (was EISDIR), and a folder where the cache file goes (EISDIR)', () => {
    const root = smallSite();
    fs.writeFileSync(path.join(root, 'posts/2024-01-02-b.md'), '---\ntitle: B\npermalink: /.recap-built/\n---\n');
    assertOneLineFailure(recap(['build'], root), /^error posts\/2024-01-02-b\.md:3: permalink "\/\.recap-built\/" uses the name "\.recap-built": .*recap's own/);
    fs.rmSync(path.join(root, 'posts/2024-01-02-b.md'));
    fs.rmSync(path.join(root, '.recap-cache'), { recursive: true, force: true });
    fs.mkdirSync(path.join(root, '.recap-cache/bodies.json'), { recursive: true });
    assertOneLineFailure(recap(['build'], root), /^error \.recap-cache\/bodies\.json: is a folder where recap expected a file; rename or remove that folder; or move the cache .* --no-cache \(EISDIR\)$/);
    assert.ok(!fs.existsSync(path.join(root, 'public')), 'nothing was written');
  });

  it('recap new: a 350-character title gets a short slug; a posts/ that is a file is one line', () => {
    const root = tempDir();
    const title = Array.from({ length: 70 }, (_, i) => `word${i}`).join(' ');
    assert.ok(title.length > 350);
    const made = recap(['new', title, '--date', '2026-05-14'], root);
    assert.equal(made.code, 0, made.stderr);
    const file = made.stdout.trim();
    const name = path.basename(file);
    assert.match(name, /^2026-05-14-word0-word1-.*-word\d+\.md$/);
    assert.ok(name.length <= '2026-05-14-'.length + 80 + '.md'.length, name);
    assert.match(fs.readFileSync(path.join(root, file), 'utf8'), new RegExp(`title: "${title}"`), 'the whole title is kept');
    assert.equal(recap(['build'], root).code, 0, 'and it builds');

    const blocked = tempDir();
    fs.writeFileSync(path.join(blocked, 'posts'), 'a file, not a folder');
    assertOneLineFailure(recap(['new', 'May meetup'], blocked), /^error posts: .* \((EEXIST|ENOTDIR)\)$/);
  });

  it('a static file deleted during the build (ENOENT) names it; the output stays as it was', async () => {
    const root = smallSite();
    const outDir = path.join(tempDir(), 'public');
    const config = loadConfig(root, { outDir, cache: false });
    await buildSite(config);
    const before = listTree(outDir);
    const deck = path.join(root, 'static/decks/a.pdf');
    const lines: string[] = [];
    const io: Io = { out: (line) => lines.push(line), err: (line) => lines.push(line), interactive: false, color: false };
    // Render comes after the static files are listed and before they are copied.
    const onProgress = (stage: string) => {
      if (stage === 'render') fs.rmSync(deck, { force: true });
    };
    const code = await withSiteErrors(io, async () => (await buildSite(config, { onProgress }), 0));
    assert.equal(code, 1);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^error .*static\/decks\/a\.pdf: does not exist \(it was moved or deleted while recap was working\); build again \(ENOENT\)$/);
    assert.deepEqual(listTree(outDir), before, 'the previous output is kept');
    assert.deepEqual(fs.readdirSync(path.dirname(outDir)), ['public'], 'no staging folder is left');
  });

  it('a full disk (ENOSPC), a read-only output and a read-only site for recap new (EROFS)', { skip: canMount ? false : 'needs mount namespaces (root on Linux)' }, () => {
    const root = smallSite();
    // A quarter of a megabyte of text: more than the 64 KB disk holds.
    fs.writeFileSync(path.join(root, 'posts/2024-01-02-big.md'), `---\ntitle: Big\n---\n${'A long paragraph of recap. '.repeat(10000)}\n`);
    const disk = tempDir();
    const full = recapOnTmpfs(['build', '--no-cache', '--out', path.join(disk, 'public')], root, disk, '64k');
    assertOneLineFailure(full, /^error \/.*: the disk is full; free some space and build again(?:; or choose another output folder with --out)? \(ENOSPC\)$/);
    assert.match(full.stderr, /Build failed with 1 error; (the output folder was left as it was|nothing was written to .*public\/)\./);

    fs.rmSync(path.join(root, 'posts/2024-01-02-big.md'));
    const readOnly = tempDir();
    const out = path.join(readOnly, 'public');
    // The previous output is there, and the disk it is on is then made read-only.
    const setup = `"$2" "$3" build --no-cache --out "${out}" >/dev/null && mount -o remount,ro "$1"`;
    const result = recapOnTmpfs(['build', '--no-cache', '--out', out], root, readOnly, '1m', setup);
    assertOneLineFailure(result, /^error \/.*: is on a read-only file system; choose a writable folder(?:; or choose another output folder with --out)? \(EROFS\)$/);

    // Node's recursive mkdir says ENOENT there; the real reason is given.
    const site = tempDir();
    const post = recapOnTmpfs(['new', 'May meetup', '--root', site], root, site, '1m', 'mount -o remount,ro "$1"');
    assertOneLineFailure(post, /^error \/.*\/posts: is on a read-only file system; choose a writable folder \(EROFS\)$/);
  });
});
