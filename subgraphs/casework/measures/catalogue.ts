import type { MeasureDefinition } from '../../toolkit/measures/engine';
import { MeasureCatalogue } from '../../toolkit/measures/series';
import { ADVICE_DAYS, DECISION_DAYS, FINAL_PLAN_DAYS, REVIEW_DECISION_DAYS, REVIEW_MONTHS } from '../rules/timescales';

/**
 * The casework measures. Each is one SELECT per period (p.period_start..p.period_end,
 * inclusive); the engine runs every requested code for every period in ONE statement.
 * The day limits come from rules/timescales.ts so SQL and the pure rules agree.
 *
 * Filters (named bindings, null = all): :district (the child's district) and
 * :primary_need (the rank-1 need of the child's latest plan, child.primary_need).
 * When a filter is null, PostgreSQL folds the condition away and skips the join.
 */
const childMatches = (childId: string) => `(
    (CAST(:district AS text) IS NULL AND CAST(:primary_need AS text) IS NULL)
    OR EXISTS (SELECT 1 FROM child c WHERE c.id = ${childId}
      AND (CAST(:district AS text) IS NULL OR c.district = CAST(:district AS text))
      AND (CAST(:primary_need AS text) IS NULL OR c.primary_need = CAST(:primary_need AS text))))`;

/** New plans: issued after an assessment the council made (not transferred in or historical). */
const newPlans = `FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE e.issue_date BETWEEN p.period_start AND p.period_end AND ${childMatches('e.child_id')}`;

/** Plans in force on the last day of the period. */
const activeAtEnd = `e.issue_date <= p.period_end AND (e.cease_date IS NULL OR e.cease_date > p.period_end) AND ${childMatches('e.child_id')}`;

const definitions: MeasureDefinition[] = [
  {
    code: 'EHC_20WK_EXCL',
    name: 'EHC plans issued within 20 weeks, excluding exceptions',
    description: `Of the new EHC plans issued in the period (final plan issue date in the period; plans transferred in excluded) with no reg 10(4) exception, the percentage issued within 20 weeks: on or before day ${FINAL_PLAN_DAYS} after the request was received. DfE's headline measure.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT count(*) FILTER (WHERE e.issue_date - r.received_date <= ${FINAL_PLAN_DAYS}) AS numerator, count(*) AS denominator
      ${newPlans} AND NOT a.week20exception`,
  },
  {
    code: 'EHC_20WK_INCL',
    name: 'EHC plans issued within 20 weeks, including exceptions',
    description: `Of all new EHC plans issued in the period, including those with a reg 10(4) exception, the percentage issued on or before day ${FINAL_PLAN_DAYS} after the request was received.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT count(*) FILTER (WHERE e.issue_date - r.received_date <= ${FINAL_PLAN_DAYS}) AS numerator, count(*) AS denominator
      ${newPlans}`,
  },
  {
    code: 'EHC_MEAN_WEEKS',
    name: 'Mean weeks from request to final EHC plan',
    description: 'Mean of (final plan issue date - request received date) / 7 over the new EHC plans issued in the period, exceptions included.',
    unit: 'WEEKS',
    kind: 'MEAN',
    sql: `SELECT sum((e.issue_date - r.received_date) / 7.0) AS numerator, count(*) AS denominator
      ${newPlans}`,
  },
  {
    code: 'EHCNA_REQUESTS',
    name: 'Requests for EHC needs assessment received',
    description: 'Requests for an EHC needs assessment with a received date in the period, whatever their outcome.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT count(*) AS numerator, NULL AS denominator
      FROM ehcna_request q
      WHERE q.received_date BETWEEN p.period_start AND p.period_end AND ${childMatches('q.child_id')}`,
  },
  {
    code: 'EHCNA_DECISION_6WK',
    name: 'Decisions whether to assess made within 6 weeks',
    description: `Of the decisions whether to assess (to assess or not to assess) made in the period, the percentage made within ${DECISION_DAYS} days of the request being received. Withdrawn and undecided requests are excluded.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT count(*) FILTER (WHERE q.outcome_date - q.received_date <= ${DECISION_DAYS}) AS numerator, count(*) AS denominator
      FROM ehcna_request q
      WHERE q.outcome IN ('Y', 'N') AND q.outcome_date BETWEEN p.period_start AND p.period_end AND ${childMatches('q.child_id')}`,
  },
  {
    code: 'EP_ADVICE_6WK',
    name: 'Educational psychology advice returned within 6 weeks',
    description: `Of the educational psychology advice returned in the period for EHC needs assessments, the percentage returned within ${ADVICE_DAYS} days of being asked for.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT count(*) FILTER (WHERE a.ep_advice_returned_date - a.ep_advice_asked_date <= ${ADVICE_DAYS}) AS numerator, count(*) AS denominator
      FROM ehc_needs_assessment a
      WHERE a.ep_advice_asked_date IS NOT NULL AND a.ep_advice_returned_date BETWEEN p.period_start AND p.period_end AND ${childMatches('a.child_id')}`,
  },
  {
    code: 'AR_DECISION_4WK',
    name: 'Annual review decisions within 4 weeks of the meeting',
    description: `Of the decisions after an annual review meeting notified in the period, the percentage notified within ${REVIEW_DECISION_DAYS} days of the meeting.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT count(*) FILTER (WHERE v.decision_date - v.meeting_date <= ${REVIEW_DECISION_DAYS}) AS numerator, count(*) AS denominator
      FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
      WHERE v.meeting_date IS NOT NULL AND v.decision_date BETWEEN p.period_start AND p.period_end AND ${childMatches('e.child_id')}`,
  },
  {
    code: 'AR_OVERDUE',
    name: 'EHC plans with an overdue annual review',
    description: `EHC plans in force on the last day of the period whose annual review was overdue that day: more than ${REVIEW_MONTHS} months had passed since the plan was issued or, if later, since its last review meeting held by that day.`,
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT count(*) AS numerator, NULL AS denominator
      FROM ehc_plan e
      WHERE ${activeAtEnd}
        AND (e.issue_date + interval '${REVIEW_MONTHS} months')::date < p.period_end
        AND NOT EXISTS (SELECT 1 FROM annual_review v WHERE v.plan_id = e.id AND v.meeting_date <= p.period_end
          AND v.meeting_date >= (p.period_end - interval '${REVIEW_MONTHS + 1} months')::date
          AND (v.meeting_date + interval '${REVIEW_MONTHS} months')::date >= p.period_end)`,
  },
  {
    code: 'PLANS_ACTIVE',
    name: 'Active EHC plans',
    description: 'EHC plans issued on or before the last day of the period and not ceased by then.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT count(*) AS numerator, NULL AS denominator
      FROM ehc_plan e
      WHERE ${activeAtEnd}`,
  },
  {
    code: 'PLANS_NO_ALLOCATED_WORKER',
    name: 'Active EHC plans with no allocated worker',
    description: 'EHC plans in force on the last day of the period whose child had no allocated caseworker that day, whether by a recorded decision (a plan working well) or not.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT count(*) AS numerator, NULL AS denominator
      FROM ehc_plan e
      WHERE ${activeAtEnd}
        AND NOT EXISTS (SELECT 1 FROM worker_allocation w WHERE w.child_id = e.child_id AND w.caseworker_id IS NOT NULL
          AND w.start_date <= p.period_end AND (w.end_date IS NULL OR w.end_date >= p.period_end))`,
  },
];

export const caseworkCatalogue = new MeasureCatalogue(definitions, ['district', 'primary_need']);
