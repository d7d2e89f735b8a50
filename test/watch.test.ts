import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { classifyChange, createRebuilder, watchSite, type RebuildReport } from '../src/dev/watch.js';
import { MARKDOWN_BUDGET } from '../src/markdown/budget.js';
import { copySite, FIXTURES, listTree, tempDir } from './helpers.js';

const NOW = new Date('2024-06-01T00:00:00Z');

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listTree(dir).map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]));
}

/** The output a clean `recap build` of the site as it is now would write. */
async function cleanOutput(root: string): Promise<Record<string, string> | undefined> {
  const outDir = path.join(tempDir(), 'public');
  const outcome = await build(loadConfig(root, { now: NOW, outDir, cache: false }));
  return outcome.ok ? snapshot(outDir) : undefined;
}

function site(fixture = 'basic') {
  const root = copySite(path.join(FIXTURES, fixture));
  fs.rmSync(path.join(root, 'expected'), { recursive: true, force: true });
  fs.rmSync(path.join(root, 'options.json'), { force: true });
  const outDir = path.join(tempDir(), 'public');
  return { root, outDir, rebuilder: createRebuilder(root, { now: NOW, outDir, cache: false }) };
}

describe('classifyChange', () => {
  it('sorts paths into what they make the next build redo', () => {
    assert.equal(classifyChange(undefined, 'posts/2019-01-01-a.md'), 'post');
    assert.equal(classifyChange(undefined, 'posts/notes.txt'), 'ignore');
    assert.equal(classifyChange(undefined, 'posts/.2019-01-01-a.md.swp'), 'ignore');
    assert.equal(classifyChange(undefined, 'templates/post.njk'), 'template');
    assert.equal(classifyChange(undefined, 'templates/assets/style.css'), 'copy');
    assert.equal(classifyChange(undefined, 'static/CNAME'), 'copy');
    assert.equal(classifyChange(undefined, 'recap.config.yml'), 'config');
    assert.equal(classifyChange(undefined, 'templates'), 'config');
    assert.equal(classifyChange(undefined, 'README.md'), 'ignore');
  });
});

describe('watch rebuilds', () => {
  it('report an error, keep the last good output, and recover on the next good save', async () => {
    const { root, outDir, rebuilder } = site();
    assert.ok((await rebuilder.rebuild([])).result);
    const good = snapshot(outDir);
    const file = 'posts/2020-01-15-service-mesh.markdown';
    const original = fs.readFileSync(path.join(root, file), 'utf8');
    fs.writeFileSync(path.join(root, file), original.replace('title: Service mesh evening', 'title: [broken'));
    const failed = await rebuilder.rebuild([file]);
    assert.deepEqual(failed.errors?.map((e) => e.format()), ['posts/2020-01-15-service-mesh.markdown:3:1: invalid YAML: missed comma between flow collection entries']);
    assert.deepEqual(snapshot(outDir), good);
    fs.writeFileSync(path.join(root, file), original.replace('Service mesh evening', 'Service mesh evening, fixed'));
    const fixed = await rebuilder.rebuild([file]);
    assert.ok(fixed.result, 'the next good save builds');
    assert.deepEqual(snapshot(outDir), await cleanOutput(root));
    assert.match(snapshot(outDir)['2020/01/15/service-mesh/index.html'], /Service mesh evening, fixed/);
  });

  it('report every error of a saved file at once, keep them while other files are saved, and none once it is fixed', async () => {
    const { root, outDir, rebuilder } = site();
    assert.ok((await rebuilder.rebuild([])).result);
    const good = snapshot(outDir);
    const file = 'posts/2020-01-15-service-mesh.markdown';
    const original = fs.readFileSync(path.join(root, file), 'utf8');
    const broken = [
      '---',
      'title: [Service, mesh]',
      'date: 2020-02-30',
      'tags: [Kubernetes, "???"]',
      'redirect_from: /../outside/',
      'permalink: /:lang/mesh/',
      'redirect_to: "javascript:alert(1)"',
      '---',
      '{{ page.title | nosuchfilter }}',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(root, file), broken);
    const expected = [
      `${file}:2: "title" must be text; add a line like title: "March meetup recap"`,
      `${file}:3: "date" is not a valid date: "2020-02-30" (February 2020 has 29 days); write it as YYYY-MM-DD or YYYY-MM-DD HH:MM`,
      `${file}:4: tag "???" has no letters or digits to make a URL from; add "???": <slug> under tagSlugs: in recap.config.yml, or rename the tag`,
      `${file}:5: redirect_from "/../outside/" has a "." or ".." segment, which would leave its folder`,
      `${file}:6: permalink "/:lang/mesh/" has ":lang" at the start of a segment, which reads as a placeholder (and as a pattern in _redirects); write %3A if the URL really has a ":" there`,
      `${file}:7: "redirect_to" must be an http(s) URL or a path; "javascript:" links are refused`,
      `${file}:9:15: filter not found: nosuchfilter (wrap literal {{ }} or {% %} in {% raw %}…{% endraw %}, or set render_with_liquid: false)`,
    ];
    const failed = await rebuilder.rebuild([file]);
    assert.deepEqual(failed.errors?.map((e) => e.format()), expected);
    assert.deepEqual(snapshot(outDir), good);
    // Another file saved: the broken one keeps its parse, with every error of it.
    const other = 'posts/2019-03-06-second-talk-night.md';
    fs.appendFileSync(path.join(root, other), '\nOne more line.\n');
    const still = await rebuilder.rebuild([other]);
    assert.deepEqual(still.errors?.map((e) => e.format()), expected);
    assert.deepEqual(snapshot(outDir), good);
    // Half fixed: the errors left, and only those.
    fs.writeFileSync(path.join(root, file), broken.replace('title: [Service, mesh]', 'title: Service mesh').replace('date: 2020-02-30', 'date: 2020-02-29'));
    const half = await rebuilder.rebuild([file]);
    assert.deepEqual(half.errors?.map((e) => e.format()), expected.slice(2));
    fs.writeFileSync(path.join(root, file), original);
    const fixed = await rebuilder.rebuild([file]);
    assert.equal(fixed.errors, undefined);
    assert.ok(fixed.result, 'the fixed save builds');
    assert.deepEqual(snapshot(outDir), await cleanOutput(root));
  });

  it('survive posts whose markdown hangs, overflows the stack or runs out of memory, report each naming the file, and recover on the next good save', async () => {
    const { root, outDir } = site();
    // Small budgets so that this ends in seconds (the defaults are tested in cli.test.ts); time
    // grows with size as by default, so that the long list runs out of memory before time.
    const markdownBudget = { ...MARKDOWN_BUDGET, baseMs: 4000, perMillionCharsMs: 20_000, stackMb: 1, memoryMb: 128 };
    const rebuilder = createRebuilder(root, { now: NOW, outDir, cache: false, markdownBudget });
    try {
      assert.ok((await rebuilder.rebuild([])).result);
      const good = snapshot(outDir);
      const file = 'posts/2020-01-15-service-mesh.markdown';
      const original = fs.readFileSync(path.join(root, file), 'utf8');
      const cases = [
        ['*a'.repeat(64_000), 'markdown took over'],
        [`${'> '.repeat(3000)}deep`, 'markdown is nested too deeply to render'],
        [Array.from({ length: 50_000 }, (_, i) => `- item ${i} with a [link](/x/)`).join('\n'), 'markdown needed over 128 MB of memory'],
      ];
      for (const [body, problem] of cases) {
        fs.writeFileSync(path.join(root, file), `${original}\n${body}\n`);
        const started = performance.now();
        const failed = await rebuilder.rebuild([file]);
        const seconds = (performance.now() - started) / 1000;
        assert.equal(failed.errors?.length, 1, failed.errors?.map((e) => e.format()).join('\n'));
        assert.ok(failed.errors[0].format().startsWith(`${file}: ${problem}`), failed.errors[0].format());
        assert.ok(seconds < 20, `ended in ${seconds} s`);
        assert.deepEqual(snapshot(outDir), good, 'the last good output stays');
      }
      // A bad key and markdown over its budget in one file: both are reported (the file's error without a line first).
      fs.writeFileSync(path.join(root, file), `${original.replace('title: Service mesh evening', 'title: [Service mesh]')}\n${'*a'.repeat(64_000)}\n`);
      const both = (await rebuilder.rebuild([file])).errors?.map((e) => e.format()) ?? [];
      assert.equal(both.length, 2, both.join('\n'));
      assert.ok(both[0].startsWith(`${file}: markdown took over`), both[0]);
      assert.equal(both[1], `${file}:2: "title" must be text; add a line like title: "March meetup recap"`);
      fs.writeFileSync(path.join(root, file), original.replace('Service mesh evening', 'Service mesh evening, fixed'));
      const fixed = await rebuilder.rebuild([file]);
      assert.ok(fixed.result, fixed.errors?.map((e) => e.format()).join('\n'));
      assert.deepEqual(snapshot(outDir), await cleanOutput(root));
      assert.match(snapshot(outDir)['2020/01/15/service-mesh/index.html'], /Service mesh evening, fixed/);
    } finally {
      await rebuilder.close();
    }
  });

  it('fall back to the default theme when templates/ is deleted, and give an empty site without posts/', async () => {
    const { root, outDir, rebuilder } = site();
    await rebuilder.rebuild([]);
    fs.rmSync(path.join(root, 'templates'), { recursive: true });
    const themed = await rebuilder.rebuild(['templates/post.njk', 'templates']);
    assert.ok(themed.result, themed.errors?.map((e) => e.format()).join('\n'));
    assert.deepEqual(snapshot(outDir), await cleanOutput(root));
    assert.match(snapshot(outDir)['2019/03/06/March-Meetup/index.html'], /class="site-header"/, 'the default theme');
    fs.rmSync(path.join(root, 'posts'), { recursive: true });
    const empty = await rebuilder.rebuild(['posts/2019-03-06-March-Meetup.md', 'posts']);
    assert.ok(empty.result);
    assert.equal(empty.result.posts, 0);
    assert.deepEqual(snapshot(outDir), await cleanOutput(root));
    assert.ok(!listTree(outDir).some((f) => f.startsWith('2019/')), 'post pages are removed, and their folders');
    assert.ok(!fs.existsSync(path.join(outDir, '2019')));
  });

  it('report files changing under a build, and recover', async () => {
    const { root, outDir, rebuilder } = site();
    await rebuilder.rebuild([]);
    fs.renameSync(path.join(root, 'templates'), path.join(root, 'templates-away'));
    fs.writeFileSync(path.join(root, 'templates'), 'not a folder');
    const broken = await rebuilder.rebuild(['templates']);
    assert.ok(broken.errors && broken.errors.length > 0, 'reported, not thrown');
    fs.rmSync(path.join(root, 'templates'));
    fs.renameSync(path.join(root, 'templates-away'), path.join(root, 'templates'));
    assert.ok((await rebuilder.rebuild(['templates'])).result);
    assert.deepEqual(snapshot(outDir), await cleanOutput(root));
  });

  it('move a touched draft to its new date, and show page.source after a move', async () => {
    const root = copySite(path.join(FIXTURES, 'default-theme'));
    fs.mkdirSync(path.join(root, 'posts/_drafts'));
    fs.mkdirSync(path.join(root, 'templates'));
    fs.writeFileSync(path.join(root, 'templates/post.njk'), '{{ page.source }} {{ page.title }}\n');
    const draft = path.join(root, 'posts/_drafts/idea.md');
    fs.writeFileSync(draft, '---\ntitle: Idea\n---\nSoon.\n');
    fs.utimesSync(draft, new Date('2019-06-01T00:00:00Z'), new Date('2019-06-01T00:00:00Z'));
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { now: NOW, outDir, drafts: true, cache: false });
    await rebuilder.rebuild([]);
    assert.ok(fs.existsSync(path.join(outDir, '2019/06/01/idea/index.html')));
    fs.utimesSync(draft, new Date('2019-07-02T00:00:00Z'), new Date('2019-07-02T00:00:00Z'));
    assert.ok((await rebuilder.rebuild(['posts/_drafts/idea.md'])).result);
    assert.ok(fs.existsSync(path.join(outDir, '2019/07/02/idea/index.html')) && !fs.existsSync(path.join(outDir, '2019/06/01')));
    fs.mkdirSync(path.join(root, 'posts/2019'));
    fs.renameSync(path.join(root, 'posts/2019-05-01-may.md'), path.join(root, 'posts/2019/2019-05-01-may.md'));
    assert.ok((await rebuilder.rebuild(['posts/2019-05-01-may.md', 'posts/2019/2019-05-01-may.md'])).result);
    assert.match(fs.readFileSync(path.join(outDir, '2019/05/01/may/index.html'), 'utf8'), /^posts\/2019\/2019-05-01-may\.md May recap/);
  });

  it('build again once when files change under a build, then wait for the next change', async () => {
    const { root, rebuilder } = site();
    await rebuilder.rebuild([]);
    fs.renameSync(path.join(root, 'templates'), path.join(root, 'templates-away'));
    fs.writeFileSync(path.join(root, 'templates'), 'not a folder');
    const first = await rebuilder.rebuild(['templates']);
    assert.equal(first.retry, true, 'a race is built again');
    assert.match(first.errors?.[0].format() ?? '', /changed while it was being read \(ENOTDIR\); building again$/);
    const second = await rebuilder.rebuild([]);
    assert.equal(second.retry, false, 'the same failure again is not a race: watch waits for the next change');
    assert.match(second.errors?.[0].format() ?? '', /templates: a part of this path is a file where recap expected a folder; rename or remove that file \(ENOTDIR\)$/);
  });

  it('build from scratch when the config changes, and report a broken config', async () => {
    const { root, outDir, rebuilder } = site();
    await rebuilder.rebuild([]);
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: Renamed\nbasePath: /blog/\n');
    assert.ok((await rebuilder.rebuild(['recap.config.yml'])).result);
    assert.deepEqual(snapshot(outDir), await cleanOutput(root));
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: [\n');
    const broken = await rebuilder.rebuild(['recap.config.yml']);
    assert.match(broken.errors?.[0].format() ?? '', /^recap\.config\.yml:2:1: invalid YAML/);
    // Several wrong settings: every one is reported, and watching goes on.
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: Twice wrong\npaginate: many\nnosuch: 1\n');
    const twice = await rebuilder.rebuild(['recap.config.yml']);
    const [paginate, unknown, ...more] = twice.errors?.map((e) => e.format()) ?? [];
    assert.equal(paginate, 'recap.config.yml:2: "paginate" must be a whole number of posts, 1 or more');
    // The whole list of keys is the unknown-config-key fixture's (test/fixtures-invalid/).
    assert.match(unknown, /^recap\.config\.yml:3: unknown key "nosuch"; the keys are: title, description, url, basePath, /);
    assert.deepEqual(more, []);
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: Fixed\n');
    assert.ok((await rebuilder.rebuild(['recap.config.yml'])).result);
    assert.deepEqual(snapshot(outDir), await cleanOutput(root));
  });
});

describe('watchSite with a real file watcher', () => {
  /**
   * Watches `root` into `outDir`, runs `act` once the first build is done, and returns every
   * rebuild's report until `quietMs` pass without one (the search index's, which follow rebuilds
   * once they pause, are left out: search.test.ts has them).
   */
  async function reportsOf(root: string, outDir: string, act: () => void, quietMs = 1500): Promise<RebuildReport[]> {
    const reports: RebuildReport[] = [];
    const watcher = watchSite(root, { now: NOW, outDir, cache: false }, (report) => report.search || reports.push(report));
    try {
      await watcher.ready;
      act();
      // A watcher that loops never goes quiet: 20 reports end the wait, and fail the test.
      for (let seen = -1; seen !== reports.length && reports.length < 20; ) {
        seen = reports.length;
        await sleep(quietMs);
      }
      return reports;
    } finally {
      await watcher.close();
    }
  }

  it('build once per change for bodies with links that are not valid URLs (it was 28 builds in 4 s)', async () => {
    const { root, outDir } = site();
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'url: https://example.org\n');
    const post = path.join(root, 'posts/2024-05-01-deck.md');
    const body = 'See [the deck](//slides.example.com:8o80/deck), <a href="//slides.example.com:8o80/x">this</a> and ![a](http://[bad/i.png).';
    fs.writeFileSync(post, `---\ntitle: Deck\n---\n${body}\n`);
    const reports = await reportsOf(root, outDir, () => fs.writeFileSync(post, `---\ntitle: Deck, edited\n---\n${body}\n`));
    assert.equal(reports.length, 2, reports.map((r) => r.errors?.map((e) => e.format()).join('; ') ?? 'built').join('\n'));
    assert.ok(reports.every((r) => r.result), 'both built');
    assert.match(fs.readFileSync(path.join(outDir, 'feed.xml'), 'utf8'), /Deck, edited/);
  });

  it('report a file-system error that is not a race once, and build again only on the next change', async () => {
    const { root } = site();
    // No room for the staging folder's suffix in a 250-byte name: every build of it fails the same way.
    const outDir = path.join(tempDir(), 'o'.repeat(250));
    const post = path.join(root, 'posts/2024-05-01-new.md');
    const reports = await reportsOf(root, outDir, () => fs.writeFileSync(post, '---\ntitle: New\n---\nA change.\n'));
    assert.equal(reports.length, 2, `the first build and the change, nothing in between: ${reports.length} reports`);
    for (const report of reports) {
      assert.equal(report.retry, false);
      assert.match(report.errors?.[0].format() ?? '', /: the name or path is too long for the file system; .* \(ENAMETOOLONG\)$/);
    }
  });

  it('ends in the clean build\'s output after every way editors save', async () => {
    const { root, outDir } = site();
    const reports: RebuildReport[] = [];
    const watcher = watchSite(root, { now: NOW, outDir, cache: false }, (report) => reports.push(report));
    try {
      await watcher.ready;
      const post = (name: string) => path.join(root, 'posts', name);
      /** Waits until the watch output equals a clean build of the files as they are. */
      const settles = async (label: string) => {
        const expected = await cleanOutput(root);
        for (let i = 0; i < 100; i++) {
          await sleep(50);
          if (JSON.stringify(snapshot(outDir)) === JSON.stringify(expected)) return;
        }
        assert.deepEqual(snapshot(outDir), expected, `${label}: the output settles to the clean build's`);
      };
      const text = (title: string, tags = '[Photos]') => `---\ntitle: ${title}\ntags: ${tags}\n---\nBody of ${title}.\n`;

      fs.writeFileSync(post('2021-05-05-in-place.md'), text('Written in place'));
      await settles('create');
      fs.writeFileSync(post('2021-05-05-in-place.md'), text('Written in place, again', '[Video]'));
      await settles('write in place');

      fs.writeFileSync(post('.2021-05-05-in-place.md.tmp'), text('Saved by rename'));
      fs.renameSync(post('.2021-05-05-in-place.md.tmp'), post('2021-05-05-in-place.md'));
      await settles('temp file renamed over');

      fs.rmSync(post('2021-05-05-in-place.md'));
      fs.writeFileSync(post('2021-05-05-in-place.md'), text('Deleted and recreated', '[GitOps]'));
      await settles('delete and recreate');

      for (let i = 0; i < 5; i++) fs.writeFileSync(post('2021-05-05-in-place.md'), text(`Rapid save ${i}`));
      await settles('several saves within milliseconds');

      // Saves a few milliseconds apart fall inside the file watcher's throttle: some are not reported.
      for (let i = 0; i < 3; i++) {
        fs.writeFileSync(post('2021-05-05-in-place.md'), text(`Spaced save ${i}`));
        await sleep(10);
      }
      await settles('saves 10 ms apart');
      for (let i = 0; i < 3; i++) {
        fs.writeFileSync(post('.tmp-save'), text(`Renamed save ${i}`));
        fs.renameSync(post('.tmp-save'), post('2021-05-05-in-place.md'));
        await sleep(10);
      }
      await settles('temp files renamed over, 10 ms apart');

      // A folder of posts copied in at once: the watcher does not report every file in it.
      const batch = path.join(tempDir(), 'batch');
      fs.mkdirSync(batch);
      for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(batch, `2020-01-${String((i % 28) + 1).padStart(2, '0')}-copied-${i}.md`), text(`Copied ${i}`));
      fs.cpSync(batch, path.join(root, 'posts', 'batch'), { recursive: true });
      await settles('a folder of 60 posts copied in');
      fs.rmSync(path.join(root, 'posts', 'batch'), { recursive: true });
      await settles('the folder removed');

      fs.renameSync(post('2021-05-05-in-place.md'), post('2021-06-06-moved.md'));
      await settles('rename');

      fs.appendFileSync(path.join(root, 'templates', 'post.njk'), '<footer>changed template</footer>\n');
      await settles('template edit');

      fs.rmSync(post('2021-06-06-moved.md'));
      await settles('delete');
      assert.ok(reports.every((r) => !r.errors), 'no rebuild failed');
    } finally {
      await watcher.close();
    }
  });
});
