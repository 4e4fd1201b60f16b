/**
 * The SPACE file: the provider's register, one row per family in a cohort, with
 * the cohort's details repeated on each of its rows, the family's FASA scores and
 * its attendance. Pure validation here; the write is in space-write.ts.
 */
import { ProblemList } from '../../toolkit/import-text';
import { SpaceDelivery } from '../entities/enums';
import { FASA_MAX, FASA_MIN, sessionDate } from '../rules/space';
import { checkCode, checkDate, checkId, checkNhsNumber, checkText, checkWhole, type Check, type Problem } from './fields';

export const SPACE_COLUMNS = ['cohort_id', 'cohort_name', 'service_code', 'delivery', 'start_date', 'planned_sessions', 'nhs_number', 'fasa_before', 'fasa_after', 'attendance'] as const;
type Column = (typeof SPACE_COLUMNS)[number];

const DELIVERIES = Object.values(SpaceDelivery);
/** The cohort's CHECK constraint (space_cohort_planned_sessions_check). */
const MAX_PLANNED_SESSIONS = 52;

export interface SpaceCohortRecord {
  line: number;
  sourceId: string;
  name: string;
  serviceCode: string;
  delivery: SpaceDelivery;
  startDate: string;
  plannedSessions: number;
}

export interface SpaceEnrolmentRecord {
  line: number;
  cohortId: string;
  nhsNumber: string;
  fasaBefore: number | null;
  fasaAfter: number | null;
  /** Per session held so far, from session 1: attended or not. */
  attended: boolean[];
}

/**
 * Reads an attendance cell: one letter per session from the first, Y attended or
 * N missed (spaces ignored, case does not matter); blank before the first session.
 */
export function parseAttendance(raw: string): Check<boolean[]> {
  const v = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[YN]*$/.test(v)) return { ok: false, rule: 'must be one letter per session held, from the first: Y attended, N missed (e.g. YYNY)' };
  return { ok: true, value: [...v].map((c) => c === 'Y') };
}

/** The cohort columns every row of a cohort must repeat alike. */
const COHORT_COLUMNS: ReadonlyArray<[Column, keyof SpaceCohortRecord]> = [
  ['cohort_name', 'name'], ['service_code', 'serviceCode'], ['delivery', 'delivery'], ['start_date', 'startDate'], ['planned_sessions', 'plannedSessions'],
];

/**
 * Checks a SPACE file a row at a time. Knows the services held (code -> pathway):
 * a cohort must be run by a service on the SPACE pathway.
 */
export class SpaceValidator {
  readonly problems: Problem[] = new ProblemList<Problem>();
  readonly records: SpaceEnrolmentRecord[] = [];
  /** The file's cohorts by the provider's id, as first given. */
  readonly cohorts = new Map<string, SpaceCohortRecord>();
  /** A child once per cohort: cohort id and NHS number -> first line. */
  private readonly familyLine = new Map<string, number>();

  constructor(
    private readonly services: ReadonlyMap<string, string>,
    private readonly today: string,
  ) {}

  add(row: Record<string, string | undefined>, line: number): boolean {
    const problems: Problem[] = [];
    const get = (c: Column) => row[c] ?? '';
    const take = <T>(column: Column, check: Check<T>): T | undefined => {
      if (check.ok) return check.value;
      problems.push({ line, column, value: get(column), rule: check.rule });
      return undefined;
    };
    const cohortId = take('cohort_id', checkId(get('cohort_id'), 'provider\'s cohort id'));
    const name = take('cohort_name', checkText(get('cohort_name'), 200));
    if (name === null) problems.push({ line, column: 'cohort_name', value: '', rule: 'required: the cohort\'s name' });
    const serviceCode = take('service_code', checkId(get('service_code'), 'service code', 32));
    const delivery = take('delivery', checkCode(get('delivery'), DELIVERIES));
    const startDate = take('start_date', checkDate(get('start_date'), this.today, true));
    const planned = take('planned_sessions', checkWhole(get('planned_sessions'), 1, MAX_PLANNED_SESSIONS, true, 'sessions planned'));
    const nhsNumber = take('nhs_number', checkNhsNumber(get('nhs_number')));
    const fasaBefore = take('fasa_before', checkWhole(get('fasa_before'), FASA_MIN, FASA_MAX, false, 'the FASA total'));
    const fasaAfter = take('fasa_after', checkWhole(get('fasa_after'), FASA_MIN, FASA_MAX, false, 'the FASA total'));
    const attended = take('attendance', parseAttendance(get('attendance')));

    if (serviceCode) {
      const pathway = this.services.get(serviceCode);
      if (!pathway) problems.push({ line, column: 'service_code', value: get('service_code'), rule: `no service with this code is held; a SPACE cohort is run by one of: ${this.spaceServices().join(', ') || '(none held)'}` });
      else if (pathway !== 'SPACE') problems.push({ line, column: 'service_code', value: get('service_code'), rule: `service ${serviceCode} is on the ${pathway} pathway, not SPACE` });
    }
    if (attended && planned) {
      if (attended.length > planned) problems.push({ line, column: 'attendance', value: get('attendance'), rule: `records ${attended.length} sessions; the cohort plans ${planned}` });
      else if (startDate && attended.length && sessionDate(startDate, attended.length) > this.today) {
        problems.push({ line, column: 'attendance', value: get('attendance'), rule: `records session ${attended.length}, which falls on ${sessionDate(startDate, attended.length)}, after today (${this.today}); sessions are weekly from start_date` });
      }
    }
    if (fasaAfter !== undefined && fasaAfter !== null && attended && attended.length === 0) {
      problems.push({ line, column: 'fasa_after', value: get('fasa_after'), rule: 'an after score needs the family\'s attendance' });
    }

    // A cohort is known from the first row that gives it whole, even one refused for a family's
    // fields, so later rows are checked against it; only cohorts with a valid row are written.
    if (cohortId && name && serviceCode && delivery && startDate && planned) {
      const given: SpaceCohortRecord = { line, sourceId: cohortId, name, serviceCode, delivery, startDate, plannedSessions: planned };
      const first = this.cohorts.get(cohortId);
      if (!first) this.cohorts.set(cohortId, given);
      else {
        for (const [column, field] of COHORT_COLUMNS) {
          if (first[field] !== given[field]) problems.push({ line, column, value: get(column), rule: `cohort ${cohortId} has a different ${column} on line ${first.line}; every row of a cohort gives the same` });
        }
      }
    }
    if (cohortId && nhsNumber) {
      const key = `${cohortId}\u0000${nhsNumber}`;
      const earlier = this.familyLine.get(key);
      if (earlier !== undefined) problems.push({ line, column: 'nhs_number', value: get('nhs_number'), rule: `this child is already enrolled in cohort ${cohortId} on line ${earlier}` });
      else this.familyLine.set(key, line);
    }
    if (problems.length) {
      this.problems.push(...problems);
      return false;
    }
    this.records.push({ line, cohortId: cohortId!, nhsNumber: nhsNumber!, fasaBefore: fasaBefore ?? null, fasaAfter: fasaAfter ?? null, attended: attended! });
    return true;
  }

  private spaceServices(): string[] {
    return [...this.services].filter(([, pathway]) => pathway === 'SPACE').map(([code]) => code).sort();
  }
}
