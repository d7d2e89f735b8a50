import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type SiteServer } from '../src/dev/serve.js';
import { buildInto, copySite, FIXTURES } from './helpers.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path is sent exactly as given (fetch would normalise "..").*/
function get(port: number, rawPath: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('recap serve, over HTTP', () => {
  let server: SiteServer;
  let outDir: string;
  let secretOutside: string;

  before(async () => {
    const root = copySite(path.join(FIXTURES, 'basic'));
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: Served\nbasePath: /blog/\npaginate: 2\n');
    fs.writeFileSync(path.join(root, 'static', '404.html'), '<!DOCTYPE html><title>Lost</title><body><h1>Not here</h1></body>');
    outDir = await buildInto(root);
    secretOutside = path.join(path.dirname(outDir), 'secret.txt');
    fs.writeFileSync(secretOutside, 'do not serve');
    server = await startServer({ outDir, basePath: '/blog/', host: '127.0.0.1', port: 0 });
  });
  after(() => server.close());

  it('serves /x/ from x/index.html, with the live-reload script added to the response only', async () => {
    const reply = await get(server.port, '/blog/2019/03/06/March-Meetup/');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(reply.body, /<h1>March meetup/);
    assert.match(reply.body, /<script data-recap-live-reload>/);
    assert.equal(Number(reply.headers['content-length']), Buffer.byteLength(reply.body));
    assert.doesNotMatch(fs.readFileSync(path.join(outDir, '2019/03/06/March-Meetup/index.html'), 'utf8'), /live-reload/);
  });

  it('redirects a folder asked for without its slash, keeping the query', async () => {
    const reply = await get(server.port, '/blog/2019/03/06/March-Meetup?x=1');
    assert.equal(reply.status, 301);
    assert.equal(reply.headers.location, '/blog/2019/03/06/March-Meetup/?x=1');
    assert.equal((await get(server.port, '/blog')).headers.location, '/blog/');
  });

  it('answers anything missing with the site 404 page and status 404', async () => {
    for (const missing of ['/blog/nope/', '/blog/nope.html', '/elsewhere/', '/']) {
      const reply = await get(server.port, missing);
      assert.equal(reply.status, 404, missing);
      assert.match(reply.body, /<h1>Not here<\/h1>/, missing);
    }
  });

  it('sends the right content types', async () => {
    assert.match((await get(server.port, '/blog/assets/style.css')).headers['content-type'] ?? '', /^text\/css/);
    assert.equal((await get(server.port, '/blog/images/cover.png')).headers['content-type'], 'image/png');
    assert.match((await get(server.port, '/blog/CNAME')).body, /recaps\.fixture\.example/);
  });

  it('never lists a folder', async () => {
    const reply = await get(server.port, '/blog/images/');
    assert.equal(reply.status, 404);
    assert.doesNotMatch(reply.body, /cover\.png/);
  });

  it('never serves a file outside the output folder', async () => {
    for (const attack of [
      '/blog/../secret.txt',
      '/blog/../../secret.txt',
      '/blog/%2e%2e/secret.txt',
      '/blog/%2E%2E/%2e%2e/secret.txt',
      '/blog/..%2fsecret.txt',
      '/blog/..%2Fsecret.txt',
      '/blog/..%5csecret.txt',
      '/blog/..\\secret.txt',
      `/blog/${encodeURIComponent(secretOutside)}`,
      `/blog/${secretOutside}`,
      '/blog//etc/passwd',
      '/blog/%00/secret.txt',
      '/../../../../etc/passwd',
    ]) {
      const reply = await get(server.port, attack);
      assert.ok(reply.status >= 300, `${attack} → ${reply.status}`);
      assert.doesNotMatch(reply.body, /do not serve|root:/, attack);
    }
  });

  it('serves files whose names need percent-encoding, and keeps running on odd paths', async () => {
    const encoded = await get(server.port, '/blog/2018/01/01/C%23-and-100%25/');
    assert.equal(encoded.status, 200);
    assert.match(encoded.body, /C# and 100% uptime/);
    for (const odd of ['/blog/index.html/x', `/blog/${'a'.repeat(300)}`, '/blog/assets/style.css/', '/blog/%E0%A4%A']) {
      assert.ok([400, 404].includes((await get(server.port, odd)).status), odd);
    }
    assert.equal((await get(server.port, '/blog/')).status, 200, 'still running');
  });

  it('sends HTML whole (with its script) even when a range is asked for; other files honour ranges', async () => {
    const ranged = (rawPath: string) =>
      new Promise<Reply>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: server.port, path: rawPath, headers: { Range: 'bytes=0-9' } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        }).on('error', reject);
      });
    const html = await ranged('/blog/');
    assert.equal(html.status, 200);
    assert.equal(Number(html.headers['content-length']), Buffer.byteLength(html.body));
    assert.match(html.body, /data-recap-live-reload/);
    const css = await ranged('/blog/assets/style.css');
    assert.equal(css.status, 206);
    assert.equal(css.body.length, 10);
  });

  it('tells open pages to reload, or to show the build error', async () => {
    const events = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/__recap/events' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes(': recap live reload') && !text.includes('event:')) {
            server.notifyFailed(['posts/x.md:2: invalid YAML']);
            server.notifyChanged(['2019/03/06/March-Meetup/index.html']);
          }
          if (text.includes('event: reload')) {
            res.destroy();
            resolve(text);
          }
        });
      }).on('error', reject);
    });
    assert.match(events, /event: failed\ndata: \["posts\/x\.md:2: invalid YAML"\]/);
    assert.match(events, /event: ok\n/);
    assert.match(events, /event: reload\ndata: \["2019\/03\/06\/March-Meetup\/index\.html"\]/);
  });
});

describe('recap serve ports', () => {
  it('moves to the next free port when the one asked for is taken', async () => {
    const outDir = await buildInto(path.join(FIXTURES, 'drafts-future'));
    const first = await startServer({ outDir, basePath: '/', host: '127.0.0.1', port: 0 });
    try {
      const second = await startServer({ outDir, basePath: '/', host: '127.0.0.1', port: first.port, findFreePort: true });
      assert.notEqual(second.port, first.port);
      assert.equal((await get(second.port, '/')).status, 200);
      await second.close();
      await assert.rejects(startServer({ outDir, basePath: '/', host: '127.0.0.1', port: first.port }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
