/**
 * The service navigation: one list of entries, each with the roles it is for.
 * A page added to the app adds its entry here. Which roles may read what is the
 * API's business (subgraphs/toolkit/access.ts); this only keeps a person from
 * being offered a page that would answer "forbidden".
 */
export interface NavEntry {
  href: string;
  text: string;
  roles: readonly string[];
}

/** Roles that read the partnership's governance and aggregate figures (the API's GOVERNANCE_READ). */
export const GOVERNANCE_READERS = ['la_caseworker', 'designated_clinical_officer', 'icb_analyst', 'executive', 'board_member', 'partner_app'] as const;
/** Roles that record progress and escalations (the API's GOVERNANCE_WRITE). */
export const GOVERNANCE_WRITERS = ['board_member'] as const;

export const NAV: NavEntry[] = [
  { href: '/', text: 'Assurance dashboard', roles: GOVERNANCE_READERS },
  { href: '/measures', text: 'Measures explorer', roles: GOVERNANCE_READERS },
  { href: '/briefings', text: 'Partner briefings', roles: GOVERNANCE_READERS },
  { href: '/children', text: 'Children', roles: ['la_caseworker', 'designated_clinical_officer'] },
  { href: '/audit', text: 'Audit trail', roles: ['auditor'] },
];

export function mayUse(roles: readonly string[], allowed: readonly string[]): boolean {
  return roles.some((r) => allowed.includes(r));
}

/** The entries for these roles, the one for the current path marked active. */
export function navFor(roles: readonly string[], path: string): Array<{ href: string; text: string; active: boolean }> {
  return NAV.filter((e) => mayUse(roles, e.roles)).map((e) => ({ href: e.href, text: e.text, active: e.href === '/' ? path === '/' : path === e.href || path.startsWith(`${e.href}/`) }));
}
