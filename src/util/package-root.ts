import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** recap's own folder (the checkout, or the installed package): compiled code runs from dist/src/. */
export const PACKAGE_ROOT = path.resolve(fileURLToPath(import.meta.url), '../../../..');
