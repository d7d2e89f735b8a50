/**
 * A request target read the way the dev server maps it to files: the path as decoded segments, or
 * nothing when it cannot name a file below the output folder. Everything the server does with a
 * path (compare it with the base path, look it up, redirect to it) works on these segments, so no
 * spelling of a path (`//`, `/\`, `%2F`, `%5C`, `%2e%2e`, NUL, control characters) can reach the
 * disk or a Location header as anything but one plain file name per segment.
 */
import { encodeSegment } from '../util/urls.js';

export interface RequestPath {
  /** Decoded path segments, none empty, ".", ".." or holding a separator or control character. */
  segments: string[];
  /** The path ended with "/": it asks for a folder's index.html. */
  folder: boolean;
}

/** File names longer than this (in bytes) exist on no common file system. */
const MAX_NAME_BYTES = 255;

/** Path and query of an origin-form request target ("/a/b?x"); undefined for "*" or "http://host/a". */
export function splitTarget(target: string): { path: string; query: string } | undefined {
  if (!target.startsWith('/')) return undefined;
  const at = target.indexOf('?');
  return at === -1 ? { path: target, query: '' } : { path: target.slice(0, at), query: target.slice(at + 1) };
}

/**
 * The segments of a URL path ("/a/b%20c/" → ["a", "b c"], folder), or undefined when the path is
 * one no file can have: an empty segment ("//"), "." or "..", an encoded "/" or "\", a backslash,
 * a control character, a malformed escape, or a name too long for a file system.
 */
export function parsePath(urlPath: string): RequestPath | undefined {
  if (!urlPath.startsWith('/')) return undefined;
  const raw = urlPath.slice(1).split('/');
  const folder = raw[raw.length - 1] === '';
  if (folder) raw.pop();
  const segments: string[] = [];
  for (const part of raw) {
    const segment = decodeSegment(part);
    if (segment === undefined) return undefined;
    segments.push(segment);
  }
  return { segments, folder };
}

function decodeSegment(part: string): string | undefined {
  let segment: string;
  try {
    segment = decodeURIComponent(part);
  } catch {
    return undefined;
  }
  if (segment === '' || segment === '.' || segment === '..') return undefined;
  if (/[/\\\u0000-\u001f\u007f]/.test(segment)) return undefined;
  if (Buffer.byteLength(segment) > MAX_NAME_BYTES) return undefined;
  return segment;
}

/**
 * Where a redirect to the folder `segments` points: a path on this server, never another origin.
 * Each segment is percent-encoded (an "/" or "\" in it could not survive), so the value always
 * starts with one "/" followed by a segment's own character. The query is kept, with anything a
 * header may not carry percent-encoded.
 */
export function folderLocation(segments: string[], query: string): string {
  const path = '/' + segments.map((segment) => encodeSegment(segment) + '/').join('');
  return query ? `${path}?${query.replace(/[^\x21-\x7e]/g, percentByte)}` : path;
}

/** Node reads a request target's bytes as latin1: each character is one byte. */
const percentByte = (c: string) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');

/** Whether `segments` begins with `prefix`. */
export function startsWithSegments(segments: string[], prefix: string[]): boolean {
  return prefix.length <= segments.length && prefix.every((segment, i) => segments[i] === segment);
}
