import type { MeasureDefinition } from '../../toolkit/measures/engine';
import { MeasureCatalogue } from '../../toolkit/measures/series';
import { monthEndFor } from './month-ends';

/**
 * The ICB's measures, each one SELECT over the period `p` (see toolkit/measures/engine).
 * They say in SQL what rules/waiting.ts and rules/space.ts say in TypeScript; the
 * tests hold both to the same answers. Filters (named bindings, null = all):
 * :pathway narrows the referral measures that are not tied to one pathway;
 * :serviceId narrows every referral and SPACE measure to one service.
 *
 * Figures are cached under health_data_version, which triggers on every table
 * these read bump as each write commits (migrations/Migration20261207000401_health_data_version.ts,
 * toolkit/measures/figure-cache.ts): a measure that reads another table needs that
 * trigger on it too, and none may read the clock (such a definition is never cached).
 */

/** The month-end row a period reads (measures/month-ends.ts): periods always end on a month end. */
const monthEnd = monthEndFor('p.period_end');
const snapshotPathwayFilter = `(CAST(:pathway AS text) IS NULL OR s.pathway = CAST(:pathway AS text))`;
const snapshotServiceFilter = `(CAST(:serviceId AS uuid) IS NULL OR s.service_id = CAST(:serviceId AS uuid))`;

/**
 * The month tables (migrations/Migration20261205000200_health_measure_months.ts) hold
 * each month's figures, kept in step by triggers; a period is a run of whole months.
 */
const monthsInPeriod = (alias: string) => `${alias}.month BETWEEN p.period_start AND p.period_end`;

/**
 * The median of weeks to first contact, from the month distributions (see the
 * migration's health_first_contact_median): the same figure percentile_cont(0.5)
 * over every referral's days / 7.0 gives, bit for bit, with a binary search per
 * month whatever the volume.
 */
const firstContactMedian = `SELECT m.numerator, m.denominator FROM health_first_contact_median(p.period_start, p.period_end, CAST(:pathway AS text), CAST(:serviceId AS uuid)) m`;

const definitions: MeasureDefinition[] = [
  {
    code: 'WAITING_COUNT',
    name: 'Children\'s health referrals waiting',
    description: 'Referrals waiting on the last day of the period: received on or before it, with no first care contact and no discharge on or before it. Filters: pathway, service.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT COALESCE(sum(s.waiting), 0) AS numerator, NULL AS denominator FROM health_month_end_service s
      WHERE s.month_end = ${monthEnd} AND ${snapshotPathwayFilter} AND ${snapshotServiceFilter}`,
  },
  {
    code: 'WAITING_OVER_18WK_PCT',
    name: 'Referrals waiting over 18 weeks (%)',
    description: 'Of the referrals waiting on the last day of the period, the percentage that had waited more than 18 weeks (more than 126 days since the referral was received). Filters: pathway, service.',
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT COALESCE(sum(s.waiting_over_18_weeks), 0) AS numerator, COALESCE(sum(s.waiting), 0) AS denominator FROM health_month_end_service s
      WHERE s.month_end = ${monthEnd} AND ${snapshotPathwayFilter} AND ${snapshotServiceFilter}`,
  },
  {
    code: 'COMMUNITY_WAITING_OVER_18WK_PCT',
    name: 'Community health services: referrals waiting over 18 weeks (%)',
    description: 'As WAITING_OVER_18WK_PCT, for the community health services that report against 18 weeks: speech and language therapy, occupational therapy, physiotherapy and community paediatrics. Filter: service.',
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT COALESCE(sum(s.waiting_over_18_weeks), 0) AS numerator, COALESCE(sum(s.waiting), 0) AS denominator FROM health_month_end_service s
      WHERE s.month_end = ${monthEnd} AND s.pathway IN ('SALT', 'OT', 'PHYSIOTHERAPY', 'COMMUNITY_PAEDIATRICS') AND ${snapshotServiceFilter}`,
  },
  {
    code: 'ND_WAITING_OVER_13WK_PCT',
    name: 'Neurodevelopmental (autism/ADHD) assessment referrals waiting over 13 weeks (%)',
    description: 'Of the neurodevelopmental referrals waiting on the last day of the period, the percentage that had waited more than 13 weeks (more than 91 days), as the DfE local area dashboard counts autism assessment waits. Always the NEURODEVELOPMENTAL pathway; filter: service.',
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT COALESCE(sum(s.waiting_over_13_weeks), 0) AS numerator, COALESCE(sum(s.waiting), 0) AS denominator FROM health_month_end_service s
      WHERE s.month_end = ${monthEnd} AND s.pathway = 'NEURODEVELOPMENTAL' AND ${snapshotServiceFilter}`,
  },
  {
    code: 'FIRST_CONTACT_MEDIAN_WEEKS',
    name: 'Median weeks from referral to first contact',
    description: 'For referrals whose first care contact fell in the period, the median of weeks from referral received to first contact (days / 7; the mean of the middle two for an even count). Denominator: the number of such referrals (the numerator is median x denominator). Filters: pathway, service.',
    unit: 'WEEKS',
    kind: 'MEAN',
    sql: firstContactMedian,
  },
  {
    code: 'CYP_MH_ACCESS',
    name: 'Children and young people accessing mental health services (rolling 12 months)',
    description: 'Distinct children with at least one CAMHS care contact (first or second contact) in the 12 months ending on the last day of the period, after NHS England\'s MHS95. Always the CAMHS pathway; filter: service.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT CASE WHEN CAST(:serviceId AS uuid) IS NULL
        THEN COALESCE((SELECT h.camhs_children FROM health_month_end h WHERE h.month_end = ${monthEnd}), 0)
        ELSE COALESCE((SELECT sum(s.camhs_children) FROM health_month_end_service s WHERE s.month_end = ${monthEnd} AND s.service_id = CAST(:serviceId AS uuid)), 0)
      END AS numerator, NULL AS denominator`,
  },
  {
    code: 'HEALTH_ADVICE_6WK_PCT',
    name: 'Health advice for EHC needs assessments returned within 6 weeks (%)',
    description: 'Of the health advice returned to the council in the period, the percentage returned within 6 weeks (42 days) of being asked for (SEND Regulations 2014, reg 8). Not filtered by pathway or service.',
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT COALESCE(sum(a.returned_within_6_weeks), 0) AS numerator, COALESCE(sum(a.returned), 0) AS denominator FROM health_advice_month a
      WHERE ${monthsInPeriod('a')}`,
  },
  {
    code: 'SPACE_FAMILIES_ENROLLED',
    name: 'Families enrolled in SPACE',
    description: 'Families enrolled in SPACE cohorts whose first session fell in the period. Filter: service.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT COALESCE(sum(s.families_enrolled), 0) AS numerator, NULL AS denominator FROM health_space_month s
      WHERE ${monthsInPeriod('s')} AND ${snapshotServiceFilter}`,
  },
  {
    code: 'SPACE_COMPLETION_PCT',
    name: 'SPACE families completing the programme (%)',
    description: 'Of the families in SPACE cohorts whose last planned session (start date + 7 x (planned sessions - 1) days) fell in the period, the percentage that attended at least 75% of the planned sessions. Filter: service.',
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT COALESCE(sum(s.families_completing), 0) AS numerator, COALESCE(sum(s.families_finishing), 0) AS denominator FROM health_space_month s
      WHERE ${monthsInPeriod('s')} AND ${snapshotServiceFilter}`,
  },
  {
    code: 'SPACE_FASA_MEAN_CHANGE',
    name: 'SPACE: mean change in FASA score (after minus before)',
    description: 'Among families in SPACE cohorts whose last planned session fell in the period and who have both a before and an after FASA (Family Accommodation Scale - Anxiety, 0-36) score, the mean of after minus before. Negative is improvement. Filter: service.',
    unit: 'SCORE',
    kind: 'MEAN',
    // No family with both scores: no sum (null), as a sum over no rows is.
    sql: `SELECT CASE WHEN sum(s.fasa_families) > 0 THEN sum(s.fasa_change) END AS numerator, COALESCE(sum(s.fasa_families), 0) AS denominator FROM health_space_month s
      WHERE ${monthsInPeriod('s')} AND ${snapshotServiceFilter}`,
  },
];

export const healthCatalogue = new MeasureCatalogue(definitions, ['pathway', 'serviceId'], 'health_data_version');

export const HEALTH_MEASURE_CODES = definitions.map((d) => d.code);
