import { healthCatalogue } from '../../subgraphs/health/measures/catalogue';
import { startHealth, type HealthHarness } from './support';

/** The list a client offers to choose a health measure from (the web app's measures explorer). */
describe('the health measure catalogue', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await startHealth();
  });
  afterAll(async () => h?.stop());

  it('lists every health measure by code, with what it is and how it is counted, narrowed by unit', async () => {
    const all = await h.queryAs<any>('icb_analyst', '{ healthMeasureCatalogue(first: 100) { totalCount nodes { code name unit description } } }');
    expect(all.errors).toBeUndefined();
    const expected = healthCatalogue.definitions.map((d) => ({ code: d.code, name: d.name, unit: d.unit, description: d.description })).sort((a, b) => (a.code < b.code ? -1 : 1));
    expect(all.data!.healthMeasureCatalogue).toEqual({ totalCount: expected.length, nodes: expected });
    const counts = await h.queryAs<any>('executive', '{ healthMeasureCatalogue(filter: { unit: "COUNT" }) { nodes { code } } }');
    expect(counts.data!.healthMeasureCatalogue.nodes.map((n: { code: string }) => n.code)).toEqual(expected.filter((d) => d.unit === 'COUNT').map((d) => d.code));
  });

  it('refuses the auditor, who reads no aggregates', async () => {
    const res = await h.queryAs<any>('auditor', '{ healthMeasureCatalogue { nodes { code } } }');
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
