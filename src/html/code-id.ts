import { createHash } from 'node:crypto';
import fs from 'node:fs';

let id: string | undefined;

/**
 * A hash of this folder's compiled code. Rendered post bodies depend on it (raw HTML is rewritten
 * here), so the body cache puts it in its keys: edited code is then a miss, never a stale hit.
 */
export function htmlCodeId(): string {
  if (id) return id;
  const folder = new URL('.', import.meta.url);
  const hash = createHash('sha1');
  for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.js')).sort()) hash.update(fs.readFileSync(new URL(file, folder)));
  return (id = hash.digest('base64url'));
}
