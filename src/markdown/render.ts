import type { Root } from 'mdast';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkHtml from 'remark-html';
import { markdownInHtml, remarkKramdown, urlsWithSpaces } from '../jekyll/kramdown.js';
import { remarkBasePath } from './links.js';
import { collapse, firstParagraphText, plainText } from './text.js';

export type MarkdownFlavor = 'commonmark' | 'kramdown';

/**
 * One processor per flavor and base path (a build has one base path), configured once and frozen.
 * `sanitize: false` because remark-html's default drops every raw HTML block (video embeds
 * included); post bodies are written by the site's own authors.
 */
const processors = new Map<string, ReturnType<typeof createProcessor>>();

function createProcessor(flavor: MarkdownFlavor, basePath: string) {
  // Jekyll sites' posts were written for kramdown: the same, plus its attribute lists, header ids and {:toc}.
  const base = flavor === 'kramdown' ? remark().use(remarkGfm).use(remarkKramdown) : remark().use(remarkGfm);
  return base.use(remarkBasePath, basePath).use(remarkHtml, { sanitize: false }).freeze();
}

function processorFor(flavor: MarkdownFlavor, basePath: string) {
  const key = `${flavor} ${basePath}`;
  let processor = processors.get(key);
  if (!processor) processors.set(key, (processor = createProcessor(flavor, basePath)));
  return processor;
}

export interface RenderedMarkdown {
  html: string;
  /** The first paragraph with text, as plain text (images and HTML tags left out), or "". */
  firstParagraph: string;
  /** All of the text, plain (see plainText); only for the part before an excerpt_separator, whose text is the excerpt. */
  text?: string;
}

/** Markdown → HTML, with site-root links given `basePath`. */
export function renderMarkdown(markdown: string, flavor: MarkdownFlavor = 'commonmark', basePath = '/'): RenderedMarkdown {
  return render(markdown, flavor, basePath).rendered;
}

function render(markdown: string, flavor: MarkdownFlavor, basePath: string): { tree: Root; rendered: RenderedMarkdown } {
  const processor = processorFor(flavor, basePath);
  const source = flavor === 'kramdown' ? urlsWithSpaces(markdownInHtml(markdown)) : markdown;
  // Text is read after the plugins ran, so kramdown attribute lists are not part of it.
  const tree = processor.runSync(processor.parse(source)) as Root;
  return { tree, rendered: { html: String(processor.stringify(tree)), firstParagraph: firstParagraphText(tree) } };
}

/** The markdown a post still needs rendered: the body, and for a Jekyll excerpt_separator the part before it. */
export interface MarkdownWork {
  body: string;
  flavor: MarkdownFlavor;
  /** The site's base path, which site-root links in the body get. */
  basePath: string;
  beforeSeparator?: string;
  /** A Jekyll post's excerpt, rendered on its own for templates (see Post.excerptHtml). */
  excerpt?: string;
}

export interface RenderedBody {
  main: RenderedMarkdown;
  beforeSeparator?: RenderedMarkdown;
  excerpt?: RenderedMarkdown;
}

/** Renders the markdown a post needs: a pure function of the work, so it can run in a worker or be cached. */
export function renderWork(work: MarkdownWork): RenderedBody {
  return {
    main: renderMarkdown(work.body, work.flavor, work.basePath),
    beforeSeparator: work.beforeSeparator === undefined ? undefined : withText(render(work.beforeSeparator, work.flavor, work.basePath)),
    excerpt: work.excerpt === undefined ? undefined : renderMarkdown(work.excerpt, work.flavor, work.basePath),
  };
}

function withText({ tree, rendered }: { tree: Root; rendered: RenderedMarkdown }): RenderedMarkdown {
  return { ...rendered, text: collapse(plainText(tree)) };
}
