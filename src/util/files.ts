import fs from 'node:fs';

/**
 * Which files are markdown: Jekyll's markdown_ext (md, markdown, mkdown, mkdn, mkd), in any case,
 * for every site. The one rule read, parse, plan and watch use, so `x.MD` is a post everywhere.
 */
export const MARKDOWN_EXTENSION = /\.(md|markdown|mkdown|mkdn|mkd)$/i;

export const isMarkdownFile = (file: string) => MARKDOWN_EXTENSION.test(file);

/** A file name without its markdown extension. */
export const withoutMarkdownExtension = (file: string) => file.replace(MARKDOWN_EXTENSION, '');

/** A file's size and modification time: enough to tell that it was changed or replaced since. */
export const fileSignature = (stat: fs.Stats) => `${stat.size}:${stat.mtimeMs}`;

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed over it. The
 * temporary file is created fresh ("wx"), so a link left at its name is never written through.
 */
export function writeFileAtomically(file: string, data: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  fs.rmSync(temporary, { force: true });
  fs.writeFileSync(temporary, data, { flag: 'wx' });
  fs.renameSync(temporary, file);
}
