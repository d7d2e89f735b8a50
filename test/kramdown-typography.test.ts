import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Parser } from 'htmlparser2';
import { readKramdownOptions, type KramdownOptions } from '../src/jekyll/kramdown-options.js';
import { gfmId } from '../src/jekyll/header-ids.js';
import { renderMarkdown } from '../src/markdown/render.js';
import { buildSite } from '../src/pipeline/build.js';
import { loadConfig } from '../src/pipeline/config.js';
import { loadYaml } from '../src/util/yaml.js';
import { buildInto, tempDir } from './helpers.js';

/**
 * kramdown's typography and header ids in a Jekyll site, against real Jekyll. Every expected value
 * below is what Jekyll 4.3.1 (kramdown 2.4.0, kramdown-parser-gfm 1.1.0, Jekyll's default kramdown
 * settings unless a case sets others) wrote for the markdown beside it, recorded from a site of
 * one page per case (`layout: null`); where Jekyll is installed, the last test builds them all
 * again and checks the record. Compared: the visible text (tags left out, entities decoded,
 * runs of spaces and newlines as one space, no-break spaces kept) and the ids of h1–h6 ("" for none).
 *
 * Left out on purpose (the markdown is read differently, not the typography): footnotes (kramdown
 * writes them in another form), definition lists and `<p>` inside a paragraph (kramdown prints the
 * tag as text), and a bare URL: remark-gfm links it and its text stays the URL as written, where
 * kramdown leaves plain text and turns its `--` and `...` into – and … (see the last case below).
 */

const BLOCKS = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'td', 'th', 'div', 'pre', 'blockquote', 'br', 'dt', 'dd', 'tr', 'ul', 'ol', 'table']);

/** What a reader sees of some HTML, as the record was made. */
function visibleText(html: string): string {
  let text = '';
  const parser = new Parser(
    {
      onopentag: (name) => void (BLOCKS.has(name) && (text += ' ')),
      onclosetag: (name) => void (BLOCKS.has(name) && (text += ' ')),
      ontext: (part) => void (text += part),
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return text.replace(/[ \t\r\n]+/g, ' ').trim();
}

/** The ids of the headers, in order ("" for a header without one). */
function headerIds(html: string): string[] {
  const ids: string[] = [];
  new Parser({ onopentag: (name, attributes) => void (/^h[1-6]$/.test(name) && ids.push(attributes.id ?? '')) }).end(html);
  return ids;
}

const kramdown = (markdown: string, options?: KramdownOptions) => renderMarkdown(`${markdown}\n`, 'kramdown', '/', options).html;
const optionsOf = (config: string) => readKramdownOptions((loadYaml(config) ?? {}) as Record<string, unknown>);

const TYPOGRAPHY: [string, string, string][] = [
  ["double quotes", "\"Hello,\" she said.", "“Hello,” she said."],
  ["single quotes", "'Hello,' she said.", "‘Hello,’ she said."],
  ["contractions", "I'm here and you're there; don't, won't, can't, o'clock.", "I’m here and you’re there; don’t, won’t, can’t, o’clock."],
  ["decade", "It's the '90s again, the 1990's too.", "It’s the ’90s again, the 1990’s too."],
  ["year abbreviation", "Back in '89 we met, class of '04.", "Back in ‘89 we met, class of ‘04."],
  ["rock n roll", "rock 'n' roll", "rock ‘n’ roll"],
  ["nested quotes", "He said, \"'Quoted' words in a larger quote.\"", "He said, “‘Quoted’ words in a larger quote.”"],
  ["nested quotes reversed", "'\"Quoted\" words' here.", "‘“Quoted” words’ here."],
  ["quote at start", "\"quote at start of the paragraph", "“quote at start of the paragraph"],
  ["quote at end", "a quote at the end\"", "a quote at the end”"],
  ["emphasis around quotes", "*\"emphasised quote\"* and _'single'_", "“emphasised quote” and ‘single’"],
  ["quotes around emphasis", "\"*emphasis inside*\" and \"**strong**\" and '_x_'", "“emphasis inside” and “strong” and ‘x’"],
  ["apostrophe after strong", "**Bold**'s apostrophe", "Bold’s apostrophe"],
  ["apostrophe after inline html", "<i>Custer</i>'s Last Stand.", "Custer’s Last Stand."],
  ["quotes around link", "The \"[link](https://example.com)\" here.", "The “link” here."],
  ["apostrophe after link", "[Bob](/b)'s talk", "Bob’s talk"],
  ["quotes in link text", "[He said \"hi\" -- twice...](https://example.com/)", "He said “hi” – twice…"],
  ["code span", "`code \"not\" -- converted...` and \"converted\" -- yes...", "code \"not\" -- converted... and “converted” – yes…"],
  ["apostrophe after code", "`foo`'s value and \"`quoted code`\"", "foo’s value and “quoted code”"],
  ["fenced code", "```\n\"not\" -- converted...\n```", "\"not\" -- converted..."],
  ["indented code", "Para.\n\n    \"not\" -- converted...\n", "Para. \"not\" -- converted..."],
  ["html block", "<div>\n\"raw html block\" -- ...\n</div>", "\"raw html block\" -- ..."],
  ["inline span html", "<span title=\"a 'b' -- c\">\"inline\" -- html</span> after", "“inline” – html after"],
  ["inline raw elements", "x <code>\"raw\" -- code</code> <kbd>\"k\"</kbd> <samp>\"s\"</samp> <var>\"v\"</var> y", "x \"raw\" -- code \"k\" \"s\" \"v\" y"],
  ["inline unknown elements", "x <mark>\"m\" --</mark> <u>\"u\" --</u> <small>\"s\" --</small> y", "x \"m\" -- \"u\" -- ”s” – y"],
  ["inline a element", "x <a href=\"/x--y\">\"a\" -- b</a> y", "x “a” – b y"],
  ["feet and inches", "Numbers: 5'10\" tall and 6' 2\".", "Numbers: 5’10” tall and 6’ 2”."],
  ["quote before digit", "She said \"2020 was hard\" and '5 stars'.", "She said “2020 was hard” and ‘5 stars’."],
  ["quotes next to punctuation", "\"Hello!\" \"Why?\" (\"paren\") [\"bracket\"] \"comma\", \"stop\".", "“Hello!” “Why?” (“paren”) [“bracket”] “comma”, “stop”."],
  ["punctuation then quote", "He asked \"why?\" then left.\"", "He asked “why?” then left.”"],
  ["quote after dash", "said--\"hello\" and said---\"bye\" and -\"x\"", "said–“hello” and said—“bye” and -“x”"],
  ["quote after ellipsis", "\"Wait...\" he said. \"Well...\", she said.", "“Wait…” he said. “Well…”, she said."],
  ["tis and em", "'Tis the season, give 'em hell.", "‘Tis the season, give ‘em hell."],
  ["possessive plural", "Jones' house and the Joneses' car.", "Jones’ house and the Joneses’ car."],
  ["escaped quotes", "Escaped \\\"quote\\\" and \\'apostrophe\\'.", "Escaped \"quote\" and 'apostrophe'."],
  ["entity quotes", "Entity &quot;quote&quot; and &#39;apos&#39; and &ldquo;ok&rdquo;.", "Entity \"quote\" and 'apos' and “ok”."],
  ["dashes", "pages 10--20, wait---what, a -- b, a --- b.", "pages 10–20, wait—what, a – b, a — b."],
  ["long dashes", "four ---- five ----- six ------ end", "four —- five —– six —— end"],
  ["flags", "use --flag and -x and - alone", "use –flag and -x and - alone"],
  ["ellipsis", "Wait... more.... five..... six......", "Wait… more…. five….. six……"],
  ["spaced dots", ". . . and .. two", ". . . and .. two"],
  ["guillemets", "<<quoted>> and << spaced >> and a >> b << c", "«quoted» and « spaced » and a » b « c"],
  ["escaped guillemets", "\\<<not\\>> and \\<\\< neither", "<<not>> and << neither"],
  ["escaped dashes and dots", "\\-\\- and \\.\\.\\. and -\\- and .\\..", "-- and ... and -- and ..."],
  ["heading", "## \"Quoted\" heading -- with dash...", "“Quoted” heading – with dash…"],
  ["list items", "- \"item\" one\n- it's two -- three\n- 'single'", "“item” one it’s two – three ‘single’"],
  ["blockquote", "> \"To be...\" -- Someone", "“To be…” – Someone"],
  ["table", "| \"a\" | b--c |\n|---|---|\n| 'x' | y... |", "“a” b–c ‘x’ y…"],
  ["link title", "[x](/u \"title -- 'q'\")", "x"],
  ["image alt", "![alt \"q\" -- x...](/i.png)", ""],
  ["autolink", "<https://example.com/a--b...>", "https://example.com/a--b..."],
  ["hard break", "line one  \n\"quoted\" line\\\n'single' too", "line one “quoted” line ‘single’ too"],
  ["soft break", "line one\n\"quoted\" line\n'90s\n'single'", "line one “quoted” line ’90s ‘single’"],
  ["strikethrough", "~~\"struck\" -- out~~", "“struck” – out"],
  ["empty quotes", "a \"\" b '' c \"' d '\" e", "a “” b ‘’ c “’ d ‘” e"],
  ["quote then space", "a \" b ' c", "a “ b ‘ c"],
  ["quote in word", "a\"b\"c a'b'c", "a”b”c a’b’c"],
  ["non-ascii", "l'été \"déjà\" vu and «already» and \"naïve\"", "l’été “déjà” vu and «already» and “naïve”"],
  ["dash quotes", "\"a\"--\"b\" and 'a'--'b'", "“a”–“b” and ‘a’–‘b’"],
  ["markdown in html", "<div markdown=\"1\">\n\"inside\" -- it's\n</div>", "“inside” – it’s"],
  ["quote before newline", "ends with \"\nnext line", "ends with “ next line"],
  ["quote after underscore word", "snake_\"case\" and x_'y'", "snake_“case” and x_‘y’"],
  ["quote around numbers", "\"1\" and '2' and \"3rd\" and '4th'", "“1” and ‘2’ and “3rd” and ‘4th’"],
  ["quote and star", "a \"*\" b '*' c", "a “” b ‘’ c"],
  ["parenthesis quotes", "(\"a\") ('b') ['c'] {\"d\"}", "(“a”) (‘b’) [‘c’] {“d”}"],
  ["slash quotes", "and/\"or\" a/'b'", "and/”or” a/’b’"],
  ["quote colon", "\"Note\": x and 'a': b", "“Note”: x and ‘a’: b"],
  ["list continuation", "- first line \"quoted\n  continued\" here\n  '90s and it's --- ok", "first line “quoted continued” here ’90s and it’s — ok"],
  ["blockquote lines", "> \"first\n> second\" and 'third'\n> -- end...", "“first second” and ‘third’ – end…"],
  ["escape before quote", "a\\*\"b\" and \\_'c' and \\\\\"d\"", "a*“b” and _‘c’ and \\“d”"],
  ["entity before quote", "&amp;\"a\" and &nbsp;'b' and &#8220;c\"", "&“a” and  ‘b’ and “c”"],
  ["quote after inline code", "`x`\"y\" and `x` \"y\" and \"`x`\"z", "x“y” and x “y” and “x“z"],
  ["quote after emphasis", "*a*\"b\" and **a**'s and _a_' b", "a“b” and a’s and a’ b"],
  ["guillemet tags", "<<quoted>> and <<x>>", "«quoted» and «x»"],
  ["nested raw html", "a <kbd><kbd>\"x\"</kbd> \"y\"</kbd> \"z\"", "a \"x\" \"y\" “z”"],
  ["raw html markdown attr", "a <span markdown=\"0\">\"x\"</span> <mark markdown=\"span\">\"y\"</mark> \"z\"", "a \"x\" “y” “z”"],
  ["ial after link", "[a \"b\"](/x){:target=\"_blank\"} and \"c\"", "a “b” and “c”"],
  ["block ial", "Para \"one\" -- two.\n{: .lead title=\"x--y\"}", "Para “one” – two."],
  ["reference link", "[the \"ref\" -- link][r] and [r]\n\n[r]: /u \"t--'x'\"", "the “ref” – link and r"],
  ["table pipes", "| a | b |\n|---|---|\n| \"x\"| 'y'|\n| it's | 5' |", "a b “x” ‘y’ it’s 5’"],
  ["html block then para", "<div class=\"x\">\n<p>\"raw\"</p>\n</div>\n\n\"para\"", "\"raw\" “para”"],
  ["setext with quotes", "\"Quoted\" -- title\n================", "“Quoted” – title"],
  ["trailing spaces soft break", "line \"a\"   \nline 'b'", "line “a” line ‘b’"],
  ["tab in text", "a\t'b'\t\"c\"", "a ‘b’ “c”"],
  ["unicode before quote", "é\"a\" ü'b' 日\"c\" 🚀\"d\"", "é”a” ü’b’ 日”c” 🚀”d”"],
  ["quote before unicode", "\"éa\" 'üb' \"日本\" '🚀'", "“éa” ‘üb’ “日本” ‘🚀’"],
  ["apostrophe s end", "the 80's and the 1980s' music and James's", "the 80’s and the 1980s’ music and James’s"],
  ["quote then dots", "\"...\" and '...' and \"a...\"", "“…” and ‘…’ and “a…”"],
  ["quote then dash", "\"--\" and '-' and \"-a\"", "”–” and ‘-‘ and “-a”"],
  ["many quotes", "\"\"\"a\"\"\" '''b'''", "”\"”a””” ‘'’b’’’"],
  ["digits and primes", "12' 6\" and 1'2'3 and '12 and '123s", "12’ 6” and 1’2’3 and ‘12 and ‘123s"],
  ["image then quote", "![a](/i.png)\"b\" and ![a](/i.png) 'c'", "“b” and ‘c’"],
  ["link ending quote", "[say \"hi\"](/x) and ['x'](/y)'s", "say “hi” and ‘x’’s"],
  ["em dash spacing", "word---word — word -- word–word", "word—word — word – word–word"],
  ["dots with spaces", "a... b ... c ...d", "a… b … c …d"],
  ["inline html attr quotes", "a <abbr title=\"It's -- here\">\"HTML\"</abbr> b", "a “HTML” b"],
  ["comment inline", "a <!-- \"c\" -- --> \"b\"", "a “b”"],
  ["strong quotes", "**\"a\"** __'b'__", "“a” ‘b’"],
  ["quote star spacing", "\"* not em\" and '_ x'", "”* not em” and ‘_ x’"],
];

const HEADER_IDS: [string, string, string[]][] = [
  ["digits", "## 10 tips for 2021", ["10-tips-for-2021"]],
  ["accent", "## Café society", ["café-society"]],
  ["umlaut", "## Über uns", ["über-uns"]],
  ["duplicates", "## Intro\n\n## Intro\n\n## Intro", ["intro","intro-1","intro-2"]],
  ["dup collision", "## A\n\n## A\n\n## A-1\n\n## A 1", ["a","a-1","a-1","a-1-1"]],
  ["punctuation", "## Hello, World! (part 2): the end?", ["hello-world-part-2-the-end"]],
  ["apostrophe", "## What's new? Don't stop", ["whats-new-dont-stop"]],
  ["emoji", "## 🚀 Launch day 🎉", ["-launch-day-"]],
  ["emoji vs16", "## ❤️ love ✔️ done", ["️-love-️-done"]],
  ["code", "## Using `code_here` and `x--y` here", ["using-code_here-and-x--y-here"]],
  ["link", "## A [link](https://example.com/path) inside", ["a-link-inside"]],
  ["emphasis", "## *Emphasis* and **strong** and ~~gone~~", ["emphasis-and-strong-and-gone"]],
  ["custom id", "## Custom {#my-id}\n\n## Custom", ["my-id","custom"]],
  ["custom id collision", "## Intro {#intro}\n\n## Intro\n\n## Intro", ["intro","intro","intro-1"]],
  ["ial id", "## Heading\n{: #from-ial .c}\n\n## Heading", ["from-ial","heading"]],
  ["cplusplus", "## C++ & C# vs. F#", ["c--c-vs-f"]],
  ["underscore", "## snake_case_name and __dunder__", ["snake_case_name-and-dunder"]],
  ["unicode", "## Ünïcödé ÀÉÎ ÇA VA", ["ünïcödé-àéî-ça-va"]],
  ["cjk", "## 日本語の見出し", ["日本語の見出し"]],
  ["cyrillic", "## Привет мир", ["привет-мир"]],
  ["greek sigma", "## ΟΔΟΣ Σ", ["οδοσ-σ"]],
  ["turkish", "## İstanbul ıi", ["i̇stanbul-ıi"]],
  ["eszett", "## Straße STRASSE", ["straße-strasse"]],
  ["whitespace", "## Tabs\tand  double  spaces", ["tabs-and--double--spaces"]],
  ["dashes", "## a - b -- c --- d", ["a---b--c--d"]],
  ["only punctuation", "## ...", [""]],
  ["only punctuation twice", "## !!!\n\n## ???", ["","-1"]],
  ["number only", "## 123", ["123"]],
  ["setext", "Setext title\n============\n\nSub title\n---------", ["setext-title","sub-title"]],
  ["trailing hashes", "## Trailing hashes ##", ["trailing-hashes"]],
  ["inline html", "## <em>html</em> inline <span class=\"x\">span</span>", ["html-inline-span"]],
  ["entity", "## Entity &amp; more &copy; &#169;", ["entity--more--"]],
  ["quoted", "## \"Quoted\" and 'single'", ["quoted-and-single"]],
  ["image", "## Heading with ![image alt](/i.png) image", ["heading-with--image"]],
  ["in blockquote", "> ## Quoted heading\n\n## Quoted heading", ["quoted-heading","quoted-heading-1"]],
  ["in list", "- ## List heading\n\n## List heading", ["list-heading","list-heading-1"]],
  ["bad custom id", "## Bad {#bad id}", ["bad-bad-id"]],
  ["custom id no space", "## Tight{#tight}", ["tighttight"]],
  ["superscript digits", "## x² and ½ and Ⅻ", ["x-and--and-ⅻ"]],
  ["combining", "## Café decomposed", ["café-decomposed"]],
  ["markdown in html", "<div markdown=\"1\">\n## Inside div\n</div>", ["inside-div"]],
  ["toc", "* TOC\n{:toc}\n\n## One\n\n### Two \"quoted\"\n\n## One", ["one","two-quoted","one-1"]],
  ["ellipsis heading", "## Wait... what?", ["wait-what"]],
  ["html entity quotes", "## &quot;Hi&quot;", ["hi"]],
  ["escaped", "## Escaped \\*star\\* and \\#hash", ["escaped-star-and-hash"]],
  ["mixed case", "## MiXeD CaSe", ["mixed-case"]],
  ["leading digits and dash", "## 1. First -- step", ["1-first--step"]],
  ["hyphenated", "## Well-known e-mail", ["well-known-e-mail"]],
  ["zero width", "## zero​width join‍x", ["zerowidth-joinx"]],
  ["nbsp", "## non breaking", ["nonbreaking"]],
  ["heading with id and typography", "## \"Hi\" -- there {#custom-id}\n\n## It's {#a--b}", ["custom-id","a--b"]],
  ["markdown in html heading", "<div markdown=\"1\">\n## Café 10\n\n## Café 10\n</div>\n\n## Café 10", ["caf-10","caf-10-1","café-10"]],
];

const KRAMDOWN_INPUT_IDS: [string, string[]][] = [
    ["## 10 tips for 2021", ["tips-for-2021"]],
    ["## Café society", ["caf-society"]],
    ["## Über uns", ["ber-uns"]],
    ["## Intro\n\n## Intro\n\n## Intro", ["intro","intro-1","intro-2"]],
    ["## A\n\n## A\n\n## A-1\n\n## A 1", ["a","a-1","a-1","a-1-1"]],
    ["## Hello, World! (part 2): the end?", ["hello-world-part-2-the-end"]],
    ["## What's new? Don't stop", ["whats-new-dont-stop"]],
    ["## 🚀 Launch day 🎉", ["launch-day-"]],
    ["## ❤️ love ✔️ done", ["love--done"]],
    ["## Using `code_here` and `x--y` here", ["using-codehere-and-x--y-here"]],
    ["## A [link](https://example.com/path) inside", ["a-linkhttpsexamplecompath-inside"]],
    ["## *Emphasis* and **strong** and ~~gone~~", ["emphasis-and-strong-and-gone"]],
    ["## Custom {#my-id}\n\n## Custom", ["my-id","custom"]],
    ["## Intro {#intro}\n\n## Intro\n\n## Intro", ["intro","intro","intro-1"]],
    ["## Heading\n{: #from-ial .c}\n\n## Heading", ["from-ial","heading"]],
    ["## C++ & C# vs. F#", ["c--c-vs-f"]],
    ["## snake_case_name and __dunder__", ["snakecasename-and-dunder"]],
    ["## Ünïcödé ÀÉÎ ÇA VA", ["ncd--a-va"]],
    ["## 日本語の見出し", ["section"]],
    ["## Привет мир", ["section"]],
    ["## ΟΔΟΣ Σ", ["section"]],
    ["## İstanbul ıi", ["stanbul-i"]],
    ["## Straße STRASSE", ["strae-strasse"]],
    ["## Tabs\tand  double  spaces", ["tabsand--double--spaces"]],
    ["## a - b -- c --- d", ["a---b----c-----d"]],
    ["## ...", ["section"]],
    ["## !!!\n\n## ???", ["section","section-1"]],
    ["## 123", ["section"]],
    ["Setext title\n============\n\nSub title\n---------", ["setext-title","sub-title"]],
    ["## Trailing hashes ##", ["trailing-hashes"]],
    ["## <em>html</em> inline <span class=\"x\">span</span>", ["emhtmlem-inline-span-classxspanspan"]],
    ["## Entity &amp; more &copy; &#169;", ["entity-amp-more-copy-169"]],
    ["## \"Quoted\" and 'single'", ["quoted-and-single"]],
    ["## Heading with ![image alt](/i.png) image", ["heading-with-image-altipng-image"]],
    ["> ## Quoted heading\n\n## Quoted heading", ["quoted-heading","quoted-heading-1"]],
    ["- ## List heading\n\n## List heading", ["list-heading","list-heading-1"]],
    ["## Bad {#bad id}", ["bad-bad-id"]],
    ["## Tight{#tight}", ["tighttight"]],
    ["## x² and ½ and Ⅻ", ["x-and--and-"]],
    ["## Café decomposed", ["cafe-decomposed"]],
    ["<div markdown=\"1\">\n## Inside div\n</div>", ["inside-div"]],
    ["* TOC\n{:toc}\n\n## One\n\n### Two \"quoted\"\n\n## One", ["one","two-quoted","one-1"]],
    ["## Wait... what?", ["wait-what"]],
    ["## &quot;Hi&quot;", ["quothiquot"]],
    ["## Escaped \\*star\\* and \\#hash", ["escaped-star-and-hash"]],
    ["## MiXeD CaSe", ["mixed-case"]],
    ["## 1. First -- step", ["first----step"]],
    ["## Well-known e-mail", ["well-known-e-mail"]],
    ["## zero​width join‍x", ["zerowidth-joinx"]],
    ["## non breaking", ["nonbreaking"]],
];

/** Sites that set kramdown options in _config.yml: what they change, as Jekyll wrote it. */
const VARIANT_TEXTS = [
  "He said, \"'Quoted' words in a larger quote.\"",
  "pages 10--20, wait---what, a -- b, a --- b.",
  "<<quoted>> and << spaced >> and a >> b << c",
  "\"Wait...\" he said. \"Well...\", she said.",
  "It's the '90s again, the 1990's too.",
  "`code \"not\" -- converted...` and \"converted\" -- yes...",
  "<div markdown=\"1\">\n\"inside\" -- it's\n</div>",
];
const VARIANT_HEADINGS = [
  "## Intro\n\n## Intro\n\n## Intro",
  "## Intro {#intro}\n\n## Intro\n\n## Intro",
  "## !!!\n\n## ???",
  "## 10 tips for 2021",
  "* TOC\n{:toc}\n\n## One\n\n### Two \"quoted\"\n\n## One",
  "## \"Quoted\" heading -- with dash...",
];

/** The ids Jekyll gives VARIANT_HEADINGS by default. */
const DEFAULT_HEADING_IDS = [["intro", "intro-1", "intro-2"], ["intro", "intro", "intro-1"], ["", "-1"], ["10-tips-for-2021"], ["one", "two-quoted", "one-1"], ["quoted-heading--with-dash"]];

/** The ids Jekyll gives VARIANT_HEADINGS with auto_ids: false (only the explicit `{#intro}`), whatever the input. */
const NO_AUTO_IDS = [["", "", ""], ["intro", "", ""], ["", ""], [""], ["", "", ""], [""]];

/** Each input with what Jekyll wrote for it, in order. */
function recorded<T>(inputs: string[], outputs: T[]): [string, T][] {
  if (outputs.length !== inputs.length) throw new Error(`${outputs.length} outputs recorded for ${inputs.length} inputs`);
  return outputs.map((output, i) => [inputs[i], output]);
}

const VARIANTS: { config: string; texts: [string, string][]; ids: [string, string[]][] }[] = [
  {
    config: "kramdown:\n  auto_ids: false\n",
    texts: [],
    ids: recorded(VARIANT_HEADINGS, NO_AUTO_IDS),
  },
  {
    config: "kramdown:\n  input: kramdown\n  auto_ids: false\n",
    texts: [],
    ids: recorded(VARIANT_HEADINGS, NO_AUTO_IDS),
  },
  {
    config: "kramdown:\n  auto_id_prefix: \"h-\"\n",
    texts: [],
    ids: recorded(VARIANT_HEADINGS, [
      ["h-intro","h-intro-1","h-intro-2"],
      ["intro","h-intro","h-intro-1"],
      ["h-","h--1"],
      ["h-10-tips-for-2021"],
      ["h-one","h-two-quoted","h-one-1"],
      ["h-quoted-heading--with-dash"],
    ]),
  },
  {
    config: "kramdown:\n  smart_quotes: [\"apos\", \"apos\", \"quot\", \"quot\"]\n  typographic_symbols: {hellip: \"...\", mdash: \"---\", ndash: \"--\", laquo: \"<<\", raquo: \">>\", laquo_space: \"<< \", raquo_space: \" >>\"}\n",
    texts: recorded(VARIANT_TEXTS, [
      "He said, \"'Quoted' words in a larger quote.\"",
      "pages 10--20, wait---what, a -- b, a --- b.",
      "<<quoted>> and << spaced >> and a >> b << c",
      "\"Wait...\" he said. \"Well...\", she said.",
      "It's the '90s again, the 1990's too.",
      "code \"not\" -- converted... and \"converted\" -- yes...",
      "\"inside\" -- it's",
    ]),
    // Quotes and symbols do not change ids.
    ids: recorded(VARIANT_HEADINGS, DEFAULT_HEADING_IDS),
  },
  {
    config: "kramdown:\n  smart_quotes: sbquo,lsquo,bdquo,ldquo\n",
    texts: recorded(VARIANT_TEXTS, [
      "He said, „‚Quoted‘ words in a larger quote.“",
      "pages 10–20, wait—what, a – b, a — b.",
      "«quoted» and « spaced » and a » b « c",
      "„Wait…“ he said. „Well…“, she said.",
      "It‘s the ‘90s again, the 1990‘s too.",
      "code \"not\" -- converted... and „converted“ – yes…",
      "„inside“ – it‘s",
    ]),
    // Quotes and symbols do not change ids.
    ids: recorded(VARIANT_HEADINGS, DEFAULT_HEADING_IDS),
  },
  {
    config: "kramdown:\n  gfm_quirks: [paragraph_end, no_auto_typographic]\n",
    texts: [
      ["He said, \"'Quoted' words in a larger quote.\"", "He said, “‘Quoted’ words in a larger quote.”"],
      ["pages 10--20, wait---what, a -- b, a --- b.", "pages 10--20, wait---what, a -- b, a --- b."],
      ["\"Wait...\" he said. \"Well...\", she said.", "“Wait...” he said. “Well...”, she said."],
      ["It's the '90s again, the 1990's too.", "It’s the ’90s again, the 1990’s too."],
      ["`code \"not\" -- converted...` and \"converted\" -- yes...", "code \"not\" -- converted... and “converted” -- yes..."],
      ["<div markdown=\"1\">\n\"inside\" -- it's\n</div>", "“inside” -- it’s"],
    ],
    ids: recorded(VARIANT_HEADINGS, [
      ["intro","intro-1","intro-2"],
      ["intro","intro","intro-1"],
      ["","-1"],
      ["10-tips-for-2021"],
      ["one","two-quoted","one-1"],
      ["quoted-heading----with-dash"],
    ]),
  },
];

describe('kramdown typography, as Jekyll writes it', () => {
  for (const [name, markdown, expected] of TYPOGRAPHY) {
    it(name, () => assert.equal(visibleText(kramdown(markdown)), expected, markdown));
  }

  it('leaves a bare URL unlinked and changes its -- and ..., as kramdown does', () => {
    assert.equal(kramdown('see https://example.com/a--b... now'), '<p>see https://example.com/a–b… now</p>\n');
  });
});

describe('header ids, as Jekyll gives them', () => {
  for (const [name, markdown, expected] of HEADER_IDS) {
    it(name, () => assert.deepEqual(headerIds(kramdown(markdown)), expected, markdown));
  }

  it('with input: kramdown, by kramdown\'s own rule', () => {
    const options = optionsOf('kramdown:\n  input: kramdown\n');
    for (const [markdown, expected] of KRAMDOWN_INPUT_IDS) assert.deepEqual(headerIds(kramdown(markdown, options)), expected, markdown);
  });

  it('lowercases as Ruby does, and keeps what Ruby counts as a letter', () => {
    assert.equal(gfmId('ΟΔΟΣ'), 'οδοσ');
    assert.equal(gfmId('İ'), 'i̇');
    assert.equal(gfmId('Ⅻ ½ x²'), 'ⅻ--x');
  });
});

describe('kramdown settings in _config.yml', () => {
  for (const { config, texts, ids } of VARIANTS) {
    it(config.replace(/\s+/g, ' ').trim(), () => {
      const options = optionsOf(config);
      for (const [markdown, expected] of texts) assert.equal(visibleText(kramdown(markdown, options)), expected, markdown);
      for (const [markdown, expected] of ids) assert.deepEqual(headerIds(kramdown(markdown, options)), expected, markdown);
    });
  }

  it('reach the posts of a build, and a changed setting is not answered from the body cache', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '_posts'));
    fs.writeFileSync(path.join(root, '_posts/2021-03-04-tips.md'), '---\ntitle: Tips\n---\n## 10 tips for 2021\n\n"Don\'t panic" -- it\'s fine...\n');
    const build = async (config: string) => {
      fs.writeFileSync(path.join(root, '_config.yml'), config);
      const outDir = path.join(tempDir(), 'public');
      await buildSite(loadConfig(root, { outDir }));
      return fs.readFileSync(path.join(outDir, '2021/03/04/tips.html'), 'utf8');
    };
    const plain = await build('title: T\n');
    assert.match(plain, /<h2 id="10-tips-for-2021">10 tips for 2021<\/h2>/);
    assert.match(plain, /<p>“Don’t panic” – it’s fine…<\/p>/);
    const own = await build('title: T\nkramdown:\n  input: kramdown\n  smart_quotes: apos,apos,quot,quot\n');
    assert.match(own, /<h2 id="tips-for-2021">10 tips for 2021<\/h2>/);
    assert.match(own, /<p>"Don't panic" – it's fine…<\/p>/);
  });

  it('leave recap sites as CommonMark writes them: straight quotes; header ids are GitHub\'s, not kramdown\'s', async () => {
    assert.equal(renderMarkdown('## Café 10\n\n"Don\'t" -- it\'s...\n').html, '<h2 id="café-10">Café 10</h2>\n<p>"Don\'t" -- it\'s...</p>\n');
    // kramdown lower-cases as Ruby does; GitHub's rule gives a final sigma.
    assert.equal(renderMarkdown('## ΟΔΟΣ').html, '<h2 id="οδος">ΟΔΟΣ</h2>\n');
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'posts'));
    fs.writeFileSync(path.join(root, 'recap.config.yml'), 'title: T\nurl: https://x.example\n');
    fs.writeFileSync(path.join(root, 'posts/2021-03-04-tips.md'), '---\ntitle: Tips\ndate: 2021-03-04\n---\n## 10 tips\n\n"Don\'t" -- it\'s...\n');
    const out = await buildInto(root);
    const page = fs.readFileSync(path.join(out, '2021/03/04/tips/index.html'), 'utf8');
    assert.match(page, /<h2 id="10-tips">10 tips<\/h2><a class="heading-anchor" href="#10-tips" aria-label="Link to this section: 10 tips">#<\/a><\/div>\n<p>"Don't" -- it's...<\/p>/);
  });
});

const JEKYLL = '/usr/bin/jekyll';
const skip = !fs.existsSync(JEKYLL) && !process.env.CI ? `no Jekyll at ${JEKYLL} (apt-get install jekyll)` : false;

describe('the record above', () => {
  it('is what Jekyll writes', { skip }, () => {
    const site = tempDir();
    const cases: { config: string; markdown: string; check: (html: string) => void }[] = [
      ...TYPOGRAPHY.map(([, markdown, expected]) => ({ config: '', markdown, check: (html: string) => assert.equal(visibleText(html), expected, markdown) })),
      ...HEADER_IDS.map(([, markdown, expected]) => ({ config: '', markdown, check: (html: string) => assert.deepEqual(headerIds(html), expected, markdown) })),
      ...KRAMDOWN_INPUT_IDS.map(([markdown, expected]) => ({ config: 'kramdown:\n  input: kramdown\n', markdown, check: (html: string) => assert.deepEqual(headerIds(html), expected, markdown) })),
      ...VARIANTS.flatMap(({ config, texts, ids }) => [
        ...texts.map(([markdown, expected]) => ({ config, markdown, check: (html: string) => assert.equal(visibleText(html), expected, markdown) })),
        ...ids.map(([markdown, expected]) => ({ config, markdown, check: (html: string) => assert.deepEqual(headerIds(html), expected, markdown) })),
      ]),
    ];
    // One Jekyll site per config, one page per case.
    const configs = [...new Set(cases.map((c) => c.config))];
    for (const [n, config] of configs.entries()) {
      const source = path.join(site, `site-${n}`);
      fs.mkdirSync(source);
      fs.writeFileSync(path.join(source, '_config.yml'), config);
      cases.forEach((c, i) => c.config === config && fs.writeFileSync(path.join(source, `c${i}.md`), `---\nlayout: null\n---\n${c.markdown}\n`));
      execFileSync(JEKYLL, ['build', '--quiet', '--source', source, '--destination', path.join(site, `out-${n}`)], { stdio: 'pipe' });
    }
    cases.forEach((c, i) => c.check(fs.readFileSync(path.join(site, `out-${configs.indexOf(c.config)}`, `c${i}.html`), 'utf8')));
  });
});
