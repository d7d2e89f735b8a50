import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkLinks } from '../src/check/links.js';
import { createRebuilder } from '../src/dev/watch.js';
import { rewriteUrlAttributes } from '../src/html/rewrite-urls.js';
import { htmlText } from '../src/html/text.js';
import { buildInto, listTree, tempDir, writeSite } from './helpers.js';

const post = (title: string, body: string) => `---\ntitle: ${title}\n---\n${body}\n`;

describe('hostile and careless HTML in posts', () => {
  it('builds links that are not valid URLs, leaves them as written in the feed, and check names them', async () => {
    const root = writeSite({
      'recap.config.yml': 'url: https://meetup.example.org\n',
      'posts/2024-01-10-slash.md': post('Slash', 'Slides [here](//) soon, and <a href="/\\">the share</a> too.'),
    });
    const out = await buildInto(root);
    const feed = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8');
    assert.match(feed, /href=&quot;\/\/&quot;/, 'the bad link is in the feed as written');
    const broken = checkLinks(out, '/', 'https://meetup.example.org').filter((b) => b.problem === 'is not a valid URL');
    // "//" has no host, so it is not the site's: like every other URL of another host, it is not checked.
    assert.deepEqual([...new Set(broken.map((b) => b.reference))], ['/\\']);
  });

  it('rewrites and reads raw HTML nested deeper than the call stack', async () => {
    const deep = '<div>'.repeat(20_000) + '<a href="/x">deep</a>' + '</div>'.repeat(20_000);
    assert.match(rewriteUrlAttributes(deep, (url) => `/blog${url}`), /<a href="\/blog\/x">deep<\/a>/);
    assert.equal(htmlText(deep).trim(), 'deep');
    const root = writeSite({ 'recap.config.yml': 'basePath: /blog/\n', 'posts/2024-01-10-deep.md': post('Deep', deep) });
    const out = await buildInto(root);
    assert.match(fs.readFileSync(path.join(out, '2024/01/10/deep/index.html'), 'utf8'), /<a href="\/blog\/x">deep<\/a>/);
  });

  it('checks the links of a page that only refreshes itself; skips one that redirects', () => {
    const out = tempDir();
    const page = (head: string) => `<!doctype html><html><head>${head}</head><body><a href="/missing/">x</a></body></html>`;
    fs.writeFileSync(path.join(out, 'live.html'), page('<meta http-equiv="refresh" content="120">'));
    fs.writeFileSync(path.join(out, 'moved.html'), page('<meta content="0; url=/elsewhere/" http-equiv="Refresh">'));
    assert.deepEqual(checkLinks(out, '/', '').map((b) => `${b.page} ${b.reference}`), ['live.html /missing/']);
  });

  it('keeps watching after recap itself fails, reporting the failure once instead of building again and again', async () => {
    const root = writeSite({ 'posts/2024-01-10-a.md': post('A', 'Hello.') });
    const outDir = path.join(tempDir(), 'public');
    const rebuilder = createRebuilder(root, { outDir, cache: false });
    assert.ok((await rebuilder.rebuild([])).result);
    // A template helper that throws a plain error (not a file-system one) stands in for a bug in recap.
    fs.mkdirSync(path.join(root, 'templates'));
    fs.writeFileSync(path.join(root, 'templates/post.njk'), '{{ page.title }}');
    const hostile = Object.getOwnPropertyDescriptor(Date.prototype, 'getTime')!;
    let report;
    try {
      Date.prototype.getTime = function () {
        throw Object.assign(new TypeError('boom'), { code: 'ERR_SOMETHING' });
      };
      report = await rebuilder.rebuild(['templates/post.njk']);
    } finally {
      Object.defineProperty(Date.prototype, 'getTime', hostile);
    }
    assert.ok(report.errors?.[0].message.includes('bug in recap'), report.errors?.map((e) => e.message).join('\n'));
    assert.equal(report.retry, false);
    assert.ok((await rebuilder.rebuild(['templates/post.njk'])).result, 'the next change builds again');
    assert.ok(listTree(outDir).includes('2024/01/10/a/index.html'));
  });
});
