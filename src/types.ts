/** Plain data passed between the build stages (see ../shared/DESIGN.md). */

/** The settings of recap.config.yml, every one with a default. */
export interface SiteSettings {
  title: string;
  description: string;
  /** The site's origin (https://host), or "" when not configured. */
  url: string;
  /** Always starts and ends with "/". */
  basePath: string;
  permalink: string;
  tagPermalink: string;
  paginate: number;
  language: string;
}

export interface SiteConfig extends SiteSettings {
  /** Absolute path of the site folder. */
  root: string;
  /** Absolute path of the output folder. */
  outDir: string;
  /** Folder of posts, relative to root ("posts" or Jekyll's "_posts"). */
  postsDir: string;
  /** Template folders, most specific first: the site's own, then the default theme. */
  templateDirs: string[];
  drafts: boolean;
  future: boolean;
  /** Posts dated after this are left out unless `future`. */
  now: Date;
}

/** A file read from the site folder. */
export interface SourceFile {
  /** Path relative to the site root, with "/" separators; used in every message. */
  path: string;
  text: string;
}

export interface Post {
  source: string;
  /** File-name slug with the date removed, case kept. */
  slug: string;
  date: Date;
  title: string;
  description: string;
  image: string;
  tags: string[];
  redirectFrom: string[];
  redirectTo: string;
  layout: string;
  published: boolean;
  draft: boolean;
  permalink: string;
  /** Every front-matter key as written, for templates. */
  data: Record<string, unknown>;
  /** Rendered body HTML. */
  html: string;
  /** Front-matter line of each key, for messages about a key. */
  keyLines: Record<string, number>;
}

export interface Tag {
  name: string;
  slug: string;
  url: string;
  outPath: string;
  posts: PlannedPost[];
}

/** A post with the URL planning gave it. */
export interface PlannedPost {
  post: Post;
  /** URL path including basePath. */
  url: string;
  outPath: string;
}

interface PageBase {
  /** Output path relative to the output folder, "/" separators. */
  outPath: string;
  /** URL path including basePath. */
  url: string;
  /** What asked for this page, for collision messages. */
  origin: Origin;
}

/** The file that asked for an output (a post, a static file) and how. */
export interface Origin {
  file: string;
  what: string;
}

export interface PostPage extends PageBase {
  kind: 'post';
  post: PlannedPost;
  /** Older and newer neighbours in the site's order. */
  previous?: PlannedPost;
  next?: PlannedPost;
}

export interface IndexPage extends PageBase {
  kind: 'index';
  posts: PlannedPost[];
  pageNumber: number;
  totalPages: number;
  previousUrl: string;
  nextUrl: string;
}

export interface TagPage extends PageBase {
  kind: 'tag';
  tag: Tag;
}

export interface TagsPage extends PageBase {
  kind: 'tags';
  tags: Tag[];
}

export interface RedirectPage extends PageBase {
  kind: 'redirect';
  /** Where the browser is sent: a URL path or an absolute http(s) URL. */
  target: string;
}

/** `_redirects`, the redirect list Netlify and Cloudflare Pages read. */
export interface RedirectListPage extends PageBase {
  kind: 'redirectList';
  redirects: { from: string; to: string }[];
  /** The site's own static/_redirects, kept above the generated rules ("" when none). */
  prependFrom: string;
}

export type Page = PostPage | IndexPage | TagPage | TagsPage | RedirectPage | RedirectListPage;

/** A file copied verbatim (static/ and theme assets). */
export interface CopiedFile {
  outPath: string;
  /** Absolute path of the file to copy. */
  from: string;
  origin: Origin;
}

export interface SitePlan {
  pages: Page[];
  copies: CopiedFile[];
  /** Listed posts in site order. */
  posts: PlannedPost[];
  tags: Tag[];
  /** Each listed post's tags, deduplicated, in the order the post gives them. */
  postTags: Map<PlannedPost, Tag[]>;
}

export type OutputFile =
  | { path: string; contents: string }
  | { path: string; copyFrom: string };

export interface BuildResult {
  outDir: string;
  posts: number;
  pages: number;
  files: number;
  /** Files written and removed (a clean build writes every file). */
  written: string[];
  removed: string[];
  /** Milliseconds per stage, and total. */
  timings: Record<'read' | 'parse' | 'plan' | 'render' | 'write' | 'total', number>;
}
