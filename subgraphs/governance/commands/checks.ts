import type { Problem } from '../../../platform/problems';

/**
 * Pure checks of a mutation's input, shared by the governance commands. Each
 * returns the problems it finds (none when the value is good). A problem's
 * message starts with its field ("input.title: must not be blank."), so an error
 * names the field whether a client reads the message or `extensions.field`.
 */

export function problem(field: string, message: string): Problem {
  return { field, message: `${field}: ${message}` };
}

/** The length of a `varchar` column: what `@Property({ type: 'string' })` makes. */
export const SHORT_TEXT = 255;

/** PostgreSQL refuses NUL in text and JSON, so it is refused here first, as bad input. */
function nulProblems(field: string, value: string): Problem[] {
  return value.includes('\u0000') ? [problem(field, 'must not contain a NUL character.')] : [];
}

/** Text a record needs: not blank, no NUL, and within `max` characters once trimmed. */
export function requiredText(field: string, value: string | null | undefined, max?: number): Problem[] {
  const v = (value ?? '').trim();
  if (!v) return [problem(field, 'must not be blank.')];
  return optionalText(field, v, max);
}

/** Text a record may go without: when given, no NUL and within `max` characters once trimmed. */
export function optionalText(field: string, value: string | null | undefined, max?: number): Problem[] {
  if (value === null || value === undefined) return [];
  const nul = nulProblems(field, value);
  if (nul.length) return nul;
  if (max !== undefined && [...value.trim()].length > max) return [problem(field, `must be at most ${max} characters.`)];
  return [];
}

/** A list of texts (paragraphs, decisions): each element checked as `check` says, by its position. */
export function eachText(field: string, values: readonly string[] | null | undefined, check: (field: string, value: string) => Problem[]): Problem[] {
  return (values ?? []).flatMap((v, i) => check(`${field}[${i}]`, v));
}

/** A number that, when given, is finite (GraphQL's Float admits no NaN, but a direct caller of the command might). */
export function finiteOrAbsent(field: string, value: number | null | undefined): Problem[] {
  return value !== null && value !== undefined && !Number.isFinite(value) ? [problem(field, 'must be a finite number.')] : [];
}

/** A code or reference with a NUL in it names no row, and PostgreSQL would refuse to compare it: it is looked up only when it could match. */
export const canName = (code: string): boolean => !code.includes('\u0000');
