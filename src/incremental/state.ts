/** What one build leaves for the next, and what the watcher says changed in between. */
import type { ImageSource } from '../images/catalog.js';
import type { BodyEngine, CompiledFiles } from '../pipeline/dialect.js';
import type nunjucks from 'nunjucks';
import type { SiteError } from '../pipeline/errors.js';
import type { PlanMemo } from '../pipeline/plan.js';
import type { CopySource } from '../pipeline/read.js';
import type { PlannedPost, Post, SitePlan } from '../pipeline/types.js';
import type { RenderContext, ViewMemo } from '../theme/views.js';
import type { ListingKeys } from './fingerprints.js';

/** What changed since the previous build, as the watcher saw it. */
export interface Changes {
  /** Site-relative paths of post files created, changed or deleted; undefined: any post may have changed. */
  posts?: string[];
  /** Something under templates/ changed: layouts are listed and every page is rendered again. */
  templates: boolean;
  /** Something under static/ or templates/assets/ changed (default: true). */
  copies?: boolean;
}

/** One source file as last read, with what parsing it gave. */
export interface ParsedFile {
  hash: string;
  /** The post, when the file has no errors. */
  post?: Post;
  /** Every problem of the file, kept until it is saved again; undefined when it has none. */
  errors?: SiteError[];
  /** With `errors`, the post as far as it could be read (wrong values replaced by fallbacks), for the checks that still hold; never built. */
  failedPost?: Post;
  /** Whether the body was rendered: posts that are not built skip that. */
  rendered: boolean;
  usesTemplates: boolean;
}

export interface OutputRecord {
  /** What the file was made from (see pageFingerprint); empty for copies. */
  fingerprint: readonly string[];
  /** The templates it was rendered with (see BuildState.templateGeneration). */
  templateGeneration: number;
  usesSiteListing: boolean;
  usesContent: boolean;
  usesPages: boolean;
  /** Rendered with the whole site at hand (a body run at render in recap's theme, a Liquid page reading site.time): rendered again on every build. */
  usesWholeSite: boolean;
  /** In the site's own Liquid layouts: its fingerprint is the site renderer's, with the bodies it read (contentOf). */
  ownLayout?: { contentOf: readonly string[] };
  /** The site images it shows or shares (see PageReads). */
  images?: readonly string[];
  /** Hash of the bytes written (for copies, the source's stamp): the same bytes are not written again. */
  hash: string;
}

/** What a file made from other outputs (the search index) is recorded with: no fingerprint of its own, like a copy. */
export const GENERATED_OUTPUT = { fingerprint: [], usesSiteListing: false, usesContent: false, usesPages: false, usesWholeSite: false } as const;

/** What a page's render read beyond its own data. */
export interface PageReads {
  usesSiteListing: boolean;
  usesContent: boolean;
  usesPages: boolean;
  /** It may have read anything of the site (see OutputRecord). */
  usesWholeSite: boolean;
  /** In the site's own layouts: the bodies it read (see OutputRecord). */
  ownLayout?: { contentOf: readonly string[] };
  /** The site images it shows or shares, by content (see images/site-images.ts): one changed, it is rendered again. */
  images?: readonly string[];
}

/** What a build leaves for the next one in watch mode. Opaque outside this module. */
export interface BuildState {
  configKey: string;
  templates: nunjucks.Environment;
  bodyEngine: BodyEngine;
  /** Counts template changes; outputs rendered with older templates are rendered again. */
  templateGeneration: number;
  postPaths: string[];
  files: Map<string, ParsedFile>;
  copies: CopySource[];
  /** The compiled stylesheets: compiled again when the copies are listed again (a .scss file is one of the site's files). */
  compiled: CompiledFiles;
  /** The site's image files as last read: read again with the copies. */
  imageCatalog: Map<string, ImageSource>;
  /** A failed build saw static/ or assets change: the next build must copy again. */
  copiesStale: boolean;
  layouts: string[];
  planMemo: PlanMemo;
  viewMemo: ViewMemo;
  outputs: Map<string, OutputRecord>;
  outputsSum: bigint;
  /** The output marker's list of files (output-ownership.ts fileList), made again only when a path comes or goes. */
  fileList?: string;
  /** What the output's search index was made from (search/index.ts searchKey); undefined without one. */
  searchKey?: string;
  listingKeys: ListingKeys;
  /** The last good build's plan; undefined after a failed build. */
  last?: { plan: SitePlan; context: RenderContext; postPages: Map<string, PlannedPost>; nextDue: number };
}
