import type http from 'node:http';

/** Where open pages listen for rebuilds (server-sent events). */
export const EVENTS_PATH = '/__recap/events';

/** Injected into HTML responses only (never into files on disk): reloads on change, swaps CSS, shows build errors. */
const LIVE_RELOAD = `<script data-recap-live-reload>
(() => {
  const source = new EventSource('${EVENTS_PATH}');
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
export function injectIntoHtmlResponses(res: http.ServerResponse): void {
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

/** The open pages' event streams, and the last failure that a page opened later must still show. */
export interface LiveReloadChannel {
  /** Keeps the response open as an event stream. */
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
