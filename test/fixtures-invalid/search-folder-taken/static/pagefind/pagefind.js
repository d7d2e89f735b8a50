// the site's own copy of an old search script
