import type { Kpi } from '../../subgraphs/governance/entities';
import { Organisation } from '../../subgraphs/governance/entities/enums';
import { reconciliationExtra } from '../../subgraphs/governance/resolvers/comparators';
import { figureKeyFor } from '../../subgraphs/governance/resolvers/support';

const kpi = (measureCode: string, interval: string, ownerOrganisation = Organisation.LA) => ({ id: measureCode, measureCode, interval, ownerOrganisation }) as unknown as Kpi;
const key = (k: Kpi) => figureKeyFor(k.id, '2026-12-05', [k], new Set(), reconciliationExtra(k));

describe('a KPI reading asks its owner for the series its reconciliation needs', () => {
  it('a calendar-year figure: the KPI\'s own series and three calendar years', () => {
    expect(key(kpi('EHCNA_REQUESTS', 'MONTH')).caseworkMeasures).toBe('EHCNA_REQUESTS:MONTH,EHCNA_REQUESTS:YEAR:3');
    expect(key(kpi('EHC_20WK_EXCL', 'QUARTER')).caseworkMeasures).toBe('EHC_20WK_EXCL:QUARTER,EHC_20WK_EXCL:YEAR:3');
  });

  it('a January count on a monthly KPI: one request, long enough to reach a January (the KPI reads its latest periods of it)', () => {
    expect(key(kpi('PLANS_ACTIVE', 'MONTH')).caseworkMeasures).toBe('PLANS_ACTIVE:MONTH:24');
  });

  it('a measure DfE does not publish, or the ICB\'s: nothing more', () => {
    expect(key(kpi('EHC_MEAN_WEEKS', 'QUARTER')).caseworkMeasures).toBe('EHC_MEAN_WEEKS:QUARTER');
    const icb = key(kpi('WAITING_OVER_18WK_PCT', 'MONTH', Organisation.ICB));
    expect([icb.caseworkMeasures, icb.healthMeasures]).toEqual(['', 'WAITING_OVER_18WK_PCT:MONTH']);
  });
});
