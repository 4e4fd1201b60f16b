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
      priorityActions: Array<{ reference: string; kpi: { caseworkMeasure: { code: string; latest: { value: number } } } }>;
      children: Array<{ id: string; linkKey: string; ehcPlans: unknown[]; healthReferrals: Array<{ pathway: string }> }>;
    }>(DCO, `query {
      priorityActions { reference kpi { name caseworkMeasure { code latest(asOf: "${TODAY}") { periodEnd value } } } }
      children(first: 50) { id linkKey ehcPlans { issueDate } healthReferrals { pathway receivedDate } }
    }`);
    expect(res.errors).toBeUndefined();
    const [action] = res.data!.priorityActions;
    expect(action.kpi.caseworkMeasure.code).toBe('PLANS_ACTIVE');
    expect(action.kpi.caseworkMeasure.latest.value).toBeGreaterThan(0);
    expect(res.data!.children).toHaveLength(50);
    expect(res.data!.children.some((c) => c.healthReferrals.length > 0)).toBe(true);
    // Every query touched all three subgraphs' databases.
    expect(stack.statements.casework.length).toBeGreaterThan(0);
    expect(stack.statements.health.length).toBeGreaterThan(0);
    expect(stack.statements.governance.length).toBeGreaterThan(0);
  });

  it('the KPI value through governance equals the casework measure asked for directly', async () => {
    const viaKpi = await stack.queryAs<{ priorityActions: Array<{ kpi: { caseworkMeasure: { latest: { value: number } } } }> }>(DCO, 
      `{ priorityActions { kpi { caseworkMeasure { latest(asOf: "${TODAY}") { value } } } } }`,
    );
    const direct = await stack.queryAs<{ caseworkMeasures: Array<{ points: Array<{ value: number }> }> }>(DCO, 
      `{ caseworkMeasures(codes: ["PLANS_ACTIVE"], from: "2026-10-01", to: "2026-10-31") { points { value } } }`,
    );
    expect(viaKpi.data!.priorityActions[0].kpi.caseworkMeasure.latest.value).toBe(direct.data!.caseworkMeasures[0].points[0].value);
  });

  it('health knows a child only by link key, and the keys meet', async () => {
    const res = await stack.queryAs<{ children: Array<{ linkKey: string; healthReferrals: Array<{ linkKey: string }> }> }>(DCO, 
      '{ children(first: 100) { linkKey healthReferrals { linkKey } } }',
    );
    const withReferrals = res.data!.children.filter((c) => c.healthReferrals.length);
    expect(withReferrals.length).toBeGreaterThan(0);
    for (const child of withReferrals) for (const r of child.healthReferrals) expect(r.linkKey).toBe(child.linkKey);
  });

  it('refuses a request without a token, at the gateway and at each subgraph', async () => {
    const res = await stack.query('{ priorityActions { reference } }');
    expect(res.status).toBe(401);
    expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(res.data).toBeUndefined();
    for (const s of Object.values(stack.subgraphs)) {
      const direct = await postGraphQL(s.url, '{ _service { sdl } }');
      expect(direct.status).toBe(401);
    }
  });

  it('answers a field the role may not read with FORBIDDEN, not null', async () => {
    const res = await stack.queryAs('executive', '{ children(first: 1) { id } }');
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(res.data?.children ?? null).toBeNull();
  });

  describe('batched entity resolution: N references, one SQL query per entity type', () => {
    const selectsOn = (list: string[], table: string) => list.filter((sql) => new RegExp(`^select .* from "${table}" `, 'i').test(sql));

    it('casework resolves 40 Child references by id in one query', async () => {
      const ids = (await stack.queryAs<{ children: Array<{ id: string }> }>(DCO, '{ children(first: 40) { id } }')).data!.children.map((c) => c.id);
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
      const keys = (await stack.queryAs<{ children: Array<{ linkKey: string }> }>(DCO, '{ children(first: 30) { linkKey } }')).data!.children.map((c) => c.linkKey);
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
      await stack.queryAs(DCO, '{ children(first: 60) { healthReferrals { id } } }');
      expect(selectsOn(stack.statements.health, 'referral')).toHaveLength(1);
    });

    it('governance loads the KPIs of every action in one query', async () => {
      await stack.queryAs(DCO, '{ priorityActions { kpi { name } } }');
      expect(selectsOn(stack.statements.governance, 'kpi')).toHaveLength(1);
    });
  });
});
