/** Redirect pages and the `_redirects` list, in fixed markup as jekyll-redirect-from and Netlify expect. */
import fs from 'node:fs';
import type { RedirectListPage, RedirectPage, SiteConfig } from '../pipeline/types.js';
import { escapeHtml, scriptJson } from '../util/escape.js';
import { isAbsoluteUrl } from '../util/urls.js';
import { trimEndOf } from '../util/text.js';

/** Refresh, canonical, script, noindex and a link for everyone else. */
export function renderRedirect(config: SiteConfig, page: RedirectPage): string {
  const target = isAbsoluteUrl(page.target) || config.url === '' ? page.target : config.url + page.target;
  const href = escapeHtml(target);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(config.language)}">
<head>
<meta charset="utf-8">
<title>Redirecting…</title>
<link rel="canonical" href="${href}">
<meta http-equiv="refresh" content="0; url=${href}">
<meta name="robots" content="noindex">
<script>location.replace(${scriptJson(target)});</script>
</head>
<body>
<h1>Redirecting…</h1>
<p><a href="${href}">Click here if you are not redirected.</a></p>
</body>
</html>
`;
}

export function renderRedirectList(page: RedirectListPage): string {
  const own = page.prependFrom ? trimEndOf(fs.readFileSync(page.prependFrom, 'utf8'), '\n') + '\n' : '';
  // Netlify reads whitespace-separated fields: a space in a URL must be encoded.
  const field = (url: string) => url.replace(/\s/g, encodeURIComponent);
  return own + page.redirects.map((r) => `${field(r.from)} ${field(r.to)} 301\n`).join('');
}
