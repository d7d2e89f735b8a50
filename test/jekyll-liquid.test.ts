/**
 * The Liquid of Jekyll sites: recap's filters and tags against what real Jekyll 4.3.1 printed for
 * the same snippets. JEKYLL_PRINTED was recorded by building each snippet as a page with
 * /usr/bin/jekyll (Debian's Jekyll 4.3.1 on Liquid 5.4, jekyll-seo-tag 2.8, jekyll-feed 0.17),
 * with the site, data and posts below; the last test builds them again when Jekyll is installed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Liquid } from 'liquidjs';
import { loadConfig } from '../src/pipeline/config.js';
import { buildSite } from '../src/pipeline/build.js';
import { createLiquidEngine } from '../src/jekyll/liquid.js';
import { laxLiquid } from '../src/jekyll/lax-liquid.js';
import { MARKDOWNIFY_LIMIT } from '../src/jekyll/filters.js';
import { UNKNOWN_FILTERS_KEY } from '../src/jekyll/liquid-warnings.js';
import { runWithinTime, TimeLimitExceeded } from '../src/util/time-limit.js';
import { htmlText } from '../src/html/text.js';
import { tempDir } from './helpers.js';

const CONFIG = 'title: "Tom & Jerry\'s <Site>"\nurl: "https://example.com"\nbaseurl: "/blog"\ndescription: "A \\"quoted\\" site & more"\n';

/** site.data.d, as _data/d.json holds it for Jekyll. */
const DATA = {"people": [{"name": "Ann", "age": 30, "city": "Paris", "tags": ["a", "b"]}, {"name": "bob", "age": 25, "city": "Rome", "tags": ["b"]}, {"name": "Cid", "city": "Paris", "tags": []}, {"name": "Dee", "age": 30, "city": null, "tags": ["c"]}], "words": ["banana", "Apple", "cherry"], "nums": [10, 2, 33], "strnums": ["10", "2", "33"], "mixed": ["b", null, "a"], "hash": {"a": 1, "b": "two"}, "one": ["x"], "empty": [], "zero": 0, "float": 3, "yes": true, "no": false, "cjk": "你好世界 hello", "html": "<a href='x'>Tom & \"J\"</a>", "smart": "'Single' and \"double\" -- en --- em ... dots, it's 'the 90s' <b>\"x\"</b> & x>>y \"a\"b 5'10\" rock 'n' roll", "md": "He said \"hi\" -- twice... it's 'quoted' & <b>bold</b>\n\n* one\n* two"};

/** The site's two posts as Jekyll dates them: 2019-03-12 and 2019-03-13 14:05:09 +0100 (13:05:09 in UTC), newest first. */
const POSTS = [
  { title: 'Second', date: new Date('2019-03-13T13:05:09Z') },
  { title: 'First', date: new Date('2019-03-12T00:00:00Z') },
];

const INCLUDE = '[{{ include.a }}|{{ include.b }}|{{ include.c | size }}]';

function siteFolder(config = CONFIG, files: Record<string, string> = {}): string {
  const root = tempDir();
  const all = { '_config.yml': config, '_includes/show.html': INCLUDE, 'rel.html': 'REL{{ include.a }}', ...files };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function engineFor(root: string): Liquid {
  return createLiquidEngine(loadConfig(root));
}

const scope = () => ({
  site: { title: "Tom & Jerry's <Site>", url: 'https://example.com', baseurl: '/blog', description: 'A "quoted" site & more', data: { d: structuredClone(DATA) }, posts: POSTS },
  page: { path: 't.html' },
});

/** What Jekyll printed for each snippet. */
const JEKYLL_PRINTED: [string, string][] = [
  ["{{ site.posts.last.date }}", "2019-03-12 00:00:00 +0000"],
  ["{{ site.posts.first.date }}", "2019-03-13 13:05:09 +0000"],
  ["{{ site.posts.last.date | date: '%e|%-d|%d|%B|%b|%a|%A|%y|%Y|%m|%-m|%H|%I|%l|%M|%S|%p|%P|%j|%Z|%z|%s|%u|%w|%%|%C|%D|%F|%T|%R|%r|%U|%W|%V|%G|%h|%c|%x|%X|%L|%N|%3N|%^B|%^a|%-I|%k|%_d|%-H|%010d|%:z|%-j|%q' }}", "12|12|12|March|Mar|Tue|Tuesday|19|2019|03|3|00|12|12|00|00|AM|am|071|UTC|+0000|1552348800|2|2|%|20|03/12/19|2019-03-12|00:00:00|00:00|12:00:00 AM|10|10|11|2019|Mar|Tue Mar 12 00:00:00 2019|03/12/19|00:00:00|000|000000000|000|MARCH|TUE|12| 0|12|0|0000000012|+00:00|71|%q"],
  ["{{ '2019-03-12 14:05:09 +0100' | date: '%Y-%m-%d %H:%M %z' }}", "2019-03-12 14:05 +0100"],
  ["{{ 'March 5, 2020' | date: '%F' }}", "2020-03-05"],
  ["{{ '5 Mar 2020' | date: '%F' }}", "2020-03-05"],
  ["{{ '2020-03-05T10:00:00Z' | date: '%F %T %z' }}", "2020-03-05 10:00:00 +0000"],
  ["{{ 'not a date' | date: '%F' }}", "not a date"],
  ["{{ nil | date: '%F' }}", ""],
  ["{{ '' | date: '%F' }}", ""],
  ["{{ 1552348800 | date: '%F %T' }}", "2019-03-12 00:00:00"],
  ["{{ '1552348800' | date: '%F %T' }}", "2019-03-12 00:00:00"],
  ["{{ site.posts.last.date | date: '' }}", "2019-03-12 00:00:00 +0000"],
  ["{{ site.posts.last.date | date_to_xmlschema }}", "2019-03-12T00:00:00+00:00"],
  ["{{ site.posts.first.date | date_to_xmlschema }}", "2019-03-13T13:05:09+00:00"],
  ["{{ '2019-03-12 14:05:09 +0100' | date_to_xmlschema }}", "2019-03-12T13:05:09+00:00"],
  ["{{ site.posts.last.date | date_to_rfc822 }}", "Tue, 12 Mar 2019 00:00:00 +0000"],
  ["{{ site.posts.first.date | date_to_rfc822 }}", "Wed, 13 Mar 2019 13:05:09 +0000"],
  ["{{ site.posts.last.date | date_to_string }}", "12 Mar 2019"],
  ["{{ site.posts.last.date | date_to_long_string }}", "12 March 2019"],
  ["{% assign ds = '2019-03-01,2019-03-02,2019-03-03,2019-03-04,2019-03-11,2019-03-12,2019-03-13,2019-03-21,2019-03-22,2019-03-23,2019-03-31' | split: ',' %}{% for d in ds %}{{ d | date_to_string: 'ordinal' }};{{ d | date_to_string: 'ordinal', 'US' }};{{ d | date_to_long_string: 'ordinal' }};{{ d | date_to_long_string: 'ordinal', 'US' }};{{ d | date_to_string: 'US' }}/{% endfor %}", "1st Mar 2019;Mar 1st, 2019;1st March 2019;March 1st, 2019;01 Mar 2019/2nd Mar 2019;Mar 2nd, 2019;2nd March 2019;March 2nd, 2019;02 Mar 2019/3rd Mar 2019;Mar 3rd, 2019;3rd March 2019;March 3rd, 2019;03 Mar 2019/4th Mar 2019;Mar 4th, 2019;4th March 2019;March 4th, 2019;04 Mar 2019/11th Mar 2019;Mar 11th, 2019;11th March 2019;March 11th, 2019;11 Mar 2019/12th Mar 2019;Mar 12th, 2019;12th March 2019;March 12th, 2019;12 Mar 2019/13th Mar 2019;Mar 13th, 2019;13th March 2019;March 13th, 2019;13 Mar 2019/21st Mar 2019;Mar 21st, 2019;21st March 2019;March 21st, 2019;21 Mar 2019/22nd Mar 2019;Mar 22nd, 2019;22nd March 2019;March 22nd, 2019;22 Mar 2019/23rd Mar 2019;Mar 23rd, 2019;23rd March 2019;March 23rd, 2019;23 Mar 2019/31st Mar 2019;Mar 31st, 2019;31st March 2019;March 31st, 2019;31 Mar 2019/"],
  ["{{ nil | date_to_string }}|{{ nil | date_to_xmlschema }}", "|"],
  ["{{ '/about/' | relative_url }}|{{ 'about' | relative_url }}|{{ '' | relative_url }}|{{ nil | relative_url }}|{{ 'https://x.org/a' | relative_url }}|{{ '//cdn.x/a' | relative_url }}", "/blog/about/|/blog/about|/blog||https://x.org/a|/blog//cdn.x/a"],
  ["{{ '/about/' | absolute_url }}|{{ 'about' | absolute_url }}|{{ '' | absolute_url }}|{{ nil | absolute_url }}|{{ 'https://x.org/a' | absolute_url }}|{{ '//cdn.x/a' | absolute_url }}", "https://example.com/blog/about/|https://example.com/blog/about|https://example.com/blog||https://x.org/a|https://example.com/blog//cdn.x/a"],
  ["{{ 'about me.html' | relative_url }}|{{ '/a?b=c d#x' | absolute_url }}|{{ '#frag' | relative_url }}|{{ 'mailto:x@y' | absolute_url }}|{{ '/ü' | absolute_url }}|{{ 5 | relative_url }}", "/blog/about%20me.html|https://example.com/blog/a?b=c%20d#x|/blog/#frag|mailto:x@y|https://example.com/blog/%C3%BC|/blog/5"],
  ["{{ site.data.d.html | xml_escape }}|{{ nil | xml_escape }}|{{ site.data.d.html | escape }}|{{ '&amp; &lt; &' | escape_once }}", "&lt;a href=&apos;x&apos;&gt;Tom &amp; &quot;J&quot;&lt;/a&gt;||&lt;a href=&#39;x&#39;&gt;Tom &amp; &quot;J&quot;&lt;/a&gt;|&amp; &lt; &amp;"],
  ["{{ \"a b&c=d/é?~*'()+\" | cgi_escape }}|{{ '/a b/é?x=[1]#f%20<>\"|^`' | uri_escape }}|{{ 'a b/é' | url_encode }}|{{ 'a+b%20c' | url_decode }}", "a+b%26c%3Dd%2F%C3%A9%3F~%2A%27%28%29%2B|/a%20b/%C3%A9?x=[1]#f%20%3C%3E%22%7C%5E%60|a+b%2F%C3%A9|a b c"],
  ["{{ 'a\\b' | uri_escape }}", "a%5Cb"],
  ["{{ site.data.d.one | array_to_sentence_string }}|{{ site.data.d.words | array_to_sentence_string }}|{{ site.data.d.words | array_to_sentence_string: 'or' }}|{{ site.data.d.empty | array_to_sentence_string }}|{{ site.data.d.nums | array_to_sentence_string }}", "x|banana, Apple, and cherry|banana, Apple, or cherry||10, 2, and 33"],
  ["{% assign two = 'a,b' | split: ',' %}{{ two | array_to_sentence_string }}|{{ two | array_to_sentence_string: '' }}", "a and b|a  b"],
  ["{% assign s = 'Ümlaut Café: ÆØ ß — hello_world.js  --x-- The _config.yml FILE!' %}{{ s | slugify }}|{{ s | slugify: 'none' }}|{{ s | slugify: 'raw' }}|{{ s | slugify: 'default' }}|{{ s | slugify: 'pretty' }}|{{ s | slugify: 'ascii' }}|{{ s | slugify: 'latin' }}|{{ s | slugify: 'bogus' }}|{{ nil | slugify }}", "ümlaut-café-æø-ß-hello-world-js-x-the-config-yml-file|ümlaut café: æø ß — hello_world.js  --x-- the _config.yml file!|ümlaut-café:-æø-ß-—-hello_world.js---x---the-_config.yml-file!|ümlaut-café-æø-ß-hello-world-js-x-the-config-yml-file|ümlaut-café-æø-ß-hello_world.js-x-the-_config.yml-file!|mlaut-caf-hello-world-js-x-the-config-yml-file|umlaut-cafe-aeo-ss-hello-world-js-x-the-config-yml-file|ümlaut café: æø ß — hello_world.js  --x-- the _config.yml file!|"],
  ["{{ \"a/b?c#d[e]f@g!h$i&j'k(l)m*n+o,p;q=r s.t~u\" | slugify: 'pretty' }}|{{ \"a/b?c#d[e]f@g!h$i&j'k(l)m*n+o,p;q=r s.t~u\" | slugify: 'raw' }}", "a-b-c-d-e-f@g!h$i&j'k(l)m-n+o,p;q=r-s.t~u|a/b?c#d[e]f@g!h$i&j'k(l)m*n+o,p;q=r-s.t~u"],
  ["{{ site.data.d.hash | jsonify }}|{{ site.data.d.people.first | jsonify }}|{{ '\"q\" é' | jsonify }}|{{ nil | jsonify }}|{{ 3 | jsonify }}|{{ site.posts.last.date | jsonify }}|{{ site.data.d.words | jsonify }}", "{\"a\":1,\"b\":\"two\"}|{\"name\":\"Ann\",\"age\":30,\"city\":\"Paris\",\"tags\":[\"a\",\"b\"]}|\"\\\"q\\\" é\"|null|3|\"2019-03-12 00:00:00 +0000\"|[\"banana\",\"Apple\",\"cherry\"]"],
  ["{{ site.data.d.float | jsonify }}", "3.0"],
  ["{{ '</script><!--' | jsonify }}", "\"</script><!--\""],
  ["{{ 'a \n\t b  ' | normalize_whitespace }}|", "a b|"],
  ["{{ site.data.d.hash | inspect }}|{{ site.data.d.people.first | inspect }}|{{ 'a\"b' | inspect }}|{{ nil | inspect }}|{{ site.data.d.nums | inspect }}", "{&quot;a&quot;=&gt;1, &quot;b&quot;=&gt;&quot;two&quot;}|{&quot;name&quot;=&gt;&quot;Ann&quot;, &quot;age&quot;=&gt;30, &quot;city&quot;=&gt;&quot;Paris&quot;, &quot;tags&quot;=&gt;[&quot;a&quot;, &quot;b&quot;]}|&quot;a\\&quot;b&quot;|nil|[10, 2, 33]"],
  ["{{ '12' | to_integer }}|{{ 3.7 | to_integer }}|{{ '3.7' | to_integer }}|{{ true | to_integer }}", "12|3|3|1"],
  ["{{ site.data.d.people | where_exp: 'p', 'p.age > 26' | map: 'name' | join: ',' }}|{{ site.data.d.people | where_exp: 'p', \"p.tags contains 'b'\" | map: 'name' | join: ',' }}|{{ site.data.d.people | where_exp: 'p', 'p.city == nil' | map: 'name' | join: ',' }}|{{ site.data.d.people | where_exp: 'p', 'p.age == 30 and p.city' | map: 'name' | join: ',' }}|{{ site.data.d.nums | where_exp: 'n', 'n > 5' | join: ',' }}", "Ann,Dee|Ann,bob|Dee|Ann|10,33"],
  ["{{ site.data.d.people | find: 'city', 'Paris' | map: 'name' }}|{{ site.data.d.people | find: 'city', 'Oslo' }}|{{ site.data.d.people | find_exp: 'p', 'p.age < 30' | map: 'name' }}", "Ann||bob"],
  ["{{ site.data.d.people | group_by: 'city' | jsonify }}", "[{\"name\":\"Paris\",\"items\":[{\"name\":\"Ann\",\"age\":30,\"city\":\"Paris\",\"tags\":[\"a\",\"b\"]},{\"name\":\"Cid\",\"city\":\"Paris\",\"tags\":[]}],\"size\":2},{\"name\":\"Rome\",\"items\":[{\"name\":\"bob\",\"age\":25,\"city\":\"Rome\",\"tags\":[\"b\"]}],\"size\":1},{\"name\":\"\",\"items\":[{\"name\":\"Dee\",\"age\":30,\"city\":null,\"tags\":[\"c\"]}],\"size\":1}]"],
  ["{{ site.data.d.people | group_by: 'age' | map: 'name' | join: ',' }}|{{ site.data.d.people | group_by_exp: 'p', 'p.name | size' | map: 'name' | join: ',' }}|{{ site.data.d.people | group_by_exp: 'p', 'p.age | default: 0' | jsonify }}", "30,25,|3|[{\"name\":30,\"items\":[{\"name\":\"Ann\",\"age\":30,\"city\":\"Paris\",\"tags\":[\"a\",\"b\"]},{\"name\":\"Dee\",\"age\":30,\"city\":null,\"tags\":[\"c\"]}],\"size\":2},{\"name\":25,\"items\":[{\"name\":\"bob\",\"age\":25,\"city\":\"Rome\",\"tags\":[\"b\"]}],\"size\":1},{\"name\":0,\"items\":[{\"name\":\"Cid\",\"city\":\"Paris\",\"tags\":[]}],\"size\":1}]"],
  ["{{ site.data.d.words | sort | join: ',' }}|{{ site.data.d.words | sort_natural | join: ',' }}|{{ site.data.d.nums | sort | join: ',' }}|{{ site.data.d.strnums | sort | join: ',' }}", "Apple,banana,cherry|Apple,banana,cherry|2,10,33|10,2,33"],
  ["{{ site.data.d.people | sort: 'age' | map: 'name' | join: ',' }}|{{ site.data.d.people | sort: 'age', 'last' | map: 'name' | join: ',' }}|{{ site.data.d.people | sort: 'age', 'first' | map: 'name' | join: ',' }}|{{ site.data.d.people | sort: 'name' | map: 'name' | join: ',' }}|{{ site.data.d.people | sort: 'city' | map: 'name' | join: ',' }}", "Cid,bob,Ann,Dee|bob,Ann,Dee,Cid|Cid,bob,Ann,Dee|Ann,Cid,Dee,bob|Dee,Ann,Cid,bob"],
  ["{{ site.data.d.one | sample }}|{{ site.data.d.one | sample: 1 | join: ',' }}|{{ site.data.d.nums | sample: 3 | size }}|{{ site.data.d.empty | sample }}", "x|x|3|"],
  ["{{ site.data.d.nums | push: 4 | join: ',' }}|{{ site.data.d.nums | pop | join: ',' }}|{{ site.data.d.nums | pop: 2 | join: ',' }}|{{ site.data.d.nums | shift | join: ',' }}|{{ site.data.d.nums | shift: 2 | join: ',' }}|{{ site.data.d.nums | unshift: 1 | join: ',' }}|{{ site.data.d.nums | join: ',' }}", "10,2,33,4|10,2|10|2,33|33|1,10,2,33|10,2,33"],
  ["{{ site.data.d.hash | size }}|{{ 'abc' | size }}|{{ site.data.d.hash.size }}|{{ site.data.d.nums.size }}|{{ site.data.d.nums.first }}|{{ site.data.d.nums.last }}|{{ nil | size }}|{{ 5 | size }}|{{ site.data.d.hash | first }}", "2|3|2|3|10|33|0|8|a1"],
  ["{{ nil | default: 'x' }}|{{ site.data.d.no | default: 'x' }}|{{ '' | default: 'x' }}|{{ site.data.d.empty | default: 'x' }}|{{ site.data.d.no | default: 'x', allow_false: true }}|{{ site.data.d.zero | default: 'x' }}|{{ site.data.d.hash | default: 'x' }}", "x|x|x|x|false|0|{\"a\"=>1, \"b\"=>\"two\"}"],
  ["{{ site.data.d.hash }}|{{ site.data.d.nums }}|{{ site.data.d.people.first }}|{{ nil }}|{{ true }}|{{ site.data.d.mixed }}|{{ site.data.d.people.first.tags }}", "{\"a\"=>1, \"b\"=>\"two\"}|10233|{\"name\"=>\"Ann\", \"age\"=>30, \"city\"=>\"Paris\", \"tags\"=>[\"a\", \"b\"]}||true|ba|ab"],
  ["{{ site.data.d.float }}", "3.0"],
  ["{{ 10 | divided_by: 4 }}|{{ 7 | modulo: 3 }}|{{ '3' | plus: 2 }}|{{ -7 | modulo: 3 }}|{{ 4.5 | round }}|{{ 2.456 | round: 2 }}|{{ '1e3' | plus: 0 }}|{{ '12px' | plus: 1 }}|{{ 1000000 | times: 1000000 }}|{{ 2 | minus: 0.5 }}|{{ 2.5 | times: 3 }}|{{ 1.5 | divided_by: 2 }}", "2|1|5|2|5|2.46|1|13|1000000000000|1.5|7.5|0.75"],
  ["{{ 10.0 | divided_by: 4 }}|{{ 1.5 | times: 2 }}|{{ 3 | times: 1.0 }}|{{ 10 | divided_by: 3.0 }}", "2.5|3.0|3.0|3.3333333333333335"],
  ["{{ 0.1 | plus: 0.2 }}", "0.3"],
  ["{% if 1 == 1.0 %}y{% else %}n{% endif %}|{% if '1' == 1 %}y{% else %}n{% endif %}|{% if site.data.d.nums contains 2 %}y{% else %}n{% endif %}|{% if 'abc' contains 'b' %}y{% else %}n{% endif %}|{% if site.data.d.hash contains 'a' %}y{% else %}n{% endif %}|{% if nil == empty %}y{% else %}n{% endif %}|{% if '' == empty %}y{% else %}n{% endif %}|{% if site.data.d.empty == empty %}y{% else %}n{% endif %}|{% if site.data.d.people.size > 3 %}y{% else %}n{% endif %}|{% if site.data.d.strnums contains 2 %}y{% else %}n{% endif %}", "y|n|y|y|y|n|y|y|y|n"],
  ["{% if 1 == 1 and false %}y{% else %}n{% endif %}|{% if true or false and false %}y{% else %}n{% endif %}|{% if false and false or true %}y{% else %}n{% endif %}|{% if 0 %}y{% else %}n{% endif %}|{% if '' %}y{% else %}n{% endif %}|{% if site.data.d.empty %}y{% else %}n{% endif %}|{% if nil %}y{% else %}n{% endif %}|{% unless false %}u{% endunless %}", "n|y|n|y|y|y|n|u"],
  ["{% if 'b' > 'a' %}y{% else %}n{% endif %}|{% if 'B' < 'a' %}y{% else %}n{% endif %}|{% if nil < 1 %}y{% else %}n{% endif %}", "y|y|n"],
  ["{% if true %}a{% else junk here %}b{% endif %}|{% if false %}a{% else if true %}b{% endif %}|{% if false %}a{% else if false %}b{% endif %}|{% if true %}a{% endif whatever %}|{% for x in (1..3) reversed %}{{ x }}{% endfor %}|{% for x in site.data.d.nums limit:2 offset:1 %}{{ x }}{% endfor %}|{% for x in site.data.d.empty %}{{ x }}{% else %}none{% endfor %}", "a|b|b|a|321|233|none"],
  ["{% include show.html a='x' b=\"y\" c=site.data.d.nums %}|{% include show.html a=site.title %}|{% assign f = 'show.html' %}{% include {{ f }} a=1 %}", "[x|y|3]|[Tom & Jerry's <Site>||0]|[1||0]"],
  ["{% capture c %}x{{ 1 | plus: 1 }}{% endcapture %}{{ c }}|{% assign a = 'b' | upcase %}{{ a }}|{% case 2 %}{% when 1 %}one{% when 2, 3 %}two{% else %}other{% endcase %}|{% increment n %}{% increment n %}|{% comment %}x{% endcomment %}|{% raw %}{{ y }}{% endraw %}|{% cycle 'a','b' %}{% cycle 'a','b' %}|{%- if true -%} t {%- endif -%}", "x2|B|two|01||{{ y }}|ab|t"],
  ["{% tablerow x in (1..2) %}{{ x }}{% endtablerow %}", "<tr class=\"row1\">\n<td class=\"col1\">1</td><td class=\"col2\">2</td></tr>\n"],
  ["{{ 'Hello World' | truncate: 8 }}|{{ 'one two three' | truncatewords: 2 }}|{{ 'a,b' | split: ',' | last }}|{{ 'ab' | capitalize }}|{{ 'x' | append: nil }}|{{ 'a b' | replace: ' ', '_' }}|{{ '<p>a</p>' | strip_html }}|{{ 'a\nb' | newline_to_br }}|{{ 'abc' | slice: 1 }}|{{ 'abc' | slice: -2, 2 }}|{{ site.data.d.mixed | compact | join: ',' }}|{{ site.data.d.words | concat: site.data.d.nums | join: ',' }}|{{ 'a,a,b' | split: ',' | uniq | join: ',' }}|{{ -3 | abs }}|{{ 3 | at_least: 5 }}|{{ 1.2 | ceil }}|{{ 1.9 | floor }}|{{ 'AbC' | downcase }}", "Hello...|one two...|b|Ab|x|a_b|a|a<br />\nb|b|bc|b,a|banana,Apple,cherry,10,2,33|a,b|3|5|2|1|abc"],
  ["{{ site.data.d.people | map: 'name' | join }}|{{ site.data.d.people | map: 'age' | sum }}|{{ site.data.d.nums | sum }}|{{ site.data.d.nums | reverse | join: ',' }}|{{ site.data.d.nums | first }}|{{ site.data.d.people | map: 'tags' | join: ',' }}", "Ann bob Cid Dee|302530|10233|33,2,10|10|a,b,b,c"],
  ["{{ site.data.d.people | where: 'city', 'Paris' | map: 'name' | join: ',' }}|{{ site.data.d.people | where: 'tags', 'b' | map: 'name' | join: ',' }}|{{ site.data.d.people | where: 'age', 30 | map: 'name' | join: ',' }}|{{ site.data.d.people | where: 'age', '30' | map: 'name' | join: ',' }}|{{ site.data.d.people | where: 'city', nil | map: 'name' | join: ',' }}|{{ site.data.d.people | where: 'age', '' | map: 'name' | join: ',' }}|{{ site.data.d.people | where: 'tags', empty | map: 'name' | join: ',' }}|{{ site.data.d.people | where: 'name', 'ann' | size }}", "Ann,Cid|Ann,bob|Ann,Dee|Ann,Dee|Dee||Cid|0"],
  ["{{ nil | markdownify }}|{{ '' | smartify }}|{{ 'Hi *there*' | markdownify }}", "\n||<p>Hi <em>there</em></p>\n"],
  ["{{ '# Head\n\n- a\n- b' | markdownify }}", "<h1 id=\"head\">Head</h1>\n\n<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n"],
  ["{{ '</script>   \t ctrl' | jsonify }}", "\"</script>   \\t ctrl\""],
  ["{% if 'abc' == 'abc' and 1 < 2 or false %}y{% endif %}|{% if site.data.d.people.first.name == 'Ann' and site.data.d.people.first.tags contains 'a' %}y{% endif %}", "y|y"],
  ["{% include show.html a=x b=site.title %}|{% include show.html a=\"q\" c='abc' %}|{% include_relative rel.html a='r' %}", "[|Tom & Jerry's <Site>|0]|[q||3]|RELr"],
  ["{{ 'A & B' | xml_escape }}|{{ site.title }}|{{ site.description }}", "A &amp; B|Tom & Jerry's <Site>|A \"quoted\" site & more"],
  ["{{ site.posts.last.date | date: '%-m/%-d/%Y %l:%M %p' }}|{{ site.posts.last.date | date: '%A, %B %e, %Y' }}|{{ site.posts.last.date | date: '%b %d, %Y' }}", "3/12/2019 12:00 AM|Tuesday, March 12, 2019|Mar 12, 2019"],
  ["{{ 'now' | date: '%Y' | size }}|{{ 'today' | date: '%Y' | size }}", "4|4"],
  ["{{ site.data.d.people | map: 'name' | sort | join: ',' }}|{{ site.data.d.mixed | sort_natural | join: ',' }}", "Ann,Cid,Dee,bob|a,b,"],
  ["{{ '2019-03-05' | date: '%e' }}|{{ '2019-03-05' | date: '%-e' }}|{{ '2019-03-05' | date: '%_m' }}|{{ '2019-03-05' | date: '%5Y' }}|{{ '2019-03-05' | date: '%^b' }}|{{ '2019-03-05' | date: '%#b' }}", " 5|5| 3|02019|MAR|MAR"],
  ["{{ 'Tom & Jerry' | slugify: 'latin' }}|{{ 'Żółć Đ ł Þ œ Ŧ 日本' | slugify: 'latin' }}|{{ 'Żółć 日本 x²½' | slugify }}", "tom-jerry|zolc-d-l-th-oe-t|żółć-日本-x"],
  ["{% if true %}a{% else whatever %}c{% endif %}", "a"],
  ["{% for x in (1..2) %}{{ x }}{% endfor junk %}", "12"],
  ["{% assign y = 'q' junk %}{{ y }}", "q"],
  ["{% if true %}a{% elsif junk %}b{% endif %}", "a"],
  ["{% if 'a' == 'a' junk %}y{% else %}n{% endif %}", "y"],
  ["{% include show.html a=unquoted b=1.5 %}", "[|1.5|0]"],
  ["{% capture c junk %}x{% endcapture %}{{ c }}", "x"],
  ["{% for x in site.data.d.nums reversed limit: 2 %}{{ x }}{% endfor %}", "210"],
  ["{{ site.data.d.nums | where_exp: 'n', 'n > 5' | size }}", "2"],
  ["{{ 'Hello world, foo-bar  baz' | number_of_words }}|{{ site.data.d.cjk | number_of_words }}|{{ site.data.d.cjk | number_of_words: 'cjk' }}|{{ site.data.d.cjk | number_of_words: 'auto' }}|{{ 'hi there' | number_of_words: 'auto' }}|{{ '' | number_of_words }}", "4|2|5|5|2|0"],
  ["{{ site.data.d.html | escape }}|{{ nil | escape }}|{{ '&amp; \"x\"' | escape_once }}", "&lt;a href=&#39;x&#39;&gt;Tom &amp; &quot;J&quot;&lt;/a&gt;||&amp; &quot;x&quot;"],
  ["{{ site.data.d.smart | smartify }}", "‘Single’ and “double” – en — em … dots, it’s ‘the 90s’ <b>“x”</b> &amp; x»y “a”b 5’10” rock ‘n’ roll"],
  ["{{ site.data.d.md | markdownify }}", "<p>He said “hi” – twice… it’s ‘quoted’ &amp; <b>bold</b></p>\n\n<ul>\n  <li>one</li>\n  <li>two</li>\n</ul>\n"],
  ["{{ site.data.d.md | markdownify | strip_html | normalize_whitespace }}", "He said “hi” – twice… it’s ‘quoted’ &amp; bold one two"],
  ["{% for p in site.data.d.hash %}{{ p[0] }}:{{ p[1] }};{% endfor %}|{% for p in site.data.d.hash %}{{ p }};{% endfor %}", "a:1;b:two;|a1;btwo;"],
  ["{{ site.data.d.people | map: 'name' | array_to_sentence_string }}|{{ 'a,b' | split: ',' | jsonify }}|{{ site.data.d.people.first.missing.deeper }}|{{ site.data.d.nums[1] }}|{{ site.data.d.nums[-1] }}|{{ site.data.d.people[0].name }}|{{ site.data.d.hash['b'] }}|{% assign k = 'b' %}{{ site.data.d.hash[k] }}", "Ann, bob, Cid, and Dee|[\"a\",\"b\"]||2|33|Ann|two|two"],
  ["{{ 'abc' | slice: 0, 2 }}|{{ 'a b c' | truncatewords: 2, '' }}|{{ 'x' | prepend: site.baseurl }}|{{ site.data.d.words | sort | first }}|{{ 'Hello' | replace_first: 'l', 'L' }}|{{ 5 | append: '' | size }}|{{ site.data.d.nums | join: ', ' | size }}|{{ page.nothing | size }}", "ab|a b|/blogx|Apple|HeLlo|1|9|0"],
  ["{{ '' | split: ',' | size }}|{{ 'a,,b' | split: ',' | size }}|{{ 'a,b,,' | split: ',' | size }}|{{ 'abc' | split: '' | join: '-' }}|{{ 'a b  c' | split: ' ' | size }}", "0|3|2|a-b-c|3"],
  ["{{ 3.14159 | round: 2 }}|{{ '3.5' | ceil }}|{{ 'ABC' | downcase | capitalize }}|{{ 'hello World' | capitalize }}|{{ '  x  ' | strip }}|{{ 'a<br/>b' | strip_html }}|{{ '<script>x</script>y' | strip_html }}|{{ '<!-- c -->d' | strip_html }}|{{ 'Ünïcödé' | upcase }}|{{ 'long text here' | truncate: 9, '…' }}", "3.14|4|Abc|Hello world|x|ab|y|d|ÜNÏCÖDÉ|long tex…"],
  ["{% for p in site.data.d.people %}{{ forloop.index }}/{{ forloop.length }}{% if forloop.last %}!{% endif %} {% endfor %}|{% for i in (1..5) %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}|{{ site.data.d.people | group_by: 'city' | map: 'size' | join: ',' }}|{{ site.data.d.people | sort: 'name' | last | jsonify }}", "1/4 2/4 3/4 4/4! |12|2,1,1|{\"name\":\"bob\",\"age\":25,\"city\":\"Rome\",\"tags\":[\"b\"]}"],
  ["{{ '/a/../b' | relative_url }}|{{ '/a b?q=ü' | relative_url }}|{{ '/%7Efoo' | relative_url }}|{{ '/A%2fb' | relative_url }}|{{ 'HTTPS://EXAMPLE.com/x' | absolute_url }}", "/blog/b|/blog/a%20b?q=%C3%BC|/blog/~foo|/blog/A%2Fb|HTTPS://EXAMPLE.com/x"],
  ["{{ '2019-03-12T14:05:09+05:30' | date: '%H:%M %z' }}|{{ '2019-03-12 14:05' | date: '%H:%M' }}|{{ '12 March 2019' | date: '%F' }}|{{ '2019-02-30' | date: '%F' }}|{{ '2019/03/12' | date: '%F' }}|{{ 'Tue, 12 Mar 2019 10:00:00 +0000' | date: '%F %R' }}", "14:05 +0530|14:05|2019-03-12|2019-03-02|2019-03-12|2019-03-12 10:00"],
  ["{{ '2019-03-12T14:05:09+05:30' | date_to_xmlschema }}|{{ '2019-03-12T14:05:09+05:30' | date_to_string }}|{{ '2019-12-31T23:30:00-05:00' | date_to_long_string }}", "2019-03-12T08:35:09+00:00|12 Mar 2019|01 January 2020"],
  ["{% assign t = site.data.d.people | where: 'city', 'Paris' %}{% for p in t %}{{ p.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}|{% assign n = site.data.d.nums | size | minus: 1 %}{{ n }}|{{ site.data.d.people | map: 'age' | compact | join: ',' }}|{{ site.data.d.people | map: 'age' | uniq | join: ',' }}", "Ann, Cid|2|30,25,30|30,25,"],
  ["{{ 'a' | nosuchfilter }}|{{ site.data.d.nums | sum }}|{{ 'x' | sha256 }}|{{ site.data.d.people | reject: 'city', 'Paris' | size }}", "a|10233|x|4"],
  ["{{ '<p>Tom &amp; \"Jerry\"</p>' | smartify }}", "<p>Tom &amp; \"Jerry\"</p>"],
  ["{{ 'x `a \"b\"` <code>\"c\"</code>' | smartify }}", "x `a “b”` <code>\"c\"</code>"],
  ["{% if site.data.d.hash contains 'b' %}y{% endif %}{% if site.data.d.hash contains 'z' %}n{% endif %}", "y"],
  ["{{ site.posts | where_exp: 'p', 'p.title contains \"ec\"' | map: 'title' | join: ',' }}|{{ site.posts | map: 'date' | first | date: '%F' }}|{{ site.posts | sort: 'title' | map: 'title' | join: ',' }}", "Second|2019-03-13|First,Second"],
  ["{{ \"a\\nb\" | size }}|{{ 'C:\\temp' }}|{% assign parts = \"x\\ny\" | split: \"\\n\" %}{{ parts | size }}|{{ \"a\\\\b\" | size }}", "4|C:\\temp|2|4"],
  ["{{ 'a' | upcase junk }}|{{ 'a' | append: 'b' 'c' }}|{{ 'a' 'b' }}|{{ 'a' | | upcase }}", "A|ab|a|A"],
  ["{{ 'it\\'s' | upcase }}|{{ \"say \\\"hi\\\"\" | size }}", "IT\\|5"],
  ["[{{ }}]|[{{ nil.size }}]|{% if nothing.size > 0 %}y{% else %}n{% endif %}|{{ nothing.first.name }}|{% for x in nothing %}{{ x }}{% endfor %}e", "[]|[]|n||e"],
  ["{% for i in (1..3) %}{{ forloop.index0 }}{{ forloop.rindex }}{{ forloop.first }}{% endfor %}|{% for i in (1..6) %}{% cycle 'odd', 'even' %}{% endfor %}|{% capture x %}{% endcapture %}[{{ x }}]", "03true12false21false|oddevenoddevenoddeven|[]"],
  ["{{ site.data.d.people | map: 'name' | join: ', ' | prepend: 'By ' | append: '.' }}|{{ 'a-b_c d' | replace: '-', ' ' | split: ' ' | join: '+' }}|{{ site.data.d.people | where_exp: 'p', 'p.name != \"bob\"' | size }}", "By Ann, bob, Cid, Dee.|a+b_c+d|3"],
  ["{% assign t = 'a,b' | split: ',' %}{% if t contains 'a' %}y{% endif %}|{% if site.data.d.people.first.tags.size == 2 %}two{% endif %}|{% if site.data.d.people.first.name contains 'nn' %}nn{% endif %}", "y|two|nn"],
  ["{% for x in site.data.d.nums junk %}{{ x }}{% endfor %}", "10233"],
  ["{% case 2 junk %}{% when 2 %}two{% endcase %}", "two"],
  ["{% if site.data.d.nums.size > 1 junk %}y{% endif %}", "y"],
  ["{% assign z = site.data.d.nums | first junk %}{{ z }}", "10"],
  ["{% for x in (1..3) limit: 2 junk %}{{ x }}{% endfor %}", "12"],
];

/** Where recap prints something else than Jekyll for a snippet above: what it prints, and why. */
const KNOWN_DIFFERENCES: Record<string, { recap: string; why: string }> = {
  "{{ site.data.d.float | jsonify }}": { recap: "3", why: "JavaScript has one number type: 3.0 from YAML is the whole number 3" },
  "{{ '</script><!--' | jsonify }}": { recap: "\"<\\/script>\\u003c!--\"", why: "on purpose: \"</\" and \"<!--\" are written so that JSON printed in a <script> cannot end it (the same JSON value)" },
  "{{ site.data.d.float }}": { recap: "3", why: "JavaScript has one number type: 3.0 from YAML is the whole number 3" },
  "{{ 10.0 | divided_by: 4 }}|{{ 1.5 | times: 2 }}|{{ 3 | times: 1.0 }}|{{ 10 | divided_by: 3.0 }}": { recap: "2|3|3|3", why: "JavaScript has one number type: 10.0 and 3.0 are whole numbers, so they divide as Ruby's Integers do, and 3.0 prints as 3" },
  "{{ 0.1 | plus: 0.2 }}": { recap: "0.30000000000000004", why: "Jekyll's Liquid computes with BigDecimal; JavaScript with binary floats" },
  "{% tablerow x in (1..2) %}{{ x }}{% endtablerow %}": { recap: "<tr class=\"row1\"><td class=\"col1\">1</td><td class=\"col2\">2</td></tr>", why: "liquidjs writes no line breaks around the rows (same table)" },
  "{{ '# Head\n\n- a\n- b' | markdownify }}": { recap: "<h1 id=\"head\">Head</h1>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n", why: "remark writes HTML with other line breaks and indentation than kramdown (same elements and text)" },
  "{{ '</script>   \t ctrl' | jsonify }}": { recap: "\"<\\/script>   \\t ctrl\"", why: "on purpose: \"</\" is written \"<\\/\", so that JSON printed in a <script> cannot end it (the same JSON value)" },
  "{{ site.data.d.md | markdownify }}": { recap: "<p>He said “hi” – twice… it’s ‘quoted’ &#x26; <b>bold</b></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n", why: "remark writes & as &#x26; and other line breaks than kramdown (same elements and visible text)" },
  "{{ site.data.d.md | markdownify | strip_html | normalize_whitespace }}": { recap: "He said “hi” – twice… it’s ‘quoted’ &#x26; bold one two", why: "remark writes & as &#x26; (the same visible text)" },
};

/** What jekyll-seo-tag 2.8 and jekyll-feed printed in <head> for the pages of a small site (see SEO_PAGES). */
const JEKYLL_SEO: Record<string, string> = {
  "2019/03/12/first-post.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<title>First post &amp; “more” | Tom &amp; Jerry’s</title>\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"First post &amp; “more”\" />\n<meta name=\"author\" content=\"Ann <A>\" />\n<meta property=\"og:locale\" content=\"de_DE\" />\n<meta name=\"description\" content=\"Line one line two &amp; x\" />\n<meta property=\"og:description\" content=\"Line one line two &amp; x\" />\n<link rel=\"canonical\" href=\"https://example.com/blog/2019/03/12/first-post.html\" />\n<meta property=\"og:url\" content=\"https://example.com/blog/2019/03/12/first-post.html\" />\n<meta property=\"og:site_name\" content=\"Tom &amp; Jerry’s\" />\n<meta property=\"og:image\" content=\"https://example.com/blog/img/a%20b.png\" />\n<meta property=\"og:type\" content=\"article\" />\n<meta property=\"article:published_time\" content=\"2019-03-12T00:00:00+00:00\" />\n<meta name=\"twitter:card\" content=\"summary_large_image\" />\n<meta property=\"twitter:image\" content=\"https://example.com/blog/img/a%20b.png\" />\n<meta property=\"twitter:title\" content=\"First post &amp; “more”\" />\n<meta name=\"twitter:site\" content=\"@meetup\" />\n<meta name=\"twitter:creator\" content=\"@ann\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"BlogPosting\",\"author\":{\"@type\":\"Person\",\"name\":\"Ann <A>\"},\"dateModified\":\"2019-03-12T00:00:00+00:00\",\"datePublished\":\"2019-03-12T00:00:00+00:00\",\"description\":\"Line one line two &amp; x\",\"headline\":\"First post &amp; “more”\",\"image\":\"https://example.com/blog/img/a%20b.png\",\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":\"https://example.com/blog/2019/03/12/first-post.html\"},\"publisher\":{\"@type\":\"Organization\",\"logo\":{\"@type\":\"ImageObject\",\"url\":\"https://example.com/blog/img/logo.png\"},\"name\":\"Ann <A>\"},\"url\":\"https://example.com/blog/2019/03/12/first-post.html\"}</script>\n<!-- End Jekyll SEO tag -->\n</head>",
  "2019/03/13/second.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"Second\" />\n<meta name=\"author\" content=\"Site Author\" />\n<meta property=\"og:locale\" content=\"de_DE\" />\n<meta name=\"description\" content=\"First para with bold &amp; stuff.\" />\n<meta property=\"og:description\" content=\"First para with bold &amp; stuff.\" />\n<link rel=\"canonical\" href=\"https://example.com/blog/2019/03/13/second.html\" />\n<meta property=\"og:url\" content=\"https://example.com/blog/2019/03/13/second.html\" />\n<meta property=\"og:site_name\" content=\"Tom &amp; Jerry’s\" />\n<meta property=\"og:image\" content=\"https://cdn.example/x.png\" />\n<meta property=\"og:image:height\" content=\"100\" />\n<meta property=\"og:image:width\" content=\"200\" />\n<meta property=\"og:image:alt\" content=\"Alt \"text\"\" />\n<meta property=\"og:type\" content=\"article\" />\n<meta property=\"article:published_time\" content=\"2019-03-13T00:00:00+00:00\" />\n<meta name=\"twitter:card\" content=\"summary_large_image\" />\n<meta property=\"twitter:image\" content=\"https://cdn.example/x.png\" />\n<meta name=\"twitter:image:alt\" content=\"Alt \"text\"\" />\n<meta property=\"twitter:title\" content=\"Second\" />\n<meta name=\"twitter:site\" content=\"@meetup\" />\n<meta name=\"twitter:creator\" content=\"@Site Author\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"BlogPosting\",\"author\":{\"@type\":\"Person\",\"name\":\"Site Author\"},\"dateModified\":\"2019-03-13T00:00:00+00:00\",\"datePublished\":\"2019-03-13T00:00:00+00:00\",\"description\":\"First para with bold &amp; stuff.\",\"headline\":\"Second\",\"image\":{\"height\":100,\"width\":200,\"alt\":\"Alt \\\"text\\\"\",\"url\":\"https://cdn.example/x.png\",\"@type\":\"imageObject\"},\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":\"https://example.com/blog/2019/03/13/second.html\"},\"publisher\":{\"@type\":\"Organization\",\"logo\":{\"@type\":\"ImageObject\",\"url\":\"https://example.com/blog/img/logo.png\"},\"name\":\"Site Author\"},\"url\":\"https://example.com/blog/2019/03/13/second.html\"}</script>\n<!-- End Jekyll SEO tag -->\n<link type=\"application/atom+xml\" rel=\"alternate\" href=\"https://example.com/blog/feed.xml\" title=\"Tom &amp; Jerry&apos;s &lt;Meetup&gt;\" /></head>",
  "index.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<title>Tom &amp; Jerry’s | Talks, “demos” &amp; pizza</title>\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"Tom &amp; Jerry’s\" />\n<meta name=\"author\" content=\"Site Author\" />\n<meta property=\"og:locale\" content=\"de_DE\" />\n<meta name=\"description\" content=\"Talks, “demos” &amp; pizza\" />\n<meta property=\"og:description\" content=\"Talks, “demos” &amp; pizza\" />\n<link rel=\"canonical\" href=\"https://example.com/blog/\" />\n<meta property=\"og:url\" content=\"https://example.com/blog/\" />\n<meta property=\"og:site_name\" content=\"Tom &amp; Jerry’s\" />\n<meta property=\"og:type\" content=\"website\" />\n<meta name=\"twitter:card\" content=\"summary\" />\n<meta property=\"twitter:title\" content=\"Tom &amp; Jerry’s\" />\n<meta name=\"twitter:site\" content=\"@meetup\" />\n<meta name=\"twitter:creator\" content=\"@Site Author\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",\"author\":{\"@type\":\"Person\",\"name\":\"Site Author\"},\"description\":\"Talks, “demos” &amp; pizza\",\"headline\":\"Tom &amp; Jerry’s\",\"name\":\"Tom &amp; Jerry’s\",\"publisher\":{\"@type\":\"Organization\",\"logo\":{\"@type\":\"ImageObject\",\"url\":\"https://example.com/blog/img/logo.png\"},\"name\":\"Site Author\"},\"url\":\"https://example.com/blog/\"}</script>\n<!-- End Jekyll SEO tag -->\n</head>",
  "about/index.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<title>About | Tom &amp; Jerry’s</title>\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"About\" />\n<meta name=\"author\" content=\"Site Author\" />\n<meta property=\"og:locale\" content=\"fr_FR\" />\n<meta name=\"description\" content=\"Talks, “demos” &amp; pizza\" />\n<meta property=\"og:description\" content=\"Talks, “demos” &amp; pizza\" />\n<link rel=\"canonical\" href=\"https://example.com/blog/about/\" />\n<meta property=\"og:url\" content=\"https://example.com/blog/about/\" />\n<meta property=\"og:site_name\" content=\"Tom &amp; Jerry’s\" />\n<meta property=\"og:type\" content=\"website\" />\n<meta name=\"twitter:card\" content=\"summary\" />\n<meta property=\"twitter:title\" content=\"About\" />\n<meta name=\"twitter:site\" content=\"@meetup\" />\n<meta name=\"twitter:creator\" content=\"@Site Author\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",\"author\":{\"@type\":\"Person\",\"name\":\"Site Author\"},\"description\":\"Talks, “demos” &amp; pizza\",\"headline\":\"About\",\"name\":\"Tom &amp; Jerry’s\",\"publisher\":{\"@type\":\"Organization\",\"logo\":{\"@type\":\"ImageObject\",\"url\":\"https://example.com/blog/img/logo.png\"},\"name\":\"Site Author\"},\"url\":\"https://example.com/blog/about/\"}</script>\n<!-- End Jekyll SEO tag -->\n</head>",
  "plain.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<title>Tom &amp; Jerry’s | Talks, “demos” &amp; pizza</title>\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"Tom &amp; Jerry’s\" />\n<meta name=\"author\" content=\"Site Author\" />\n<meta property=\"og:locale\" content=\"de_DE\" />\n<meta name=\"description\" content=\"Talks, “demos” &amp; pizza\" />\n<meta property=\"og:description\" content=\"Talks, “demos” &amp; pizza\" />\n<link rel=\"canonical\" href=\"https://example.com/blog/plain.html\" />\n<meta property=\"og:url\" content=\"https://example.com/blog/plain.html\" />\n<meta property=\"og:site_name\" content=\"Tom &amp; Jerry’s\" />\n<meta property=\"og:type\" content=\"website\" />\n<meta name=\"twitter:card\" content=\"summary\" />\n<meta property=\"twitter:title\" content=\"Tom &amp; Jerry’s\" />\n<meta name=\"twitter:site\" content=\"@meetup\" />\n<meta name=\"twitter:creator\" content=\"@Site Author\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"WebPage\",\"author\":{\"@type\":\"Person\",\"name\":\"Site Author\"},\"description\":\"Talks, “demos” &amp; pizza\",\"headline\":\"Tom &amp; Jerry’s\",\"publisher\":{\"@type\":\"Organization\",\"logo\":{\"@type\":\"ImageObject\",\"url\":\"https://example.com/blog/img/logo.png\"},\"name\":\"Site Author\"},\"url\":\"https://example.com/blog/plain.html\"}</script>\n<!-- End Jekyll SEO tag -->\n</head>"
};

const SEO_CONFIG = 'title: "Tom & Jerry\'s <Meetup>"\ndescription: "Talks, \\"demos\\" & pizza"\nurl: "https://example.com"\nbaseurl: "/blog"\n';
const SEO_SITE = { title: "Tom & Jerry's <Meetup>", description: 'Talks, "demos" & pizza', url: 'https://example.com', baseurl: '/blog', author: 'Site Author', twitter: { username: '@meetup' }, logo: '/img/logo.png', lang: 'de-DE' };

/** The pages Jekyll built for JEKYLL_SEO: their page variables, and the layout's head. */
const SEO_PAGES: Record<string, { page: Record<string, unknown>; head: string }> = {
  '2019/03/12/first-post.html': {
    page: { title: 'First <b>post</b> & "more"', description: 'Line one\nline two & <i>x</i>', image: '/img/a b.png', author: { name: 'Ann <A>', twitter: '@ann' }, url: '/2019/03/12/first-post.html', date: new Date('2019-03-12T00:00:00Z') },
    head: '<head>{% seo %}</head>',
  },
  '2019/03/13/second.html': {
    page: { title: 'Second', image: { path: 'https://cdn.example/x.png', height: 100, width: 200, alt: 'Alt "text"' }, url: '/2019/03/13/second.html', date: new Date('2019-03-13T00:00:00Z'), excerpt: '<p>First para with <strong>bold</strong> &amp; stuff.</p>\n' },
    head: '<head>{% seo title=false %}{% feed_meta %}</head>',
  },
  'index.html': { page: { url: '/' }, head: '<head>{% seo %}</head>' },
  'about/index.html': { page: { title: 'About', locale: 'fr-FR', url: '/about/' }, head: '<head>{% seo %}</head>' },
  'plain.html': { page: { url: '/plain.html' }, head: '<head>{% seo %}</head>' },
};

/**
 * Where recap's seo tag prints something else than the gem on purpose: values the gem prints into
 * attributes unescaped (an author's name, an image's alt text) are escaped, so they cannot end
 * the attribute.
 */
const SEO_DIFFERENCES: [string, string][] = [
  ['content="Ann <A>"', 'content="Ann &lt;A&gt;"'],
  ['content="Alt "text""', 'content="Alt &quot;text&quot;"'],
];


/** A second site for jekyll-seo-tag: name and tagline without title or description, social links, authors from _data, seo overrides, Facebook and verification keys. */
const SEO_SITE_2 = {
  name: 'Meetup Name', tagline: 'Talks -- and more', url: 'https://example.org', locale: 'en-GB', twitter: 'plainstring',
  social: { name: 'Social Name', links: ['https://twitter.com/x', 'https://github.com/x'] },
  facebook: { admins: '123', publisher: 'https://facebook.com/x', app_id: '456' },
  webmaster_verifications: { google: 'g-code', bing: 'b-code' },
  data: { authors: { ann: { name: 'Ann Data', twitter: 'anndata', url: 'https://ann.example' } } },
};
const EXCERPT = '<p>Body.</p>\n';
const SEO_PAGES_2: Record<string, Record<string, unknown>> = {
  '2020/01/02/one.html': { title: 'One', author: 'ann', image: { path: '/one.png' }, last_modified_at: new Date('2020-02-03T00:00:00Z'), twitter: { card: 'summary' }, seo: { type: 'CreativeWork', name: 'SEO Name', links: ['https://a.example'] }, url: '/2020/01/02/one.html', date: new Date('2020-01-02T00:00:00Z'), excerpt: EXCERPT },
  '2020/01/03/two.html': { title: 'Two', authors: ['Bob B', 'Carl'], canonical_url: 'https://elsewhere.example/two', description: 'Short & sweet', url: '/2020/01/03/two.html', date: new Date('2020-01-03T00:00:00Z'), excerpt: EXCERPT },
  '2020/01/04/three.html': { title: 'Three', author: { name: 'Org Inc', type: 'Organization', url: 'https://org.example', twitter: '@org' }, url: '/2020/01/04/three.html', date: new Date('2020-01-04T00:00:00Z'), excerpt: EXCERPT },
  'index.html': { url: '/' },
};
/** What jekyll-seo-tag printed for SEO_PAGES_2 (layout: <head>{% seo %}</head>). */
const JEKYLL_SEO_2: Record<string, string> = {
  "2020/01/02/one.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<title>One | Meetup Name</title>\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"One\" />\n<meta name=\"author\" content=\"Ann Data\" />\n<meta property=\"og:locale\" content=\"en_GB\" />\n<meta name=\"description\" content=\"Body.\" />\n<meta property=\"og:description\" content=\"Body.\" />\n<link rel=\"canonical\" href=\"https://example.org/2020/01/02/one.html\" />\n<meta property=\"og:url\" content=\"https://example.org/2020/01/02/one.html\" />\n<meta property=\"og:site_name\" content=\"Meetup Name\" />\n<meta property=\"og:image\" content=\"https://example.org/one.png\" />\n<meta property=\"og:type\" content=\"article\" />\n<meta property=\"article:published_time\" content=\"2020-01-02T00:00:00+00:00\" />\n<meta name=\"twitter:card\" content=\"summary\" />\n<meta property=\"twitter:image\" content=\"https://example.org/one.png\" />\n<meta property=\"twitter:title\" content=\"One\" />\n<meta name=\"twitter:site\" content=\"@\" />\n<meta name=\"twitter:creator\" content=\"@anndata\" />\n<meta property=\"fb:admins\" content=\"123\" />\n<meta property=\"article:publisher\" content=\"https://facebook.com/x\" />\n<meta property=\"fb:app_id\" content=\"456\" />\n<meta name=\"google-site-verification\" content=\"g-code\" />\n<meta name=\"msvalidate.01\" content=\"b-code\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"CreativeWork\",\"author\":{\"@type\":\"Person\",\"name\":\"Ann Data\",\"url\":\"https://ann.example\"},\"dateModified\":\"2020-02-03T00:00:00+00:00\",\"datePublished\":\"2020-01-02T00:00:00+00:00\",\"description\":\"Body.\",\"headline\":\"One\",\"image\":\"https://example.org/one.png\",\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":\"https://example.org/2020/01/02/one.html\"},\"name\":\"SEO Name\",\"sameAs\":[\"https://a.example\"],\"url\":\"https://example.org/2020/01/02/one.html\"}</script>\n<!-- End Jekyll SEO tag -->\n</head>",
  "2020/01/03/two.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<title>Two | Meetup Name</title>\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"Two\" />\n<meta name=\"author\" content=\"Bob B\" />\n<meta property=\"og:locale\" content=\"en_GB\" />\n<meta name=\"description\" content=\"Short &amp; sweet\" />\n<meta property=\"og:description\" content=\"Short &amp; sweet\" />\n<link rel=\"canonical\" href=\"https://elsewhere.example/two\" />\n<meta property=\"og:url\" content=\"https://elsewhere.example/two\" />\n<meta property=\"og:site_name\" content=\"Meetup Name\" />\n<meta property=\"og:type\" content=\"article\" />\n<meta property=\"article:published_time\" content=\"2020-01-03T00:00:00+00:00\" />\n<meta name=\"twitter:card\" content=\"summary\" />\n<meta property=\"twitter:title\" content=\"Two\" />\n<meta name=\"twitter:site\" content=\"@\" />\n<meta name=\"twitter:creator\" content=\"@Bob B\" />\n<meta property=\"fb:admins\" content=\"123\" />\n<meta property=\"article:publisher\" content=\"https://facebook.com/x\" />\n<meta property=\"fb:app_id\" content=\"456\" />\n<meta name=\"google-site-verification\" content=\"g-code\" />\n<meta name=\"msvalidate.01\" content=\"b-code\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"BlogPosting\",\"author\":{\"@type\":\"Person\",\"name\":\"Bob B\"},\"dateModified\":\"2020-01-03T00:00:00+00:00\",\"datePublished\":\"2020-01-03T00:00:00+00:00\",\"description\":\"Short &amp; sweet\",\"headline\":\"Two\",\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":\"https://elsewhere.example/two\"},\"url\":\"https://elsewhere.example/two\"}</script>\n<!-- End Jekyll SEO tag -->\n</head>",
  "2020/01/04/three.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<title>Three | Meetup Name</title>\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"Three\" />\n<meta name=\"author\" content=\"Org Inc\" />\n<meta property=\"og:locale\" content=\"en_GB\" />\n<meta name=\"description\" content=\"Body.\" />\n<meta property=\"og:description\" content=\"Body.\" />\n<link rel=\"canonical\" href=\"https://example.org/2020/01/04/three.html\" />\n<meta property=\"og:url\" content=\"https://example.org/2020/01/04/three.html\" />\n<meta property=\"og:site_name\" content=\"Meetup Name\" />\n<meta property=\"og:type\" content=\"article\" />\n<meta property=\"article:published_time\" content=\"2020-01-04T00:00:00+00:00\" />\n<meta name=\"twitter:card\" content=\"summary\" />\n<meta property=\"twitter:title\" content=\"Three\" />\n<meta name=\"twitter:site\" content=\"@\" />\n<meta name=\"twitter:creator\" content=\"@org\" />\n<meta property=\"fb:admins\" content=\"123\" />\n<meta property=\"article:publisher\" content=\"https://facebook.com/x\" />\n<meta property=\"fb:app_id\" content=\"456\" />\n<meta name=\"google-site-verification\" content=\"g-code\" />\n<meta name=\"msvalidate.01\" content=\"b-code\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"BlogPosting\",\"author\":{\"@type\":\"Organization\",\"name\":\"Org Inc\",\"url\":\"https://org.example\"},\"dateModified\":\"2020-01-04T00:00:00+00:00\",\"datePublished\":\"2020-01-04T00:00:00+00:00\",\"description\":\"Body.\",\"headline\":\"Three\",\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":\"https://example.org/2020/01/04/three.html\"},\"url\":\"https://example.org/2020/01/04/three.html\"}</script>\n<!-- End Jekyll SEO tag -->\n</head>",
  "index.html": "<head><!-- Begin Jekyll SEO tag v2.8.0 -->\n<title>Meetup Name</title>\n<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n<meta property=\"og:title\" content=\"Meetup Name\" />\n<meta property=\"og:locale\" content=\"en_GB\" />\n<link rel=\"canonical\" href=\"https://example.org/\" />\n<meta property=\"og:url\" content=\"https://example.org/\" />\n<meta property=\"og:site_name\" content=\"Meetup Name\" />\n<meta property=\"og:type\" content=\"website\" />\n<meta name=\"twitter:card\" content=\"summary\" />\n<meta property=\"twitter:title\" content=\"Meetup Name\" />\n<meta name=\"twitter:site\" content=\"@\" />\n<meta property=\"fb:admins\" content=\"123\" />\n<meta property=\"article:publisher\" content=\"https://facebook.com/x\" />\n<meta property=\"fb:app_id\" content=\"456\" />\n<meta name=\"google-site-verification\" content=\"g-code\" />\n<meta name=\"msvalidate.01\" content=\"b-code\" />\n<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",\"headline\":\"Meetup Name\",\"name\":\"Social Name\",\"sameAs\":[\"https://twitter.com/x\",\"https://github.com/x\"],\"url\":\"https://example.org/\"}</script>\n<!-- End Jekyll SEO tag -->\n</head>"
};

describe("Jekyll's filters and standard Liquid, as Jekyll 4.3.1 prints them", () => {
  const engine = engineFor(siteFolder());
  for (const [snippet, jekyll] of JEKYLL_PRINTED) {
    const known = KNOWN_DIFFERENCES[snippet];
    it(`${snippet}${known ? ` (differs: ${known.why})` : ''}`, () => {
      assert.equal(engine.parseAndRenderSync(snippet, scope()), known ? known.recap : jekyll);
    });
  }

  it('lists each known difference once, for a snippet Jekyll printed', () => {
    const snippets = new Set(JEKYLL_PRINTED.map(([snippet]) => snippet));
    for (const snippet of Object.keys(KNOWN_DIFFERENCES)) assert.ok(snippets.has(snippet), snippet);
  });

  it('markdownify gives the visible text kramdown gives', () => {
    const text = (html: string) => htmlText(html).replace(/\s+/g, ' ').trim();
    for (const snippet of ["{{ site.data.d.md | markdownify }}", "{{ '# Head\n\n- a\n- b' | markdownify }}"]) {
      const jekyll = JEKYLL_PRINTED.find(([s]) => s === snippet)![1];
      assert.equal(text(engine.parseAndRenderSync(snippet, scope())), text(jekyll));
    }
  });
});

describe('lax Liquid, as Jekyll reads it', () => {
  const engine = engineFor(siteFolder());
  const render = (template: string, variables: Record<string, unknown> = scope()) => engine.parseAndRenderSync(template, variables);

  it('ignores markup after else and after the names of closing tags (raw blocks kept as written)', () => {
    assert.equal(render('{% if false %}a{% else if true %}b{% endif %}|{%- if true -%}a{%- else junk -%}b{%- endif whatever -%}|{% for x in (1..2) %}{{ x }}{% endfor x %}|{% case 1 %}{% when 2 %}t{% else other %}e{% endcase %}'), 'b|a|12|e');
    assert.equal(render('{% raw %}{% endif junk %}{% endraw %}'), '{% endif junk %}');
    assert.equal(laxLiquid('{% capture x %}a{% endcapture x %}'), '{% capture x %}a{% endcapture %}');
    assert.equal(laxLiquid('no tags {{ x }}'), 'no tags {{ x }}');
    assert.equal(laxLiquid('a\\b {{ "\\n" }} {% raw %}{{ "\\n" }}{% endraw %}'), 'a\\b {{ "\\\\n" }} {% raw %}{{ "\\n" }}{% endraw %}');
  });

  it('reads includes laxly too, with parameters quoted, unquoted or from variables', () => {
    const root = siteFolder(CONFIG, { '_includes/lax.html': '{% if include.on %}on{% else whatever %}off{% endif junk %}' });
    const lax = engineFor(root);
    assert.equal(lax.parseAndRenderSync('{% include lax.html on=true %}|{% include lax.html %}|{% include show.html a=site.title b="x" c=site.data.d.nums %}', scope()), "on|off|[Tom & Jerry's <Site>|x|3]");
  });

  it('include_relative reads a file beside the page, and refuses paths out of it', () => {
    const root = siteFolder(CONFIG, { 'docs/part.md': 'Part {{ include.n }}', 'docs/page.md': '' });
    const relative = engineFor(root);
    assert.equal(relative.parseAndRenderSync("{% include_relative part.md n='1' %}", { page: { path: 'docs/page.md' } }), 'Part 1');
    assert.throws(() => relative.parseAndRenderSync('{% include_relative ../_config.yml %}', { page: { path: 'docs/page.md' } }), /without "\.\."/);
    assert.throws(() => relative.parseAndRenderSync('{% include_relative missing.md %}', { page: { path: 'docs/page.md' } }), /no file docs\/missing\.md/);
    fs.symlinkSync('/etc/passwd', path.join(root, 'docs/link.md'));
    assert.throws(() => relative.parseAndRenderSync('{% include_relative link.md %}', { page: { path: 'docs/page.md' } }), /no file docs\/link\.md in the site/);
  });

  it('compares times by instant, as Ruby compares Time values', () => {
    assert.equal(render('{% if a == b %}same{% endif %}{% if a != c %} apart{% endif %}', { a: new Date(0), b: new Date(0), c: new Date(1000) }), 'same apart');
  });

  it('passes the input of an unknown filter (or one only liquidjs has) through, noting its name', () => {
    const seen = new Set<string>();
    assert.equal(render('{{ "a" | nosuch: 1 | upcase }}|{{ site.data.d.nums | sum }}|{{ "x" | sha256 }}', { ...scope(), [UNKNOWN_FILTERS_KEY]: seen }), 'A|10233|x');
    assert.deepEqual([...seen].sort(), ['nosuch', 'sha256', 'sum']);
  });
});

describe('unknown filters in a build', () => {
  it('warns once per filter, naming every file that used it, and builds the pages', async () => {
    const root = siteFolder('title: T\n', {
      '_posts/2019-03-12-a.md': '---\ntitle: A\n---\n{{ "kept" | plugin_only }} {{ "x" | other_plugin }}\n',
      '_posts/2019-03-13-b.md': '---\ntitle: B\n---\n{{ "kept too" | plugin_only }}\n',
    });
    const result = await buildSite(loadConfig(root, { cache: false, outDir: path.join(tempDir(), 'public') }));
    const warnings = result.warnings.filter((warning) => warning.startsWith('unknown Liquid filter'));
    assert.deepEqual(warnings, [
      'unknown Liquid filter "other_plugin" in _posts/2019-03-12-a.md: it prints its input unchanged, as Jekyll does; a Jekyll plugin recap does not run may define it',
      'unknown Liquid filter "plugin_only" in _posts/2019-03-12-a.md, _posts/2019-03-13-b.md: it prints its input unchanged, as Jekyll does; a Jekyll plugin recap does not run may define it',
    ]);
    assert.match(fs.readFileSync(path.join(result.outDir, '2019/03/13/b.html'), 'utf8'), /kept too/);
  });
});

describe('{% seo %} and {% feed_meta %}', () => {
  const engine = engineFor(siteFolder(SEO_CONFIG));
  for (const [file, { page, head }] of Object.entries(SEO_PAGES)) {
    it(`prints what jekyll-seo-tag printed for ${file}`, () => {
      const expected = SEO_DIFFERENCES.reduce((text, [gem, recap]) => text.split(gem).join(recap), JEKYLL_SEO[file]);
      assert.equal(engine.parseAndRenderSync(head, { site: SEO_SITE, page }), expected);
    });
  }

  for (const [file, page] of Object.entries(SEO_PAGES_2)) {
    it(`prints what jekyll-seo-tag printed for ${file} of a site with a name, social links and authors in _data`, () => {
      assert.equal(engineFor(siteFolder('url: "https://example.org"\n')).parseAndRenderSync('<head>{% seo %}</head>', { site: SEO_SITE_2, page }), JEKYLL_SEO_2[file]);
    });
  }

  it('keeps front matter and config from ending attributes, elements or the JSON-LD script', () => {
    const hostile = '"><script>alert(1)</script><!--';
    const page = { title: hostile, description: hostile, author: { name: hostile, twitter: hostile }, image: { path: hostile, alt: hostile }, locale: hostile, url: '/x/', date: new Date(0) };
    const site = { ...SEO_SITE, title: hostile, twitter: { username: hostile }, logo: hostile, webmaster_verifications: { google: hostile } };
    const head = engine.parseAndRenderSync('{% seo %}{% feed_meta %}', { site, page });
    const json = /<script type="application\/ld\+json">\n(.*?)<\/script>/s.exec(head)![1];
    const outside = head.replace(json, '');
    assert.doesNotMatch(outside, /<script>alert/);
    assert.equal(head.split('</script>').length, 2, 'only the JSON-LD script ends');
    assert.equal(outside.split('<!--').length, 3, 'only the two comments of the seo tag');
    assert.doesNotMatch(head, /="[^"]*"[^ />]/, 'every attribute value stays in its quotes');
    assert.equal((JSON.parse(json) as { author: { name: string } }).author.name, hostile);
  });

  it('links the feed from feed.path, titled with the escaped site title, or no title without one', () => {
    const feed = (site: Record<string, unknown>) => engine.parseAndRenderSync('{% feed_meta %}', { site });
    assert.equal(feed({ title: 'A & "B"', feed: { path: '/atom.xml' } }), '<link type="application/atom+xml" rel="alternate" href="https://example.com/blog/atom.xml" title="A &amp; &quot;B&quot;" />');
    assert.equal(feed({}), '<link type="application/atom+xml" rel="alternate" href="https://example.com/blog/feed.xml" />');
  });

  it('paginated pages get rel prev/next and the page number in the title', () => {
    const head = engine.parseAndRenderSync('{% seo %}', { site: SEO_SITE, page: { url: '/page2/' }, paginator: { page: 2, total_pages: 3, previous_page: 1, previous_page_path: '/', next_page: 3, next_page_path: '/page3/' } });
    assert.match(head, /<title>Page 2 of 3 for Tom &amp; Jerry’s \| Talks, “demos” &amp; pizza<\/title>/);
    assert.match(head, /<link rel="prev" href="https:\/\/example.com\/blog\/" \/>\n<link rel="next" href="https:\/\/example.com\/blog\/page3\/" \/>/);
  });
});

describe('limits on what a template asks of a filter', () => {
  const engine = engineFor(siteFolder());
  it('markdownify refuses more than its limit, and markdown nested beyond the stack, with a clear error', () => {
    assert.throws(() => engine.parseAndRenderSync('{{ big | markdownify }}', { big: 'a'.repeat(MARKDOWNIFY_LIMIT + 1) }), /markdownify was given \d+ characters; it renders at most/);
    const deep = '> '.repeat(3000) + 'x';
    assert.throws(() => engine.parseAndRenderSync('{{ deep | markdownify }}', { deep }), /markdownify was given markdown nested too deeply to render/);
  });

  it('markdownify of the slowest markdown under its limit is stopped by the time limit, in seconds', () => {
    const slow = '*a'.repeat(MARKDOWNIFY_LIMIT / 2);
    const started = Date.now();
    assert.throws(() => runWithinTime(2000, () => engine.parseAndRenderSync('{{ slow | markdownify }}', { slow })), TimeLimitExceeded);
    assert.ok(Date.now() - started < 20_000);
  });

  it("inspect and printing show values that contain themselves as Ruby does; liquidjs's memory limit holds for filters", () => {
    const loop: Record<string, unknown> = { name: 'a' };
    loop.self = loop;
    assert.equal(engine.parseAndRenderSync('{{ loop | inspect }}|{{ loop }}', { loop }), '{&quot;name&quot;=&gt;&quot;a&quot;, &quot;self&quot;=&gt;{...}}|{"name"=>"a", "self"=>{...}}');
    const post: Record<string, unknown> = { title: 'A', date: new Date(0) };
    post.next = { title: 'B', previous: post };
    assert.equal(engine.parseAndRenderSync('{{ post | jsonify }}', { post }), '{"title":"A","date":"1970-01-01 00:00:00 +0000","next":{"title":"B","previous":null}}');
    const many = Array.from({ length: 1000 }, (_, i) => i);
    // The memory limit stops it in about a second; on a machine loaded ten times over, the render
    // time limit can come first. Either way it is stopped, never run to its end.
    assert.throws(() => engine.parseAndRenderSync('{% for i in (1..100000) %}{% assign many = many | push: i %}{% endfor %}', { many }), /memory alloc limit exceeded|template render limit exceeded/);
  });
});

const JEKYLL = '/usr/bin/jekyll';

describe('the recorded output still is what Jekyll prints', () => {
  it('builds every snippet with real Jekyll and compares', { skip: !fs.existsSync(JEKYLL) && `${JEKYLL} is not installed` }, () => {
    const root = tempDir();
    const source = path.join(root, 'src');
    const pages: Record<string, string> = { '_config.yml': CONFIG, '_data/d.yml': JSON.stringify(DATA).replace('"float":3,', '"float":3.0,'), '_includes/show.html': INCLUDE, 'rel.html': 'REL{{ include.a }}', '_posts/2019-03-12-first.md': '---\ntitle: First\n---\nHello\n', '_posts/2019-03-13-second.md': '---\ntitle: Second\ndate: 2019-03-13 14:05:09 +0100\n---\nHi\n' };
    JEKYLL_PRINTED.forEach(([snippet], index) => (pages[`t${index}.html`] = `---\nlayout: null\n---\n${snippet}`));
    for (const [file, text] of Object.entries(pages)) {
      fs.mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
      fs.writeFileSync(path.join(source, file), text);
    }
    const run = spawnSync(JEKYLL, ['build', '--quiet', '--source', source, '--destination', path.join(root, 'out')], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', JEKYLL_ENV: 'production' } });
    assert.equal(run.status, 0, run.stderr);
    JEKYLL_PRINTED.forEach(([snippet, printed], index) => assert.equal(fs.readFileSync(path.join(root, 'out', `t${index}.html`), 'utf8'), printed, snippet));
  });
});
