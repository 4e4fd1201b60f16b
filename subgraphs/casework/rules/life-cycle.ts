/**
 * What may follow what in the statutory life cycle, in one pure module: the
 * mutations' checks (commands/) and the SEN2 import (import/sen2-write/) ask it.
 *
 *   request ── decision ──┬── ASSESS: assessment ──┬── advice asked ── advice returned
 *                         │                        ├── draft plan (the decision to issue) ── final plan
 *                         │                        └── ended without a plan (NOT_ISSUE_PLAN, WITHDRAWN)
 *                         └── NOT_ASSESS, WITHDRAWN: the request ends there
 *   final plan ── annual review meeting ── decision (CEASE ends the plan) ── next meeting ...
 *   allocations of a worker, one after another
 *
 * Each step's date must not precede the step before it: the `...Follows` functions
 * name that earlier step and its date (the messages quote the name). Dates are
 * 'YYYY-MM-DD' strings, compared as text.
 */
import { addDays, maxDate } from '../../toolkit/dates';
import { AssessmentOutcome, RequestOutcome, ReviewOutcome } from '../entities/enums';
import { reviewDueAfter } from './timescales';

/**
 * A step recorded earlier, whose date a later step must not precede (no date:
 * nothing to compare), or, with `after`, must come strictly after. The message
 * quotes `date` as `name`, so `date` is always the date the rule compares with.
 */
export interface EarlierStep {
  name: string;
  date: string | null | undefined;
  after?: boolean;
}

/* The request and the decision whether to assess. */

/** The outcomes that decide a request; NOT_YET_DECIDED and HISTORICAL are not decisions a caseworker records. */
export const DECISIONS: readonly RequestOutcome[] = [RequestOutcome.ASSESS, RequestOutcome.NOT_ASSESS, RequestOutcome.WITHDRAWN];

export function isDecision(outcome: RequestOutcome): boolean {
  return DECISIONS.includes(outcome);
}

/** A request follows the child's birth. */
export function requestFollows(child: { birthDate: string }): EarlierStep {
  return { name: 'the child\'s birth date', date: child.birthDate };
}

/** The decision follows the request. */
export function decisionFollows(request: { receivedDate: string }): EarlierStep {
  return { name: 'receivedDate', date: request.receivedDate };
}

/** Once an assessment is under way, the decision to assess can be recorded again but not taken back. */
export function decisionTakesBackAssessment(outcome: RequestOutcome, assessmentExists: boolean): boolean {
  return assessmentExists && outcome !== RequestOutcome.ASSESS;
}

/** A decision to assess opens an assessment, unless one is already open for the request. */
export function decisionOpensAssessment(outcome: RequestOutcome, assessmentExists: boolean): boolean {
  return outcome === RequestOutcome.ASSESS && !assessmentExists;
}

/* The assessment. */

/** Advice, a draft plan and a final plan need a decision to assess, with its date. */
export function decidedToAssess(request: { outcome: RequestOutcome; outcomeDate?: string | null }): boolean {
  return request.outcome === RequestOutcome.ASSESS && !!request.outcomeDate;
}

/** Advice asked for, a draft plan and an assessment's end follow the decision to assess. */
export function assessmentStepFollows(request: { outcomeDate?: string | null }): EarlierStep {
  return { name: 'the decision to assess', date: request.outcomeDate };
}

/** Advice returned follows the advice being asked for (and needs it: see adviceAsked). */
export function adviceReturnedFollows(askedDate: string | null | undefined): EarlierStep {
  return { name: 'the date the advice was asked for', date: askedDate };
}

/** The outcomes that end an assessment without a plan. */
export const ENDS_WITHOUT_PLAN: readonly AssessmentOutcome[] = [AssessmentOutcome.NOT_ISSUE_PLAN, AssessmentOutcome.WITHDRAWN];

/** How an assessment ended without a plan, in words; null while a plan may still follow. */
export function endedWithoutPlan(outcome: AssessmentOutcome): 'a decision not to issue a plan' | 'withdrawal' | null {
  if (outcome === AssessmentOutcome.NOT_ISSUE_PLAN) return 'a decision not to issue a plan';
  if (outcome === AssessmentOutcome.WITHDRAWN) return 'withdrawal';
  return null;
}

/* The plan. */

/** The family's time to comment on a draft plan before the final plan may be issued (reg 13(1)). */
export const DRAFT_COMMENT_DAYS = 15;

/**
 * The final plan follows the draft plan by at least the family's 15 days to
 * comment (reg 13(1)), or follows it at all when the family agreed to an earlier
 * issue; when no draft was recorded, it follows the decision to assess.
 */
export function finalPlanFollows(request: { outcomeDate?: string | null }, assessment: { draftPlanDate?: string | null }, familyAgreedEarly = false): EarlierStep {
  const draft = assessment.draftPlanDate;
  if (!draft) return assessmentStepFollows(request);
  if (familyAgreedEarly) return { name: 'the draft plan', date: draft };
  return { name: `the end of the family's ${DRAFT_COMMENT_DAYS} days to comment on the draft plan (reg 13(1); record familyAgreedEarlyDate if they agreed to an earlier issue)`, date: addDays(draft, DRAFT_COMMENT_DAYS) };
}

/** The family's agreement to an early issue comes after the draft plan was sent. */
export function familyAgreementFollows(assessment: { draftPlanDate?: string | null }): EarlierStep {
  return { name: 'the draft plan', date: assessment.draftPlanDate };
}

/** A plan is no longer in force from the day it ceased: nothing more is recorded on it from then. */
export function ceasedBy(plan: { ceaseDate?: string | null }, date: string): boolean {
  return !!plan.ceaseDate && date >= plan.ceaseDate;
}

/**
 * The plan that current details (placements, needs, the latest review) belong to
 * when a record names none: the child's latest plan, by issue date; null without one.
 */
export function latestPlan<P extends { issue: string }>(plans: readonly P[]): P | null {
  return plans.reduce<P | null>((best, p) => (!best || p.issue > best.issue ? p : best), null);
}

/**
 * A child's primary need: the rank-1 need of its latest plan that names one (none
 * if no plan does). Plans of one issue date: either may be taken, as in the SQL.
 */
export function primaryNeed(plans: ReadonlyArray<{ issue: string; needs: ReadonlyArray<{ senType: string; rank: number }> | undefined }>): string | null {
  const named = plans.flatMap((p) => {
    const first = p.needs?.find((n) => n.rank === 1);
    return first ? [{ issue: p.issue, need: first.senType }] : [];
  });
  return latestPlan(named)?.need ?? null;
}

/* Annual reviews. */

/** A review meeting comes after the plan's issue and after the last meeting held (strictly: the day after at the earliest). */
export function reviewMeetingFollows(plan: { issueDate: string }, meetingsHeld: ReadonlyArray<string | null | undefined>): EarlierStep {
  const last = meetingsHeld.reduce<string | null>((a, m) => (m && (!a || m > a) ? m : a), null);
  return last && last > plan.issueDate ? { name: 'the last review meeting', date: last, after: true } : { name: 'the plan\'s issue date', date: plan.issueDate, after: true };
}

/** A review row that stands for a due date with no meeting yet (one was missed): the next meeting completes it. */
export function reviewAwaitingMeeting<R extends { meetingDate?: string | null }>(reviewsByDueDate: readonly R[]): R | null {
  return reviewsByDueDate.find((r) => !r.meetingDate) ?? null;
}

/** The latest meeting held before `meeting` among a plan's meetings; null when it is the first. */
export function meetingBefore(meetings: ReadonlyArray<string | null | undefined>, meeting: string): string | null {
  return meetings.reduce<string | null>((last, m) => (m && m < meeting && (!last || m > last) ? m : last), null);
}

/** When a review held at a meeting was due: the review rule from the meeting before it, or the plan's issue if later. */
export function reviewDueDate(issueDate: string, previousMeeting: string | null): string {
  return reviewDueAfter(previousMeeting ? maxDate(previousMeeting, issueDate) : issueDate);
}

/** The decision after a review follows its meeting (and needs it). */
export function reviewDecisionFollows(review: { meetingDate?: string | null }): EarlierStep {
  return { name: 'the review meeting', date: review.meetingDate };
}

/** A cease reason goes with CEASE and only with it: what is wrong, or null. */
export function ceaseReasonProblem(outcome: ReviewOutcome, ceaseReason: unknown): 'required when the outcome is CEASE' | 'only with the outcome CEASE' | null {
  if (outcome === ReviewOutcome.CEASE && !ceaseReason) return 'required when the outcome is CEASE';
  if (outcome !== ReviewOutcome.CEASE && ceaseReason) return 'only with the outcome CEASE';
  return null;
}

/* Allocated workers. */

/** A new allocation starts after the current one did (which then ends the day before); any date when there is none. */
export function allocationFollows(current: { startDate: string } | null): EarlierStep | null {
  return current ? { name: 'the start of the current allocation', date: current.startDate, after: true } : null;
}

/** The last day of the allocation a new one replaces. */
export function allocationEndsBefore(startDate: string): string {
  return addDays(startDate, -1);
}
