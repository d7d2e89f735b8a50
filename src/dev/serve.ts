import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import send from 'send';

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
 * responses stream through untouched. The decision is made at the first write or writeHead,
 * when the Content-Type is known.
 */
function injectIntoHtmlResponses(res: http.ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: http.OutgoingHttpHeaders) => http.ServerResponse;
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => http.ServerResponse;
  let mode: 'undecided' | 'buffer' | 'pass' = 'undecided';
  const chunks: Buffer[] = [];
  let head: { status?: number; headers: http.OutgoingHttpHeaders } = { headers: {} };

  const decide = (headers?: http.OutgoingHttpHeaders) => {
    if (mode !== 'undecided') return;
    const type = String(headers?.['Content-Type'] ?? headers?.['content-type'] ?? res.getHeader('content-type') ?? '');
    mode = type.startsWith('text/html') ? 'buffer' : 'pass';
  };
  res.writeHead = ((status: number, headers?: http.OutgoingHttpHeaders) => {
    decide(headers);
    if (mode === 'buffer') {
      head = { status, headers: { ...head.headers, ...headers } };
      return res;
    }
    return writeHead(status, headers);
  }) as typeof res.writeHead;
  res.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
    decide();
    if (mode === 'pass') return write(chunk, ...rest);
    chunks.push(Buffer.from(chunk));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: Buffer | string | (() => void), ...rest: unknown[]) => {
    decide();
    if (mode === 'pass') return end(chunk, ...rest);
    if (chunk !== undefined && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
    const body = Buffer.from(injectLiveReload(Buffer.concat(chunks).toString('utf8')));
    mode = 'pass';
    res.removeHeader('Content-Length');
    writeHead(head.status ?? res.statusCode, { ...head.headers, 'Content-Length': body.length });
    return end(body);
  }) as typeof res.end;
}

export interface ServerOptions {
  outDir: string;
  /** The site's base path; a function when it can change while serving (a config edit). */
  basePath: string | (() => string);
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

function notFound(outDir: string, res: http.ServerResponse): void {
  const page = path.join(outDir, '404.html');
  res.statusCode = 404;
  res.setHeader('Cache-Control', 'no-store');
  let html: string | undefined;
  try {
    html = fs.readFileSync(page, 'utf8');
  } catch {
    html = undefined;
  }
  if (html !== undefined) {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(html);
  } else {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('404 Not Found\n');
  }
}

/**
 * Serves the output folder as a plain static host would: /x/ → x/index.html, /x → /x/ when x is a
 * folder, 404.html for anything missing, nothing outside the folder, no listings. Files are sent
 * by `send` (decoding, traversal checks, ranges, content types); this adds the base path, the
 * 404 page and live reload.
 */
export async function startServer(options: ServerOptions): Promise<SiteServer> {
  const outDir = path.resolve(options.outDir);
  const liveReload = options.liveReload ?? true;
  const basePath = typeof options.basePath === 'function' ? options.basePath : () => options.basePath as string;
  const clients = new Set<http.ServerResponse>();
  let failure: string[] | undefined;

  const sendEvent = (client: http.ServerResponse, event: string, data: unknown) => client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const [rawPath, query = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const search = query ? `?${query}` : '';
    if (rawPath === '/__recap/events' && liveReload) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': recap live reload\n\n');
      clients.add(res);
      if (failure) sendEvent(res, 'failed', failure);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (liveReload) injectIntoHtmlResponses(res);
    const base = basePath();
    if (base !== '/' && rawPath === base.slice(0, -1)) {
      res.writeHead(301, { Location: base + search }).end();
      return;
    }
    if (!rawPath.startsWith(base)) return notFound(outDir, res);
    const sitePath = '/' + rawPath.slice(base.length);
    // HTML gets a script added, so it is always sent whole.
    if (liveReload && (sitePath.endsWith('/') || /\.html?$/i.test(sitePath))) delete req.headers.range;
    send(req, sitePath, { root: outDir, dotfiles: 'allow', index: ['index.html'], extensions: false, etag: false, lastModified: true, cacheControl: false })
      .on('headers', (response: http.ServerResponse) => response.setHeader('Cache-Control', 'no-store'))
      // As static hosts do: a folder asked for without its slash is redirected to it.
      .on('directory', (response: http.ServerResponse) => {
        response.statusCode = 301;
        response.setHeader('Location', rawPath + '/' + search);
        response.end();
      })
      .on('error', (error: { status?: number }) => {
        if (res.headersSent) return void res.destroy();
        // 403 is how send refuses a path leaving the folder: to the client, nothing is there.
        if (!error.status || error.status === 404 || error.status === 403) return notFound(outDir, res);
        res.statusCode = error.status;
        res.end();
      })
      .pipe(res);
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      // A request must never take the server down: whatever it was, nothing is there.
      if (!res.headersSent) notFound(outDir, res);
      else res.destroy();
    }
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
    get url() {
      return `http://${host}:${port}${basePath()}`;
    },
    port,
    notifyChanged(changed) {
      failure = undefined;
      for (const client of clients) {
        sendEvent(client, 'ok', true);
        if (changed.length > 0) sendEvent(client, 'reload', changed);
      }
    },
    notifyFailed(messages) {
      failure = messages;
      for (const client of clients) sendEvent(client, 'failed', messages);
    },
    async close() {
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
