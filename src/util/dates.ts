const PATTERN = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses `2019-03-06`, `2019-03-06 18:30`, `2019-03-06T18:30:00+01:00`. The date and time are kept
 * as written (a zone offset is checked, then set aside): a meetup at 19:30 on the 6th stays on the
 * 6th in its URL and on its page, wherever the build runs. Dates are then handled as UTC.
 * Returns undefined for anything that is not a real calendar date and time.
 */
export function parseDate(text: string): Date | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (zone && zone !== 'Z' && !/^[+-](\d{1,2})(:?\d{2})?$/.test(zone)) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, Number(mi), Number(s)));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** A number as at least `width` digits: 7 → "07". */
export const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * strftime-style formatting in UTC, the subset blog templates use:
 * %Y %y %m %-m %d %-d %e %B %b %A %a %H %M %S %j %%.
 */
export function formatDate(date: Date, format: string): string {
  return format.replace(/%(-?)([a-zA-Z%])/g, (match, noPad: string, code: string) => {
    const p = (n: number, width = 2) => (noPad ? String(n) : pad(n, width));
    switch (code) {
      case 'Y': return String(date.getUTCFullYear());
      case 'y': return pad(date.getUTCFullYear() % 100);
      case 'm': return p(date.getUTCMonth() + 1);
      case 'd': return p(date.getUTCDate());
      case 'e': return String(date.getUTCDate());
      case 'B': return MONTHS[date.getUTCMonth()];
      case 'b': return MONTHS[date.getUTCMonth()].slice(0, 3);
      case 'A': return DAYS[date.getUTCDay()];
      case 'a': return DAYS[date.getUTCDay()].slice(0, 3);
      case 'H': return p(date.getUTCHours());
      case 'M': return p(date.getUTCMinutes());
      case 'S': return p(date.getUTCSeconds());
      case 'j': return p(Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
      case '%': return '%';
      default: return match;
    }
  });
}

/**
 * A date from a template value: a Date, a date as front matter writes it (read in the meetup's
 * own time, as parseDate does), any other date text JavaScript reads, or a timestamp.
 */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value !== 'string') return undefined;
  const parsed = parseDate(value) ?? new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
