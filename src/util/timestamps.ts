/**
 * A moment in a recording, as organisers write it beside a talk (`start: 4:00`) and as video
 * players show it: minutes and seconds, hours too, plain seconds, or YouTube's `4m30s`.
 */

/** The forms a moment may be written in, for messages. */
export const MOMENT_FORMS = '4:00, 1:02:03, 90 (seconds) or 4m30s';

/** Seconds past this are no talk's start in any recording (a week): a typo, such as a date. */
const MAX_SECONDS = 7 * 24 * 3600;

const CLOCK = /^(?:(\d+):([0-5]\d)|(\d+):([0-5]\d):([0-5]\d))$/;
const UNITS = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;

/** Seconds from a moment's text or number, or undefined when it is none of the forms (MOMENT_FORMS). */
export function readMoment(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= MAX_SECONDS ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let seconds: number | undefined;
  const clock = CLOCK.exec(text);
  if (/^\d+$/.test(text)) seconds = Number(text);
  else if (clock) seconds = clock[1] !== undefined ? Number(clock[1]) * 60 + Number(clock[2]) : Number(clock[3]) * 3600 + Number(clock[4]) * 60 + Number(clock[5]);
  else {
    const units = text === '' ? null : UNITS.exec(text);
    if (units) seconds = Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0);
  }
  return seconds !== undefined && seconds <= MAX_SECONDS ? seconds : undefined;
}

/** A moment as players show it: 4:00, 1:02:03 (minutes and seconds always two digits after the first). */
export function momentText(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return hours > 0 ? `${hours}:${two(minutes)}:${two(rest)}` : `${minutes}:${two(rest)}`;
}
