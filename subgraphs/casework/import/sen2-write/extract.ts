import type { WriteEntry } from '../../../toolkit/write';
import { linkKeyFor } from '../../../toolkit/link-key';
import { allocationEndsBefore } from '../../rules/life-cycle';
import type { Problem } from '../sen2-validate';
import type { Matched } from './match';
import { timeOrderedId } from './ids';
import { textArray } from '../../../toolkit/rows';
import { ANY_ID, ANY_TEXT, type Sql } from './sql';
import type { Staff } from './staff';

/**
 * Stage 3 of a chunk: what the case extract changes for each matched child (the
 * NHS number and link key, never one number for two children; district; team;
 * the allocated worker or the decision to have none), and the audit entry naming
 * every field the chunk writes for each child.
 */

export interface ExtractUpdate {
  id: string;
  nhs_number?: string;
  link_key?: string;
  district?: string;
  team_id?: string;
}

export interface AllocationInsert {
  id: string;
  child_id: string;
  team_id: string | null;
  caseworker_id: string | null;
  start_date: string;
  decided_by: string | null;
  reason: string | null;
  next_review_date: string | null;
}

export interface ExtractWrites {
  childUpdates: ExtractUpdate[];
  /** A decision to have no worker, confirmed: its next review date. */
  allocationReviews: Array<{ id: string; next_review_date: string | null }>;
  /** Allocations that started today or later, replaced by today's. */
  allocationDeletes: Array<{ id: string }>;
  /** Allocations that end the day before today's starts. */
  allocationEnds: Array<{ id: string; end_date: string }>;
  allocationInserts: AllocationInsert[];
  audit: WriteEntry[];
}

interface CurrentAllocation {
  id: string;
  child_id: string;
  caseworker_id: string | null;
  start_date: string;
  reason: string | null;
}

/** The SEN2 fields a person of the return writes on its child. */
const PERSON_FIELDS = ['surname', 'forename', 'birthDate', 'sex', 'ethnicity', 'postcode', 'upn', 'uln', 'requests'];

export interface ExtractContext {
  sql: Sql;
  staff: Staff;
  secret: string;
  /** The import's date: allocations it records start on it. */
  today: string;
  problems: Problem[];
}

export async function applyCaseExtract(matched: readonly Matched[], { sql, staff, secret, today, problems }: ExtractContext): Promise<ExtractWrites> {
  const out: ExtractWrites = { childUpdates: [], allocationReviews: [], allocationDeletes: [], allocationEnds: [], allocationInserts: [], audit: [] };
  const withExtract = matched.filter((d) => d.item.extract && d.childId);
  const nhsHolder = new Map<string, string>();
  const currentAllocation = new Map<string, CurrentAllocation>();
  if (withExtract.length) {
    const numbers = withExtract.map((d) => d.item.extract!.nhsNumber).filter((x): x is string => !!x);
    const holders = await sql.all<{ id: string; nhs_number: string }>(`SELECT id, nhs_number FROM child WHERE nhs_number = ${ANY_TEXT}`, [textArray(numbers)]);
    for (const r of holders) nhsHolder.set(r.nhs_number, r.id);
    const allocating = withExtract.filter((d) => d.item.extract!.allocatedWorker || d.item.extract!.noWorkerReason).map((d) => d.childId!);
    if (allocating.length) {
      const rows = await sql.all<CurrentAllocation>(
        `SELECT DISTINCT ON (child_id) id, child_id, caseworker_id, start_date::text AS start_date, reason FROM worker_allocation
         WHERE child_id = ${ANY_ID} AND end_date IS NULL ORDER BY child_id, start_date DESC`,
        [textArray(allocating)],
      );
      for (const r of rows) currentAllocation.set(r.child_id, r);
    }
  }
  for (const { item, childId, currentNhs } of matched) {
    if (!childId) {
      const row = item.extract!;
      problems.push({ person: row.row, path: 'case-extract/upn', value: row.upn ?? row.uln ?? `${row.surname}, ${row.forename}, ${row.birthDate}`, rule: 'no child in this return or already held matches this row (UPN, ULN, or surname + forename + birth date)' });
      continue;
    }
    const fields = item.person ? [...PERSON_FIELDS] : [];
    const row = item.extract;
    if (row) {
      const where = item.person ? `Person[${item.person.position}]` : `case extract row ${row.row}`;
      const update: ExtractUpdate = { id: childId };
      if (row.nhsNumber && row.nhsNumber !== currentNhs) {
        const other = nhsHolder.get(row.nhsNumber);
        if (other && other !== childId) {
          problems.push({ person: row.row, path: 'case-extract/nhs_number', value: row.nhsNumber, rule: `another child already held has this NHS number (matched ${where})` });
        } else {
          Object.assign(update, { nhs_number: row.nhsNumber, link_key: linkKeyFor(row.nhsNumber, secret) });
          nhsHolder.set(row.nhsNumber, childId);
          fields.push('nhsNumber', 'linkKey');
        }
      }
      if (row.district) {
        update.district = row.district;
        fields.push('district');
      }
      const teamId = row.team ? await staff.teamId(sql, row.team) : null;
      if (teamId) {
        update.team_id = teamId;
        fields.push('team');
      }
      if (Object.keys(update).length > 1) out.childUpdates.push(update);
      if (row.allocatedWorker || row.noWorkerReason) {
        const workerId = row.allocatedWorker && teamId ? await staff.workerId(sql, row.allocatedWorker, teamId) : null;
        const current = currentAllocation.get(childId);
        const same = current && current.caseworker_id === workerId && (workerId !== null || current.reason === row.noWorkerReason);
        if (same) {
          if (!workerId) out.allocationReviews.push({ id: current.id, next_review_date: row.noWorkerReviewDate });
        } else {
          if (current) {
            if (current.start_date >= today) out.allocationDeletes.push({ id: current.id });
            else out.allocationEnds.push({ id: current.id, end_date: allocationEndsBefore(today) });
          }
          out.allocationInserts.push({
            id: timeOrderedId(),
            child_id: childId,
            team_id: teamId,
            caseworker_id: workerId,
            start_date: today,
            decided_by: workerId ? null : 'Recorded in the case system (case extract)',
            reason: workerId ? null : row.noWorkerReason,
            next_review_date: workerId ? null : row.noWorkerReviewDate,
          });
        }
        fields.push('workerAllocations');
      }
    }
    out.audit.push({ entityType: 'Child', entityId: childId, fields });
  }
  return out;
}
