/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings, in whole days, with no time zone:
 * statutory timescales count calendar days from a date, never hours.
 */

import { digits } from '../../platform/calendar';

const DAY_MS = 86_400_000;

/**
 * Day numbers are days since 1970-01-01, worked out by integer arithmetic on the
 * proleptic Gregorian calendar (H. Hinnant's days_from_civil and civil_from_days)
 * for plain 'YYYY-MM-DD' dates of years 100-9999, which is every date a record
 * holds; a 50-child page works out about a thousand due dates and intervals, and
 * parsing through split and Date cost several times as much. Anything else goes
 * through Date.UTC as before (it reads years 0-99 as 1900-1999, and rolls an
 * out-of-range day or month over), and the arithmetic rolls over the same way.
 */
export function toDayNumber(iso: string): number {
  if (iso.length === 10 && iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45) {
    const y = digits(iso, 0, 4);
    const m = digits(iso, 5, 7);
    const d = digits(iso, 8, 10);
    // Linear in the day, so a day past the month's end rolls over as Date.UTC's does; months 1-12 only.
    if (y >= 100 && m >= 1 && m <= 12 && d >= 0) return daysFromCivil(y, m, d);
  }
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

export function fromDayNumber(day: number): string {
  // Day 0 of year 100 (-682,907) to the last of 9999 (2,932,896); outside, or not a number, as Date has it (which throws on NaN).
  if (day >= -682907 && day < 2932897) {
    const z = Math.floor(day) + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return `${y < 1000 ? String(y).padStart(4, '0') : y}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}`;
  }
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromDayNumber(toDayNumber(iso) + days);
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * Adds calendar months; a day that does not exist in the target month falls back to
 * the month's last day (29 Feb + 12 months = 28 Feb), as people read "12 months after".
 */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

/** Whole years of age on a date (a birthday on 29 Feb is reached on 1 Mar in other years). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

/** Today as a calendar date (UTC), for "as of" arguments left out and dates that may not be in the future. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
