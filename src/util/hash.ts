import { createHash } from 'node:crypto';

/** A short content hash (SHA-1, base64url): equal text (or bytes), equal hash; used as keys, never for security. */
export const sha1 = (text: string | Uint8Array) => createHash('sha1').update(text).digest('base64url');

/** A file's content hash (SHA-1, hex), for names of things made from it. */
export const contentHash = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
