import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostHeaderTest } from '../src/dev/allowed-hosts.js';
import { injectLiveReload } from '../src/dev/live-reload.js';
import { folderLocation, parsePath } from '../src/dev/request-path.js';
import { startServer, type SiteServer } from '../src/dev/serve.js';
import { buildInto, copySite, FIXTURES, tempDir } from './helpers.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface RawOptions {
  method?: string;
  /** The Host header; null sends none (as HTTP/1.0 allows). */
  host?: string | null;
  headers?: Record<string, string>;
}

/**
 * A request written byte for byte on a socket: the path is sent exactly as given (http clients
 * normalise "..", refuse tabs and spaces, and always send a Host).
 */
function raw(port: number, target: string, options: RawOptions = {}): Promise<Reply> {
  const { method = 'GET', host = `127.0.0.1:${port}`, headers = {} } = options;
  const lines = [`${method} ${target} HTTP/${host === null ? '1.0' : '1.1'}`, ...(host === null ? [] : [`Host: ${host}`]), 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(parseReply(Buffer.concat(chunks))));
    // Written, not ended: a client that half-closes may lose the answer. Connection: close ends it.
    socket.write(Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'));
  });
}

function parseReply(bytes: Buffer): Reply {
  const split = bytes.indexOf('\r\n\r\n');
  const [statusLine, ...headerLines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const headers: http.IncomingHttpHeaders = {};
  for (const line of headerLines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: bytes.subarray(split + 4).toString('utf8') };
}

const get = (port: number, target: string) => raw(port, target);

/** A Location header stays on this server: a path starting with exactly one "/", resolving to the same origin. */
function assertSameOrigin(location: string | string[] | undefined, port: number, label: string): void {
  if (location === undefined) return;
  assert.equal(typeof location, 'string', label);
  const value = location as string;
  assert.match(value, /^\/(?![/\\])/, `${label} → Location ${value}`);
  assert.equal(new URL(value, `http://127.0.0.1:${port}/a/b`).origin, `http://127.0.0.1:${port}`, `${label} → Location ${value}`);
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
    // This theme writes no </body>: the script ends the page.
    assert.ok(reply.body.endsWith('<script src="/__recap/live-reload.js" data-recap-live-reload></script>'));
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
    const size = fs.statSync(path.join(outDir, 'assets/style.css')).size;
    const past = await raw(server.port, '/blog/assets/style.css', { headers: { Range: `bytes=${size + 10}-` } });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${size}`);
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

describe('recap serve refuses', () => {
  let server: SiteServer;
  let outDir: string;
  let outside: string;

  before(async () => {
    outDir = await buildInto(path.join(FIXTURES, 'basic'));
    // Folders whose names a redirect could turn into another host ("//evil.example/").
    for (const folder of ['evil.example', 'evil.example/x', '%5Cevil.example']) fs.mkdirSync(path.join(outDir, folder), { recursive: true });
    outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'do not serve');
    fs.writeFileSync(path.join(outside, 'index.html'), '<p>do not serve</p>');
    server = await startServer({ outDir, basePath: '/', host: '127.0.0.1', port: 0 });
  });
  after(() => server.close());

  it('redirects only to paths on this server, however the path is spelled', async () => {
    const spellings = ['//', '/\\', '/\\\\', '/%2F', '/%2f%2f', '/%5C', '/%5c%5c', '/%2F%5C', '/%09/', '/%0a/', '/%0d%0a/', '///', '/./', '/%2e/', '/.%2e/', '/%E3%80%82'];
    let redirects = 0;
    for (const spelling of spellings) {
      for (const name of ['evil.example', 'evil.example/x', 'evil.example?q=1', '%5Cevil.example']) {
        const target = spelling + name;
        const reply = await raw(server.port, target);
        assertSameOrigin(reply.headers.location, server.port, target);
        assert.ok([301, 404].includes(reply.status), `${target} → ${reply.status}`);
      }
    }
    // Raw tabs, newlines and spaces in the target are refused by Node's parser before any redirect.
    for (const target of ['/\t/evil.example', '/\x0b/evil.example', '/ /evil.example']) {
      const reply = await raw(server.port, target);
      assert.equal(reply.status, 400, JSON.stringify(target));
    }
    // The folders themselves still redirect, to themselves.
    for (const [target, location] of [
      ['/evil.example', '/evil.example/'],
      ['/evil.example/x?a=%0d%0aSet-Cookie:%20x', '/evil.example/x/?a=%0d%0aSet-Cookie:%20x'],
      ['/%255Cevil.example', '/%255Cevil.example/'],
    ]) {
      const reply = await raw(server.port, target);
      assert.equal(reply.status, 301, target);
      assert.equal(reply.headers.location, location, target);
      assert.equal(reply.headers['set-cookie'], undefined);
      redirects++;
    }
    assert.equal(redirects, 3);
  });

  it('answers HEAD with exactly the headers of GET, and no body', async () => {
    fs.writeFileSync(path.join(outDir, 'big.txt'), 'x'.repeat(100_000));
    for (const target of ['/', '/2019/03/06/March-Meetup/', '/about/', '/nope/', '/assets/style.css', '/big.txt', '/images/cover.png', '/2019', '/__recap/live-reload.js']) {
      const got = await raw(server.port, target);
      const head = await raw(server.port, target, { method: 'HEAD' });
      assert.equal(head.status, got.status, target);
      assert.equal(head.body, '', target);
      const withoutDate = (headers: http.IncomingHttpHeaders) => ({ ...headers, date: undefined });
      assert.deepEqual(withoutDate(head.headers), withoutDate(got.headers), target);
      if (got.headers['content-length'] !== undefined) assert.equal(Number(got.headers['content-length']), Buffer.byteLength(got.body), target);
    }
  });

  it('answers only to the names it listens as: refuses any other Host (DNS rebinding)', async () => {
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, `LocalHost:${server.port}`, 'localhost']) {
      assert.equal((await raw(server.port, '/', { host })).status, 200, host);
    }
    for (const host of ['evil.example', `evil.example:${server.port}`, `localhost.evil.example:${server.port}`, `127.0.0.1.nip.io:${server.port}`, `127.0.0.1@evil.example`, '', 'localhost:99999', 'localhost:x', '[::1', null]) {
      const reply = await raw(server.port, '/', { host });
      assert.equal(reply.status, 403, String(host));
      assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8');
      assert.doesNotMatch(reply.body, /<html|March/i, String(host));
      assert.ok(reply.body.length < 200, 'a short text');
      // Not the page, the script, nor the event stream.
      assert.equal((await raw(server.port, '/__recap/events', { host })).status, 403);
      assert.equal((await raw(server.port, '/__recap/live-reload.js', { host })).status, 403);
    }
  });

  it('answers to the name or address given with --host; on every interface, to any IP address but no other name', () => {
    const loopback = hostHeaderTest('127.0.0.1');
    assert.equal(loopback('192.168.1.5:8080'), false);
    assert.equal(loopback('evil.example:8080'), false);
    const named = hostHeaderTest('mybox.local');
    assert.equal(named('mybox.local:8080'), true);
    assert.equal(named('MYBOX.local.'), true);
    assert.equal(named('evil.example:8080'), false);
    const v6 = hostHeaderTest('fe80::1');
    assert.equal(v6('[fe80::1]:8080'), true);
    for (const wildcard of ['0.0.0.0', '::']) {
      const everywhere = hostHeaderTest(wildcard);
      for (const host of ['192.168.1.5:8080', '10.0.0.2', '[fe80::1]:8080', 'localhost:8080']) assert.equal(everywhere(host), true, `${wildcard}: ${host}`);
      for (const host of ['evil.example:8080', 'mybox.local:8080', '192.168.1.5.nip.io', undefined]) assert.equal(everywhere(host), false, `${wildcard}: ${host}`);
    }
  });

  it('serves only GET and HEAD: any other method is 405 with an Allow header', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND']) {
      for (const target of ['/', '/__recap/events', '/__recap/live-reload.js', '/assets/style.css', '/nope']) {
        const reply = await raw(server.port, target, { method, headers: { 'Content-Length': '0' } });
        assert.equal(reply.status, 405, `${method} ${target}`);
        assert.equal(reply.headers.allow, 'GET, HEAD', `${method} ${target}`);
        assert.doesNotMatch(reply.body, /recap live reload|March/, `${method} ${target}`);
      }
    }
  });

  it('never follows a symbolic link in the output folder, wherever it points', async () => {
    const secret = path.join(outside, 'secret.txt');
    fs.symlinkSync(secret, path.join(outDir, 'leak.txt'));
    fs.symlinkSync('/etc/passwd', path.join(outDir, 'passwd.txt'));
    fs.symlinkSync(outside, path.join(outDir, 'outside'));
    fs.symlinkSync('/', path.join(outDir, 'root'));
    // Links to files inside are refused too: recap never writes one, so it was put there by something else.
    fs.symlinkSync(path.join(outDir, 'assets/style.css'), path.join(outDir, 'inside.css'));
    fs.symlinkSync('about', path.join(outDir, 'about-link'));
    fs.mkdirSync(path.join(outDir, 'folder-with-link-index'));
    fs.symlinkSync(path.join(outside, 'index.html'), path.join(outDir, 'folder-with-link-index/index.html'));
    for (const target of ['/leak.txt', '/passwd.txt', '/outside/secret.txt', '/outside/', '/outside', '/root/etc/passwd', '/root/', '/inside.css', '/about-link/', '/about-link', '/folder-with-link-index/', '/%6ceak.txt', '/outside%2Fsecret.txt']) {
      for (const method of ['GET', 'HEAD']) {
        const reply = await raw(server.port, target, { method });
        assert.equal(reply.status, 404, `${method} ${target}`);
        assert.equal(reply.headers.location, undefined, target);
        assert.doesNotMatch(reply.body, /do not serve|root:|body \{/, target);
      }
    }
    // The 404 page is looked up the same way: a linked one is not shown.
    fs.renameSync(path.join(outDir, '404.html'), path.join(outDir, '404-real.html'));
    fs.symlinkSync(path.join(outside, 'index.html'), path.join(outDir, '404.html'));
    try {
      const reply = await raw(server.port, '/nope/');
      assert.equal(reply.status, 404);
      assert.equal(reply.body, '404 Not Found\n');
    } finally {
      fs.rmSync(path.join(outDir, '404.html'));
      fs.renameSync(path.join(outDir, '404-real.html'), path.join(outDir, '404.html'));
    }
    assert.equal((await raw(server.port, '/about/')).status, 200, 'the real folder still serves');
  });

  it('refuses hostile and impossible paths with 400 or 404, and keeps running', async () => {
    fs.writeFileSync(path.join(outDir, '..secret'), 'a file named ..secret is fine');
    const hostile = [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/' + '%2e%2e/'.repeat(60) + 'etc/passwd',
      '/assets%2F..%2F..%2Fsecret.txt',
      '/assets/..%5C..%5Csecret.txt',
      '/assets\\..\\..\\etc\\passwd',
      '/%00',
      '/index.html%00.txt',
      '/%c0%ae%c0%ae/etc/passwd',
      '/%E0%A4%A',
      '/%',
      '/C:/Windows/win.ini',
      '/' + 'a'.repeat(256),
      '/' + 'a'.repeat(4000) + '/',
      '/' + 'a/'.repeat(3000) + 'b',
      '/' + '%61'.repeat(2000),
      '/index.html/',
      '/assets/style.css/',
      '/assets/style.css/.',
      '/\x7f',
      '/\xff\xfe',
      '*',
      'http://evil.example/',
      'evil.example',
    ];
    for (const target of hostile) {
      const reply = await raw(server.port, target);
      assert.ok([400, 404].includes(reply.status), `${JSON.stringify(target.slice(0, 40))} → ${reply.status}`);
      assert.doesNotMatch(reply.body, /do not serve|root:x/, target);
    }
    // A name that only starts with ".." is a file name like any other.
    assert.equal((await raw(server.port, '/..secret')).body, 'a file named ..secret is fine');
    // Reading a FIFO would wait for a writer forever: only regular files are served.
    if (spawnSync('mkfifo', [path.join(outDir, 'fifo.txt')]).status === 0) assert.equal((await raw(server.port, '/fifo.txt')).status, 404);
    assert.equal((await raw(server.port, '/')).status, 200, 'still running');
  });

  it('survives clients that go away mid-request or mid-response, and garbage on the wire', async () => {
    fs.writeFileSync(path.join(outDir, 'large.bin'), Buffer.alloc(4_000_000, 7));
    const abandon = (bytes: string, after: number) =>
      new Promise<void>((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1');
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.write(bytes);
        setTimeout(() => socket.destroy(), after);
      });
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => abandon(`GET /large.bin HTTP/1.1\r\n${host}\r\n`, i % 4)),
      ...Array.from({ length: 20 }, (_, i) => abandon(`GET /2019/03/06/March-Meetup/ HTTP/1.1\r\n${host}\r\n`, i % 3)),
      ...Array.from({ length: 10 }, (_, i) => abandon(`GET /__recap/events HTTP/1.1\r\n${host}\r\n`, i % 2)),
      abandon(`GET / HTTP/1.1\r\n${host}`, 5),
      abandon('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 5),
      abandon(`GET / HTTP/1.1\r\n${host}X: ${'a'.repeat(70_000)}\r\n\r\n`, 20),
      abandon(`POST / HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n`, 20),
      abandon(`GET / HTTP/1.1\r\n${host}\r\nGET //evil.example HTTP/1.1\r\n${host}\r\nBREW / HTTP/1.1\r\n\r\n`, 50),
    ]);
    assert.equal((await raw(server.port, '/')).status, 200, 'still running');
  });
});

describe('the live-reload script, for pages with a strict Content-Security-Policy', () => {
  it('is a same-origin file, loaded by a <script src> at the real end of the body', async () => {
    const outDir = path.join(tempDir(), 'public');
    fs.mkdirSync(outDir);
    const csp = `<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="script-src 'self'"><body><p>strict</p></body>`;
    fs.writeFileSync(path.join(outDir, 'index.html'), csp);
    const server = await startServer({ outDir, basePath: '/', host: '127.0.0.1', port: 0 });
    try {
      const page = await raw(server.port, '/');
      assert.equal(page.body, csp.replace('</body>', '<script src="/__recap/live-reload.js" data-recap-live-reload></script></body>'));
      assert.doesNotMatch(page.body, /<script[^>]*>[^<]/, 'no inline script');
      const script = await raw(server.port, '/__recap/live-reload.js');
      assert.equal(script.status, 200);
      assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.match(script.body, /new EventSource\('\/__recap\/events'\)/);
    } finally {
      await server.close();
    }
  });

  it('finds the end of the body with a parser: not a </body> in a comment, a script or a template', () => {
    const inject = (html: string) => injectLiveReload(Buffer.from(html)).toString();
    const tag = '<script src="/__recap/live-reload.js" data-recap-live-reload></script>';
    assert.equal(inject('<body><!-- </body> --><p>x</p></body></html>'), `<body><!-- </body> --><p>x</p>${tag}</body></html>`);
    assert.equal(inject('<body><script>let s = "</body>";</script></body>'), `<body><script>let s = "</body>";</script>${tag}</body>`);
    assert.equal(inject('<body><template></body></template><p>x</p></BODY>'), `<body><template></body></template><p>x</p>${tag}</BODY>`);
    assert.equal(inject('<p>no body tags'), `<p>no body tags${tag}`);
    assert.equal(inject(''), tag);
    // The page's scripts carry a nonce (a policy allowing scripts by nonce): the added one carries it too.
    assert.equal(inject('<script nonce="r4nd&quot;">1</script><body></body>'), `<script nonce="r4nd&quot;">1</script><body><script src="/__recap/live-reload.js" data-recap-live-reload nonce="r4nd&quot;"></script></body>`);
  });

  it('keeps every byte of the page, whatever its encoding', () => {
    const latin1 = Buffer.concat([Buffer.from('<meta charset="iso-8859-1"><body><p>caf'), Buffer.from([0xe9, 0xff, 0x00]), Buffer.from('</p></body>')]);
    const out = injectLiveReload(latin1);
    const at = out.indexOf('<script');
    assert.ok(out.subarray(0, at).equals(latin1.subarray(0, latin1.indexOf('</body>'))));
    assert.ok(out.subarray(out.indexOf('</script>') + 9).equals(Buffer.from('</body>')));
  });
});

describe('request paths', () => {
  it('reads a path into decoded segments, or refuses one no file can have', () => {
    assert.deepEqual(parsePath('/a/b%20c/'), { segments: ['a', 'b c'], folder: true });
    assert.deepEqual(parsePath('/C%23-and-100%25'), { segments: ['C#-and-100%'], folder: false });
    assert.deepEqual(parsePath('/'), { segments: [], folder: true });
    for (const refused of ['//x', '/a//b', '/\\x', '/%2F', '/%5c', '/.', '/..', '/%2e%2e/', '/a/%00', '/%09', '/%7f', '/%E0%A4%A', `/${'a'.repeat(256)}`, 'x', '']) {
      assert.equal(parsePath(refused), undefined, refused);
    }
  });

  it('builds a redirect that is always a path on this server', () => {
    assert.equal(folderLocation(['blog', '2019'], 'x=1'), '/blog/2019/?x=1');
    assert.equal(folderLocation(['/evil.example'], ''), '/%2Fevil.example/');
    assert.equal(folderLocation(['\\evil.example'], ''), '/%5Cevil.example/');
    assert.equal(folderLocation(['a'], 'q=\r\n\t\xff'), '/a/?q=%0D%0A%09%FF');
  });
});
