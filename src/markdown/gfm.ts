/**
 * GitHub Flavored Markdown as the parts remark-gfm bundles, so a flavour takes only the ones its
 * markdown has: a Jekyll site's kramdown (with its GFM parser) has tables, footnotes, task lists and
 * `~~strikethrough~~`, but links no bare URL and reads `~one~` as text.
 */
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { Processor } from 'unified';

export interface GfmParts {
  /**
   * How bare URLs (`https://…`, `www.…`) and e-mail addresses become links: `both` as GFM does
   * (micromark's tokens, then the tree transform for what they miss); `transform`, by the tree
   * transform alone (the tokens are the costly half: render.ts says when that is the same);
   * `none`, not at all.
   */
  autolinkLiterals: 'none' | 'transform' | 'both';
  /** `~one~` is strikethrough as well as `~~two~~`. */
  singleTilde: boolean;
}

/** A remark plugin: GFM's tables, footnotes, task lists and strikethrough, and the parts asked for. */
export function remarkGfmParts(this: Processor, parts: GfmParts): void {
  const data = this.data();
  const micromark = (data.micromarkExtensions ??= []);
  const fromMarkdown = (data.fromMarkdownExtensions ??= []);
  if (parts.autolinkLiterals === 'both') micromark.push(gfmAutolinkLiteral());
  if (parts.autolinkLiterals !== 'none') fromMarkdown.push(gfmAutolinkLiteralFromMarkdown());
  micromark.push(gfmFootnote(), gfmStrikethrough({ singleTilde: parts.singleTilde }), gfmTable(), gfmTaskListItem());
  fromMarkdown.push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown());
}
