/**
 * Filters a Jekyll site's Liquid uses that recap does not know. As Jekyll (strict_filters: false)
 * does, such a filter prints its input unchanged; recap also says so once per filter, naming the
 * files, since a plugin recap does not run may have defined it. Kept apart from liquid.ts so that
 * the build can gather these warnings without loading the Liquid engine.
 */

/** The render variable holding the Set of unknown filter names a render met (see liquid.ts). */
export const UNKNOWN_FILTERS_KEY = '__recapUnknownFilters';

/** One warning per unknown filter, naming every file that used it. */
export function unknownFilterWarnings(uses: Iterable<{ file: string; filters: readonly string[] }>): string[] {
  const filesByFilter = new Map<string, string[]>();
  for (const { file, filters } of uses) {
    for (const name of filters) {
      const files = filesByFilter.get(name) ?? [];
      if (!files.includes(file)) files.push(file);
      filesByFilter.set(name, files);
    }
  }
  return [...filesByFilter].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(
    ([name, files]) => `unknown Liquid filter "${name}" in ${files.join(', ')}: it prints its input unchanged, as Jekyll does; a Jekyll plugin recap does not run may define it`,
  );
}
