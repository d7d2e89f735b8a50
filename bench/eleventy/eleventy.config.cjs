// Eleventy's side of the benchmark: the same corpus as an equivalent site (post pages, tag
// pages, redirect pages for redirect_from, a paginated index), with Eleventy's defaults.
module.exports = function (eleventyConfig) {
  eleventyConfig.addFilter('slug', (value) => String(value).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''));
  eleventyConfig.addFilter('isoDate', (date) => new Date(date).toISOString());
  eleventyConfig.addCollection('posts', (api) => api.getFilteredByGlob('posts/*.md').reverse());
  // Not every post has an old URL: redirect pages only for those that do.
  eleventyConfig.addCollection('redirected', (api) => api.getFilteredByGlob('posts/*.md').filter((item) => item.data.redirect_from));
  eleventyConfig.addCollection('tagList', (api) => {
    const tags = new Set();
    for (const item of api.getFilteredByGlob('posts/*.md')) for (const tag of item.data.tags || []) tags.add(tag);
    return [...tags];
  });
  return { dir: { input: '.', includes: '_includes', output: '_site' }, markdownTemplateEngine: 'njk', htmlTemplateEngine: 'njk' };
};
