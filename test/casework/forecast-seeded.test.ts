import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { annualReviewDueDate, decisionDueDate } from '../../subgraphs/casework/rules/timescales';
import { addDays, daysBetween } from '../../subgraphs/toolkit/dates';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';
import { postGraphQL } from '../support/stack';

/** The default synthetic dataset, seeded as at this day. */
const TODAY = '2026-11-22';
/** A month's end, so the quarter so far can be read from the monthly measures. */
const AS_OF = '2026-05-31';

const FORECAST = `query($asOf: Date) { ehcPipelineForecast(asOf: $asOf) {
    asOf openCount awaitingDecisionCount beingAssessedCount countsSuppressed
    passingTwentyWeeks { startDate endDate count suppressed expected }
    currentQuarter { startDate endDate plansIssuedCount percentSoFar expectedPlans projectedPercent low high suppressed }
    currentYear { startDate endDate plansIssuedCount percentSoFar expectedPlans projectedPercent low high suppressed }
    decisionsOverdueCount decisionsDue { startDate count } reviewsDue { startDate endDate count suppressed } assumptions
  } }`;

describe('the EHC pipeline forecast on the seeded database', () => {
  let dbs: TestDatabases;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  let db: pg.Client;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework], { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 1, today: TODAY, log: () => undefined });
    issuer = await createTestIssuer();
    subgraph = await startSubgraph(casework, { port: 0, host: '127.0.0.1', databaseUrl: dbs.logins.casework.appUrl, auth: issuer.config });
    db = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await db.connect();
  }, 180_000);
  afterAll(async () => {
    await db?.end();
    await subgraph?.stop();
    await dbs?.drop();
  });
  const as = async (role: 'la_caseworker' | 'executive', query: string, variables?: Record<string, unknown>) => postGraphQL<Record<string, any>>(subgraph.url, query, variables, await issuer.as(role));

  /** Every request's dates, read plainly; the expectations below are worked out from these in TypeScript. */
  async function requests() {
    const { rows } = await db.query(`SELECT r.received_date::text AS received, r.outcome, r.outcome_date::text AS decided,
        a.outcome AS a_outcome, a.outcome_date::text AS a_date, e.issue_date::text AS issued
      FROM ehcna_request r LEFT JOIN ehc_needs_assessment a ON a.request_id = r.id LEFT JOIN ehc_plan e ON e.assessment_id = a.id`);
    return rows as Array<{ received: string; outcome: string; decided: string | null; a_outcome: string | null; a_date: string | null; issued: string | null }>;
  }
  /** Open at the end of asOf: received, and no plan, refusal or withdrawal dated by then. */
  const openOn = (asOf: string, r: Awaited<ReturnType<typeof requests>>[number]) =>
    r.received <= asOf && r.outcome !== 'H' && r.a_outcome !== 'H' &&
    !(r.issued && r.issued <= asOf) &&
    !(['N', 'W'].includes(r.outcome) && r.decided && r.decided <= asOf) &&
    !(r.a_outcome && ['N', 'W'].includes(r.a_outcome) && r.a_date && r.a_date <= asOf);

  it('counts the open requests, when each passes 20 weeks, and the decisions due, as the records stood at asOf', async () => {
    const res = await as('la_caseworker', FORECAST, { asOf: AS_OF });
    expect(res.errors).toBeUndefined();
    const f = res.data!.ehcPipelineForecast;
    const open = (await requests()).filter((r) => openOn(AS_OF, r));
    expect(f.openCount).toBe(open.length);
    expect(f.openCount).toBeGreaterThan(100);
    expect(f.awaitingDecisionCount + f.beingAssessedCount).toBe(f.openCount);
    expect(f.awaitingDecisionCount).toBe(open.filter((r) => !(r.decided && r.decided <= AS_OF)).length);

    // Day 141 from the request falls in week w after asOf.
    const passing = Array(12).fill(0);
    for (const r of open) {
      const firstLate = addDays(r.received, 141);
      const w = Math.ceil(daysBetween(AS_OF, firstLate) / 7) - 1;
      if (w >= 0 && w < 12) passing[w]++;
    }
    expect(f.passingTwentyWeeks.map((w: { count: number }) => w.count)).toEqual(passing);
    expect(f.passingTwentyWeeks[0].startDate).toBe('2026-06-01');
    for (const w of f.passingTwentyWeeks) expect(w.expected).toBeLessThanOrEqual(w.count);

    const undecided = open.filter((r) => !(r.decided && r.decided <= AS_OF)).map((r) => decisionDueDate(r.received));
    expect(f.decisionsOverdueCount).toBe(undecided.filter((d) => d < AS_OF).length);
    expect(f.decisionsDue.map((w: { count: number }) => w.count)).toEqual([
      undecided.filter((d) => d >= AS_OF && d <= addDays(AS_OF, 6)).length,
      undecided.filter((d) => d >= addDays(AS_OF, 7) && d <= addDays(AS_OF, 13)).length,
    ]);
  });

  it('finds the annual reviews falling due by the pure rule, plan by plan', async () => {
    const { rows } = await db.query(`SELECT e.issue_date::text AS issued, array_remove(array_agg(v.meeting_date::text), NULL) AS meetings
      FROM ehc_plan e LEFT JOIN annual_review v ON v.plan_id = e.id AND v.meeting_date <= $1
      WHERE e.issue_date <= $1 AND (e.cease_date IS NULL OR e.cease_date > $1) GROUP BY e.id`, [AS_OF]);
    const due = rows.map((p: { issued: string; meetings: string[] }) => annualReviewDueDate(p.issued, p.meetings));
    const expected = [0, 1, 2, 3].map((w) => due.filter((d) => d >= addDays(AS_OF, 7 * w) && d <= addDays(AS_OF, 7 * w + 6)).length);
    const res = await as('la_caseworker', FORECAST, { asOf: AS_OF });
    expect(res.data!.ehcPipelineForecast.reviewsDue.map((w: { count: number }) => w.count)).toEqual(expected);
    expect(expected.reduce((a, b) => a + b)).toBeGreaterThan(0);
  });

  it('projects the quarter and year from what has been issued so far, which agrees with EHC_20WK_EXCL', async () => {
    const res = await as('la_caseworker', `${FORECAST.replace('query($asOf: Date) {', 'query($asOf: Date) { caseworkMeasures(codes: ["EHC_20WK_EXCL"], from: "2026-04-01", to: "2026-05-31", interval: MONTH) { points { numerator denominator value } }')}`, { asOf: AS_OF });
    expect(res.errors).toBeUndefined();
    const { currentQuarter: quarter, currentYear: year } = res.data!.ehcPipelineForecast;
    // April and May: the quarter up to asOf.
    const months: Array<{ numerator: number; denominator: number }> = res.data!.caseworkMeasures[0].points;
    expect(months).toHaveLength(2);
    const within = months.reduce((s, m) => s + m.numerator, 0);
    const plans = months.reduce((s, m) => s + m.denominator, 0);
    expect(quarter).toMatchObject({ startDate: '2026-04-01', endDate: '2026-06-30', plansIssuedCount: plans, percentSoFar: Math.round((1000 * within) / plans) / 10 });
    expect(year).toMatchObject({ startDate: '2026-01-01', endDate: '2026-12-31' });
    for (const p of [quarter, year]) {
      expect(p.expectedPlans).toBeGreaterThan(0);
      expect(p.low).toBeLessThanOrEqual(p.projectedPercent);
      expect(p.high).toBeGreaterThanOrEqual(p.projectedPercent);
    }
    // The year has more issued so far than the quarter, and less still to come relative to it.
    expect(year.plansIssuedCount).toBeGreaterThan(quarter.plansIssuedCount);
  });

  it('at a quarter\'s end forecasts the next quarter, with nothing issued in it yet', async () => {
    const res = await as('la_caseworker', FORECAST, { asOf: '2026-03-31' });
    expect(res.data!.ehcPipelineForecast.currentQuarter).toMatchObject({ startDate: '2026-04-01', plansIssuedCount: 0, percentSoFar: null });
  });

  it('withholds and rounds the counts for a role without person-level rights', async () => {
    const full = (await as('la_caseworker', FORECAST, { asOf: AS_OF })).data!.ehcPipelineForecast;
    const res = await as('executive', FORECAST, { asOf: AS_OF });
    expect(res.errors).toBeUndefined();
    const f = res.data!.ehcPipelineForecast;
    const counts = [f.openCount, f.awaitingDecisionCount, f.beingAssessedCount, f.decisionsOverdueCount, ...f.passingTwentyWeeks.map((w: { count: number }) => w.count), ...f.reviewsDue.map((w: { count: number }) => w.count)];
    for (const c of counts) if (c !== null) expect(c % 5).toBe(0);
    expect(Math.abs(f.openCount - full.openCount)).toBeLessThanOrEqual(2);
    f.passingTwentyWeeks.forEach((w: { count: number | null; suppressed: boolean; expected: number | null }, i: number) => {
      if (full.passingTwentyWeeks[i].count >= 1 && full.passingTwentyWeeks[i].count <= 7) expect(w).toMatchObject({ count: null, suppressed: true, expected: null });
    });
    expect(f.currentQuarter.projectedPercent).toBe(full.currentQuarter.projectedPercent);
  });

  it('hangs the forecast on the measure it forecasts, so a KPI reaches it through its caseworkMeasure', async () => {
    const res = await as('executive', `{ _entities(representations: [{ __typename: "CaseworkMeasure", code: "EHC_20WK_EXCL" }, { __typename: "CaseworkMeasure", code: "PLANS_ACTIVE" }]) {
        ... on CaseworkMeasure { code forecast(asOf: "${AS_OF}") { currentQuarter { projectedPercent } } } } }`);
    expect(res.errors).toBeUndefined();
    const direct = (await as('executive', FORECAST, { asOf: AS_OF })).data!.ehcPipelineForecast;
    expect(res.data!._entities).toEqual([
      { code: 'EHC_20WK_EXCL', forecast: { currentQuarter: { projectedPercent: direct.currentQuarter.projectedPercent } } },
      { code: 'PLANS_ACTIVE', forecast: null },
    ]);
  });

  it('refuses a date after today, naming asOf', async () => {
    const res = await as('la_caseworker', FORECAST, { asOf: '2999-01-01' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
  });
});
