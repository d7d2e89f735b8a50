import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkHtml from 'remark-html';
import { markdownInHtml, remarkKramdown, urlsWithSpaces } from '../jekyll/kramdown.js';

/**
 * One processor, configured once and frozen. `sanitize: false` because remark-html's default
 * drops every raw HTML block (video embeds included); post bodies are written by the site's own authors.
 */
const commonmarkProcessor = remark().use(remarkGfm).use(remarkHtml, { sanitize: false }).freeze();

/** Jekyll sites' posts were written for kramdown: the same, plus its attribute lists, header ids and {:toc}. */
const kramdownProcessor = remark().use(remarkGfm).use(remarkKramdown).use(remarkHtml, { sanitize: false }).freeze();

export interface RenderedMarkdown {
  html: string;
  /** The first paragraph with text, as plain text (images left out), or "". */
  firstParagraph: string;
}

export type MarkdownFlavor = 'commonmark' | 'kramdown';

export function renderMarkdown(markdown: string, flavor: MarkdownFlavor = 'commonmark'): RenderedMarkdown {
  const processor = flavor === 'kramdown' ? kramdownProcessor : commonmarkProcessor;
  const source = flavor === 'kramdown' ? urlsWithSpaces(markdownInHtml(markdown)) : markdown;
  const tree = processor.parse(source) as Root;
  const first = tree.children.find((node) => node.type === 'paragraph' && toString(node, { includeImageAlt: false }).trim() !== '');
  const firstParagraph = first ? toString(first, { includeImageAlt: false }).replace(/\s+/g, ' ').trim() : '';
  const html = String(processor.stringify(processor.runSync(tree) as Root));
  return { html, firstParagraph };
}

/** Cuts text to at most `limit` characters at a word boundary, marking the cut with "…". */
export function cutAtWord(text: string, limit = 200): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return (space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '') + '…';
}

const URL_ATTRIBUTE = /(\s(?:href|src|poster|action)=)(["'])(.*?)\2/gi;
const SRCSET_ATTRIBUTE = /(\ssrcset=)(["'])(.*?)\2/gi;

/** Rewrites every URL in href/src/poster/srcset attributes of an HTML string. */
export function mapUrls(html: string, map: (url: string) => string): string {
  return html
    .replace(URL_ATTRIBUTE, (_m, name: string, quote: string, url: string) => `${name}${quote}${map(url)}${quote}`)
    .replace(SRCSET_ATTRIBUTE, (_m, name: string, quote: string, list: string) => {
      const mapped = list
        .split(',')
        .map((item) => item.trim().replace(/^\S+/, (url) => map(url)))
        .join(', ');
      return `${name}${quote}${mapped}${quote}`;
    });
}

/**
 * Site-root links in a body (`/images/x.jpg`, `/2019/03/06/slug/`) get the base path, so a site
 * moves into a subfolder without editing posts; links that already carry it are left alone.
 */
export function withBasePathLinks(html: string, basePath: string): string {
  if (basePath === '/') return html;
  return mapUrls(html, (url) => (url.startsWith('/') && !url.startsWith('//') && !(url + '/').startsWith(basePath) ? basePath + url.slice(1) : url));
}

/** The markdown a post still needs rendered: the body, and for a Jekyll excerpt_separator the part before it. */
export interface MarkdownWork {
  body: string;
  flavor: MarkdownFlavor;
  beforeSeparator?: string;
}

export interface RenderedBody {
  main: RenderedMarkdown;
  beforeSeparator?: RenderedMarkdown;
}

/** Renders the markdown a post needs: a pure function of the work, so it can run in a worker or be cached. */
export function renderWork(work: MarkdownWork): RenderedBody {
  return {
    main: renderMarkdown(work.body, work.flavor),
    beforeSeparator: work.beforeSeparator === undefined ? undefined : renderMarkdown(work.beforeSeparator, work.flavor),
  };
}
