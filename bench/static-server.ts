/**
 * A plain static host for the page benchmark, in the shape of GitHub Pages: files by path (a folder
 * → its index.html, /x → x.html), 404.html with status 404, a content type by extension, gzip for
 * text (HTML, CSS, JS, SVG, XML, JSON, text) when the browser accepts it, `Cache-Control:
 * max-age=600` on everything, HTTP/1.1. Nothing else: no HTTP/2, no Brotli, no preloading, no
 * image conversion, so what Lighthouse measures is the site, not the host.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';

export const HOST_DESCRIPTION = "node:http on 127.0.0.1 (bench/static-server.ts), as GitHub Pages serves: HTTP/1.1, gzip for text types only, Cache-Control: max-age=600, no Brotli, no HTTP/2";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const COMPRESSED = new Set(['.html', '.css', '.js', '.json', '.xml', '.txt', '.svg']);

/** The file a request path is served from, or undefined: never outside `dir`. */
function fileFor(dir: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const full = path.join(dir, path.normalize(decoded));
  if (full !== dir && !full.startsWith(dir + path.sep)) return undefined;
  const candidates = decoded.endsWith('/') ? [path.join(full, 'index.html')] : [full, full + '.html', path.join(full, 'index.html')];
  return candidates.find((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile());
}

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `dir` (which may not exist yet: files are looked up per request) on a free port. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const gzipped = new Map<string, Buffer>();
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://host').pathname;
    let file = fileFor(dir, pathname);
    let status = 200;
    if (!file) {
      status = 404;
      file = fileFor(dir, '/404.html');
    }
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const extension = path.extname(file).toLowerCase();
    const headers: http.OutgoingHttpHeaders = { 'content-type': TYPES[extension] ?? 'application/octet-stream', 'cache-control': 'max-age=600' };
    let body: Buffer = fs.readFileSync(file);
    if (COMPRESSED.has(extension) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      let packed = gzipped.get(file);
      if (!packed) gzipped.set(file, (packed = zlib.gzipSync(body)));
      body = packed;
      headers['content-encoding'] = 'gzip';
      headers.vary = 'Accept-Encoding';
    }
    headers['content-length'] = body.length;
    response.writeHead(status, headers).end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
