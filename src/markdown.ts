import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkHtml from 'remark-html';

/**
 * One processor, configured once and frozen. `sanitize: false` because remark-html's default
 * drops every raw HTML block (video embeds included); post bodies are written by the site's own authors.
 */
const processor = remark().use(remarkGfm).use(remarkHtml, { sanitize: false }).freeze();

export function renderMarkdown(markdown: string): string {
  return String(processor.processSync(markdown));
}
