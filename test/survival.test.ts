import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { copySite, FIXTURES, REPO } from './helpers.js';

/**
 * One post at a time, each a way a single post has broken recap before (issue #11): a running
 * `recap serve` reports the post by name, keeps serving the last good site, and shows the post
 * once it is saved again in good shape.
 */
const POST = 'posts/2019-05-01-survivor.md';
const URL_PATH = '/2019/05/01/survivor/';

const front = (extra = '') => `---\ntitle: Survivor\n${extra}---\n`;

const ONE_POST_FAILURES: { name: string; text: string | Buffer }[] = [
  { name: 'a blockquote nested 3,000 levels on one line', text: `${front()}${'> '.repeat(3_000)}deep\n` },
  { name: '1,500 list markers on one line', text: `${front()}${'- '.repeat(1_500)}deep\n` },
  { name: 'a list nested 1,000 levels', text: front() + Array.from({ length: 1_000 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n') + '\n' },
  { name: '128 KB of "*a"', text: `${front()}${'*a'.repeat(64_000)}\n` },
  { name: 'a YAML alias bomb', text: `---\ntitle: Survivor\na0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n${Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(',')}]`).join('\n')}\n---\nBody.\n` },
  { name: 'a body loop of 10^10 steps', text: `${front()}{% for i in range(0, 100000) %}{% for j in range(0, 100000) %}x{% endfor %}{% endfor %}\n` },
  { name: 'a 1 MB date line', text: front(`date: ${'1'.repeat(1_000_000)}\n`) + 'Body.\n' },
  { name: 'a date rolled over by a quoted key', text: '---\ntitle: Survivor\n"date": 2019-02-30\n---\nBody.\n' },
  { name: 'a 300-character tag', text: front(`tags: ["${'t'.repeat(300)}"]\n`) + 'Body.\n' },
  { name: "recap's own marker as a permalink", text: front('permalink: /.recap-built/\n') + 'Body.\n' },
  { name: 'a catch-all redirect', text: front('redirect_from: ["/*", "/:lang/*"]\n') + 'Body.\n' },
  { name: 'bytes that are not UTF-8', text: Buffer.concat([Buffer.from(front()), Buffer.from([0xff, 0xfe, 0x0a])]) },
];

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: urlPath }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('recap serve survives every one-post failure', () => {
  let serve: ChildProcess;
  let root: string;
  let port: number;
  let output = '';

  before(async () => {
    root = copySite(path.join(FIXTURES, 'basic'));
    fs.rmSync(path.join(root, 'expected'), { recursive: true });
    serve = spawn(process.execPath, [path.join(REPO, 'bin/recap.js'), 'serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [serve.stdout!, serve.stderr!]) stream.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const url = await until('the server to start', () => /Serving at (http:\/\/\S+)/.exec(output)?.[1]);
    port = Number(new URL(url).port);
  });

  after(() => {
    serve?.kill('SIGINT');
  });

  for (const [index, failure] of ONE_POST_FAILURES.entries()) {
    it(`${failure.name}: reported by name, the server keeps running, the next good save shows the post`, async () => {
      const seen = output.length;
      fs.writeFileSync(path.join(root, POST), failure.text);
      const report = await until(`a report naming ${POST}`, () => (output.slice(seen).includes(POST) ? output.slice(seen) : undefined));
      assert.doesNotMatch(report, /\n\s+at \S+ \(/, 'no stack trace');
      assert.equal(serve.exitCode, null, 'the server is still running');
      assert.equal((await get(port, '/')).status, 200, 'the last good site is still served');

      const title = `Good again ${index}`;
      fs.writeFileSync(path.join(root, POST), `---\ntitle: ${title}\n---\nBack in shape.\n`);
      await until('the good post to be served', async () => ((await get(port, URL_PATH)).body.includes(title) ? true : undefined));
    });
  }
});
