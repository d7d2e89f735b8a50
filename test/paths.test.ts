import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/pipeline/config.js';
import { ConfigError } from '../src/pipeline/errors.js';
import { OUTPUT_MARKER } from '../src/pipeline/write.js';
import { renderMarkdown } from '../src/markdown/render.js';
import { rewriteUrlAttributes } from '../src/html/rewrite-urls.js';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { RESERVED_NAME_PREFIX, resolveUrlPath } from '../src/util/urls.js';
import { buildErrors, buildInto, listTree, writeSite } from './helpers.js';

/** One rule of a `_redirects` file. */
interface RedirectRule {
  from: string;
  to: string;
  status: string;
  line: string;
}

/**
 * `_redirects` read as Netlify and Cloudflare Pages document it: one rule a line, fields split at
 * whitespace (Go's reading of it, which counts U+0085 and every Unicode space), a line starting
 * with "#" is a comment; from, to and an optional status.
 */
function parseRedirects(text: string): RedirectRule[] {
  const rules: RedirectRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/[\s\u0085]+/u);
    assert.ok(fields.length === 2 || fields.length === 3, `a rule has from, to and a status: ${JSON.stringify(line)}`);
    rules.push({ from: fields[0], to: fields[1], status: fields[2] ?? '301', line });
  }
  return rules;
}

/** The paths a rule's `from` matches: `*` is a splat (anything, "/" included), a segment starting with ":" a placeholder. */
function matcher(from: string): RegExp {
  const pattern = from
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

describe('_redirects', () => {
  it('has rules that match only their own path, read as Netlify and Cloudflare read them', async () => {
    const root = writeSite({
      'recap.config.yml': 'url: https://example.org\nbasePath: /blog/\n',
      // Everything here is allowed: a plain space, ":" inside a segment, encoded "*" and ":", accents, "%".
      'posts/2024-01-01-a.md':
        '---\ntitle: A\nredirect_from: ["/old/", "/a b/", "/talks/a:b/", "/%2A/", "/%3Alang/x/", "/café/", "/C%23/", "/100%25/", "/x.html", "old-no-slash/"]\n---\nA.\n',
      // Another site's URL is theirs: its ":" and "*" and spaces are encoded in the line, never patterns.
      'posts/2024-01-02-b.md': '---\ntitle: B\nredirect_from: /b-old/\nredirect_to: "https://other.example/:splat/*/a b"\n---\n',
      'posts/2024-01-03-c.md': '---\ntitle: C\nredirect_to: /elsewhere/\n---\n',
      'pages/elsewhere.md': '---\ntitle: Elsewhere\n---\n',
      'static/_redirects': '# the site\'s own rules stay above\n/mine /blog/elsewhere/ 302\n',
    });
    const out = await buildInto(root);
    const text = fs.readFileSync(path.join(out, '_redirects'), 'utf8');
    assert.doesNotMatch(text, /[\u0085\u2028\u2029]/u, 'no line breaks other than \\n');
    const rules = parseRedirects(text);
    assert.equal(rules.length, 14, text);
    const own = rules.filter((rule) => rule.status === '301');
    assert.equal(own.length, 13);
    const outputs = listTree(out).map((file) => '/blog/' + file.replace(/(^|\/)index\.html$/, '$1'));
    const probes = ['/', '/blog/', '/blog/anything/', '/blog/en/anything', '/blog/old/x/', '/blog/talks/other/', '/blog/a/', ...outputs];
    for (const rule of rules) {
      const matches = matcher(rule.from);
      assert.ok(matches.test(rule.from), `${rule.line}: matches its own path`);
      for (const other of [...probes, ...rules.map((r) => r.from)]) {
        if (other !== rule.from) assert.ok(!matches.test(other), `${rule.line}: matches only its own path, not ${other}`);
      }
      // Hosts fill :placeholders and :splat into the target too.
      assert.doesNotMatch(rule.to, /\*|\/:/, `${rule.line}: the target has no pattern`);
    }
    assert.ok(rules.some((r) => r.from === '/blog/a%20b/'), 'a plain space is percent-encoded, as browsers send it');
    assert.ok(rules.some((r) => r.to === 'https://other.example/%3Asplat/%2A/a%20b'), text);
    assert.ok(rules.some((r) => r.from === '/blog/2024/01/03/c/' && r.to === '/blog/elsewhere/'), text);
  });

  it('refuses every pattern and invisible character, in every key that makes a path (see fixtures-invalid)', async () => {
    const bad = ['/*', '/a*/', '/:lang/', '/x/:id', '/tab\there/', '/nbsp\u00a0/', '/ls\u2028/', '/ps\u2029/', '/ideo\u3000/', '/nel\u0085/', '/zw\u200b/', '/bom\ufeff/', '/rtl\u202e/', '/%C2%A0/', '/%09/'];
    for (const value of bad) assert.equal(typeof resolveUrlPath(value), 'string', `${JSON.stringify(value)} is refused`);
    for (const good of ['/a b/', '/a:b/', '/%2A/', '/%3Alang/', '/café/', '/東京/']) assert.equal(typeof resolveUrlPath(good), 'object', `${good} is allowed`);
    for (const key of ['permalink', 'redirect_from']) {
      for (const value of ['/:lang/x/', '/a*b/', '/a\u00a0b/']) {
        const root = writeSite({ 'posts/2024-01-01-a.md': `---\ntitle: A\n${key}: ${JSON.stringify(value)}\n---\n` });
        const errors = await buildErrors(root);
        assert.equal(errors.length, 1, errors.join('\n'));
        assert.match(errors[0], new RegExp(`^posts/2024-01-01-a\\.md:3: ${key} `));
      }
    }
    for (const key of ['slides', 'video', 'image', 'redirect_to']) {
      const root = writeSite({ 'posts/2024-01-01-a.md': `---\ntitle: A\n${key}: "/a\\u00a0b/"\n---\n` });
      assert.deepEqual(await buildErrors(root), [`posts/2024-01-01-a.md:3: "${key}" contains U+00A0 (a no-break space), which looks like a plain space or nothing at all; remove it, or type a plain space`]);
    }
  });
});

describe('paths that are one file on common disks', () => {
  const composed = 'café';
  const decomposed = composed.normalize('NFD');

  it('reports file names that differ only in Unicode normalization, whatever caseSensitiveUrls says', async () => {
    assert.notEqual(composed, decomposed);
    for (const caseSensitive of [false, true]) {
      const root = writeSite({
        'recap.config.yml': `caseSensitiveUrls: ${caseSensitive}\n`,
        [`posts/2024-01-01-${composed}.md`]: '---\ntitle: Composed\n---\n',
        [`posts/2024-01-01-${decomposed}.md`]: '---\ntitle: Decomposed\n---\n',
      });
      const errors = await buildErrors(root);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0], /differ only in Unicode normalization .* one file on macOS disks; change one of their URLs$/);
    }
  });

  it('still allows case-only differences with caseSensitiveUrls: true, and a file and folder of one name in two spellings are refused', async () => {
    const root = writeSite({
      'recap.config.yml': 'caseSensitiveUrls: true\n',
      'posts/2024-01-01-a.md': '---\ntitle: A\npermalink: /Talks/\n---\n',
      'posts/2024-01-02-b.md': '---\ntitle: B\npermalink: /talks/\n---\n',
    });
    assert.ok(listTree(await buildInto(root)).includes('Talks/index.html'));
    const clash = writeSite({
      'posts/2024-01-01-a.md': `---\ntitle: A\npermalink: /${composed}.html\n---\n`,
      'posts/2024-01-02-b.md': `---\ntitle: B\npermalink: /${decomposed}.html/inner/\n---\n`,
    });
    assert.match((await buildErrors(clash)).join('\n'), /the output path café\.html is a file for .* but a folder for/);
  });

  it('keeps tags spelled in either normalization as one tag', async () => {
    const root = writeSite({
      'posts/2024-01-01-a.md': `---\ntitle: A\ntags: [${composed}]\n---\n`,
      'posts/2024-01-02-b.md': `---\ntitle: B\ntags: [${decomposed}]\n---\n`,
      'posts/2024-01-03-c.md': `---\ntitle: C\ntags: [${composed.toUpperCase()}]\n---\n`,
    });
    const out = await buildInto(root);
    const tagPage = fs.readFileSync(path.join(out, 'tags/cafe/index.html'), 'utf8');
    for (const title of ['A', 'B', 'C']) assert.match(tagPage, new RegExp(`>${title}</a>`));
  });
});

describe('names recap keeps for itself, and names too long for a disk', () => {
  it('reserves the output marker\'s prefix', () => {
    assert.ok(OUTPUT_MARKER.startsWith(RESERVED_NAME_PREFIX), 'the marker is one of the reserved names');
    for (const value of ['/.recap-built', '/.recap-built/', '/.RECAP-BUILT/', '/.recap-cache/x/', '/a/.recap-lock', '/%2Erecap-built/']) {
      assert.match(String(resolveUrlPath(value)), /are recap's own/, value);
    }
    assert.equal(typeof resolveUrlPath('/recap-built/'), 'object');
    assert.equal(typeof resolveUrlPath('/.recap/'), 'object');
  });

  it('counts bytes, not characters: 255 is the limit of one name', () => {
    assert.equal(typeof resolveUrlPath(`/${'a'.repeat(255)}.html`), 'string');
    assert.equal(typeof resolveUrlPath(`/${'a'.repeat(250)}.html`), 'object');
    assert.equal(typeof resolveUrlPath(`/${'é'.repeat(125)}.html`), 'object', '250 + 5 bytes');
    assert.equal(typeof resolveUrlPath(`/${'é'.repeat(126)}.html`), 'string', '252 + 5 bytes, in 131 characters');
    assert.match(String(resolveUrlPath(`/${'é'.repeat(128)}/`)), /has a segment of 256 bytes/);
    assert.equal(typeof resolveUrlPath(`/${'a'.repeat(255)}/`), 'object', 'a folder of 255 bytes holds index.html');
  });
});

describe('config URLs and paths', () => {
  /** The ConfigError a config text gives, formatted. */
  function configError(text: string, file = 'recap.config.yml'): string {
    const root = writeSite({ [file]: text });
    try {
      loadConfig(root);
    } catch (error) {
      if (error instanceof ConfigError) return error.format();
      throw error;
    }
    return 'no error';
  }

  it('names the key and line of every unusable url', () => {
    const bad = ['https://a:b', 'https://', 'http://exa mple.org', 'https://user:pw@example.org', 'https://example.org/?q=1', 'https://example.org/#top', 'ftp://example.org', 'https://example.org:99999', 'https://[::1', 'https:example.org', 'example.org', 'https://example.org/*/', 'https://example.org/:lang/'];
    for (const url of bad) assert.match(configError(`title: T\nurl: ${JSON.stringify(url)}\n`), /^recap\.config\.yml:2: "url" /, url);
    const root = writeSite({ 'recap.config.yml': 'url: https://octo.github.io/meetup\n' });
    const config = loadConfig(root);
    assert.equal(config.url, 'https://octo.github.io');
    assert.equal(config.basePath, '/meetup/');
  });

  it('accepts a base path of URL-safe segments only, naming the key in either config file', () => {
    const bad = ['/b"onmouseover="alert(1)/', "/it's/", '/a b/', '/a<b>/', '/../', '/%2e%2e/', '/*/', '/:lang/', '/%zz/', '/blog//x/', '/a\\b/', '/café/', '/a?b/', '/a#b/', '/a&b/'];
    for (const basePath of bad) {
      assert.match(configError(`basePath: ${JSON.stringify(basePath)}\n`), /^recap\.config\.yml:1: "basePath" must be a path like \/ or \/blog\//, basePath);
      assert.match(configError(`title: T\nbaseurl: ${JSON.stringify(basePath.replace(/\/$/, ''))}\n`, '_config.yml'), /^_config\.yml:2: "baseurl" must be a path/, basePath);
    }
    for (const basePath of ['/', '/blog/', 'blog', '/a/b-c_d.e~f/', '/caf%C3%A9/']) {
      assert.equal(configError(`basePath: ${JSON.stringify(basePath)}\n`), 'no error', basePath);
    }
  });

  it('names the key of a config path that would leave the site or be published', () => {
    // Where the setting names a folder, the real-path check says what it overlaps (links resolved).
    assert.match(configError('cacheDir: static/cache\n'), /static\/cache: cannot be the cache folder \("cacheDir"\): it is inside static\//);
    assert.match(configError('cacheDir: public/cache\n'), /public\/cache: cannot be the cache folder \("cacheDir"\): it is inside the output folder/);
    assert.match(configError('cacheDir: "."\n'), /^recap\.config\.yml:1: "cacheDir" is the site folder itself/);
    assert.match(configError('cacheDir: ""\n'), /^recap\.config\.yml:1: "cacheDir" is empty/);
    assert.match(configError('cacheDir: "a\\0b"\n'), /^recap\.config\.yml:1: "cacheDir" contains a control character/);
    assert.equal(configError('cacheDir: .cache/recap\n'), 'no error');
    for (const [key, value] of [['permalink', '/:lang/:slug/'], ['permalink', '/*/:slug/'], ['tagPermalink', '/tags/*/:tag/'], ['paginatePath', '/page\u00a0:num/'], ['paginatePath', '/.recap-built/:num/']]) {
      assert.match(configError(`title: T\n${key}: ${JSON.stringify(value)}\n`), new RegExp(`^recap\\.config\\.yml:2: "${key}" `), `${key}: ${value}`);
    }
  });
});

describe('the base path in body links', () => {
  it('is escaped in markdown links and raw HTML even if a hostile one got past the config check', () => {
    const hostile = '/b"onmouseover="alert(1)/';
    const { html } = renderMarkdown('A [link](/x/), ![image](/i.png) and <a href="/y/" title=t>raw</a> <img src=/z.png>', 'commonmark', hostile);
    // Every attribute the parser finds is one the author wrote: the quote did not open another.
    const names: string[] = [];
    const walk = (node: DefaultTreeAdapterMap['childNode']): void => {
      if ('attrs' in node) names.push(...node.attrs.map((a) => a.name));
      if ('childNodes' in node) node.childNodes.forEach(walk);
    };
    parseFragment(html).childNodes.forEach(walk);
    assert.deepEqual(names.sort(), ['alt', 'href', 'href', 'src', 'src', 'title']);
    assert.doesNotMatch(html, /onmouseover="/);
    assert.equal(rewriteUrlAttributes('<a href="/x">', (url) => hostile + url.slice(1)), '<a href="/b&quot;onmouseover=&quot;alert(1)/x">');
  });
});
