import { closest } from '../util/closest.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';

/**
 * A command's arguments by node:util's parseArgs (strict), with its errors rewritten the way git
 * and npm answer a typo: the unknown option, and the known one it is closest to. main() adds the
 * command's own help hint.
 */
export function parseCommandArgs<T extends Omit<ParseArgsConfig, 'strict'>>(config: T): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw error;
    const names = Object.entries(config.options ?? {}).map(([name]) => `--${name}`);
    const quoted = /'([^']*)'/.exec((error as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = quoted.split('=')[0];
      throw new UsageError(`unknown option ${option}${didYouMean(closest(option, names))}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      // `recap build drafts`: a word that is an option's name without its dashes.
      const option = names.find((name) => name === `--${quoted}`);
      throw new UsageError(`unexpected argument "${quoted}"${didYouMean(option)}`);
    }
    // A missing value (--out at the end) or one given to a flag (--drafts=yes): Node's words are clear.
    throw new UsageError((error as Error).message.replace(/\.$/, ''));
  }
}

const didYouMean = (name: string | undefined) => (name === undefined ? '' : `; did you mean ${name}?`);

