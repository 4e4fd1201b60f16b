import { Organisation } from '../entities/enums';

/**
 * The measure codes a KPI may name, by the organisation whose subgraph computes
 * them. Governance may not import its siblings, so the lists are written here;
 * test/governance/measure-codes.test.ts keeps them equal to casework's and
 * health's catalogues.
 */
export const CASEWORK_CODES = ['EHC_20WK_EXCL', 'EHC_20WK_INCL', 'EHC_MEAN_WEEKS', 'EHCNA_REQUESTS', 'EHCNA_DECISION_6WK', 'EP_ADVICE_6WK', 'AR_DECISION_4WK', 'AR_OVERDUE', 'PLANS_ACTIVE', 'PLANS_NO_ALLOCATED_WORKER'] as const;
export const HEALTH_CODES = ['WAITING_COUNT', 'WAITING_OVER_18WK_PCT', 'COMMUNITY_WAITING_OVER_18WK_PCT', 'ND_WAITING_OVER_13WK_PCT', 'FIRST_CONTACT_MEDIAN_WEEKS', 'CYP_MH_ACCESS', 'HEALTH_ADVICE_6WK_PCT', 'SPACE_FAMILIES_ENROLLED', 'SPACE_COMPLETION_PCT', 'SPACE_FASA_MEAN_CHANGE'] as const;

/** The owner organisation of a measure: the council (casework) or the ICB (health). */
export type MeasureOwnerOrganisation = Organisation.LA | Organisation.ICB;

/** Which organisation owns a code, or null when the code is not one a KPI may name. */
export function ownerOrganisationOf(code: string): MeasureOwnerOrganisation | null {
  if ((CASEWORK_CODES as readonly string[]).includes(code)) return Organisation.LA;
  if ((HEALTH_CODES as readonly string[]).includes(code)) return Organisation.ICB;
  return null;
}

/** Both lists, as an error message names them. */
export const KNOWN_CODES = `Casework: ${CASEWORK_CODES.join(', ')}. Health: ${HEALTH_CODES.join(', ')}.`;
