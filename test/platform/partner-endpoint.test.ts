import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, getIntrospectionQuery } from 'graphql';
import { startGateway, type RunningGateway } from '../../gateway/gateway';
import { documentHash, trustedDocumentSettingsFromEnv } from '../../gateway/trusted-documents';
import { readManifest, registerDocuments } from '../../infra/documents-register';
import { PERSON_LEVEL_TYPES } from '../../infra/partner-contract';
import { postGraphQL, startTestStack, type TestStack } from '../support/stack';
import { TEST_LINK_KEY_SECRET } from '../support/databases';

const SCHEMA = join(__dirname, '..', '..', 'schema');
const TODAY = '2026-11-22';
// Crosses subgraphs: a KPI reading is governance's, worked out from figures casework or health compute.
const PARTNER_OPERATION = `query PartnerKpis { kpis { nodes { name reading(asOf: "${TODAY}") { value rag } } } priorityActions { nodes { reference title } } }`;

interface PartnerKpis {
  kpis: { nodes: Array<{ name: string; reading: { value: number | null; rag: string } }> };
  priorityActions: { nodes: Array<{ reference: string }> };
}

/** The answer holds published KPIs, some with a live value from another subgraph, and actions. */
function expectPartnerAnswer(data: unknown): void {
  const d = data as PartnerKpis;
  expect(d.kpis.nodes.length).toBeGreaterThan(0);
  expect(d.kpis.nodes.some((k) => typeof k.reading.value === 'number')).toBe(true);
  expect(d.priorityActions.nodes.length).toBeGreaterThan(0);
}

interface Introspection {
  __schema: { types: Array<{ name: string; fields: Array<{ name: string }> | null }> };
}

let stack: TestStack;
let partnerUrl: string;
beforeAll(async () => {
  stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: TODAY, log: () => undefined } });
  partnerUrl = stack.gateway.url.replace(/\/graphql$/, '/partner/graphql');
});
afterAll(async () => stack?.stop());

const fieldNames = (data: Introspection) => data.__schema.types.flatMap((t) => [t.name, ...(t.fields ?? []).map((f) => `${t.name}.${f.name}`)]);

describe('the partner endpoint', () => {
  it('shows a partner app the contract only: no person-level type or field names', async () => {
    const res = await postGraphQL<Introspection>(partnerUrl, getIntrospectionQuery(), undefined, await stack.issuer.as('partner_app'));
    expect(res.status).toBe(200);
    const names = fieldNames(res.data!);
    for (const type of PERSON_LEVEL_TYPES) expect(names.filter((n) => n === type || n.startsWith(`${type}.`))).toEqual([]);
    for (const field of ['Query.child', 'Query.children', 'Query.referrals', 'Query.teams', 'Query.caseworkAuditEvents', 'Escalation.raisedBy', 'GovernanceBody.chair', 'SpaceCohort.enrolments']) {
      expect(names).not.toContain(field);
    }
    expect(res.data!.__schema.types.map((t) => t.name)).not.toContain('Mutation');
    // What it does show is what schema/partner.graphql says.
    const published = buildSchema(readFileSync(join(SCHEMA, 'partner.graphql'), 'utf8'));
    expect(Object.keys(res.data!.__schema.types.find((t) => t.name === 'Query')!.fields!.reduce((o, f) => ({ ...o, [f.name]: 1 }), {})).sort())
      .toEqual(Object.keys(published.getQueryType()!.getFields()).sort());
  });

  it('runs a partner app\'s operations across subgraphs, and refuses person-level fields by name', async () => {
    const ok = await postGraphQL(partnerUrl, PARTNER_OPERATION, undefined, await stack.issuer.as('partner_app'));
    expect(ok.errors).toBeUndefined();
    expectPartnerAnswer(ok.data);
    const refused = await postGraphQL(partnerUrl, '{ children(first: 1) { totalCount } }', undefined, await stack.issuer.as('partner_app'));
    expect(refused.status).toBe(400);
    expect(refused.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.errors![0].message).toMatch(/Cannot query field "children" on type "Query"/);
  });

  it('needs a token like /graphql', async () => {
    const res = await postGraphQL(partnerUrl, PARTNER_OPERATION);
    expect(res.status).toBe(401);
  });

  it('leaves /graphql as the role matrix has it for a partner app: the whole schema, person-level fields FORBIDDEN', async () => {
    const schema = await stack.queryAs<Introspection>('partner_app', getIntrospectionQuery());
    expect(schema.data!.__schema.types.map((t) => t.name)).toEqual(expect.arrayContaining(['Child', 'Referral', 'Mutation']));
    const res = await stack.queryAs('partner_app', '{ children(first: 1) { totalCount } }');
    expect(res.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
  });
});

describe('trusted documents', () => {
  let dir: string;
  let production: RunningGateway;
  let store: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trusted-'));
    store = join(dir, 'trusted-documents.json');
    const manifest = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: documentHash(PARTNER_OPERATION), name: 'PartnerKpis', type: 'query', body: PARTNER_OPERATION }] };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const api = buildSchema(readFileSync(join(SCHEMA, 'api.graphql'), 'utf8'));
    expect(registerDocuments(readManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))), 'PARTNER:app', store, api)).toEqual({ added: [documentHash(PARTNER_OPERATION)], alreadyRegistered: [] });
    production = await startGateway({
      supergraphPath: join(SCHEMA, 'supergraph.graphql'),
      subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])),
      port: 0,
      host: '127.0.0.1',
      auth: stack.issuer.config,
      production: true,
      trustedDocuments: trustedDocumentSettingsFromEnv(store, true, {}),
    });
  });
  afterAll(async () => {
    await production?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const partnerEndpoint = () => production.url.replace(/\/graphql$/, '/partner/graphql');

  it('in production, runs a registered operation for a partner app, on either endpoint, by text or by hash alone', async () => {
    const headers = await stack.issuer.as('partner_app');
    for (const url of [production.url, partnerEndpoint()]) {
      const byText = await postGraphQL(url, PARTNER_OPERATION, undefined, headers);
      expect({ url, status: byText.status, errors: byText.errors }).toEqual({ url, status: 200, errors: undefined });
      expectPartnerAnswer(byText.data);
    }
    const res = await fetch(partnerEndpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(PARTNER_OPERATION) } } }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: unknown };
    expect({ status: res.status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
    expectPartnerAnswer(body.data);
  });

  it('in production, refuses a partner app any other operation with a clear error, even one differing by a space', async () => {
    const headers = await stack.issuer.as('partner_app');
    for (const query of ['{ kpis { nodes { name } } }', PARTNER_OPERATION + ' ']) {
      const res = await postGraphQL(partnerEndpoint(), query, undefined, headers);
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors!.map((e) => e.extensions!.code)).toEqual(['PERSISTED_QUERY_NOT_REGISTERED']);
      expect(res.errors![0].message).toContain(documentHash(query));
    }
    // A second role does not lift the rule.
    const both = await postGraphQL(production.url, '{ kpis { nodes { name } } }', undefined, await stack.issuer.as(['executive', 'partner_app']));
    expect(both.errors!.map((e) => e.extensions!.code)).toEqual(['PERSISTED_QUERY_NOT_REGISTERED']);
  });

  it('holds only the roles configured: other roles run any operation', async () => {
    const res = await postGraphQL(production.url, '{ kpis { nodes { name } } }', undefined, await stack.issuer.as('executive'));
    expect({ status: res.status, errors: res.errors }).toEqual({ status: 200, errors: undefined });
  });

  it('outside production, lets a partner app run anything, with automatic persisted queries', async () => {
    const headers = { 'content-type': 'application/json', ...(await stack.issuer.as('partner_app')) };
    const query = '{ kpis { nodes { name ownerOrganisation } } }';
    const persistedQuery = { version: 1, sha256Hash: documentHash(query) };
    const miss = await fetch(partnerUrl, { method: 'POST', headers, body: JSON.stringify({ extensions: { persistedQuery } }) });
    expect(((await miss.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await fetch(partnerUrl, { method: 'POST', headers, body: JSON.stringify({ query, extensions: { persistedQuery } }) });
    expect(register.status).toBe(200);
    const hit = await fetch(partnerUrl, { method: 'POST', headers, body: JSON.stringify({ extensions: { persistedQuery } }) });
    expect(((await hit.json()) as { data: PartnerKpis }).data.kpis.nodes.length).toBeGreaterThan(0);
  });

  it('is configured per role from the environment', () => {
    expect(trustedDocumentSettingsFromEnv('x.json', true, {}).roles).toEqual(['partner_app']);
    expect(trustedDocumentSettingsFromEnv('x.json', false, {}).roles).toEqual([]);
    expect(trustedDocumentSettingsFromEnv('x.json', true, { TRUSTED_DOCUMENTS_ROLES: 'none' }).roles).toEqual([]);
    expect(trustedDocumentSettingsFromEnv('x.json', false, { TRUSTED_DOCUMENTS_ROLES: 'partner_app, executive', TRUSTED_DOCUMENTS_PATH: 'y.json' })).toEqual({ roles: ['partner_app', 'executive'], path: 'y.json' });
    expect(() => trustedDocumentSettingsFromEnv('x.json', true, { TRUSTED_DOCUMENTS_ROLES: 'partner' })).toThrow(/TRUSTED_DOCUMENTS_ROLES names unknown roles: partner/);
  });

  it('registers all of a manifest or nothing, and again changes nothing', () => {
    const api = buildSchema(readFileSync(join(SCHEMA, 'api.graphql'), 'utf8'));
    const before = readFileSync(store, 'utf8');
    const good = '{ papAreas { nodes { reference } } }';
    expect(() => registerDocuments([{ body: good }, { name: 'Bad', body: '{ kpis { nodes { nhsNumber } } }' }, { id: 'abc', body: good }], 'PARTNER:app', store, api))
      .toThrow(/Operation Bad: Cannot query field "nhsNumber" on type "Kpi"[\s\S]*Operation 3: its id is not the SHA-256 of its body/);
    expect(readFileSync(store, 'utf8')).toBe(before);
    expect(registerDocuments([{ body: PARTNER_OPERATION }], 'PARTNER:app', store, api)).toEqual({ added: [], alreadyRegistered: [documentHash(PARTNER_OPERATION)] });
    expect(readFileSync(store, 'utf8')).toBe(before);
    // GraphQL Codegen's persisted documents: a map of hash to document.
    expect(readManifest({ [documentHash(good)]: good })).toEqual([{ id: documentHash(good), body: good }]);
    expect(() => readManifest([good])).toThrow(/neither/);
  });
});
