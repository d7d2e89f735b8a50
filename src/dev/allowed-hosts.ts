/**
 * Which Host headers the dev server answers. A page on any web site can make the visitor's browser
 * send requests to 127.0.0.1 under the site's own name (DNS rebinding: evil.example resolves to the
 * site first, then to 127.0.0.1), and read the answers as its own. Only the Host header tells such a
 * request apart, so the server answers only to the names it listens as.
 */
import net from 'node:net';

/** Whether an address to listen on means "every interface": the server is then reachable by any address of the machine. */
export function isWildcardAddress(host: string): boolean {
  return ['0.0.0.0', '::', '[::]', ''].includes(host.trim());
}

/** Names of this machine that no web site can take over: loopback addresses and localhost. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * A test of Host headers for a server listening on `listenHost` (an address or a name, as given to
 * --host). It accepts localhost, 127.0.0.1, [::1] and `listenHost` itself; listening on every
 * interface it also accepts any IP address, since an address cannot be rebound to another machine
 * the way a name can. Names are compared without case or a final dot; the port is not compared,
 * since a forwarded port (a container's, an editor's) changes it and no web site can choose it.
 */
export function hostHeaderTest(listenHost: string): (hostHeader: string | undefined) => boolean {
  const names = new Set([...LOOPBACK_NAMES, bracketed(normalName(listenHost))]);
  const anyAddress = isWildcardAddress(listenHost);
  return (hostHeader) => {
    const name = hostName(hostHeader);
    if (name === undefined) return false;
    return names.has(name) || (anyAddress && net.isIP(name.replace(/^\[(.*)\]$/, '$1')) !== 0);
  };
}

/** The name part of a Host header ("Example.com:8080" → "example.com", "[::1]:80" → "[::1]"), or undefined when it is not one. */
function hostName(header: string | undefined): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^\s:[\]/\\@]+)(?::(\d{1,5}))?$/i.exec(header?.trim() ?? '');
  if (!match || (match[2] !== undefined && Number(match[2]) > 65535)) return undefined;
  return normalName(match[1]);
}

function normalName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** An IPv6 address as a Host header spells it, in brackets. */
function bracketed(name: string): string {
  return net.isIPv6(name) ? `[${name}]` : name;
}
