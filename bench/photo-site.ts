/**
 * A recap site with photos, as a meetup's organisers publish it: monthly posts with front matter
 * (layout, title, description, image, tags, location, a YouTube video, slides), talk summaries in
 * bullet lists, 6–10 photos of the room and of each speaker as markdown images with a title, one
 * raw <img>, a video embed in the newest post, sponsors' logos (a PNG and an SVG) and the next
 * meetup's date; and pages (about, code of conduct, sponsors). The photos are phone-size JPEGs from
 * bench/photos.ts, copied into static/images/. Used by `npm run bench:pages` (Lighthouse) and the
 * photos corpus of `npm run bench`.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { pick, random, sentence } from './corpus.js';
import { ensurePhotos, type Photo } from './photos.js';

/** A post of the site: its file and the URL recap gives it. */
export interface SitePost {
  file: string;
  url: string;
  photos: number;
  video: boolean;
}

export interface PhotoSite {
  posts: SitePost[];
  /** Every photo file copied into static/, site-relative. */
  photoFiles: string[];
  photoBytes: number;
}

const SPEAKERS: readonly (readonly [string, string])[] = [
  ['Amara Osei', 'Tidewater Payments'],
  ['Bruno Castell', 'Gullwing Games'],
  ['Chiara Bellini', 'Northquay Logistics'],
  ['Dmitri Volkov', 'Lantern Health'],
  ['Esther Mwangi', 'Saltmarsh Energy'],
  ['Finn Halloran', 'Copperkettle Labs'],
  ['Gita Raman', 'Harbourline Ferries'],
  ['Hamid Qureshi', 'Brightwater Bank'],
  ['Ines Duarte', 'Pierhead Studio'],
  ['Jonas Lindqvist', 'Tidewater Payments'],
];
const TOPICS = ['Platform Engineering', 'GitOps', 'Observability', 'Security', 'Kubernetes', 'Service Mesh', 'eBPF', 'Cost'];
const VENUES = ['Dockside Hub, 4 Quay Street, Harbour City', 'The Ropeworks, 3 Chandlers Lane, Harbour City', 'Saltmarsh Energy, Level 5, 20 Mill Road'];
const TALK_WORDS = 'rollouts budgets on-call dashboards clusters sidecars policies pipelines upgrades alerts tracing secrets runbooks queues canaries'.split(' ');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A YouTube-style video id, eleven characters. */
function videoId(rand: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from({ length: 11 }, () => pick(rand, [...alphabet])).join('');
}

/** The post's date: monthly, the second Tuesday, backwards from June 2026. */
function meetupDay(index: number): Date {
  const first = new Date(Date.UTC(2026, 5 - index, 1));
  const firstTuesday = 1 + ((9 - first.getUTCDay()) % 7);
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), firstTuesday + 7));
}

const longDate = (day: Date) => `${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][day.getUTCDay()]} ${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;

/**
 * Post number `index` (0 is the newest): markdown, and the photos it shows, by their site paths in
 * order (/images/<date>/photo-N.jpg); `withEmbed` adds the YouTube iframe.
 */
function recapPost(index: number, photoCount: number, withEmbed: boolean): { name: string; slug: string; day: Date; text: string; photos: string[] } {
  const rand = random(7_000 + index);
  const day = meetupDay(index);
  const date = day.toISOString().slice(0, 10);
  const topic = TOPICS[index % TOPICS.length];
  const slug = `${topic.toLowerCase().replace(/\s+/g, '-')}-night-${MONTHS[day.getUTCMonth()].toLowerCase()}-${day.getUTCFullYear()}`;
  const folder = `/images/${date}`;
  const photos = Array.from({ length: photoCount }, (_, i) => `${folder}/photo-${i + 1}.jpg`);
  const speakers = [...new Set([pick(rand, SPEAKERS), pick(rand, SPEAKERS), pick(rand, SPEAKERS)])];
  const venue = pick(rand, VENUES);
  const video = videoId(rand);
  const next = meetupDay(index - 1);
  const frontMatter = [
    '---',
    'layout: post',
    `title: "${topic} Night, ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}"`,
    `description: "Talks on ${topic.toLowerCase()} from ${speakers.map(([name]) => name).join(', ')}, with photos, slides and the recording."`,
    `image: ${photos[0]}`,
    `tags: [Photos, Video, "${topic}", "${day.getUTCFullYear()}"]`,
    `location: "${venue}"`,
    `video: https://www.youtube.com/watch?v=${video}`,
    `slides: https://slides.example.org/harbour-lights/${slug}`,
    '---',
  ].join('\n');
  // Photos in the order they appear: the room first, one of each speaker, the rest of the room.
  let shown = 0;
  const photo = (alt: string, title: string) => `![${alt}](${photos[shown++]} "${title}")`;
  const talks = speakers.map(
    ([name, company], i) =>
      `- **${name}** (${company}) on *${sentence(rand, 4, TALK_WORDS).slice(0, -1)}*: ${sentence(rand, 14)} ${sentence(rand, 10)} [Slides](https://slides.example.org/harbour-lights/${slug}/${i + 1})`,
  );
  const parts = [
    `Our ${MONTHS[day.getUTCMonth()]} meetup was about ${topic.toLowerCase()}, at ${venue.split(',')[0]}. ${sentence(rand, 16)} ${sentence(rand, 12)}`,
    photo('The room before the first talk', `The room at ${venue.split(',')[0]}`),
    '## Talks',
    talks.join('\n'),
  ];
  for (const [name, company] of speakers) if (shown < photoCount - 2) parts.push(photo(name, `${name}, ${company}`));
  parts.push(`${sentence(rand, 14)} Questions ran long, so the lightning talks moved to the break.`);
  if (withEmbed) {
    parts.push(
      'The recording of the talks:',
      `<div class="video-wrapper">\n  <iframe src="https://www.youtube-nocookie.com/embed/${video}" title="Recording of the talks" allowfullscreen></iframe>\n</div>`,
    );
  }
  parts.push('## The evening in photos');
  while (shown < photoCount - 1) parts.push(photo(`The audience during the talks, ${shown}`, 'Harbour Lights meetup'));
  parts.push(`<img src="${photos[shown++]}" alt="Everyone who stayed for the group photo">`);
  parts.push(
    '## Thanks',
    `Thanks to **Saltmarsh Energy** for the room and to **Copperkettle Labs** for pizza and drinks.\n\n![Saltmarsh Energy](/images/sponsors/saltmarsh.png) ![Copperkettle Labs](/images/sponsors/copperkettle.svg)`,
    '## Next meetup',
    `Our next meetup is on **${longDate(next)}** at Dockside Hub. [RSVP on the meetup page](https://meetup.example.org/harbour-lights) and [propose a talk](/speak/).`,
  );
  return { name: `${date}-${slug}.md`, slug, day, text: `${frontMatter}\n${parts.join('\n\n')}\n`, photos };
}

const PAGES: Record<string, string> = {
  'pages/about.md': `---
title: About Harbour Lights
nav_title: About
nav_order: 1
description: A monthly evening of talks about running software in the cloud, in Harbour City.
---
Harbour Lights is a volunteer-run meetup for people who build and run cloud-native systems. We meet
on the second Tuesday of most months for two or three talks, lightning talks when there is time, and
pizza.

- **Where:** usually Dockside Hub, 4 Quay Street; the venue is on each meetup's page.
- **Who:** anyone curious, from first-year developers to people who have run clusters for a decade.
- **Cost:** free, thanks to our [sponsors](/sponsors/).

Every evening follows our [code of conduct](/code-of-conduct/). Want to talk? [Propose a talk](/speak/).
`,
  'pages/code-of-conduct.md': `---
title: Code of conduct
nav_order: 3
description: How we expect everyone at Harbour Lights to treat each other, and how to reach the organisers.
---
Harbour Lights is for everyone. We do not tolerate harassment in any form, at the venue or online.

1. Be kind, and assume good intent.
2. Respect that people differ in background, experience and opinion.
3. If something makes you uncomfortable, tell an organiser (the people in orange lanyards) or write
   to [conduct@example.org](mailto:conduct@example.org).
`,
  'pages/speak.md': `---
title: Propose a talk
nav_title: Speak
nav_order: 2
description: Talks are 25 minutes with questions; lightning talks are 5. First-time speakers are very welcome.
---
Talks are 25 minutes including questions; lightning talks are 5 minutes. Tell us what you would like
to talk about in a few sentences at [talks@example.org](mailto:talks@example.org), and we will find
an evening for it. We are happy to rehearse with first-time speakers.
`,
  'pages/sponsors.md': `---
title: Our sponsors
nav_order: 4
description: The companies that give us rooms, pizza and drinks.
---
Harbour Lights is free because of the companies that host and feed us.

![Saltmarsh Energy](/images/sponsors/saltmarsh.png)

**Saltmarsh Energy** lends us their fifth floor twice a year.

![Copperkettle Labs](/images/sponsors/copperkettle.svg)

**Copperkettle Labs** has paid for pizza since 2023.
`,
};

const SVG_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" viewBox="0 0 240 80"><rect width="240" height="80" rx="12" fill="#b5541c"/><circle cx="40" cy="40" r="22" fill="#f3c77a"/><text x="74" y="50" font-family="sans-serif" font-size="24" fill="#fff">Copperkettle</text></svg>\n`;

/** The PNG sponsor logo: 480×160, as a sponsor sends it (twice the size it is shown at). */
function pngLogo(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160"><rect width="480" height="160" fill="#0d3b66"/><path d="M40 120 L100 40 L160 120 Z" fill="#f4d35e"/><text x="180" y="100" font-family="sans-serif" font-size="44" fill="#fff">Saltmarsh</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export interface PhotoSiteOptions {
  title: string;
  url: string;
  posts: number;
  /** The folder photos are generated into and kept (bench/photos.ts). */
  photoCache: string;
  onProgress?: (message: string) => void;
}

/** Writes the site into `root` (config, posts/, pages/, static/images/), replacing posts/ and static/. */
export async function writePhotoSite(root: string, options: PhotoSiteOptions): Promise<PhotoSite> {
  for (const folder of ['posts', 'pages', 'static']) fs.rmSync(path.join(root, folder), { recursive: true, force: true });
  const counts = Array.from({ length: options.posts }, (_, i) => 6 + Math.floor(random(500 + i)() * 5));
  const total = counts.reduce((a, b) => a + b, 0);
  const photos: Photo[] = await ensurePhotos(options.photoCache, total, (made) => options.onProgress?.(`  drew ${made} of the photos missing from ${options.photoCache}`));
  fs.writeFileSync(
    path.join(root, 'recap.config.yml'),
    `title: ${options.title}\ndescription: Recaps of our monthly evenings of cloud-native talks in Harbour City, with photos and recordings.\nurl: ${options.url}\n`,
  );
  const posts: SitePost[] = [];
  const photoFiles: string[] = [];
  let next = 0;
  for (let i = 0; i < options.posts; i++) {
    const post = recapPost(i, counts[i], i === 0);
    fs.mkdirSync(path.join(root, 'posts'), { recursive: true });
    fs.writeFileSync(path.join(root, 'posts', post.name), post.text);
    for (const sitePath of post.photos) {
      const file = path.join('static', sitePath);
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.copyFileSync(photos[next++].file, path.join(root, file));
      photoFiles.push(file);
    }
    const [year, month, day] = post.name.split('-');
    posts.push({ file: `posts/${post.name}`, url: `/${year}/${month}/${day}/${post.slug}/`, photos: post.photos.length, video: i === 0 });
  }
  const sponsors = path.join(root, 'static/images/sponsors');
  fs.mkdirSync(sponsors, { recursive: true });
  fs.writeFileSync(path.join(sponsors, 'saltmarsh.png'), await pngLogo());
  fs.writeFileSync(path.join(sponsors, 'copperkettle.svg'), SVG_LOGO);
  for (const [file, text] of Object.entries(PAGES)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return { posts, photoFiles, photoBytes: photos.slice(0, next).reduce((sum, p) => sum + p.bytes, 0) };
}
