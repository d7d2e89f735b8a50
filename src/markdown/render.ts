import type { Nodes, Root } from 'mdast';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkHtml from 'remark-html';
import { remarkGfmParts, type GfmParts } from './gfm.js';
import { KRAMDOWN_BLOCKS, markdownBlocks, remarkKramdown, rougeCodeBlock, urlsWithSpaces } from '../jekyll/kramdown.js';
import { JEKYLL_KRAMDOWN, type KramdownOptions } from '../jekyll/kramdown-options.js';
import { remarkBasePath } from './links.js';
import { remarkFigures } from './figures.js';
import { remarkHeadingIds } from './heading-ids.js';
import { collapse, firstParagraphText, plainText } from './text.js';

export type MarkdownFlavor = 'commonmark' | 'kramdown';

/**
 * One processor per flavor, base path and kramdown options (a build has one of each), configured once and frozen.
 * `sanitize: false` because remark-html's default drops every raw HTML block (video embeds
 * included); post bodies are written by the site's own authors.
 */
const processors = new Map<string, ReturnType<typeof createProcessor>>();

/**
 * How GFM's autolink literals are parsed (commonmark only): `both`, as remark-gfm does (micromark's
 * tokens, then a tree transform for what they miss); `transform`, the tree transform alone, for a
 * post whose bare URLs are plain words (see transformSuffices); `none`, for a post whose text holds
 * none (see mayHoldBareUrl). micromark's tokens are half of remark's parse time.
 */
type BareUrls = GfmParts['autolinkLiterals'];

function createProcessor(flavor: MarkdownFlavor, basePath: string, kramdown: KramdownOptions, bareUrls: BareUrls = 'both') {
  // Jekyll sites' posts were written for kramdown: the same, plus its attribute lists, header ids, typography and {:toc}.
  // kramdown's GFM parser links no bare URL and reads `~one~` as text, as Jekyll shows them.
  const base =
    flavor === 'kramdown'
      ? remark().use(remarkGfmParts, { autolinkLiterals: 'none', singleTilde: false }).use(remarkKramdown, kramdown)
      : bareUrls === 'both'
        ? remark().use(remarkGfm)
        : remark().use(remarkGfmParts, { autolinkLiterals: bareUrls, singleTilde: true });
  // Jekyll's kramdown marks code blocks up for Rouge, which themes' CSS expects.
  const handlers = flavor === 'kramdown' ? { code: rougeCodeBlock } : undefined;
  // recap's own sites: captioned photos as figures, and headings with GitHub's ids (kramdown gives a Jekyll site's its own).
  const withFigures = flavor === 'kramdown' ? base : base.use(remarkFigures).use(remarkHeadingIds);
  return withFigures.use(remarkBasePath, basePath).use(remarkHtml, { sanitize: false, handlers }).freeze();
}

function processorFor(flavor: MarkdownFlavor, basePath: string, kramdown: KramdownOptions, bareUrls: BareUrls = 'both') {
  const key = flavor === 'kramdown' ? `${flavor} ${basePath} ${JSON.stringify(kramdown)}` : `${flavor} ${basePath} ${bareUrls}`;
  let processor = processors.get(key);
  if (!processor) processors.set(key, (processor = createProcessor(flavor, basePath, kramdown, bareUrls)));
  return processor;
}

/**
 * Where GFM's autolink literals can start, in text: `http://`, `https://`, `www.` (any case), and
 * an `@` after a character an e-mail address can hold (a `@` after a space or "(" starts none:
 * a handle, "(@meetup)"). Both halves of the extension need these as plain characters in text:
 * micromark's tokens read them from the source, where no other construct begins at these
 * characters, and the tree transform matches text nodes only. So a tree parsed without the
 * extension whose text nodes hold none of them is the tree the extension would have given.
 * Deliberately wider than the extension: any `@` at the start of a text node, any case.
 */
const URL_START = 'https?://|www\\.';
const BARE_URL_START = new RegExp(`${URL_START}|(?:^|[^\\s(])@`, 'i');

function mayHoldBareUrl(node: Nodes): boolean {
  if (node.type === 'text') return BARE_URL_START.test(node.value);
  if ((node.type === 'image' || node.type === 'imageReference') && node.alt && BARE_URL_START.test(node.alt)) return true;
  return 'children' in node && (node.children as Nodes[]).some(mayHoldBareUrl);
}

/**
 * A guess from the source, before any parse: link destinations and tags left out, does the rest
 * hold a start of a bare URL? When it does (a post with "See https://…") the full parse runs at
 * once instead of after a wasted quick one. Only a guess: the quick parse is kept only when its
 * tree passes mayHoldBareUrl.
 */
const likelyBareUrl = (source: string) => BARE_URL_START.test(source.replace(/\]\([^)\s]*|<[^>\n]*>/g, ' '));

/**
 * Every word of the source that holds a start of a bare URL: a run of characters between ASCII
 * spaces, tabs and line breaks, where the transform's addresses end (micromark's end at any Unicode
 * space too: a word with a no-break space in it is not plain, and gets the full parse).
 */
const BARE_URL_WORD = new RegExp(`[^\\t\\n\\r ]*(?:${URL_START}|[^\\s(]@)[^\\t\\n\\r ]*`, 'gi');

/**
 * A word that is one bare URL or e-mail address and nothing else: it starts the word (after a
 * space or a line's start, where micromark's tokens and the tree transform both may start one),
 * its domain is plain labels with at least one dot, it holds no second start, and only characters
 * that begin no other markdown construct (no `*_~[]()<>`, backquote, backslash, `&` or `!`).
 * Inside such a word micromark's token changes nothing else of the parse, and the transform finds
 * the same address in the text node, so the tree is the same.
 */
const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const PLAIN_URL = new RegExp(`^(?:https?://(?:www\\.)?|www\\.)((?:${LABEL}\\.)+${LABEL}(?:[/?#:][a-z0-9./:?=#%+,;-]*|[.,:;]*))$`, 'i');
const PLAIN_EMAIL = new RegExp(`^[a-z0-9.+-]+@(?:${LABEL}\\.)+${LABEL}\\.?$`, 'i');
const ANY_URL_START = new RegExp(URL_START, 'i');
const ANY_START = new RegExp(`${URL_START}|@`, 'i');

function plainUrlWord(word: string): boolean {
  const url = PLAIN_URL.exec(word);
  return url ? !ANY_START.test(url[1]) : PLAIN_EMAIL.test(word) && !ANY_URL_START.test(word);
}

/** The words of the source that hold a start of a bare URL and are not plain, with their places. */
const unplainUrlWords = (source: string) => [...source.matchAll(BARE_URL_WORD)].filter(([word]) => !plainUrlWord(word));

/**
 * The source spans where micromark never reads an autolink literal, because a construct that
 * began before them reads them: raw HTML, code, autolinks (`<https://…>`), definitions, images
 * whose alt text holds no start, and a link's destination and title (after its text).
 */
function literalFreeSpans(source: string, tree: Root): [number, number][] {
  const spans: [number, number][] = [];
  const visit = (node: Nodes): void => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start !== undefined && end !== undefined) {
      if (node.type === 'html' || node.type === 'inlineCode' || node.type === 'code' || node.type === 'definition' || (node.type === 'link' && source[start] === '<')) {
        spans.push([start, end]);
        return;
      }
      if (node.type === 'image' && !BARE_URL_START.test(node.alt ?? '')) spans.push([start, end]);
      if (node.type === 'link') {
        const last = node.children.length === 0 ? start : node.children[node.children.length - 1].position?.end.offset;
        if (last !== undefined) spans.push([last, end]);
      }
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(tree);
  return spans;
}

const BARE_URL_STARTS = new RegExp(BARE_URL_START.source, 'gi');

/**
 * Whether the tree transform alone gives the full parse's tree: every word of the source that
 * holds a start of a bare URL is plain (plainUrlWord), or each start in it (`unplain`) lies inside
 * a construct that began before it (literalFreeSpans of `tree`, parsed without micromark's tokens).
 */
function transformSuffices(unplain: RegExpExecArray[], source: string, tree: Root): boolean {
  if (unplain.length === 0) return true;
  const spans = literalFreeSpans(source, tree);
  for (const word of unplain) {
    for (const start of word[0].matchAll(BARE_URL_STARTS)) {
      const at = word.index + start.index;
      if (!spans.some(([from, to]) => from < at && at < to)) return false;
    }
  }
  return true;
}

/**
 * A guess from the source, before any parse: does a word with a start of a bare URL look neither
 * plain nor inside link syntax, a tag or code? Then the full parse runs at once, instead of after
 * a wasted one with the transform alone (transformSuffices decides).
 */
const likelyNeedsTokens = (unplain: RegExpExecArray[]) => unplain.some(([word]) => !/\]\(|<|`|=["']/.test(word));

/**
 * CommonMark with GFM: parsed without autolink literals when the text holds none; with the tree
 * transform alone when every bare URL is a plain word or inside another construct; else with both
 * halves of the extension (each checked byte for byte against the full parse on fixtures, corpora
 * and generated markdown in markdown-shortcut.test.ts).
 */
function parseCommonmark(source: string, basePath: string, shortcut = true): { processor: ReturnType<typeof createProcessor>; tree: Root; bareUrls: BareUrls } {
  if (shortcut && !likelyBareUrl(source)) {
    const quick = processorFor('commonmark', basePath, JEKYLL_KRAMDOWN, 'none');
    const tree = quick.parse(source);
    if (!mayHoldBareUrl(tree)) return { processor: quick, tree, bareUrls: 'none' };
  }
  const unplain = shortcut ? unplainUrlWords(source) : [];
  if (shortcut && !likelyNeedsTokens(unplain)) {
    const transform = processorFor('commonmark', basePath, JEKYLL_KRAMDOWN, 'transform');
    const tree = transform.parse(source);
    if (transformSuffices(unplain, source, tree)) return { processor: transform, tree, bareUrls: 'transform' };
  }
  const full = processorFor('commonmark', basePath, JEKYLL_KRAMDOWN);
  return { processor: full, tree: full.parse(source), bareUrls: 'both' };
}

/** How a CommonMark body's bare URLs are parsed (for the tests that prove each way gives the full parse's HTML). */
export const bareUrlParse = (markdown: string): BareUrls => parseCommonmark(markdown, '/').bareUrls;

/** CommonMark rendered always with the full GFM parse: what the shortcut in parseCommonmark is tested against. */
export function renderCommonmarkFully(markdown: string, basePath = '/'): RenderedMarkdown {
  const { processor, tree } = parseCommonmark(markdown, basePath, false);
  const done = processor.runSync(tree, { value: markdown }) as Root;
  return { html: String(processor.stringify(done)), firstParagraph: firstParagraphText(done) };
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
  const { source, inside } = flavor === 'kramdown' ? markdownBlocks(urlsWithSpaces(markdown)) : { source: markdown, inside: [] };
  const { processor, tree: parsed } = flavor === 'kramdown' ? { processor: processorFor(flavor, basePath, kramdown), tree: undefined } : parseCommonmark(source, basePath);
  // Text is read after the plugins ran, so kramdown attribute lists are not part of it. The
  // source goes along as the file (kramdown's typography reads what follows a quote in it), and
  // where markdown="1" blocks are (kramdown gives their headers ids by other rules).
  const tree = processor.runSync(parsed ?? processor.parse(source), { value: source, data: { [KRAMDOWN_BLOCKS]: inside } }) as Root;
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
