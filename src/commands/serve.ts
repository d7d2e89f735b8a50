import os from 'node:os';
import { isWildcardAddress } from '../dev/allowed-hosts.js';
import type { SiteServer } from '../dev/serve.js';
import type { SiteError } from '../pipeline/errors.js';
import { outDirOf, shownErrors, withSiteErrors, type Io } from './io.js';
import { lockForWatching, parseWatchArgs, startWatching, untilStopped, type WatchOptions } from './watch.js';

const USAGE = `Usage: recap serve [options]

Watches the site (see "recap watch --help") and serves the output folder at
http://127.0.0.1:8080/ (under basePath), as a static host would. Open pages reload
when a rebuild changes files; a changed stylesheet is swapped in place; build errors
show over the page until the next good build. Stop with Ctrl-C.

Options:
  --root DIR    Site folder (default: the current folder)
  --out DIR     Output folder (default: public/ in the site folder)
  --no-drafts   Leave drafts out (serve shows them by default, with a "draft" badge)
  --future      Also build posts dated in the future
  --force       Delete files in the output folder that recap did not write
                (without it the build stops and names them; keepFiles are kept)
  --no-cache    Neither read nor write the cache of rendered posts (.recap-cache/)
  --port N      Port to listen on (default: 8080; the next free one if taken)
  --host ADDR   Address or name to listen on (default: 127.0.0.1). Requests are
                answered only when they name the server as localhost, 127.0.0.1,
                [::1] or ADDR. 0.0.0.0 (or ::) shares it on your network: it then
                also answers to any IP address of this machine, but not to other
                names; to open it by a name, give that name as ADDR
  --open        Open the site in the default browser
  -h, --help    Show this help`;

/** What the overlay shows: the errors the terminal shows, and the count of the rest. */
function messages(errors: SiteError[]): string[] {
  const { shown, rest } = shownErrors(errors);
  return [...shown.map((e) => e.format()), ...(rest ? [rest] : [])];
}

export async function run(args: string[], io: Io): Promise<number> {
  const options = parseWatchArgs(args, io, true, USAGE);
  if (!options) return 0;
  return withSiteErrors(io, async () => {
    const lock = await lockForWatching(io, options, 'serve', args);
    try {
      await serveUntilStopped(io, options);
    } finally {
      lock.release();
    }
    return 0;
  });
}

async function serveUntilStopped(io: Io, options: WatchOptions): Promise<void> {
  const stopped = untilStopped();
  // The server starts after the first build, so that build's outcome is passed on below.
  let server: SiteServer | undefined;
  const { watcher, firstReport } = await startWatching(io, options, (report) => {
    if (report.errors) server?.notifyFailed(messages(report.errors));
    else server?.notifyChanged([...report.result!.written, ...report.result!.removed]);
  });
  const { startServer } = await import('../dev/serve.js');
  // The base path follows the config as it is rebuilt (and stays the last good one while it is broken).
  let lastBasePath = watcher.config?.basePath ?? '/';
  const basePath = () => (lastBasePath = watcher.config?.basePath ?? lastBasePath);
  const outDir = outDirOf(options.root, options.site);
  server = await startServer({ outDir, basePath, host: options.host, port: options.port, findFreePort: true });
  // --port 0 asks for any free port: getting one is not a fallback.
  if (options.port !== 0 && server.port !== options.port) io.out(`Port ${options.port} is in use; using ${server.port}.`);
  io.out(`Serving at ${server.url} (Ctrl-C to stop)`);
  for (const url of networkUrls(options.host, server.port, server.url)) io.out(`On your network: ${url}`);
  if (firstReport.errors) server.notifyFailed(messages(firstReport.errors));
  if (options.open) openInBrowser(server.url);
  await stopped;
  await watcher.close();
  await server.close();
}

/** With a wildcard --host, the URLs other machines can use: one per external IPv4 address. */
function networkUrls(host: string, port: number, localUrl: string): string[] {
  if (!isWildcardAddress(host)) return [];
  const path = new URL(localUrl).pathname;
  return Object.values(os.networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => address.family === 'IPv4' && !address.internal)
    .map((address) => `http://${address.address}:${port}${path}`);
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  void import('node:child_process').then(({ spawn }) => spawn(command, args, { stdio: 'ignore', detached: true }).on('error', () => {}).unref());
}
