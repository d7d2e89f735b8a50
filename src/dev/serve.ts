import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import send from 'send';
import { createLiveReloadChannel, EVENTS_PATH, injectIntoHtmlResponses, type LiveReloadChannel } from './live-reload.js';

export { injectLiveReload } from './live-reload.js';

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
  const basePath = typeof options.basePath === 'function' ? options.basePath : () => options.basePath as string;
  const channel = (options.liveReload ?? true) ? createLiveReloadChannel() : undefined;
  const handle = requestHandler(outDir, basePath, channel);
  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      // A request must never take the server down: whatever it was, nothing is there.
      if (!res.headersSent) notFound(outDir, res);
      else res.destroy();
    }
  });
  const port = await listen(server, options.host, options.port, options.findFreePort ?? false);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    get url() {
      return `http://${host}:${port}${basePath()}`;
    },
    port,
    notifyChanged(changed) {
      channel?.changed(changed);
    },
    notifyFailed(messages) {
      channel?.failed(messages);
    },
    async close() {
      channel?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Without a live-reload channel, pages are served exactly as they are on disk. */
function requestHandler(outDir: string, basePath: () => string, channel: LiveReloadChannel | undefined) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const [rawPath, query = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const search = query ? `?${query}` : '';
    if (rawPath === EVENTS_PATH && channel) return channel.connect(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (channel) injectIntoHtmlResponses(res);
    const base = basePath();
    if (base !== '/' && rawPath === base.slice(0, -1)) {
      res.writeHead(301, { Location: base + search }).end();
      return;
    }
    if (!rawPath.startsWith(base)) return notFound(outDir, res);
    const sitePath = '/' + rawPath.slice(base.length);
    // HTML gets a script added, so it is always sent whole.
    if (channel && (sitePath.endsWith('/') || /\.html?$/i.test(sitePath))) delete req.headers.range;
    sendFile(req, res, outDir, sitePath, rawPath + '/' + search);
  };
}

/** Sends a file of the output folder; anything send cannot find or may not show is the 404 page. */
function sendFile(req: http.IncomingMessage, res: http.ServerResponse, outDir: string, sitePath: string, folderLocation: string): void {
  send(req, sitePath, { root: outDir, dotfiles: 'allow', index: ['index.html'], extensions: false, etag: false, lastModified: true, cacheControl: false })
    .on('headers', (response: http.ServerResponse) => response.setHeader('Cache-Control', 'no-store'))
    // As static hosts do: a folder asked for without its slash is redirected to it.
    .on('directory', (response: http.ServerResponse) => {
      response.statusCode = 301;
      response.setHeader('Location', folderLocation);
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
}

/** Listens on `port`, or with `findFreePort` on the first free one of the next 20; returns the port. */
async function listen(server: http.Server, host: string, port: number, findFreePort: boolean): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !findFreePort || attempt >= 20) throw error;
      port++;
    }
  }
  // Port 0 asks the system for one.
  const address = server.address();
  return address && typeof address === 'object' ? address.port : port;
}
