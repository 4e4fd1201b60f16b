/**
 * The statutory timescales of the SEND Regulations 2014 and the SEND Code of
 * Practice, in one pure module. Dates are 'YYYY-MM-DD' strings; days are calendar
 * days. The measures' SQL uses the same constants (see measures/catalogue.ts), and
 * test/casework/timescales.test.ts pins the edge cases (leap years, day 140 exactly).
 */
import { addDays, addMonths, daysBetween } from '../../toolkit/dates';

/** Reg 5: decision whether to assess within 6 weeks of the request being received. */
export const DECISION_DAYS = 42;
/** Reg 8: advice to be returned within 6 weeks of being asked for. */
export const ADVICE_DAYS = 42;
/** Reg 13(2): final plan within 20 weeks of the request being received: on or before day 140. */
export const FINAL_PLAN_DAYS = 140;
/** Annual reviews at least every 12 months. */
export const REVIEW_MONTHS = 12;
/** Reg 20(10): the decision after a review meeting within 4 weeks of the meeting. */
export const REVIEW_DECISION_DAYS = 28;

/** Thrown when two dates are the wrong way round; names both fields. */
export class DateOrderError extends Error {
  constructor(
    readonly field: string,
    readonly earlierField: string,
    readonly value: string,
    readonly earlierValue: string,
  ) {
    super(`${field} (${value}) is before ${earlierField} (${earlierValue}).`);
    this.name = 'DateOrderError';
  }
}

function ordered(earlier: string, later: string, earlierField: string, laterField: string): number {
  const days = daysBetween(earlier, later);
  if (days < 0) throw new DateOrderError(laterField, earlierField, later, earlier);
  return days;
}

/** The last day on which the decision whether to assess is on time. */
export function decisionDueDate(receivedDate: string): string {
  return addDays(receivedDate, DECISION_DAYS);
}

/** Whether the decision was made within 6 weeks; null while there is no decision. */
export function decisionWithinSixWeeks(receivedDate: string, decisionDate: string | null | undefined): boolean | null {
  if (!decisionDate) return null;
  return ordered(receivedDate, decisionDate, 'receivedDate', 'decisionDate') <= DECISION_DAYS;
}

export function adviceDueDate(askedDate: string): string {
  return addDays(askedDate, ADVICE_DAYS);
}

/** Whether advice came back within 6 weeks of being asked; null while it has not. */
export function adviceWithinSixWeeks(askedDate: string, returnedDate: string | null | undefined): boolean | null {
  if (!returnedDate) return null;
  return ordered(askedDate, returnedDate, 'askedDate', 'returnedDate') <= ADVICE_DAYS;
}

/** The last day on which the final plan is within 20 weeks (day 140 after the request). */
export function finalPlanDueDate(receivedDate: string): string {
  return addDays(receivedDate, FINAL_PLAN_DAYS);
}

/**
 * Whether the final plan was issued within 20 weeks. With an exception under
 * reg 10(4) the limit does not apply: the answer is null (DfE's headline removes
 * such plans from numerator and denominator). Null too while no plan is issued.
 */
export function issuedWithinTwentyWeeks(receivedDate: string, issueDate: string | null | undefined, exception = false): boolean | null {
  if (!issueDate) return null;
  const days = ordered(receivedDate, issueDate, 'receivedDate', 'issueDate');
  if (exception) return null;
  return days <= FINAL_PLAN_DAYS;
}

/** Weeks from the request to the final plan, as DfE averages them (days / 7, not rounded). */
export function weeksToIssue(receivedDate: string, issueDate: string): number {
  return ordered(receivedDate, issueDate, 'receivedDate', 'issueDate') / 7;
}

/**
 * The annual-review rule itself: a review is due REVIEW_MONTHS after the plan was
 * issued or, once a meeting has been held, after the latest meeting before it
 * (29 Feb + 12 months is 28 Feb). Every due date, in code or SQL, comes from here.
 */
export function reviewDueAfter(issueOrMeeting: string): string {
  return addMonths(issueOrMeeting, REVIEW_MONTHS);
}

/**
 * The same rule over a SQL date expression. PostgreSQL's date + interval also falls
 * back to the month's last day, so SQL and code agree on 29 February.
 */
export function reviewDueAfterSql(dateExpression: string): string {
  return `(${dateExpression} + interval '${REVIEW_MONTHS} months')::date`;
}

/**
 * When the next annual review is due: 12 months after the plan was issued or, once
 * a review meeting has been held, after the latest meeting. Meetings before the
 * plan are an error.
 */
export function annualReviewDueDate(issueDate: string, meetingDates: ReadonlyArray<string | null | undefined> = []): string {
  let last = issueDate;
  for (const m of meetingDates) {
    if (!m) continue;
    ordered(issueDate, m, 'issueDate', 'meetingDate');
    if (m > last) last = m;
  }
  return reviewDueAfter(last);
}

/** True when the review due date has passed on `asOf` (a review held on the due date is on time). */
export function annualReviewOverdue(issueDate: string, meetingDates: ReadonlyArray<string | null | undefined>, asOf: string): boolean {
  return annualReviewDueDate(issueDate, meetingDates.filter((m) => !m || m <= asOf)) < asOf;
}

export function reviewDecisionDueDate(meetingDate: string): string {
  return addDays(meetingDate, REVIEW_DECISION_DAYS);
}

/** Whether the decision after a review meeting came within 4 weeks; null while there is none. */
export function reviewDecisionWithinFourWeeks(meetingDate: string, decisionDate: string | null | undefined): boolean | null {
  if (!decisionDate) return null;
  return ordered(meetingDate, decisionDate, 'meetingDate', 'decisionDate') <= REVIEW_DECISION_DAYS;
}

/**
 * Checks that dates recorded along a case run in order; returns every problem (empty
 * when all is well). Missing dates are skipped: a later step may not have happened.
 * Each pair is [field, value] in the order the steps must happen.
 */
export function dateOrderProblems(steps: ReadonlyArray<readonly [string, string | null | undefined]>): DateOrderError[] {
  const problems: DateOrderError[] = [];
  let previous: readonly [string, string] | null = null;
  for (const [field, value] of steps) {
    if (!value) continue;
    if (previous && value < previous[1]) problems.push(new DateOrderError(field, previous[0], value, previous[1]));
    else previous = [field, value];
  }
  return problems;
}
