import type { Problem } from '../../../platform/problems';
import type { EarlierStep } from '../rules/life-cycle';

/**
 * The problem shapes the casework commands share. Messages name the input field
 * and quote the dates given, never a person.
 */

/** "field: reason." */
export function problem(field: string, reason: string): Problem {
  return { field, message: `${field}: ${reason}.` };
}

/** A date that must not be in the future, nor before the step it follows. */
export function dateProblems(field: string, value: string, today: string, follows?: EarlierStep | null): Problem[] {
  const problems: Problem[] = [];
  if (value > today) problems.push({ field, message: `${field} (${value}) is in the future.` });
  if (follows?.date && value < follows.date) problems.push({ field, message: `${field} (${value}) is before ${follows.name} (${follows.date}).` });
  return problems;
}
