import { caseworkCatalogue } from '../../subgraphs/casework/measures/catalogue';
import { Organisation } from '../../subgraphs/governance/entities/enums';
import { CASEWORK_CODES, HEALTH_CODES, ownerOrganisationOf } from '../../subgraphs/governance/rules/codes';
import { healthCatalogue } from '../../subgraphs/health/measures/catalogue';

/**
 * Governance may not import its siblings, so it writes the codes a KPI may name
 * itself; this keeps them equal to what casework and health compute. A code added
 * to an owner's catalogue and not here (or the other way) fails until both agree.
 */
describe('the measure codes a KPI may name', () => {
  const codes = (catalogue: { definitions: ReadonlyArray<{ code: string }> }) => catalogue.definitions.map((d) => d.code).sort();

  it('are exactly the codes casework computes, owned by the council', () => {
    expect([...CASEWORK_CODES].sort()).toEqual(codes(caseworkCatalogue));
    for (const code of CASEWORK_CODES) expect(ownerOrganisationOf(code)).toBe(Organisation.LA);
  });

  it('are exactly the codes health computes, owned by the ICB', () => {
    expect([...HEALTH_CODES].sort()).toEqual(codes(healthCatalogue));
    for (const code of HEALTH_CODES) expect(ownerOrganisationOf(code)).toBe(Organisation.ICB);
  });

  it('name no code twice', () => {
    const all = [...CASEWORK_CODES, ...HEALTH_CODES];
    expect(new Set(all).size).toBe(all.length);
  });
});
