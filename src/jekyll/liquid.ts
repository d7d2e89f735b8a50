import fs from 'node:fs';
import path from 'node:path';
import { defaultOperators, Hash, Liquid, Tag, toValue, type Context, type FilterImplOptions, type Operators, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import { isInside, realPath } from '../util/real-paths.js';
import { BODY_OUTPUT_LIMIT, LIQUID_TIME_LIMIT_MS } from '../pipeline/limits.js';
import { referenceMarker, REFERENCES_KEY, type Reference } from './references.js';
import { escapeHtml } from '../util/escape.js';
import type { SiteConfig } from '../pipeline/types.js';
import { registerJekyllFilters } from './filters.js';
import { UNKNOWN_FILTERS_KEY } from './liquid-warnings.js';
import { registerPluginTags } from './plugin-tags.js';
import { isPlainObject, liquidText } from './ruby.js';
import { laxLiquid } from './lax-liquid.js';

/**
 * The Liquid engine for Jekyll sites' bodies and layouts (recap's own sites use Nunjucks), set up
 * as Jekyll sets up Ruby's Liquid: Jekyll's filters (filters.ts) over the standard ones, values
 * printed as Ruby prints them (ruby.ts), include with parameters from _includes/ and
 * include_relative, post_url, link, highlight, and the plugin tags seo and feed_meta
 * (plugin-tags.ts). As Jekyll's default strict_filters: false, an unknown filter passes its input
 * through; it is noted in the render's UNKNOWN_FILTERS_KEY variable (a Set the caller passes in),
 * for one warning per filter. post_url/link uses are collected in the render's REFERENCES_KEY
 * variable, an array the caller passes in.
 */
export function createLiquidEngine(config: SiteConfig): Liquid {
  const engine = new Liquid({
    root: [path.join(config.root, '_includes')],
    extname: '',
    dynamicPartials: false,
    jekyllInclude: true,
    strictFilters: false,
    strictVariables: false,
    timezoneOffset: 0,
    cache: true,
    // Every {{ }} prints as Ruby's Liquid prints the value: hashes inspected, times as Time#to_s.
    outputEscape: (value: unknown) => liquidText(toValue(value)),
    operators: RUBY_OPERATORS,
    // liquidjs's own limits, per render: time, and characters and list items made by filters and tags.
    renderLimit: LIQUID_TIME_LIMIT_MS,
    memoryLimit: 4 * BODY_OUTPUT_LIMIT,
    parseLimit: 4 * BODY_OUTPUT_LIMIT,
  });
  registerJekyllFilters(engine, config);
  registerPluginTags(engine, config);
  passUnknownFiltersThrough(engine);
  parseLaxly(engine);
  engine.registerTag('include_relative', includeRelativeTag(engine, config));

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
      // As Jekyll writes it for Rouge (without Rouge's colouring spans), so themes' .highlight CSS applies.
      const language = this.language ? ` class="language-${this.language}" data-lang="${this.language}"` : '';
      return `<figure class="highlight"><pre><code${language}>${escapeHtml(code)}</code></pre></figure>\n`;
    }
  }
  engine.registerTag('highlight', HighlightTag);
  return engine;
}

/**
 * liquidjs looks a filter up by name in `engine.filters` (an object without a prototype) while it
 * parses a template. Giving that object a prototype that answers every other name makes unknown
 * filters print their input unchanged, noting their names in the render's UNKNOWN_FILTERS_KEY Set.
 */
function passUnknownFiltersThrough(engine: Liquid): void {
  const made = new Map<string, FilterImplOptions>();
  const unknownFilter = (name: string): FilterImplOptions =>
    function (this: { context: Context }, input: unknown) {
      const seen = this.context.getSync([UNKNOWN_FILTERS_KEY]);
      if (seen instanceof Set) seen.add(name);
      return input;
    };
  const fallback = new Proxy(Object.create(null) as Record<string, FilterImplOptions>, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      let filter = made.get(name);
      if (!filter) made.set(name, (filter = unknownFilter(name)));
      return filter;
    },
  });
  Object.setPrototypeOf(engine.filters, fallback);
}

/** Ruby Liquid's operators where liquidjs's differ: `contains` on a hash asks for a key; two times are equal at the same instant. */
const RUBY_OPERATORS: Operators = {
  ...defaultOperators,
  '==': (left: unknown, right: unknown, context: Context) => {
    const [a, b]: unknown[] = [toValue(left), toValue(right)];
    if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
    return defaultOperators['=='](left, right, context);
  },
  '!=': (left: unknown, right: unknown, context: Context) => {
    const [a, b]: unknown[] = [toValue(left), toValue(right)];
    if (a instanceof Date && b instanceof Date) return a.getTime() !== b.getTime();
    return defaultOperators['!='](left, right, context);
  },
  contains: (left: unknown, right: unknown, context: Context) => {
    const value: unknown = toValue(left);
    if (isPlainObject(value)) return Object.prototype.hasOwnProperty.call(value, liquidText(toValue(right)));
    return defaultOperators.contains(left, right, context);
  },
};

/** Every template the engine reads (a body, a layout, an include) is read laxly. */
function parseLaxly(engine: Liquid): void {
  const parse = engine.parse.bind(engine);
  engine.parse = (html: string, filepath?: string) => parse(laxLiquid(html), filepath);
  const files = engine.options.fs;
  Object.assign(engine.options, {
    fs: { ...files, readFileSync: (file: string) => laxLiquid(files.readFileSync(file)), readFile: async (file: string) => laxLiquid(await files.readFile(file)) },
  });
}

/**
 * Jekyll's include_relative: a file beside the page (by page.path), with parameters as include
 * has them. Paths with `..` and files outside the site (through links too) are refused, as Jekyll does.
 */
function includeRelativeTag(engine: Liquid, config: SiteConfig) {
  const siteRoot = realPath(config.root);
  return class IncludeRelativeTag extends Tag {
    private readonly file: string;
    private readonly parameters: Hash;
    constructor(token: TagToken, remaining: TopLevelToken[], liquid: Liquid) {
      super(token, remaining, liquid);
      const markup = token.args.trim();
      this.file = markup.split(/\s+/)[0] ?? '';
      this.parameters = new Hash(markup.slice(this.file.length), true);
    }
    *render(context: Context): Generator<unknown, string, unknown> {
      const page = context.getSync(['page']);
      const pagePath = isPlainObject(page) && typeof page.path === 'string' ? page.path : '';
      const relative = path.posix.normalize(path.posix.join(path.posix.dirname(pagePath), this.file));
      if (this.file === '' || this.file.split('/').includes('..') || path.posix.isAbsolute(this.file) || relative.startsWith('..')) {
        throw new Error(`{% include_relative ${this.file} %}: the file must be a path beside the page, without ".."`);
      }
      const target = realPath(path.join(config.root, relative));
      if (!isInside(siteRoot, target) || !fs.existsSync(target) || !fs.statSync(target).isFile()) {
        throw new Error(`{% include_relative ${this.file} %}: there is no file ${relative} in the site`);
      }
      const parameters = (yield this.parameters.render(context)) as Record<string, unknown>;
      const templates = engine.parse(fs.readFileSync(target, 'utf8'));
      context.push({ include: parameters });
      try {
        return String(engine.renderSync(templates, context));
      } finally {
        context.pop();
      }
    }
  };
}
