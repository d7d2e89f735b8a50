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

function sentence(rand: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]);
  return picked.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
}

/** One recap-shaped post of about 5 KB: front matter, photos, talk bullets, links, a video embed. */
export function corpusPost(index: number, rand: () => number): { name: string; text: string } {
  const day = new Date(Date.UTC(2012, 0, 1) + index * 86_400_000);
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

/** Writes `count` posts into `<root>/posts` (replacing what was there). */
export function writeCorpus(root: string, count: number): void {
  const posts = path.join(root, 'posts');
  fs.rmSync(posts, { recursive: true, force: true });
  fs.mkdirSync(posts, { recursive: true });
  const rand = random(4000);
  for (let i = 0; i < count; i++) {
    const { name, text } = corpusPost(i, rand);
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
