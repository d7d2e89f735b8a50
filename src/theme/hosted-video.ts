/**
 * YouTube and Vimeo recordings: which links are one, read strictly, and what the theme and the
 * JSON-LD make of them (the embeddable player, the video facade's thumbnail).
 */
/** A YouTube or Vimeo recording, by an id that is only letters, digits, `-` and `_` (Vimeo: digits). */
export interface HostedVideo {
  provider: 'youtube' | 'vimeo';
  id: string;
}

/** The hosted video a link points at, read strictly: anything else (another host, an odd id) is no video. */
export function hostedVideo(value: unknown): HostedVideo | undefined {
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  // The link itself is printed as the facade's href: javascript://youtube.com/… is no video.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname.replace(/^www\.|^m\./, '');
  let id: string | null = null;
  if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
    id = url.pathname === '/watch' ? url.searchParams.get('v') : /^\/(?:embed|shorts|live)\/([\w-]+)/.exec(url.pathname)?.[1] ?? null;
  } else if (host === 'youtu.be') {
    id = url.pathname.slice(1);
  }
  if (id && /^[\w-]+$/.test(id)) return { provider: 'youtube', id };
  const vimeo = host === 'vimeo.com' ? /^\/(\d+)/.exec(url.pathname)?.[1] : undefined;
  return vimeo ? { provider: 'vimeo', id: vimeo } : undefined;
}

/** The embeddable player URL for a YouTube or Vimeo link, else "". */
export function videoEmbedUrl(value: unknown): string {
  const video = hostedVideo(value);
  if (!video) return '';
  return video.provider === 'youtube' ? `https://www.youtube-nocookie.com/embed/${video.id}` : `https://player.vimeo.com/video/${video.id}`;
}

/**
 * What the default theme's video facade shows for a YouTube or Vimeo link (undefined for any other
 * link): the player that starts when it is loaded, and YouTube's thumbnail (Vimeo has none
 * without its API). The player is only loaded when the visitor asks for it.
 */
export function videoFacade(value: unknown): { provider: HostedVideo['provider']; playerUrl: string; thumbnailUrl: string } | undefined {
  const video = hostedVideo(value);
  if (!video) return undefined;
  return {
    provider: video.provider,
    playerUrl: `${videoEmbedUrl(value)}?autoplay=1`,
    thumbnailUrl: video.provider === 'youtube' ? `https://i.ytimg.com/vi/${video.id}/hqdefault.jpg` : '',
  };
}
