import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeCorpus } from '../bench/corpus.js';
import { main } from '../src/cli.js';
import { failedOutputOutcome } from '../src/commands/io.js';
import { createRebuilder } from '../src/dev/watch.js';
import { build, buildSite } from '../src/pipeline/build.js';
import { DEFAULT_THEME_DIR, loadConfig } from '../src/pipeline/config.js';
import { FileSystemError } from '../src/pipeline/errors.js';
import { OUTPUT_MARKER, readOutputState } from '../src/pipeline/output-marker.js';
import { diskWriter, type FileWriter } from '../src/pipeline/write-in-place.js';
import { listTree, tempDir } from './helpers.js';

const NOW = new Date('2024-06-01T00:00:00Z');

function files(dir: string): Map<string, string> {
  return new Map(listTree(dir).map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]));
}

/** A site of generated posts with the default theme in its templates/, and two versions of its layout. */
function site() {
  const root = tempDir();
  writeCorpus(root, 12);
  fs.cpSync(DEFAULT_THEME_DIR, path.join(root, 'templates'), { recursive: true });
  const layout = path.join(root, 'templates/base.njk');
  const a = fs.readFileSync(layout, 'utf8');
  const b = a.replace('</main>', '</main>\n<p class="changed">A changed layout.</p>');
  return { root, outDir: path.join(tempDir(), 'public'), layout, templates: [a, b] };
}

async function cleanBuild(root: string): Promise<Map<string, string>> {
  const outDir = path.join(tempDir(), 'public');
  await buildSite(loadConfig(root, { now: NOW, outDir, cache: false }));
  return files(outDir);
}

/**
 * A disk that fills up after `room` more files: the next write lands its first bytes (at most
 * 20,480, as a real one did), then fails with ENOSPC, as write(2) does.
 */
function fillingDisk(): FileWriter & { room: number } {
  const fail = (file: string, contents: string): never => {
    fs.writeFileSync(file, contents.slice(0, Math.min(20480, Math.floor(contents.length / 2))));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  };
  const disk = {
    room: Infinity,
    write(file: string, contents: string) {
      if (disk.room-- <= 0) fail(file, contents);
      diskWriter.write(file, contents);
    },
    copy(from: string, to: string) {
      if (disk.room-- <= 0) fail(to, fs.readFileSync(from, 'utf8'));
      diskWriter.copy(from, to);
    },
  };
  return disk;
}

describe('a watch rebuild that runs out of disk space', () => {
  it('leaves every file whole, says what the output holds, and the next rebuild writes it whole', async () => {
    const { root, outDir, layout, templates } = site();
    const clean: Map<string, string>[] = [];
    for (const template of templates) {
      fs.writeFileSync(layout, template);
      clean.push(await cleanBuild(root));
    }
    const changed = [...clean[0].keys()].filter((file) => clean[0].get(file) !== clean[1].get(file) && file !== OUTPUT_MARKER).length;
    const disk = fillingDisk();
    fs.writeFileSync(layout, templates[0]);
    const rebuilder = createRebuilder(root, { now: NOW, outDir, cache: false }, { writer: disk });
    assert.ok((await rebuilder.rebuild([])).result);

    // Room for: nothing (staging the first page fails), a few pages (staged beside the output: it is
    // untouched), every page and the marker's "updating" but not the final marker (the pages are in).
    const cases = [
      { room: 0, failing: undefined, part: false },
      { room: 4, failing: undefined, part: false },
      { room: changed, failing: OUTPUT_MARKER, part: false },
      { room: 1 + changed, failing: OUTPUT_MARKER, part: true },
    ];
    let current = 0;
    for (const { room, failing, part } of cases) {
      const before = files(outDir);
      const next = 1 - current;
      fs.writeFileSync(layout, templates[next]);
      disk.room = room;
      const report = await rebuilder.rebuild(['templates/base.njk']);

      assert.equal(report.errors?.length, 1, `room for ${room}`);
      const error = report.errors[0];
      assert.ok(error instanceof FileSystemError);
      assert.match(error.format(), /: the disk is full; free some space and build again \(ENOSPC\)$/);
      if (failing) assert.equal(path.basename(error.file), failing);
      assert.ok(path.resolve(error.file).startsWith(outDir + path.sep), `${error.file} is named by its place in the output, not a temporary name`);

      const now = files(outDir);
      assert.deepEqual([...now.keys()], [...before.keys()], `room for ${room}: no temporary file is left, none is missing`);
      for (const [file, bytes] of now) {
        if (file === OUTPUT_MARKER) continue;
        assert.ok(bytes === clean[0].get(file) || bytes === clean[1].get(file), `room for ${room}: ${file} is whole (${bytes.length} bytes)`);
      }
      const outcome = failedOutputOutcome(outDir, report.output!, 'watch');
      if (part) {
        assert.equal(readOutputState(outDir).kind, 'updating');
        assert.match(outcome, /is part-way through an update: some files are from the last good build and some from the new one \(each file whole, and \.recap-built says so\); the next good rebuild \(save a file\) or "recap build" writes it whole\.$/);
        // recap check, before a deploy, says so too.
        const said: string[] = [];
        await main(['check', '--root', root, '--out', outDir], { out: () => {}, err: (line) => said.push(line), interactive: false, color: false });
        assert.ok(said.some((line) => /^warning \S+ is part-way through an update \(by process \d+\): some files are from each of two builds; run "recap build" before deploying it$/.test(line)), said.join('\n'));
      } else {
        assert.deepEqual(now, before, 'nothing was changed');
        assert.equal(outcome, 'the output folder keeps the last good build.');
      }

      // Space again: the next rebuild (any save) writes the output whole, and says it did.
      disk.room = Infinity;
      const repaired = await rebuilder.rebuild(['templates/base.njk']);
      assert.ok(repaired.result, repaired.errors?.map((e) => e.format()).join('\n'));
      assert.equal(repaired.result.warnings.some((w) => w.includes('was left part-way through an update')), part);
      assert.deepEqual(files(outDir), clean[next]);
      current = next;
    }
  });

  it('keeps a copied static file whole when the disk fills while copying it', async () => {
    const { root, outDir } = site();
    const image = path.join(root, 'static/images/room.svg');
    fs.mkdirSync(path.dirname(image), { recursive: true });
    fs.writeFileSync(image, `<svg>${'old '.repeat(20000)}</svg>`);
    const disk = fillingDisk();
    const rebuilder = createRebuilder(root, { now: NOW, outDir, cache: false }, { writer: disk });
    assert.ok((await rebuilder.rebuild([])).result);
    const before = files(outDir);
    fs.writeFileSync(image, `<svg>${'new '.repeat(30000)}</svg>`);
    disk.room = 0; // the copy fails part-way, while it is staged
    const report = await rebuilder.rebuild(['static/images/room.svg']);
    assert.match(report.errors?.[0].format() ?? '', /images\/room\.svg: the disk is full; free some space and build again \(ENOSPC\)/);
    assert.deepEqual(files(outDir), before, 'the old copy, whole, and the output untouched');
    assert.deepEqual(fs.readdirSync(path.dirname(outDir)).filter((entry) => entry.startsWith('.public.')), [], 'no staging folder is left');
    disk.room = Infinity;
    assert.ok((await rebuilder.rebuild(['static/images/room.svg'])).result);
    assert.deepEqual(files(outDir), await cleanBuild(root));
  });

  it('continues in place only over the build it wrote: a folder replaced or marked "updating" is written whole', async () => {
    const { root, outDir, layout, templates } = site();
    const rebuilder = createRebuilder(root, { now: NOW, outDir, cache: false });
    assert.ok((await rebuilder.rebuild([])).result);
    // Another build's output put in its place (another layout), then a post is saved.
    fs.writeFileSync(layout, templates[1]);
    const other = path.join(tempDir(), 'public');
    await buildSite(loadConfig(root, { now: NOW, outDir: other, cache: false }));
    fs.writeFileSync(layout, templates[0]);
    fs.rmSync(outDir, { recursive: true });
    fs.cpSync(other, outDir, { recursive: true });
    const post = fs.readdirSync(path.join(root, 'posts'))[3];
    fs.appendFileSync(path.join(root, 'posts', post), '\nA saved line.\n');
    assert.ok((await rebuilder.rebuild([`posts/${post}`])).result);
    assert.deepEqual(files(outDir), await cleanBuild(root));
    // A marker that says "updating" (an update by another process that stopped part-way).
    const marker = path.join(outDir, OUTPUT_MARKER);
    fs.writeFileSync(marker, fs.readFileSync(marker, 'utf8').replace(/^build (\S+)$/m, 'updating from 0 to $1 (process 1)'));
    fs.writeFileSync(path.join(outDir, 'index.html'), 'a page of another build');
    fs.appendFileSync(path.join(root, 'posts', post), '\nAnother saved line.\n');
    const repaired = await rebuilder.rebuild([`posts/${post}`]);
    assert.ok(repaired.result?.warnings.some((w) => w.includes('was left part-way through an update (by process 1)')));
    assert.deepEqual(files(outDir), await cleanBuild(root));
  });

  it('in a build from scratch, names the output folder (not its staged copy) and leaves it as it was', async () => {
    const { root, outDir } = site();
    await buildSite(loadConfig(root, { now: NOW, outDir, cache: false }));
    const before = files(outDir);
    fs.appendFileSync(path.join(root, 'templates/base.njk'), '<!-- changed -->\n');
    const disk = fillingDisk();
    disk.room = 7;
    await assert.rejects(build(loadConfig(root, { now: NOW, outDir, cache: false }), { writer: disk }), (error: unknown) => {
      assert.ok(error instanceof FileSystemError);
      // A failed write(2) carries no file name; the staged copy's name is never shown.
      assert.equal(path.resolve(error.file), outDir);
      assert.match(error.format(), /public: the disk is full; free some space and build again(?:; or choose another output folder with --out)? \(ENOSPC\)$/);
      return true;
    });
    assert.deepEqual(files(outDir), before);
    assert.deepEqual(fs.readdirSync(path.dirname(outDir)), ['public'], 'no staging folder is left');
    assert.equal(failedOutputOutcome(outDir, readOutputState(outDir), 'build'), 'the output folder was left as it was.');
  });
});
