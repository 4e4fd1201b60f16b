import { startTestStack, type TestStack } from '../support/stack';
import { TEST_LINK_KEY_SECRET } from '../support/databases';

const TODAY = '2026-11-22';

/** Through the gateway: a child's statutory timeline from casework with the health contribution, in one query. */
describe('health through the gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: TODAY, log: () => undefined } });
  }, 180_000);
  afterAll(async () => stack?.stop());

  it('returns casework assessments with health advice dates and the health referrals of the same children', async () => {
    const res = await stack.queryAs<{ children: { nodes: Array<{ linkKey: string; assessments: Array<{ id: string; healthAdviceAskedDate: string | null; healthAdvice: { askedDate: string; returnedDate: string | null; returnedWithinSixWeeks: boolean | null } | null }>; healthReferrals: Array<{ linkKey: string }> }> } }>(
      'designated_clinical_officer',
      `{ children(first: 60) { nodes { linkKey
          assessments { id healthAdviceAskedDate healthAdvice { askedDate returnedDate returnedWithinSixWeeks } }
          healthReferrals { linkKey pathway receivedDate } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const children = res.data!.children.nodes;
    const assessments = children.flatMap((c) => c.assessments);
    const withAdvice = assessments.filter((a) => a.healthAdvice);
    expect(withAdvice.length).toBeGreaterThan(0);
    // Health's record of the request matches the council's date for every assessment it knows.
    for (const a of withAdvice) expect(a.healthAdvice!.askedDate).toBe(a.healthAdviceAskedDate);
    expect(children.some((c) => c.healthReferrals.length > 0)).toBe(true);
    for (const c of children) for (const r of c.healthReferrals) expect(r.linkKey).toBe(c.linkKey);
  });

  it('a caseworker sees the health advice dates on an assessment but is refused the child\'s referrals', async () => {
    const advice = await stack.queryAs<{ children: { nodes: Array<{ assessments: Array<{ healthAdvice: unknown }> }> } }>('la_caseworker',
      '{ children(first: 50) { nodes { assessments { id healthAdvice { askedDate returnedDate returnedWithinSixWeeks } } } } }');
    expect(advice.errors).toBeUndefined();
    expect(advice.data!.children.nodes.flatMap((c) => c.assessments).some((a) => a.healthAdvice)).toBe(true);
    const referrals = await stack.queryAs('la_caseworker', '{ children(first: 5) { nodes { healthReferrals { pathway } } } }');
    expect(referrals.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('a governance KPI on a health measure reads the same figure as healthMeasures', async () => {
    const direct = await stack.queryAs<{ healthMeasures: Array<{ points: Array<{ value: number | null }> }> }>('icb_analyst',
      '{ healthMeasures(codes: ["WAITING_COUNT"], from: "2026-10-01", to: "2026-10-31") { points { value } } }');
    expect(direct.errors).toBeUndefined();
    expect(direct.data!.healthMeasures[0].points[0].value).toBeGreaterThan(0);
    const viaKpi = await stack.queryAs<{ kpis: { nodes: Array<{ healthMeasure: { code: string; series: Array<{ value: number | null }> } | null }> } }>('icb_analyst',
      '{ kpis { nodes { healthMeasure { code series(from: "2026-10-01", to: "2026-10-31") { value } } } } }');
    expect(viaKpi.errors).toBeUndefined();
    const waiting = viaKpi.data!.kpis.nodes.map((k) => k.healthMeasure).filter((m) => m?.code === 'WAITING_OVER_18WK_PCT');
    expect(waiting.length).toBeGreaterThan(0);
    const pct = await stack.queryAs<{ healthMeasures: Array<{ points: Array<{ value: number | null }> }> }>('icb_analyst',
      '{ healthMeasures(codes: ["WAITING_OVER_18WK_PCT"], from: "2026-10-01", to: "2026-10-31") { points { value } } }');
    expect(waiting[0]!.series[0].value).toBe(pct.data!.healthMeasures[0].points[0].value);
  });
});
