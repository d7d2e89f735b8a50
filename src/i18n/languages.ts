/**
 * Language tags (BCP 47), as the config's `language` and a post's own `language` give them: read
 * into their canonical form, and what follows from one: the direction its script is written in,
 * OpenGraph's locale, and which translation tables stand for it.
 */
import { shown } from '../util/urls.js';

/** Why a value is no language tag, or its canonical form (`pt-br` → `pt-BR`, `EN` → `en`). */
export function readLanguageTag(value: string): { tag: string } | { problem: string } {
  const written = value.trim();
  const example = 'write a language tag like en, fr, pt-BR or zh-Hant';
  if (written === '') return { problem: `is empty; ${example}` };
  let canonical: string[];
  try {
    canonical = Intl.getCanonicalLocales(written);
  } catch {
    // Jekyll sites and OpenGraph write locales with "_" (en_US): the tag is the same with "-".
    const hint = written.includes('_') ? ` (did you mean ${shown(written.replace(/_/g, '-'))}?)` : '';
    return { problem: `${shown(written)} is not a BCP 47 language tag${hint}; ${example}` };
  }
  // BCP 47 allows a language subtag of 5 to 8 letters, but none is registered: "English" or "french" is a name, not a code.
  const language = new Intl.Locale(canonical[0]).language;
  if (!/^[a-z]{2,3}$/.test(language)) return { problem: `${shown(written)} is not a language tag: a language's code is 2 or 3 letters; ${example}` };
  return { tag: canonical[0] };
}

/** Scripts written right to left (ISO 15924): Arabic (ar, fa, ur, ps…), Hebrew (he, yi), Syriac, Thaana (dv), N'Ko, Adlam, Hanifi Rohingya, Mandaic, Samaritan, Yezidi. */
const RIGHT_TO_LEFT_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Yezi']);

/** The likely full form of a canonical tag: `fa` → fa-Arab-IR, `zh-TW` → zh-Hant-TW, `az-Latn` stays Latin. */
function maximized(tag: string): Intl.Locale {
  return new Intl.Locale(tag).maximize();
}

/** The direction text in this language runs: by its script, as written or as the language is usually written. */
export function textDirection(tag: string): 'rtl' | 'ltr' {
  const script = maximized(tag).script;
  return script !== undefined && RIGHT_TO_LEFT_SCRIPTS.has(script) ? 'rtl' : 'ltr';
}

/** OpenGraph's `og:locale` (language_TERRITORY): `fr` → fr_FR, `pt` → pt_BR, `zh-Hant` → zh_TW, `en-GB` → en_GB. */
export function openGraphLocale(tag: string): string {
  const full = maximized(tag);
  return full.region ? `${full.language}_${full.region}` : full.language;
}

/**
 * The tables that may hold a language's strings, most specific first: the tag itself, its
 * language with its script, its language alone. `zh-TW` → zh-TW, zh-Hant, zh; `pt-BR` → pt-BR,
 * pt-Latn, pt; `en` → en, en-Latn. English is the last resort, after every one of them.
 */
export function tableChain(tag: string): string[] {
  const full = maximized(tag);
  const chain = [tag, full.script ? `${full.language}-${full.script}` : '', full.language];
  return chain.filter((entry, index) => entry !== '' && chain.indexOf(entry) === index);
}
