import type { MeasureDefinition } from '../../toolkit/measures/engine';
import { MeasureCatalogue } from '../../toolkit/measures/series';
import { monthEndFor } from './month-ends';

/**
 * The ICB's measures, each one SELECT over the period `p` (see toolkit/measures/engine).
 * They say in SQL what rules/waiting.ts and rules/space.ts say in TypeScript; the
 * tests hold both to the same answers. Filters (named bindings, null = all):
 * :pathway narrows the referral measures that are not tied to one pathway;
 * :serviceId narrows every referral and SPACE measure to one service.
 */
const pathwayFilter = `(CAST(:pathway AS text) IS NULL OR r.pathway = CAST(:pathway AS text))`;
const referralServiceFilter = `(CAST(:serviceId AS uuid) IS NULL OR r.service_id = CAST(:serviceId AS uuid))`;
const cohortServiceFilter = `(CAST(:serviceId AS uuid) IS NULL OR c.service_id = CAST(:serviceId AS uuid))`;

/** The month-end row a period reads (measures/month-ends.ts): periods always end on a month end. */
const monthEnd = monthEndFor('p.period_end');
const snapshotPathwayFilter = `(CAST(:pathway AS text) IS NULL OR s.pathway = CAST(:pathway AS text))`;
const snapshotServiceFilter = `(CAST(:serviceId AS uuid) IS NULL OR s.service_id = CAST(:serviceId AS uuid))`;


/** A cohort's last planned session: weekly sessions from the start date. */
const cohortEnd = `(c.start_date + 7 * (c.planned_sessions - 1))`;
const cohortEndsInPeriod = `${cohortEnd} BETWEEN p.period_start AND p.period_end`;

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
    sql: `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (r.first_contact_date - r.received_date) / 7.0) * count(*) AS numerator, count(*) AS denominator FROM referral r
      WHERE r.first_contact_date BETWEEN p.period_start AND p.period_end AND ${pathwayFilter} AND ${referralServiceFilter}`,
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
    sql: `SELECT count(*) FILTER (WHERE h.returned_date - h.asked_date <= 42) AS numerator, count(*) AS denominator FROM health_advice_request h
      WHERE h.returned_date BETWEEN p.period_start AND p.period_end`,
  },
  {
    code: 'SPACE_FAMILIES_ENROLLED',
    name: 'Families enrolled in SPACE',
    description: 'Families enrolled in SPACE cohorts whose first session fell in the period. Filter: service.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT count(*) AS numerator, NULL AS denominator FROM space_enrolment e JOIN space_cohort c ON c.id = e.cohort_id
      WHERE c.start_date BETWEEN p.period_start AND p.period_end AND ${cohortServiceFilter}`,
  },
  {
    code: 'SPACE_COMPLETION_PCT',
    name: 'SPACE families completing the programme (%)',
    description: 'Of the families in SPACE cohorts whose last planned session (start date + 7 x (planned sessions - 1) days) fell in the period, the percentage that attended at least 75% of the planned sessions. Filter: service.',
    unit: 'PERCENT',
    kind: 'PERCENT',
    sql: `SELECT count(*) FILTER (WHERE 4 * (SELECT count(*) FROM space_attendance a WHERE a.enrolment_id = e.id AND a.attended) >= 3 * c.planned_sessions) AS numerator,
        count(*) AS denominator
      FROM space_enrolment e JOIN space_cohort c ON c.id = e.cohort_id
      WHERE ${cohortEndsInPeriod} AND ${cohortServiceFilter}`,
  },
  {
    code: 'SPACE_FASA_MEAN_CHANGE',
    name: 'SPACE: mean change in FASA score (after minus before)',
    description: 'Among families in SPACE cohorts whose last planned session fell in the period and who have both a before and an after FASA (Family Accommodation Scale - Anxiety, 0-36) score, the mean of after minus before. Negative is improvement. Filter: service.',
    unit: 'SCORE',
    kind: 'MEAN',
    sql: `SELECT sum(e.fasa_after - e.fasa_before) AS numerator, count(*) AS denominator
      FROM space_enrolment e JOIN space_cohort c ON c.id = e.cohort_id
      WHERE ${cohortEndsInPeriod} AND e.fasa_before IS NOT NULL AND e.fasa_after IS NOT NULL AND ${cohortServiceFilter}`,
  },
];

export const healthCatalogue = new MeasureCatalogue(definitions, ['pathway', 'serviceId']);

export const HEALTH_MEASURE_CODES = definitions.map((d) => d.code);
