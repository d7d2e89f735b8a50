/**
 * The `tagSlugs:` setting of recap.config.yml: a tag's name → the slug its URL gets, for a tag
 * recap cannot make one for (`🎉`), tags that would share one (`C++` and `C#` both give `c`), or a
 * slug chosen by hand. Each wrong entry is an error at its own line; every one is named at once.
 */
import { ConfigError, type SiteError } from './errors.js';
import { foldTagName, namedSlugReason, noTagSlugs, type TagSlugs } from '../util/slugs.js';
import { shown } from '../util/urls.js';

const EXAMPLE = 'tagSlugs: {"C#": c-sharp}';

/**
 * `tagSlugs:` as written in `file` (`value`, at `line`): entries by folded tag name. `lineOf`
 * gives an entry's own line (block mappings); problems go into `errors`, and the entry is left out.
 */
export function readTagSlugs(file: string, value: unknown, line: number | undefined, lineOf: (tag: string) => number | undefined, errors: SiteError[]): TagSlugs {
  const slugs = noTagSlugs();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(new ConfigError(file, `"tagSlugs" must be a mapping of tag names to slugs, like ${EXAMPLE}`, { line }));
    return slugs;
  }
  const byTag = new Map<string, { tag: string; line?: number }>();
  const bySlug = new Map<string, { tag: string; line?: number }>();
  for (const [tag, written] of Object.entries(value as Record<string, unknown>)) {
    const at = { line: lineOf(tag) ?? line };
    const fail = (message: string) => errors.push(new ConfigError(file, `"tagSlugs" ${message}`, at));
    if (tag.trim() === '') {
      fail('has an entry with no tag name; write the tag as its posts write it');
      continue;
    }
    const key = foldTagName(tag);
    const same = byTag.get(key);
    if (same) {
      fail(`names the tag ${shown(tag)} twice: as ${shown(same.tag)}${same.line === undefined ? '' : ` on line ${same.line}`} too (case and accents written apart are one tag); keep one`);
      continue;
    }
    byTag.set(key, { tag, line: at.line });
    if (typeof written !== 'string' && typeof written !== 'number') {
      fail(`gives the tag ${shown(tag)} no slug; write one after the colon, like ${EXAMPLE}`);
      continue;
    }
    const slug = String(written).trim().normalize('NFC');
    const reason = namedSlugReason(slug);
    if (reason) {
      fail(`gives the tag ${shown(tag)} the slug ${shown(slug)}, which ${reason}`);
      continue;
    }
    const other = bySlug.get(slug);
    if (other) {
      fail(`gives the tags ${shown(other.tag)}${other.line === undefined ? '' : ` (line ${other.line})`} and ${shown(tag)} one slug, ${shown(slug)}; give each its own`);
      continue;
    }
    bySlug.set(slug, { tag, line: at.line });
    slugs[key] = { tag, slug, line: at.line };
  }
  return slugs;
}
