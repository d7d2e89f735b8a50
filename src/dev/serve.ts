import http from 'node:http';
import path from 'node:path';
import send from 'send';
import { encodeSegment } from '../util/urls.js';
import { hostHeaderTest, isWildcardAddress } from './allowed-hosts.js';
import { createLiveReloadChannel, EVENTS_PATH, injectLiveReload, SCRIPT_PATH, sendLiveReloadScript, type LiveReloadChannel } from './live-reload.js';
import { findOutputFile, readWithoutFollowing, type OutputFile } from './output-files.js';
import { folderLocation, parsePath, splitTarget, startsWithSegments } from './request-path.js';

export interface ServerOptions {
  outDir: string;
  /** The site's base path; a function when it can change while serving (a config edit). */
  basePath: string | (() => string);
  /** The address or name to listen on; the server also answers only to this name (and localhost). */
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

/**
 * Serves the output folder as a plain static host would: /x/ → x/index.html, /x → x.html when
 * there is one, else /x/ when x is a folder, 404.html for anything missing, nothing outside the folder, no listings, no symbolic
 * links. Requests are refused unless their Host is a name the server listens as (see
 * allowed-hosts.ts) and their method GET or HEAD. Paths are read into decoded segments
 * (request-path.ts) and looked up without following links (output-files.ts); files are then sent
 * by `send` (ranges, content types, conditional requests), pages with the live-reload script added.
 */
export async function startServer(options: ServerOptions): Promise<SiteServer> {
  const outDir = path.resolve(options.outDir);
  const basePath = typeof options.basePath === 'function' ? options.basePath : () => options.basePath as string;
  const channel = (options.liveReload ?? true) ? createLiveReloadChannel() : undefined;
  const handle = requestHandler({ outDir, basePath, channel, isAllowedHost: hostHeaderTest(options.host) });
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      // A request must never take the server down, whatever went wrong with it.
      if (res.headersSent) res.destroy();
      else refuse(res, 500, 'The dev server could not answer this request.');
    });
  });
  const port = await listen(server, options.host, options.port, options.findFreePort ?? false);
  // Listening on every interface, the server is opened here by a loopback address.
  const host = isWildcardAddress(options.host) ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;

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

interface Site {
  outDir: string;
  basePath: () => string;
  /** Without a live-reload channel, pages are served exactly as they are on disk. */
  channel: LiveReloadChannel | undefined;
  isAllowedHost: (host: string | undefined) => boolean;
}

function requestHandler(site: Site) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!site.isAllowedHost(req.headers.host)) {
      return refuse(res, 403, 'This server answers only to the names it listens as (localhost, 127.0.0.1, [::1]); see "recap serve --help" for --host.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return refuse(res, 405, 'Only GET and HEAD are served.');
    }
    const target = splitTarget(req.url ?? '');
    if (!target) return refuse(res, 400, 'Ask for a path starting with "/".');
    if (site.channel && target.path === EVENTS_PATH) return site.channel.connect(req, res);
    if (site.channel && target.path === SCRIPT_PATH) return sendLiveReloadScript(req, res);

    const requested = parsePath(target.path);
    const base = parsePath(site.basePath())?.segments ?? [];
    if (!requested || !startsWithSegments(requested.segments, base)) return sendNotFound(req, res, site);
    // The base path without its slash ("/blog") is its folder, as any other.
    if (!requested.folder && requested.segments.length === base.length && base.length > 0) return redirect(res, folderLocation(base, target.query));
    const found = await findPage(site.outDir, requested.segments.slice(base.length), requested.folder);
    if (found.kind === 'missing') return sendNotFound(req, res, site);
    // As static hosts do: a folder asked for without its slash is redirected to it.
    if (found.kind === 'folder') return redirect(res, folderLocation(requested.segments, target.query));
    // Replaced by a link since it was looked up, a page is missing as any link is.
    if (site.channel && isPage(found.file)) return sendPage(req, res, found.file, 200, site.channel).catch(() => sendNotFound(req, res, site));
    sendFile(req, res, site, found.segments);
  };
}

const isPage = (file: string) => /\.html?$/i.test(file);

/**
 * The file a path names; as GitHub Pages, Netlify and Cloudflare Pages do, `/x` that is no file is
 * `x.html` when there is one (a Jekyll site's `permalink: /x` is written there), before a folder x/.
 */
async function findPage(outDir: string, segments: string[], folder: boolean): Promise<OutputFile> {
  const found = await findOutputFile(outDir, segments, folder);
  if (found.kind === 'file' || folder || segments.length === 0) return found;
  const html = await findOutputFile(outDir, [...segments.slice(0, -1), `${segments[segments.length - 1]}.html`], false);
  return html.kind === 'file' ? html : found;
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(301, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 }).end();
}

/** A short plain-text answer for a request the server will not serve. */
function refuse(res: http.ServerResponse, status: number, message: string): void {
  const body = Buffer.from(message + '\n');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

/**
 * A page read whole, with the live-reload script when there is a channel. A HEAD gets exactly the
 * headers a GET gets (the Content-Length of the page as sent), without the body.
 */
async function sendPage(req: http.IncomingMessage, res: http.ServerResponse, file: string, status: number, channel: LiveReloadChannel | undefined): Promise<void> {
  const page = await readWithoutFollowing(file);
  const body = channel ? injectLiveReload(page) : page;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The site's 404.html (looked up as any file is) with status 404, or a line of text when it has none. */
async function sendNotFound(req: http.IncomingMessage, res: http.ServerResponse, site: Site): Promise<void> {
  const page = await findOutputFile(site.outDir, ['404.html'], false);
  if (page.kind === 'file') {
    try {
      return await sendPage(req, res, page.file, 404, site.channel);
    } catch {
      // Replaced between the lookup and the read: no page, then.
    }
  }
  refuse(res, 404, '404 Not Found');
}

/** Sends a file found by findOutputFile, through `send`: ranges, content types, conditional requests. */
function sendFile(req: http.IncomingMessage, res: http.ServerResponse, site: Site, segments: string[]): void {
  const urlPath = '/' + segments.map(encodeSegment).join('/');
  send(req, urlPath, { root: site.outDir, dotfiles: 'allow', index: false, extensions: false, etag: false, lastModified: true, cacheControl: false })
    .on('headers', (response: http.ServerResponse) => response.setHeader('Cache-Control', 'no-store'))
    // Only a file that was replaced by a folder since it was looked up.
    .on('directory', () => void sendNotFound(req, res, site).catch(() => res.destroy()))
    .on('error', (error: { status?: number; headers?: Record<string, string> }) => {
      if (res.headersSent) return void res.destroy();
      // The file went away (or became something else) since it was looked up.
      if (!error.status || error.status === 404 || error.status === 403) return void sendNotFound(req, res, site).catch(() => res.destroy());
      // A range past the end (416) says the file's length in Content-Range.
      for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
      refuse(res, error.status, http.STATUS_CODES[error.status] ?? 'Error');
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
