/**
 * One Jekyll stylesheet compiled the way jekyll-sass-converter does, synchronously: front matter
 * stripped (a `permalink` moves the output), Liquid rendered when the body has any, then Sass
 * (dart-sass) with the site's load paths. Runs in a worker thread (sass-worker.ts) that sass.ts
 * stops when it takes too long or too much memory; everything here is plain data in and out.
 *
 * Every stylesheet it reads, the entry point and each import, is read by its real path and must be
 * a regular file inside the site folder: an import of `../../elsewhere`, an absolute path, or a
 * link out of the site is refused before it is read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Liquid, Tag, type TagToken, type TopLevelToken } from 'liquidjs';
import * as sass from 'sass';
import { FrontMatterError, SiteError } from '../pipeline/errors.js';
import { parseYaml, splitFrontMatter } from '../pipeline/front-matter.js';
import { isInside } from '../util/real-paths.js';
import { isAbsoluteUrl, resolveUrlPath } from '../util/urls.js';

/** What the worker is asked to compile: plain data, so it crosses to the thread as it is. */
export interface SassJob {
  /** The site folder, links resolved. */
  root: string;
  /** The stylesheet, relative to the site folder ("assets/main.scss"). */
  source: string;
  /** Folders searched for imports after the importing file's own, absolute real paths in order. */
  loadPaths: string[];
  style: 'expanded' | 'compressed';
  /** Write a source map beside the CSS, and the comment pointing to it. */
  sourceMap: boolean;
  /** `sass: add_charset`: a stylesheet with non-ASCII text starts with @charset even when compressed. */
  addCharset: boolean;
  /** What Liquid in the stylesheet sees: `site` (the _config.yml values) and `jekyll.environment`. */
  site: Record<string, unknown>;
  environment: string;
}

/** What a compile gave, or the problem (file relative to the site, 1-based line and column). */
export type SassOutcome =
  | { ok: true; outPath: string; css: string; mapOutPath?: string; map?: string; warnings: string[] }
  | { ok: false; problem: SassProblem };

export interface SassProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** The largest stylesheet or partial read; real ones are tens of KB (Bootstrap's largest is 60 KB). */
export const MAX_STYLESHEET_BYTES = 2 * 1024 * 1024;
/** The most CSS one stylesheet may produce: real ones are well under 1 MB (Bootstrap's whole is 280 KB). */
export const MAX_CSS_CHARS = 16 * 1024 * 1024;
/** `@warn` messages passed on per stylesheet; a loop of warnings would otherwise flood the terminal. */
const MAX_WARNINGS = 20;
const BYTE_ORDER_MARK = '\ufeff';
/** Sass's count of deprecation warnings it did not repeat, which comes as an ordinary warning. */
const REPEATED_DEPRECATIONS = /^\d+ repetitive deprecation warnings omitted/;

const posix = (p: string) => p.split(path.sep).join('/');

/** A problem in one of the site's files, which the compile reports as the stylesheet's error. */
class ProblemAt extends Error {
  constructor(readonly problem: SassProblem) {
    super(problem.message);
  }
}

const syntaxOf = (file: string): sass.Syntax => (/\.sass$/i.test(file) ? 'indented' : /\.css$/i.test(file) ? 'css' : 'scss');

/** A file's text, read only if it is a regular file inside the site no larger than the limit; strict UTF-8. */
function readStylesheet(root: string, file: string): string {
  const real = fs.realpathSync(file);
  const shown = posix(path.relative(root, real));
  if (!isInside(root, real)) throw new Error(`${file} is outside the site folder (or reached through a link out of it); recap reads stylesheets only from inside the site`);
  const stat = fs.statSync(real);
  if (!stat.isFile()) throw new Error(`${shown} is not a regular file`);
  if (stat.size > MAX_STYLESHEET_BYTES) throw new Error(`${shown} is ${(stat.size / 1024 / 1024).toFixed(1)} MB; stylesheets are limited to ${MAX_STYLESHEET_BYTES / 1024 / 1024} MB`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(real)).replace(/^\ufeff/, '');
  } catch {
    throw new Error(`${shown} is not UTF-8 text; save it as UTF-8`);
  }
}

const isFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;

/** `dir/name` and its partial `dir/_name`, those that exist. */
function existing(file: string): string[] {
  const partial = path.join(path.dirname(file), `_${path.basename(file)}`);
  return [partial, file].filter(isFile);
}

/** Sass's own lookup: `.sass` and `.scss` before `.css`, each name also as a partial. */
function withExtensions(base: string): string[] {
  const found = [...existing(`${base}.sass`), ...existing(`${base}.scss`)];
  return found.length > 0 ? found : existing(`${base}.css`);
}

function exactlyOne(found: string[]): string | undefined {
  if (found.length > 1) {
    throw new Error(`it is not clear which file to import: ${found.map((file) => path.basename(file)).join(' and ')} both exist beside each other; rename or remove one`);
  }
  return found[0];
}

/**
 * The file a load of `base` (an absolute path without or with an extension) means, by Sass's
 * rules: import-only files (`name.import.scss`) first for @import, then the name with each
 * extension and as a partial, then `base/index`; undefined when there is none.
 */
function resolveStylesheet(base: string, fromImport: boolean): string | undefined {
  const extension = path.extname(base);
  if (['.sass', '.scss', '.css'].includes(extension)) {
    const importOnly = fromImport ? exactlyOne(existing(`${base.slice(0, -extension.length)}.import${extension}`)) : undefined;
    return importOnly ?? exactlyOne(existing(base));
  }
  const direct = (fromImport ? exactlyOne(withExtensions(`${base}.import`)) : undefined) ?? exactlyOne(withExtensions(base));
  if (direct !== undefined || !fs.statSync(base, { throwIfNoEntry: false })?.isDirectory()) return direct;
  return (fromImport ? exactlyOne(withExtensions(path.join(base, 'index.import'))) : undefined) ?? exactlyOne(withExtensions(path.join(base, 'index')));
}

/** Resolves imports next to the importing file, then in the load paths; never outside the site. */
function siteImporter(job: SassJob): sass.Importer<'sync'> {
  const confined = (found: string | undefined, asked: string): URL | null => {
    if (found === undefined) return null;
    const real = fs.realpathSync(found);
    if (!isInside(job.root, real)) {
      throw new Error(`"${asked}" is ${found === real ? found : `${found}, a link to ${real},`} outside the site folder; recap reads stylesheets only from inside the site: copy it into _sass/`);
    }
    return pathToFileURL(real);
  };
  return {
    canonicalize(url, context) {
      // Sass first asks for a load relative to the importing file, as an absolute file: URL.
      if (url.startsWith('file:')) return confined(resolveStylesheet(fileURLToPath(url), context.fromImport), url);
      if (isAbsoluteUrl(url) || url.startsWith('/')) return null;
      const relative = decodeURIComponent(url);
      for (const dir of job.loadPaths) {
        const found = confined(resolveStylesheet(path.resolve(dir, relative), context.fromImport), url);
        if (found) return found;
      }
      return null;
    },
    load(canonicalUrl) {
      const file = fileURLToPath(canonicalUrl);
      // The file's own URL in the source map (Sass would put the whole text in a data: URL).
      return { contents: readStylesheet(job.root, file), syntax: syntaxOf(file), sourceMapUrl: canonicalUrl };
    },
  };
}

/** Where Jekyll writes a stylesheet: beside it as .css, or at its front matter's `permalink`. */
function outputPath(source: string, data: Record<string, unknown>, keyLine: number | undefined): string {
  const permalink = data.permalink;
  if (permalink === undefined || permalink === null || permalink === '') return source.replace(/\.s[ac]ss$/i, '.css');
  const resolved = typeof permalink === 'string' && !permalink.endsWith('/') && !permalink.includes(':') ? resolveUrlPath(permalink) : undefined;
  if (resolved === undefined || typeof resolved === 'string' || resolved.outPath.endsWith('/index.html')) {
    const reason = typeof resolved === 'string' ? ` (it ${resolved})` : '';
    throw new ProblemAt({ file: source, line: keyLine, message: `a stylesheet's permalink must be the path of a file, like /css/site.css${reason}` });
  }
  return resolved.outPath;
}

/**
 * liquidjs's file tags read paths relative to the working folder, or absolute ones: a stylesheet
 * reads files only through Sass, whose imports are checked against the site folder.
 */
class RefusedFileTag extends Tag {
  constructor(token: TagToken, remaining: TopLevelToken[], liquid: Liquid) {
    super(token, remaining, liquid);
    throw new Error(`{% ${token.name} %} is not available in a stylesheet's Liquid; use Sass's @import or @use of a partial in _sass/`);
  }
  render(): string {
    return '';
  }
}

/** Jekyll runs Liquid on a stylesheet with front matter before Sass: `{{ site.brand_color }}`, `{% if jekyll.environment == "production" %}`. */
function renderLiquid(job: SassJob, body: string, bodyLine: number, page: Record<string, unknown>): string {
  if (!body.includes('{{') && !body.includes('{%')) return body;
  const engine = new Liquid({ strictFilters: true, strictVariables: false, timezoneOffset: 0, memoryLimit: 4 * MAX_STYLESHEET_BYTES, parseLimit: 4 * MAX_STYLESHEET_BYTES });
  for (const name of ['include', 'include_relative', 'render', 'layout']) engine.registerTag(name, RefusedFileTag);
  const baseurl = String(job.site.baseurl ?? '').replace(/\/+$/, '');
  const relative = (value: unknown) => {
    const text = String(value ?? '');
    return isAbsoluteUrl(text) ? text : baseurl + (text.startsWith('/') ? text : '/' + text);
  };
  engine.registerFilter('relative_url', relative);
  engine.registerFilter('absolute_url', (value: unknown) => {
    const text = relative(value);
    return text.startsWith('/') ? String(job.site.url ?? '').replace(/\/+$/, '') + text : text;
  });
  try {
    return engine.parseAndRenderSync(body, { site: job.site, jekyll: { environment: job.environment }, page });
  } catch (error) {
    const token = (error as { token?: { getPosition?: () => [number, number] } }).token;
    const [line, column] = token?.getPosition?.() ?? [];
    const message = error instanceof Error ? error.message.split('\n')[0].replace(/, line:\d+, col:\d+$/, '') : String(error);
    throw new ProblemAt({ file: job.source, line: line === undefined ? bodyLine : bodyLine + line - 1, column, message: `Liquid: ${message}` });
  }
}

/** The stylesheet's text and front matter, as Jekyll splits them. */
function readEntry(job: SassJob): { body: string; bodyLine: number; data: Record<string, unknown>; permalinkLine?: number; realFile: string } {
  const full = path.join(job.root, job.source);
  let text: string;
  try {
    text = readStylesheet(job.root, full);
  } catch (error) {
    throw new ProblemAt({ file: job.source, message: (error as Error).message });
  }
  const realFile = fs.realpathSync(full);
  if (!text.startsWith('---')) return { body: text, bodyLine: 1, data: {}, realFile };
  try {
    const file = { path: job.source, text };
    const split = splitFrontMatter(file);
    const permalinkLine = split.matter.split('\n').findIndex((line) => line.startsWith('permalink:'));
    return { body: split.body, bodyLine: split.bodyLine, data: parseYaml(file, split), permalinkLine: permalinkLine === -1 ? undefined : permalinkLine + 2, realFile };
  } catch (error) {
    if (error instanceof FrontMatterError) throw new ProblemAt({ file: error.file, line: error.line, column: error.column, message: error.message });
    throw error;
  }
}

/** A Sass span's file relative to the site, and its 1-based line in that file as it is on disk. */
function placeOf(job: SassJob, realFile: string, bodyLine: number, span: sass.SourceSpan | undefined): Omit<SassProblem, 'message'> {
  if (!span?.url || span.url.protocol !== 'file:') return { file: job.source };
  const file = fileURLToPath(span.url);
  // The entry point was compiled without its front matter: its lines start at the body's.
  const offset = file === realFile ? bodyLine - 1 : 0;
  return { file: posix(path.relative(job.root, file)), line: span.start.line + 1 + offset, column: span.start.column + 1 };
}

/**
 * Where a `@warn` is, from the first line of Sass's stack trace ("_sass/_w.scss 2:1  @import"),
 * since Sass gives @warn no span: its file as Sass shows it (relative to the current folder).
 */
function placeOfStack(job: SassJob, realFile: string, bodyLine: number, stack: string | undefined): Omit<SassProblem, 'message'> {
  const top = /^(.+?) (\d+):(\d+) /.exec(stack ?? '');
  if (!top) return { file: job.source };
  const file = path.resolve(top[1]);
  if (!isInside(job.root, file)) return { file: job.source };
  return { file: posix(path.relative(job.root, file)), line: Number(top[2]) + (file === realFile ? bodyLine - 1 : 0) };
}

/** What to do about Sass's messages that need it said. */
function advice(job: SassJob, message: string): string {
  if (/^Can't find stylesheet to import/.test(message)) {
    const folders = job.loadPaths.map((dir) => posix(path.relative(job.root, dir)) + '/').join(', ');
    return (
      `${message.replace(/\.$/, '')}: recap looks beside the importing file and in ${folders || 'the site folder'} (sass: sass_dir and load_paths in _config.yml); ` +
      "a theme's stylesheets (theme:, remote_theme:) are not installed by recap: copy the theme's _sass/ folder into the site"
    );
  }
  return message;
}

/** The source map with its sources relative to the map's own folder, as browsers resolve them. */
function mapText(map: NonNullable<sass.CompileResult['sourceMap']>, root: string, outPath: string): string {
  const outFolder = path.posix.dirname(outPath);
  const sources = map.sources.map((source) => {
    if (!source.startsWith('file:')) return source;
    return path.posix.relative(outFolder, posix(path.relative(root, fileURLToPath(source))));
  });
  return JSON.stringify({ ...map, file: path.posix.basename(outPath), sources }, null, 2);
}

/** Compiles one stylesheet; any problem in it or a file it imports comes back as data, never thrown. */
export function compileSassJob(job: SassJob): SassOutcome {
  try {
    return compile(job);
  } catch (error) {
    if (error instanceof ProblemAt) return { ok: false, problem: error.problem };
    if (error instanceof SiteError) return { ok: false, problem: { file: error.file, line: error.line, column: error.column, message: error.message } };
    throw error;
  }
}

function compile(job: SassJob): SassOutcome {
  const entry = readEntry(job);
  const outPath = outputPath(job.source, entry.data, entry.permalinkLine);
  const body = renderLiquid(job, entry.body, entry.bodyLine, { ...entry.data, path: job.source });
  const warnings: string[] = [];
  const logger: sass.Logger = {
    warn(message, options) {
      // Deprecations (every @import and darken() in a Jekyll theme) are Sass's business, not the author's.
      if (options.deprecation || REPEATED_DEPRECATIONS.test(message) || warnings.length >= MAX_WARNINGS) return;
      const at = options.span ? placeOf(job, entry.realFile, entry.bodyLine, options.span) : placeOfStack(job, entry.realFile, entry.bodyLine, options.stack);
      warnings.push(`${at.file}${at.line === undefined ? '' : `:${at.line}`}: @warn ${message}`);
    },
    debug() {},
  };
  // One importer for both kinds of load: relative ones (as file: URLs) and load-path ones (as written).
  const importer = siteImporter(job);
  let result: sass.CompileResult;
  try {
    result = sass.compileString(body, {
      syntax: syntaxOf(job.source),
      url: pathToFileURL(entry.realFile),
      importer,
      importers: [importer],
      style: job.style,
      sourceMap: job.sourceMap,
      sourceMapIncludeSources: true,
      charset: true,
      logger,
    });
  } catch (error) {
    if (!(error instanceof sass.Exception)) throw error;
    throw new ProblemAt({ ...placeOf(job, entry.realFile, entry.bodyLine, error.span), message: advice(job, error.sassMessage) });
  }
  if (result.css.length > MAX_CSS_CHARS) {
    throw new ProblemAt({ file: job.source, message: `writes ${(result.css.length / 1024 / 1024).toFixed(0)} MB of CSS, over the ${MAX_CSS_CHARS / 1024 / 1024} MB recap allows; a loop that writes a rule per step over a large range does this: shorten it` });
  }
  // As jekyll-sass-converter: a compressed stylesheet's byte order mark becomes @charset only when asked for.
  let css = result.css.startsWith(BYTE_ORDER_MARK) ? (job.addCharset ? '@charset "UTF-8";' : '') + result.css.slice(1) : result.css;
  if (!job.sourceMap || !result.sourceMap) return { ok: true, outPath, css: css + '\n', warnings };
  const mapOutPath = `${outPath}.map`;
  css += `\n\n/*# sourceMappingURL=${encodeURIComponent(path.posix.basename(mapOutPath))} */\n`;
  return { ok: true, outPath, css, mapOutPath, map: mapText(result.sourceMap, job.root, outPath), warnings };
}
