import { eventually, startFaultStack, type FaultStack } from './support';

/**
 * A subgraph paused (as by SIGSTOP) or killed under a real stack: what does not
 * need it keeps answering; what needs it comes back within its deadline with
 * everything else, the missing part null and named.
 */
const AS_OF = '2026-02-09';
const HEALTH_TIMEOUT_MS = 1_000;
/** Room for a busy machine: what is checked is that the answer does not wait for health, not how fast it is. */
const SLACK_MS = 8_000;

const DASHBOARD = `{ assuranceDashboard(asOf: "${AS_OF}") {
  kpiCards { name ownerOrganisation value suppressed rag ragReason trend kpi { measureCode } }
  priorityActionPlan { area { reference } actions { action { reference } status } }
  actionsNeedingAttention { action { reference } status reasons }
  overdueEscalations { issue responseDueDate }
  nextMeetings { heldDate title }
  familyVoiceThemes { theme count }
} }`;

interface Card { name: string; ownerOrganisation: string; value: number | null; suppressed: boolean; rag: string; ragReason: string | null; trend: string; kpi: { measureCode: string } }
interface Dashboard {
  assuranceDashboard: {
    kpiCards: Card[];
    priorityActionPlan: Array<{ area: { reference: string }; actions: Array<{ action: { reference: string }; status: string }> }>;
    actionsNeedingAttention: Array<{ action: { reference: string }; status: string; reasons: string[] }>;
    overdueEscalations: Array<{ issue: string; responseDueDate: string }>;
    nextMeetings: Array<{ heldDate: string; title: string }>;
    familyVoiceThemes: Array<{ theme: string; count: number }>;
  } | null;
}

const GOVERNANCE_ONLY = '{ priorityActions { nodes { reference title } } }';
const CHILDREN = '{ children(first: 5, filter: { hasActivePlan: true }) { totalCount nodes { id district healthReferrals { pathway receivedDate } } } }';

/** No error may carry a subgraph's address or its response. */
function expectNothingInternal(res: { errors?: unknown[] }, stack: FaultStack): void {
  const text = JSON.stringify(res.errors ?? []);
  expect(text).not.toMatch(/https?:\/\//);
  for (const port of [...Object.values(stack.links).map((l) => l.port), ...Object.values(stack.subgraphs).map((s) => s.port)]) expect(text).not.toContain(String(port));
  expect(text).not.toMatch(/"response"|ECONN|fetch failed/);
}

describe('a subgraph paused or killed under a real stack', () => {
  let stack: FaultStack;
  let baseline: Dashboard['assuranceDashboard'];
  let baselineChildren: { totalCount: number; nodes: Array<{ id: string; district: string }> };

  beforeAll(async () => {
    stack = await startFaultStack({ subgraphCalls: { timeoutsMs: { casework: 3_000, health: HEALTH_TIMEOUT_MS, governance: 3_000 }, checkIntervalMs: 300 } });
    const dash = await stack.queryAs<Dashboard>('executive', DASHBOARD);
    expect(dash.errors).toBeUndefined();
    baseline = dash.data!.assuranceDashboard;
    const children = await stack.queryAs<{ children: typeof baselineChildren }>('designated_clinical_officer', CHILDREN);
    expect(children.errors).toBeUndefined();
    baselineChildren = children.data!.children;
  }, 120_000);
  afterAll(async () => stack?.stop());

  it('with every subgraph up, every health KPI is read (no reason given for any ICB card)', () => {
    const icb = baseline!.kpiCards.filter((c) => c.ownerOrganisation === 'ICB');
    expect(icb.length).toBeGreaterThan(0);
    for (const c of icb) expect(c.ragReason ?? '').not.toMatch(/did not answer/);
  });

  describe('health paused', () => {
    beforeAll(() => stack.links.health.pause());
    afterAll(() => stack.links.health.resume());

    it('a query that needs only governance answers at once', async () => {
      const res = await stack.queryAs<{ priorityActions: { nodes: unknown[] } }>('board_member', GOVERNANCE_ONLY);
      expect(res.errors).toBeUndefined();
      expect(res.data!.priorityActions.nodes.length).toBeGreaterThan(0);
    });

    it('the dashboard comes back within the deadline: governance\'s items and casework\'s KPIs as before, health\'s KPIs GREY saying why, one error naming health and the ICB', async () => {
      const res = await stack.queryAs<Dashboard>('executive', DASHBOARD);
      expect(res.status).toBe(200);
      // Health stays paused for as long as this block runs: without a deadline this would not return at all.
      expect(res.ms).toBeLessThan(HEALTH_TIMEOUT_MS + SLACK_MS);
      const d = res.data!.assuranceDashboard!;
      // Governance's own items, unchanged.
      expect(d.priorityActionPlan.map((a) => a.area.reference)).toEqual(baseline!.priorityActionPlan.map((a) => a.area.reference));
      expect(d.overdueEscalations).toEqual(baseline!.overdueEscalations);
      expect(d.nextMeetings).toEqual(baseline!.nextMeetings);
      expect(d.familyVoiceThemes).toEqual(baseline!.familyVoiceThemes);
      // Casework's KPIs, the same figures as with health up.
      const la = (cards: Card[]) => cards.filter((c) => c.ownerOrganisation === 'LA');
      expect(la(d.kpiCards)).toEqual(la(baseline!.kpiCards));
      // Health's KPIs: GREY, no value, and why.
      const icb = d.kpiCards.filter((c) => c.ownerOrganisation === 'ICB');
      expect(icb.length).toBe(baseline!.kpiCards.filter((c) => c.ownerOrganisation === 'ICB').length);
      for (const c of icb) {
        expect(c).toMatchObject({ value: null, rag: 'GREY', trend: 'UNKNOWN' });
        expect(c.ragReason).toBe("health's service (ICB) did not answer: there is no value to rate.");
      }
      // The error says who is missing and where, and nothing internal.
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ path: ['assuranceDashboard'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health', organisation: 'ICB' } });
      expectNothingInternal(res, stack);
    });

    it('/health/ready stays 200 and /health/subgraphs reports health down, the others up', async () => {
      await eventually('health reported down', async () => {
        const body = (await (await fetch(`${stack.gatewayBase}/health/subgraphs`)).json()) as { subgraphs: Array<{ name: string; state: string }> };
        return body.subgraphs.find((s) => s.name === 'health')?.state === 'down';
      });
      expect((await fetch(`${stack.gatewayBase}/health/ready`)).status).toBe(200);
      const report = (await (await fetch(`${stack.gatewayBase}/health/subgraphs`)).json()) as { subgraphs: Array<{ name: string; organisation: string; state: string; lastCheckedAt: string; latencyMs: number | null; problem: string | null }> };
      const byName = Object.fromEntries(report.subgraphs.map((s) => [s.name, s]));
      expect(byName.health).toMatchObject({ organisation: 'ICB', state: 'down' });
      expect(byName.health.problem).toMatch(/no answer within/);
      expect(Date.parse(byName.health.lastCheckedAt)).toBeGreaterThan(Date.now() - 10_000);
      for (const name of ['casework', 'governance']) {
        expect(byName[name].state).toBe('up');
        expect(byName[name].latencyMs).toEqual(expect.any(Number));
      }
      expect(JSON.stringify(report)).not.toMatch(/http|127\.0\.0\.1/);
    });

    it('once health is known to be down, a request that needs it does not wait for it at all', async () => {
      const res = await stack.queryAs<{ kpis: { nodes: Array<{ ownerOrganisation: string; reading: { value: number | null; rag: string; ragReason: string | null } }> } }>(
        'executive',
        `{ kpis { nodes { ownerOrganisation reading(asOf: "${AS_OF}") { value rag ragReason } } } }`,
      );
      const icb = res.data!.kpis.nodes.filter((x) => x.ownerOrganisation === 'ICB');
      expect(icb.length).toBeGreaterThan(0);
      for (const k of icb) expect(k.reading).toMatchObject({ value: null, rag: 'GREY', ragReason: "health's service (ICB) did not answer: there is no value to rate." });
      // Casework's readings are read as ever.
      expect(res.data!.kpis.nodes.filter((x) => x.ownerOrganisation === 'LA').some((k) => k.reading.value !== null)).toBe(true);
      // No call was made: the error says health is not answering, not that a call to it timed out.
      expect(res.errors!.length).toBeGreaterThan(0);
      for (const e of res.errors!) {
        expect(e.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health' });
        expect(e.message).toBe("health's service (ICB) is not answering: the fields it provides are null.");
      }
    });
  });

  it('after health resumes it is reported up and answers complete again', async () => {
    await eventually('health reported up', async () => {
      const body = (await (await fetch(`${stack.gatewayBase}/health/subgraphs`)).json()) as { subgraphs: Array<{ name: string; state: string }> };
      return body.subgraphs.find((s) => s.name === 'health')?.state === 'up';
    });
    const res = await stack.queryAs<Dashboard>('executive', DASHBOARD);
    expect(res.errors).toBeUndefined();
    expect(res.data!.assuranceDashboard!.kpiCards).toEqual(baseline!.kpiCards);
  });

  describe('health killed', () => {
    beforeAll(() => stack.links.health.kill());
    afterAll(() => stack.links.health.restart());

    it('a caseworker\'s page of children answers with casework\'s fields, each child\'s health referrals null with an error at its path', async () => {
      const res = await stack.queryAs<{ children: { totalCount: number; nodes: Array<{ id: string; district: string; healthReferrals: unknown }> } }>('designated_clinical_officer', CHILDREN);
      expect(res.status).toBe(200);
      expect(res.data!.children.totalCount).toBe(baselineChildren.totalCount);
      expect(res.data!.children.nodes.map((n) => [n.id, n.district])).toEqual(baselineChildren.nodes.map((n) => [n.id, n.district]));
      for (const n of res.data!.children.nodes) expect(n.healthReferrals).toBeNull();
      expect(res.errors!.map((e) => e.path)).toEqual(res.data!.children.nodes.map((_, i) => ['children', 'nodes', i, 'healthReferrals']));
      for (const e of res.errors!) expect(e.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health', organisation: 'ICB' });
      expectNothingInternal(res, stack);
    });

    it('a query that only health answers is null at its path, HTTP 200, naming health; governance-only queries are untouched', async () => {
      const res = await stack.queryAs<{ healthMeasures: unknown }>('icb_analyst', '{ healthMeasures(codes: ["WAITING_COUNT"], from: "2025-01-01", to: "2025-06-30") { code } }');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ healthMeasures: null });
      expect(res.errors).toEqual([expect.objectContaining({ path: ['healthMeasures'], extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health', organisation: 'ICB' }) })]);
      const gov = await stack.queryAs('board_member', GOVERNANCE_ONLY);
      expect(gov.errors).toBeUndefined();
    });

    it('the action a health KPI is linked to is still assessed, and says which KPI could not be read', async () => {
      const res = await stack.queryAs<{ priorityActions: { nodes: Array<{ reference: string; assessment: { status: string; reasons: string[]; overridden: boolean }; kpis: Array<{ name: string; ownerOrganisation: string }> }> } }>(
        'executive',
        `{ priorityActions { nodes { reference kpis { name ownerOrganisation } assessment(asOf: "${AS_OF}") { status reasons overridden } } } }`,
      );
      // A board override or every milestone done decides the status without the KPIs.
      const withHealthKpi = res.data!.priorityActions.nodes.filter((a) => a.kpis.some((k) => k.ownerOrganisation === 'ICB') && !a.assessment.overridden && a.assessment.status !== 'COMPLETE');
      expect(withHealthKpi.length).toBeGreaterThan(0);
      for (const a of withHealthKpi) {
        expect(a.assessment.status).toEqual(expect.any(String));
        for (const k of a.kpis.filter((x) => x.ownerOrganisation === 'ICB')) expect(a.assessment.reasons).toContain(`KPI "${k.name}" could not be read: health's service (ICB) did not answer.`);
      }
    });
  });
});
