import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { copySite, FIXTURES, listTree, REPO, tempDir } from './helpers.js';

const BIN = path.join(REPO, 'bin/recap.js');

function recap(args: string[], cwd = REPO, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('recap CLI', () => {
  it('describes every command and option with --help', () => {
    const top = recap(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /build\s+Build the site/);
    const build = recap(['build', '--help']);
    assert.equal(build.code, 0);
    for (const option of ['--root DIR', '--out DIR', '--drafts', '--future', '--help']) assert.match(build.stdout, new RegExp(option));
    const watch = recap(['watch', '--help']);
    assert.equal(watch.code, 0);
    assert.match(watch.stdout, /Usage: recap watch/);
    const serve = recap(['serve', '--help']);
    assert.equal(serve.code, 0);
    for (const option of ['--port N', '--host ADDR', '--open', '--root DIR']) assert.match(serve.stdout, new RegExp(option));
  });

  it('exits 2 on bad usage', () => {
    const unknownOption = recap(['build', '--nope']);
    assert.equal(unknownOption.code, 2);
    assert.match(unknownOption.stderr, /--nope/);
    const unknownCommand = recap(['deploy']);
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /unknown command "deploy"/);
    assert.equal(recap([]).code, 2);
    const portOnWatch = recap(['watch', '--port', '9000']);
    assert.equal(portOnWatch.code, 2);
    assert.match(portOnWatch.stderr, /options of "recap serve"/);
    assert.equal(recap(['serve', '--port', 'eighty']).code, 2);
  });

  it('builds a site and ends with a one-line summary', () => {
    const site = copySite(path.join(FIXTURES, 'drafts-future'));
    const result = recap(['build', '--root', site, '--out', path.join(site, 'site-out')]);
    assert.equal(result.code, 0, result.stderr);
    // The fixture's draft (draft: true) is counted; posts/_drafts/ is not read without --drafts.
    assert.match(result.stdout, /^Built 1 post into .*site-out\/: 11 files \(7 pages\) in \d+\.\d\d s; 1 draft left out \(--drafts builds it\)\n$/);
    // The fixture has no url: one warning, once.
    assert.equal(result.stderr, 'warning "url" is not set in recap.config.yml: feed.xml, sitemap.xml and robots.txt need absolute links; add url: https://your-meetup.example\n');
    assert.ok(fs.existsSync(path.join(site, 'site-out/2024/01/01/published/index.html')));
  });

  it('answers a typo with the closest command or option and the command\'s own help hint', () => {
    const cases: [string[], RegExp][] = [
      [['biuld'], /unknown command "biuld"; did you mean "recap build"\?\nRun "recap --help" for usage\.\n$/],
      [['serv'], /did you mean "recap serve"\?/],
      [['build', '--drfts'], /unknown option --drfts; did you mean --drafts\?\nRun "recap build --help" for its options\.\n$/],
      [['build', '--no-cach'], /did you mean --no-cache\?/],
      [['build', '--basepath', '/x/'], /did you mean --base-path\?/],
      [['serve', '--prot', '80'], /unknown option --prot; did you mean --port\?\nRun "recap serve --help"/],
      [['build', 'drafts'], /unexpected argument "drafts"; did you mean --drafts\?/],
      [['check', '--rot', '.'], /did you mean --root\?\nRun "recap check --help"/],
      [['build', '--zzzzzz'], /unknown option --zzzzzz\nRun "recap build --help"/],
      [['publish'], /unknown command "publish"\nRun "recap --help"/],
      [['build', '--quiet', '--verbose'], /--quiet and --verbose contradict each other/],
    ];
    for (const [args, expected] of cases) {
      const result = recap(args, tempDir());
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, expected, args.join(' '));
      assert.equal(result.stdout, '');
    }
    // `recap help <command>` is `recap <command> --help`.
    for (const command of ['build', 'new', 'check', 'migrate', 'watch', 'serve']) {
      const help = recap(['help', command]);
      assert.equal(help.code, 0, command);
      assert.equal(help.stdout, recap([command, '--help']).stdout);
      assert.match(help.stdout, new RegExp(`^Usage: recap ${command}`));
    }
    assert.equal(recap(['help', 'nothing']).code, 2);
  });

  it('ends quietly when the reader of its output stops reading (recap … | head)', async () => {
    for (const args of [['--help'], ['build', '--help'], ['build', '--root', copySite(path.join(FIXTURES, 'default-theme'))]]) {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      // Closed before recap writes its first line: every write then fails with EPIPE.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
      assert.doesNotMatch(stderr, /EPIPE|node:events|at /, args.join(' '));
    }
  });

  it('--quiet prints errors only, --verbose adds the stages\' times', () => {
    const site = copySite(path.join(FIXTURES, 'drafts-future'));
    const quiet = recap(['build', '--quiet'], site);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout + quiet.stderr, '', 'no summary, no warning');
    fs.appendFileSync(path.join(site, 'recap.config.yml'), '\nurl: https://meetup.example.org\n');
    const checked = recap(['build', '-q', '--check'], site);
    assert.equal(checked.stdout + checked.stderr, '');
    const verbose = recap(['build', '--verbose'], site);
    assert.equal(verbose.code, 0);
    assert.match(verbose.stdout, /^Built 1 post .*\n  read \d+ ms, parse \d+ ms, plan \d+ ms, render \d+ ms, images \d+ ms, search \d+ ms, write \d+ ms \(total \d+ ms\)\n  wrote \d+ files, removed \d+\n$/);
    fs.writeFileSync(path.join(site, 'posts/2024-01-05-broken.md'), '---\ntitle: [oops\n---\n');
    const failed = recap(['build', '--quiet'], site, { NO_COLOR: '1' });
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^error posts\/2024-01-05-broken\.md:3:1: invalid YAML/m, 'errors are still printed');
  });

  it('--url and --base-path override the config for one build (a preview deployment)', () => {
    const site = copySite(path.join(FIXTURES, 'default-theme'));
    const outOf = (name: string) => path.join(site, name);
    const read = (out: string, file: string) => fs.readFileSync(path.join(outOf(out), file), 'utf8');
    // A project page on GitHub Pages: the URL's path is the base path.
    assert.equal(recap(['build', '--out', outOf('a'), '--url', 'https://octo.github.io/my-meetup'], site).code, 0);
    assert.match(read('a', 'index.html'), /<link rel="canonical" href="https:\/\/octo\.github\.io\/my-meetup\/">/);
    assert.match(read('a', 'index.html'), /href="\/my-meetup\/2019\/05\/01\/may\/"/);
    assert.match(read('a', 'sitemap.xml'), /<loc>https:\/\/octo\.github\.io\/my-meetup\/2019\/05\/01\/may\/<\/loc>/);
    // --base-path alone keeps the config's host.
    assert.equal(recap(['build', '--out', outOf('b'), '--base-path', 'preview/pr-7'], site).code, 0);
    assert.match(read('b', 'index.html'), /<link rel="canonical" href="https:\/\/meetup\.example\.org\/preview\/pr-7\/">/);
    // The check of that output needs the same address: then only the fixture's own missing photos are reported.
    const checked = recap(['check', '--out', outOf('b'), '--base-path', '/preview/pr-7/'], site);
    assert.match(checked.stderr, /\/preview\/pr-7\/images\/april\.jpg points at no file/);
    assert.doesNotMatch(checked.stderr, /\/preview\/pr-7\/(2019|tags|page|assets)\//);
    assert.match(recap(['check', '--out', outOf('b')], site).stderr, /\/preview\/pr-7\/2019\/05\/01\/may\/ points at no file/);
    // The config itself is untouched: the next plain build is at the config's address.
    assert.equal(recap(['build', '--out', outOf('c')], site).code, 0);
    assert.match(read('c', 'index.html'), /<link rel="canonical" href="https:\/\/meetup\.example\.org\/">/);
    for (const [args, message] of [
      [['--url', 'ftp://x.example'], /--url must be an absolute http\(s\) URL/],
      [['--url', 'https://a.example/b', '--base-path', '/c/'], /--url has the path \/b\/ but --base-path is \/c\//],
      [['--base-path', '/a b/'], /--base-path must be a path/],
      [['--base-path', '/../'], /--base-path/],
    ] as const) {
      const result = recap(['build', '--out', outOf('d'), ...args], site);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
    assert.ok(!fs.existsSync(outOf('d')), 'bad usage writes nothing');
  });

  it('builds drafts and future posts only when asked', () => {
    const site = copySite(path.join(FIXTURES, 'drafts-future'));
    fs.rmSync(path.join(site, 'options.json'));
    const result = recap(['build', '--root', site, '--drafts', '--future']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.existsSync(path.join(site, 'public/2024/02/02/draft/index.html')));
    assert.ok(fs.existsSync(path.join(site, 'public/2999/12/24/next-meetup/index.html')));
    const plain = recap(['build', '--root', site]);
    assert.equal(plain.code, 0, plain.stderr);
    const files = listTree(path.join(site, 'public'));
    assert.ok(files.some((f) => f.startsWith('2024/01/01/')), 'published posts are built');
    assert.ok(!files.some((f) => f.includes('/draft/') || f.includes('next-meetup')), `no draft or future post without the flags: ${files.join(', ')}`);
    for (const listing of ['index.html', 'feed.xml', 'sitemap.xml']) {
      assert.doesNotMatch(fs.readFileSync(path.join(site, 'public', listing), 'utf8'), /A draft|Next meetup|\/draft\/|next-meetup/, `${listing} does not list them`);
    }
  });

  it('exits 1 on content errors, prints each as file:line, and leaves the previous output as it was', () => {
    const site = copySite(path.join(FIXTURES, 'drafts-future'));
    assert.equal(recap(['build'], site).code, 0);
    const before = listTree(path.join(site, 'public'));
    const index = fs.readFileSync(path.join(site, 'public/index.html'));
    fs.writeFileSync(path.join(site, 'posts/2024-01-05-broken.md'), '---\ntitle: [oops\n---\n');
    fs.writeFileSync(path.join(site, 'posts/2024-01-06-untitled.md'), '---\ndescription: x\n---\n');
    const result = recap(['build'], site, { NO_COLOR: '1' });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.deepEqual(result.stderr.trimEnd().split('\n'), [
      'error posts/2024-01-05-broken.md:3:1: invalid YAML: unexpected end of the stream within a flow collection',
      'error posts/2024-01-06-untitled.md: has no "title"; add a line like title: "March meetup recap"',
      'Build failed with 2 errors in 2 files; the output folder was left as it was.',
    ]);
    assert.deepEqual(listTree(path.join(site, 'public')), before);
    assert.ok(fs.readFileSync(path.join(site, 'public/index.html')).equals(index));
    assert.deepEqual(fs.readdirSync(site).filter((name) => name.startsWith('.public')), [], 'no staging folder left beside the output');
  });

  it('reports 5,000 broken posts with five errors each in seconds: whole files up to 200 errors, a count of the rest, and "errors in files"', () => {
    const site = tempDir();
    fs.mkdirSync(path.join(site, 'posts'));
    fs.writeFileSync(path.join(site, 'recap.config.yml'), 'title: Imported\nurl: https://imported.example\n');
    for (let i = 1; i <= 5000; i++) {
      const post = `---\ntitle: [${i}]\ndate: 2020-13-01\ntags: [{a: 1}]\nredirect_to: "javascript:x"\n---\nBody {{ nosuch | nofilter }}\n`;
      fs.writeFileSync(path.join(site, 'posts', `2020-01-01-post-${String(i).padStart(4, '0')}.md`), post);
    }
    const started = performance.now();
    const result = recap(['build', '--no-cache'], site, { NO_COLOR: '1' });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.code, 1);
    const lines = result.stderr.trimEnd().split('\n');
    // 40 files of 5 errors each are shown whole, in file order.
    assert.equal(lines.length, 202);
    assert.deepEqual(lines.slice(0, 5), [
      'error posts/2020-01-01-post-0001.md:2: "title" must be text; add a line like title: "March meetup recap"',
      'error posts/2020-01-01-post-0001.md:3: "date" is not a valid date: "2020-13-01" (there is no month 13); write it as YYYY-MM-DD or YYYY-MM-DD HH:MM',
      'error posts/2020-01-01-post-0001.md:4: "tags" must be a list of text values; found a mapping',
      'error posts/2020-01-01-post-0001.md:5: "redirect_to" must be an http(s) URL or a path; "javascript:" links are refused',
      'error posts/2020-01-01-post-0001.md:7:16: filter not found: nofilter (wrap literal {{ }} or {% %} in {% raw %}…{% endraw %}, or set render_with_liquid: false)',
    ]);
    assert.match(lines[199], /^error posts\/2020-01-01-post-0040\.md:7:16: /);
    assert.deepEqual(lines.slice(-2), [
      '… and 24800 more errors (in 4960 files) not shown: fix those above and build again to see them',
      'Build failed with 25000 errors in 5000 files; nothing was written to public/.',
    ]);
    assert.ok(seconds < 30, `ended in ${seconds.toFixed(1)} s, not minutes`);
  });

  it('exits once built, whether its markdown thread rendered posts, took them all from the cache, or had none to render', () => {
    const site = copySite(path.join(FIXTURES, 'drafts-future'));
    const empty = tempDir();
    // The markdown thread must not keep the process alive, nor let it end while a build waits for it.
    for (const [root, what] of [[site, 'rendered'], [site, 'cached'], [empty, 'no posts']]) {
      const result = spawnSync(process.execPath, [BIN, 'build'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      assert.equal(result.signal, null, `${what}: still running after 30 s`);
      assert.equal(result.status, 0, `${what}: ${result.stderr}`);
      assert.match(result.stdout, /^Built /);
    }
  });

  it('stops a post whose markdown would take minutes to render, with the default budget, and exits 1 leaving the output as it was', () => {
    const site = copySite(path.join(FIXTURES, 'drafts-future'));
    fs.rmSync(path.join(site, 'options.json'));
    assert.equal(recap(['build', '--no-cache'], site).code, 0);
    const before = listTree(path.join(site, 'public'));
    const index = fs.readFileSync(path.join(site, 'public/index.html'));
    // 80 KB of emphasis nested 20,000 deep: several minutes in remark; 5 s + 60 s per million characters is 9.8 s.
    fs.writeFileSync(path.join(site, 'posts/2024-01-05-nested.md'), `---\ntitle: Nested\n---\n${'*_'.repeat(20_000)}x${'_*'.repeat(20_000)}\n`);
    const started = performance.now();
    const result = recap(['build', '--no-cache'], site, { NO_COLOR: '1' });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.code, 1);
    assert.deepEqual(result.stderr.trimEnd().split('\n').slice(-2), [
      'error posts/2024-01-05-nested.md: markdown took over 9.8 s to render, the limit for 81k characters; long runs of unclosed "*", "_", "~" or "[", lists or quotes nested hundreds deep, and tens of thousands of list items do this: close, flatten or remove them, or split the post',
      'Build failed with 1 error; the output folder was left as it was.',
    ]);
    assert.ok(seconds < 30, `ended in ${seconds} s, not minutes`);
    assert.deepEqual(listTree(path.join(site, 'public')), before);
    assert.ok(fs.readFileSync(path.join(site, 'public/index.html')).equals(index));
  });

  it('prints no colour codes when piped', () => {
    const site = tempDir();
    fs.mkdirSync(path.join(site, 'posts'));
    fs.writeFileSync(path.join(site, 'posts/2024-01-01-x.md'), '---\n---\n');
    const result = recap(['build'], site);
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stderr, /\x1b\[/);
  });

  it('refuses an output folder that holds the site', () => {
    const site = copySite(path.join(FIXTURES, 'drafts-future'));
    for (const out of ['.', '..', 'posts', 'static/site', 'posts/2024-01-01-published.md']) {
      const result = recap(['build', '--out', out], site);
      assert.equal(result.code, 1, `--out ${out}`);
      assert.match(result.stderr, /cannot be the output folder|is not a folder/);
    }
    assert.ok(fs.existsSync(path.join(site, 'posts/2024-01-01-published.md')), 'the site is still there');
  });
});

describe('the example site in this repository', () => {
  it('builds into a complete site with the default theme', () => {
    const out = path.join(tempDir(), 'public');
    const result = recap(['build', '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    const files = listTree(out);
    const posts = files.filter((f) => /^\d{4}\/\d\d\/\d\d\/[^/]+\/index\.html$/.test(f));
    assert.ok(posts.length >= 8, `at least 8 post pages, got ${posts.length}`);
    for (const expected of ['index.html', 'tags/index.html', 'assets/style.css', '_redirects', 'Harbour-City-March-2019/index.html']) {
      assert.ok(files.includes(expected), `${expected} is built`);
    }
    assert.ok(!files.some((f) => f.includes('cost-optimisation')), 'the unpublished post is not built');
    const mesh = fs.readFileSync(path.join(out, '2019/11/05/service-mesh-night/index.html'), 'utf8');
    // A player the author wrote in the body stays as written.
    assert.match(mesh, /<div class="video-wrapper">\n {4}<iframe src="https:\/\/www\.youtube-nocookie\.com\/embed\//);
    // A `video:` in front matter is a link (a button with assets/video.js) that loads the player when asked, not an iframe.
    const march = fs.readFileSync(path.join(out, '2019/03/12/harbour-city-march-2019/index.html'), 'utf8');
    assert.match(march, /<a class="video-facade video-facade-youtube" href="https:\/\/www\.youtube\.com\/watch\?v=Hq7dR2mZp4K" aria-label="Play video: March 2019: Our First Evening at Dockside Hub" data-player="https:\/\/www\.youtube-nocookie\.com\/embed\/Hq7dR2mZp4K\?autoplay=1"/);
    assert.doesNotMatch(march, /<iframe/);
    assert.match(mesh, /<h1>Service Mesh Night: &quot;Do We Really Need Sidecars\?&quot;<\/h1>/);
    const redirectLines = fs.readFileSync(path.join(out, '_redirects'), 'utf8').split('\n').filter(Boolean);
    assert.equal(redirectLines.length, 4);
    assert.ok(redirectLines.includes('/Harbour-City-March-2019/ /2019/03/12/harbour-city-march-2019/ 301'), redirectLines.join('\n'));
    for (const line of redirectLines) {
      const [from, to, status] = line.split(' ');
      assert.equal(status, '301', line);
      assert.ok(files.includes(from.slice(1) + (from.endsWith('/') ? 'index.html' : '')), `${from} has a redirect page`);
      assert.ok(files.includes(to.slice(1) + 'index.html'), `${to} is a built page`);
    }
    for (const page of ['about/index.html', 'code-of-conduct/index.html', 'speak/index.html', 'sponsors/index.html', '404.html', 'feed.xml', 'sitemap.xml']) {
      assert.ok(files.includes(page), `${page} is built`);
    }
  });
});
