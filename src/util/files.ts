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
