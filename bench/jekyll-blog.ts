/**
 * A Jekyll meetup blog of our own at the size of a real one: test/jekyll-site's layouts, includes,
 * pages and data, with `count` recaps (default 270) whose shape follows published recaps: body
 * sizes from a skewed distribution (median about 1.4 KB, a long tail to 9 KB), a few links, bullet
 * lists of talks, photos in some, raw HTML in one post in five (video iframes, tweet blockquotes with
 * their script, <br>), front matter of about ten lines with odd YAML (a quoted year among the tags,
 * tags as a string, a single redirect_from, times with zones), and tag archive pages made by their
 * layout.
 *
 *   node dist/bench/jekyll-blog.js <folder> [count]
 *
 * Then `npm run compare:jekyll -- <folder>` compares recap's build with real Jekyll's, page by page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pick, random, sentence as corpusSentence, skewed } from './corpus.js';

const REPO = path.resolve(fileURLToPath(import.meta.url), '../../..');
const SITE = path.join(REPO, 'test/jekyll-site');

const TAGS = ['Photos', 'Video', 'Kubernetes', 'Service Mesh', 'GitOps', 'Observability', 'Security', 'Platform', 'Serverless', 'eBPF', 'Lightning Talks', 'Workshop'];
const WORDS = 'cluster container sidecar pipeline rollout operator gateway tracing metrics pod node helm chart registry policy canary budget latency queue cache volume secret ingress controller schedule team pager incident review'.split(' ');
const PEOPLE = ['Ana Lima', 'Ben Okafor', 'Chen Wei', 'Dara Nolan', 'Eva Novak', 'Farid Haddad', 'Grace Kim', 'Hugo Martin', 'Józef Wąs', 'Zoë Brontë'];
const VENUES = ['The Net Loft, Harbour Street', 'Dockside Library, Room 2', 'Quayside Brewery upstairs room', 'Online', 'Café Ankerplatz'];

const sentence = (rand: () => number, words: number) => corpusSentence(rand, words, WORDS);

function post(index: number, rand: () => number): { name: string; text: string } {
  const day = new Date(Date.UTC(2017, 0, 10) + index * 12 * 86_400_000);
  const date = day.toISOString().slice(0, 10);
  const slug = `${pick(rand, ['meetup', 'recap', 'evening', 'night'])}-${index}`;
  const year = day.getUTCFullYear();
  const tags = [...new Set([pick(rand, TAGS), pick(rand, TAGS)])];
  const lines = ['---', 'layout: post', `title: "${sentence(rand, 4).slice(0, -1)}: ${pick(rand, ['a recap', 'notes', "what we learned", 'the talks'])}"`];
  if (rand() < 0.8) lines.push(`description: ${sentence(rand, 10)}`);
  if (rand() < 0.4) lines.push(`image: /images/logo.png`);
  lines.push(rand() < 0.5 ? `tags: [${tags.map((t) => JSON.stringify(t)).join(', ')}, "${year}"]` : `tags: ${tags.map((t) => t.replace(/ /g, '-')).join(' ')}`);
  lines.push(`location: ${pick(rand, VENUES)}`);
  if (rand() < 0.3) lines.push(`video: https://www.youtube.com/watch?v=tw${index}`);
  if (rand() < 0.3) lines.push(`slides: https://slides.example.org/${slug}`);
  if (rand() < 0.28) lines.push(`redirect_from: /${slug.replace(/^./, (c) => c.toUpperCase())}/`);
  if (rand() < 0.1) lines.push(`date: ${date} 18:30:00 +0100`);
  lines.push('---');

  // Body sizes skewed around 1.4 KB with a long tail, as published recaps.
  const target = skewed(rand, 1424, 0.6, 300, 9500);
  const parts: string[] = [];
  let size = 0;
  const add = (text: string) => {
    parts.push(text);
    size += text.length + 2;
  };
  add(`${sentence(rand, 14)} ${sentence(rand, 10)} We met at ${pick(rand, VENUES)} -- ${pick(rand, ['thanks', "it's", 'as ever'])} to "our hosts".`);
  if (rand() < 0.3) add(`![The room](/images/logo.png)`);
  const talks = 1 + Math.floor(rand() * 4);
  add(talks > 2 ? '## Talks' : 'The talks:');
  add(
    Array.from({ length: talks }, (_, i) => `- **${pick(rand, PEOPLE)}** on *${sentence(rand, 4).slice(0, -1)}*: ${sentence(rand, 12)}${rand() < 0.5 ? ` [Slides](https://slides.example.org/${slug}/${i})` : ''}`).join('\n'),
  );
  const raw = rand() < 0.2;
  if (raw && rand() < 0.6) add(`<div class="video-wrapper">\n  <iframe src="https://www.youtube-nocookie.com/embed/tw${index}" title="Recording" allowfullscreen></iframe>\n</div>`);
  else if (raw) add(`<blockquote class="twitter-tweet"><p lang="en">${sentence(rand, 9)}</p>&mdash; A reader (@reader) <a href="https://twitter.com/reader/status/${index}">${date}</a></blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>`);
  while (size < target) add(`${sentence(rand, 16)} ${sentence(rand, 12)}${rand() < 0.3 ? ` See [the notes](https://notes.example.org/${index}/${size}).` : ''} ${sentence(rand, 9)}`);
  add(`Next meetup: ${pick(rand, ['the second Tuesday', 'early next month', 'after the summer'])}... see you there!${rand() < 0.2 ? '<br>\nThanks to our sponsors.' : ''}`);
  return { name: `${date}-${slug}.md`, text: `${lines.join('\n')}\n${parts.join('\n\n')}\n` };
}

/** Writes the blog into `root` (which should be empty or absent). */
export function writeJekyllBlog(root: string, count = 270): void {
  fs.cpSync(SITE, root, { recursive: true, filter: (source) => !source.startsWith(path.join(SITE, '_posts')) && !source.startsWith(path.join(SITE, '_drafts')) });
  fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
  const rand = random(270);
  const tags = new Set<string>();
  for (let i = 0; i < count; i++) {
    const { name, text } = post(i, rand);
    fs.writeFileSync(path.join(root, '_posts', name), text);
  }
  for (const tag of TAGS) tags.add(tag);
  for (const tag of tags) {
    const slug = tag.toLowerCase().replace(/ /g, '-');
    fs.writeFileSync(path.join(root, 'tag', `${slug}.md`), `---\nlayout: archive\ntag: ${tag}\npermalink: /tag/${slug}/\n---\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root, count] = process.argv.slice(2);
  if (!root) {
    console.error('usage: node dist/bench/jekyll-blog.js <folder> [count]');
    process.exitCode = 2;
  } else {
    writeJekyllBlog(root, count ? Number(count) : 270);
    console.log(`wrote a Jekyll blog of ${count ?? 270} posts into ${root}`);
  }
}
