/**
 * Rules of the SPACE programme (Supportive Parenting for Anxious Childhood
 * Emotions): parent-only sessions, usually 12, weekly; outcome measured by the
 * parent-report FASA (Family Accommodation Scale - Anxiety) before and after.
 */
import { addDays } from '../../toolkit/dates';

/** The FASA accommodation score: items 1-9, each 0-4, summed. Lower is better (less accommodation of anxiety). */
export const FASA_MIN = 0;
export const FASA_MAX = 36;

export const DEFAULT_PLANNED_SESSIONS = 12;

export function isValidFasaScore(score: number): boolean {
  return Number.isInteger(score) && score >= FASA_MIN && score <= FASA_MAX;
}

/** A family completed the programme when it attended at least 75% of its cohort's planned sessions. */
export function completedSpace(sessionsAttended: number, plannedSessions: number): boolean {
  // 4a >= 3p is "a / p >= 75%" without rounding.
  return plannedSessions > 0 && 4 * sessionsAttended >= 3 * plannedSessions;
}

/** Date of a cohort's session (1 is the first), sessions being weekly from the start date. */
export function sessionDate(startDate: string, sessionNumber: number): string {
  return addDays(startDate, 7 * (Math.max(sessionNumber, 1) - 1));
}

/** Date of a cohort's last planned session. */
export function cohortEndDate(startDate: string, plannedSessions: number): string {
  return sessionDate(startDate, plannedSessions);
}

/** After minus before; negative means the family accommodates the child's anxiety less. Null without both. */
export function fasaChange(before: number | null | undefined, after: number | null | undefined): number | null {
  if (before === null || before === undefined || after === null || after === undefined) return null;
  return after - before;
}

export function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
