import type { MeasureDefinition } from '../../subgraphs/toolkit/measures/engine';
import { MeasureCatalogue } from '../../subgraphs/toolkit/measures/series';
import { ADVICE_DAYS, DECISION_DAYS, FINAL_PLAN_DAYS, REVIEW_DECISION_DAYS, REVIEW_MONTHS } from '../../subgraphs/casework/rules/timescales';

/**
 * The casework measures derived straight from the records on every call, each
 * measure reading its rows once and bucketing them by month: the reference the
 * maintained monthly figures (subgraphs/casework/measures/facts.ts) must equal.
 * Slow at 10x, but independent of the facts tables and their triggers, so tests
 * compare the shipped catalogue with it code by code, period by period, filter by
 * filter.
 */
const childMatches = (childId: string) => `(
    (CAST(:district AS text) IS NULL AND CAST(:primary_need AS text) IS NULL)
    OR ${childId} IN (SELECT c.id FROM child c
      WHERE (CAST(:district AS text) IS NULL OR c.district = CAST(:district AS text))
        AND (CAST(:primary_need AS text) IS NULL OR c.primary_need = CAST(:primary_need AS text))))`;

/** The same filters for a row that knows only its plan. */
const planMatches = (planId: string) => `(
    (CAST(:district AS text) IS NULL AND CAST(:primary_need AS text) IS NULL)
    OR ${planId} IN (SELECT e.id FROM ehc_plan e JOIN child c ON c.id = e.child_id
      WHERE (CAST(:district AS text) IS NULL OR c.district = CAST(:district AS text))
        AND (CAST(:primary_need AS text) IS NULL OR c.primary_need = CAST(:primary_need AS text))))`;

/** The first day of a date's month, by date arithmetic alone (cheaper than date_trunc's timestamps). */
const MONTH_OF = (day: string) => `((${day}) - (EXTRACT(DAY FROM (${day}))::int - 1))`;

/**
 * Events in the period: `rows` yields (day, num, den), one row per event on its day;
 * the measure is sum(num) / sum(den) over the events whose day falls in the period.
 */
const eventsInPeriod = (rows: string, count = false) => `WITH months AS MATERIALIZED (
        SELECT ${MONTH_OF('x.day')} AS month, sum(x.num) AS num, sum(x.den) AS den FROM (${rows}) x GROUP BY 1)
      SELECT coalesce(sum(m.num), 0) AS numerator, ${count ? 'NULL' : 'coalesce(sum(m.den), 0)'} AS denominator
      FROM months m WHERE m.month BETWEEN p.period_start AND p.period_end`;

/**
 * State on the last day of the period: `spans` yields half-open dateranges [from, to);
 * the measure counts those containing the period's last day, from +1/-1 events
 * bucketed by the month they happen in (an event counts for every period ending
 * in or after its month: the period's last day is its month's last day).
 */
const countAtPeriodEnd = (spans: string) => `WITH events AS MATERIALIZED (
        SELECT ${MONTH_OF('x.day')} AS month, sum(x.delta) AS delta
        FROM (SELECT CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END AS day, d.sign AS delta
              FROM (${spans}) s CROSS JOIN (VALUES (1), (-1)) d(sign)
              WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) x
        GROUP BY 1)
      SELECT coalesce(sum(ev.delta), 0) AS numerator, NULL AS denominator FROM events ev WHERE ev.month <= p.period_end`;

/** Each plan's days in force: from its issue date until (not including) its cease date. */
const planSpans = `SELECT e.id, e.child_id, e.issue_date, daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)') AS span
      FROM ehc_plan e WHERE ${childMatches('e.child_id')}`;

/** New plans: issued after an assessment the council made (not transferred in or historical), with weeks from request. */
const newPlans = (extra = '') => `SELECT e.issue_date AS day, (e.issue_date - r.received_date) AS days, a.week20exception AS exception
      FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE ${childMatches('e.child_id')} ${extra}`;

const definitions: MeasureDefinition[] = [
  {
    code: 'EHC_20WK_EXCL',
    name: 'EHC plans issued within 20 weeks, excluding exceptions',
    description: `Of the new EHC plans issued in the period (final plan issue date in the period; plans transferred in excluded) with no reg 10(4) exception, the percentage issued within 20 weeks: on or before day ${FINAL_PLAN_DAYS} after the request was received. DfE's headline measure.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod(`SELECT n.day, CASE WHEN n.days <= ${FINAL_PLAN_DAYS} THEN 1 ELSE 0 END AS num, 1 AS den FROM (${newPlans('AND NOT a.week20exception')}) n`),
  },
  {
    code: 'EHC_20WK_INCL',
    name: 'EHC plans issued within 20 weeks, including exceptions',
    description: `Of all new EHC plans issued in the period, including those with a reg 10(4) exception, the percentage issued on or before day ${FINAL_PLAN_DAYS} after the request was received.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod(`SELECT n.day, CASE WHEN n.days <= ${FINAL_PLAN_DAYS} THEN 1 ELSE 0 END AS num, 1 AS den FROM (${newPlans()}) n`),
  },
  {
    code: 'EHC_MEAN_WEEKS',
    name: 'Mean weeks from request to final EHC plan',
    description: 'Mean of (final plan issue date - request received date) / 7 over the new EHC plans issued in the period, exceptions included.',
    unit: 'WEEKS',
    kind: 'MEAN',
    sql: eventsInPeriod(`SELECT n.day, n.days / 7.0 AS num, 1 AS den FROM (${newPlans()}) n`),
  },
  {
    code: 'EHCNA_REQUESTS',
    name: 'Requests for EHC needs assessment received',
    description: 'Requests for an EHC needs assessment with a received date in the period, whatever their outcome.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: eventsInPeriod(`SELECT q.received_date AS day, 1 AS num, NULL::int AS den FROM ehcna_request q WHERE ${childMatches('q.child_id')}`, true),
  },
  {
    code: 'EHCNA_DECISION_6WK',
    name: 'Decisions whether to assess made within 6 weeks',
    description: `Of the decisions whether to assess (to assess or not to assess) made in the period, the percentage made within ${DECISION_DAYS} days of the request being received. Withdrawn and undecided requests are excluded.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod(`SELECT q.outcome_date AS day, CASE WHEN q.outcome_date - q.received_date <= ${DECISION_DAYS} THEN 1 ELSE 0 END AS num, 1 AS den
      FROM ehcna_request q WHERE q.outcome IN ('Y', 'N') AND q.outcome_date IS NOT NULL AND ${childMatches('q.child_id')}`),
  },
  {
    code: 'EP_ADVICE_6WK',
    name: 'Educational psychology advice returned within 6 weeks',
    description: `Of the educational psychology advice returned in the period for EHC needs assessments, the percentage returned within ${ADVICE_DAYS} days of being asked for.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod(`SELECT a.ep_advice_returned_date AS day, CASE WHEN a.ep_advice_returned_date - a.ep_advice_asked_date <= ${ADVICE_DAYS} THEN 1 ELSE 0 END AS num, 1 AS den
      FROM ehc_needs_assessment a WHERE a.ep_advice_asked_date IS NOT NULL AND a.ep_advice_returned_date IS NOT NULL AND ${childMatches('a.child_id')}`),
  },
  {
    code: 'AR_DECISION_4WK',
    name: 'Annual review decisions within 4 weeks of the meeting',
    description: `Of the decisions after an annual review meeting notified in the period, the percentage notified within ${REVIEW_DECISION_DAYS} days of the meeting.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod(`SELECT v.decision_date AS day, CASE WHEN v.decision_date - v.meeting_date <= ${REVIEW_DECISION_DAYS} THEN 1 ELSE 0 END AS num, 1 AS den
      FROM annual_review v WHERE v.meeting_date IS NOT NULL AND v.decision_date IS NOT NULL
        AND ${planMatches('v.plan_id')}`),
  },
  {
    code: 'AR_OVERDUE',
    name: 'EHC plans with an overdue annual review',
    description: `EHC plans in force on the last day of the period whose annual review was overdue that day: more than ${REVIEW_MONTHS} months had passed since the plan was issued or, if later, since its last review meeting held by that day.`,
    unit: 'COUNT',
    kind: 'COUNT',
    // Each review row closes a stretch that began at the plan's issue or the meeting before, and is due 12 months
    // after it (due_date, kept so by every write): overdue from the day after it is due until the meeting. After
    // the last meeting (or the issue) the plan is overdue from 12 months on. Intersected with the days in force.
    sql: countAtPeriodEnd(`SELECT daterange(g.due + 1, g.until, '[)') * pa.span AS span
        FROM (SELECT v.plan_id, v.due_date AS due, v.meeting_date AS until FROM annual_review v
              WHERE v.meeting_date > v.due_date + 1 AND ${planMatches('v.plan_id')}
              UNION ALL
              SELECT e.id, (COALESCE(l.last, e.issue_date) + interval '${REVIEW_MONTHS} months')::date, NULL FROM ehc_plan e
              LEFT JOIN (SELECT v.plan_id, max(v.meeting_date) AS last FROM annual_review v WHERE ${planMatches('v.plan_id')} GROUP BY v.plan_id) l ON l.plan_id = e.id
              WHERE ${childMatches('e.child_id')}) g
        JOIN (${planSpans}) pa ON pa.id = g.plan_id`),
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
    // Days in force minus the days the child had a caseworker (allocations merged per child, overlaps and all).
    sql: countAtPeriodEnd(`SELECT unnest(multirange(pa.span) - coalesce(cover.days, '{}'::datemultirange)) AS span
        FROM (${planSpans}) pa
        LEFT JOIN (SELECT w.child_id, range_agg(daterange(w.start_date, w.end_date, '[]')) AS days FROM worker_allocation w
                   WHERE w.caseworker_id IS NOT NULL AND (w.end_date IS NULL OR w.end_date >= w.start_date) AND ${childMatches('w.child_id')}
                   GROUP BY w.child_id) cover
          ON cover.child_id = pa.child_id`),
  },
];

export const referenceCatalogue = new MeasureCatalogue(definitions, ['district', 'primary_need']);
