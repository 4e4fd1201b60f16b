/** The measure codes a KPI may name, by the organisation whose subgraph computes them. */
export const CASEWORK_CODES = ['EHC_20WK_EXCL', 'EHC_20WK_INCL', 'EHC_MEAN_WEEKS', 'EHCNA_REQUESTS', 'EHCNA_DECISION_6WK', 'EP_ADVICE_6WK', 'AR_DECISION_4WK', 'AR_OVERDUE', 'PLANS_ACTIVE', 'PLANS_NO_ALLOCATED_WORKER'] as const;
export const HEALTH_CODES = ['WAITING_COUNT', 'WAITING_OVER_18WK_PCT', 'ND_WAITING_OVER_13WK_PCT', 'FIRST_CONTACT_MEDIAN_WEEKS', 'CYP_MH_ACCESS', 'HEALTH_ADVICE_6WK_PCT', 'SPACE_FAMILIES_ENROLLED', 'SPACE_COMPLETION_PCT', 'SPACE_FASA_MEAN_CHANGE'] as const;

export type MeasureOwner = 'LA' | 'ICB';

/** Which organisation owns a code, or null when the code is not one a KPI may name. */
export function ownerOfCode(code: string): MeasureOwner | null {
  if ((CASEWORK_CODES as readonly string[]).includes(code)) return 'LA';
  if ((HEALTH_CODES as readonly string[]).includes(code)) return 'ICB';
  return null;
}
