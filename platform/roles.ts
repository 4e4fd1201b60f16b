/**
 * The roles a token may carry, and which organisation each belongs to. The
 * matrix of what each role may read and write is the subgraphs' own
 * (subgraphs/toolkit/access.ts); the gateway needs only the names.
 */
export const Role = {
  LA_CASEWORKER: 'la_caseworker',
  DESIGNATED_CLINICAL_OFFICER: 'designated_clinical_officer',
  ICB_ANALYST: 'icb_analyst',
  EXECUTIVE: 'executive',
  BOARD_MEMBER: 'board_member',
  PARTNER_APP: 'partner_app',
  AUDITOR: 'auditor',
  ADMIN: 'admin',
} as const;

export type RoleName = (typeof Role)[keyof typeof Role];

export const ALL_ROLES: readonly RoleName[] = Object.values(Role);


/** The organisation a role must belong to, where the matrix ties it to one. */
const ROLE_ORG: Partial<Record<RoleName, string>> = {
  la_caseworker: 'LA',
  designated_clinical_officer: 'ICB',
  icb_analyst: 'ICB',
};

/** The caller's roles that hold: a role tied to an organisation counts only for that organisation's staff. */
export function effectiveRoles(caller: { roles: readonly string[]; org: string } | null): RoleName[] {
  if (!caller) return [];
  return (caller.roles as RoleName[]).filter((r) => !ROLE_ORG[r] || ROLE_ORG[r] === caller.org);
}

/** The organisation a role usually belongs to: what development tokens name when no org is given. */
export const USUAL_ORG: Record<RoleName, string> = {
  la_caseworker: 'LA',
  designated_clinical_officer: 'ICB',
  icb_analyst: 'ICB',
  executive: 'LA',
  board_member: 'LA',
  partner_app: 'PARTNER:app',
  auditor: 'LA',
  admin: 'LA',
};
