/**
 * Waiting-time rules for children's health referrals, in one place with no I/O.
 * The measures' SQL (measures/catalogue.ts) says the same thing in SQL; the tests
 * hold both to the same known answers.
 *
 * Conventions (as NHS referral-to-treatment reporting counts them):
 * - Days are whole calendar days; weeks waited are days / 7 (not rounded down).
 * - "Over N weeks" means more than 7 x N days: a child seen on day 126 waited
 *   exactly 18 weeks, which is not over 18 weeks.
 * - Weeks-waited bands are closed at the top: 0-4 is 0 to 28 days, 4-13 is 29 to
 *   91 days, and so on; 52+ is more than 364 days.
 */
import { addDays, addMonths, daysBetween } from '../../toolkit/dates';

export interface ReferralDates {
  receivedDate: string;
  firstContactDate?: string | null;
  dischargeDate?: string | null;
}

/** The date a wait ends: the first care contact or discharge, whichever came first; null while neither has happened. */
export function waitEndDate(r: ReferralDates): string | null {
  const ends = [r.firstContactDate, r.dischargeDate].filter((d): d is string => !!d);
  if (ends.length === 0) return null;
  return ends.reduce((a, b) => (a <= b ? a : b));
}

/** Waiting at `at`: received on or before it, with no first contact and no discharge on or before it. */
export function isWaiting(r: ReferralDates, at: string): boolean {
  if (r.receivedDate > at) return false;
  const end = waitEndDate(r);
  return end === null || end > at;
}

/** Whole days waited at `at`, or null when the referral is not waiting then. */
export function daysWaited(r: ReferralDates, at: string): number | null {
  return isWaiting(r, at) ? daysBetween(r.receivedDate, at) : null;
}

/** Weeks waited at `at` (days / 7), or null when not waiting. */
export function weeksWaited(r: ReferralDates, at: string): number | null {
  const days = daysWaited(r, at);
  return days === null ? null : days / 7;
}

/** Waiting at `at` and for more than `weeks` weeks (more than 7 x weeks days). */
export function isWaitingOver(r: ReferralDates, at: string, weeks: number): boolean {
  const days = daysWaited(r, at);
  return days !== null && days > 7 * weeks;
}

export interface WaitingBand {
  label: string;
  minWeeks: number;
  /** Null for the open top band. */
  maxWeeks: number | null;
}

/** The bands a waiting list is reported in, closed at the top. */
export const WAITING_BANDS: readonly WaitingBand[] = [
  { label: '0-4', minWeeks: 0, maxWeeks: 4 },
  { label: '4-13', minWeeks: 4, maxWeeks: 13 },
  { label: '13-18', minWeeks: 13, maxWeeks: 18 },
  { label: '18-52', minWeeks: 18, maxWeeks: 52 },
  { label: '52+', minWeeks: 52, maxWeeks: null },
];

/** Index in WAITING_BANDS of a wait of `days` days. */
export function waitingBandIndex(days: number): number {
  if (days < 0) throw new RangeError('A wait cannot be negative.');
  const i = WAITING_BANDS.findIndex((b) => b.maxWeeks !== null && days <= 7 * b.maxWeeks);
  return i === -1 ? WAITING_BANDS.length - 1 : i;
}

/** Counts of referrals waiting at `at`, per band of WAITING_BANDS. */
export function waitingListBands(referrals: readonly ReferralDates[], at: string): number[] {
  const counts = WAITING_BANDS.map(() => 0);
  for (const r of referrals) {
    const days = daysWaited(r, at);
    if (days !== null) counts[waitingBandIndex(days)]++;
  }
  return counts;
}

/** The median (the mean of the middle two for an even count), null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Weeks from referral to first care contact, null before the first contact. */
export function weeksToFirstContact(r: ReferralDates): number | null {
  return r.firstContactDate ? daysBetween(r.receivedDate, r.firstContactDate) / 7 : null;
}

/** Median weeks to first contact of the referrals first seen between `from` and `to` (inclusive). */
export function medianWeeksToFirstContact(referrals: readonly ReferralDates[], from: string, to: string): number | null {
  const weeks = referrals.filter((r) => r.firstContactDate && r.firstContactDate >= from && r.firstContactDate <= to).map((r) => weeksToFirstContact(r)!);
  return median(weeks);
}

/** First day of the rolling 12 months that end on `periodEnd` (e.g. 2025-04-01 for 2026-03-31). */
export function rollingTwelveMonthsStart(periodEnd: string): string {
  return addMonths(addDays(periodEnd, 1), -12);
}

export interface ContactRecord {
  linkKey: string;
  pathway: string;
  firstContactDate?: string | null;
  secondContactDate?: string | null;
}

/**
 * Children and young people's mental health access (after MHS95): distinct children
 * with at least one CAMHS care contact (first or second) in the 12 months to `periodEnd`.
 */
export function cypMentalHealthAccess(referrals: readonly ContactRecord[], periodEnd: string): number {
  const from = rollingTwelveMonthsStart(periodEnd);
  const children = new Set<string>();
  for (const r of referrals) {
    if (r.pathway !== 'CAMHS') continue;
    if ([r.firstContactDate, r.secondContactDate].some((d) => d && d >= from && d <= periodEnd)) children.add(r.linkKey);
  }
  return children.size;
}

/** Health advice for an EHC needs assessment is due 6 weeks (42 days) after it was asked for (SEND Regulations 2014, reg 8). */
export const HEALTH_ADVICE_DAYS = 42;

export function healthAdviceDueDate(askedDate: string): string {
  return addDays(askedDate, HEALTH_ADVICE_DAYS);
}

/** Returned on or before the day 6 weeks after it was asked for; null while not returned. */
export function returnedWithinSixWeeks(askedDate: string, returnedDate: string | null | undefined): boolean | null {
  if (!returnedDate) return null;
  return daysBetween(askedDate, returnedDate) <= HEALTH_ADVICE_DAYS;
}

export type ReferralStatus = 'WAITING' | 'SEEN' | 'DISCHARGED';

/** Where a referral received on or before `at` stands then: discharge wins over a contact. */
export function referralStatusAt(r: ReferralDates, at: string): ReferralStatus | null {
  if (r.receivedDate > at) return null;
  if (r.dischargeDate && r.dischargeDate <= at) return 'DISCHARGED';
  if (r.firstContactDate && r.firstContactDate <= at) return 'SEEN';
  return 'WAITING';
}
