import { casework } from '../../subgraphs/casework';
import { caseworkCatalogue } from '../../subgraphs/casework/measures/catalogue';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, type TestDatabases } from '../support/databases';
import { postGraphQL } from '../support/stack';
import { loadKnownCasework } from './fixtures';

/** The lists a client offers to choose a measure and a district from (the web app's measures explorer). */
describe('the casework lists that filters choose from', () => {
  let dbs: TestDatabases;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    await loadKnownCasework(dbs.logins.casework.ownerUrl);
    issuer = await createTestIssuer();
    subgraph = await startSubgraph(casework, { port: 0, host: '127.0.0.1', databaseUrl: dbs.logins.casework.appUrl, auth: issuer.config });
  });
  afterAll(async () => {
    await subgraph?.stop();
    await dbs?.drop();
  });
  const as = async <T = Record<string, any>>(role: 'la_caseworker' | 'executive' | 'icb_analyst' | 'auditor', query: string, variables?: Record<string, unknown>) =>
    postGraphQL<T>(subgraph.url, query, variables, await issuer.as(role));

  it('lists each district the children live in once, by name, paged with the one cursor codec', async () => {
    const all = await as('icb_analyst', '{ districts { totalCount nodes { name } } }');
    expect(all.errors).toBeUndefined();
    // The fixtures: three children in Ashfield, one in Bassetlaw.
    expect(all.data!.districts).toEqual({ totalCount: 2, nodes: [{ name: 'Ashfield' }, { name: 'Bassetlaw' }] });

    const first = await as('executive', '{ districts(first: 1) { nodes { name } pageInfo { hasNextPage endCursor } } }');
    expect(first.data!.districts.nodes).toEqual([{ name: 'Ashfield' }]);
    expect(first.data!.districts.pageInfo.hasNextPage).toBe(true);
    const next = await as('executive', 'query($after: String) { districts(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage hasPreviousPage } } }', { after: first.data!.districts.pageInfo.endCursor });
    expect(next.data!.districts).toEqual({ nodes: [{ name: 'Bassetlaw' }], pageInfo: { hasNextPage: false, hasPreviousPage: true } });

    const one = await as('executive', '{ districts(filter: { name: "Bassetlaw" }) { totalCount nodes { name } } }');
    expect(one.data!.districts).toEqual({ totalCount: 1, nodes: [{ name: 'Bassetlaw' }] });
  });

  it('counts a district the measures filter by: every listed district narrows the series to its own children', async () => {
    const res = await as('la_caseworker', `{ districts { nodes { name } }
      all: caseworkMeasures(codes: ["PLANS_ACTIVE"], from: "2024-12-01", to: "2024-12-31") { points { value } } }`);
    const names: string[] = res.data!.districts.nodes.map((d: { name: string }) => d.name);
    let sum = 0;
    for (const name of names) {
      const one = await as('la_caseworker', 'query($d: String) { caseworkMeasures(codes: ["PLANS_ACTIVE"], from: "2024-12-01", to: "2024-12-31", filter: { district: $d }) { points { value } } }', { d: name });
      sum += one.data!.caseworkMeasures[0].points[0].value;
    }
    expect(sum).toBe(res.data!.all[0].points[0].value);
    expect(sum).toBeGreaterThan(0);
  });

  it('a bad cursor is refused naming after; the auditor reads no list of aggregates', async () => {
    const bad = await as('executive', '{ districts(after: "nonsense") { nodes { name } } }');
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const auditor = await as('auditor', '{ districts { nodes { name } } }');
    expect(auditor.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('lists the casework measure catalogue by code, narrowed by unit', async () => {
    const all = await as('executive', '{ caseworkMeasureCatalogue(first: 100) { totalCount nodes { code name unit description } } }');
    expect(all.errors).toBeUndefined();
    const expected = caseworkCatalogue.definitions.map((d) => ({ code: d.code, name: d.name, unit: d.unit, description: d.description })).sort((a, b) => (a.code < b.code ? -1 : 1));
    expect(all.data!.caseworkMeasureCatalogue).toEqual({ totalCount: expected.length, nodes: expected });
    const percent = await as('executive', '{ caseworkMeasureCatalogue(filter: { unit: "PERCENT" }) { nodes { code unit } } }');
    const codes = percent.data!.caseworkMeasureCatalogue.nodes.map((n: { code: string }) => n.code);
    expect(codes).toEqual(expected.filter((d) => d.unit === 'PERCENT').map((d) => d.code));
    expect(codes.length).toBeGreaterThan(1);
    const paged = await as('executive', '{ caseworkMeasureCatalogue(first: 2) { nodes { code } pageInfo { hasNextPage } } }');
    expect(paged.data!.caseworkMeasureCatalogue).toEqual({ nodes: expected.slice(0, 2).map((d) => ({ code: d.code })), pageInfo: { hasNextPage: true } });
  });
});
