/**
 * Pure field checks shared by the health importers. Each returns the cleaned value
 * or a rule in words, so a report can say line, column, value and rule.
 */
import { isIsoDate } from '../../toolkit/date-scalar';
import { CSV_RECORD_MAX, shownValue, textRule } from '../../toolkit/import-text';
import { isValidNhsNumber, normaliseNhsNumber } from '../../toolkit/link-key';

/** One thing wrong with an input file. Line 1 is the header. */
export interface Problem {
  line: number;
  column: string;
  value: string;
  rule: string;
}

export type Check<T> = { ok: true; value: T } | { ok: false; rule: string };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = <T>(rule: string): Check<T> => ({ ok: false, rule });
/** A control character (NUL and the like) is refused in every field, before its own rule. */
const controlRule = (raw: string) => textRule(raw, { max: CSV_RECORD_MAX });

/**
 * YYYY-MM-DD, or DD/MM/YYYY as UK systems often export, or an ISO date-time whose
 * date part is taken (midnight exports); a real calendar date, not after today.
 */
export function checkDate(raw: string, today: string, required: boolean): Check<string | null> {
  const broken = controlRule(raw);
  if (broken) return fail(broken);
  let v = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v)) v = v.slice(0, 10);
  if (!v) return required ? fail('required: a date written YYYY-MM-DD') : ok(null);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  const iso = uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : v;
  if (!isIsoDate(iso)) return fail('must be a calendar date written YYYY-MM-DD');
  if (iso > today) return fail(`must not be in the future (today is ${today})`);
  return ok(iso);
}

export function checkNhsNumber(raw: string): Check<string> {
  const broken = controlRule(raw);
  if (broken) return fail(broken);
  const v = raw.trim();
  if (!v) return fail('required: the child\'s NHS number');
  const digits = normaliseNhsNumber(v);
  if (!/^\d{10}$/.test(digits)) return fail('an NHS number has 10 digits');
  if (!isValidNhsNumber(digits)) return fail('not a valid NHS number: the modulus 11 check digit fails');
  return ok(digits);
}

/** An identifier a provider or the council gave: stored and shown, so within its column and never formula-like. */
export function checkId(raw: string, what: string, maxLength = 64): Check<string> {
  const v = raw.trim();
  if (!v) return fail(`required: the ${what}`);
  const broken = textRule(v, { max: maxLength, freeText: true });
  return broken ? fail(broken) : ok(v);
}

/** Optional free text (a reason): within its column, no control characters, never formula-like. */
export function checkText(raw: string, maxLength: number): Check<string | null> {
  const v = raw.trim();
  if (!v) return ok(null);
  const broken = textRule(v, { max: maxLength, freeText: true });
  return broken ? fail(broken) : ok(v);
}

/** A whole number from min to max (`what` says what it counts); blank is null unless required. */
export function checkWhole(raw: string, min: number, max: number, required: boolean, what: string): Check<number | null> {
  const broken = controlRule(raw);
  if (broken) return fail(broken);
  const v = raw.trim();
  const rule = `a whole number from ${min} to ${max} (${what})`;
  if (!v) return required ? fail(`required: ${rule}`) : ok(null);
  if (!/^\d{1,3}$/.test(v) || Number(v) < min || Number(v) > max) return fail(`must be ${rule}`);
  return ok(Number(v));
}

/** A code from a fixed list, read case-insensitively with spaces or hyphens as underscores. */
export function checkCode<T extends string>(raw: string, allowed: readonly T[]): Check<T> {
  const broken = controlRule(raw);
  if (broken) return fail(broken);
  const v = raw.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (!v) return fail(`required: one of ${allowed.join(', ')}`);
  return (allowed as readonly string[]).includes(v) ? ok(v as T) : fail(`must be one of ${allowed.join(', ')}`);
}

/** Checks a header: every required column present, none twice. Extra columns are ignored. */
export function checkHeader(columns: readonly string[], required: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) problems.push({ line: 1, column: c, value: c, rule: 'column appears twice in the header' });
    seen.add(c);
  }
  for (const c of required) if (!seen.has(c)) problems.push({ line: 1, column: c, value: '', rule: `required column missing; the header must be ${required.join(',')}` });
  return problems;
}

/**
 * Columns whose values are personal data: the report names them, never shows them.
 * A family's FASA scores and attendance are health information about a child.
 */
const PERSONAL_COLUMNS = new Set(['nhs_number', 'discharge_reason', 'fasa_before', 'fasa_after', 'attendance']);

/** The report printed for problems, one a line, in file order; personal values withheld. */
export function formatProblems(problems: readonly Problem[], total = problems.length): string {
  const lines = [...problems]
    .sort((a, b) => a.line - b.line)
    .map((p) => `line ${p.line}, column ${p.column}, value ${shownValue(p.value, PERSONAL_COLUMNS.has(p.column))}: ${p.rule}`);
  if (total > problems.length) lines.push(`(${(total - problems.length).toLocaleString('en-GB')} more problem(s) not listed)`);
  return lines.join('\n');
}
