module.exports = {
  layout: 'post.njk',
  eleventyComputed: {
    permalink: (data) => {
      const d = new Date(data.page.date);
      const pad = (n) => String(n).padStart(2, '0');
      return `/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${data.page.fileSlug}/`;
    },
  },
};
