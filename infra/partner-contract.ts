/**
 * The partner contract, declared once: what partner apps may see of the API.
 * `npm run compose` hides everything else from the partner supergraph
 * (schema/partner-supergraph.graphql, which the gateway serves at /partner/graphql)
 * and writes its client-facing schema to schema/partner.graphql.
 *
 * It fails closed: a query or an object type not named here is not in the
 * contract, whatever the subgraphs add later. Partner apps see aggregates and
 * governance only: no person-level type (children, referrals, requests,
 * assessments, plans, enrolments, caseworkers, audit events) and no person's name.
 */
export interface ContractDeclaration {
  /** The contract's name, used in the files and messages. */
  name: string;
  /** The Query fields it offers. */
  queries: readonly string[];
  /**
   * The object types it may return. A connection or edge of a listed type
   * (`<Type>Connection`, `<Type>Edge`) follows its type.
   */
  types: readonly string[];
  /** Fields of those types left out, as schema coordinates: the names of people. */
  withheldFields: readonly string[];
}

export const PARTNER_CONTRACT: ContractDeclaration = {
  name: 'partner',
  queries: [
    // Governance: published items only, as the subgraph filters them for partner_app.
    'governanceBodies',
    'meetings',
    'meeting',
    'papAreas',
    'priorityActions',
    'priorityAction',
    'kpis',
    'escalations',
    'reviews',
    'familyFeedback',
    'publishedComparators',
    'assuranceDashboard',
    // Aggregates, suppressed for partner_app by the subgraph that computes them.
    'caseworkMeasures',
    'healthMeasures',
    'healthServices',
    'waitingList',
    'spaceCohorts',
  ],
  types: [
    'ActionArising',
    'ActionAssessment',
    'ActionSummary',
    'AreaProgress',
    'AssuranceDashboard',
    'Attendance',
    'CaseworkMeasure',
    'Escalation',
    'FamilyFeedback',
    'GovernanceBody',
    'HealthMeasure',
    'HealthService',
    'Kpi',
    'KpiCard',
    'KpiReading',
    'MeasurePoint',
    'MeasureSeries',
    'Meeting',
    'Milestone',
    'PageInfo',
    'PapArea',
    'PartnerBriefing',
    'PriorityAction',
    'ProgressUpdate',
    'PublishedComparator',
    'Review',
    'ReviewFinding',
    'SpaceCohort',
    'SpaceCohortOutcomes',
    'StatusCount',
    'ThemeCount',
    'TrajectoryPoint',
    'WaitingList',
    'WaitingListBand',
  ],
  withheldFields: [
    'ActionArising.owner',
    'Escalation.raisedBy',
    'GovernanceBody.chair',
    'ProgressUpdate.recordedBy',
    'Review.conductedBy',
  ],
};

/** Names no partner schema may contain: the guard the tests apply to schema/partner.graphql. */
export const PERSON_LEVEL_TYPES = [
  'Child',
  'Referral',
  'EhcnaRequest',
  'EhcNeedsAssessment',
  'EhcPlan',
  'AnnualReview',
  'HealthAdvice',
  'PlanPlacement',
  'SenNeed',
  'SpaceEnrolment',
  'SpaceAttendance',
  'WorkerAllocation',
  'Caseworker',
  'Team',
  'AuditEvent',
] as const;
