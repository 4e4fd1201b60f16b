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

/** A date that must not be in the future, nor before (or, for a step that must come after, on) the step it follows. */
export function dateProblems(field: string, value: string, today: string, follows?: EarlierStep | null): Problem[] {
  const problems: Problem[] = [];
  if (value > today) problems.push({ field, message: `${field} (${value}) is in the future.` });
  if (follows?.date && follows.after && value <= follows.date) problems.push({ field, message: `${field} (${value}) is not after ${follows.name} (${follows.date}).` });
  else if (follows?.date && value < follows.date) problems.push({ field, message: `${field} (${value}) is before ${follows.name} (${follows.date}).` });
  return problems;
}
