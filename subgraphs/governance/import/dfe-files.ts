/**
 * The eight files of DfE's "Education, health and care plans" release that are
 * imported, and which columns of their whole-population rows become which
 * published figure. Recognised by their columns, whatever they are called.
 * The measure codes of the KPI files are the codes casework computes, so a KPI
 * finds its comparators by its own code; the others are published indicators
 * (breakdowns with no live measure), each with its topic and words.
 */

export type IndicatorTopic = 'ACTIVITY' | 'PLACEMENT_TYPE' | 'NEW_PLAN_PLACEMENT_TYPE' | 'PRIMARY_NEED' | 'CEASED_REASON' | 'MEDIATION' | 'TRIBUNAL';

export interface Metric {
  code: string;
  value: string;
  kind: 'COUNT' | 'PERCENT';
  numerator?: string;
  /** Columns summed for the denominator (when DfE publishes the parts, not the whole), or the total a count is part of. */
  denominator?: string[];
  /** For a published indicator (no live measure): its topic and what it counts. */
  topic?: IndicatorTopic;
  label?: string;
}

export interface FileSpec {
  /** The file's name in DfE's release. */
  name: string;
  /** Recognised by these columns, whatever the file is called. */
  required: string[];
  /** breakdown_topic of the rows that are the whole population (other breakdowns are skipped). */
  allRows: string | RegExp;
  /** caseload counts plans in January: 202425 is January 2025. */
  periodKind: 'CALENDAR' | 'ACADEMIC_JANUARY';
  metrics: Metric[];
}

/** A part of a whole, published as a count: the count, with the whole as its denominator. */
const partsOf = (total: string, topic: IndicatorTopic, prefix: string, parts: Array<[column: string, suffix: string, label: string]>): Metric[] =>
  parts.map(([column, suffix, label]) => ({ code: `${prefix}${suffix}`, value: column, kind: 'COUNT', denominator: [total], topic, label }));

/** Types of setting attended, as DfE groups them (caseload.csv for all plans, newplans.csv for new ones). */
const PLACEMENTS: Array<[string, string, string]> = [
  ['mainstream_total', 'MAINSTREAM', 'Mainstream schools'],
  ['special_total', 'SPECIAL', 'Special schools'],
  ['special_independent', 'SPECIAL_INDEPENDENT', 'Independent special schools (part of special schools)'],
  ['ap_pru_total', 'ALTERNATIVE_PROVISION', 'Alternative provision and pupil referral units'],
  ['fe_total', 'FURTHER_EDUCATION', 'Further education and post-16'],
  ['ed_elsewhere', 'EDUCATED_ELSEWHERE', 'Educated elsewhere (home education, other arrangements, NEET, other)'],
  ['elective_home_education', 'ELECTIVE_HOME_EDUCATION', 'Elective home education (part of educated elsewhere)'],
  ['nm_early_years', 'EARLY_YEARS', 'Non-maintained early years'],
  ['placement_unknown', 'NOT_RECORDED', 'Placement not recorded'],
];

const NEEDS: Array<[string, string, string]> = [
  ['number_asd', 'ASD', 'Autistic spectrum disorder'],
  ['number_slcn', 'SLCN', 'Speech, language and communication needs'],
  ['number_semh', 'SEMH', 'Social, emotional and mental health'],
  ['number_mld', 'MLD', 'Moderate learning difficulty'],
  ['number_sld', 'SLD', 'Severe learning difficulty'],
  ['number_pmld', 'PMLD', 'Profound and multiple learning difficulty'],
  ['number_spld', 'SPLD', 'Specific learning difficulty'],
  ['number_pd', 'PD', 'Physical disability'],
  ['number_hi', 'HI', 'Hearing impairment'],
  ['number_vi', 'VI', 'Visual impairment'],
  ['number_msi', 'MSI', 'Multisensory impairment'],
  ['number_oth', 'OTHER', 'Other difficulty or disability (includes Down syndrome)'],
  ['number_need_unknown', 'NOT_RECORDED', 'Primary need not recorded'],
];

/** DfE's data guidance describes `not_rec` as "other reasons" and `other` as "not recorded"; the labels follow the column names. */
const CEASED: Array<[string, string, string]> = [
  ['max_age', 'MAX_AGE', 'Maximum age reached'],
  ['needs_met', 'NEEDS_MET', 'Needs met without a plan'],
  ['transfer', 'TRANSFERRED', 'Transferred to another local authority'],
  ['moved_outside_eng', 'MOVED_OUTSIDE_ENGLAND', 'Moved outside England'],
  ['employ', 'EMPLOYMENT', 'Moved to paid employment'],
  ['he', 'HIGHER_EDUCATION', 'Moved to higher education'],
  ['no_engage', 'NO_LONGER_ENGAGING', 'Young person no longer wishes to engage in education or training'],
  ['deceased', 'DECEASED', 'Child or young person died'],
  ['other', 'OTHER', 'Other reasons'],
  ['not_rec', 'NOT_RECORDED', 'Reason not recorded'],
];

export const FILE_SPECS: FileSpec[] = [
  {
    name: 'timeliness_20_week.csv',
    required: ['plans_issued_den', 'plans_issued_den_ex', 'plans_issued_within_20_weeks', 'plans_issued_20_weeks_ex', 'pc_plans_issued_within_20_weeks', 'PC_plans_issued_20_weeks_ex'],
    allRows: 'All EHC plans issued',
    periodKind: 'CALENDAR',
    metrics: [
      { code: 'EHC_20WK_EXCL', value: 'PC_plans_issued_20_weeks_ex', kind: 'PERCENT', numerator: 'plans_issued_20_weeks_ex', denominator: ['plans_issued_den_ex'] },
      { code: 'EHC_20WK_INCL', value: 'pc_plans_issued_within_20_weeks', kind: 'PERCENT', numerator: 'plans_issued_within_20_weeks', denominator: ['plans_issued_den'] },
    ],
  },
  {
    name: 'requests.csv',
    required: ['requests_received_in_year', 'request_outcome_six_weeks', 'request_outcome_over_6_weeks', 'request_outcome_six_weeks_pc'],
    allRows: 'All requests for EHC needs assessments',
    periodKind: 'CALENDAR',
    metrics: [
      { code: 'EHCNA_REQUESTS', value: 'requests_received_in_year', kind: 'COUNT' },
      { code: 'EHCNA_DECISION_6WK', value: 'request_outcome_six_weeks_pc', kind: 'PERCENT', numerator: 'request_outcome_six_weeks', denominator: ['request_outcome_six_weeks', 'request_outcome_over_6_weeks'] },
      { code: 'REQUESTS_AGREED_TO_ASSESS_PCT', value: 'request_assess_pc', kind: 'PERCENT', numerator: 'requests_decided_to_assess', topic: 'ACTIVITY', label: 'Requests where the LA decided to assess (%)' },
      { code: 'REQUESTS_MEDIATION', value: 'mediation_related_request', kind: 'COUNT', denominator: ['requests_received_in_year'], topic: 'MEDIATION', label: 'Requests subject to mediation' },
      { code: 'REQUESTS_TRIBUNAL', value: 'tribunal_related_request', kind: 'COUNT', denominator: ['requests_received_in_year'], topic: 'TRIBUNAL', label: 'Requests subject to a tribunal' },
      { code: 'REQUESTS_TRIBUNAL_AFTER_MEDIATION', value: 'tribunal_after_mediation_request', kind: 'COUNT', denominator: ['requests_received_in_year'], topic: 'TRIBUNAL', label: 'Requests where a tribunal followed mediation' },
    ],
  },
  {
    name: 'caseload.csv',
    required: ['ehcplans'],
    allRows: 'All EHC plans',
    periodKind: 'ACADEMIC_JANUARY',
    metrics: [{ code: 'PLANS_ACTIVE', value: 'ehcplans', kind: 'COUNT' }, ...partsOf('ehcplans', 'PLACEMENT_TYPE', 'PLANS_PLACEMENT_', PLACEMENTS)],
  },
  {
    name: 'annual_reviews.csv',
    required: ['number_decsion_4weeks', 'number_decision_gt_4weeks', 'pc_decsion_4weeks'],
    allRows: 'All annual reviews',
    periodKind: 'CALENDAR',
    metrics: [{ code: 'AR_DECISION_4WK', value: 'pc_decsion_4weeks', kind: 'PERCENT', numerator: 'number_decsion_4weeks', denominator: ['number_decsion_4weeks', 'number_decision_gt_4weeks'] }],
  },
  {
    name: 'newplans.csv',
    required: ['new_ehc_plans', 'mainstream_total', 'special_total'],
    allRows: 'New EHC plans',
    periodKind: 'CALENDAR',
    metrics: [
      { code: 'PLANS_NEW', value: 'new_ehc_plans', kind: 'COUNT', topic: 'ACTIVITY', label: 'New EHC plans in the calendar year' },
      ...partsOf('new_ehc_plans', 'NEW_PLAN_PLACEMENT_TYPE', 'NEW_PLANS_PLACEMENT_', PLACEMENTS),
    ],
  },
  {
    name: 'sen_needs_all_plans.csv',
    required: ['ehc_plans', 'number_asd', 'number_semh', 'number_slcn', 'number_need_unknown'],
    allRows: 'All EHC plans',
    periodKind: 'ACADEMIC_JANUARY',
    metrics: partsOf('ehc_plans', 'PRIMARY_NEED', 'PLANS_NEED_', NEEDS),
  },
  {
    name: 'assessments.csv',
    required: ['assess_in_year', 'assess_issued', 'assess_not_issued', 'number_assess_mediation', 'number_assess_tribunal'],
    allRows: 'All EHC needs assessments',
    periodKind: 'CALENDAR',
    metrics: [
      { code: 'ASSESSMENTS', value: 'assess_in_year', kind: 'COUNT', topic: 'ACTIVITY', label: 'EHC needs assessments in the calendar year' },
      { code: 'ASSESSMENTS_PLAN_ISSUED_PCT', value: 'assess_issued_pc', kind: 'PERCENT', numerator: 'assess_issued', topic: 'ACTIVITY', label: 'Assessments where a plan was issued (% of those decided)' },
      { code: 'ASSESSMENTS_MEDIATION', value: 'number_assess_mediation', kind: 'COUNT', denominator: ['assess_in_year'], topic: 'MEDIATION', label: 'Mediations about the assessment decision' },
      { code: 'ASSESSMENTS_OTHER_MEDIATION', value: 'number_other_mediation', kind: 'COUNT', denominator: ['assess_in_year'], topic: 'MEDIATION', label: 'Mediations about the assessment for other reasons' },
      { code: 'ASSESSMENTS_TRIBUNAL', value: 'number_assess_tribunal', kind: 'COUNT', denominator: ['assess_in_year'], topic: 'TRIBUNAL', label: 'Tribunals about the assessment decision' },
      { code: 'ASSESSMENTS_TRIBUNAL_AFTER_MEDIATION', value: 'number_asssess_mediation_tribunal', kind: 'COUNT', denominator: ['assess_in_year'], topic: 'TRIBUNAL', label: 'Tribunals after mediation about the assessment decision' },
      { code: 'ASSESSMENTS_OTHER_TRIBUNAL', value: 'number_other_tribunal', kind: 'COUNT', denominator: ['assess_in_year'], topic: 'TRIBUNAL', label: 'Tribunals about the assessment for other reasons' },
      { code: 'ASSESSMENTS_OTHER_TRIBUNAL_AFTER_MEDIATION', value: 'number_other_mediation_tribunal', kind: 'COUNT', denominator: ['assess_in_year'], topic: 'TRIBUNAL', label: 'Tribunals after mediation about the assessment for other reasons' },
    ],
  },
  {
    // No copy of this file is in the reference folder: the columns are those of DfE's data guidance (reporting year 2025).
    name: 'ceased_plans.csv',
    required: ['total_ceased', 'max_age', 'needs_met', 'transfer'],
    allRows: /^All\b/i,
    periodKind: 'CALENDAR',
    metrics: [
      { code: 'PLANS_CEASED', value: 'total_ceased', kind: 'COUNT', topic: 'ACTIVITY', label: 'EHC plans ceased in the calendar year' },
      ...partsOf('total_ceased', 'CEASED_REASON', 'PLANS_CEASED_', CEASED),
    ],
  },
];

/** A published indicator (no live measure), as the `publishedIndicators` query describes it. */
export interface IndicatorDefinition {
  code: string;
  topic: IndicatorTopic;
  label: string;
  kind: 'COUNT' | 'PERCENT';
  sourceFile: string;
  periodKind: FileSpec['periodKind'];
}

export const INDICATORS: ReadonlyMap<string, IndicatorDefinition> = new Map(
  FILE_SPECS.flatMap((f) => f.metrics.filter((m) => m.topic).map((m): [string, IndicatorDefinition] => [m.code, { code: m.code, topic: m.topic!, label: m.label!, kind: m.kind, sourceFile: f.name, periodKind: f.periodKind }])),
);

/** The release a file belongs to: its latest figures' year, as DfE names releases (2024 flows and January 2025 counts are the 2025 release). */
export function releaseOf(spec: FileSpec, latestYear: number): number {
  return spec.periodKind === 'CALENDAR' ? latestYear + 1 : latestYear;
}
