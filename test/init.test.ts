import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { packageNameFor, run as init, titleFrom } from '../src/commands/init.js';
import type { Io } from '../src/commands/io.js';
import { recapSpec } from '../src/init/recap-spec.js';
import { loadConfig } from '../src/pipeline/config.js';
import { buildInto, listTree, REPO, tempDir, treeDigest } from './helpers.js';
import { readPage } from './site-pages.js';

const BIN = path.join(REPO, 'bin/recap.js');

/** The CLI as a script runs it: no terminal (stdin not a TTY, CI set), so it never asks. */
function recap(args: string[], cwd = tempDir()) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const today = () => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};

const STARTER_FILES = (date: string) => [
  '.github/workflows/deploy.yml',
  '.gitignore',
  'netlify.toml',
  'package.json',
  'pages/about.md',
  'pages/code-of-conduct.md',
  'pages/speak.md',
  'pages/sponsors.md',
  `posts/${date}-our-first-meetup.md`,
  `posts/${date}-our-first-meetup/room.svg`,
  'recap.config.yml',
  'static/favicon.svg',
];

/** An Io that keeps what a command prints, and answers its questions from `answers` when given. */
function captureIo(answers?: string, { tty = false, end = true } = {}) {
  const lines = { out: [] as string[], err: [] as string[], prompts: '' };
  const io: Io = { out: (line) => lines.out.push(line), err: (line) => lines.err.push(line), interactive: answers !== undefined, color: false };
  if (answers !== undefined) {
    const input = new PassThrough();
    // A terminal's output: readline then edits lines as a terminal does, and reads Ctrl-C as SIGINT.
    const output = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: 80 } : {});
    output.on('data', (chunk: Buffer) => (lines.prompts += chunk.toString()));
    if (end) input.end(answers);
    else input.write(answers);
    io.terminal = { input, output };
  }
  return { io, lines };
}

describe('recap init', () => {
  it('writes a complete site that builds, with the sample recap a draft, and prints the next three commands', () => {
    const parent = tempDir();
    const result = recap(['init', 'my-meetup', '--title', 'Harbour Tech Nights', '--url', 'https://octo.github.io/my-meetup', '--description', 'Talks and pizza.'], parent);
    assert.equal(result.code, 0, result.stderr);
    const site = path.join(parent, 'my-meetup');
    const date = today();
    assert.deepEqual(listTree(site), STARTER_FILES(date));
    assert.match(result.stdout, /^Created a recap site in my-meetup\/ \(12 files\): /);
    assert.match(result.stdout, /\nNext:\n {2}cd my-meetup\n {2}npm install +# .*\n {2}npm run serve +# .*\n$/);
    // Run from the checkout, the site depends on it by path, and says that will not deploy.
    assert.match(result.stderr, /warning package\.json depends on recap at file:.*a path on this computer/);

    const config = loadConfig(site);
    assert.equal(config.title, 'Harbour Tech Nights');
    assert.equal(config.description, 'Talks and pizza.');
    // recap takes the address's path as the base path.
    assert.equal(config.url, 'https://octo.github.io');
    assert.equal(config.basePath, '/my-meetup/');
    const manifest = JSON.parse(fs.readFileSync(path.join(site, 'package.json'), 'utf8'));
    assert.equal(manifest.name, 'my-meetup');
    assert.equal(manifest.private, true);
    assert.deepEqual(manifest.scripts, { build: 'recap build', serve: 'recap serve', check: 'recap check', new: 'recap new' });
    assert.deepEqual(manifest.engines, { node: '>=20' });
    assert.deepEqual(manifest.devDependencies, { recap: `file:${REPO}` });
    assert.equal(manifest.allowScripts[`file:${REPO}`], true);
    assert.deepEqual(fs.readFileSync(path.join(site, '.gitignore'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#')), ['public/', '.recap-cache/', 'node_modules/']);
    // The sample post says what it is, in its own text.
    const sample = fs.readFileSync(path.join(site, `posts/${date}-our-first-meetup.md`), 'utf8');
    assert.equal((yaml.load(sample.split('---\n')[1]) as { draft: unknown }).draft, true);
    for (const words of ['a draft', 'npm run serve', 'npm run build', 'delete its `draft: true` line', 'npx recap new']) assert.ok(sample.includes(words), words);
    for (const page of ['about', 'code-of-conduct', 'speak', 'sponsors']) {
      assert.match(fs.readFileSync(path.join(site, `pages/${page}.md`), 'utf8'), /\*A placeholder: /, `pages/${page}.md says it is a placeholder`);
    }

    const built = recap(['build'], site);
    assert.equal(built.code, 0, built.stderr);
    assert.equal(built.stderr, '', 'a site with url builds without a warning');
    const output = listTree(path.join(site, 'public'));
    for (const file of ['index.html', 'about/index.html', 'code-of-conduct/index.html', 'speak/index.html', 'sponsors/index.html', 'favicon.svg', 'feed.xml']) {
      assert.ok(output.includes(file), file);
    }
    assert.ok(!output.some((file) => file.includes('our-first-meetup')), 'the draft is left out');
    const home = readPage(path.join(site, 'public/index.html'));
    assert.ok(home.references.includes('/my-meetup/favicon.svg'), "the site's own favicon replaces the theme's");
    assert.ok(!home.references.some((reference) => reference.includes('assets/favicon')));
    assert.equal(recap(['check'], site).code, 0);

    const drafts = recap(['build', '--drafts'], site);
    assert.equal(drafts.code, 0, drafts.stderr);
    const [year, month, day] = date.split('-');
    assert.ok(fs.existsSync(path.join(site, `public/${year}/${month}/${day}/our-first-meetup/index.html`)));
    assert.ok(fs.existsSync(path.join(site, `public/${year}/${month}/${day}/our-first-meetup/room.svg`)), "the post's own folder is copied beside it");
    const checked = recap(['check'], site);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
  });

  it('in the current folder, prints install, a new post and serve as the three commands', () => {
    const site = tempDir();
    const result = recap(['init', '--title', 'Here'], site);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Created a recap site in the current folder \(12 files\)/);
    assert.match(result.stdout, /\nNext:\n {2}npm install +# .*\n {2}npx recap new "Our next meetup" +# .*\n {2}npm run serve +# .*\n$/);
    assert.match(result.stdout, /No url yet: write the site's address in recap\.config\.yml/);
    // No url: a commented line that says what it is for, and the site still builds (with url's warning).
    const config = fs.readFileSync(path.join(site, 'recap.config.yml'), 'utf8');
    assert.match(config, /^# url: https:\/\/\S+ +# TODO: .*feed, sitemap, share cards and recap check/m);
    assert.equal(loadConfig(site).url, '');
    assert.equal(recap(['build'], site).code, 0);
  });

  it('takes its title from the folder, and package.json a name npm accepts', () => {
    assert.equal(titleFrom('my-meetup'), 'My Meetup');
    assert.equal(titleFrom('harbour_city.js  nights'), 'Harbour City Js Nights');
    assert.equal(titleFrom('---'), 'Our meetup');
    assert.equal(packageNameFor('My Meetup!'), 'my-meetup');
    assert.equal(packageNameFor('Zürich Café'), 'zurich-cafe');
    assert.equal(packageNameFor('日本'), 'meetup-site');
    assert.equal(packageNameFor('recap'), 'recap-site', 'npm will not install recap into a package called recap');
    assert.equal(packageNameFor('a'.repeat(300)).length, 100);
    const parent = tempDir();
    assert.equal(recap(['init', 'Ünïcode Nights'], parent).code, 0);
    const site = path.join(parent, 'Ünïcode Nights');
    assert.equal(loadConfig(site).title, 'Ünïcode Nights');
    assert.equal(JSON.parse(fs.readFileSync(path.join(site, 'package.json'), 'utf8')).name, 'unicode-nights');
  });

  it('refuses a folder that is not empty, naming what it holds, and writes nothing', () => {
    const site = tempDir();
    fs.writeFileSync(path.join(site, 'notes.txt'), 'mine');
    fs.mkdirSync(path.join(site, 'photos'));
    const before = treeDigest(site);
    const result = recap(['init', site]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `error ${site}: is not empty (holds notes.txt, photos); use --force to add the starter's files, which never overwrites one\n`);
    assert.deepEqual(treeDigest(site), before);
    for (const name of ['a', 'b', 'c', 'd']) fs.writeFileSync(path.join(site, name), '');
    assert.match(recap(['init', site]).stderr, /\(holds a, b, c and 3 more\)/);
  });

  it('accepts a folder that holds only .git (a fresh git init) or what a file browser leaves there', () => {
    const site = tempDir();
    fs.mkdirSync(path.join(site, '.git'));
    fs.writeFileSync(path.join(site, '.git/HEAD'), 'ref: refs/heads/main\n');
    const result = recap(['init', site]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.existsSync(path.join(site, 'recap.config.yml')));
    assert.equal(fs.readFileSync(path.join(site, '.git/HEAD'), 'utf8'), 'ref: refs/heads/main\n');
    for (const leftover of ['.DS_Store', 'Thumbs.db', 'desktop.ini']) {
      const opened = tempDir();
      fs.writeFileSync(path.join(opened, leftover), 'the file browser\'s');
      assert.equal(recap(['init', opened]).code, 0, leftover);
      assert.equal(fs.readFileSync(path.join(opened, leftover), 'utf8'), 'the file browser\'s');
    }
  });

  it("prints a cd that goes into the folder whatever its name: one like an option, a shell comment, quotes", () => {
    const parent = tempDir();
    for (const [name, cd] of [
      ['-', 'cd ./-'],
      ['--force', 'cd ./--force'],
      ['#meetup', "cd '#meetup'"],
      ['=meetup', "cd '=meetup'"],
      ["it's ours", "cd 'it'\\''s ours'"],
      ['plain-name', 'cd plain-name'],
    ]) {
      const result = recap(['init', '--', name], parent);
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      const printed = result.stdout.split('\n').find((line) => line.startsWith('  cd '))?.trim();
      assert.equal(printed, cd, name);
      // The shell agrees: the printed command enters the folder the site was made in.
      const shell = spawnSync('sh', ['-c', `cd /tmp && cd ${JSON.stringify(parent)} && ${printed} && pwd -P`], { encoding: 'utf8' });
      assert.equal(shell.stdout.trim(), fs.realpathSync(path.join(parent, name)), name);
    }
  });

  it('with --force adds the starter to a folder and keeps every file already there, byte for byte', () => {
    const site = tempDir();
    fs.writeFileSync(path.join(site, 'package.json'), '{"name": "mine", "private": true}\n');
    fs.writeFileSync(path.join(site, 'recap.config.yml'), 'title: Mine\n');
    fs.mkdirSync(path.join(site, 'pages'));
    fs.writeFileSync(path.join(site, 'pages/about.md'), '---\ntitle: Ours\n---\nOurs.\n');
    // A folder where the starter has a file: it stays, and the file is not written.
    fs.mkdirSync(path.join(site, 'netlify.toml'));
    const before = treeDigest(site);
    const result = recap(['init', site, '--force']);
    assert.equal(result.code, 0, result.stderr);
    for (const [file, digest] of before) assert.equal(treeDigest(site).get(file), digest, `${file} is as it was`);
    for (const kept of ['netlify.toml', 'package.json', 'pages/about.md', 'recap.config.yml']) {
      assert.ok(result.stdout.includes(`Kept your ${kept} (already there).`), `${kept}:\n${result.stdout}`);
    }
    assert.ok(result.stdout.includes(`Kept your package.json (already there). If it does not list recap yet: npm install -D file:${REPO}\n`));
    assert.ok(fs.existsSync(path.join(site, 'pages/speak.md')));
    assert.ok(fs.existsSync(path.join(site, '.github/workflows/deploy.yml')));
    // Run again: everything is there, nothing is written.
    const again = recap(['init', site, '--force']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^Wrote nothing in .*: every file of the starter is there already\./);
  });

  it('never writes through a link placed where a starter file or folder goes', () => {
    const site = tempDir();
    const elsewhere = tempDir();
    fs.writeFileSync(path.join(elsewhere, 'victim.txt'), 'untouched');
    fs.symlinkSync(path.join(elsewhere, 'victim.txt'), path.join(site, 'netlify.toml'));
    fs.symlinkSync(path.join(elsewhere, 'made-by-init.txt'), path.join(site, '.gitignore'));
    fs.symlinkSync(elsewhere, path.join(site, 'pages'));
    const before = treeDigest(elsewhere);
    const result = recap(['init', site, '--force']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(treeDigest(elsewhere), before, 'nothing was written where the links point');
    assert.ok(result.stdout.includes('Kept your netlify.toml (already there).'));
    assert.ok(result.stdout.includes('Kept your .gitignore (already there).'), 'a dangling link too');
    assert.ok(result.stdout.includes('Kept your pages/about.md (pages is a link or a file, not a folder).'));
  });

  it('refuses a file as the folder, and names a path it cannot make in one line', () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'site'), 'a file');
    const file = recap(['init', 'site'], parent);
    assert.equal(file.code, 1);
    assert.equal(file.stderr, "error site: is a file, not a folder; recap init makes a site in a new or empty folder\n");
    const under = recap(['init', 'site/inner'], parent);
    assert.equal(under.code, 1);
    assert.match(under.stderr, /^error site\/inner: a part of this path is a file where recap expected a folder; .* \(ENOTDIR\)\n$/);
    assert.equal(fs.readFileSync(path.join(parent, 'site'), 'utf8'), 'a file');
  });

  it('exits 2 on bad usage: an address recap cannot use, two folders, an unknown option, an empty value', () => {
    const parent = tempDir();
    const cases: [string[], RegExp][] = [
      [['--url', 'octo.github.io/my-meetup'], /--url must be an absolute http\(s\) URL/],
      [['--url', 'ftp://octo.github.io/'], /--url must be an absolute http\(s\) URL/],
      [['--url', 'https://octo.github.io/x?utm=1'], /--url must not have a "\?" query/],
      [['--url', 'https://user:pw@octo.github.io/'], /--url must not hold a user name or password/],
      [['one', 'two'], /recap init takes one folder, not 3/],
      [['--colour'], /--colour/],
      [['--title', ' '], /--title is empty/],
      [['--recap', ''], /--recap is empty/],
    ];
    for (const [args, message] of cases) {
      const result = recap(['init', 'site', ...args], parent);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
    assert.deepEqual(fs.readdirSync(parent), [], 'nothing was written');
    const help = recap(['init', '--help']);
    assert.equal(help.code, 0);
    for (const option of ['--title TEXT', '--url URL', '--description TEXT', '--recap SPEC', '--force']) assert.ok(help.stdout.includes(option), option);
    assert.match(recap(['--help']).stdout, /init\s+Create a new meetup site/);
  });

  it('writes any title and description as exactly that text: quotes, newlines, YAML and template syntax, markup', async () => {
    const titles = [
      'Say "hi" & \'bye\': # not a comment',
      '*a !!js/function {{ site.url }} {% raw %} </script><script>alert(1)</script>',
      '- [x] %TAG ! @x `y` | > ? ,{}[]',
      'Line one\nline two\ttab \\ backslash',
      'Odd characters: \u2028 \u0085 \u007f \ufeff 😀 \u00a0end',
    ];
    for (const title of titles) {
      const site = path.join(tempDir(), 'site');
      const { io, lines } = captureIo();
      assert.equal(await init([site, `--title=${title}`, `--description=${title}`, '--url', 'https://meetup.example.org'], io), 0, lines.err.join('\n'));
      const config = loadConfig(site);
      assert.equal(config.title, title);
      assert.equal(config.description, title);
      const page = readPage(path.join(await buildInto(site), 'index.html'));
      assert.equal(page.meta.get('og:site_name'), title);
      assert.equal(page.headerTitle, title);
    }
  });

  it('asks for the title and the address on a terminal, again when the address is unusable', async () => {
    const site = path.join(tempDir(), 'harbour-nights');
    const { io, lines } = captureIo('\nharbour.example\nhttps://octo.github.io/harbour-nights\n');
    assert.equal(await init([site], io), 0, lines.err.join('\n'));
    assert.match(lines.prompts, /^Site title \(Harbour Nights\): Site address, like .* \(Enter to set it later\): Site address/);
    assert.match(lines.err.join('\n'), /The address must be an absolute http\(s\) URL/);
    const config = loadConfig(site);
    assert.equal(config.title, 'Harbour Nights', 'Enter takes the title from the folder');
    assert.equal(config.url, 'https://octo.github.io');
    assert.equal(config.basePath, '/harbour-nights/');

    const given = path.join(tempDir(), 'given');
    const answered = captureIo('\n');
    assert.equal(await init([given, '--title', 'Given'], answered.io), 0);
    assert.doesNotMatch(answered.lines.prompts, /Site title/, 'a title given is not asked');
    assert.equal(loadConfig(given).title, 'Given');
    assert.equal(loadConfig(given).url, '', 'Enter leaves the address for later');
  });

  it('stops without writing anything at Ctrl-C (exit 130) or when the input ends before the answers (exit 1)', async () => {
    const site = path.join(tempDir(), 'stopped');
    const interrupted = captureIo('My ti\x03', { tty: true, end: false });
    assert.equal(await init([site], interrupted.io), 130);
    assert.deepEqual(interrupted.lines.err, ['recap init: stopped; nothing was written.']);
    const ended = captureIo('My title\n');
    assert.equal(await init([site], ended.io), 1);
    assert.deepEqual(ended.lines.err, ['recap init: stopped; nothing was written.']);
    assert.ok(!fs.existsSync(site));
  });

  it('never asks without a terminal, however many options are missing', async () => {
    const site = path.join(tempDir(), 'quiet');
    const { io } = captureIo();
    assert.equal(await init([site], io), 0);
    assert.equal(loadConfig(site).title, 'Quiet');
  });
});

describe('the dependency on recap that init writes', () => {
  /** A package folder as npm installs one: node_modules/recap under `project`, and the hidden lockfile's entry. */
  function installed(project: string, key: string, entry: Record<string, unknown> | undefined): string {
    const root = path.join(project, key);
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), '{"name": "recap", "version": "1.2.3"}');
    const packages = entry ? { [key]: entry } : {};
    fs.writeFileSync(path.join(project, 'node_modules/.package-lock.json'), JSON.stringify({ name: 'x', lockfileVersion: 3, packages }));
    return root;
  }

  it('is the tarball, git commit or version it was installed from', () => {
    const project = tempDir();
    const root = installed(project, 'node_modules/recap', { version: '1.2.3', resolved: 'file:../downloads/recap-1.2.3.tgz' });
    assert.equal(recapSpec(root), `file:${path.resolve(project, '../downloads/recap-1.2.3.tgz')}`, 'a path relative to the project that installed it, made absolute');
    const git = 'git+https://github.com/octo/recap.git#0123456789abcdef0123456789abcdef01234567';
    assert.equal(recapSpec(installed(tempDir(), 'node_modules/recap', { resolved: git })), git);
    assert.equal(recapSpec(installed(tempDir(), 'node_modules/recap', { resolved: 'https://registry.npmjs.org/recap/-/recap-1.2.3.tgz' })), '^1.2.3');
    assert.equal(recapSpec(installed(tempDir(), 'node_modules/recap', { version: '1.2.3' })), '^1.2.3', 'no resolved: the registry (omit-lockfile-registry-resolved)');
    const unlisted = installed(tempDir(), 'node_modules/recap', undefined);
    assert.equal(recapSpec(unlisted), `file:${unlisted}`, 'not listed (a global install keeps no hidden lockfile): the folder it runs from, never a name the registry may not have');
    const nested = tempDir();
    const nestedRoot = installed(nested, 'node_modules/site-kit/node_modules/recap', { resolved: 'file:recap.tgz' });
    assert.equal(recapSpec(nestedRoot), `file:${path.join(nested, 'recap.tgz')}`, "a nested package is found in the project's lockfile");
    // A hidden lockfile npm did not write (null, a list, an entry that is no object) says nothing.
    for (const text of ['null', '[1]', '"x"', '{"packages": null}', '{"packages": {"node_modules/recap": null}}', '{"packages": {"node_modules/recap": 7}}']) {
      const project = tempDir();
      const odd = installed(project, 'node_modules/recap', undefined);
      fs.writeFileSync(path.join(project, 'node_modules/.package-lock.json'), text);
      assert.equal(recapSpec(odd), `file:${odd}`, text);
    }
  });

  it('is the checkout by its path when recap runs from one', () => {
    assert.equal(recapSpec(REPO), `file:${REPO}`);
  });

  it('is approved in allowScripts when it is not from the registry (git installs compile recap in prepare)', async () => {
    for (const [spec, approved] of [
      ['git+https://github.com/octo/recap.git#0123456', true],
      ['file:/tmp/recap-0.1.0.tgz', true],
      ['^0.1.0', false],
      ['latest', false],
    ] as const) {
      const site = path.join(tempDir(), 'site');
      assert.equal(await init([site, '--recap', spec], captureIo().io), 0);
      const manifest = JSON.parse(fs.readFileSync(path.join(site, 'package.json'), 'utf8'));
      assert.equal(manifest.devDependencies.recap, spec);
      assert.equal(manifest.allowScripts[spec], approved ? true : undefined, spec);
      assert.equal(manifest.allowScripts.sharp, false);
    }
  });
});

describe('the deploy files init writes', () => {
  it('are valid YAML that builds with the address GitHub Pages gives, and caches .recap-cache between runs', () => {
    const site = path.join(tempDir(), 'site');
    assert.equal(recap(['init', site]).code, 0);
    const workflow = yaml.load(fs.readFileSync(path.join(site, '.github/workflows/deploy.yml'), 'utf8')) as Workflow;
    const steps = workflow.jobs.build.steps;
    const cache = steps.find((step) => step.uses === 'actions/cache@v4');
    assert.equal(cache?.with?.path, '.recap-cache');
    assert.equal(steps.find((step) => step.uses === 'actions/configure-pages@v5')?.id, 'pages');
    assert.ok(steps.findIndex((step) => step === cache) < steps.findIndex((step) => step.run?.includes('recap build')), 'the cache is restored before the build');
    assert.equal(steps.find((step) => step.run?.includes('recap build'))?.run, 'npx recap build --url "${{ steps.pages.outputs.base_url }}"');
  });
});

interface Workflow {
  jobs: Record<string, { steps: { uses?: string; id?: string; run?: string; with?: Record<string, unknown> }[] }>;
}
