/**
 * Calendar dates written YYYY-MM-DD, checked without GraphQL: the Date scalar
 * (scalars.ts), the toolkit's date arithmetic and the SEN2 reader's thread, which
 * loads nothing it does not use, share these.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the digits of `text` from `start` to `end`, or -1 if any is not a digit. */
export function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * True for a real calendar date written YYYY-MM-DD (so 2023-02-29 is refused), of
 * year 0100 or later. Read character by character: every date a page returns is
 * checked on its way out, and a pattern and a Date object each cost more than the check.
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  if (year < 100 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}
