import fs from 'node:fs';
import path from 'node:path';

/** A small deterministic PRNG: the same corpus on every run and machine. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TAGS = ['Photos', 'Video', 'Kubernetes', 'Service Mesh', 'GitOps', 'Observability', 'Security', 'Platform', 'Serverless', 'eBPF', 'Meetup', 'Lightning Talks'];
const WORDS = 'cluster container sidecar pipeline rollout operator gateway tracing metrics pod node helm chart registry policy canary budget latency queue cache volume secret ingress controller schedule'.split(' ');
const SPEAKERS = ['Ana Lima', 'Ben Okafor', 'Chen Wei', 'Dara Nolan', 'Eva Novak', 'Farid Haddad', 'Grace Kim', 'Hugo Martin'];

/** A sentence of `words` words from WORDS, capitalized, with a full stop. */
export function sentence(rand: () => number, words: number, from: readonly string[] = WORDS): string {
  const picked = Array.from({ length: words }, () => from[Math.floor(rand() * from.length)]);
  return picked.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
}

/** The shapes of corpus the benchmarks build: see CORPUS_SHAPES. */
export type CorpusShape = 'real' | 'prose' | 'dense';

export const CORPUS_SHAPES: Record<CorpusShape, string> = {
  real: 'published recaps: sizes skewed around 1.4 KB, few links, bullets, raw HTML in 1 post in 5',
  prose: 'long paragraphs of plain prose, 4.5 KB, about one link per KB (the first corpus)',
  dense: 'recap-shaped with many links and bullet-heavy talks sections, 3+ links per KB',
};

/** A standard normal draw (Box–Muller). */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A whole number from a log-normal with this median and spread, clipped to [min, max]. */
export function skewed(rand: () => number, median: number, sigma: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * normal(rand)))));
}

export const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
const VENUES = ['Dockside Hub, Harbour City', 'The Net Loft', 'Online', 'Quayside Brewery, upstairs', 'Café Ankerplatz'];

/**
 * Front matter as organisers write it: about ten lines, a quoted year among the tags, sometimes
 * tags as a string, a single redirect_from, video and slides links.
 */
function frontMatter(index: number, rand: () => number, slug: string, year: number): string {
  const tags = [...new Set([pick(rand, TAGS), pick(rand, TAGS), pick(rand, TAGS)])];
  const lines = ['---', 'layout: post', `title: "Meetup ${index}: ${sentence(rand, 3).slice(0, -1)}"`];
  if (rand() < 0.85) lines.push(`description: ${sentence(rand, 12)}`);
  if (rand() < 0.6) lines.push(`image: /images/${slug}/cover.jpg`);
  lines.push(rand() < 0.7 ? `tags: [${tags.map((t) => JSON.stringify(t)).join(', ')}, "${year}"]` : `tags:\n${[...tags, String(year)].map((t) => `  - "${t}"`).join('\n')}`);
  lines.push(`location: ${pick(rand, VENUES)}`);
  if (rand() < 0.35) lines.push(`video: https://www.youtube.com/watch?v=v${index}`);
  if (rand() < 0.3) lines.push(`slides: https://slides.example.org/${slug}`);
  if (rand() < 0.28) lines.push(`redirect_from: /Meetup-${index}/`);
  lines.push('---');
  return lines.join('\n');
}

/** A talk in a bullet list: speaker, title, a sentence or two, maybe slides. */
function talkItem(rand: () => number, slug: string, i: number, withLink: boolean): string {
  return `- **${pick(rand, SPEAKERS)}** on *${sentence(rand, 4).slice(0, -1)}*: ${sentence(rand, 10 + Math.floor(rand() * 10))}${withLink ? ` [Slides](https://slides.example.org/${slug}/${i})` : ''}`;
}

const TWEET = (index: number, rand: () => number) =>
  `<blockquote class="twitter-tweet"><p lang="en" dir="ltr">${sentence(rand, 10)} <a href="https://t.co/x${index}">pic.twitter.com/x${index}</a></p>&mdash; A reader (@reader${index % 50}) <a href="https://twitter.com/reader/status/${index}?ref_src=twsrc%5Etfw">March 3, 2019</a></blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>`;
const VIDEO = (index: number) => `<div class="video-wrapper">\n  <iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/v${index}" title="Recording" frameborder="0" allowfullscreen></iframe>\n</div>`;

/**
 * A post in the shape of published recaps (issue #13's figures from about 270 of them): body bytes
 * median 1.4 KB, p90 3.4 KB, max 9.5 KB; links median 2, p90 9; images median 0, p90 2; bullet
 * items median 3, p90 9; headings median 0, p90 2; raw HTML in 1 post in 5 (tweets in 1 in 9).
 */
function realPost(index: number, rand: () => number, slug: string, year: number): string {
  const size = skewed(rand, 1000, 0.8, 250, 9515);
  const links = skewed(rand, 2 * (size / 1000), 1.3, 0, 17);
  const images = rand() < 0.55 ? 0 : skewed(rand, 1.5, 0.8, 1, 11);
  const bullets = skewed(rand, 3, 0.8, 0, 24);
  const headings = rand() < 0.65 ? 0 : skewed(rand, 1.5, 0.6, 1, 6);
  const tweet = rand() < 0.11;
  const video = !tweet && rand() < 0.1;
  const parts: string[] = [];
  let linksLeft = links;
  const link = () => (linksLeft-- > 0 ? ` See [the notes](https://notes.example.org/${slug}/${linksLeft}).` : '');
  parts.push(`${sentence(rand, 14)} ${sentence(rand, 10)}${link()}`);
  for (let i = 0; i < images; i++) parts.push(`![Photo ${i + 1}](/images/${slug}/photo-${i}.jpg)`);
  if (headings > 0) parts.push('## Talks');
  if (bullets > 0) parts.push(Array.from({ length: bullets }, (_, i) => talkItem(rand, slug, i, linksLeft-- > 0)).join('\n'));
  if (video) parts.push(VIDEO(index));
  if (tweet) parts.push(TWEET(index, rand));
  for (let h = 1; h < headings; h++) parts.push(`## ${sentence(rand, 3).slice(0, -1)}`, `${sentence(rand, 12)}${link()}`);
  let body = parts.join('\n\n');
  while (body.length < size) body += `\n\n${sentence(rand, 16)} ${sentence(rand, 12)}${link()} ${sentence(rand, 9)}`;
  if ((tweet || video) && rand() < 0.5) body += '<br>\nThanks to our sponsors!';
  return body;
}

/** Recap-shaped with many links (3+ per KB) and a bullet-heavy talks section, about 5.4 KB. */
function densePost(index: number, rand: () => number, slug: string): string {
  const talks = Array.from({ length: 8 + Math.floor(rand() * 6) }, (_, i) => talkItem(rand, slug, i, rand() < 0.7));
  const parts = [`${sentence(rand, 12)} [RSVP](https://meetup.example.org/${slug}) and [venue](https://maps.example.org/${index}).`, '## Talks', talks.join('\n'), VIDEO(index), '## Links'];
  parts.push(Array.from({ length: 6 }, (_, i) => `- [${sentence(rand, 3).slice(0, -1)}](https://links.example.org/${slug}/${i}): ${sentence(rand, 8)}`).join('\n'));
  let body = parts.join('\n\n');
  while (body.length < 5200) body += `\n\n${sentence(rand, 14)} ${sentence(rand, 10)} [More](https://more.example.org/${slug}/${body.length}).`;
  return body;
}

/**
 * A post's day: one a day, backwards from the end of 2022, so that a corpus of any size is all in
 * the past (counting forwards from 2012, posts past 5,400 were future posts, and not built).
 */
const corpusDay = (index: number) => new Date(Date.UTC(2022, 11, 31) - index * 86_400_000);

/** One post of the given shape. */
export function corpusPost(index: number, rand: () => number, shape: CorpusShape = 'prose'): { name: string; text: string } {
  if (shape !== 'prose') {
    const day = corpusDay(index);
    const slug = `meetup-recap-${index}`;
    const body = shape === 'real' ? realPost(index, rand, slug, day.getUTCFullYear()) : densePost(index, rand, slug);
    return { name: `${day.toISOString().slice(0, 10)}-${slug}.md`, text: `${frontMatter(index, rand, slug, day.getUTCFullYear())}\n${body}\n` };
  }
  return prosePost(index, rand);
}

/** One recap-shaped post of about 5 KB of long plain paragraphs: front matter, photos, talk bullets, links, a video embed. */
function prosePost(index: number, rand: () => number): { name: string; text: string } {
  const day = corpusDay(index);
  const date = day.toISOString().slice(0, 10);
  const slug = `meetup-recap-${index}`;
  const tagCount = 3 + Math.floor(rand() * 3);
  const tags = [...new Set(Array.from({ length: tagCount }, () => TAGS[Math.floor(rand() * TAGS.length)])), String(day.getUTCFullYear())];
  const talks = Array.from({ length: 3 }, (_, i) => {
    const speaker = SPEAKERS[Math.floor(rand() * SPEAKERS.length)];
    return `- **${speaker}** on *${sentence(rand, 4)}* ${sentence(rand, 18)} ${sentence(rand, 14)} [Slides](https://slides.example.org/${slug}/${i})`;
  });
  const paragraphs = Array.from({ length: 6 }, () => `${sentence(rand, 20)} ${sentence(rand, 16)} ${sentence(rand, 22)} ${sentence(rand, 12)}`);
  const text = `---
layout: post
title: "Meetup ${index}: ${sentence(rand, 3).slice(0, -1)}"
description: ${sentence(rand, 12)}
image: /images/${slug}/cover.jpg
tags: ${JSON.stringify(tags)}
redirect_from: /Meetup-${index}/
location: Dockside Hub, Harbour City
---
${paragraphs[0]}

![The room](/images/${slug}/room.jpg)

## Talks

${talks.join('\n')}

${paragraphs[1]}

<div class="video-wrapper">
    <iframe src="https://www.youtube-nocookie.com/embed/abc${index}" title="Recording" allowfullscreen></iframe>
</div>

${paragraphs.slice(2).join('\n\n')}

Thanks to our hosts and to everyone who came. See https://example.org/meetup for the next date.
`;
  return { name: `${date}-${slug}.md`, text };
}

/** Writes `count` posts of a shape into `<root>/posts` (replacing what was there). */
export function writeCorpus(root: string, count: number, shape: CorpusShape = 'prose'): void {
  const posts = path.join(root, 'posts');
  fs.rmSync(posts, { recursive: true, force: true });
  fs.mkdirSync(posts, { recursive: true });
  const rand = random(4000);
  for (let i = 0; i < count; i++) {
    const { name, text } = corpusPost(i, rand, shape);
    fs.writeFileSync(path.join(posts, name), text);
  }
  fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: Benchmark meetup\nurl: https://bench.example.org\n');
}

/** Median, min and max of a list of numbers. */
export function stats(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** What a corpus holds, measured from its files: body sizes, links and bullet items per post. */
export function describeCorpus(root: string): string {
  const dir = path.join(root, 'posts');
  const bodies = fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, ''));
  const bytes = stats(bodies.map((b) => Buffer.byteLength(b)));
  const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)];
  const links = bodies.map((b) => (b.match(/\]\(https?:/g) ?? []).length);
  const bullets = bodies.map((b) => (b.match(/^- /gm) ?? []).length);
  const totalKb = bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) / 1024;
  const raw = bodies.filter((b) => /<(div|blockquote|br|img|iframe)\b/.test(b)).length;
  return `body bytes median ${bytes.median}, p90 ${p90(bodies.map((b) => Buffer.byteLength(b)))}, max ${bytes.max}; links median ${stats(links).median}, p90 ${p90(links)} (${(links.reduce((a, b) => a + b, 0) / totalKb).toFixed(1)}/KB); bullets median ${stats(bullets).median}, p90 ${p90(bullets)}; raw HTML in ${((100 * raw) / bodies.length).toFixed(0)}%`;
}
