import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildInto, copySite, FIXTURES, listTree, REPO } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run); elsewhere the test says why it did not run.
const skip = !fs.existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : false;

/** A page that allows only scripts (and connections) from its own origin: no inline script runs on it. */
const strictCspPage = (text: string) =>
  `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'"><title>Strict</title></head><body><p>${text}</p></body></html>`;

describe('recap serve in a real browser', { skip }, () => {
  let serve: ChildProcess;
  let browser: Browser;
  let page: Page;
  let base: string;
  let root: string;

  before(async () => {
    root = copySite(path.join(FIXTURES, 'basic'));
    fs.rmSync(path.join(root, 'expected'), { recursive: true });
    fs.writeFileSync(path.join(root, 'static/strict-csp.html'), strictCspPage('First version.'));
    serve = spawn(process.execPath, [path.join(REPO, 'bin/recap.js'), 'serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    base = await new Promise<string>((resolve, reject) => {
      let output = '';
      serve.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const url = /Serving at (http:\/\/\S+)/.exec(output)?.[1];
        if (url) resolve(url);
      });
      serve.on('exit', (code) => reject(new Error(`recap serve exited with ${code}: ${output}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    serve?.kill('SIGINT');
  });

  it('shows a saved post without a manual reload', async () => {
    await page.goto(`${base}2019/03/06/March-Meetup/`);
    await page.waitForSelector('text=We met at the hub');
    const file = path.join(root, 'posts/2019-03-06-March-Meetup.md');
    fs.appendFileSync(file, '\nA sentence added while the page was open.\n');
    await page.waitForSelector('text=A sentence added while the page was open.', { timeout: 10_000 });
  });

  it('swaps a changed stylesheet without reloading the page', async () => {
    await page.goto(`${base}2019/03/06/March-Meetup/`);
    await page.evaluate('window.recapMarker = 42');
    fs.writeFileSync(path.join(root, 'templates/assets/style.css'), 'body { background: rgb(1, 2, 3); }\n');
    await page.waitForFunction("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", undefined, { timeout: 10_000 });
    assert.equal(await page.evaluate('window.recapMarker'), 42, 'the page was not reloaded');
  });

  it('shows a build error over the page, then recovers on the next good save', async () => {
    await page.goto(`${base}2019/03/06/March-Meetup/`);
    const file = path.join(root, 'posts/2020-01-15-service-mesh.markdown');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace('title: Service mesh evening', 'title: [broken'));
    try {
      const overlay = await page.waitForSelector('#recap-error-overlay', { timeout: 10_000 });
      assert.match((await overlay.textContent()) ?? '', /posts\/2020-01-15-service-mesh\.markdown:3:1: invalid YAML/);
    } finally {
      // The later tests need the site whole again, whatever happened above.
      fs.writeFileSync(file, good);
    }
    await page.waitForSelector('#recap-error-overlay', { state: 'detached', timeout: 10_000 });
  });

  it('reloads a page whose Content-Security-Policy allows only same-origin scripts', async () => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${base}strict-csp.html`);
    await page.waitForSelector('text=First version.');
    fs.writeFileSync(path.join(root, 'static/strict-csp.html'), strictCspPage('Second version.'));
    await page.waitForSelector('text=Second version.', { timeout: 10_000 });
    assert.deepEqual(violations, []);
  });

  it('follows a redirect page to its target', async () => {
    await page.goto(`${base}March-Meetup/`);
    await page.waitForURL(`${base}2019/03/06/March-Meetup/`, { timeout: 10_000 });
  });

  it('leaves public/ exactly as recap build writes it (live reload lives only in responses)', async () => {
    const clean = await buildInto(root, { drafts: true }); // serve previews drafts
    const served = path.join(root, 'public');
    assert.deepEqual(listTree(served), listTree(clean));
    for (const file of listTree(clean)) {
      assert.ok(fs.readFileSync(path.join(served, file)).equals(fs.readFileSync(path.join(clean, file))), file);
    }
  });
});
