/**
 * The SEN2 import's writes, a chunk of people at a time, inside the import's one
 * transaction. Per chunk: one query finds the children its people may match, a
 * few find what those children hold (requests, assessments, plans, reviews,
 * allocations, NHS numbers); then the chunk is worked out in memory, person by
 * person in file order, exactly as one-at-a-time writes would have gone; then it
 * is written with one statement per table and kind of write (insert, update,
 * delete) and one audit insert. Statement triggers (measures/facts.ts) so refresh
 * the measure figures once per statement for all its children, not per row.
 *
 * A person who matches a child already written earlier in the same chunk (the
 * same child twice, e.g. a case-extract row for a child of the return) ends the
 * chunk there: the rest is worked out afresh after the write, so it sees it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { auditWrites, type AuditEntry } from '../../toolkit/audit';
import type { SubgraphContext } from '../../toolkit/context';
import { addDays, addMonths } from '../../toolkit/dates';
import { linkKeyFor } from '../../toolkit/link-key';
import type { CaseExtractRow } from './case-extract';
import type { Problem, Sen2ActivePlan, Sen2Person, Sen2Placement, Sen2Request } from './sen2-validate';

/** People per chunk: about 15 statements a chunk instead of about 20 a person. */
export const SEN2_CHUNK = 500;

/** One thing to write: a person of the return (with its case-extract row, if any), or a case-extract row alone. */
export type Sen2Item = { person: Sen2Person; extract: CaseExtractRow | null } | { person: null; extract: CaseExtractRow };

export interface Sen2Counts {
  created: number;
  updated: number;
}

interface MatchKey {
  upn: string | null;
  uln: string | null;
  surname: string;
  forename: string;
  birthDate: string;
}

/** A child as matching sees it (kept up to date as the chunk's people are worked out). */
interface HeldChild {
  id: string;
  upn: string | null;
  uln: string | null;
  surname: string;
  forename: string;
  birth_date: string;
  nhs_number: string | null;
}

/**
 * UPN, else ULN, else surname + forename + birth date (case-insensitive); a weaker
 * key never takes a child whose stronger identifier differs. Pure: the same rule as
 * the one-query-per-person lookup it replaces.
 */
export function findChild(children: readonly HeldChild[], p: MatchKey): HeldChild | null {
  const upn = p.upn?.toUpperCase() ?? null;
  const upnAgrees = (c: HeldChild) => c.upn === null || upn === null || c.upn.toUpperCase() === upn;
  if (upn) {
    const c = children.find((x) => x.upn !== null && x.upn.toUpperCase() === upn);
    if (c) return c;
  }
  if (p.uln) {
    const c = children.find((x) => x.uln === p.uln && upnAgrees(x));
    if (c) return c;
  }
  const surname = p.surname.trim().toLowerCase();
  const forename = p.forename.trim().toLowerCase();
  return (
    children.find(
      (x) => x.surname.toLowerCase() === surname && x.forename.toLowerCase() === forename && x.birth_date === p.birthDate && upnAgrees(x) && (x.uln === null || p.uln === null || x.uln === p.uln),
    ) ?? null
  );
}

/** A row to insert, or the columns to set on a row held (later writes to the same row in a chunk merge). */
type Pending<T> = T & { id: string; insert: boolean };

interface RequestWrite {
  child_id?: string;
  received_date?: string;
  young_person: boolean;
  outcome: string;
  outcome_date: string | null;
  mediation: boolean;
  tribunal: boolean;
}
interface AssessmentWrite {
  request_id?: string;
  child_id?: string;
  outcome: string;
  outcome_date: string | null;
  mediation: boolean;
  tribunal: boolean;
  week20exception: boolean;
}
interface PlanWrite {
  child_id?: string;
  assessment_id?: string;
  issue_date: string;
  personal_budget: boolean;
  cease_date: string | null;
  cease_reason: string | null;
}
interface ReviewWrite {
  plan_id?: string;
  due_date?: string;
  meeting_date?: string;
  outcome: string | null;
  decision_date: string | null;
}

/** What one chunk holds and will write, worked out in memory before any of it is written. */
class ChunkState {
  readonly requestByKey = new Map<string, string>();
  readonly assessmentByRequest = new Map<string, string>();
  readonly planByAssessment = new Map<string, string>();
  readonly plansOfChild = new Map<string, Array<{ id: string; issue: string }>>();
  readonly reviewsOfPlan = new Map<string, Array<{ id: string; meeting: string | null }>>();
  readonly requests = new Map<string, Pending<RequestWrite>>();
  readonly assessments = new Map<string, Pending<AssessmentWrite>>();
  readonly plans = new Map<string, Pending<PlanWrite>>();
  readonly reviews = new Map<string, Pending<ReviewWrite>>();
  readonly placements = new Map<string, Sen2Placement[]>();
  readonly needs = new Map<string, Array<{ senType: string; rank: number }>>();
  readonly dueDatesToRecompute = new Set<string>();
}

function list<K, V>(map: Map<K, V[]>, key: K): V[] {
  let l = map.get(key);
  if (!l) map.set(key, (l = []));
  return l;
}

/** Sets `values` on the pending write of row `id`, starting one (an update of a held row) if none. */
function pend<T extends object>(map: Map<string, Pending<T>>, id: string, values: T): Pending<T> {
  const w = map.get(id);
  if (w) return Object.assign(w, values);
  const fresh = { ...values, id, insert: false } as Pending<T>;
  map.set(id, fresh);
  return fresh;
}

/** The writes for one import, inside its transaction. */
export class Sen2Writer {
  private readonly teams = new Map<string, string>();
  private readonly workers = new Map<string, string>();

  constructor(
    private readonly tx: EntityManager,
    private readonly context: SubgraphContext,
    private readonly secret: string,
    private readonly today: string,
    private readonly counts: Sen2Counts,
    private readonly problems: Problem[],
  ) {}

  private async q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.tx.getConnection().execute<T[]>(sql, params, 'all', this.tx.getTransactionContext());
  }

  /** Runs a statement over rows passed as one JSON parameter (`x` in the SQL); nothing when there are none. */
  private async withRows(sql: string, rows: readonly object[]): Promise<void> {
    if (rows.length) await this.q(sql, [JSON.stringify(rows)]);
  }

  /** Writes the items in file order, a chunk at a time (a chunk may end early: see the file's comment). */
  async write(items: readonly Sen2Item[]): Promise<void> {
    let rest = items;
    while (rest.length) rest = rest.slice(await this.writeChunk(rest));
  }

  /** Writes a prefix of the items; returns how many. */
  private async writeChunk(items: readonly Sen2Item[]): Promise<number> {
    // Every child any of these people may match, by any of their keys.
    const keys = items.map((i) => i.person ?? i.extract);
    const held = await this.q<HeldChild>(
      `SELECT id, upn, uln, surname, forename, birth_date::text AS birth_date, nhs_number FROM child
       WHERE upper(upn) IN (SELECT value FROM json_array_elements_text(CAST(? AS json)))
          OR uln IN (SELECT value FROM json_array_elements_text(CAST(? AS json)))
          OR (lower(surname), lower(forename), birth_date) IN (SELECT k.s, k.f, k.b FROM json_to_recordset(CAST(? AS json)) AS k(s text, f text, b date))
       ORDER BY id`,
      [
        JSON.stringify(keys.filter((k) => k.upn).map((k) => k.upn!.toUpperCase())),
        JSON.stringify(keys.filter((k) => k.uln).map((k) => k.uln)),
        JSON.stringify(keys.map((k) => ({ s: k.surname.trim().toLowerCase(), f: k.forename.trim().toLowerCase(), b: k.birthDate }))),
      ],
    );

    // Who is who, in file order; stops at a person whose child this chunk already writes.
    const touched = new Set<string>();
    const newChildren: object[] = [];
    const childUpdates: object[] = [];
    // childId null: a case-extract row that matches no child (reported in its turn).
    const done: Array<{ item: Sen2Item; childId: string | null; currentNhs: string | null }> = [];
    let n = 0;
    for (; n < items.length; n++) {
      const item = items[n];
      const match = findChild(held, item.person ?? item.extract);
      if (match && touched.has(match.id)) break;
      const p = item.person;
      if (!p) {
        if (!match) {
          done.push({ item, childId: null, currentNhs: null });
          continue;
        }
        touched.add(match.id);
        done.push({ item, childId: match.id, currentNhs: match.nhs_number });
        this.counts.updated++;
        continue;
      }
      const values = { surname: p.surname, forename: p.forename, birth_date: p.birthDate, sex: p.sex, ethnicity: p.ethnicity, postcode: p.postcode, upn: p.upn, uln: p.uln };
      if (match) {
        childUpdates.push({ id: match.id, ...values });
        Object.assign(match, { surname: p.surname, forename: p.forename, birth_date: p.birthDate, upn: p.upn ?? match.upn, uln: p.uln ?? match.uln });
        this.counts.updated++;
      } else {
        const id = randomUUID();
        newChildren.push({ id, ...values });
        held.push({ id, upn: p.upn, uln: p.uln, surname: p.surname, forename: p.forename, birth_date: p.birthDate, nhs_number: null });
        this.counts.created++;
      }
      const childId = match?.id ?? (newChildren[newChildren.length - 1] as { id: string }).id;
      touched.add(childId);
      done.push({ item, childId, currentNhs: match?.nhs_number ?? null });
    }

    // What the matched children already hold, then each person's requests worked out in order.
    const state = new ChunkState();
    const created = new Set(newChildren.map((c) => (c as { id: string }).id));
    const heldIds = done.filter((d) => d.item.person && !created.has(d.childId!)).map((d) => d.childId!);
    if (heldIds.length) await this.loadLifeCycle(state, heldIds);
    for (const { item, childId } of done) for (const r of item.person?.requests ?? []) this.planRequest(state, childId!, r);

    // The case extract: NHS numbers (none twice), district, team, allocation.
    const audit: AuditEntry[] = [];
    const extractUpdates: object[] = [];
    const allocationReviews: object[] = [];
    const allocationDeletes: string[] = [];
    const allocationEnds: string[] = [];
    const allocationInserts: object[] = [];
    const withExtract = done.filter((d) => d.item.extract && d.childId);
    const nhsHolder = new Map<string, string>();
    const currentAllocation = new Map<string, { id: string; caseworker_id: string | null; start_date: string; reason: string | null }>();
    if (withExtract.length) {
      const numbers = withExtract.map((d) => d.item.extract!.nhsNumber).filter((x): x is string => !!x);
      for (const r of await this.q<{ id: string; nhs_number: string }>('SELECT id, nhs_number FROM child WHERE nhs_number IN (SELECT value FROM json_array_elements_text(CAST(? AS json)))', [JSON.stringify(numbers)])) nhsHolder.set(r.nhs_number, r.id);
      const allocating = withExtract.filter((d) => d.item.extract!.allocatedWorker || d.item.extract!.noWorkerReason).map((d) => d.childId!);
      if (allocating.length) {
        const rows = await this.q<{ id: string; child_id: string; caseworker_id: string | null; start_date: string; reason: string | null }>(
          `SELECT DISTINCT ON (child_id) id, child_id, caseworker_id, start_date::text AS start_date, reason FROM worker_allocation
           WHERE child_id IN (SELECT CAST(value AS uuid) FROM json_array_elements_text(CAST(? AS json))) AND end_date IS NULL ORDER BY child_id, start_date DESC`,
          [JSON.stringify(allocating)],
        );
        for (const r of rows) currentAllocation.set(r.child_id, r);
      }
    }
    for (const { item, childId, currentNhs } of done) {
      if (!childId) {
        const row = item.extract!;
        this.problems.push({ person: row.row, path: 'case-extract/upn', value: row.upn ?? row.uln ?? `${row.surname}, ${row.forename}, ${row.birthDate}`, rule: 'no child in this return or already held matches this row (UPN, ULN, or surname + forename + birth date)' });
        continue;
      }
      const fields = item.person ? ['surname', 'forename', 'birthDate', 'sex', 'ethnicity', 'postcode', 'upn', 'uln', 'requests'] : [];
      const row = item.extract;
      if (row) {
        const where = item.person ? `Person[${item.person.position}]` : `case extract row ${row.row}`;
        const update: { id: string; nhs_number?: string; link_key?: string; district?: string; team_id?: string } = { id: childId };
        if (row.nhsNumber && row.nhsNumber !== currentNhs) {
          const other = nhsHolder.get(row.nhsNumber);
          if (other && other !== childId) {
            this.problems.push({ person: row.row, path: 'case-extract/nhs_number', value: row.nhsNumber, rule: `another child already held has this NHS number (matched ${where})` });
          } else {
            Object.assign(update, { nhs_number: row.nhsNumber, link_key: linkKeyFor(row.nhsNumber, this.secret) });
            nhsHolder.set(row.nhsNumber, childId);
            fields.push('nhsNumber', 'linkKey');
          }
        }
        if (row.district) {
          update.district = row.district;
          fields.push('district');
        }
        const teamId = row.team ? await this.teamId(row.team) : null;
        if (teamId) {
          update.team_id = teamId;
          fields.push('team');
        }
        if (Object.keys(update).length > 1) extractUpdates.push(update);
        if (row.allocatedWorker || row.noWorkerReason) {
          const workerId = row.allocatedWorker && teamId ? await this.workerId(row.allocatedWorker, teamId) : null;
          const current = currentAllocation.get(childId);
          const same = current && current.caseworker_id === workerId && (workerId !== null || current.reason === row.noWorkerReason);
          if (same) {
            if (!workerId) allocationReviews.push({ id: current.id, next_review_date: row.noWorkerReviewDate });
          } else {
            if (current) (current.start_date >= this.today ? allocationDeletes : allocationEnds).push(current.id);
            allocationInserts.push({
              child_id: childId, team_id: teamId, caseworker_id: workerId, start_date: this.today,
              decided_by: workerId ? null : 'Recorded in the case system (case extract)', reason: workerId ? null : row.noWorkerReason, next_review_date: workerId ? null : row.noWorkerReviewDate,
            });
          }
          fields.push('workerAllocations');
        }
      }
      audit.push({ entityType: 'Child', entityId: childId, fields });
    }

    // The writes, parents before children.
    await this.withRows(
      `INSERT INTO child (id, surname, forename, birth_date, sex, ethnicity, postcode, upn, uln)
       SELECT x.id, x.surname, x.forename, x.birth_date, x.sex, x.ethnicity, x.postcode, x.upn, x.uln
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, surname text, forename text, birth_date date, sex text, ethnicity text, postcode text, upn text, uln text)`,
      newChildren,
    );
    await this.withRows(
      `UPDATE child c SET surname = x.surname, forename = x.forename, birth_date = x.birth_date, sex = x.sex, ethnicity = COALESCE(x.ethnicity, c.ethnicity),
         postcode = COALESCE(x.postcode, c.postcode), upn = COALESCE(x.upn, c.upn), uln = COALESCE(x.uln, c.uln)
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, surname text, forename text, birth_date date, sex text, ethnicity text, postcode text, upn text, uln text)
       WHERE c.id = x.id`,
      childUpdates,
    );
    await this.writeLifeCycle(state);
    const people = done.filter((d) => d.item.person).map((d) => d.childId!);
    if (people.length) {
      // Each child's primary need: the rank-1 need of its latest plan that has one (else none). Set-based with
      // DISTINCT ON: the per-child `ORDER BY issue_date DESC LIMIT 1` walked the issue-date index across every
      // plan held, so it cost more the more plans there were. Rows whose need is unchanged are left alone.
      const ids = JSON.stringify(people.map((id) => ({ id })));
      await this.q(
        `UPDATE child c SET primary_need = x.need
         FROM (SELECT k.id, p.sen_type AS need
               FROM json_to_recordset(CAST(? AS json)) AS k(id uuid)
               LEFT JOIN (SELECT DISTINCT ON (e.child_id) e.child_id, n.sen_type
                          FROM ehc_plan e JOIN plan_sen_need n ON n.plan_id = e.id AND n.rank = 1
                          WHERE e.child_id IN (SELECT k2.id FROM json_to_recordset(CAST(? AS json)) AS k2(id uuid))
                          ORDER BY e.child_id, e.issue_date DESC) p ON p.child_id = k.id) x
         WHERE c.id = x.id AND c.primary_need IS DISTINCT FROM x.need`,
        [ids, ids],
      );
    }
    await this.withRows(
      `UPDATE child c SET nhs_number = COALESCE(x.nhs_number, c.nhs_number), link_key = COALESCE(x.link_key, c.link_key),
         district = COALESCE(x.district, c.district), team_id = COALESCE(x.team_id, c.team_id)
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, nhs_number text, link_key text, district text, team_id uuid)
       WHERE c.id = x.id`,
      extractUpdates,
    );
    await this.withRows(
      `UPDATE worker_allocation w SET next_review_date = x.next_review_date FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, next_review_date date) WHERE w.id = x.id`,
      allocationReviews,
    );
    await this.withRows('DELETE FROM worker_allocation WHERE id IN (SELECT x.id FROM json_to_recordset(CAST(? AS json)) AS x(id uuid))', allocationDeletes.map((id) => ({ id })));
    await this.withRows('UPDATE worker_allocation w SET end_date = CAST(x.end_date AS date) FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, end_date text) WHERE w.id = x.id', allocationEnds.map((id) => ({ id, end_date: addDays(this.today, -1) })));
    await this.withRows(
      `INSERT INTO worker_allocation (child_id, team_id, caseworker_id, start_date, decided_by, reason, next_review_date)
       SELECT x.child_id, x.team_id, x.caseworker_id, x.start_date, x.decided_by, x.reason, x.next_review_date
       FROM json_to_recordset(CAST(? AS json)) AS x(child_id uuid, team_id uuid, caseworker_id uuid, start_date date, decided_by text, reason text, next_review_date date)`,
      allocationInserts,
    );
    await auditWrites(this.tx, this.context, audit);
    return Math.max(n, 1);
  }

  /** The requests, assessments, plans and reviews the children hold. */
  private async loadLifeCycle(state: ChunkState, childIds: string[]): Promise<void> {
    const ids = JSON.stringify(childIds);
    const inChunk = `(SELECT CAST(value AS uuid) FROM json_array_elements_text(CAST(? AS json)))`;
    const requests = await this.q<{ id: string; child_id: string; received_date: string }>(`SELECT id, child_id, received_date::text AS received_date FROM ehcna_request WHERE child_id IN ${inChunk} ORDER BY id`, [ids]);
    for (const r of requests) if (!state.requestByKey.has(`${r.child_id}|${r.received_date}`)) state.requestByKey.set(`${r.child_id}|${r.received_date}`, r.id);
    const assessments = await this.q<{ id: string; request_id: string }>(
      `SELECT a.id, a.request_id FROM ehc_needs_assessment a JOIN ehcna_request r ON r.id = a.request_id WHERE r.child_id IN ${inChunk} ORDER BY a.id`, [ids]);
    for (const a of assessments) if (!state.assessmentByRequest.has(a.request_id)) state.assessmentByRequest.set(a.request_id, a.id);
    const plans = await this.q<{ id: string; child_id: string; assessment_id: string | null; issue: string }>(
      `SELECT id, child_id, assessment_id, issue_date::text AS issue FROM ehc_plan
       WHERE child_id IN ${inChunk} OR assessment_id IN (SELECT a.id FROM ehc_needs_assessment a JOIN ehcna_request r ON r.id = a.request_id WHERE r.child_id IN ${inChunk}) ORDER BY id`,
      [ids, ids],
    );
    const childIdSet = new Set(childIds);
    for (const e of plans) {
      if (e.assessment_id && !state.planByAssessment.has(e.assessment_id)) state.planByAssessment.set(e.assessment_id, e.id);
      if (childIdSet.has(e.child_id)) list(state.plansOfChild, e.child_id).push({ id: e.id, issue: e.issue });
    }
    if (plans.length) {
      const reviews = await this.q<{ id: string; plan_id: string; meeting: string | null }>(
        `SELECT id, plan_id, meeting_date::text AS meeting FROM annual_review WHERE plan_id IN (SELECT CAST(value AS uuid) FROM json_array_elements_text(CAST(? AS json))) ORDER BY id`,
        [JSON.stringify(plans.map((e) => e.id))],
      );
      for (const v of reviews) list(state.reviewsOfPlan, v.plan_id).push({ id: v.id, meeting: v.meeting });
    }
  }

  /** One request of a person: created, or updated by its received date; then its assessment, plan and active plan. */
  private planRequest(state: ChunkState, childId: string, r: Sen2Request): void {
    const key = `${childId}|${r.receivedDate}`;
    let requestId = state.requestByKey.get(key);
    const values = { outcome: r.outcome, outcome_date: r.outcomeDate, mediation: r.mediation, tribunal: r.tribunal };
    if (requestId) {
      // An update names the source only when the return says young person; it never takes that back.
      const before = state.requests.get(requestId)?.young_person ?? false;
      pend<RequestWrite>(state.requests, requestId, { ...values, young_person: before || r.youngPerson });
    } else {
      requestId = randomUUID();
      state.requestByKey.set(key, requestId);
      state.requests.set(requestId, { id: requestId, insert: true, child_id: childId, received_date: r.receivedDate, young_person: r.youngPerson, ...values });
    }
    const a = r.assessment;
    if (!a) {
      if (r.activePlan) this.planActivePlan(state, childId, null, r.activePlan);
      return;
    }
    let assessmentId = state.assessmentByRequest.get(requestId);
    const aValues = { outcome: a.outcome, outcome_date: a.outcomeDate, mediation: a.mediation, tribunal: a.tribunal, week20exception: a.week20Exception };
    if (assessmentId) pend<AssessmentWrite>(state.assessments, assessmentId, aValues);
    else {
      assessmentId = randomUUID();
      state.assessmentByRequest.set(requestId, assessmentId);
      state.assessments.set(assessmentId, { id: assessmentId, insert: true, request_id: requestId, child_id: childId, ...aValues });
    }
    const plan = a.plan;
    if (!plan) {
      if (r.activePlan) this.planActivePlan(state, childId, null, r.activePlan);
      return;
    }
    let planId = state.planByAssessment.get(assessmentId);
    const pValues = { issue_date: plan.startDate, personal_budget: plan.personalBudget, cease_date: plan.ceaseDate, cease_reason: plan.ceaseReason };
    if (planId) {
      pend<PlanWrite>(state.plans, planId, pValues);
      for (const e of state.plansOfChild.get(childId) ?? []) if (e.id === planId) e.issue = plan.startDate;
      state.dueDatesToRecompute.add(planId);
    } else {
      planId = randomUUID();
      state.planByAssessment.set(assessmentId, planId);
      state.plans.set(planId, { id: planId, insert: true, child_id: childId, assessment_id: assessmentId, ...pValues });
      list(state.plansOfChild, childId).push({ id: planId, issue: plan.startDate });
    }
    if (!r.activePlan && plan.placements.length) state.placements.set(planId, plan.placements);
    if (r.activePlan) this.planActivePlan(state, childId, { id: planId, startDate: plan.startDate, placements: plan.placements }, r.activePlan);
  }

  /** Current placements, needs and the latest review: onto this request's plan, or else the child's latest plan held. */
  private planActivePlan(state: ChunkState, childId: string, plan: { id: string; startDate: string; placements: Sen2Placement[] } | null, active: Sen2ActivePlan): void {
    if (!plan) {
      const latest = (state.plansOfChild.get(childId) ?? []).reduce<{ id: string; issue: string } | null>((best, e) => (!best || e.issue > best.issue ? e : best), null);
      if (!latest) return;
      plan = { id: latest.id, startDate: latest.issue, placements: [] };
    }
    const planId = plan.id;
    const placements = active.placements.length ? active.placements : plan.placements;
    if (placements.length) state.placements.set(planId, placements);
    if (active.needs.length) state.needs.set(planId, active.needs);
    if (!active.reviewMeeting) return;
    const reviews = list(state.reviewsOfPlan, planId);
    const existing = reviews.find((v) => v.meeting === active.reviewMeeting);
    if (existing) {
      pend<ReviewWrite>(state.reviews, existing.id, { outcome: active.reviewOutcome, decision_date: active.lastReview });
      return;
    }
    const previous = reviews.reduce<string | null>((last, v) => (v.meeting !== null && v.meeting < active.reviewMeeting! && (!last || v.meeting > last) ? v.meeting : last), null);
    const from = previous && previous > plan.startDate ? previous : plan.startDate;
    const id = randomUUID();
    reviews.push({ id, meeting: active.reviewMeeting });
    state.reviews.set(id, { id, insert: true, plan_id: planId, due_date: addMonths(from, 12), meeting_date: active.reviewMeeting, outcome: active.reviewOutcome, decision_date: active.lastReview });
    state.dueDatesToRecompute.add(planId);
  }

  /** The chunk's life-cycle writes: each table's inserts in one statement, its updates in another. */
  private async writeLifeCycle(state: ChunkState): Promise<void> {
    const split = <T>(m: Map<string, Pending<T>>) => [[...m.values()].filter((w) => w.insert), [...m.values()].filter((w) => !w.insert)];
    const [newRequests, requestUpdates] = split(state.requests);
    await this.withRows(
      `INSERT INTO ehcna_request (id, child_id, received_date, source, outcome, outcome_date, mediation, tribunal)
       SELECT x.id, x.child_id, x.received_date, CASE WHEN x.young_person THEN 'YOUNG_PERSON' END, x.outcome, x.outcome_date, x.mediation, x.tribunal
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, child_id uuid, received_date date, young_person boolean, outcome text, outcome_date date, mediation boolean, tribunal boolean)`,
      newRequests,
    );
    await this.withRows(
      `UPDATE ehcna_request r SET outcome = x.outcome, outcome_date = x.outcome_date, mediation = x.mediation, tribunal = x.tribunal,
         source = CASE WHEN x.young_person THEN 'YOUNG_PERSON' ELSE r.source END
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, young_person boolean, outcome text, outcome_date date, mediation boolean, tribunal boolean)
       WHERE r.id = x.id`,
      requestUpdates,
    );
    const [newAssessments, assessmentUpdates] = split(state.assessments);
    const assessmentColumns = 'outcome text, outcome_date date, mediation boolean, tribunal boolean, week20exception boolean';
    await this.withRows(
      `INSERT INTO ehc_needs_assessment (id, request_id, child_id, outcome, outcome_date, mediation, tribunal, week20exception)
       SELECT x.id, x.request_id, x.child_id, x.outcome, x.outcome_date, x.mediation, x.tribunal, x.week20exception
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, request_id uuid, child_id uuid, ${assessmentColumns})`,
      newAssessments,
    );
    await this.withRows(
      `UPDATE ehc_needs_assessment a SET outcome = x.outcome, outcome_date = x.outcome_date, mediation = x.mediation, tribunal = x.tribunal, week20exception = x.week20exception
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, ${assessmentColumns}) WHERE a.id = x.id`,
      assessmentUpdates,
    );
    const [newPlans, planUpdates] = split(state.plans);
    const planColumns = 'issue_date date, personal_budget boolean, cease_date date, cease_reason text';
    await this.withRows(
      `INSERT INTO ehc_plan (id, child_id, assessment_id, issue_date, personal_budget, cease_date, cease_reason)
       SELECT x.id, x.child_id, x.assessment_id, x.issue_date, x.personal_budget, x.cease_date, x.cease_reason
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, child_id uuid, assessment_id uuid, ${planColumns})`,
      newPlans,
    );
    await this.withRows(
      `UPDATE ehc_plan e SET issue_date = x.issue_date, personal_budget = x.personal_budget, cease_date = x.cease_date, cease_reason = x.cease_reason
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, ${planColumns}) WHERE e.id = x.id`,
      planUpdates,
    );
    // Placements and needs are replaced: the last list given for a plan stands.
    await this.withRows('DELETE FROM plan_placement WHERE plan_id IN (SELECT x.id FROM json_to_recordset(CAST(? AS json)) AS x(id uuid))', [...state.placements.keys()].map((id) => ({ id })));
    await this.withRows(
      `INSERT INTO plan_placement (plan_id, rank, urn, ukprn, sen_setting, sen_unit, resourced_provision)
       SELECT x.plan_id, x.rank, x.urn, x.ukprn, x.sen_setting, x.sen_unit, x.resourced_provision
       FROM json_to_recordset(CAST(? AS json)) AS x(plan_id uuid, rank smallint, urn text, ukprn text, sen_setting text, sen_unit boolean, resourced_provision boolean)`,
      [...state.placements].flatMap(([planId, ps]) => ps.map((pl) => ({ plan_id: planId, rank: pl.rank, urn: pl.urn, ukprn: pl.ukprn, sen_setting: pl.senSetting, sen_unit: pl.senUnit, resourced_provision: pl.resourcedProvision }))),
    );
    await this.withRows('DELETE FROM plan_sen_need WHERE plan_id IN (SELECT x.id FROM json_to_recordset(CAST(? AS json)) AS x(id uuid))', [...state.needs.keys()].map((id) => ({ id })));
    await this.withRows(
      `INSERT INTO plan_sen_need (plan_id, sen_type, rank) SELECT x.plan_id, x.sen_type, x.rank FROM json_to_recordset(CAST(? AS json)) AS x(plan_id uuid, sen_type text, rank smallint)`,
      [...state.needs].flatMap(([planId, ns]) => ns.map((nd) => ({ plan_id: planId, sen_type: nd.senType, rank: nd.rank }))),
    );
    const [newReviews, reviewUpdates] = split(state.reviews);
    await this.withRows(
      `INSERT INTO annual_review (id, plan_id, due_date, meeting_date, outcome, decision_date)
       SELECT x.id, x.plan_id, x.due_date, x.meeting_date, x.outcome, x.decision_date
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, plan_id uuid, due_date date, meeting_date date, outcome text, decision_date date)`,
      newReviews,
    );
    await this.withRows(
      `UPDATE annual_review v SET outcome = x.outcome, decision_date = x.decision_date
       FROM json_to_recordset(CAST(? AS json)) AS x(id uuid, outcome text, decision_date date) WHERE v.id = x.id`,
      reviewUpdates,
    );
    // Every review is due 12 months after the meeting before it (or the plan's issue): a return imported out of
    // order, or a changed issue date, must not leave a stale due date (AR_OVERDUE reads them).
    await this.withRows(
      `UPDATE annual_review v SET due_date = (COALESCE(x.previous, e.issue_date) + interval '12 months')::date
       FROM (SELECT id, lag(meeting_date) OVER (PARTITION BY plan_id ORDER BY meeting_date NULLS LAST, due_date) AS previous FROM annual_review
             WHERE plan_id IN (SELECT p.id FROM json_to_recordset(CAST(? AS json)) AS p(id uuid))) x, ehc_plan e
       WHERE v.id = x.id AND e.id = v.plan_id AND v.due_date IS DISTINCT FROM (COALESCE(x.previous, e.issue_date) + interval '12 months')::date`,
      [...state.dueDatesToRecompute].map((id) => ({ id })),
    );
  }

  private async teamId(name: string): Promise<string> {
    const cached = this.teams.get(name.toLowerCase());
    if (cached) return cached;
    const [row] = await this.q<{ id: string }>('SELECT id FROM team WHERE lower(name) = lower(?)', [name]);
    const id = row?.id ?? (await this.q<{ id: string }>('INSERT INTO team (name, kind) VALUES (?, ?) RETURNING id', [name, /assess/i.test(name) ? 'FOCUSED_ASSESSMENT' : 'PLAN_AND_REVIEW']))[0].id;
    this.teams.set(name.toLowerCase(), id);
    return id;
  }

  private async workerId(name: string, teamId: string): Promise<string> {
    const key = `${teamId}|${name.toLowerCase()}`;
    const cached = this.workers.get(key);
    if (cached) return cached;
    const [row] = await this.q<{ id: string }>('SELECT id FROM caseworker WHERE lower(name) = lower(?) AND team_id = ?', [name, teamId]);
    const id = row?.id ?? (await this.q<{ id: string }>('INSERT INTO caseworker (name, team_id) VALUES (?, ?) RETURNING id', [name, teamId]))[0].id;
    this.workers.set(key, id);
    return id;
  }
}
