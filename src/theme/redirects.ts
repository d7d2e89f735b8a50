/** Redirect pages and the `_redirects` list, in fixed markup as jekyll-redirect-from and Netlify expect. */
import fs from 'node:fs';
import type { RedirectListPage, RedirectPage, SiteConfig } from '../pipeline/types.js';
import { escapeHtml, scriptJson } from '../util/escape.js';
import { isAbsoluteUrl } from '../util/urls.js';
import { trimEndOf } from '../util/text.js';
import { textDirection } from '../i18n/languages.js';
import { translate } from '../i18n/translate.js';

/** Refresh, canonical, script, noindex and a link for everyone else. */
export function renderRedirect(config: SiteConfig, page: RedirectPage): string {
  const target = isAbsoluteUrl(page.target) || config.url === '' ? page.target : config.url + page.target;
  const href = escapeHtml(target);
  const words = (key: string) => escapeHtml(translate(config.i18n, config.language, key));
  const dir = textDirection(config.language) === 'rtl' ? ' dir="rtl"' : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(config.language)}"${dir}>
<head>
<meta charset="utf-8">
<title>${words('redirecting')}</title>
<link rel="canonical" href="${href}">
<meta http-equiv="refresh" content="0; url=${href}">
<meta name="robots" content="noindex">
<script>location.replace(${scriptJson(target)});</script>
</head>
<body>
<h1>${words('redirecting')}</h1>
<p><a href="${href}">${words('redirectLink')}</a></p>
</body>
</html>
`;
}

/**
 * A URL as one field of a `_redirects` line. Hosts split a line at whitespace (Unicode's, in Go's
 * reading, which counts U+0085 too) and read `*` and a segment starting with ":" as patterns; the
 * plan refuses those in paths, and a space a URL may really have is percent-encoded here, as a
 * browser sends it. Anything else of the kind that reaches this point (a redirect_to URL's own
 * characters) is encoded too, so no line can ever hold a fourth field or a pattern.
 */
export function redirectField(url: string): string {
  return url.replace(/[\s\p{Cc}\p{Cf}\p{Z}*]|(?<=\/):/gu, (c) => [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

export function renderRedirectList(page: RedirectListPage): string {
  const own = page.prependFrom ? trimEndOf(fs.readFileSync(page.prependFrom, 'utf8'), '\n') + '\n' : '';
  return own + page.redirects.map((r) => `${redirectField(r.from)} ${redirectField(r.to)} 301\n`).join('');
}
