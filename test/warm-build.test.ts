/**
 * A build from scratch with the cache, over the output the last build left (a deploy with a kept
 * .recap-cache/): only the files whose content changed are written, in place; the rest stay as
 * they are. It must give a clean build's bytes, stop at anything recap did not write, and leave
 * the output untouched when it fails.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeCorpus } from '../bench/corpus.js';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { FileSystemError, OutputFolderError } from '../src/pipeline/errors.js';
import { OUTPUT_MARKER, readOutputState } from '../src/pipeline/output-marker.js';
import { diskWriter, type FileWriter } from '../src/pipeline/write-in-place.js';
import { listTree, tempDir, treeDigest } from './helpers.js';

const NOW = new Date('2030-01-01');

function site(): { root: string; outDir: string; posts: string[] } {
  const root = tempDir();
  writeCorpus(root, 30);
  fs.mkdirSync(path.join(root, 'static'));
  fs.writeFileSync(path.join(root, 'static/room.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
  const posts = fs.readdirSync(path.join(root, 'posts')).sort();
  return { root, outDir: path.join(root, 'public'), posts };
}

async function warmBuild(root: string, writer?: FileWriter) {
  const outcome = await build(loadConfig(root, { now: NOW, threads: 1 }), { writer });
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.format()).join('\n'));
  return outcome.result;
}

/** The same site built clean (no cache, a new folder): what the output must equal. */
async function cleanDigest(root: string): Promise<Map<string, string>> {
  const outDir = path.join(tempDir(), 'public');
  const outcome = await build(loadConfig(root, { now: NOW, threads: 1, cache: false, outDir }));
  assert.ok(outcome.ok);
  return treeDigest(outDir, [path.join(outDir, OUTPUT_MARKER)]);
}

const digest = (outDir: string) => treeDigest(outDir, [path.join(outDir, OUTPUT_MARKER)]);
const inodes = (outDir: string) => new Map(listTree(outDir).map((file) => [file, fs.statSync(path.join(outDir, file)).ino]));
const besideOutput = (outDir: string) => fs.readdirSync(path.dirname(outDir)).filter((entry) => entry.startsWith(`.${path.basename(outDir)}.`));

/** A writer that fails with ENOSPC after `room` more files, as a full disk does. */
function fillingDisk(room: number): FileWriter {
  const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  return {
    write: (file, contents) => {
      if (room-- <= 0) throw full();
      diskWriter.write(file, contents);
    },
    copy: (from, to) => {
      if (room-- <= 0) throw full();
      diskWriter.copy(from, to);
    },
  };
}

describe('a build over the last build’s output, with the cache', () => {
  it('writes only the files that changed, in place, and equals a clean build', async () => {
    const { root, outDir, posts } = site();
    await warmBuild(root);
    const firstId = (readOutputState(outDir) as { id: string }).id;
    const before = inodes(outDir);

    // One post's body changes: its page (and the listings that show its excerpt) are written again.
    const edited = path.join(root, 'posts', posts[10]);
    fs.appendFileSync(edited, '\nA sentence added after the meetup.\n');
    await warmBuild(root);
    assert.deepEqual(digest(outDir), await cleanDigest(root));
    const after = inodes(outDir);
    const rewritten = [...after.keys()].filter((file) => after.get(file) !== before.get(file));
    const slug = posts[10].replace(/^\d{4}-\d{2}-\d{2}-|\.md$/g, '');
    assert.ok(rewritten.some((file) => file.endsWith(`/${slug}/index.html`)), `the edited post's page is written: ${rewritten.join(', ')}`);
    assert.ok(rewritten.length < after.size / 4, `only what changed is written (${rewritten.length} of ${after.size} files)`);
    assert.ok(!rewritten.includes('room.svg'), 'an unchanged static file stays');
    const state = readOutputState(outDir);
    assert.equal(state.kind, 'complete');
    assert.notEqual((state as { id: string }).id, firstId, 'the marker carries the new build id');
    assert.deepEqual(besideOutput(outDir), [], 'no staging folder is left');

    // A post removed: its page goes, with the folders it leaves empty; an output file edited by hand is written again.
    fs.rmSync(path.join(root, 'posts', posts[20]));
    const page = listTree(outDir).find((file) => file.endsWith(`/${posts[5].replace(/^\d{4}-\d{2}-\d{2}-|\.md$/g, '')}/index.html`))!;
    fs.appendFileSync(path.join(outDir, page), 'HAND EDIT');
    await warmBuild(root);
    assert.deepEqual(digest(outDir), await cleanDigest(root));
    assert.deepEqual(readOutputState(outDir).kind, 'complete');
  });

  it('leaves the output untouched when the disk fills, and the next build completes it', async () => {
    const { root, outDir, posts } = site();
    await warmBuild(root);
    fs.appendFileSync(path.join(root, 'posts', posts[3]), '\nA late correction.\n');
    fs.rmSync(path.join(root, 'posts', posts[4]));
    const before = treeDigest(outDir);
    for (const room of [0, 2]) {
      await assert.rejects(warmBuild(root, fillingDisk(room)), (error: unknown) => {
        assert.ok(error instanceof FileSystemError, String(error));
        assert.match(error.format(), /the disk is full; free some space and build again/);
        assert.ok(path.resolve(error.file).startsWith(outDir), `${error.file} names the output, not a staged copy`);
        return true;
      });
      assert.deepEqual(treeDigest(outDir), before, `room for ${room}: nothing in the output changed`);
      assert.deepEqual(besideOutput(outDir), [], `room for ${room}: no staging folder is left`);
    }
    await warmBuild(root);
    assert.deepEqual(digest(outDir), await cleanDigest(root));
  });

  it('stops at a file recap did not write, and at a link, and keeps kept files', async () => {
    const { root, outDir, posts } = site();
    await warmBuild(root);
    fs.mkdirSync(path.join(outDir, '.git'));
    fs.writeFileSync(path.join(outDir, '.git/HEAD'), 'ref: refs/heads/gh-pages\n');
    fs.appendFileSync(path.join(root, 'posts', posts[1]), '\nEdited.\n');
    await warmBuild(root);
    assert.equal(fs.readFileSync(path.join(outDir, '.git/HEAD'), 'utf8'), 'ref: refs/heads/gh-pages\n', '.git (a default kept file) is untouched');

    // A stray file: the build stops, names it, and changes nothing.
    fs.writeFileSync(path.join(outDir, 'notes.txt'), 'mine');
    fs.appendFileSync(path.join(root, 'posts', posts[1]), '\nEdited again.\n');
    const withStray = treeDigest(outDir);
    await assert.rejects(warmBuild(root), (error: unknown) => error instanceof OutputFolderError && /notes\.txt/.test(error.format()) && /--force/.test(error.format()));
    assert.deepEqual(treeDigest(outDir), withStray);
    fs.rmSync(path.join(outDir, 'notes.txt'));

    // A post's folder replaced by a link to a folder outside: the build stops before writing through it.
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'index.html'), 'outside');
    const page = listTree(outDir).find((file) => file.endsWith(`/${posts[1].replace(/^\d{4}-\d{2}-\d{2}-|\.md$/g, '')}/index.html`))!;
    const folder = path.join(outDir, path.dirname(page));
    fs.rmSync(folder, { recursive: true });
    fs.symlinkSync(outside, folder);
    await assert.rejects(warmBuild(root), (error: unknown) => error instanceof OutputFolderError);
    assert.equal(fs.readFileSync(path.join(outside, 'index.html'), 'utf8'), 'outside', 'nothing is written through the link');
    assert.ok(fs.lstatSync(folder).isSymbolicLink());
  });

  it('follows a page from a file to a folder and back, keeps kept entries whole, and removes killed updates\' temporary files', async () => {
    const { root, outDir, posts } = site();
    const post = path.join(root, 'posts', posts[6]);
    const text = fs.readFileSync(post, 'utf8');
    const withPermalink = (permalink: string) => fs.writeFileSync(post, text.replace(/^---\n/, `---\npermalink: ${permalink}\n`));
    fs.mkdirSync(path.join(root, 'static/downloads'));
    fs.writeFileSync(path.join(root, 'static/downloads/deck.pdf'), 'PDF');
    withPermalink('/zz.html');
    await warmBuild(root);
    for (const permalink of ['/zz.html/', '/zz.html']) {
      withPermalink(permalink);
      await warmBuild(root);
      assert.deepEqual(digest(outDir), await cleanDigest(root), `permalink ${permalink}`);
    }
    // downloads/ becomes a kept entry: what recap wrote there stays, with what was added by hand.
    fs.rmSync(path.join(root, 'static/downloads'), { recursive: true });
    fs.appendFileSync(path.join(root, 'recap.config.yml'), '\nkeepFiles: [.git, downloads]\n');
    fs.writeFileSync(path.join(outDir, 'downloads/mine.txt'), 'mine');
    fs.writeFileSync(path.join(outDir, 'tags/.recap-99999-z.tmp'), 'left by a killed update');
    await warmBuild(root);
    assert.deepEqual(fs.readdirSync(path.join(outDir, 'downloads')).sort(), ['deck.pdf', 'mine.txt']);
    assert.ok(!fs.existsSync(path.join(outDir, 'tags/.recap-99999-z.tmp')), 'a temporary file of a killed update is removed');
  });

  it('never follows a link planted at a staging folder\'s name beside the output', async () => {
    const { root, outDir, posts } = site();
    await warmBuild(root);
    const victim = tempDir();
    fs.mkdirSync(path.join(victim, '.git'));
    fs.writeFileSync(path.join(victim, '.git/config'), 'SECRET');
    fs.symlinkSync(victim, path.join(path.dirname(outDir), `.${path.basename(outDir)}.tmp-999999-x`));
    fs.appendFileSync(path.join(root, 'posts', posts[2]), '\nEdited.\n');
    await warmBuild(root);
    assert.equal(fs.readFileSync(path.join(victim, '.git/config'), 'utf8'), 'SECRET');
    assert.ok(!fs.existsSync(path.join(outDir, '.git')), 'nothing from outside is moved into the output');
    assert.deepEqual(besideOutput(outDir), [], 'the planted link is removed (the link only)');
  });

  it('writes whole an output left part-way through an update, and says so', async () => {
    const { root, outDir, posts } = site();
    await warmBuild(root);
    const marker = path.join(outDir, OUTPUT_MARKER);
    fs.writeFileSync(marker, fs.readFileSync(marker, 'utf8').replace(/^build (\S+)$/m, 'updating from 0 to $1 (process 1)'));
    const page = listTree(outDir).find((file) => file.endsWith('/index.html') && file !== 'index.html')!;
    fs.writeFileSync(path.join(outDir, page), 'a page of another build');
    fs.appendFileSync(path.join(root, 'posts', posts[2]), '\nEdited.\n');
    const result = await warmBuild(root);
    assert.ok(result.warnings.some((warning) => warning.includes('was left part-way through an update (by process 1)')));
    assert.deepEqual(digest(outDir), await cleanDigest(root));
  });
});
