/** Plain data passed between the build stages (see ../shared/DESIGN.md). */
import type { ImageSettings } from '../images/settings.js';
import type { SiteTemplates } from '../jekyll/site-templates.js';
import type { TagSlugs } from '../util/slugs.js';
import type { Translations } from '../i18n/tables.js';

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
  /** A tag's pages after the first: /tags/:tag/page/2/… (the first is at tagPermalink). */
  tagPaginatePath: string;
  /** Posts on each index page and each tag page. */
  paginate: number;
  /** Index pages after the first: /page/2/… (Jekyll sites: paginate_path, default /page:num/). */
  paginatePath: string;
  /** The site's language: a canonical BCP 47 tag (en, fr, pt-BR), checked where it is read. */
  language: string;
  /** Posts in each feed. */
  feedLimit: number;
  /** The feed's author; the site title when not set. */
  author: string;
  /** Allow URLs that differ only in case (an error by default: they collide on case-insensitive hosts). */
  caseSensitiveUrls: boolean;
  /** The cache of rendered bodies, relative to the site folder. */
  cacheDir: string;
  /**
   * Paths in the output folder, relative to it, that recap did not write and carries into every
   * new output untouched (Jekyll's keep_files): `.git` by default, for a gh-pages worktree.
   */
  keepFiles: string[];
  /** Photos resized into srcset copies (see images/settings.ts). */
  images: ImageSettings;
  /** `tagSlugs:`: the slug a tag's URL gets, by the tag's folded name (util/slugs.ts), instead of the one recap makes. */
  tagSlugs: TagSlugs;
  /** `timezone:`: the meetup's IANA time zone (Europe/Berlin), which events' clock times are on; "" when not set (events.ics then has floating times). */
  timezone: string;
  /** The speakers index (posts' `talks:`); "" (not set): /speakers/, or /speakers/all/ when a page of the site is at /speakers/. */
  speakersPermalink: string;
  /** A speaker's page; holds :slug. */
  speakerPermalink: string;
  /** The sponsors page (posts' `sponsors:`); "" (not set): /sponsors/, or /sponsors/all/ when a page of the site is at /sponsors/. */
  sponsorsPermalink: string;
  /** `search:`: the site's search index, /search/ page and header box (see search/); 'default': on in recap's theme, off in a site's own layouts. */
  search: boolean | 'default';
}

/** What a Jekyll site's _config.yml adds (only for sites that have one). */
export interface JekyllSettings {
  /** `defaults`: front-matter values for files under a path (and of a type). */
  defaults: { path: string; type?: string; values: Record<string, unknown> }[];
  /** `exclude`: files and folders that are not part of the site. */
  exclude: string[];
  /** `include`: files Jekyll would leave out (dotfiles) that are part of the site. */
  include: string[];
  /** `excerpt_separator`: where a post's excerpt ends ("" for the first paragraph). */
  excerptSeparator: string;
  /** Keys of _config.yml recap has no setting for (only the site's Liquid reads them): what `recap migrate` cannot carry over. */
  ignoredKeys: string[];
  /** Jekyll's own settings in _config.yml that recap does not follow (collections, layouts_dir…), for the warning. */
  unfollowedKeys: string[];
  /** Jekyll's page URL pattern under the site's permalink style. */
  pagePermalink: string;
  /** `timezone`: the zone dates written with an offset are read in, as Jekyll reads them ("UTC" when not set, as GitHub Pages builds). */
  timezone: string;
  /** Every key of _config.yml as read: what Liquid templates see under `site`. */
  values: Record<string, unknown>;
  /** `plugins` (and the older `gems`) of _config.yml: which Jekyll plugins' outputs and tags the site expects. */
  plugins: string[];
  /**
   * `jekyll.environment`: JEKYLL_ENV when set; otherwise "production" for `recap build` (it builds
   * what is deployed, as GitHub Pages does) and "development" for watch and serve.
   */
  environment: string;
}

export interface SiteConfig extends SiteSettings {
  /** Absolute path of the site folder, links resolved. */
  root: string;
  /** Absolute path of the output folder, links resolved. */
  outDir: string;
  /** Replace files in the output folder that recap did not write (--force); kept files are still kept. */
  force: boolean;
  /** Folder of posts, relative to root ("posts" or Jekyll's "_posts"). */
  postsDir: string;
  /** Template folders, most specific first: the site's own, then the default theme. */
  templateDirs: string[];
  /** Folder of standalone pages ("pages"; "" for a Jekyll site, whose pages are anywhere). */
  pagesDir: string;
  /** Set for a Jekyll site (one with _config.yml): Jekyll's rules apply, and Liquid in bodies. */
  jekyll?: JekyllSettings;
  /** Things about the config worth fixing that do not stop a build (printed once). */
  warnings: string[];
  /** The theme's words in every language recap has, and the site's own tables (i18n/<language>.yml). */
  i18n: Translations;
  /** Absolute path of the cache of rendered bodies, links resolved ("" when not used: --no-cache). */
  cacheDir: string;
  /** Threads rendering markdown (one per core by default). */
  threads: number;
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
  /** The file's modification time (dates drafts that have no date in their name). */
  modified?: Date;
}

/** A post, or a standalone page from pages/ (which has no date of its own and is never listed). */
export interface Post {
  collection: 'posts' | 'pages';
  /** Order of a page in site.pages (front matter `nav_order`, default 0). */
  navOrder: number;
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
  /** Front matter `excerpt`, else the body's first paragraph as plain text, cut at a word boundary. */
  excerpt: string;
  /** A Jekyll post's `excerpt` as its templates show it: the body up to the excerpt separator, rendered ("" elsewhere). */
  excerptHtml: string;
  /** A body that reads the planned site (site.posts, paginator, site.data…): run at render, with it. */
  pendingBody?: PendingBody;
  /** Jekyll `categories`/`category`, for the :categories permalink placeholder. */
  categories: string[];
  /** `{% post_url %}` and `{% link %}` uses in a Jekyll body, whose markers in `html` planning resolves. */
  references: { kind: 'post_url' | 'link'; target: string; line: number }[];
  /** Front-matter line of each key, for messages about a key. */
  keyLines: Record<string, number>;
  /** Liquid filters a Jekyll body used that recap does not know (they print their input unchanged), for the build's warnings. */
  unknownFilters?: string[];
  /** When the post was last changed (`updated`, or Jekyll's `last_modified_at`), checked as `date` is. */
  updated?: Date;
  /** The post's own language (`language:` in a recap site's front matter), a canonical BCP 47 tag; undefined: the site's. */
  language?: string;
  /** What in the file is worth a warning though it builds (a quoted value that took in the keys below it). */
  warnings?: string[];
  /** `event:` (recap sites): the meetup this post announces or recaps. */
  event?: MeetupEvent;
  /** A recap post's `talks:`, as read (undefined: none; a Jekyll site's `talks:` is its Liquid's own). */
  talks?: Talk[];
  /** A recap post's `sponsors:`, as read, each name once (undefined: none). */
  sponsors?: Sponsor[];
  /** `attendance:` (online, offline, mixed), or from `location: Online`; undefined: neither says. */
  attendance?: Attendance;
}

/** A meetup as a post's `event:` gives it: its times are the meetup's clock times, held as UTC as post dates are. */
export interface MeetupEvent {
  start: Date;
  /** When it ends, if given (else events/timing.ts gives it a usual length). */
  end?: Date;
  /** Links as written (readLink's rules), "" when not given. */
  rsvp: string;
  online: string;
  venue: string;
  address: string;
}

/** How people attended a meetup, as schema.org's eventAttendanceMode says it. */
export type Attendance = 'online' | 'offline' | 'mixed';

/** One talk of a post's `talks:`. */
export interface Talk {
  title: string;
  /** Each speaker's name as written (none for a talk without one). */
  speakers: string[];
  company: string;
  /** Links as written (checked as every front-matter link; a relative one is beside the post). */
  slides: string;
  video: string;
  /** Seconds into the recording (the talk's `video`, else the post's) where the talk starts. */
  start?: number;
  description: string;
  /** The file line of the talk's item (of `talks:` when it cannot be told), for messages. */
  line?: number;
}

/** One sponsor of a post's `sponsors:`. */
export interface Sponsor {
  name: string;
  /** The sponsor's site, and its logo ("" for none), as written. */
  url: string;
  logo: string;
  line?: number;
}

/** A body whose template syntax runs at render, once the site is planned. */
export interface PendingBody {
  /** The body as written, and the file line it starts on. */
  text: string;
  line: number;
  /** Whether it is markdown (else its template's output is the page's HTML). */
  markdown: boolean;
  /** Where its excerpts end (see parse): the site's or the post's separator, "" for none. */
  excerptSeparator: string;
  htmlExcerptSeparator?: string;
}

export interface Tag {
  name: string;
  slug: string;
  url: string;
  /** The tag's own Atom feed, beside its page ("" when the site has none for the tag). */
  feedUrl: string;
  feedOutPath: string;
  posts: PlannedPost[];
}

/** A post with the URL planning gave it. */
export interface PlannedPost {
  post: Post;
  /** URL path including basePath. */
  url: string;
  outPath: string;
  /** The layout it is rendered with: the theme's (a Jekyll site's Liquid layout names map to it), or the site's own ("" for none). */
  layout: string;
  /** The body HTML, with Jekyll post_url/link references resolved. */
  html: string;
  /** Post.excerptHtml (references resolved), or for a body run at render, its excerpt then. */
  excerptHtml: string;
  /** Post.excerpt, the plain-text excerpt, with post_url/link references resolved. */
  excerpt: string;
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

/** One page of a list paginated `paginate` posts a page: the home page's, or a tag's. */
export interface ListPage {
  posts: PlannedPost[];
  pageNumber: number;
  totalPages: number;
  /** The page before (newer posts) and after (older posts), or "". */
  previousUrl: string;
  nextUrl: string;
}

export interface IndexPage extends PageBase, ListPage {
  kind: 'index';
  /** The upcoming events, soonest first, on the first page (empty on the others). */
  upcoming: PlannedPost[];
}

/** A tag's page: `posts` are this page's; the tag has all of them. */
export interface TagPage extends PageBase, ListPage {
  kind: 'tag';
  tag: Tag;
}

export interface TagsPage extends PageBase {
  kind: 'tags';
  tags: Tag[];
}

/** A speaker as planned: one per URL slug, every talk they gave at a listed post, in site order. */
export interface Speaker {
  /** As most talks spell it. */
  name: string;
  slug: string;
  /** Their page's URL path (with basePath). */
  url: string;
  talks: { talk: Talk; post: PlannedPost }[];
}

/** A sponsor as planned: one per name (in any case), every listed post it supported, in site order. */
export interface PlannedSponsor {
  name: string;
  /** The newest post's url and logo that give one (links beside a post made site paths). */
  url: string;
  logo: string;
  posts: PlannedPost[];
}

export interface SpeakersPage extends PageBase {
  kind: 'speakers';
  speakers: Speaker[];
}

export interface SpeakerPage extends PageBase {
  kind: 'speaker';
  speaker: Speaker;
}

export interface SponsorsPage extends PageBase {
  kind: 'sponsors';
  sponsors: PlannedSponsor[];
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

/** A standalone page from pages/ (or a Jekyll site's page). */
export interface StandalonePage extends PageBase {
  kind: 'page';
  page: PlannedPost;
  /** One page of the posts, for a page that lists them page by page (Jekyll's paginated index.html). */
  paginator?: Paginator;
}

/** What jekyll-paginate gives a paginated page, as data. */
export interface Paginator {
  page: number;
  perPage: number;
  posts: PlannedPost[];
  totalPosts: number;
  totalPages: number;
  /** Neighbouring page numbers and their URL paths (without basePath, as Jekyll gives them); undefined at either end. */
  previousPage?: number;
  previousPath?: string;
  nextPage?: number;
  nextPath?: string;
}

/** 404.html, from the theme's `404` layout. */
export interface NotFoundPage extends PageBase {
  kind: 'notFound';
}

/** search/index.html, from the theme's `search` layout: Pagefind's search box and results (see search/). */
export interface SearchPage extends PageBase {
  kind: 'search';
}

/** An Atom feed of the newest posts: the site's, or one tag's. */
export interface FeedPage extends PageBase {
  kind: 'feed';
  title: string;
  /** The HTML page the feed stands for (home page or tag page). */
  alternateUrl: string;
  posts: PlannedPost[];
  /** Set for a feed in jekyll-feed's format (a Jekyll site that enables it); recap's Atom otherwise. */
  jekyllFeed?: JekyllFeedFormat;
}

/** What a feed in jekyll-feed's format shows besides its posts. */
export interface JekyllFeedFormat {
  /** The site's author: `author` of _config.yml, a name or a map with name, email and uri. */
  author?: FeedAuthor;
  /** The site's author was given as a name alone (entries look names up in `dataAuthors`). */
  authorIsName: boolean;
  /** `site.data.authors` (_data/authors.yml): an entry's author given by a name found there is shown as that entry. */
  dataAuthors: Record<string, FeedAuthor>;
  /** `lang` of _config.yml ("" for none). */
  lang: string;
  /** `feed.excerpt_only`: entries without their content. */
  excerptOnly: boolean;
  /** The site has feed.xslt.xml: the feed names it as its stylesheet. */
  xsl: boolean;
  /** When the site was built (Jekyll's site.time): the feed's `updated`. */
  time: Date;
}

export interface FeedAuthor {
  name: string;
  email: string;
  uri: string;
}

export interface SitemapPage extends PageBase {
  kind: 'sitemap';
  entries: { url: string; lastmod?: Date }[];
  /** recap's format, or jekyll-sitemap's (a Jekyll site that enables it; `xsl`: the site has sitemap.xsl). */
  style: 'recap' | { jekyllSitemap: { xsl: boolean } };
}

export interface RobotsPage extends PageBase {
  kind: 'robots';
  sitemapUrl: string;
  /** recap's robots.txt, or jekyll-sitemap's (the Sitemap line alone). */
  style: 'recap' | 'jekyll-sitemap';
}

/** redirects.json as jekyll-redirect-from writes it: each old path (as written) → the absolute URL it redirects to. */
export interface RedirectsJsonPage extends PageBase {
  kind: 'redirectsJson';
  redirects: { from: string; to: string }[];
}

/** events.ics: every event of the site, upcoming and past, as an iCalendar feed (events/calendar.ts). */
export interface CalendarPage extends PageBase {
  kind: 'calendar';
  /** Soonest first. */
  events: PlannedPost[];
}

/** A file compiled from a source of the site (a Jekyll site's Sass → CSS, and its source map). */
export interface CompiledPage extends PageBase {
  kind: 'compiled';
  contents: string;
}

export type Page =
  | PostPage
  | StandalonePage
  | NotFoundPage
  | SearchPage
  | IndexPage
  | TagPage
  | TagsPage
  | SpeakersPage
  | SpeakerPage
  | SponsorsPage
  | RedirectPage
  | RedirectListPage
  | FeedPage
  | SitemapPage
  | RobotsPage
  | RedirectsJsonPage
  | CalendarPage
  | CompiledPage;

/** A file copied verbatim (static/ and theme assets). */
export interface CopiedFile {
  outPath: string;
  /** Absolute path of the file to copy. */
  from: string;
  origin: Origin;
  /** From a post's own folder (see recap-dialect.ts postFolderFiles): never an override of a generated file. */
  besidePost?: string;
}

export interface SitePlan {
  /** Every output page. */
  outputs: Page[];
  copies: CopiedFile[];
  /** Listed posts in site order. */
  posts: PlannedPost[];
  tags: Tag[];
  /** Each listed post's tags, deduplicated, in the order the post gives them. */
  postTags: Map<PlannedPost, Tag[]>;
  /** Standalone pages, by nav_order then title. */
  pages: PlannedPost[];
  /** The site's feed ("" when it has none), for the theme's links. */
  feedUrl: string;
  /** Speakers of the listed posts' talks, by name (the site's language's order), and the sponsors alike. */
  speakers: Speaker[];
  sponsors: PlannedSponsor[];
  /** The speakers index and the sponsors page ("" when the site has none: no listed post has talks, or sponsors). */
  speakersUrl: string;
  sponsorsUrl: string;
  /** The search page the theme's header box sends a query to ("" when the site has no search). */
  searchUrl: string;
  /** Every built post in site order, redirect_to ones too: Jekyll's site.posts. */
  sitePosts: PlannedPost[];
  /** Set when posts and pages are rendered by the site's own layouts (a Jekyll site's _layouts/, in Liquid) rather than the theme. */
  ownLayouts?: SiteTemplates;
  /** A Jekyll site's _data (its Liquid's site.data), in its own layouts or recap's theme alike. */
  data: Record<string, unknown>;
  /** What planning found worth a warning (the site's own layouts not used, sources left out). */
  warnings: string[];
  /** Built posts and pages with an `event:` that has not ended, soonest first: not listed with the recaps until it has. */
  upcoming: PlannedPost[];
  /** The site's events.ics ("" when it has no events), for the theme's links. */
  calendarUrl: string;
}

export type OutputFile =
  /** Text, or bytes (the search index's files). */
  | { path: string; contents: string | Uint8Array }
  | { path: string; copyFrom: string };

export interface BuildResult {
  outDir: string;
  /** Things worth fixing that do not stop the build. */
  warnings: string[];
  posts: number;
  /** Posts marked `draft: true` that this build left out (no --drafts); drafts/ folders are not read then, so not counted. */
  draftsLeftOut: number;
  pages: number;
  files: number;
  /** Files written and removed (a clean build writes every file). */
  written: string[];
  removed: string[];
  /**
   * The first moment after this build's `now` at which time alone changes the output (a future post
   * falls due, an upcoming event ends); undefined: none. Watch mode builds again then.
   */
  nextChange?: Date;
  /** Milliseconds per stage, and total. */
  timings: Record<'read' | 'parse' | 'plan' | 'render' | 'images' | 'search' | 'write' | 'total', number>;
}
