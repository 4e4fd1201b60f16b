import { timeOrderedId } from './ids';
import { latestPlan, meetingBefore, primaryNeed, reviewDueDate } from '../../rules/life-cycle';
import type { Sen2ActivePlan, Sen2Placement, Sen2Request } from '../sen2-validate';
import { textArray } from '../../../toolkit/rows';
import { ANY_ID, type Sql } from './sql';

/**
 * Stage 2 of a chunk: each person's requests, assessments, plans and reviews
 * worked out in memory against what the matched children already hold, person by
 * person in file order, exactly as one-at-a-time writes would have gone.
 */

/** A row to insert, or the columns to set on a row held (later writes to the same row in a chunk merge). */
export type Pending<T> = T & { id: string; insert: boolean };

export interface RequestWrite {
  child_id?: string;
  received_date?: string;
  young_person: boolean;
  outcome: string;
  outcome_date: string | null;
  mediation: boolean;
  tribunal: boolean;
}
export interface AssessmentWrite {
  request_id?: string;
  child_id?: string;
  outcome: string;
  outcome_date: string | null;
  mediation: boolean;
  tribunal: boolean;
  week20exception: boolean;
}
export interface PlanWrite {
  child_id?: string;
  assessment_id?: string;
  issue_date: string;
  personal_budget: boolean;
  cease_date: string | null;
  cease_reason: string | null;
}
export interface ReviewWrite {
  plan_id?: string;
  due_date?: string;
  meeting_date?: string;
  outcome: string | null;
  decision_date: string | null;
}

/** A row held, as its update compares it: each column the update sets, dates as text. */
export type HeldRow = Record<string, string | boolean | null>;

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/**
 * Whether an update of a row held would change it, decided as its statement's `IS
 * DISTINCT FROM` decides (statements.ts): a row a return leaves as it was is not sent.
 * Any doubt (a row not read, a date written otherwise) sends it, and the statement decides.
 */
export const changes = {
  request: (w: RequestWrite, h: HeldRow | undefined) =>
    !h || !(same(w.outcome, h.outcome) && same(w.outcome_date, h.outcome_date) && same(w.mediation, h.mediation) && same(w.tribunal, h.tribunal) && same(w.young_person ? 'YOUNG_PERSON' : h.source, h.source)),
  assessment: (w: AssessmentWrite, h: HeldRow | undefined) =>
    !h || !(same(w.outcome, h.outcome) && same(w.outcome_date, h.outcome_date) && same(w.mediation, h.mediation) && same(w.tribunal, h.tribunal) && same(w.week20exception, h.week20exception)),
  plan: (w: PlanWrite, h: HeldRow | undefined) =>
    !h || !(same(w.issue_date, h.issue_date) && same(w.personal_budget, h.personal_budget) && same(w.cease_date, h.cease_date) && same(w.cease_reason, h.cease_reason)),
  review: (w: ReviewWrite, h: HeldRow | undefined) => !h || !(same(w.outcome, h.outcome) && same(w.decision_date, h.decision_date)),
};

/** What one chunk holds and will write. */
export class ChunkState {
  /** The requests, assessments, plans and reviews held, by id, as read (see `changes`). */
  readonly held = new Map<string, HeldRow>();
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
  /** The rank-1 need of each plan held that names one. */
  readonly firstNeedHeld = new Map<string, string>();
  /** Plans whose reviews' due dates the statements work out again (a review added or an issue date changed). */
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

/** The requests, assessments, plans and reviews the children hold. */
export async function loadLifeCycle(sql: Sql, state: ChunkState, childIds: string[]): Promise<void> {
  // Table by table, each looked up by the keys the one before gave: every statement an index lookup.
  // Each row with the columns its update sets (HeldRow), under the names the writes give them.
  const requests = await sql.all<{ id: string; child_id: string; received_date: string } & HeldRow>(
    `SELECT id, child_id, received_date::text AS received_date, outcome, outcome_date::text AS outcome_date, mediation, tribunal, source
     FROM ehcna_request WHERE child_id = ${ANY_ID} ORDER BY id`, [textArray(childIds)]);
  for (const r of requests) {
    state.requestByKey.set(`${r.child_id}|${r.received_date}`, r.id);
    state.held.set(r.id, r);
  }
  const assessments = requests.length
    ? await sql.all<{ id: string; request_id: string } & HeldRow>(
      `SELECT id, request_id, outcome, outcome_date::text AS outcome_date, mediation, tribunal, week20exception
       FROM ehc_needs_assessment WHERE request_id = ${ANY_ID} ORDER BY id`, [textArray(requests.map((r) => r.id))])
    : [];
  for (const a of assessments) {
    state.assessmentByRequest.set(a.request_id, a.id);
    state.held.set(a.id, a);
  }
  const plans = await sql.all<{ id: string; child_id: string; assessment_id: string | null; issue_date: string } & HeldRow>(
    `SELECT id, child_id, assessment_id, issue_date::text AS issue_date, personal_budget, cease_date::text AS cease_date, cease_reason
     FROM ehc_plan WHERE child_id = ${ANY_ID} OR assessment_id = ${ANY_ID} ORDER BY id`,
    [textArray(childIds), textArray(assessments.map((a) => a.id))],
  );
  const childIdSet = new Set(childIds);
  for (const e of plans) {
    if (e.assessment_id) state.planByAssessment.set(e.assessment_id, e.id);
    if (childIdSet.has(e.child_id)) list(state.plansOfChild, e.child_id).push({ id: e.id, issue: e.issue_date });
    state.held.set(e.id, e);
  }
  if (plans.length) {
    const planIds = textArray(plans.map((e) => e.id));
    const reviews = await sql.all<{ id: string; plan_id: string; meeting: string | null } & HeldRow>(
      `SELECT id, plan_id, meeting_date::text AS meeting, outcome, decision_date::text AS decision_date FROM annual_review WHERE plan_id = ${ANY_ID} ORDER BY id`, [planIds]);
    for (const v of reviews) {
      list(state.reviewsOfPlan, v.plan_id).push({ id: v.id, meeting: v.meeting });
      state.held.set(v.id, v);
    }
    const needs = await sql.all<{ plan_id: string; sen_type: string }>(`SELECT plan_id, sen_type FROM plan_sen_need WHERE plan_id = ${ANY_ID} AND rank = 1 ORDER BY id`, [planIds]);
    for (const n of needs) state.firstNeedHeld.set(n.plan_id, n.sen_type);
  }
}

/**
 * A child's primary need once the chunk is written, from its plans as the chunk
 * leaves them: a plan given a list of needs has that list; any other keeps its own.
 * A new child's goes in with its row; a child held is updated only where it changes.
 */
export function primaryNeedOf(state: ChunkState, childId: string): string | null {
  return primaryNeed(
    (state.plansOfChild.get(childId) ?? []).map((p) => {
      const held = state.firstNeedHeld.get(p.id);
      return { issue: p.issue, needs: state.needs.get(p.id) ?? (held === undefined ? undefined : [{ senType: held, rank: 1 }]) };
    }),
  );
}

/** One request of a person: created, or updated by its received date; then its assessment, plan and active plan. */
export function planRequest(state: ChunkState, childId: string, r: Sen2Request): void {
  const key = `${childId}|${r.receivedDate}`;
  let requestId = state.requestByKey.get(key);
  const values = { outcome: r.outcome, outcome_date: r.outcomeDate, mediation: r.mediation, tribunal: r.tribunal };
  if (requestId) {
    // An update names the source only when the return says young person; it never takes that back.
    const before = state.requests.get(requestId)?.young_person ?? false;
    pend<RequestWrite>(state.requests, requestId, { ...values, young_person: before || r.youngPerson });
  } else {
    requestId = timeOrderedId();
    state.requestByKey.set(key, requestId);
    state.requests.set(requestId, { id: requestId, insert: true, child_id: childId, received_date: r.receivedDate, young_person: r.youngPerson, ...values });
  }
  const a = r.assessment;
  if (!a) {
    if (r.activePlan) planActivePlan(state, childId, null, r.activePlan);
    return;
  }
  let assessmentId = state.assessmentByRequest.get(requestId);
  const aValues = { outcome: a.outcome, outcome_date: a.outcomeDate, mediation: a.mediation, tribunal: a.tribunal, week20exception: a.week20Exception };
  if (assessmentId) pend<AssessmentWrite>(state.assessments, assessmentId, aValues);
  else {
    assessmentId = timeOrderedId();
    state.assessmentByRequest.set(requestId, assessmentId);
    state.assessments.set(assessmentId, { id: assessmentId, insert: true, request_id: requestId, child_id: childId, ...aValues });
  }
  const plan = a.plan;
  if (!plan) {
    if (r.activePlan) planActivePlan(state, childId, null, r.activePlan);
    return;
  }
  let planId = state.planByAssessment.get(assessmentId);
  const pValues = { issue_date: plan.startDate, personal_budget: plan.personalBudget, cease_date: plan.ceaseDate, cease_reason: plan.ceaseReason };
  if (planId) {
    pend<PlanWrite>(state.plans, planId, pValues);
    for (const e of state.plansOfChild.get(childId) ?? []) if (e.id === planId) e.issue = plan.startDate;
    state.dueDatesToRecompute.add(planId);
  } else {
    planId = timeOrderedId();
    state.planByAssessment.set(assessmentId, planId);
    state.plans.set(planId, { id: planId, insert: true, child_id: childId, assessment_id: assessmentId, ...pValues });
    list(state.plansOfChild, childId).push({ id: planId, issue: plan.startDate });
  }
  if (!r.activePlan && plan.placements.length) state.placements.set(planId, plan.placements);
  if (r.activePlan) planActivePlan(state, childId, { id: planId, startDate: plan.startDate, placements: plan.placements }, r.activePlan);
}

/** Current placements, needs and the latest review: onto this request's plan, or else the child's latest plan held (none without one). */
function planActivePlan(state: ChunkState, childId: string, plan: { id: string; startDate: string; placements: Sen2Placement[] } | null, active: Sen2ActivePlan): void {
  if (!plan) {
    const latest = latestPlan(state.plansOfChild.get(childId) ?? []);
    if (!latest) return;
    plan = { id: latest.id, startDate: latest.issue, placements: [] };
  }
  const planId = plan.id;
  const placements = active.placements.length ? active.placements : plan.placements;
  if (placements.length) state.placements.set(planId, placements);
  if (active.needs.length) state.needs.set(planId, active.needs);
  const meeting = active.reviewMeeting;
  if (!meeting) return;
  const reviews = list(state.reviewsOfPlan, planId);
  const existing = reviews.find((v) => v.meeting === meeting);
  if (existing) {
    pend<ReviewWrite>(state.reviews, existing.id, { outcome: active.reviewOutcome, decision_date: active.lastReview });
    return;
  }
  const id = timeOrderedId();
  const dueDate = reviewDueDate(plan.startDate, meetingBefore(reviews.map((v) => v.meeting), meeting));
  reviews.push({ id, meeting });
  state.reviews.set(id, { id, insert: true, plan_id: planId, due_date: dueDate, meeting_date: meeting, outcome: active.reviewOutcome, decision_date: active.lastReview });
  state.dueDatesToRecompute.add(planId);
}

/**
 * The due dates of the reviews of plans this chunk creates, worked out again here
 * once all their reviews are known (a person's later request may add an earlier
 * meeting to the same plan), by the rule the statements apply to plans held. Such
 * a plan's reviews are all this chunk's, so none is left for the statements, which
 * would read every review of those plans back to find nothing to change.
 */
export function settleDueDatesOfNewPlans(state: ChunkState): void {
  for (const planId of state.dueDatesToRecompute) {
    const plan = state.plans.get(planId);
    if (!plan?.insert) continue;
    const reviews = state.reviewsOfPlan.get(planId) ?? [];
    const meetings = reviews.map((v) => v.meeting);
    for (const v of reviews) state.reviews.get(v.id)!.due_date = reviewDueDate(plan.issue_date, meetingBefore(meetings, v.meeting!));
    state.dueDatesToRecompute.delete(planId);
  }
}
