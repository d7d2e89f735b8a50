/** A built page as the init and install tests read it: parsed by htmlparser2, never by patterns. */
import fs from 'node:fs';
import { DomUtils, parseDocument } from 'htmlparser2';

export interface PageFacts {
  /** The text of <title>. */
  title: string;
  /** The site title the theme's header shows (its link's text). */
  headerTitle: string;
  /** <link rel="canonical">'s href. */
  canonical: string | undefined;
  /** <meta property=…>'s content, by property. */
  meta: Map<string, string>;
  /** Every href and src of links, stylesheets, scripts and images. */
  references: string[];
}

export function readPage(file: string): PageFacts {
  const document = parseDocument(fs.readFileSync(file, 'utf8'));
  const all = DomUtils.findAll(() => true, document.children);
  const title = all.find((element) => element.name === 'title');
  const header = all.find((element) => element.name === 'a' && element.attribs.class === 'site-title');
  const meta = new Map<string, string>();
  for (const element of all) {
    if (element.name === 'meta' && element.attribs.property !== undefined) meta.set(element.attribs.property, element.attribs.content ?? '');
  }
  const references = all.flatMap((element) => ['href', 'src'].map((name) => element.attribs[name]).filter((value): value is string => value !== undefined));
  return {
    title: title ? DomUtils.textContent(title) : '',
    headerTitle: header ? DomUtils.textContent(header) : '',
    canonical: all.find((element) => element.name === 'link' && element.attribs.rel === 'canonical')?.attribs.href,
    meta,
    references,
  };
}
