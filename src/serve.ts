import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sirv from 'sirv';

/** Injected into HTML responses only (never into files on disk): reloads on change, swaps CSS, shows build errors. */
const LIVE_RELOAD = `<script data-recap-live-reload>
(() => {
  const source = new EventSource('/__recap/events');
  const overlay = () => document.getElementById('recap-error-overlay');
  source.addEventListener('reload', (event) => {
    const files = JSON.parse(event.data);
    if (files.length > 0 && files.every((file) => file.endsWith('.css'))) {
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set('recap-reload', Date.now());
        link.href = url.href;
      }
      overlay()?.remove();
    } else {
      location.reload();
    }
  });
  source.addEventListener('failed', (event) => {
    let box = overlay();
    if (!box) {
      box = document.createElement('pre');
      box.id = 'recap-error-overlay';
      box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;margin:0;padding:2rem;overflow:auto;background:rgba(20,20,24,.94);color:#ffb4b4;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap';
      document.body.append(box);
    }
    box.textContent = 'recap: the last build failed; the page shows the last good build.\\n\\n' + JSON.parse(event.data).join('\\n');
  });
  source.addEventListener('ok', () => overlay()?.remove());
})();
</script>`;

export function injectLiveReload(html: string): string {
  const at = html.lastIndexOf('</body>');
  return at === -1 ? html + LIVE_RELOAD : html.slice(0, at) + LIVE_RELOAD + html.slice(at);
}

/**
 * Buffers an HTML response to add the live-reload script, fixing Content-Length; other
 * responses stream through untouched.
 */
function injectIntoHtmlResponses(res: http.ServerResponse): void {
  const writeHead = res.writeHead.bind(res);
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  let chunks: Buffer[] | undefined;
  let head: { status: number; headers: http.OutgoingHttpHeaders } | undefined;
  // Node writes implicit headers through writeHead too: once a body is on its way unbuffered, pass through.
  let passThrough = false;

  res.writeHead = ((status: number, headers?: http.OutgoingHttpHeaders) => {
    const type = String(headers?.['Content-Type'] ?? res.getHeader('content-type') ?? '');
    if (!passThrough && type.startsWith('text/html')) {
      chunks = [];
      head = { status, headers: { ...headers } };
      return res;
    }
    return writeHead(status, headers);
  }) as typeof res.writeHead;
  res.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
    if (!chunks) {
      passThrough = true;
      return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    }
    chunks.push(Buffer.from(chunk));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: Buffer | string | (() => void), ...rest: unknown[]) => {
    if (!chunks || !head) {
      passThrough = true;
      return (end as (c?: unknown, ...r: unknown[]) => http.ServerResponse)(chunk, ...rest);
    }
    if (chunk !== undefined && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
    const body = Buffer.from(injectLiveReload(Buffer.concat(chunks).toString('utf8')));
    passThrough = true;
    writeHead(head.status, { ...head.headers, 'Content-Length': body.length });
    return end(body);
  }) as typeof res.end;
}

export interface ServerOptions {
  outDir: string;
  basePath: string;
  host: string;
  port: number;
  /** Try the next ports when this one is taken (the CLI does; tests ask for an exact port). */
  findFreePort?: boolean;
  liveReload?: boolean;
}

export interface SiteServer {
  url: string;
  port: number;
  /** Tell open pages what changed; they reload (or swap stylesheets). */
  notifyChanged(files: string[]): void;
  /** Show these messages over open pages until the next good build. */
  notifyFailed(messages: string[]): void;
  close(): Promise<void>;
}

function notFound(outDir: string, res: http.ServerResponse, liveReload: boolean): void {
  const page = path.join(outDir, '404.html');
  res.statusCode = 404;
  res.setHeader('Cache-Control', 'no-store');
  if (fs.existsSync(page)) {
    const html = fs.readFileSync(page, 'utf8');
    res.setHeader('Content-Type', 'text/html;charset=utf-8');
    res.end(liveReload ? injectLiveReload(html) : html);
  } else {
    res.setHeader('Content-Type', 'text/plain;charset=utf-8');
    res.end('404 Not Found\n');
  }
}

/**
 * Serves the output folder as a plain static host would: /x/ → x/index.html, /x → /x/ when x is a
 * folder, 404.html for anything missing, nothing outside the folder, no listings. Files are served
 * by sirv; this adds the base path, folder redirects, the 404 page and live reload.
 */
export async function startServer(options: ServerOptions): Promise<SiteServer> {
  const outDir = path.resolve(options.outDir);
  const liveReload = options.liveReload ?? true;
  const clients = new Set<http.ServerResponse>();
  let failure: string[] | undefined;
  const files = sirv(outDir, {
    dev: true,
    dotfiles: true,
    extensions: ['html'],
    onNoMatch: (_req, res) => notFound(outDir, res, liveReload),
  });

  const send = (client: http.ServerResponse, event: string, data: unknown) => client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  const server = http.createServer((req, res) => {
    const [rawPath, query = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const search = query ? `?${query}` : '';
    if (rawPath === '/__recap/events' && liveReload) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': recap live reload\n\n');
      clients.add(res);
      if (failure) send(res, 'failed', failure);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (options.basePath !== '/' && rawPath === options.basePath.slice(0, -1)) {
      res.writeHead(301, { Location: options.basePath + search }).end();
      return;
    }
    if (!rawPath.startsWith(options.basePath)) return notFound(outDir, res, liveReload);
    const sitePath = '/' + rawPath.slice(options.basePath.length);

    let decoded: string;
    try {
      decoded = decodeURIComponent(sitePath);
    } catch {
      res.writeHead(400).end('Bad request\n');
      return;
    }
    const target = path.resolve(outDir, '.' + path.posix.normalize(decoded));
    if (decoded.includes('\0') || decoded.includes('\\') || (target !== outDir && !target.startsWith(outDir + path.sep))) {
      return notFound(outDir, res, liveReload);
    }
    // As static hosts do: a folder asked for without its slash is redirected to it.
    if (!sitePath.endsWith('/') && fs.statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
      res.writeHead(301, { Location: rawPath + '/' + search }).end();
      return;
    }
    req.url = sitePath + search;
    if (liveReload) injectIntoHtmlResponses(res);
    files(req, res);
  });

  let port = options.port;
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.findFreePort || attempt >= 20) throw error;
      port++;
    }
  }
  const address = server.address();
  if (address && typeof address === 'object') port = address.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${host}:${port}${options.basePath}`,
    port,
    notifyChanged(changed) {
      failure = undefined;
      for (const client of clients) {
        send(client, 'ok', true);
        if (changed.length > 0) send(client, 'reload', changed);
      }
    },
    notifyFailed(messages) {
      failure = messages;
      for (const client of clients) send(client, 'failed', messages);
    },
    async close() {
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
