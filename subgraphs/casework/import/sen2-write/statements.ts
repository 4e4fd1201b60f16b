import { reviewDueAfterSql } from '../../rules/timescales';
import { timeOrderedId } from './ids';
import type { ExtractWrites } from './extract';
import type { ChildRow } from './match';
import { changes, type ChunkState, type HeldRow, type Pending } from './plan';
import { textArray } from '../../../toolkit/rows';
import { ANY_ID, type Sql } from './sql';

/**
 * Stage 4 of a chunk: the writes, one statement per table and kind of write
 * (insert, update, delete), parents before children. Statement triggers
 * (measures/facts.ts) so refresh the measure figures once per statement for all
 * the children it touched, not once per row.
 */

const CHILD_COLUMNS = 'id uuid, surname text, forename text, birth_date date, sex text, ethnicity text, postcode text, upn text, uln text';

export async function writeChildren(sql: Sql, created: readonly ChildRow[], updated: readonly ChildRow[]): Promise<void> {
  sql.withRows(
    (x) => `INSERT INTO child (id, surname, forename, birth_date, sex, ethnicity, postcode, upn, uln, primary_need, nhs_number, link_key, district, team_id)
     SELECT x.id, x.surname, x.forename, x.birth_date, x.sex, x.ethnicity, x.postcode, x.upn, x.uln, x.primary_need, x.nhs_number, x.link_key, x.district, x.team_id
     FROM ${x}`,
    `${CHILD_COLUMNS}, primary_need text, nhs_number text, link_key text, district text, team_id uuid`,
    created,
  );
  sql.withRows(
    (x) => `UPDATE child c SET surname = x.surname, forename = x.forename, birth_date = x.birth_date, sex = x.sex, ethnicity = COALESCE(x.ethnicity, c.ethnicity),
       postcode = COALESCE(x.postcode, c.postcode), upn = COALESCE(x.upn, c.upn), uln = COALESCE(x.uln, c.uln)
     FROM ${x}
     WHERE c.id = x.id AND (c.surname, c.forename, c.birth_date, c.sex, c.ethnicity, c.postcode, c.upn, c.uln)
       IS DISTINCT FROM (x.surname, x.forename, x.birth_date, x.sex, COALESCE(x.ethnicity, c.ethnicity), COALESCE(x.postcode, c.postcode), COALESCE(x.upn, c.upn), COALESCE(x.uln, c.uln))`,
    CHILD_COLUMNS,
    updated,
  );
}

/** A table's pending writes: the rows to insert, and the updates that change the row held (plan.ts, `changes`). */
function split<T>(m: Map<string, Pending<T>>, held: ReadonlyMap<string, HeldRow>, changed: (w: T, h: HeldRow | undefined) => boolean): [Array<Pending<T>>, Array<Pending<T>>] {
  const all = [...m.values()];
  return [all.filter((w) => w.insert), all.filter((w) => !w.insert && changed(w, held.get(w.id)))];
}

/** The chunk's life-cycle writes: each table's inserts in one statement, its updates in another. */
export async function writeLifeCycle(sql: Sql, state: ChunkState): Promise<void> {
  const [newRequests, requestUpdates] = split(state.requests, state.held, changes.request);
  sql.withRows(
    (x) => `INSERT INTO ehcna_request (id, child_id, received_date, source, outcome, outcome_date, mediation, tribunal)
     SELECT x.id, x.child_id, x.received_date, CASE WHEN x.young_person THEN 'YOUNG_PERSON' END, x.outcome, x.outcome_date, x.mediation, x.tribunal
     FROM ${x}`,
    'id uuid, child_id uuid, received_date date, young_person boolean, outcome text, outcome_date date, mediation boolean, tribunal boolean',
    newRequests,
  );
  sql.withRows(
    (x) => `UPDATE ehcna_request r SET outcome = x.outcome, outcome_date = x.outcome_date, mediation = x.mediation, tribunal = x.tribunal,
       source = CASE WHEN x.young_person THEN 'YOUNG_PERSON' ELSE r.source END
     FROM ${x}
     WHERE r.id = x.id AND (r.outcome, r.outcome_date, r.mediation, r.tribunal, r.source)
       IS DISTINCT FROM (x.outcome, x.outcome_date, x.mediation, x.tribunal, CASE WHEN x.young_person THEN 'YOUNG_PERSON' ELSE r.source END)`,
    'id uuid, young_person boolean, outcome text, outcome_date date, mediation boolean, tribunal boolean',
    requestUpdates,
  );
  const [newAssessments, assessmentUpdates] = split(state.assessments, state.held, changes.assessment);
  const assessmentColumns = 'outcome text, outcome_date date, mediation boolean, tribunal boolean, week20exception boolean';
  sql.withRows(
    (x) => `INSERT INTO ehc_needs_assessment (id, request_id, child_id, outcome, outcome_date, mediation, tribunal, week20exception)
     SELECT x.id, x.request_id, x.child_id, x.outcome, x.outcome_date, x.mediation, x.tribunal, x.week20exception
     FROM ${x}`,
    `id uuid, request_id uuid, child_id uuid, ${assessmentColumns}`,
    newAssessments,
  );
  sql.withRows(
    (x) => `UPDATE ehc_needs_assessment a SET outcome = x.outcome, outcome_date = x.outcome_date, mediation = x.mediation, tribunal = x.tribunal, week20exception = x.week20exception
     FROM ${x}
     WHERE a.id = x.id AND (a.outcome, a.outcome_date, a.mediation, a.tribunal, a.week20exception) IS DISTINCT FROM (x.outcome, x.outcome_date, x.mediation, x.tribunal, x.week20exception)`,
    `id uuid, ${assessmentColumns}`,
    assessmentUpdates,
  );
  const [newPlans, planUpdates] = split(state.plans, state.held, changes.plan);
  const planColumns = 'issue_date date, personal_budget boolean, cease_date date, cease_reason text';
  sql.withRows(
    (x) => `INSERT INTO ehc_plan (id, child_id, assessment_id, issue_date, personal_budget, cease_date, cease_reason)
     SELECT x.id, x.child_id, x.assessment_id, x.issue_date, x.personal_budget, x.cease_date, x.cease_reason
     FROM ${x}`,
    `id uuid, child_id uuid, assessment_id uuid, ${planColumns}`,
    newPlans,
  );
  sql.withRows(
    (x) => `UPDATE ehc_plan e SET issue_date = x.issue_date, personal_budget = x.personal_budget, cease_date = x.cease_date, cease_reason = x.cease_reason
     FROM ${x}
     WHERE e.id = x.id AND (e.issue_date, e.personal_budget, e.cease_date, e.cease_reason) IS DISTINCT FROM (x.issue_date, x.personal_budget, x.cease_date, x.cease_reason)`,
    `id uuid, ${planColumns}`,
    planUpdates,
  );
  // Placements and needs are replaced: the last list given for a plan stands. A plan whose list is
  // the one held keeps its rows (a re-import rewrites nothing); one whose list differs loses its
  // rows, and then every plan given a list and holding none is given it.
  const held = (planId: string) => !state.plans.get(planId)?.insert;
  await replaceLists(sql, held, 'plan_placement', 'rank smallint, urn text, ukprn text, sen_setting text, sen_unit boolean, resourced_provision boolean',
    [...state.placements].flatMap(([planId, ps]) => ps.map((pl) => ({ id: timeOrderedId(), plan_id: planId, rank: pl.rank, urn: pl.urn, ukprn: pl.ukprn, sen_setting: pl.senSetting, sen_unit: pl.senUnit, resourced_provision: pl.resourcedProvision }))));
  await replaceLists(sql, held, 'plan_sen_need', 'sen_type text, rank smallint',
    [...state.needs].flatMap(([planId, ns]) => ns.map((nd) => ({ id: timeOrderedId(), plan_id: planId, sen_type: nd.senType, rank: nd.rank }))));
  const [newReviews, reviewUpdates] = split(state.reviews, state.held, changes.review);
  sql.withRows(
    (x) => `INSERT INTO annual_review (id, plan_id, due_date, meeting_date, outcome, decision_date)
     SELECT x.id, x.plan_id, x.due_date, x.meeting_date, x.outcome, x.decision_date
     FROM ${x}`,
    'id uuid, plan_id uuid, due_date date, meeting_date date, outcome text, decision_date date',
    newReviews,
  );
  sql.withRows(
    (x) => `UPDATE annual_review v SET outcome = x.outcome, decision_date = x.decision_date
     FROM ${x}
     WHERE v.id = x.id AND (v.outcome, v.decision_date) IS DISTINCT FROM (x.outcome, x.decision_date)`,
    'id uuid, outcome text, decision_date date',
    reviewUpdates,
  );
  // Every review is due by the review rule from the meeting before it (or the plan's issue, if later): a return
  // imported out of order, or a changed issue date, must not leave a stale due date (AR_OVERDUE reads them).
  const due = reviewDueAfterSql('GREATEST(x.previous, e.issue_date)');
  if (state.dueDatesToRecompute.size) {
    const plans = textArray([...state.dueDatesToRecompute]);
    await sql.all(
      `UPDATE annual_review v SET due_date = ${due}
       FROM (SELECT id, lag(meeting_date) OVER (PARTITION BY plan_id ORDER BY meeting_date NULLS LAST, due_date) AS previous FROM annual_review
             WHERE plan_id = ${ANY_ID}) x, ehc_plan e
       WHERE v.id = x.id AND v.plan_id = ${ANY_ID} AND e.id = v.plan_id AND e.id = ${ANY_ID} AND v.due_date IS DISTINCT FROM ${due}`,
      [plans, plans, plans],
    );
  }
}

/**
 * A plan's list (placements or needs) set to the rows given, whole: rows of `columns`
 * (plus plan_id, and the id a row inserted takes), one list per plan. A plan held
 * before this chunk (`held`) whose list is the one given keeps its rows (a re-import
 * rewrites nothing); one whose list differs loses its rows; then every plan whose
 * rows went, or that held none, is given its list.
 */
async function replaceLists<R extends { plan_id: string }>(sql: Sql, held: (planId: string) => boolean, table: string, columns: string, rows: readonly R[]): Promise<void> {
  if (!rows.length) return;
  const names = columns.split(',').map((c) => c.trim().split(' ')[0]);
  const of = (alias: string) => names.map((n) => `${alias}.${n}`).join(', ');
  const heldPlans = new Set(rows.map((r) => r.plan_id).filter(held));
  let given = rows;
  if (heldPlans.size) {
    // A list as the sorted array of its rows' text; a plan holding no rows differs from any list.
    const list = (alias: string) => `array_agg(ROW(${of(alias)})::text ORDER BY ROW(${of(alias)})::text)`;
    const plans = textArray([...heldPlans]);
    const changed = await sql.allOver<{ plan_id: string }>(
      (x) => `WITH g AS (SELECT x.plan_id, ${list('x')} AS list FROM ${x} GROUP BY x.plan_id),
         h AS (SELECT t.plan_id, ${list('t')} AS list FROM ${table} t WHERE t.plan_id = ${ANY_ID} GROUP BY t.plan_id),
         changed AS (SELECT g.plan_id FROM g LEFT JOIN h ON h.plan_id = g.plan_id WHERE h.list IS DISTINCT FROM g.list),
         gone AS (DELETE FROM ${table} WHERE plan_id = ${ANY_ID} AND plan_id IN (SELECT plan_id FROM changed))
       SELECT plan_id FROM changed`,
      `plan_id uuid, ${columns}`,
      rows.filter((r) => heldPlans.has(r.plan_id)),
      [plans, plans],
    );
    const giving = new Set(changed.map((c) => c.plan_id));
    given = rows.filter((r) => !heldPlans.has(r.plan_id) || giving.has(r.plan_id));
  }
  sql.withRows(
    (x) => `INSERT INTO ${table} (id, plan_id, ${names.join(', ')}) SELECT x.id, x.plan_id, ${of('x')} FROM ${x}`,
    `id uuid, plan_id uuid, ${columns}`,
    given,
  );
}

/** The primary needs of children held (plan.ts's primaryNeedOf), set only where they change. */
export async function writePrimaryNeeds(sql: Sql, needs: ReadonlyArray<{ id: string; need: string | null }>): Promise<void> {
  sql.withRows(
    (x) => `UPDATE child c SET primary_need = x.need FROM ${x}
     WHERE c.id = x.id AND c.primary_need IS DISTINCT FROM x.need`,
    'id uuid, need text',
    needs,
  );
}

/** What the case extract changes in the children's rows: their NHS numbers, link keys, districts and teams. */
export function writeCaseExtractChildren(sql: Sql, w: ExtractWrites): void {
  sql.withRows(
    (x) => `UPDATE child c SET nhs_number = COALESCE(x.nhs_number, c.nhs_number), link_key = COALESCE(x.link_key, c.link_key),
       district = COALESCE(x.district, c.district), team_id = COALESCE(x.team_id, c.team_id)
     FROM ${x}
     WHERE c.id = x.id AND (c.nhs_number, c.link_key, c.district, c.team_id)
       IS DISTINCT FROM (COALESCE(x.nhs_number, c.nhs_number), COALESCE(x.link_key, c.link_key), COALESCE(x.district, c.district), COALESCE(x.team_id, c.team_id))`,
    'id uuid, nhs_number text, link_key text, district text, team_id uuid',
    w.childUpdates,
  );
}

/** What the case extract changes in the children's allocations (ends before starts). */
export function writeAllocations(sql: Sql, w: ExtractWrites): void {
  sql.withRows(
    (x) => `UPDATE worker_allocation w SET next_review_date = x.next_review_date FROM ${x}
     WHERE w.id = x.id AND w.next_review_date IS DISTINCT FROM x.next_review_date`,
    'id uuid, next_review_date date',
    w.allocationReviews,
  );
  sql.withRows(
    (x) => `DELETE FROM worker_allocation WHERE id IN (SELECT x.id FROM ${x})`,
    'id uuid', w.allocationDeletes);
  sql.withRows(
    (x) => `UPDATE worker_allocation w SET end_date = CAST(x.end_date AS date) FROM ${x} WHERE w.id = x.id`,
    'id uuid, end_date text', w.allocationEnds);
  sql.withRows(
    (x) => `INSERT INTO worker_allocation (id, child_id, team_id, caseworker_id, start_date, decided_by, reason, next_review_date)
     SELECT x.id, x.child_id, x.team_id, x.caseworker_id, x.start_date, x.decided_by, x.reason, x.next_review_date
     FROM ${x}`,
    'id uuid, child_id uuid, team_id uuid, caseworker_id uuid, start_date date, decided_by text, reason text, next_review_date date',
    w.allocationInserts,
  );
}
