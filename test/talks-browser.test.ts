/**
 * Talk cards, the sponsor row and the speaker and sponsor pages in a real browser: no page scrolls
 * sideways at phone widths, whatever the names, titles and logos, in a left-to-right and a
 * right-to-left site; logos keep to their box, on white in the dark scheme too.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type SiteServer } from '../src/dev/serve.js';
import { buildInto, writeSite } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = !fs.existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : false;

const PHONE_WIDTHS = [320, 360, 390, 414];
const LONG_NAME = 'Maximilianus Wolfeschlegelsteinhausenbergerdorff-Kubernetesoperatorreconciliation';
const LONG_COMPANY = 'Supercalifragilisticexpialidociouslyunbreakable Cloud Infrastructure Consultancy GmbH & Co. KG';
const LONG_TITLE = `Operators all the way down: ${'reconciliation-loop-'.repeat(5)}and what we learned`;

/** Two posts with many talks and sponsors: long names, a talk of six speakers, a wide and a tall logo, and a logo-less sponsor with a long name. */
const posts = (language: string) => ({
  'recap.config.yml': `title: Talks in a browser\nurl: https://meetup.example.org\nlanguage: ${language}\n`,
  'posts/2024-03-12-first.md': `---
title: "${LONG_TITLE}"
video: https://www.youtube.com/watch?v=abcDEF12345
talks:
  - title: "${LONG_TITLE}"
    speaker: [${LONG_NAME}, Ana Lima, Bo Chen, Олена Коваленко, 山田太郎, محمد علي]
    company: "${LONG_COMPANY}"
    slides: https://slides.example.com/${'a-very-long-path-segment-'.repeat(6)}
    start: "1:02:03"
    description: "${LONG_TITLE} ${LONG_TITLE}"
  - title: Short
    speaker: ${LONG_NAME}
sponsors:
  - {name: Wide Logo Ltd, url: https://wide.example, logo: /images/wide.svg}
  - {name: Tall Logo Ltd, url: https://tall.example, logo: /images/tall.png}
  - "${LONG_COMPANY}"
  - {name: Remote Logo, logo: https://cdn.example.org/remote.png}
---
An evening.
`,
  'posts/2024-04-09-second.md': `---\ntitle: Second\ntalks:\n  - title: Again\n    speaker: ${LONG_NAME}\nsponsors: ["${LONG_COMPANY}"]\n---\nAnother evening.\n`,
});

async function site(language: string): Promise<string> {
  const root = writeSite(posts(language));
  fs.mkdirSync(path.join(root, 'static/images'), { recursive: true });
  fs.writeFileSync(path.join(root, 'static/images/wide.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 40"><rect width="1000" height="40" fill="#123"/></svg>');
  await sharp({ create: { width: 300, height: 1200, channels: 3, background: '#0b6e4f' } }).png().toFile(path.join(root, 'static/images/tall.png'));
  return buildInto(root);
}

describe('talks, speakers and sponsors in a real browser', { skip }, () => {
  let browser: Browser;
  let page: Page;
  const servers: SiteServer[] = [];
  const bases: Record<string, string> = {};

  before(async () => {
    for (const language of ['en', 'ar']) {
      const server = await startServer({ outDir: await site(language), basePath: '/', host: '127.0.0.1', port: 0, liveReload: false });
      servers.push(server);
      bases[language] = server.url;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const context = await browser.newContext();
    // Nothing leaves the machine: the site is served, anything else is refused.
    await context.route('**/*', (route) => (Object.values(bases).some((base) => route.request().url().startsWith(base)) ? route.continue() : route.abort()));
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
  });

  const pages = (base: string) => ({
    post: `${base}2024/03/12/first/`,
    speakers: `${base}speakers/`,
    speaker: `${base}speakers/${LONG_NAME.toLowerCase().replace(/[^a-z]+/g, '-')}/`,
    sponsors: `${base}sponsors/`,
  });

  it('scrolls no page sideways at 320, 360, 390 and 414 px, left to right and right to left', async () => {
    const widest: string[] = [];
    for (const [language, base] of Object.entries(bases)) {
      for (const width of PHONE_WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        for (const [kind, url] of Object.entries(pages(base))) {
          const response = await page.goto(url);
          assert.equal(response?.status(), 200, url);
          const scrollWidth = await page.evaluate<number>('document.scrollingElement.scrollWidth');
          if (scrollWidth > width) widest.push(`${language} ${kind} at ${width} px: ${scrollWidth} px wide`);
        }
      }
    }
    assert.deepEqual(widest, []);
  });

  it('keeps every logo within a 3rem-high box at most 10rem wide, undistorted, on white in the dark scheme too', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 390, height: 844 });
      for (const url of [pages(bases.en).post, pages(bases.en).sponsors]) {
        await page.goto(url);
        await page.evaluate("Promise.all([...document.querySelectorAll('.sponsor-row img, .sponsor-index img')].map((img) => (img.loading = 'eager', img.decode().catch(() => undefined))))");
        const logos = await page.evaluate<{ alt: string; width: number; height: number; fit: string; background: string }[]>(`
          [...document.querySelectorAll('.sponsor-row img, .sponsor-index img')].map((img) => {
            const box = img.getBoundingClientRect();
            const style = getComputedStyle(img);
            return { alt: img.alt || img.src, width: box.width, height: box.height, fit: style.objectFit, background: style.backgroundColor };
          })`);
        assert.ok(logos.length >= 3, `${url}: the logos`);
        for (const logo of logos) {
          assert.ok(logo.height <= 48.5 && logo.width <= 160.5, `${scheme} ${url} ${logo.alt}: ${logo.width}×${logo.height}`);
          assert.equal(logo.fit, 'contain', `${logo.alt} keeps its shape`);
          assert.equal(logo.background, 'rgb(255, 255, 255)', `${scheme}: ${logo.alt} on white`);
        }
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it("puts an Arabic page's talk cards and sponsor row right to left, and joins names in Arabic", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(pages(bases.ar).post);
    const { direction, speakers } = await page.evaluate<{ direction: string; speakers: string }>("({ direction: getComputedStyle(document.querySelector('.talk-card')).direction, speakers: document.querySelector('.talk-speakers').textContent })");
    assert.equal(direction, 'rtl');
    assert.match(speakers, / و/, 'the last name joined with و');
  });
});
