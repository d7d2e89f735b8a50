/**
 * The `t` filter and function templates print the theme's words with (`{{ 'older' | t }}`,
 * `{{ 'taggedTitle' | t({tag: tag.name}) }}`), in the language of the page being rendered, and
 * `ogLocale` (fr → fr_FR). A table's text is text: it is escaped like any value, so a translation
 * can never put markup into a page; a value is escaped too, unless the template marked it safe
 * (a link it built itself, for a string like "{home} or {tags}").
 */
import nunjucks from 'nunjucks';
import { escapeHtml } from '../util/escape.js';
import { openGraphLocale, readLanguageTag } from '../i18n/languages.js';
import { findMessage, formatMessage, type Writer } from '../i18n/translate.js';
import type { SiteConfig } from '../pipeline/types.js';

/** What nunjucks calls a filter or global function with as `this`: the render's context. */
interface TemplateContext {
  ctx?: Record<string, unknown>;
}

const HTML: Writer = {
  text: escapeHtml,
  value: (value) => (value instanceof nunjucks.runtime.SafeString ? value.toString() : escapeHtml(String(value ?? ''))),
};

export function addTranslationFilters(env: nunjucks.Environment, config: SiteConfig): void {
  /** The page's language (render.ts gives every page `language`), else the site's. */
  const languageOf = (context: TemplateContext | undefined): string => {
    const language = context?.ctx?.language;
    if (typeof language !== 'string' || language === config.language) return config.language;
    const reading = readLanguageTag(language);
    return 'tag' in reading ? reading.tag : config.language;
  };
  function t(this: TemplateContext | undefined, key: unknown, values?: unknown): nunjucks.runtime.SafeString {
    const language = languageOf(this);
    const found = typeof key === 'string' ? findMessage(config.i18n, language, key) : undefined;
    if (!found) {
      throw new Error(`t: no theme string ${JSON.stringify(key)} in ${language} or English; add it to i18n/${language}.yml, or use a key of recap's templates/i18n/en.yml`);
    }
    const given = values !== null && typeof values === 'object' && !Array.isArray(values) ? (values as Record<string, unknown>) : {};
    return new nunjucks.runtime.SafeString(formatMessage(found, given, HTML));
  }
  env.addFilter('t', t);
  env.addGlobal('t', t);
  // A list of names joined as the page's language joins them ("Ana and Bo", "Ana et Bo", "AnaとBo"): each item escaped, unless marked safe (a link the template built).
  env.addFilter('listJoin', function (this: TemplateContext | undefined, items: unknown) {
    const pieces = Array.isArray(items) ? items.map((item) => HTML.value(item)) : [];
    const parts = new Intl.ListFormat(languageOf(this), { type: 'conjunction' }).formatToParts(pieces.map((_, i) => String(i)));
    return new nunjucks.runtime.SafeString(parts.map((part) => (part.type === 'element' ? pieces[Number(part.value)] : escapeHtml(part.value))).join(''));
  });
  env.addFilter('ogLocale', (value: unknown) => {
    const reading = readLanguageTag(String(value ?? ''));
    return 'tag' in reading ? openGraphLocale(reading.tag) : '';
  });
}
