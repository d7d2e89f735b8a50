/**
 * Liquid as Jekyll reads it (Ruby's Liquid in its default lax mode), rewritten into what liquidjs
 * reads the same way, before liquidjs parses a template:
 *
 * - text after `else` and after the name of a closing tag is ignored (`{% else if x %}`,
 *   `{% endif junk %}`); liquidjs refuses it, so it is cut away;
 * - a backslash in a quoted string is just a backslash ('\n' is a backslash and an n); liquidjs
 *   reads JavaScript's escapes, so every backslash inside {{ }} and {% %} is doubled;
 * - an empty output (`{{ }}`) prints nothing;
 * - output markup liquidjs cannot read (`{{ x | upcase junk }}`, `{{ 'a' | append: 'b' 'c' }}`,
 *   `{{ x | | upcase }}`) is read as Ruby's lax parser reads it: the first value, then each
 *   filter's name and its `:`/`,`-separated arguments, the rest left out; so is the value of an
 *   `assign`.
 *
 * Raw blocks stay as written. This reads Liquid's delimiters, never HTML.
 */
import { Tokenizer } from 'liquidjs';

const LAX_MARKUP = /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{%(-?)\s*(else|end[a-z_]+)\b((?:[^%]|%(?!\}))*?)(-?)%\}|\{%(?:[^%]|%(?!\}))*%\}|\{\{(-?)((?:[^}]|\}(?!\}))*?)(-?)\}\}/g;

/** Ruby Liquid's QuotedFragment: a quoted string, or a run of anything but spaces, commas, pipes and quotes. */
const QUOTED_STRING = `"[^"]*"|'[^']*'`;
const QUOTED_FRAGMENT = `(?:${QUOTED_STRING}|(?:[^\\s,|'"]|${QUOTED_STRING})+)`;
const FIRST_FRAGMENT = new RegExp(`(${QUOTED_FRAGMENT})([\\s\\S]*)`);
const FILTER_PARTS = new RegExp(`(?:\\s+|${QUOTED_FRAGMENT}|,)+`, 'g');
const FILTER_ARGUMENTS = new RegExp(`(?::|,)\\s*((?:\\w+\\s*:\\s*)?${QUOTED_FRAGMENT})`, 'g');

/** Most outputs: a variable or literal and filters with plain arguments, which liquidjs reads as Ruby does. */
const PLAIN_ARGUMENT = `(?:"[^"\\\\]*"|'[^'\\\\]*'|[\\w.\\[\\]-]+)`;
const PLAIN_OUTPUT = new RegExp(`^\\s*${PLAIN_ARGUMENT}(?:\\s*\\|\\s*\\w+(?:\\s*:\\s*${PLAIN_ARGUMENT}(?:\\s*,\\s*${PLAIN_ARGUMENT})*)?)*\\s*$`);

/** Whether liquidjs reads an output's markup whole, and its quotes are closed (so it finds the output's end). */
function liquidjsReads(markup: string): boolean {
  if (PLAIN_OUTPUT.test(markup)) return true;
  try {
    // The template's tokenizer finds the output's end (and refuses a quote left open)…
    new Tokenizer(`{{${markup}}}`).readTopLevelTokens();
    // …and the output's tokenizer reads its value and filters.
    const tokenizer = new Tokenizer(markup);
    tokenizer.readFilteredValue();
    return markup.slice(tokenizer.p).trim() === '';
  } catch {
    return false;
  }
}

/** Ruby Liquid's Variable#lax_parse, written back as markup liquidjs reads. */
export function rubyLaxOutput(markup: string): string {
  const first = FIRST_FRAGMENT.exec(markup);
  if (!first) return '';
  const [, value, rest] = first;
  const filters: string[] = [];
  const piped = /\|\s*([\s\S]*)/.exec(rest);
  for (const part of piped?.[1].match(FILTER_PARTS) ?? []) {
    const name = /\w+/.exec(part);
    if (!name) continue;
    const args = [...part.slice(name.index + name[0].length).matchAll(FILTER_ARGUMENTS)].map((match) => match[1]);
    filters.push(args.length > 0 ? `${name[0]}: ${args.join(', ')}` : name[0]);
  }
  return [value, ...filters].join(' | ');
}

const ASSIGN = /^(\{%-?\s*assign\s+[\w.-]+\s*=)([\s\S]*?)(-?%\})$/;

/** `{% assign x = value | filters %}`: its value read as an output's is, laxly. */
function laxAssign(tag: string): string {
  const assign = ASSIGN.exec(tag);
  if (!assign || assign[2].trim() === '' || liquidjsReads(doubleBackslashes(assign[2]))) return tag;
  return `${assign[1]} ${rubyLaxOutput(assign[2])} ${assign[3]}`;
}

const doubleBackslashes = (markup: string) => (markup.includes('\\') ? markup.replace(/\\/g, '\\\\') : markup);

export function laxLiquid(source: string): string {
  if (!source.includes('{%') && !source.includes('{{')) return source;
  return source.replace(LAX_MARKUP, (whole: string, open?: string, name?: string, rest?: string, close?: string, outputOpen?: string, output?: string, outputClose?: string) => {
    if (/^\{%-?\s*raw\b/.test(whole)) return whole;
    if (name !== undefined && (rest ?? '').trim() !== '') return `{%${open ?? ''} ${name} ${close ?? ''}%}`;
    if (output === undefined) return doubleBackslashes(laxAssign(whole));
    // An empty output prints nothing in Ruby's Liquid; liquidjs refuses it.
    if (output.trim() === '') return `{{${outputOpen ?? ''} nil ${outputClose ?? ''}}}`;
    const markup = doubleBackslashes(output);
    return `{{${outputOpen ?? ''}${liquidjsReads(markup) ? markup : ` ${doubleBackslashes(rubyLaxOutput(output))} `}${outputClose ?? ''}}}`;
  });
}
