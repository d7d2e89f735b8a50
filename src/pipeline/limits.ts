/**
 * How much work and output one file may cause. Builds run unattended on posts from several
 * people: a post or a template that would run for minutes or fill the memory is an error naming
 * it instead. The limits are far above what a real post needs (a few milliseconds, a few KB).
 */

/** How long reading one post (its front matter and body template) or rendering one page may take. */
export const TEMPLATE_TIME_LIMIT_MS = 5000;

/** liquidjs's own time limit for a Jekyll body: half the post's, so that liquidjs stops first and names the line. */
export const LIQUID_TIME_LIMIT_MS = TEMPLATE_TIME_LIMIT_MS / 2;

/** The most characters a post's body template may produce. */
export const BODY_OUTPUT_LIMIT = 16 * 1024 * 1024;

/** The most characters a layout may produce for one page. */
export const PAGE_OUTPUT_LIMIT = 64 * 1024 * 1024;

/** The most numbers `range()` may give in a template (a list of them is made at once). */
export const RANGE_LIMIT = 100_000;

/** The longest text a template may print (escaped) at once, or hand to a filter. */
export const VALUE_LIMIT = 16 * 1024 * 1024;
