import type { Root } from 'mdast';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkHtml from 'remark-html';
import { remarkGfmParts } from './gfm.js';
import { KRAMDOWN_BLOCKS, markdownBlocks, remarkKramdown, rougeCodeBlock, urlsWithSpaces } from '../jekyll/kramdown.js';
import { JEKYLL_KRAMDOWN, type KramdownOptions } from '../jekyll/kramdown-options.js';
import { remarkBasePath } from './links.js';
import { collapse, firstParagraphText, plainText } from './text.js';

export type MarkdownFlavor = 'commonmark' | 'kramdown';

/**
 * One processor per flavor, base path and kramdown options (a build has one of each), configured once and frozen.
 * `sanitize: false` because remark-html's default drops every raw HTML block (video embeds
 * included); post bodies are written by the site's own authors.
 */
const processors = new Map<string, ReturnType<typeof createProcessor>>();

function createProcessor(flavor: MarkdownFlavor, basePath: string, kramdown: KramdownOptions) {
  // Jekyll sites' posts were written for kramdown: the same, plus its attribute lists, header ids, typography and {:toc}.
  // kramdown's GFM parser links no bare URL and reads `~one~` as text, as Jekyll shows them.
  const base = flavor === 'kramdown' ? remark().use(remarkGfmParts, { autolinkLiterals: false, singleTilde: false }).use(remarkKramdown, kramdown) : remark().use(remarkGfm);
  // Jekyll's kramdown marks code blocks up for Rouge, which themes' CSS expects.
  const handlers = flavor === 'kramdown' ? { code: rougeCodeBlock } : undefined;
  return base.use(remarkBasePath, basePath).use(remarkHtml, { sanitize: false, handlers }).freeze();
}

function processorFor(flavor: MarkdownFlavor, basePath: string, kramdown: KramdownOptions) {
  const key = flavor === 'kramdown' ? `${flavor} ${basePath} ${JSON.stringify(kramdown)}` : `${flavor} ${basePath}`;
  let processor = processors.get(key);
  if (!processor) processors.set(key, (processor = createProcessor(flavor, basePath, kramdown)));
  return processor;
}

export interface RenderedMarkdown {
  html: string;
  /** The first paragraph with text, as plain text (images and HTML tags left out), or "". */
  firstParagraph: string;
  /** All of the text, plain (see plainText); only for the part before an excerpt_separator, whose text is the excerpt. */
  text?: string;
}

/** Markdown → HTML, with site-root links given `basePath`; `kramdown` is a Jekyll site's kramdown settings. */
export function renderMarkdown(markdown: string, flavor: MarkdownFlavor = 'commonmark', basePath = '/', kramdown: KramdownOptions = JEKYLL_KRAMDOWN): RenderedMarkdown {
  return render(markdown, flavor, basePath, kramdown).rendered;
}

function render(markdown: string, flavor: MarkdownFlavor, basePath: string, kramdown: KramdownOptions): { tree: Root; rendered: RenderedMarkdown } {
  const processor = processorFor(flavor, basePath, kramdown);
  const { source, inside } = flavor === 'kramdown' ? markdownBlocks(urlsWithSpaces(markdown)) : { source: markdown, inside: [] };
  // Text is read after the plugins ran, so kramdown attribute lists are not part of it. The
  // source goes along as the file (kramdown's typography reads what follows a quote in it), and
  // where markdown="1" blocks are (kramdown gives their headers ids by other rules).
  const tree = processor.runSync(processor.parse(source), { value: source, data: { [KRAMDOWN_BLOCKS]: inside } }) as Root;
  return { tree, rendered: { html: String(processor.stringify(tree)), firstParagraph: firstParagraphText(tree) } };
}

/** The markdown a post still needs rendered: the body, and for a Jekyll excerpt_separator the part before it. */
export interface MarkdownWork {
  body: string;
  flavor: MarkdownFlavor;
  /** The site's base path, which site-root links in the body get. */
  basePath: string;
  /** With flavor "kramdown": the site's kramdown settings (Jekyll's defaults when not given). */
  kramdown?: KramdownOptions;
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
    main: renderMarkdown(work.body, work.flavor, work.basePath, work.kramdown),
    beforeSeparator: work.beforeSeparator === undefined ? undefined : withText(render(work.beforeSeparator, work.flavor, work.basePath, work.kramdown ?? JEKYLL_KRAMDOWN)),
    excerpt: work.excerpt === undefined ? undefined : renderMarkdown(work.excerpt, work.flavor, work.basePath, work.kramdown),
  };
}

function withText({ tree, rendered }: { tree: Root; rendered: RenderedMarkdown }): RenderedMarkdown {
  return { ...rendered, text: collapse(plainText(tree)) };
}
