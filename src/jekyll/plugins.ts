/**
 * Which of jekyll-feed's, jekyll-sitemap's and jekyll-redirect-from's files a Jekyll site gets:
 * those of the plugins it enables (in _config.yml's `plugins` or its Gemfile's :jekyll_plugins
 * group), unless it has a file of its own at their path, as the plugins themselves decide.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GeneratedFiles } from '../pipeline/dialect.js';
import type { JekyllSettings, SiteConfig } from '../pipeline/types.js';
import { frontMatterDefaults } from './config.js';
import { readFeedSettings } from './feed.js';

export function jekyllGenerated(config: SiteConfig, jekyll: JekyllSettings): GeneratedFiles {
  const enabled = (plugin: string) => jekyll.plugins.includes(plugin);
  const own = (file: string) => fs.existsSync(path.join(config.root, file));
  const settingOf = (key: string, name: string): unknown => {
    const value = jekyll.values[key];
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
  };
  const feedOff = settingOf('feed', 'disable_in_development') === true && jekyll.environment === 'development';
  return {
    feeds: enabled('jekyll-feed') && !feedOff ? { style: 'jekyll-feed', settings: readFeedSettings(config, jekyll.values) } : undefined,
    sitemap: enabled('jekyll-sitemap') && !own('sitemap.xml') ? 'jekyll-sitemap' : undefined,
    sitemapXsl: own('sitemap.xsl'),
    robots: enabled('jekyll-sitemap') && !own('robots.txt'),
    redirectsJson: enabled('jekyll-redirect-from') && settingOf('redirect_from', 'json') !== false && !own('redirects.json'),
    // Drafts are posts of the build that --drafts asks for: jekyll-feed and jekyll-sitemap list them.
    listDrafts: true,
    copyInSitemap: (source) => frontMatterDefaults(jekyll, source, 'static').sitemap !== false,
  };
}
