import type { MeasureDefinition } from '../../toolkit/measures/engine';
import { MeasureCatalogue } from '../../toolkit/measures/series';
import { ADVICE_DAYS, DECISION_DAYS, FINAL_PLAN_DAYS, REVIEW_DECISION_DAYS, REVIEW_MONTHS } from '../rules/timescales';

/**
 * The casework measures. The engine runs every requested code for every period in
 * ONE statement, each code as a LATERAL subquery per period (p.period_start ..
 * p.period_end, inclusive). The day limits come from rules/timescales.ts so SQL and
 * the pure rules agree.
 *
 * Speed at 10x Nottinghamshire's volume: the measures read casework_measure_month
 * (measures/facts.ts): each code's numerator and denominator per calendar month,
 * district and primary need, derived from the records by SQL and kept in step by
 * triggers in the same transaction as every write; and the same summed over the
 * whole area (casework_measure_month_area, migration 20261208000200), so a query
 * for the whole area reads one row a month whatever the volume. Each measure reads
 * its rows once (a MATERIALIZED CTE, evaluated once per statement even inside the
 * per-period LATERAL); each period then sums its months (event measures) or the
 * +1/-1 of the months up to its end (state measures). Exact because every
 * period the engine makes (month, quarter, year, financial year) starts on the 1st
 * and ends on the last day of a month.
 *
 * Filters (named bindings, null = all): :district (the child's district) and
 * :primary_need (the rank-1 need of the child's latest plan, child.primary_need);
 * the facts are held per district and primary need, so a filter is a WHERE.
 *
 * Figures are cached under casework_data_version, which triggers on
 * casework_measure_month and casework_measure_month_area bump as each write
 * commits (toolkit/measures/figure-cache.ts): a measure that reads another table needs that trigger on it too (a migration), and
 * none may read the clock (such a definition is never cached).
 */
const district = 'CAST(:district AS text)';
const primaryNeed = 'CAST(:primary_need AS text)';

/**
 * The code's sums by month, read once per statement: for the whole area from its
 * own totals (one row a month), filtered from the totals per district and primary
 * need. The filters are bound values, so the planner drops the branch that does
 * not apply before it runs anything.
 */
const monthly = (code: string) => `WITH months AS MATERIALIZED (
        SELECT a.month, a.num, a.den FROM casework_measure_month_area a
        WHERE ${district} IS NULL AND ${primaryNeed} IS NULL AND a.code = '${code}'
        UNION ALL
        SELECT t.month, sum(t.num), sum(t.den) FROM casework_measure_month t
        WHERE (${district} IS NOT NULL OR ${primaryNeed} IS NOT NULL) AND t.code = '${code}'
          AND (${district} IS NULL OR t.district = ${district}) AND (${primaryNeed} IS NULL OR t.primary_need = ${primaryNeed})
        GROUP BY t.month)`;

/** Events in the period: sum(num) / sum(den) over the months the period covers (a count has no denominator). */
const eventsInPeriod = (code: string, count = false) => `${monthly(code)}
      SELECT coalesce(sum(m.num), 0) AS numerator, ${count ? 'NULL' : 'coalesce(sum(m.den), 0)'} AS denominator
      FROM months m WHERE m.month BETWEEN p.period_start AND p.period_end`;

/**
 * State on the last day of the period: the +1/-1 of stretches starting and ending
 * in every month up to the period's end (an event counts for every period ending in
 * or after its month: the period's last day is its month's last day).
 */
const countAtPeriodEnd = (code: string) => `${monthly(code)}
      SELECT coalesce(sum(m.num), 0) AS numerator, NULL AS denominator FROM months m WHERE m.month <= p.period_end`;

const definitions: MeasureDefinition[] = [
  {
    code: 'EHC_20WK_EXCL',
    name: 'EHC plans issued within 20 weeks, excluding exceptions',
    description: `Of the new EHC plans issued in the period (final plan issue date in the period; plans transferred in excluded) with no reg 10(4) exception, the percentage issued within 20 weeks: on or before day ${FINAL_PLAN_DAYS} after the request was received. DfE's headline measure.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod('EHC_20WK_EXCL'),
  },
  {
    code: 'EHC_20WK_INCL',
    name: 'EHC plans issued within 20 weeks, including exceptions',
    description: `Of all new EHC plans issued in the period, including those with a reg 10(4) exception, the percentage issued on or before day ${FINAL_PLAN_DAYS} after the request was received.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod('EHC_20WK_INCL'),
  },
  {
    code: 'EHC_MEAN_WEEKS',
    name: 'Mean weeks from request to final EHC plan',
    description: 'Mean of (final plan issue date - request received date) / 7 over the new EHC plans issued in the period, exceptions included.',
    unit: 'WEEKS',
    kind: 'MEAN',
    sql: eventsInPeriod('EHC_MEAN_WEEKS'),
  },
  {
    code: 'EHCNA_REQUESTS',
    name: 'Requests for EHC needs assessment received',
    description: 'Requests for an EHC needs assessment with a received date in the period, whatever their outcome.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: eventsInPeriod('EHCNA_REQUESTS', true),
  },
  {
    code: 'EHCNA_DECISION_6WK',
    name: 'Decisions whether to assess made within 6 weeks',
    description: `Of the decisions whether to assess (to assess or not to assess) made in the period, the percentage made within ${DECISION_DAYS} days of the request being received. Withdrawn and undecided requests are excluded.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod('EHCNA_DECISION_6WK'),
  },
  {
    code: 'EP_ADVICE_6WK',
    name: 'Educational psychology advice returned within 6 weeks',
    description: `Of the educational psychology advice returned in the period for EHC needs assessments, the percentage returned within ${ADVICE_DAYS} days of being asked for.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod('EP_ADVICE_6WK'),
  },
  {
    code: 'AR_DECISION_4WK',
    name: 'Annual review decisions within 4 weeks of the meeting',
    description: `Of the decisions after an annual review meeting notified in the period, the percentage notified within ${REVIEW_DECISION_DAYS} days of the meeting.`,
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: eventsInPeriod('AR_DECISION_4WK'),
  },
  {
    code: 'AR_OVERDUE',
    name: 'EHC plans with an overdue annual review',
    description: `EHC plans in force on the last day of the period whose annual review was overdue that day: more than ${REVIEW_MONTHS} months had passed since the plan was issued or, if later, since its last review meeting held by that day.`,
    unit: 'COUNT',
    kind: 'COUNT',
    sql: countAtPeriodEnd('AR_OVERDUE'),
  },
  {
    code: 'PLANS_ACTIVE',
    name: 'Active EHC plans',
    description: 'EHC plans issued on or before the last day of the period and not ceased by then.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: countAtPeriodEnd('PLANS_ACTIVE'),
  },
  {
    code: 'PLANS_NO_ALLOCATED_WORKER',
    name: 'Active EHC plans with no allocated worker',
    description: 'EHC plans in force on the last day of the period whose child had no allocated caseworker that day, whether by a recorded decision (a plan working well) or not.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: countAtPeriodEnd('PLANS_NO_ALLOCATED_WORKER'),
  },
];

export const caseworkCatalogue = new MeasureCatalogue(definitions, ['district', 'primary_need'], 'casework_data_version');
