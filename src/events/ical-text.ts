/**
 * iCalendar's (RFC 5545) way of writing things: TEXT values escaped, times in its three forms,
 * and content lines folded at 75 octets, joined by CRLF.
 */
import { pad } from '../util/dates.js';

/** The longest content line in octets, CRLF aside (RFC 5545 3.1). */
const LINE_OCTETS = 75;

/**
 * A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, a line break as \n. The
 * control characters TEXT may not hold (all but the tab) are left out: a calendar app would stop
 * reading the file at them.
 */
export function icalText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/** A recap date's clock time (held as UTC) as a DATE-TIME's digits: 20260609T183000. */
export function clockDigits(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/** An instant as a UTC DATE-TIME: 20260609T163000Z. */
export const utcDigits = (instant: number) => `${clockDigits(new Date(instant))}Z`;

/**
 * One content line folded (RFC 5545 3.1): at most 75 octets a line, each continuation starting
 * with a space. It is cut between characters, never inside a character's UTF-8 bytes, nor inside
 * an escape (\, or \n): RFC 5545 allows that cut, but a calendar app that unescapes before it
 * unfolds would show a stray backslash.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= LINE_OCTETS) return line;
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const unit of line.match(/\\.|[\s\S]/gu) ?? []) {
    const size = Buffer.byteLength(unit, 'utf8');
    // A continuation's leading space is one of its 75 octets.
    const room = lines.length === 0 ? LINE_OCTETS : LINE_OCTETS - 1;
    if (octets + size > room) {
      lines.push(current);
      current = '';
      octets = 0;
    }
    current += unit;
    octets += size;
  }
  lines.push(current);
  return lines.join('\r\n ');
}

/** Content lines as an iCalendar file: each folded, each ended by CRLF. */
export const icalFile = (lines: string[]) => lines.map((line) => `${foldLine(line)}\r\n`).join('');
