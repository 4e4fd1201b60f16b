/**
 * The statutory life cycle of one case, as the case system records it: the
 * request and its decision, the assessment with the advice asked for, the plan
 * with its needs and placements, its annual reviews, and the allocated workers
 * along the way. Nothing is dated after today.
 */
import { addDays, addMonths, daysBetween } from '../../dates';
import type { Random } from '../random';
import { CEASE_REASONS, FIRST_YEAR, NO_WORKER_TRIAL_START, SEN_TYPES, SOURCES, targetFor, type YearTarget } from './calibration';
import type { Case } from './cases';
import type { CaseworkHistory, HistoryAllocation, HistoryAssessment, HistoryCaseworker, HistoryChild, HistoryPlan, HistoryRequest, HistoryReview, HistoryTeam } from './rows';
import type { PlanAndReviewTeam, Staff } from './staff';

/** The rows a case adds to; the children, teams and caseworkers are drawn beforehand. */
export type LifeCycleRows = Omit<CaseworkHistory, 'children' | 'teams' | 'caseworkers'>;

/** One case being written: the random source, the case and its child, the day the history stops, the rows it adds to. */
interface CaseAt {
  rng: Random;
  c: Case;
  child: HistoryChild;
  today: string;
  rows: LifeCycleRows;
}

const clipTo = (today: string) => (d: string | null) => (d !== null && d <= today ? d : null);

/** An allocation to `team`: one of its `workers`, or none (null) by decision. */
function allocation(rng: Random, child: HistoryChild, team: HistoryTeam, workers: readonly HistoryCaseworker[] | null, startDate: string, endDate: string | null, decision?: Pick<HistoryAllocation, 'decidedBy' | 'reason' | 'nextReviewDate'>): HistoryAllocation {
  return {
    id: rng.uuid(),
    childId: child.id,
    teamId: team.id,
    caseworkerId: workers ? rng.pick(workers).id : null,
    startDate,
    endDate,
    decidedBy: decision?.decidedBy ?? null,
    reason: decision?.reason ?? null,
    nextReviewDate: decision?.nextReviewDate ?? null,
  };
}

function request({ rng, c, child }: CaseAt): HistoryRequest {
  return {
    id: rng.uuid(),
    childId: child.id,
    nhsNumber: child.nhsNumber,
    receivedDate: c.receivedDate,
    source: daysBetween(child.birthDate, c.receivedDate) > 16 * 365 && rng.chance(0.3) ? 'YOUNG_PERSON' : rng.weighted(SOURCES),
    outcome: 'A',
    outcomeDate: null,
    mediation: rng.chance(0.03),
    tribunal: rng.chance(0.02),
  };
}

/** The assessment, with EP, health and social care advice asked for soon after the decision and returned before the draft plan. */
function assessment({ rng, c, child, today }: CaseAt, t: YearTarget, requestId: string, decisionDate: string, draftDate: string | null): HistoryAssessment {
  const clip = clipTo(today);
  const askedDate = addDays(decisionDate, rng.int(0, 5));
  const returned = (within6: number, lateMax: number) => {
    let d = addDays(askedDate, rng.chance(within6) ? rng.int(20, 42) : rng.int(43, lateMax));
    if (draftDate && d >= draftDate) d = addDays(draftDate, -1);
    if (d < askedDate) d = askedDate;
    return clip(d);
  };
  const asked = clip(askedDate);
  const healthAsked = asked && rng.chance(0.92) ? asked : null;
  const socialAsked = asked && rng.chance(0.45) ? asked : null;
  return {
    id: rng.uuid(),
    requestId,
    childId: child.id,
    nhsNumber: child.nhsNumber,
    requestReceivedDate: c.receivedDate,
    outcome: 'A',
    outcomeDate: null,
    week20Exception: !!c.exception,
    exceptionReason: c.exception ? rng.weighted([['A', 20], ['B', 5], ['C', 60], ['D', 15]] as const) : null,
    epAdviceAskedDate: asked,
    epAdviceReturnedDate: asked ? returned(t.advice6, 150) : null,
    healthAdviceAskedDate: healthAsked,
    healthAdviceReturnedDate: healthAsked ? returned(0.6, 90) : null,
    socialCareAdviceAskedDate: socialAsked,
    socialCareAdviceReturnedDate: socialAsked ? returned(0.7, 80) : null,
  };
}

/** The plan issued on the case's date, with one or two needs and one or two placements; it ceases on the case's date if that has come. */
function plan({ rng, c, child, today, rows }: CaseAt, assessmentId: string, draftDate: string): HistoryPlan {
  const primary = rng.weighted(SEN_TYPES);
  child.primaryNeed = primary;
  const p: HistoryPlan = {
    id: rng.uuid(),
    childId: child.id,
    assessmentId,
    draftIssueDate: draftDate,
    issueDate: c.issueDate!,
    personalBudget: rng.chance(0.05),
    ceaseDate: c.ceaseDate ?? null,
    ceaseReason: c.ceaseDate ? rng.weighted(CEASE_REASONS) : null,
  };
  if (p.ceaseDate && p.ceaseDate <= p.issueDate) p.ceaseDate = addDays(p.issueDate, rng.int(30, 200));
  if (p.ceaseDate && p.ceaseDate > today) {
    p.ceaseDate = null;
    p.ceaseReason = null;
  }
  rows.plans.push(p);
  rows.senNeeds.push({ id: rng.uuid(), planId: p.id, senType: primary, rank: 1 });
  if (rng.chance(0.4)) {
    let second = rng.weighted(SEN_TYPES);
    if (second === primary) second = primary === 'SLCN' ? 'SEMH' : 'SLCN';
    rows.senNeeds.push({ id: rng.uuid(), planId: p.id, senType: second, rank: 2 });
  }
  const placementCount = rng.chance(0.05) ? 2 : 1;
  for (let rank = 1; rank <= placementCount; rank++) {
    const kind = rng.weighted([['URN', 88], ['UKPRN', 6], ['SETTING', 6]] as const);
    rows.placements.push({
      id: rng.uuid(),
      planId: p.id,
      rank,
      urn: kind === 'URN' ? String(rng.int(100000, 149999)) : null,
      ukprn: kind === 'UKPRN' ? String(rng.int(10000000, 10099999)) : null,
      senSetting: kind === 'SETTING' ? rng.weighted([['EHE', 30], ['OPA', 30], ['EYP', 15], ['NEET', 15], ['OTH', 10]] as const) : null,
      senUnit: kind === 'URN' && rng.chance(0.05),
      resourcedProvision: kind === 'URN' && rng.chance(0.05),
    });
  }
  return p;
}

/**
 * Annual reviews, due 12 months after the plan or the last meeting, until the
 * plan ceases or today; a missed review's meeting is late or never held.
 * Returns the outcome of the last review decided.
 */
function reviews({ rng, today, rows }: CaseAt, p: HistoryPlan): string | null {
  const clip = clipTo(today);
  let lastOutcome: string | null = null;
  let due = addMonths(p.issueDate, 12);
  const stop = p.ceaseDate ?? today;
  while (due <= stop && due <= today) {
    const rt = targetFor(Math.max(Number(due.slice(0, 4)), FIRST_YEAR));
    let meeting: string | null;
    if (rng.chance(rt.reviewMissed)) {
      const late = addDays(due, rng.int(40, 300));
      meeting = late <= stop && late <= today ? late : null;
    } else meeting = addDays(due, -rng.int(0, 40));
    const review: HistoryReview = { id: rng.uuid(), planId: p.id, dueDate: due, meetingDate: meeting, outcome: null, decisionDate: null };
    rows.reviews.push(review);
    if (!meeting) break;
    const decision = addDays(meeting, rng.chance(rt.review4) ? rng.int(5, 28) : rng.int(29, 90));
    review.decisionDate = clip(decision);
    if (review.decisionDate) review.outcome = rng.chance(0.7) ? 'M' : 'A';
    if (p.ceaseDate && review.decisionDate && addMonths(meeting, 12) > p.ceaseDate && p.ceaseReason === '2') review.outcome = 'C';
    lastOutcome = review.outcome;
    due = addMonths(meeting, 12);
  }
  return lastOutcome;
}

/**
 * A plan and review worker from the plan's issue; under the trial, some plans
 * whose last review maintained them have no allocated worker from its start.
 */
function planAndReviewAllocations({ rng, child, today, rows }: CaseAt, p: HistoryPlan, pr: PlanAndReviewTeam, lastOutcome: string | null): void {
  const planEnd = p.ceaseDate;
  const trialOn = NO_WORKER_TRIAL_START <= today && p.issueDate < NO_WORKER_TRIAL_START && (!planEnd || planEnd >= NO_WORKER_TRIAL_START);
  if (trialOn && lastOutcome === 'M' && rng.chance(0.35)) {
    rows.allocations.push(allocation(rng, child, pr.team, pr.workers, p.issueDate, addDays(NO_WORKER_TRIAL_START, -1)));
    rows.allocations.push(allocation(rng, child, pr.team, null, NO_WORKER_TRIAL_START, planEnd, {
      decidedBy: pr.manager,
      reason: 'Plan working well at the last annual review; no allocated worker under the plan and review trial.',
      nextReviewDate: addMonths(NO_WORKER_TRIAL_START, 6),
    }));
  } else {
    rows.allocations.push(allocation(rng, child, pr.team, pr.workers, p.issueDate, planEnd));
  }
}

/**
 * Adds the records of one case to `rows`. The random draws happen in the order
 * of the life cycle itself; reordering them changes every record drawn after,
 * and so the seeded figures.
 */
export function lifeCycle(rng: Random, c: Case, child: HistoryChild, staff: Staff, today: string, rows: LifeCycleRows): void {
  const at: CaseAt = { rng, c, child, today, rows };
  const t = targetFor(Math.max(Number(c.receivedDate.slice(0, 4)), FIRST_YEAR));
  const req = request(at);
  rows.requests.push(req);
  if (c.kind === 'PENDING_DECISION') return;

  let decisionDays = rng.chance(t.decision6) ? rng.int(21, 42) : rng.int(43, 100);
  if (c.kind === 'PLAN') decisionDays = Math.max(14, Math.min(decisionDays, daysBetween(c.receivedDate, c.issueDate!) - 50));
  const decisionDate = addDays(c.receivedDate, decisionDays);
  if (decisionDate > today) return; // still awaiting the decision
  req.outcomeDate = decisionDate;
  if (c.kind === 'NOT_ASSESSED' || c.kind === 'WITHDRAWN') {
    req.outcome = c.kind === 'NOT_ASSESSED' ? 'N' : 'W';
    return;
  }
  req.outcome = 'Y';

  const draftDate = c.kind === 'PLAN' ? addDays(c.issueDate!, -rng.int(15, 28)) : null;
  const a = assessment(at, t, req.id, decisionDate, draftDate);
  rows.assessments.push(a);

  const fa = staff.focusedAssessment;
  if (c.kind === 'NOT_ISSUED') {
    a.outcome = rng.chance(0.85) ? 'N' : 'W';
    a.outcomeDate = clipTo(today)(addDays(c.receivedDate, rng.int(100, 150)));
    if (!a.outcomeDate) a.outcome = 'A';
    return;
  }
  if (c.kind === 'PENDING_ASSESSMENT') {
    rows.allocations.push(allocation(rng, child, fa.team, fa.workers, decisionDate, null));
    return;
  }

  // A plan: focused assessment until it is issued, then plan and review.
  a.outcome = 'Y';
  a.outcomeDate = draftDate;
  const p = plan(at, a.id, draftDate!);
  const pr = staff.planAndReview(child.district);
  if (c.year >= FIRST_YEAR && daysBetween(decisionDate, p.issueDate) > 1) {
    rows.allocations.push(allocation(rng, child, fa.team, fa.workers, decisionDate, addDays(p.issueDate, -1)));
  }
  planAndReviewAllocations(at, p, pr, reviews(at, p));
}
