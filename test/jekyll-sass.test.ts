import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compileSassFile, compileSassFiles, sassSettings } from '../src/jekyll/sass.js';
import { loadConfig } from '../src/pipeline/config.js';
import { ConfigError, SassError, type SiteError } from '../src/pipeline/errors.js';
import type { SiteConfig } from '../src/pipeline/types.js';
import { buildErrors, buildInto, jekyllSite, tempDir } from './helpers.js';
import { createRebuilder } from '../src/dev/watch.js';


const configOf = (root: string, environment: 'production' | 'development' = 'production'): SiteConfig =>
  loadConfig(root, { cache: false, outDir: path.join(tempDir(), 'public'), jekyllEnvironment: environment });

/** The SassError (or ConfigError) a compile throws, formatted as the build prints it. */
async function compileError(root: string, source: string, limitMs?: number): Promise<SiteError> {
  try {
    await compileSassFile(configOf(root), source, limitMs);
  } catch (error) {
    if (error instanceof SassError || error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail(`${source} compiled, but an error was expected`);
}

/** The CSS without blank lines and indentation, one rule or declaration a line, for comparisons. */
const rulesOf = (css: string) =>
  css
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

const FRONT = '---\n---\n';

describe('Jekyll stylesheets compile as Jekyll compiles them', () => {
  it('compiles assets/main.scss with partials from _sass/ (nested folders, several per @import) into assets/main.css and its map', async () => {
    const root = jekyllSite('title: M\n', {
      'assets/main.scss': `${FRONT}// gone\n/* kept */\n@import "variables", "base/mixins";\n$w: 800px;\nbody {\n  color: $text;\n  .wrapper { max-width: $w; a { &:hover { color: darken($text, 10%); } } }\n  @include rounded(4px);\n}\n%m { border: 1px solid #ccc; }\n.ok { @extend %m; color: green; }\n@for $i from 1 through 2 { .m-#{$i} { margin: #{$i * 4}px; } }\n`,
      '_sass/_variables.scss': '$text: #111;\n',
      '_sass/base/_mixins.scss': '@mixin rounded($r) {\n  border-radius: $r;\n}\n',
    });
    const out = await compileSassFile(configOf(root), 'assets/main.scss');
    assert.equal(out.outPath, 'assets/main.css');
    assert.equal(out.mapOutPath, 'assets/main.css.map');
    assert.deepEqual(rulesOf(out.css), [
      '/* kept */',
      'body {',
      'color: #111;',
      '}',
      'body .wrapper {',
      'max-width: 800px;',
      '}',
      'body .wrapper a:hover {',
      'color: black;',
      '}',
      'body {',
      'border-radius: 4px;',
      '}',
      '.ok {',
      'border: 1px solid #ccc;',
      '}',
      '.ok {',
      'color: green;',
      '}',
      '.m-1 {',
      'margin: 4px;',
      '}',
      '.m-2 {',
      'margin: 8px;',
      '}',
      '/*# sourceMappingURL=main.css.map */',
    ]);
    const map = JSON.parse(out.map!) as { file: string; sources: string[]; sourcesContent: string[] };
    assert.equal(map.file, 'main.css');
    // Relative to the map's folder, as browsers resolve them; the entry point without its front matter, as Jekyll's.
    assert.deepEqual(map.sources, ['main.scss', '../_sass/_variables.scss', '../_sass/base/_mixins.scss']);
    assert.ok(map.sourcesContent[0].startsWith('// gone\n'));
    assert.deepEqual(out.warnings, []);
  });

  it('finds imports beside the importing file, in sass_dir and load_paths (patterns too), index files and @use namespaces', async () => {
    const root = jekyllSite('sass:\n  sass_dir: styles/partials\n  load_paths: [vendor/*/scss]\n', {
      'css/style.scss': `${FRONT}@use "tokens";\n@import "local";\n@import "grid";\n@import "components";\n.z { color: tokens.$c; }\n`,
      'css/_local.scss': '.local { a: b; }\n',
      'styles/partials/_tokens.scss': '$c: blue;\n',
      'styles/partials/components/_index.scss': '.card { padding: 1em; }\n',
      'vendor/lib/scss/_grid.scss': '.row { display: flex; }\n',
    });
    const out = await compileSassFile(configOf(root), 'css/style.scss');
    assert.equal(out.outPath, 'css/style.css');
    assert.deepEqual(rulesOf(out.css).slice(0, -1), ['.local {', 'a: b;', '}', '.row {', 'display: flex;', '}', '.card {', 'padding: 1em;', '}', '.z {', 'color: blue;', '}']);
  });

  it('inlines a plain CSS partial imported without its extension, as Jekyll does, and keeps one imported with it', async () => {
    const root = jekyllSite('title: M\n', { 'assets/main.scss': `${FRONT}@import "normalize";\n@import "print.css";\n.a { b: c; }\n`, '_sass/normalize.css': 'body{margin:0}\n' });
    assert.deepEqual(rulesOf((await compileSassFile(configOf(root), 'assets/main.scss')).css).slice(0, 7), ['@import "print.css";', 'body {', 'margin: 0;', '}', '.a {', 'b: c;', '}']);
  });

  it('compiles the indented syntax (.sass), keeps plain CSS imports, and compresses with style: compressed and no map with sourcemap: never', async () => {
    const root = jekyllSite('sass:\n  style: :compressed\n  sourcemap: never\n', {
      'assets/ind.sass': `${FRONT}@import url("https://fonts.example/x.css")\n$c: red\n.x\n  color: $c\n  .y\n    margin: 0\n`,
    });
    const out = await compileSassFile(configOf(root), 'assets/ind.sass');
    assert.equal(out.outPath, 'assets/ind.css');
    assert.equal(out.css, '@import"https://fonts.example/x.css";.x{color:red}.x .y{margin:0}\n');
    assert.equal(out.map, undefined);
    assert.equal(out.mapOutPath, undefined);
  });

  it('writes a map with sourcemap: development only in development; @charset for non-ASCII text, and only when asked for once compressed', async () => {
    const files = { 'assets/a.scss': `${FRONT}.a { content: "café"; }\n` };
    const development = jekyllSite('sass:\n  sourcemap: development\n', files);
    assert.equal((await compileSassFile(configOf(development, 'production'), 'assets/a.scss')).map, undefined);
    const developed = await compileSassFile(configOf(development, 'development'), 'assets/a.scss');
    assert.ok(developed.map);
    assert.match(developed.css, /^@charset "UTF-8";\n/);
    const compressed = await compileSassFile(configOf(jekyllSite('sass:\n  style: compressed\n', files)), 'assets/a.scss');
    assert.match(compressed.css, /^\.a\{content:"café"\}/);
    const charset = await compileSassFile(configOf(jekyllSite('sass:\n  style: compressed\n  add_charset: true\n', files)), 'assets/a.scss');
    assert.match(charset.css, /^@charset "UTF-8";\.a\{/);
  });

  it('renders Liquid first, with site (the _config.yml values), jekyll.environment and relative_url', async () => {
    const root = jekyllSite('baseurl: /blog\nbrand: "#336699"\ntheme_opts: {dark: true}\n', {
      'assets/main.scss': `${FRONT}body { background: {{ site.brand }}; }\n{% if site.theme_opts.dark %}.dark { color: white; }{% endif %}\n.env-{{ jekyll.environment }} { x: y; }\n.logo { background: url("{{ '/img/logo.png' | relative_url }}"); }\n`,
    });
    const out = await compileSassFile(configOf(root), 'assets/main.scss');
    assert.deepEqual(rulesOf(out.css).slice(0, 12), ['body {', 'background: #336699;', '}', '.dark {', 'color: white;', '}', '.env-production {', 'x: y;', '}', '.logo {', 'background: url("/blog/img/logo.png");', '}']);
  });

  it('writes a stylesheet with a permalink where it says, and its map beside it', async () => {
    const root = jekyllSite('title: M\n', { 'css/style.scss': '---\npermalink: /styles/site.css\n---\n.a { b: c; }\n' });
    const out = await compileSassFile(configOf(root), 'css/style.scss');
    assert.equal(out.outPath, 'styles/site.css');
    assert.equal(out.mapOutPath, 'styles/site.css.map');
    assert.match(out.css, /sourceMappingURL=site\.css\.map/);
    assert.deepEqual((JSON.parse(out.map!) as { sources: string[] }).sources, ['../css/style.scss']);
  });

  it('passes @warn on, naming its file and line, and says which settings it cannot follow', async () => {
    const root = jekyllSite('sass:\n  style: compact\n', { 'assets/main.scss': `${FRONT}@import "w";\n`, '_sass/_w.scss': '\n@warn "old mixin";\n' });
    const out = await compileSassFile(configOf(root), 'assets/main.scss');
    assert.equal(out.warnings.length, 2);
    assert.match(out.warnings[0], /_config\.yml sass: style compact .*expanded/);
    assert.equal(out.warnings[1], '_sass/_w.scss:2: @warn old mixin');
  });
});

describe('Jekyll stylesheet errors name the file and line', () => {
  it('a syntax error in the stylesheet: its line in the file, front matter counted', async () => {
    const root = jekyllSite('title: M\n', { 'assets/main.scss': '---\ntitle: x\n---\n.a {\n  color: red\n  .b { c: d; }\n}\n' });
    const error = await compileError(root, 'assets/main.scss');
    assert.ok(error instanceof SassError);
    assert.equal(error.file, 'assets/main.scss');
    assert.equal(error.line, 6);
    assert.match(error.format(), /^assets\/main\.scss:6:\d+: \S/);
  });

  it('front matter that is not YAML, or a permalink that is no file: the line of the key', async () => {
    const root = jekyllSite('title: M\n', { 'assets/a.scss': '---\ntitle: [unclosed\n---\n.a { b: c; }\n', 'assets/b.scss': '---\nx: 1\npermalink: /styles/\n---\n.a { b: c; }\n' });
    const yaml = await compileError(root, 'assets/a.scss');
    assert.equal(yaml.file, 'assets/a.scss');
    assert.equal(typeof yaml.line, 'number');
    assert.equal((await compileError(root, 'assets/b.scss')).format(), "assets/b.scss:3: a stylesheet's permalink must be the path of a file, like /css/site.css");
  });

  it('an undefined variable in a partial: the partial and its line', async () => {
    const root = jekyllSite('title: M\n', { 'assets/main.scss': `${FRONT}@import "layout";\n`, '_sass/_layout.scss': '/* layout */\n.h { border: 1px solid $nope; }\n' });
    const error = await compileError(root, 'assets/main.scss');
    assert.equal(error.format(), '_sass/_layout.scss:2:24: Undefined variable.');
  });

  it('an import that is not there: where recap looked, and what to do about a theme', async () => {
    const root = jekyllSite('theme: minima\n', { 'assets/main.scss': `${FRONT}\n@import "minima";\n` });
    const error = await compileError(root, 'assets/main.scss');
    assert.equal(error.file, 'assets/main.scss');
    assert.equal(error.line, 4);
    assert.match(error.message, /Can't find stylesheet to import: recap looks beside the importing file and in _sass\/ .*copy the theme's _sass\/ folder into the site/);
  });

  it('a partial both as _name.scss and name.scss: which ones', async () => {
    const root = jekyllSite('title: M\n', { 'assets/main.scss': `${FRONT}@import "a";\n`, '_sass/_a.scss': '', '_sass/a.scss': '' });
    assert.match((await compileError(root, 'assets/main.scss')).format(), /^assets\/main\.scss:3:9: it is not clear which file to import: _a\.scss and a\.scss/);
  });

  it('Liquid that does not parse, or an unknown filter: the line in the file', async () => {
    const root = jekyllSite('title: M\n', { 'assets/a.scss': `${FRONT}.a {\n  color: {{ site.title | nope }};\n}\n`, 'assets/b.scss': `${FRONT}\n{% if x %}.b { c: d; }\n` });
    const unknown = await compileError(root, 'assets/a.scss');
    assert.equal(unknown.line, 4);
    assert.match(unknown.message, /^Liquid: .*nope/);
    const unclosed = await compileError(root, 'assets/b.scss');
    assert.equal(unclosed.line, 4);
    assert.match(unclosed.message, /^Liquid: .*not closed/);
  });

  it('a loop of a billion steps is stopped at the time limit, naming the stylesheet, in seconds rather than hours', async () => {
    const root = jekyllSite('title: M\n', { 'assets/main.scss': `${FRONT}$n: 0;\n@for $i from 1 through 1000000000 { $n: $n + 1; }\n.a { b: $n; }\n` });
    const started = Date.now();
    const error = await compileError(root, 'assets/main.scss', 3000);
    assert.ok(Date.now() - started < 20_000);
    assert.match(error.format(), /^assets\/main\.scss: took longer than 3 s to compile; an @for, @while or @each loop/);
    // The stopped thread is replaced: the next stylesheet compiles.
    fs.writeFileSync(path.join(root, 'assets/ok.scss'), `${FRONT}.ok { a: b; }\n`);
    assert.match((await compileSassFile(configOf(root), 'assets/ok.scss')).css, /^\.ok \{\n {2}a: b;\n\}/);
  });

  it('a mixin that includes itself without end is an error, not a crash', async () => {
    const root = jekyllSite('title: M\n', { 'assets/main.scss': `${FRONT}@mixin m { @include m; }\n.a { @include m; }\n` });
    const error = await compileError(root, 'assets/main.scss');
    assert.equal(error.file, 'assets/main.scss');
    assert.doesNotMatch(error.message, /bug in recap/);
  });

  it('collects the error of each stylesheet and compiles the rest', async () => {
    const root = jekyllSite('title: M\n', { 'assets/a.scss': `${FRONT}.a { b: $x; }\n`, 'assets/b.scss': `${FRONT}.b { c: d; }\n`, 'css/c.scss': `${FRONT}.c {\n` });
    const errors: SiteError[] = [];
    const compiled = await compileSassFiles(configOf(root), ['assets/a.scss', 'assets/b.scss', 'css/c.scss'], errors);
    assert.deepEqual(compiled.map((c) => c.outPath), ['assets/b.css']);
    assert.deepEqual(errors.map((e) => `${e.file}:${e.line}`), ['assets/a.scss:3', 'css/c.scss:3']);
  });
});

describe('Jekyll stylesheets read only the site', () => {
  const outside = () => {
    const dir = tempDir('recap-sass-outside-');
    fs.writeFileSync(path.join(dir, '_secret.scss'), '.secret { token: "s3cr3t"; }\n');
    return dir;
  };

  it('refuses an import that climbs out of the site, or an absolute path, before reading it', async () => {
    const elsewhere = outside();
    const root = jekyllSite('title: M\n', {});
    const climb = path.relative(path.join(root, 'assets'), path.join(elsewhere, 'secret')).split(path.sep).join('/');
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'assets/a.scss'), `${FRONT}@import "${climb}";\n`);
    fs.writeFileSync(path.join(root, 'assets/b.scss'), `${FRONT}@use "${path.join(elsewhere, 'secret')}";\n`);
    for (const source of ['assets/a.scss', 'assets/b.scss']) {
      const error = await compileError(root, source);
      assert.equal(error.file, source);
      assert.equal(error.line, 3);
      assert.match(error.message, /outside the site folder; recap reads stylesheets only from inside the site/);
      assert.doesNotMatch(error.message, /s3cr3t/);
    }
  });

  it('reads no file through Liquid in a stylesheet: include, include_relative, render and layout are errors, wherever recap runs', async () => {
    const elsewhere = outside();
    const root = jekyllSite('title: M\n', {});
    fs.mkdirSync(path.join(root, 'assets'));
    // A real file at the path each tag names: without the guard, the tag would read it.
    const secret = path.join(elsewhere, 'secret.txt');
    fs.writeFileSync(secret, 's3cr3t');
    const relative = path.relative(process.cwd(), secret).split(path.sep).join('/');
    const tags = [`{% include "${secret}" %}`, `{% include "${relative}" %}`, `{% render "${relative}" %}`, `{% include_relative "${relative}" %}`, `{% layout "${secret}" %}`];
    for (const [i, tag] of tags.entries()) {
      fs.writeFileSync(path.join(root, `assets/t${i}.scss`), `${FRONT}/*! ${tag} */\nbody { color: red; }\n`);
      const error = await compileError(root, `assets/t${i}.scss`);
      assert.match(error.message, /is not available in a stylesheet's Liquid; use Sass's @import or @use of a partial in _sass\//, tag);
      assert.doesNotMatch(error.message, /s3cr3t/);
    }
  });

  it('refuses a partial, a partials folder or a stylesheet that is a link out of the site', async () => {
    const elsewhere = outside();
    const root = jekyllSite('title: M\n', { 'assets/main.scss': `${FRONT}@import "secret";\n`, 'css/deep.scss': `${FRONT}@import "linked/secret";\n` });
    fs.mkdirSync(path.join(root, '_sass'));
    fs.symlinkSync(path.join(elsewhere, '_secret.scss'), path.join(root, '_sass/_secret.scss'));
    fs.symlinkSync(elsewhere, path.join(root, '_sass/linked'));
    fs.symlinkSync(path.join(elsewhere, '_secret.scss'), path.join(root, 'assets/linked.scss'));
    for (const source of ['assets/main.scss', 'css/deep.scss']) {
      const error = await compileError(root, source);
      assert.equal(`${error.file}:${error.line}`, `${source}:3`);
      assert.match(error.message, /a link to .* outside the site folder/);
    }
    assert.match((await compileError(root, 'assets/linked.scss')).message, /outside the site folder/);
  });

  it('refuses load_paths and a sass_dir outside the site, naming the setting', async () => {
    const elsewhere = outside();
    const files = { 'assets/main.scss': `${FRONT}@import "secret";\n` };
    const absolute = await compileError(jekyllSite(`sass:\n  load_paths: ["${elsewhere}"]\n`, files), 'assets/main.scss');
    assert.ok(absolute instanceof ConfigError);
    assert.match(absolute.format(), /^_config\.yml: _config\.yml sass: load_paths ".*" is outside the site folder/);
    const climbing = await compileError(jekyllSite('sass:\n  sass_dir: ../../..\n', files), 'assets/main.scss');
    assert.match(climbing.message, /sass: sass_dir "\.\.\/\.\.\/\.\." is outside the site folder/);
  });

  it('keeps sass_dir "/styles" inside the site, as Jekyll does', () => {
    const root = jekyllSite('sass:\n  sass_dir: /styles\n', {});
    assert.deepEqual(sassSettings(configOf(root)).loadPaths, [path.join(fs.realpathSync(root), 'styles')]);
  });
});

describe('a Jekyll site build compiles its stylesheets', () => {
  const site = () =>
    jekyllSite('title: T\n', {
      '_layouts/default.html': '<link rel="stylesheet" href="/assets/main.css">{{ content }}\n',
      '_sass/_colours.scss': '$ink: #123456;\n',
      'assets/main.scss': '---\n---\n@import "colours";\nbody { color: $ink; }\n',
      'assets/plain.scss': 'no front matter: copied as it is\n',
      'index.html': '---\nlayout: default\n---\nHome\n',
    });

  it('writes the CSS and its map beside the other outputs, and copies a .scss without front matter', async () => {
    const out = await buildInto(site());
    assert.deepEqual(rulesOf(fs.readFileSync(path.join(out, 'assets/main.css'), 'utf8')).filter((line) => !line.startsWith('/*#')), ['body {', 'color: #123456;', '}']);
    assert.ok(fs.existsSync(path.join(out, 'assets/main.css.map')));
    assert.equal(fs.readFileSync(path.join(out, 'assets/plain.scss'), 'utf8'), 'no front matter: copied as it is\n');
  });

  it('fails the build naming the partial and line, and writes nothing', async () => {
    const root = site();
    fs.writeFileSync(path.join(root, '_sass/_colours.scss'), '$ink: $nope;\n');
    const errors = await buildErrors(root);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^_sass\/_colours\.scss:1:7: Undefined variable/);
  });

  it('compiles again in watch when a partial changes, as a clean build would', async () => {
    const root = site();
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { outDir, cache: false });
    try {
      assert.ok((await rebuilder.rebuild([], true)).result);
      fs.writeFileSync(path.join(root, '_sass/_colours.scss'), '$ink: #abcdef;\n');
      const report = await rebuilder.rebuild(['_sass/_colours.scss']);
      assert.ok(report.result, String(report.errors));
      assert.match(fs.readFileSync(path.join(outDir, 'assets/main.css'), 'utf8'), /#abcdef/);
      assert.equal(fs.readFileSync(path.join(outDir, 'assets/main.css'), 'utf8'), fs.readFileSync(path.join(await buildInto(root), 'assets/main.css'), 'utf8'));
    } finally {
      await rebuilder.close();
    }
  });
});
