/**
 * The role matrix, declared once. Every GraphQL field, type, query and mutation
 * names one of these rules with type-graphql's @Authorized(Access.X); the README's
 * table is this file in words.
 */
import { Role, type RoleName } from '../../platform/roles';

export { ALL_ROLES, Role, type RoleName } from '../../platform/roles';

const { LA_CASEWORKER, DESIGNATED_CLINICAL_OFFICER, ICB_ANALYST, EXECUTIVE, BOARD_MEMBER, PARTNER_APP, AUDITOR, ADMIN } = Role;

/** Roles that read aggregates (suppressed or not); the auditor and admin read none. */
const AGGREGATE_READERS = [LA_CASEWORKER, DESIGNATED_CLINICAL_OFFICER, ICB_ANALYST, EXECUTIVE, BOARD_MEMBER, PARTNER_APP] as const;

export const Access = {
  /** Casework records about a person: children, requests, assessments, plans, reviews. */
  CASEWORK_PERSON_READ: [LA_CASEWORKER, DESIGNATED_CLINICAL_OFFICER],
  /** Recording casework: the council's caseworkers only. */
  CASEWORK_PERSON_WRITE: [LA_CASEWORKER],
  /** Casework measures; suppressed unless the role is in UNSUPPRESSED.casework. */
  CASEWORK_AGGREGATES: AGGREGATE_READERS,
  /** Health records about a person, pseudonymised (by linkKey, no identifiers). */
  HEALTH_PERSON_READ: [DESIGNATED_CLINICAL_OFFICER, ICB_ANALYST],
  /**
   * Health identifiers (NHS number, name, date of birth, postcode): the DCO only.
   * Health stores none today (it knows children by linkKey); any field that ever
   * shows one must carry this rule.
   */
  HEALTH_IDENTIFIABLE_READ: [DESIGNATED_CLINICAL_OFFICER],
  /** Dates of health advice for an EHC needs assessment (asked, returned): no referral details. */
  HEALTH_ADVICE_DATES_READ: [LA_CASEWORKER, DESIGNATED_CLINICAL_OFFICER, ICB_ANALYST],
  /** Health measures; suppressed unless the role is in UNSUPPRESSED.health. */
  HEALTH_AGGREGATES: AGGREGATE_READERS,
  /** Governance items; partner apps see published items only. */
  GOVERNANCE_READ: AGGREGATE_READERS,
  /** Meetings, actions, milestones, progress updates, escalations, feedback. */
  GOVERNANCE_WRITE: [BOARD_MEMBER],
  /** The audit trail. */
  AUDIT_READ: [AUDITOR],
  /** Bulk imports (SEN2, referrals, DfE files): no person-level reads. */
  IMPORT: [ADMIN],
} as const satisfies Record<string, readonly RoleName[]>;

export type AccessRule = keyof typeof Access;

/** Who sees each subgraph's aggregates without small-number suppression. */
export const UNSUPPRESSED: Record<'casework' | 'health', readonly RoleName[]> = {
  casework: [LA_CASEWORKER, DESIGNATED_CLINICAL_OFFICER],
  health: [DESIGNATED_CLINICAL_OFFICER, ICB_ANALYST],
};
