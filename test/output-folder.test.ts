/**
 * The output folder is replaced whole by every build: nothing but recap's own files may be lost
 * to that. Folders are compared as the disk sees them (links resolved), and files in the output
 * folder that recap did not write are kept (keepFiles) or stop the build. Every case builds into
 * a temp "world" folder and checks, by a digest of the whole tree, that nothing else changed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildSite } from '../src/pipeline/build.js';
import { DEFAULT_THEME_DIR, loadConfig, type LoadOptions } from '../src/pipeline/config.js';
import { BuildFailedError, SiteError } from '../src/pipeline/errors.js';
import { recoverOutput, writeSite } from '../src/pipeline/write.js';
import { createRebuilder } from '../src/dev/watch.js';
import { migrate } from '../src/jekyll/migrate.js';
import { copySite, FIXTURES, listTree, REPO, tempDir, treeDigest } from './helpers.js';

const BIN = path.join(REPO, 'bin/recap.js');
const NOW = new Date('2024-06-01T00:00:00Z');

function recap(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temp folder holding a copy of a fixture site as `site/`, and room around it for links and other folders. */
function world(fixture = path.join(FIXTURES, 'basic')) {
  const dir = fs.realpathSync(tempDir());
  const site = path.join(dir, 'site');
  copySite(fixture, site);
  fs.rmSync(path.join(site, 'expected'), { recursive: true, force: true });
  fs.rmSync(path.join(site, 'options.json'), { force: true });
  return { dir, site };
}

const options = (extra: LoadOptions = {}): LoadOptions => ({ now: NOW, cache: false, ...extra });

/** The message of the SiteError `run` throws (directly or in a failed build). */
function siteErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SiteError) return error.format();
    throw error;
  }
  assert.fail('expected a SiteError');
}

async function buildErrorOf(root: string, extra: LoadOptions = {}): Promise<string> {
  try {
    await buildSite(loadConfig(root, options(extra)));
  } catch (error) {
    if (error instanceof BuildFailedError) return error.errors.map((e) => e.format()).join('\n');
    if (error instanceof SiteError) return error.format();
    throw error;
  }
  assert.fail(`expected the build of ${root} to fail`);
}

describe('folders are compared as the disk sees them (symbolic links resolved)', () => {
  it('refuses `--root alias --out site --force`, which replaced the posts with the output', () => {
    const { dir } = world();
    fs.symlinkSync('site', path.join(dir, 'alias'));
    const before = treeDigest(dir);
    for (const args of [
      ['--root', 'alias', '--out', 'site'],
      ['--root', 'site', '--out', 'alias'],
      ['--root', 'alias', '--out', 'alias/posts'],
      ['--root', 'alias', '--out', '.'],
    ]) {
      const result = recap(['build', ...args, '--force', '--no-cache'], dir);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /cannot be the output folder: the build replaces it whole and it (is the site folder|holds the site folder|is posts\/)/, args.join(' '));
      assert.deepEqual(treeDigest(dir), before, `${args.join(' ')}: nothing changed`);
    }
    const result = recap(['build', '--root', 'alias', '--out', 'site', '--no-cache'], dir);
    assert.match(result.stderr, /^error site: cannot be the output folder: the build replaces it whole and it is the site folder; choose another --out$/m);
  });

  it('refuses an output folder that is a link to the site, a parent of it, or a source folder, or sits in one through a link', () => {
    const { dir, site } = world();
    const link = (target: string, at: string) => fs.symlinkSync(target, path.join(site, at));
    const cases: { setUp: () => void; out: string; says: RegExp }[] = [
      { setUp: () => link('..', 'public'), out: 'public', says: /public \(a link to .+\): cannot be the output folder: .* it holds the site folder/ },
      { setUp: () => link('.', 'public'), out: 'public', says: /it is the site folder/ },
      { setUp: () => link('posts', 'public'), out: 'public', says: /it is posts\// },
      { setUp: () => link('static', 'public'), out: 'public', says: /it is static\// },
      { setUp: () => link('templates/assets', 'public'), out: 'public', says: /it is inside templates\// },
      { setUp: () => link('posts', 'www'), out: 'www/out', says: /it is inside posts\// },
      { setUp: () => link('pages', 'www'), out: 'www/deeper/still', says: /it is inside pages\// },
      { setUp: () => link(DEFAULT_THEME_DIR, 'www'), out: 'www', says: /it is recap's default theme/ },
      { setUp: () => link('static/nowhere-yet', 'public'), out: 'public', says: /it is inside static\// },
      { setUp: () => fs.mkdirSync(path.join(site, '.git/objects'), { recursive: true }), out: '.git/objects', says: /it is inside \.git\// },
    ];
    const before = treeDigest(dir, [path.join(site, 'public'), path.join(site, 'www'), path.join(site, '.git')]);
    for (const { setUp, out, says } of cases) {
      setUp();
      for (const force of [false, true]) {
        assert.match(siteErrorOf(() => loadConfig(site, options({ outDir: path.join(site, out), force }))), says, `--out ${out}`);
      }
      fs.rmSync(path.join(site, out.split('/')[0]), { recursive: true });
      assert.deepEqual(treeDigest(dir), before);
    }
  });

  it('builds into the target of an output folder that links elsewhere, and keeps the link', async () => {
    const { dir, site } = world();
    fs.symlinkSync('../deploy', path.join(site, 'public')); // a link to a folder not made yet
    const before = treeDigest(dir, [path.join(dir, 'deploy')]);
    await buildSite(loadConfig(site, options()));
    await buildSite(loadConfig(site, options()));
    assert.ok(fs.lstatSync(path.join(site, 'public')).isSymbolicLink(), 'the link is still a link');
    assert.ok(listTree(path.join(dir, 'deploy')).includes('index.html'));
    assert.deepEqual(treeDigest(dir, [path.join(dir, 'deploy')]), before, 'nothing but deploy/ changed');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['deploy', 'site'], 'no staging folder left beside either');
  });

  it('refuses a cache folder that is, holds or sits in the site, a source folder or the output; one elsewhere is used', async () => {
    const { dir, site } = world();
    const before = treeDigest(dir);
    fs.symlinkSync('posts', path.join(site, '.recap-cache'));
    assert.match(siteErrorOf(() => loadConfig(site, { now: NOW })), /\/site\/\.recap-cache \(a link to .+\/posts\): cannot be the cache folder \("cacheDir"\): it is posts\/; give the cache a folder of its own/);
    fs.rmSync(path.join(site, '.recap-cache'));
    fs.symlinkSync('public/cache', path.join(site, '.recap-cache'));
    assert.match(siteErrorOf(() => loadConfig(site, { now: NOW })), /it is inside the output folder/);
    fs.rmSync(path.join(site, '.recap-cache'));
    const config = path.join(site, 'recap.config.yml');
    const settings = fs.readFileSync(config, 'utf8');
    for (const [cacheDir, says] of [
      ['..', /it holds the site folder/],
      ['.', /"cacheDir" is the site folder itself/],
      ['static/cache', /it is inside static\//],
      ['templates', /it is templates\//],
      ['public', /it is the output folder/],
    ] as const) {
      fs.writeFileSync(config, `${settings}cacheDir: ${cacheDir}\n`);
      assert.match(siteErrorOf(() => loadConfig(site, { now: NOW })), says, `cacheDir: ${cacheDir}`);
    }
    fs.writeFileSync(config, settings);
    assert.deepEqual(treeDigest(dir), before);
    // A cache kept elsewhere (another disk, a CI cache folder) is a cache like any other.
    fs.mkdirSync(path.join(dir, 'shared-cache'));
    fs.symlinkSync('../shared-cache', path.join(site, '.recap-cache'));
    await buildSite(loadConfig(site, { now: NOW }));
    assert.ok(fs.existsSync(path.join(dir, 'shared-cache/bodies.json')));
  });

  it('refuses source folders and files that link out of the site or into the output, and copies nothing through them', async () => {
    const { dir, site } = world();
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(dir, 'secret.md'), '---\ntitle: secret\n---\nsecret\n');
    const out = path.join(dir, 'out');
    const cases: { link: string; target: string; says: string }[] = [
      { link: 'templates/assets', target: '../../outside', says: `templates/assets: is a symbolic link to ${outside}, outside the site folder; copy the folder in instead` },
      { link: 'static/images', target: '../../outside', says: `static/images: is a symbolic link to ${outside}, outside the site folder; copy the file in instead` },
      { link: 'posts/2019-01-09-leak.md', target: '../../secret.md', says: `posts/2019-01-09-leak.md: is a symbolic link to ${path.join(dir, 'secret.md')}, outside the site folder; copy the file in instead` },
      { link: 'static/old-site', target: '../public', says: `static/old-site: is a symbolic link to ${path.join(site, 'public')}, inside the output folder; copy the file in instead` },
    ];
    for (const { link, target, says } of cases) {
      const at = path.join(site, link);
      const moved = `${at}.moved`;
      if (fs.existsSync(at)) fs.renameSync(at, moved);
      fs.symlinkSync(target, at);
      const before = treeDigest(dir);
      const outDir = link === 'static/old-site' ? path.join(site, 'public') : out;
      if (link === 'static/old-site') fs.mkdirSync(outDir);
      assert.equal(await buildErrorOf(site, { outDir }), says);
      if (link === 'static/old-site') fs.rmdirSync(outDir);
      else assert.deepEqual(treeDigest(dir), before, `${link}: nothing written`);
      fs.rmSync(at);
      if (fs.existsSync(moved)) fs.renameSync(moved, at);
    }
    assert.ok(!fs.existsSync(out));
    for (const [folder, target] of [
      ['templates', '../other-site/templates'],
      ['posts', '../outside'],
      ['pages', '/nonexistent/elsewhere'],
    ]) {
      fs.mkdirSync(path.join(dir, 'other-site/templates'), { recursive: true });
      const at = path.join(site, folder);
      fs.renameSync(at, `${at}.moved`);
      fs.symlinkSync(target, at);
      assert.match(siteErrorOf(() => loadConfig(site, options())), new RegExp(`^${folder}: is a symbolic link to .+, outside the site folder; copy the folder in instead$`));
      fs.rmSync(at);
      fs.renameSync(`${at}.moved`, at);
    }
  });

  it("a Jekyll site: the output folder may not hold posts, even with --force, and _includes may not link out", async () => {
    const { dir, site } = world(path.join(REPO, 'test/jekyll-site'));
    fs.mkdirSync(path.join(site, 'blog/_posts'), { recursive: true });
    fs.writeFileSync(path.join(site, 'blog/_posts/2019-01-01-x.md'), '---\ntitle: x\n---\nx\n');
    const before = treeDigest(dir);
    assert.match(await buildErrorOf(site, { outDir: path.join(site, 'blog'), force: true }), /\/site\/blog: cannot be the output folder: the build replaces it whole and it holds posts \(_posts\/\); choose another --out$/m);
    fs.symlinkSync('_posts', path.join(site, 'out'));
    assert.match(siteErrorOf(() => loadConfig(site, options({ outDir: path.join(site, 'out'), force: true }))), /it is _posts\//);
    fs.rmSync(path.join(site, 'out'));
    assert.deepEqual(treeDigest(dir), before);
    fs.mkdirSync(path.join(dir, 'includes'));
    fs.renameSync(path.join(site, '_includes'), path.join(site, '_includes.moved'));
    fs.symlinkSync('../includes', path.join(site, '_includes'));
    assert.match(siteErrorOf(() => loadConfig(site, options())), /^_includes: is a symbolic link to .+, outside the site folder/);
  });

  it("a Jekyll site: a folder of the site's own files (a theme's public/css/) is never the output, even with --force", async () => {
    const { site } = world(path.join(REPO, 'test/jekyll-site'));
    fs.mkdirSync(path.join(site, 'public/css'), { recursive: true });
    fs.writeFileSync(path.join(site, 'public/css/poole.css'), 'body { margin: 0; }\n');
    for (const force of [false, true]) {
      assert.match(await buildErrorOf(site, { force }), /public: cannot be the output folder: it holds files of this Jekyll site .*; build into _site \(--out _site\) or another folder$/m);
      assert.equal(fs.readFileSync(path.join(site, 'public/css/poole.css'), 'utf8'), 'body { margin: 0; }\n');
    }
    // Built into _site, as Jekyll does, the folder is a source like any other.
    await buildSite(loadConfig(site, options({ outDir: path.join(site, '_site') })));
    assert.equal(fs.readFileSync(path.join(site, '_site/public/css/poole.css'), 'utf8'), 'body { margin: 0; }\n');
  });

  it('`recap new` writes where posts/ really is, never out of the site or through a link', () => {
    const { dir, site } = world();
    fs.renameSync(path.join(site, 'posts'), path.join(site, 'old-posts'));
    fs.symlinkSync('content/posts', path.join(site, 'posts')); // inside the site, not made yet
    let result = recap(['new', 'Linked folder', '--date', '2026-05-14', '--root', site], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.existsSync(path.join(site, 'content/posts/2026-05-14-linked-folder.md')));
    fs.writeFileSync(path.join(dir, 'secret.md'), 'secret');
    fs.symlinkSync('../../../secret.md', path.join(site, 'content/posts/2026-05-15-trap.md'));
    result = recap(['new', 'Trap', '--date', '2026-05-15', '--root', site], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /posts\/2026-05-15-trap\.md: already exists/);
    assert.equal(fs.readFileSync(path.join(dir, 'secret.md'), 'utf8'), 'secret');
    fs.rmSync(path.join(site, 'posts'));
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    fs.symlinkSync('../elsewhere', path.join(site, 'posts'));
    result = recap(['new', 'Out', '--root', site], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /posts: is a symbolic link to .+elsewhere, outside the site folder/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'elsewhere')), []);
  });
});

/** A build of `site` by the CLI, as a user runs it. */
const build = (site: string, ...args: string[]) => recap(['build', '--root', site, '--no-cache', ...args], site);

describe('files in the output folder that recap did not write', () => {
  it("carries a gh-pages worktree's .git across every build and stops at the user's NOTES.txt (the issue's case)", () => {
    const { dir, site } = world();
    const out = path.join(site, 'public');
    assert.equal(build(site).code, 0);
    fs.mkdirSync(path.join(out, '.git/objects/ab'), { recursive: true });
    fs.writeFileSync(path.join(out, '.git/HEAD'), 'ref: refs/heads/gh-pages\n');
    fs.writeFileSync(path.join(out, '.git/objects/ab/cdef'), 'history');
    fs.writeFileSync(path.join(out, 'NOTES.txt'), 'my notes');
    const git = treeDigest(path.join(out, '.git'));
    const before = treeDigest(dir);
    const refused = build(site);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^error public: holds 1 entry recap did not write: NOTES\.txt; the build replaces this folder, so it stopped and changed nothing: delete or move them, add them to "keepFiles" in recap\.config\.yml to keep them in every build, or pass --force to delete them$/m,
    );
    assert.deepEqual(treeDigest(dir), before, 'nothing changed');
    fs.rmSync(path.join(out, 'NOTES.txt'));
    fs.appendFileSync(path.join(site, 'posts/2019-03-06-March-Meetup.md'), '\nA new closing line.\n');
    const built = build(site);
    assert.equal(built.code, 0, built.stderr);
    assert.deepEqual(treeDigest(path.join(out, '.git')), git, '.git is carried over untouched');
    assert.match(fs.readFileSync(path.join(out, '2019/03/06/March-Meetup/index.html'), 'utf8'), /A new closing line/);
    assert.deepEqual(fs.readdirSync(site).filter((entry) => entry.startsWith('.public')), []);
  });

  it('keeps every keepFiles entry; --force deletes the other files, never the kept ones', () => {
    const { site } = world();
    const out = path.join(site, 'public');
    fs.appendFileSync(path.join(site, 'recap.config.yml'), 'keepFiles: [.git, NOTES.txt, downloads/slides.pdf, ./reports/]\n');
    assert.equal(build(site).code, 0);
    const put = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
      fs.writeFileSync(path.join(out, file), text);
    };
    put('.git/HEAD', 'head');
    put('NOTES.txt', 'notes');
    put('downloads/slides.pdf', 'slides');
    put('reports/2019/q1.txt', 'q1');
    put('stray.txt', 'stray');
    put('downloads/other.pdf', 'other');
    const refused = build(site);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /holds 2 entries recap did not write: downloads\/other\.pdf, stray\.txt;/);
    const forced = build(site, '--force');
    assert.equal(forced.code, 0, forced.stderr);
    for (const [file, text] of [['.git/HEAD', 'head'], ['NOTES.txt', 'notes'], ['downloads/slides.pdf', 'slides'], ['reports/2019/q1.txt', 'q1']]) {
      assert.equal(fs.readFileSync(path.join(out, file), 'utf8'), text, `${file} is kept`);
    }
    assert.ok(!fs.existsSync(path.join(out, 'stray.txt')) && !fs.existsSync(path.join(out, 'downloads/other.pdf')), '--force deleted the rest');
    assert.equal(build(site).code, 0, 'kept files need no --force');
  });

  it('names the first few entries and how many, links included (a link at a page recap wrote too)', async () => {
    const { site } = world();
    const out = path.join(site, 'public');
    await buildSite(loadConfig(site, options()));
    for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(out, `a${i}.txt`), 'x');
    fs.symlinkSync('/etc/hostname', path.join(out, 'hostname'));
    fs.rmSync(path.join(out, 'index.html'));
    fs.symlinkSync('/etc/hostname', path.join(out, 'index.html'));
    fs.mkdirSync(path.join(out, 'empty')); // no data of its own: not listed
    const before = treeDigest(out);
    assert.match(await buildErrorOf(site), /\/public: holds 12 entries recap did not write: a0\.txt, a1\.txt, a2\.txt, a3\.txt, a4\.txt and more;/);
    assert.deepEqual(treeDigest(out), before, 'the output is untouched');
    for (let i = 0; i < 10; i++) fs.rmSync(path.join(out, `a${i}.txt`));
    assert.match(await buildErrorOf(site), /\/public: holds 2 entries recap did not write: hostname, index\.html;/);
    fs.rmSync(path.join(out, 'hostname'));
    assert.match(await buildErrorOf(site), /\/public: holds 1 entry recap did not write: index\.html;/);
    fs.rmSync(path.join(out, 'index.html'));
    await buildSite(loadConfig(site, options()));
    assert.ok(fs.lstatSync(path.join(out, 'index.html')).isFile());
    assert.ok(!fs.existsSync(path.join(out, 'empty')));
  });

  it('knows its own files without the cache: the marker lists them (a deleted .recap-cache, a fresh clone with public/ from CI)', () => {
    const { dir, site } = world();
    assert.equal(recap(['build', '--root', site], site).code, 0);
    fs.rmSync(path.join(site, '.recap-cache'), { recursive: true });
    assert.equal(recap(['build', '--root', site], site).code, 0, 'no cache: still recap\'s files');
    const clone = path.join(dir, 'clone');
    copySite(site, clone);
    fs.rmSync(path.join(clone, '.recap-cache'), { recursive: true });
    const built = recap(['build', '--root', clone], clone);
    assert.equal(built.code, 0, built.stderr);
    assert.ok(fs.readFileSync(path.join(site, 'public/.recap-built'), 'utf8').includes('\n"index.html"\n'));
  });

  it("reads an older recap's marker (no list) with the cache's index of the same build, else asks for --force once", () => {
    const { site } = world();
    const marker = path.join(site, 'public/.recap-built');
    const toOldMarker = () => fs.writeFileSync(marker, fs.readFileSync(marker, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
    assert.equal(recap(['build', '--root', site], site).code, 0);
    toOldMarker();
    assert.equal(recap(['build', '--root', site], site).code, 0, 'the index of that build knows its files');
    toOldMarker();
    fs.rmSync(path.join(site, '.recap-cache'), { recursive: true });
    const refused = recap(['build', '--root', site], site);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /its \.recap-built comes from an older recap, which did not list its files: if they are all recap's, pass --force once/);
    assert.equal(recap(['build', '--root', site, '--force'], site).code, 0);
    assert.equal(recap(['build', '--root', site], site).code, 0);
  });

  it('refuses a kept file that the site also builds', async () => {
    const { site } = world();
    fs.appendFileSync(path.join(site, 'recap.config.yml'), 'keepFiles: [.git, CNAME]\n');
    const out = path.join(site, 'public');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'CNAME'), 'mine.example.org');
    assert.match(await buildErrorOf(site), /\/public: keeps CNAME \("keepFiles"\), but the site also builds CNAME; remove one of them$/);
    assert.equal(fs.readFileSync(path.join(out, 'CNAME'), 'utf8'), 'mine.example.org');
  });

  it('refuses a kept folder that the site builds into, before the folder is there, and writes nothing', async () => {
    const { site } = world();
    fs.appendFileSync(path.join(site, 'recap.config.yml'), 'keepFiles: [.git, downloads]\n');
    fs.mkdirSync(path.join(site, 'static/downloads'), { recursive: true });
    fs.writeFileSync(path.join(site, 'static/downloads/slides.pdf'), 'PDF');
    assert.match(await buildErrorOf(site), /\/public: keeps downloads \("keepFiles"\), but the site also builds downloads\/slides\.pdf; remove one of them$/);
    assert.ok(!fs.existsSync(path.join(site, 'public')), 'no output was written');
  });

  it('reads keep_files from a Jekyll site, and recap migrate writes it as keepFiles', async () => {
    const { site } = world(path.join(REPO, 'test/jekyll-site'));
    fs.appendFileSync(path.join(site, '_config.yml'), '\nkeep_files: [.git, stats]\n');
    const out = path.join(site, 'public');
    await buildSite(loadConfig(site, options()));
    fs.mkdirSync(path.join(out, 'stats'));
    fs.writeFileSync(path.join(out, 'stats/visits.json'), '{}');
    await buildSite(loadConfig(site, options()));
    assert.equal(fs.readFileSync(path.join(out, 'stats/visits.json'), 'utf8'), '{}');
    assert.deepEqual(migrate(site).written.keepFiles, ['.git', 'stats'], 'recap migrate carries it over');
  });
});

describe('a build killed while carrying kept files across', () => {
  const marker = (files: string[]) => `recap\nbuild x\nfiles (JSON strings, one a line):\n${files.map((f) => JSON.stringify(f) + '\n').join('')}`;
  const put = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };

  it('recovers them into the output, whichever rename it was killed at', () => {
    // Killed after the swap, before the old output was removed: .git was carried, but a nested kept folder was not yet.
    const parent = tempDir();
    const out = path.join(parent, 'public');
    put(path.join(out, 'new.html'), 'new');
    put(path.join(out, '.recap-built'), marker(['new.html']));
    const old = path.join(parent, '.public.old-999999-x');
    put(path.join(old, 'old.html'), 'old');
    put(path.join(old, '.recap-built'), marker(['old.html']));
    put(path.join(old, 'reports/q1.txt'), 'q1');
    recoverOutput(out, ['.git', 'reports']);
    assert.deepEqual(listTree(out), ['.recap-built', 'new.html', 'reports/q1.txt']);
    assert.deepEqual(fs.readdirSync(parent), ['public']);

    // Killed between the renames, .git not carried yet: the complete staged output goes in, then .git.
    fs.renameSync(out, path.join(parent, '.public.tmp-999999-y'));
    put(path.join(parent, '.public.old-999999-y/.git/HEAD'), 'head');
    put(path.join(parent, '.public.old-999999-y/.recap-built'), marker([]));
    recoverOutput(out);
    assert.deepEqual(listTree(out), ['.git/HEAD', '.recap-built', 'new.html', 'reports/q1.txt']);
    assert.deepEqual(fs.readdirSync(parent), ['public']);
  });

  it('never deletes a leftover whose kept files the output also has: it names it', () => {
    const parent = tempDir();
    const out = path.join(parent, 'public');
    put(path.join(out, '.git/HEAD'), 'a');
    put(path.join(out, '.recap-built'), marker([]));
    put(path.join(parent, '.public.old-999999-z/.git/HEAD'), 'b');
    assert.match(siteErrorOf(() => recoverOutput(out)), /\.public\.old-999999-z: was left by an interrupted build and holds \.git, which .*public holds too/);
    assert.equal(fs.readFileSync(path.join(parent, '.public.old-999999-z/.git/HEAD'), 'utf8'), 'b');
  });

  it('writeSite stops at an output folder it did not write, unless forced, and carries .git either way', async () => {
    const out = path.join(tempDir(), 'public');
    put(path.join(out, 'mine.txt'), 'precious');
    put(path.join(out, '.git/HEAD'), 'head');
    await assert.rejects(writeSite(out, [{ path: 'index.html', contents: 'x' }], 'id1'), /holds 1 entry recap did not write: mine\.txt/);
    assert.deepEqual(listTree(out), ['.git/HEAD', 'mine.txt']);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['public'], 'the staged folder is removed');
    await writeSite(out, [{ path: 'index.html', contents: 'x' }], 'id1', { rules: { keepFiles: ['.git'], force: true } });
    assert.deepEqual(listTree(out), ['.git/HEAD', '.recap-built', 'index.html']);
  });
});

describe('watch mode writes in place only over its own files', () => {
  it('stops at a file it did not write where a new page goes, and at links, and recovers once they are gone', async () => {
    const { dir, site } = world();
    const outDir = path.join(dir, 'public');
    const rebuilder = createRebuilder(site, { now: NOW, outDir, cache: false });
    assert.ok((await rebuilder.rebuild([])).result);
    const post = 'posts/2019-05-05-new-night.md';
    fs.mkdirSync(path.join(outDir, '2019/05/05/new-night'), { recursive: true });
    fs.writeFileSync(path.join(outDir, '2019/05/05/new-night/index.html'), 'mine');
    fs.writeFileSync(path.join(site, post), '---\ntitle: New night\n---\nHello.\n');
    let report = await rebuilder.rebuild([post]);
    assert.match(report.errors?.[0]?.format() ?? '', /public: holds 1 entry recap did not write: 2019\/05\/05\/new-night\/index\.html, where this build writes; move them, or pass --force to replace them/);
    assert.equal(fs.readFileSync(path.join(outDir, '2019/05/05/new-night/index.html'), 'utf8'), 'mine');
    fs.rmSync(path.join(outDir, '2019/05/05/new-night/index.html'));
    fs.rmdirSync(path.join(outDir, '2019/05/05/new-night'));
    report = await rebuilder.rebuild([post]);
    assert.ok(report.result, report.errors?.map((e) => e.format()).join('\n'));
    assert.match(fs.readFileSync(path.join(outDir, '2019/05/05/new-night/index.html'), 'utf8'), /Hello\./);

    // A page recap wrote, replaced by a link: writing it again would write through the link.
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    const page = path.join(outDir, '2019/05/05/new-night/index.html');
    fs.rmSync(page);
    fs.symlinkSync(path.join(dir, 'secret.txt'), page);
    fs.appendFileSync(path.join(site, post), 'More.\n');
    report = await rebuilder.rebuild([post]);
    assert.match(report.errors?.[0]?.format() ?? '', /has symbolic links where recap writes: 2019\/05\/05\/new-night\/index\.html; recap never writes through a link/);
    assert.equal(fs.readFileSync(path.join(dir, 'secret.txt'), 'utf8'), 'secret');
  });

  it('with --force replaces a file it did not write, but never writes through a folder link or an output folder turned into a link', async () => {
    const { dir, site } = world();
    const outDir = path.join(dir, 'public');
    const rebuilder = createRebuilder(site, { now: NOW, outDir, cache: false, force: true });
    assert.ok((await rebuilder.rebuild([])).result);
    const post = 'posts/2019-05-05-new-night.md';
    fs.mkdirSync(path.join(outDir, '2019/05/05/new-night'), { recursive: true });
    fs.writeFileSync(path.join(outDir, '2019/05/05/new-night/index.html'), 'mine');
    fs.writeFileSync(path.join(site, post), '---\ntitle: New night\n---\nHello.\n');
    assert.ok((await rebuilder.rebuild([post])).result);
    assert.match(fs.readFileSync(path.join(outDir, '2019/05/05/new-night/index.html'), 'utf8'), /Hello\./);
    const elsewhere = path.join(dir, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'index.html'), 'elsewhere');
    fs.rmSync(path.join(outDir, '2019/05/05/new-night'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(outDir, '2019/05/05/new-night'));
    fs.appendFileSync(path.join(site, post), 'More.\n');
    const report = await rebuilder.rebuild([post]);
    assert.match(report.errors?.[0]?.format() ?? '', /has symbolic links where recap writes: 2019\/05\/05\/new-night;/);
    assert.equal(fs.readFileSync(path.join(elsewhere, 'index.html'), 'utf8'), 'elsewhere');
    fs.rmSync(path.join(outDir, '2019/05/05/new-night'));
    assert.ok((await rebuilder.rebuild([post])).result, 'a build from scratch once the link is gone');

    // The output folder itself turned into a link to the site while watching.
    fs.renameSync(outDir, path.join(dir, 'public.moved'));
    fs.symlinkSync(site, outDir);
    fs.appendFileSync(path.join(site, post), 'Even more.\n');
    const digest = treeDigest(site);
    const again = await rebuilder.rebuild([post]);
    assert.match(again.errors?.[0]?.format() ?? '', /public: (is no longer a folder \(a link or a file took its place\)|exists and is not a folder)/);
    assert.deepEqual(treeDigest(site), digest, 'nothing was written into the site');
    assert.match((await rebuilder.rebuild([post])).errors?.[0]?.format() ?? '', /cannot be the output folder: the build replaces it whole and it is the site folder/);
    assert.deepEqual(treeDigest(site), digest);
  });
});
