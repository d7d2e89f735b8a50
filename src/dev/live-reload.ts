import type http from 'node:http';
import { appendScript } from '../html/append-script.js';

/** Where open pages listen for rebuilds (server-sent events). */
export const EVENTS_PATH = '/__recap/events';

/**
 * Where pages load the live-reload script from. A file of this server rather than an inline
 * script, so a page whose Content-Security-Policy allows only `script-src 'self'` still runs it.
 */
export const SCRIPT_PATH = '/__recap/live-reload.js';

/** Served at SCRIPT_PATH: reloads on change, swaps CSS, shows build errors. */
const LIVE_RELOAD_SCRIPT = `(() => {
  const source = new EventSource('${EVENTS_PATH}');
  const overlay = () => document.getElementById('recap-error-overlay');
  source.addEventListener('reload', (event) => {
    const files = JSON.parse(event.data);
    // The search index alone (written once rebuilds pause) changes nothing on a page but the search page.
    if (files.every((file) => file.startsWith('pagefind/')) && !document.querySelector('.pagefind-ui')) return;
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
`;

/** The attribute that marks the added element, so tests and readers can tell it from the page's own. */
const MARKER = 'data-recap-live-reload';

/** A page as the dev server sends it: with the live-reload script loaded at the end of its body (never written to disk). */
export function injectLiveReload(page: Buffer): Buffer {
  return appendScript(page, SCRIPT_PATH, MARKER);
}

/** Answers a GET or HEAD of SCRIPT_PATH. */
export function sendLiveReloadScript(req: http.IncomingMessage, res: http.ServerResponse): void {
  const body = Buffer.from(LIVE_RELOAD_SCRIPT);
  res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The open pages' event streams, and the last failure that a page opened later must still show. */
export interface LiveReloadChannel {
  /** Keeps the response to a GET open as an event stream; a HEAD gets its headers alone. */
  connect(req: http.IncomingMessage, res: http.ServerResponse): void;
  changed(files: string[]): void;
  failed(messages: string[]): void;
  close(): void;
}

export function createLiveReloadChannel(): LiveReloadChannel {
  const clients = new Set<http.ServerResponse>();
  let failure: string[] | undefined;
  const sendEvent = (client: http.ServerResponse, event: string, data: unknown) => client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  return {
    connect(req, res) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      if (req.method === 'HEAD') return void res.end();
      res.write(': recap live reload\n\n');
      clients.add(res);
      if (failure) sendEvent(res, 'failed', failure);
      req.on('close', () => clients.delete(res));
    },
    changed(files) {
      failure = undefined;
      for (const client of clients) {
        sendEvent(client, 'ok', true);
        if (files.length > 0) sendEvent(client, 'reload', files);
      }
    },
    failed(messages) {
      failure = messages;
      for (const client of clients) sendEvent(client, 'failed', messages);
    },
    close() {
      for (const client of clients) client.end();
    },
  };
}
