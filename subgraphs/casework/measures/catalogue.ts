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

/**
 * Counts, at the last day of each period, the spans (half-open dateranges [from, to))
 * that contain it. Rather than re-scan every plan for every period, the spans are
 * turned ONCE into +1/-1 events bucketed by month end (MATERIALIZED CTEs, which
 * PostgreSQL evaluates once per statement even inside the per-period LATERAL), and
 * each period sums the buckets up to its end: cost O(rows + periods x months).
 * Exact because every period (month, quarter, year, financial year) ends on the
 * last day of a month.
 */
const countAtPeriodEnd = (spans: string) => `WITH spans AS MATERIALIZED (${spans}),
      events AS MATERIALIZED (
        SELECT (date_trunc('month', x.day::timestamp) + interval '1 month - 1 day')::date AS month_end, sum(x.delta) AS delta
        FROM (SELECT lower(s.span) AS day, 1 AS delta FROM spans s WHERE NOT isempty(s.span)
              UNION ALL SELECT upper(s.span), -1 FROM spans s WHERE NOT isempty(s.span) AND NOT upper_inf(s.span)) x
        GROUP BY 1)
      SELECT coalesce(sum(ev.delta), 0) AS numerator, NULL AS denominator FROM events ev WHERE ev.month_end <= p.period_end`;

/** Each plan's days in force: from its issue date until (not including) its cease date. */
const planSpans = `SELECT e.id, e.child_id, e.issue_date, daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)') AS span
      FROM ehc_plan e WHERE ${childMatches('e.child_id')}`;

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
      FROM annual_review v
      WHERE v.meeting_date IS NOT NULL AND v.decision_date BETWEEN p.period_start AND p.period_end
        AND ${childMatches('(SELECT e.child_id FROM ehc_plan e WHERE e.id = v.plan_id)')}`,
  },
  {
    code: 'AR_OVERDUE',
    name: 'EHC plans with an overdue annual review',
    description: `EHC plans in force on the last day of the period whose annual review was overdue that day: more than ${REVIEW_MONTHS} months had passed since the plan was issued or, if later, since its last review meeting held by that day.`,
    unit: 'COUNT',
    kind: 'COUNT',
    // Each stretch from the plan's issue or a review meeting (s) to the next meeting is overdue from the day
    // after s + 12 months until that next meeting; intersected with the plan's days in force.
    sql: countAtPeriodEnd(`SELECT CASE WHEN st.next_meeting IS NULL OR st.next_meeting > st.due + 1
                 THEN daterange(st.due + 1, st.next_meeting, '[)') * st.span ELSE 'empty'::daterange END AS span
        FROM (SELECT pa.span, (x.s + interval '${REVIEW_MONTHS} months')::date AS due, lead(x.s) OVER (PARTITION BY pa.id ORDER BY x.s) AS next_meeting
              FROM (${planSpans}) pa
              JOIN (SELECT e.id AS plan_id, e.issue_date AS s FROM ehc_plan e
                    UNION SELECT v.plan_id, v.meeting_date FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id WHERE v.meeting_date > e.issue_date) x
                ON x.plan_id = pa.id) st`),
  },
  {
    code: 'PLANS_ACTIVE',
    name: 'Active EHC plans',
    description: 'EHC plans issued on or before the last day of the period and not ceased by then.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: countAtPeriodEnd(`SELECT span FROM (${planSpans}) pa`),
  },
  {
    code: 'PLANS_NO_ALLOCATED_WORKER',
    name: 'Active EHC plans with no allocated worker',
    description: 'EHC plans in force on the last day of the period whose child had no allocated caseworker that day, whether by a recorded decision (a plan working well) or not.',
    unit: 'COUNT',
    kind: 'COUNT',
    // Days in force minus days the child had a caseworker (allocations merged per child, overlaps and all).
    sql: countAtPeriodEnd(`SELECT unnest(multirange(pa.span) - coalesce(cover.days, '{}'::datemultirange)) AS span
        FROM (${planSpans}) pa
        LEFT JOIN (SELECT w.child_id, range_agg(daterange(w.start_date, w.end_date, '[]')) AS days FROM worker_allocation w
                   WHERE w.caseworker_id IS NOT NULL AND (w.end_date IS NULL OR w.end_date >= w.start_date) GROUP BY w.child_id) cover
          ON cover.child_id = pa.child_id`),
  },
];

export const caseworkCatalogue = new MeasureCatalogue(definitions, ['district', 'primary_need']);
