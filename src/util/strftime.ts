/**
 * Ruby's Time#strftime, written from how Ruby 3.1 behaves (test/dates.test.ts runs Ruby and
 * compares every conversion with every flag and width): Jekyll sites print dates through it, and
 * recap's theme uses the same directives, with month and day names in the site's language.
 *
 * A directive is `%`, flags (`-` no padding, `_` spaces, `0` zeros, `^` upper case, `#` change
 * case), a width, a modifier (`E`, `O`, or colons before `z`), and a conversion letter. Anything
 * Ruby does not know is printed as written; a format that ends inside a directive is an error.
 */

/** A moment as strftime shows it. */
export interface RubyTime {
  /** The instant. */
  date: Date;
  /** Minutes east of UTC of the clock it is shown on (a fraction for an offset with seconds, as old local mean times have). */
  offsetMinutes: number;
  /**
   * What %Z prints: the zone's abbreviation ("UTC", "CEST") for a time on a zone's clocks, "" for
   * a time at a bare offset (text that gave "+05:30"). Undefined: "UTC" at offset 0, else "".
   */
  zone?: string;
  /** A UTC time as Ruby's Time#utc? means it (text that said "Z"): `%-z` prints -0000, RFC 3339's "offset unknown". */
  utc?: boolean;
}

/** The words strftime prints, in one language. */
export interface DateNames {
  /** %B: a month's name as it reads inside a date ("травня" in "14 травня 2024"). */
  months: readonly string[];
  /** %b and %h. */
  monthsShort: readonly string[];
  /** %A, Sunday first. */
  days: readonly string[];
  /** %a. */
  daysShort: readonly string[];
  /** %p: before and after noon. */
  dayPeriods: readonly [string, string];
  /**
   * %OB and %Ob: a month named on its own ("травень 2024"), as glibc's strftime has them. Ruby
   * has no such directives (it prints them as written); undefined here does the same.
   */
  monthsAlone?: readonly string[];
  monthsAloneShort?: readonly string[];
  /** The language whose rules change letters' case (%^B); undefined: Ruby's, which changes ASCII letters only. */
  locale?: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Ruby's names: English, as Jekyll prints them. */
export const RUBY_NAMES: DateNames = {
  months: MONTHS,
  monthsShort: MONTHS.map((m) => m.slice(0, 3)),
  days: DAYS,
  daysShort: DAYS.map((d) => d.slice(0, 3)),
  dayPeriods: ['AM', 'PM'],
};

/** The widest padding a directive may ask for: a typo such as %1000000d should not build a megabyte of zeros. */
export const MAX_WIDTH = 1024;

/** How the message of a StrftimeFormatError starts (Ruby's words). */
export const INVALID_FORMAT = 'invalid format: ';

/** A format Ruby refuses: one that ends inside a directive ("100%", "%-"); or one recap refuses, a width over MAX_WIDTH. */
export class StrftimeFormatError extends Error {
  /** The format as written, for finding it in a template. */
  readonly format: string;
  constructor(format: string, why: string) {
    super(`${INVALID_FORMAT}${format} (${why})`);
    this.name = 'StrftimeFormatError';
    this.format = format;
  }
}

/** One directive as read: its flags, width, modifier and letter. */
interface Directive {
  upper: boolean;
  changeCase: boolean;
  /** The `-` flag: no padding. */
  left: boolean;
  /** The `_` or `0` flag, the last one given ("" for neither). */
  padding: '' | ' ' | '0';
  /** 0 when none was given. */
  width: number;
  colons: number;
  /** Set by E or O (for %OB, %Ob). */
  alternative: boolean;
  letter: string;
}

/** Which letters the E and O modifiers may come before (others make the directive unknown, as in Ruby). */
const AFTER_E = 'cCxXyY';
const AFTER_O = 'deHkIlmMSuUVwWy';

/**
 * Reads the directive at `format[start] === '%'`: the directive and where it ends, or only where
 * the text Ruby prints as written ends (an unknown directive).
 */
function readDirective(format: string, start: number, names: DateNames): { directive?: Directive; end: number } {
  const d: Directive = { upper: false, changeCase: false, left: false, padding: '', width: 0, colons: 0, alternative: false, letter: '' };
  let i = start + 1;
  const unknown = () => ({ end: i + 1 });
  for (;;) {
    if (i >= format.length) throw new StrftimeFormatError(format, 'it ends inside a directive: write %% for a percent sign');
    const c = format[i];
    // A flag after a width is no directive.
    if ('-^#_'.includes(c) && d.width > 0) return unknown();
    if (c === '-') {
      d.left = true;
      d.padding = '';
      d.width = 0;
    } else if (c === '^') d.upper = true;
    else if (c === '#') d.changeCase = true;
    else if (c === '_') d.padding = ' ';
    else if (c >= '0' && c <= '9') {
      if (c === '0') d.padding = '0';
      let j = i;
      while (j < format.length && format[j] >= '0' && format[j] <= '9') j++;
      const width = Number(format.slice(i, j));
      // Ruby prints a width beyond a C int as written.
      if (width > 2 ** 31 - 1) return unknown();
      if (width > MAX_WIDTH) throw new StrftimeFormatError(format, `a width goes up to ${MAX_WIDTH}`);
      d.width = width;
      i = j - 1;
    } else if (c === ':') {
      let colons = 1;
      while (colons <= 3 && format[i + colons] === ':') colons++;
      if (colons > 3 || format[i + colons] !== 'z') return unknown();
      d.colons = colons;
      i += colons - 1;
    } else if (c === 'E' || c === 'O') {
      const next = format[i + 1] ?? '';
      const aloneMonth = c === 'O' && names.monthsAlone !== undefined && (next === 'B' || next === 'b');
      if (next === '' || !((c === 'E' ? AFTER_E : AFTER_O).includes(next) || aloneMonth)) return unknown();
      d.alternative = true;
    } else {
      d.letter = c;
      return { directive: d, end: i + 1 };
    }
    i++;
  }
}

type Fields = ReturnType<typeof fieldsOf>;

/** The fields strftime reads, on the clock the time is shown on. */
function fieldsOf(time: RubyTime) {
  const shown = new Date(time.date.getTime() + Math.round(time.offsetMinutes * 60) * 1000);
  const year = shown.getUTCFullYear();
  const startOfYear = new Date(0);
  startOfYear.setUTCFullYear(year, 0, 1);
  return {
    year,
    month: shown.getUTCMonth(),
    day: shown.getUTCDate(),
    hour: shown.getUTCHours(),
    minute: shown.getUTCMinutes(),
    second: shown.getUTCSeconds(),
    millis: shown.getUTCMilliseconds(),
    weekDay: shown.getUTCDay(),
    /** 0-based. */
    yearDay: Math.floor((shown.getTime() - startOfYear.getTime()) / 86_400_000),
    shown,
  };
}

/** ISO 8601's week-numbering year and week of a date (its fields read in UTC). */
function isoWeek(shown: Date): { year: number; week: number } {
  const thursday = new Date(shown.getTime());
  thursday.setUTCDate(shown.getUTCDate() + 3 - ((shown.getUTCDay() + 6) % 7));
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(0);
  firstThursday.setUTCFullYear(year, 0, 4);
  const week = 1 + Math.round(((thursday.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return { year, week };
}

/** `n` right-aligned in `width`: zeros after the sign, or spaces before it (printf's %0*d and %*d). */
function padNumber(n: number, width: number, pad: '0' | ' '): string {
  const digits = String(Math.abs(n));
  const sign = n < 0 ? '-' : '';
  return pad === '0' ? sign + digits.padStart(width - sign.length, '0') : (sign + digits).padStart(width, ' ');
}

/** A number directive: its default width and padding, unless flags say otherwise (`-`: none). */
function number(d: Directive, n: number, defaultWidth: number, defaultPad: '0' | ' '): string {
  if (d.left) return String(n);
  const pad = d.padding === '0' || (d.padding === '' && defaultPad === '0') ? '0' : ' ';
  return padNumber(n, d.width > 0 ? d.width : defaultWidth, pad);
}

type Case = 'upper' | 'lower' | 'none';

/** A word directive: the case asked for, then padding to the width (spaces unless `0`; none with `-`). */
function word(d: Directive, text: string, letterCase: Case, names: DateNames): string {
  // Ruby prints nothing at all, not even padding, for an empty word (%Z of a bare offset).
  if (text === '') return '';
  const cased = letterCase === 'upper' ? upperCase(text, names) : letterCase === 'lower' ? lowerCase(text, names) : text;
  return !d.left && d.width > cased.length ? cased.padStart(d.width, d.padding || ' ') : cased;
}

const upperCase = (text: string, names: DateNames) => (names.locale ? text.toLocaleUpperCase(names.locale) : text.replace(/[a-z]+/g, (s) => s.toUpperCase()));
const lowerCase = (text: string, names: DateNames) => (names.locale ? text.toLocaleLowerCase(names.locale) : text.replace(/[A-Z]+/g, (s) => s.toLowerCase()));

/** The case a word directive prints in: `^` upper; `#` upper for names, lower for %p and %Z. */
function caseOf(d: Directive, changeTo: Case): Case {
  if (d.changeCase && changeTo !== 'none') return changeTo;
  return d.upper ? 'upper' : 'none';
}

/** %z and its colon forms (+hhmm, +hh:mm, +hh:mm:ss, and %:::z's shortest of them), as Ruby pads them. */
function zoneOffset(d: Directive, time: RubyTime): string {
  const seconds = Math.round(time.offsetMinutes * 60);
  const negative = seconds < 0 || (seconds === 0 && d.left && time.utc === true);
  const abs = Math.abs(seconds);
  const [hours, minutes, secs] = [Math.floor(abs / 3600), Math.floor((abs % 3600) / 60), abs % 60];
  // How many characters beyond the hours each form has, and so how many of the width the hours get.
  const parts = d.colons === 3 ? (abs % 3600 === 0 ? 1 : abs % 60 === 0 ? 4 : 7) : [3, 4, 7][d.colons];
  const hourDigits = d.width <= parts + 2 ? 2 : d.width - parts;
  const sign = negative ? '-' : '+';
  // `_` puts spaces before the sign; otherwise the hours are zero-padded after it.
  let text = d.padding === ' ' ? (sign + String(hours)).padStart(hourDigits + 1, ' ') : sign + String(hours).padStart(hourDigits, '0');
  const shownParts = d.colons === 3 ? (abs % 3600 === 0 ? 0 : abs % 60 === 0 ? 1 : 2) : d.colons === 2 ? 2 : 1;
  const separator = d.colons > 0 ? ':' : '';
  if (shownParts >= 1) text += separator + String(minutes).padStart(2, '0');
  if (shownParts >= 2) text += separator + String(secs).padStart(2, '0');
  return text;
}

/** Fractional seconds to `digits` places (%L: 3, %N: 9, or the width), cut rather than rounded. */
function fraction(millis: number, digits: number): string {
  return String(millis).padStart(3, '0').padEnd(digits, '0').slice(0, digits);
}

/** A directive made of others (%c, %D…): their text, upper-cased with `^`, padded to the width even with `-`. */
function composite(d: Directive, time: RubyTime, format: string, names: DateNames): string {
  const text = strftime(time, format, names);
  const cased = d.upper ? upperCase(text, names) : text;
  return d.width > cased.length ? cased.padStart(d.width, d.padding || ' ') : cased;
}

const COMPOSITES: Record<string, string> = {
  c: '%a %b %e %H:%M:%S %Y',
  D: '%m/%d/%y',
  x: '%m/%d/%y',
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  X: '%H:%M:%S',
  R: '%H:%M',
  r: '%I:%M:%S %p',
  v: '%e-%^b-%4Y',
};

/** The text of one directive, or undefined for a letter Ruby does not know. */
function convert(d: Directive, time: RubyTime, f: Fields, names: DateNames): string | undefined {
  const hour12 = f.hour % 12 || 12;
  if (d.alternative && (d.letter === 'B' || d.letter === 'b')) {
    const alone = d.letter === 'B' ? names.monthsAlone : names.monthsAloneShort ?? names.monthsAlone;
    return alone ? word(d, alone[f.month], caseOf(d, 'upper'), names) : undefined;
  }
  const composed = COMPOSITES[d.letter];
  if (composed) return composite(d, time, composed, names);
  switch (d.letter) {
    case 'Y': return number(d, f.year, f.year < 0 ? 5 : 4, '0');
    case 'C': return number(d, Math.floor(f.year / 100), 2, '0');
    case 'y': return number(d, ((f.year % 100) + 100) % 100, 2, '0');
    case 'm': return number(d, f.month + 1, 2, '0');
    case 'B': return word(d, names.months[f.month], caseOf(d, 'upper'), names);
    case 'b': case 'h': return word(d, names.monthsShort[f.month], caseOf(d, 'upper'), names);
    case 'd': return number(d, f.day, 2, '0');
    case 'e': return number(d, f.day, 2, ' ');
    case 'j': return number(d, f.yearDay + 1, 3, '0');
    case 'H': return number(d, f.hour, 2, '0');
    case 'k': return number(d, f.hour, 2, ' ');
    case 'I': return number(d, hour12, 2, '0');
    case 'l': return number(d, hour12, 2, ' ');
    case 'M': return number(d, f.minute, 2, '0');
    case 'S': return number(d, f.second, 2, '0');
    case 'L': return fraction(f.millis, d.width || 3);
    case 'N': return fraction(f.millis, d.width || 9);
    case 'p': return word(d, names.dayPeriods[f.hour < 12 ? 0 : 1], caseOf(d, 'lower'), names);
    // %P is %p in lower case, unless a flag asks for a case (then as %p is written).
    case 'P': return word(d, names.dayPeriods[f.hour < 12 ? 0 : 1], d.upper ? 'upper' : d.changeCase ? 'none' : 'lower', names);
    case 'A': return word(d, names.days[f.weekDay], caseOf(d, 'upper'), names);
    case 'a': return word(d, names.daysShort[f.weekDay], caseOf(d, 'upper'), names);
    case 'u': return number(d, f.weekDay || 7, 1, '0');
    case 'w': return number(d, f.weekDay, 1, '0');
    case 'U': return number(d, Math.floor((f.yearDay + 7 - f.weekDay) / 7), 2, '0');
    case 'W': return number(d, Math.floor((f.yearDay + 7 - ((f.weekDay + 6) % 7)) / 7), 2, '0');
    case 'V': return number(d, isoWeek(f.shown).week, 2, '0');
    case 'G': { const { year } = isoWeek(f.shown); return number(d, year, year < 0 ? 5 : 4, '0'); }
    case 'g': return number(d, ((isoWeek(f.shown).year % 100) + 100) % 100, 2, '0');
    case 's': return number(d, Math.floor(time.date.getTime() / 1000), 1, '0');
    case 'z': return zoneOffset(d, time);
    case 'Z': return word(d, time.zone ?? (time.offsetMinutes === 0 ? 'UTC' : ''), caseOf(d, 'lower'), names);
    case 'n': return word(d, '\n', 'none', names);
    case 't': return word(d, '\t', 'none', names);
    case '%': return word(d, '%', 'none', names);
    default: return undefined;
  }
}

/**
 * Ruby's Time#strftime, with `names` for the words (Ruby's English by default). Throws
 * StrftimeFormatError as Ruby raises. `spend` is told each piece's length before it is added, and
 * may throw: a format of many wide directives (%1024d again and again) makes text fast.
 */
export function strftime(time: RubyTime, format: string, names: DateNames = RUBY_NAMES, spend?: (chars: number) => void): string {
  let out = '';
  let i = 0;
  let fields: Fields | undefined;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent === -1) return out + format.slice(i);
    out += format.slice(i, percent);
    const { directive, end } = readDirective(format, percent, names);
    const text = (directive ? convert(directive, time, (fields ??= fieldsOf(time)), names) : undefined) ?? format.slice(percent, end);
    spend?.(text.length);
    out += text;
    i = end;
  }
  return out;
}
