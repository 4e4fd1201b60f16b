import { postGraphQL, startTestStack, type TestStack } from '../support/stack';
import { TEST_LINK_KEY_SECRET } from '../support/databases';

const TODAY = '2026-11-22';
/** The designated clinical officer reads casework and health records and governance: the whole slice. */
const DCO = 'designated_clinical_officer' as const;

describe('one gateway over three subgraphs', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: TODAY, log: () => undefined } });
  });
  afterAll(async () => stack?.stop());
  beforeEach(() => {
    for (const list of Object.values(stack.statements)) list.length = 0;
  });

  it('answers one query with fields from casework, health and governance', async () => {
    const res = await stack.queryAs<{
      kpis: { nodes: Array<{ measureCode: string; reading: { value: number | null; rag: string } }> };
      children: { nodes: Array<{ id: string; linkKey: string; ehcPlans: unknown[]; healthReferrals: Array<{ pathway: string }> }> };
    }>(DCO, `query {
      kpis { nodes { measureCode reading(asOf: "${TODAY}") { value rag periodEnd } } }
      children(first: 50) { nodes { id linkKey ehcPlans { issueDate } healthReferrals { pathway receivedDate } } }
    }`);
    expect(res.errors).toBeUndefined();
    const plans = res.data!.kpis.nodes.find((k) => k.measureCode === 'PLANS_ACTIVE')!;
    expect(plans.reading.value).toBeGreaterThan(0);
    expect(['GREEN', 'AMBER', 'RED']).toContain(plans.reading.rag);
    expect(res.data!.children.nodes).toHaveLength(50);
    expect(res.data!.children.nodes.some((c) => c.healthReferrals.length > 0)).toBe(true);
    // Every query touched all three subgraphs' databases.
    expect(stack.statements.casework.length).toBeGreaterThan(0);
    expect(stack.statements.health.length).toBeGreaterThan(0);
    expect(stack.statements.governance.length).toBeGreaterThan(0);
  });

  it('the KPI value through governance equals the casework measure asked for directly', async () => {
    const viaKpi = await stack.queryAs<{ kpis: { nodes: Array<{ measureCode: string; reading: { value: number; periodStart: string; periodEnd: string } }> } }>(DCO,
      `{ kpis { nodes { measureCode reading(asOf: "${TODAY}") { value periodStart periodEnd } } } }`,
    );
    const reading = viaKpi.data!.kpis.nodes.find((k) => k.measureCode === 'PLANS_ACTIVE')!.reading;
    const direct = await stack.queryAs<{ caseworkMeasures: Array<{ points: Array<{ value: number }> }> }>(DCO, 
      `{ caseworkMeasures(codes: ["PLANS_ACTIVE"], from: "${reading.periodStart}", to: "${reading.periodEnd}") { points { value } } }`,
    );
    expect(reading.value).toBe(direct.data!.caseworkMeasures[0].points[0].value);
  });

  it('health knows a child only by link key, and the keys meet', async () => {
    const res = await stack.queryAs<{ children: { nodes: Array<{ linkKey: string; healthReferrals: Array<{ linkKey: string }> }> } }>(DCO,
      '{ children(first: 100) { nodes { linkKey healthReferrals { linkKey } } } }',
    );
    const withReferrals = res.data!.children.nodes.filter((c) => c.healthReferrals.length);
    expect(withReferrals.length).toBeGreaterThan(0);
    for (const child of withReferrals) for (const r of child.healthReferrals) expect(r.linkKey).toBe(child.linkKey);
  });

  it('refuses a request without a token, at the gateway and at each subgraph', async () => {
    const res = await stack.query('{ priorityActions { nodes { reference } } }');
    expect(res.status).toBe(401);
    expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(res.data).toBeUndefined();
    for (const s of Object.values(stack.subgraphs)) {
      const direct = await postGraphQL(s.url, '{ _service { sdl } }');
      expect(direct.status).toBe(401);
    }
  });

  it('answers a field the role may not read with FORBIDDEN, not null', async () => {
    const res = await stack.queryAs('executive', '{ children(first: 1) { nodes { id } } }');
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(res.data?.children ?? null).toBeNull();
  });

  it('keeps what a role may read when the same request asks for something it may not', async () => {
    const res = await stack.queryAs<{ priorityActions: { nodes: Array<{ reference: string }> } | null; children: unknown }>(
      'executive',
      '{ priorityActions { nodes { reference } } children(first: 1) { nodes { id } } }',
    );
    expect(res.data!.priorityActions!.nodes.length).toBeGreaterThan(0);
    expect(res.data!.children).toBeNull();
    expect(res.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['children'], 'FORBIDDEN']]);
  });

  it('refuses a caseworker a child\'s health referrals but still answers the child', async () => {
    const res = await stack.queryAs<{ children: { nodes: Array<{ id: string; healthReferrals: unknown }> } }>(
      'la_caseworker',
      '{ children(first: 3) { nodes { id healthReferrals { pathway } } } }',
    );
    expect(res.data!.children.nodes).toHaveLength(3);
    for (const child of res.data!.children.nodes) {
      expect(child.id).toEqual(expect.any(String));
      expect(child.healthReferrals).toBeNull();
    }
    expect(res.errors!.length).toBeGreaterThan(0);
    expect(new Set(res.errors!.map((e) => e.extensions!.code))).toEqual(new Set(['FORBIDDEN']));
  });

  describe('batched entity resolution: N references, one SQL query per entity type', () => {
    const selectsOn = (list: string[], table: string) => list.filter((sql) => new RegExp(`^select .* from "${table}" `, 'i').test(sql));

    it('casework resolves 40 Child references by id in one query', async () => {
      const ids = (await stack.queryAs<{ children: { nodes: Array<{ id: string }> } }>(DCO, '{ children(first: 40) { nodes { id } } }')).data!.children.nodes.map((c) => c.id);
      stack.statements.casework.length = 0;
      const res = await postGraphQL<{ _entities: Array<{ id: string }> }>(
        stack.subgraphs.casework.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Child { id forename } } }',
        { r: ids.map((id) => ({ __typename: 'Child', id })) },
        await stack.issuer.as(DCO),
      );
      expect(res.data!._entities.map((e) => e.id)).toEqual(ids);
      expect(selectsOn(stack.statements.casework, 'child')).toHaveLength(1);
    });

    it('casework resolves Child references by link key in one query, with their plans in one more', async () => {
      const keys = (await stack.queryAs<{ children: { nodes: Array<{ linkKey: string }> } }>(DCO, '{ children(first: 30) { nodes { linkKey } } }')).data!.children.nodes.map((c) => c.linkKey);
      stack.statements.casework.length = 0;
      const res = await postGraphQL<{ _entities: Array<{ linkKey: string }> }>(
        stack.subgraphs.casework.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Child { linkKey ehcPlans { issueDate } } } }',
        { r: keys.map((linkKey) => ({ __typename: 'Child', linkKey })) },
        await stack.issuer.as(DCO),
      );
      expect(res.data!._entities.map((e) => e.linkKey)).toEqual(keys);
      expect(selectsOn(stack.statements.casework, 'child')).toHaveLength(1);
      expect(selectsOn(stack.statements.casework, 'ehc_plan')).toHaveLength(1);
    });

    it('health loads the referrals of every child in a gateway page in one query', async () => {
      await stack.queryAs(DCO, '{ children(first: 60) { nodes { healthReferrals { id } } } }');
      expect(selectsOn(stack.statements.health, 'referral')).toHaveLength(1);
    });

    it('governance loads the KPIs of every action in one query', async () => {
      await stack.queryAs(DCO, '{ priorityActions { nodes { kpis { name } } } }');
      expect(selectsOn(stack.statements.governance, 'priority_action_kpi')).toHaveLength(1);
    });
  });
});
