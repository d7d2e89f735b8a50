/**
 * recap as a user gets it: the checkout packed as npm packs it, installed into a fresh folder with
 * npm, `recap init` run from there, the new site installed with npm and built, checked and served
 * by the recap it installed, and built as its GitHub Pages workflow builds it. npm needs the
 * registry or its cache (CI runs `npm ci` first, which fills the cache: --prefer-offline).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import { listTree, REPO, tempDir } from './helpers.js';
import { readPage } from './site-pages.js';
import { parse as parseToml } from 'smol-toml';

const TITLE = 'Harbour Tech Nights';
const PROJECT_PAGE = 'https://octo.github.io/my-meetup';
const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];

/**
 * The environment of a user's shell, with no terminal: npm run sets npm_* variables for the
 * script it runs (the checkout's package, its folder), which must not reach the npm run here.
 */
const KEPT_NPM_SETTINGS = ['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'];
const ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name.startsWith('npm_') || name === 'INIT_CWD') || KEPT_NPM_SETTINGS.includes(name))),
  CI: 'true',
  NO_COLOR: '1',
};

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: { ...ENV, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const said = (result: SpawnSyncReturns<string>) => `exit ${result.status}\n${result.stdout}\n${result.stderr}`;

function succeeds(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const result = run(command, args, cwd, env);
  assert.equal(result.status, 0, `${command} ${args.join(' ')} in ${cwd}: ${said(result)}`);
  return result;
}

/** The build step's command in the workflow, as GitHub runs it with configure-pages' base_url. */
const withBaseUrl = (command: string, baseUrl: string) => command.replaceAll('${{ steps.pages.outputs.base_url }}', baseUrl);

describe('recap installed from its package', { timeout: 240_000 }, () => {
  let work: string;
  let tarball: string;
  let packed: string[];
  let site: string;
  let date: string;
  const servers: number[] = [];

  before(() => {
    work = fs.realpathSync(tempDir('recap-install-'));
    // --ignore-scripts: prepare would delete dist/, which the other test files run from.
    const pack = succeeds('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO);
    const [manifest] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, manifest.filename);
    packed = manifest.files.map((file) => file.path);
    const tool = path.join(work, 'tool');
    fs.mkdirSync(tool);
    fs.writeFileSync(path.join(tool, 'package.json'), '{"private": true}\n');
    succeeds('npm', [...NPM_INSTALL, tarball], tool);
    const init = succeeds('npx', ['recap', 'init', '../site', '--title', TITLE, '--url', PROJECT_PAGE], tool);
    assert.match(init.stdout, /\nNext:\n {2}cd \.\.\/site\n {2}npm install /);
    site = path.join(work, 'site');
    date = /posts\/(\d{4}-\d\d-\d\d)-our-first-meetup\.md/.exec(listTree(site).join('\n'))![1];
    const install = succeeds('npm', NPM_INSTALL, site);
    assert.doesNotMatch(install.stderr, /install-scripts|deprecated/, "the site's install warns about nothing a newcomer would worry about");
  });

  after(() => {
    for (const pid of servers) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Already stopped.
      }
    }
  });

  it('packs what recap runs with (compiled code, workers, theme, starter) and nothing from test/ or bench/', () => {
    for (const file of ['bin/recap.js', 'package.json', 'dist/src/cli.js', 'dist/src/markdown/worker.js', 'dist/src/jekyll/sass-worker.js', 'templates/base.njk', 'templates/assets/style.css', 'starter/recap.config.yml', 'starter/gitignore', 'starter/github/workflows/deploy.yml']) {
      assert.ok(packed.includes(file), file);
    }
    const outside = packed.filter((file) => !/^(bin|dist\/src|templates|starter)\//.test(file) && !['package.json', 'README.md', 'LICENSE'].includes(file));
    assert.deepEqual(outside, []);
    assert.deepEqual(packed.filter((file) => /(^|\/)(test|bench)\/|\.map$|\.ts$/.test(file)), []);
  });

  it('makes a site that depends on the tarball it was installed from', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(site, 'package.json'), 'utf8'));
    assert.equal(manifest.devDependencies.recap, `file:${tarball}`);
    assert.equal(fs.realpathSync(path.join(site, 'node_modules/recap/package.json')), path.join(site, 'node_modules/recap/package.json'), 'installed as files, not a link to the checkout');
  });

  it('builds the site with npm run build, leaving the draft sample out; --drafts builds it; check finds nothing broken', () => {
    succeeds('npm', ['run', 'build'], site);
    const output = listTree(path.join(site, 'public'));
    for (const file of ['index.html', 'about/index.html', 'code-of-conduct/index.html', 'speak/index.html', 'sponsors/index.html', 'tags/index.html', 'feed.xml', 'sitemap.xml', 'favicon.svg', '404.html', 'assets/style.css']) {
      assert.ok(output.includes(file), file);
    }
    assert.ok(!output.some((file) => file.includes('our-first-meetup')), 'the draft is not built');
    assert.equal(readPage(path.join(site, 'public/index.html')).headerTitle, TITLE);
    succeeds('npx', ['recap', 'check'], site);

    succeeds('npx', ['recap', 'build', '--drafts'], site);
    const [year, month, day] = date.split('-');
    const post = `public/${year}/${month}/${day}/our-first-meetup`;
    assert.ok(fs.existsSync(path.join(site, post, 'index.html')));
    assert.ok(fs.existsSync(path.join(site, post, 'room.svg')));
    succeeds('npx', ['recap', 'check'], site);
  });

  it('starts a post with recap new', () => {
    const made = succeeds('npx', ['recap', 'new', 'June meetup', '--date', '2026-06-09'], site);
    assert.equal(made.stdout.trim(), 'posts/2026-06-09-june-meetup.md');
    fs.rmSync(path.join(site, 'posts/2026-06-09-june-meetup.md'));
  });

  it('serves the site with npx recap serve', async () => {
    // Its own process group, so that stopping it stops npx and the recap it started.
    const server = spawn('npx', ['recap', 'serve', '--port', '0'], { cwd: site, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    servers.push(server.pid!);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    let printed = '';
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const found = /Serving at (\S+) /.exec(printed);
        if (found) resolve(found[1]);
      });
      server.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      server.once('exit', (code) => reject(new Error(`recap serve stopped (${code}): ${printed}`)));
    });
    // The site's home: the server's root with the base path, /my-meetup/.
    assert.equal(new URL(url).pathname, '/my-meetup/');
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.ok((await response.text()).includes(`<title>${TITLE}</title>`));
    process.kill(-server.pid!, 'SIGTERM');
    await exited;
  });

  it('has a GitHub Pages workflow that builds with the address GitHub gives, and keeps .recap-cache between runs', () => {
    const workflow = yaml.load(fs.readFileSync(path.join(site, '.github/workflows/deploy.yml'), 'utf8')) as Workflow;
    assert.deepEqual(workflow.on.push, { branches: ['main'] });
    assert.ok('workflow_dispatch' in workflow.on);
    assert.deepEqual(workflow.permissions, { contents: 'read', pages: 'write', 'id-token': 'write' });
    assert.equal(workflow.concurrency.group, 'pages');
    const steps = workflow.jobs.build.steps;
    const step = (uses: string) => steps.find((s) => s.uses === uses);
    assert.ok(step('actions/checkout@v4'));
    assert.deepEqual(step('actions/setup-node@v4')?.with, { 'node-version': 20, cache: 'npm' });
    assert.ok(steps.some((s) => s.run === 'npm ci'));
    assert.equal(step('actions/configure-pages@v5')?.id, 'pages');
    const cache = step('actions/cache@v4')?.with;
    assert.equal(cache?.path, '.recap-cache');
    assert.match(String(cache?.key), /\$\{\{ github\.sha \}\}/);
    assert.ok(String(cache?.key).startsWith(String(cache?.['restore-keys'])), 'each run restores the newest cache of the runs before');
    const build = steps.find((s) => s.run?.includes('recap build'))!;
    assert.ok(steps.indexOf(step('actions/cache@v4')!) < steps.indexOf(build) && steps.indexOf(build) < steps.indexOf(step('actions/upload-pages-artifact@v3')!));
    assert.equal(step('actions/upload-pages-artifact@v3')?.with?.path, 'public');
    assert.deepEqual(workflow.jobs.deploy.needs, 'build');
    assert.equal(workflow.jobs.deploy.environment?.name, 'github-pages');
    assert.ok(workflow.jobs.deploy.steps.some((s) => s.uses === 'actions/deploy-pages@v4'));

    // A project site: https://<owner>.github.io/<repository>, every link under /<repository>/.
    succeeds('sh', ['-c', withBaseUrl(build.run!, PROJECT_PAGE)], site);
    const home = readPage(path.join(site, 'public/index.html'));
    assert.equal(home.canonical, `${PROJECT_PAGE}/`);
    assert.equal(readPage(path.join(site, 'public/about/index.html')).canonical, `${PROJECT_PAGE}/about/`);
    const local = home.references.filter((reference) => reference.startsWith('/'));
    assert.ok(local.length > 5);
    assert.deepEqual(local.filter((reference) => !reference.startsWith('/my-meetup/')), []);

    // A custom domain overrides the url in recap.config.yml: the site at the root.
    succeeds('sh', ['-c', withBaseUrl(build.run!, 'https://meetup.example.org')], site);
    const custom = readPage(path.join(site, 'public/index.html'));
    assert.equal(custom.canonical, 'https://meetup.example.org/');
    assert.deepEqual(custom.references.filter((reference) => reference.startsWith('/my-meetup/')), []);
  });

  it('has a netlify.toml that runs npm run build and publishes public/ with Node 20, previews at their own address', () => {
    const netlify = parseToml(fs.readFileSync(path.join(site, 'netlify.toml'), 'utf8'));
    const preview = 'npm run build -- --url "$DEPLOY_PRIME_URL"';
    assert.deepEqual(JSON.parse(JSON.stringify(netlify)), {
      build: { command: 'npm run build', publish: 'public', environment: { NODE_VERSION: '20' } },
      context: { 'deploy-preview': { command: preview }, 'branch-deploy': { command: preview } },
    });
    assert.equal(JSON.parse(fs.readFileSync(path.join(site, 'package.json'), 'utf8')).scripts.build, 'recap build');
    // The preview's command, run as Netlify's shell runs it with the preview's address.
    succeeds('sh', ['-c', preview], site, { DEPLOY_PRIME_URL: 'https://deploy-preview-7--octo-meetup.netlify.app' });
    assert.equal(readPage(path.join(site, 'public/index.html')).canonical, 'https://deploy-preview-7--octo-meetup.netlify.app/');
  });
});

interface Step {
  uses?: string;
  id?: string;
  run?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  on: { push: unknown; workflow_dispatch?: unknown };
  permissions: Record<string, string>;
  concurrency: { group: string };
  jobs: { build: { steps: Step[] }; deploy: { needs: unknown; environment?: { name: string }; steps: Step[] } };
}
