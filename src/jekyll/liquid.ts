import path from 'node:path';
import { Liquid, Tag, type Context, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import { BODY_OUTPUT_LIMIT, LIQUID_TIME_LIMIT_MS } from '../pipeline/limits.js';
import { referenceMarker, REFERENCES_KEY, type Reference } from './references.js';
import { formatDate, toDate } from '../util/dates.js';
import { escapeHtml } from '../util/escape.js';
import { isAbsoluteUrl } from '../util/urls.js';
import { jekyllSlugify } from './config.js';
import type { SiteConfig } from '../pipeline/types.js';



/**
 * The Liquid engine for Jekyll sites' post bodies (recap's own sites use Nunjucks): Jekyll's
 * include (from _includes/, with parameters), post_url, link and highlight tags, and its filters.
 * Unknown tags and filters are errors. post_url/link uses are collected in the render's
 * REFERENCES_KEY variable, an array the caller passes in.
 */
export function createLiquidEngine(config: SiteConfig): Liquid {
  const engine = new Liquid({
    root: [path.join(config.root, '_includes')],
    extname: '',
    dynamicPartials: false,
    jekyllInclude: true,
    strictFilters: true,
    strictVariables: false,
    timezoneOffset: 0,
    cache: true,
    // liquidjs's own limits, per render: time, and characters and list items made by filters and tags.
    renderLimit: LIQUID_TIME_LIMIT_MS,
    memoryLimit: 4 * BODY_OUTPUT_LIMIT,
    parseLimit: 4 * BODY_OUTPUT_LIMIT,
  });
  const baseurl = config.basePath.replace(/\/$/, '');
  const relative = (value: unknown) => {
    const text = String(value ?? '');
    if (isAbsoluteUrl(text)) return text;
    return baseurl + (text.startsWith('/') ? text : '/' + text);
  };
  engine.registerFilter('relative_url', relative);
  engine.registerFilter('absolute_url', (value: unknown) => {
    const text = relative(value);
    return text.startsWith('/') ? config.url + text : text;
  });
  engine.registerFilter('date_to_string', (value: unknown) => (toDate(value) ? formatDate(toDate(value)!, '%d %b %Y') : ''));
  engine.registerFilter('date_to_long_string', (value: unknown) => (toDate(value) ? formatDate(toDate(value)!, '%d %B %Y') : ''));
  engine.registerFilter('date_to_xmlschema', (value: unknown) => toDate(value)?.toISOString().replace('.000Z', '+00:00') ?? '');
  engine.registerFilter('xml_escape', (value: unknown) => (value === undefined || value === null ? '' : escapeHtml(String(value))));
  engine.registerFilter('cgi_escape', (value: unknown) => encodeURIComponent(String(value ?? '')).replace(/%20/g, '+'));
  engine.registerFilter('uri_escape', (value: unknown) => encodeURI(String(value ?? '')));
  engine.registerFilter('slugify', (value: unknown, mode?: unknown) => jekyllSlugify(String(value ?? ''), mode === 'pretty' ? 'pretty' : 'default'));
  engine.registerFilter('jsonify', (value: unknown) => JSON.stringify(value ?? null));
  engine.registerFilter('number_of_words', (value: unknown) => String(value ?? '').split(/\s+/).filter(Boolean).length);

  const referenceTag = (kind: Reference['kind']) =>
    class ReferenceTag extends Tag {
      private readonly target: string;
      private readonly line: number;
      constructor(token: TagToken, remaining: TopLevelToken[], liquid: Liquid) {
        super(token, remaining, liquid);
        this.target = token.args.trim();
        this.line = token.getPosition()[0];
      }
      render(context: Context): string {
        // Only this variable is read: reading them all (getAll) would read every getter of the scope.
        const list = context.getSync([REFERENCES_KEY]);
        if (!Array.isArray(list)) throw new Error(`{% ${kind} %} is not available here`);
        list.push({ kind, target: this.target, line: this.line });
        return referenceMarker(list.length - 1);
      }
    };
  engine.registerTag('post_url', referenceTag('post_url'));
  engine.registerTag('link', referenceTag('link'));

  class HighlightTag extends Tag {
    private readonly language: string;
    private readonly body: Template[];
    constructor(token: TagToken, remaining: TopLevelToken[], liquid: Liquid) {
      super(token, remaining, liquid);
      this.language = (token.args.trim().split(/\s+/)[0] ?? '').replace(/[^\w+#-]/g, '');
      const parts: string[] = [];
      for (let next = remaining.shift(); next; next = remaining.shift()) {
        if ((next as TagToken).name === 'endhighlight') {
          this.body = engine.parse(parts.join('').replace(/^\n/, '').replace(/\n$/, ''));
          return;
        }
        parts.push(next.getText());
      }
      throw new Error(`{% highlight ${this.language} %} is never closed with {% endhighlight %}`);
    }
    render(context: Context): string {
      // Jekyll renders Liquid inside highlight blocks too; in the same context, so within the same limits.
      const code = String(engine.renderSync(this.body, context));
      return `<pre><code${this.language ? ` class="language-${this.language}"` : ''}>${escapeHtml(code)}</code></pre>\n`;
    }
  }
  engine.registerTag('highlight', HighlightTag);
  return engine;
}

