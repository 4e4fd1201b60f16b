// Over 300 lines: governance through the real gateway with its figure owners, one short case per federated read, sharing one started stack.
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { governance } from '../../subgraphs/governance';
import { main as importDfe } from '../../subgraphs/governance/import/cli';
import { openDatabase } from '../../subgraphs/toolkit/database';
import { ragRating } from '../../subgraphs/governance/rules/rag';
import { DirectionValue } from '../../subgraphs/governance/entities/enums';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import type { TestStack } from '../support/stack';
import { startTestStack } from '../support/stack';

const AS_OF = '2026-02-09';
const SEED = { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: '2026-03-01', log: () => undefined };

describe('governance through the gateway, with live casework and health figures', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ seed: SEED });
  }, 240_000);
  afterAll(async () => stack?.stop());

  it('a KPI reading carries the live casework value, its period and a RAG by the written rule, without fragments', async () => {
    const res = await stack.queryAs<{ kpis: { nodes: Array<{ measureCode: string; direction: string; amberTolerance: number; reading: { value: number; periodStart: string; periodEnd: string; trajectoryValue: number; rag: string; suppressed: boolean } }> } }>(
      'executive',
      `{ kpis { nodes { measureCode direction amberTolerance reading(asOf: "${AS_OF}") { value periodStart periodEnd suppressed trajectoryValue rag } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const plans = res.data!.kpis.nodes.find((k) => k.measureCode === 'PLANS_ACTIVE')!;
    expect(plans.reading.periodStart).toBe('2026-01-01');
    expect(plans.reading.periodEnd).toBe('2026-01-31');
    const direct = await stack.queryAs<{ caseworkMeasures: Array<{ points: Array<{ value: number }> }> }>('executive', '{ caseworkMeasures(codes: ["PLANS_ACTIVE"], from: "2026-01-01", to: "2026-01-31") { points { value } } }');
    expect(direct.errors).toBeUndefined();
    expect(plans.reading.value).toBe(direct.data!.caseworkMeasures[0].points[0].value);
    expect(plans.reading.value).toBeGreaterThan(0);
    expect(plans.reading.rag).toBe(ragRating(plans.reading.value, plans.reading.suppressed, plans.reading.trajectoryValue, DirectionValue.LOWER_IS_BETTER, plans.amberTolerance));
  });

  it('a KPI on the 20-week measure carries the pipeline forecast beside its reading, from casework', async () => {
    type Forecast = { currentQuarter: { startDate: string; projectedPercent: number | null; low: number | null; high: number | null } };
    const res = await stack.queryAs<{ kpis: { nodes: Array<{ measureCode: string; reading: { value: number | null }; caseworkMeasure: { forecast: Forecast | null } | null }> } }>(
      'la_caseworker',
      `{ kpis { nodes { measureCode reading(asOf: "${AS_OF}") { value } caseworkMeasure { forecast(asOf: "${AS_OF}") { currentQuarter { startDate projectedPercent low high } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const direct = await stack.queryAs<{ ehcPipelineForecast: Forecast }>('la_caseworker', `{ ehcPipelineForecast(asOf: "${AS_OF}") { currentQuarter { startDate projectedPercent low high } } }`);
    expect(direct.errors).toBeUndefined();
    const twentyWeeks = res.data!.kpis.nodes.find((k) => k.measureCode === 'EHC_20WK_EXCL')!;
    expect(twentyWeeks.caseworkMeasure!.forecast).toEqual(direct.data!.ehcPipelineForecast);
    expect(twentyWeeks.caseworkMeasure!.forecast!.currentQuarter.startDate).toBe('2026-01-01');
    // Only the measure it forecasts carries one.
    const others = res.data!.kpis.nodes.filter((k) => k.caseworkMeasure && k.measureCode !== 'EHC_20WK_EXCL');
    expect(others.length).toBeGreaterThan(0);
    for (const k of others) expect(k.caseworkMeasure!.forecast).toBeNull();
    // And on the dashboard, beside the KPI's card.
    const dashboard = await stack.queryAs<{ assuranceDashboard: { kpiCards: Array<{ value: number | null; kpi: { measureCode: string; caseworkMeasure: { forecast: Forecast | null } | null } }> } }>(
      'la_caseworker',
      `{ assuranceDashboard(asOf: "${AS_OF}") { kpiCards { value kpi { measureCode caseworkMeasure { forecast(asOf: "${AS_OF}") { currentQuarter { startDate projectedPercent low high } } } } } } }`,
    );
    expect(dashboard.errors).toBeUndefined();
    const card = dashboard.data!.assuranceDashboard.kpiCards.find((c) => c.kpi.measureCode === 'EHC_20WK_EXCL')!;
    expect(card.kpi.caseworkMeasure!.forecast).toEqual(direct.data!.ehcPipelineForecast);
  });

  it('the dashboard answers in one query, each subgraph computing all its figures in one statement per interval', async () => {
    for (const list of Object.values(stack.statements)) list.length = 0;
    const res = await stack.queryAs<{ assuranceDashboard: {
      kpiCards: Array<{ name: string; ownerOrganisation: string; value: number | null; periodEnd: string; rag: string; kpi: { measureCode: string } }>;
      priorityActionPlan: Array<{ area: { reference: string }; byStatus: Array<{ status: string; count: number }>; actions: Array<{ action: { reference: string }; status: string }> }>;
      actionsNeedingAttention: Array<{ action: { reference: string }; status: string; reasons: string[]; latestNextSteps: string | null }>;
      overdueEscalations: Array<{ issue: string; responseDueDate: string }>;
      nextMeetings: Array<{ heldDate: string; title: string }>;
      nextReviews: Array<{ heldDate: string }>;
      familyVoiceThemes: Array<{ theme: string; count: number }>;
    } }>('executive', `{ assuranceDashboard(asOf: "${AS_OF}") {
      kpiCards { name ownerOrganisation value periodEnd rag trend target trajectoryValue kpi { measureCode } englandComparator { value year } }
      priorityActionPlan { area { reference title } byStatus { status count } actions { action { reference } status } }
      actionsNeedingAttention { action { reference title } status reasons latestNextSteps }
      overdueEscalations { issue responseDueDate raisedByOrganisation }
      nextMeetings { heldDate title }
      nextReviews { heldDate title }
      familyVoiceThemes { theme count responded }
    } }`);
    expect(res.errors).toBeUndefined();
    const d = res.data!.assuranceDashboard;
    const plans = d.kpiCards.find((c) => c.kpi.measureCode === 'PLANS_ACTIVE')!;
    expect(plans.value).toBeGreaterThan(0);
    expect(d.kpiCards.some((c) => c.ownerOrganisation === 'ICB')).toBe(true);
    // Casework computed every LA KPI's figures in one statement per interval (MONTH, QUARTER), however many cards.
    const computeStatements = stack.statements.casework.filter((s) => s.includes('json_to_recordset'));
    expect(computeStatements.length).toBeLessThanOrEqual(2);
    expect(stack.statements.health.filter((s) => s.includes('json_to_recordset')).length).toBeLessThanOrEqual(2);
    expect(d.priorityActionPlan.map((a) => a.area.reference)).toEqual(['APA-1', 'APA-2', 'WAI-1', 'WAI-2']);
    for (const area of d.priorityActionPlan) expect(area.byStatus.reduce((n, s) => n + s.count, 0)).toBe(area.actions.length);
    // The override on PAP-2.2 holds until 18 March 2026.
    const pap22 = d.priorityActionPlan[1].actions.find((a) => a.action.reference === 'PAP-2.2')!;
    expect(pap22.status).toBe('AT_RISK');
    // PAP-1.2's "80% by 28 February" milestone falls due within 28 days.
    const pap12 = d.actionsNeedingAttention.find((a) => a.action.reference === 'PAP-1.2')!;
    expect(pap12.reasons.join(' ')).toContain('2026-02-28');
    expect(d.overdueEscalations.map((e) => e.responseDueDate)).toEqual(['2026-02-06']);
    expect(d.nextMeetings[0]).toEqual({ heldDate: '2026-02-09', title: 'Improvement Board, February 2026' });
    expect(d.nextReviews[0].heldDate).toBe('2026-06-17');
    expect(d.familyVoiceThemes[0]).toMatchObject({ theme: 'Allocated worker', count: 2, responded: 2 });
  });

  it.each(['executive', 'icb_analyst', 'partner_app'] as const)('every dashboard KPI value equals its owner\'s measure for the same period, as %s sees both', async (role) => {
    const res = await stack.queryAs<{ assuranceDashboard: { kpiCards: Array<{ value: number | null; suppressed: boolean; periodStart: string; periodEnd: string; kpi: { measureCode: string; interval: string; ownerOrganisation: string } }> } }>(
      role,
      `{ assuranceDashboard(asOf: "${AS_OF}") { kpiCards { value suppressed periodStart periodEnd kpi { measureCode interval ownerOrganisation } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const cards = res.data!.assuranceDashboard.kpiCards;
    expect(cards.length).toBeGreaterThan(10);
    let compared = 0;
    for (const c of cards) {
      const field = c.kpi.ownerOrganisation === 'LA' ? 'caseworkMeasures' : 'healthMeasures';
      const direct = await stack.queryAs<Record<string, Array<{ points: Array<{ value: number | null; suppressed: boolean; periodEnd: string }> }>>>(
        role,
        `{ ${field}(codes: ["${c.kpi.measureCode}"], from: "${c.periodStart}", to: "${c.periodEnd}", interval: ${c.kpi.interval}) { points { value suppressed periodEnd } } }`,
      );
      expect(direct.errors).toBeUndefined();
      const [point] = direct.data![field][0].points;
      expect(point.periodEnd).toBe(c.periodEnd);
      expect({ code: c.kpi.measureCode, value: c.value, suppressed: c.suppressed }).toEqual({ code: c.kpi.measureCode, value: point.suppressed ? null : point.value, suppressed: point.suppressed });
      compared++;
    }
    expect(compared).toBe(cards.length);
  });

  it('an action\'s status through the gateway follows the rule with its KPIs live', async () => {
    const res = await stack.queryAs<{ priorityAction: { assessment: { status: string; overridden: boolean; reasons: string[]; kpis: Array<{ name: string; rag: string }> } } }>(
      'board_member',
      '{ priorityAction(reference: "PAP-2.2") { assessment(asOf: "2026-03-19") { status overridden reasons kpis { name rag } } } }',
    );
    expect(res.errors).toBeUndefined();
    // The override expired on 18 March; the milestone due 31 December 2025 was completed late, on 24 February,
    // so from 19 March the rule alone decides, from the KPIs and the progress updates.
    const { status, overridden, reasons } = res.data!.priorityAction.assessment;
    expect(overridden).toBe(false);
    expect(reasons.join('\n')).not.toMatch(/Set by the board|Additional assessment capacity commissioned/);
    expect(status).toBe(reasons.some((r) => /red for two consecutive periods|was due on/.test(r)) ? 'OFF_TRACK' : reasons.some((r) => !/could not be/.test(r)) ? 'AT_RISK' : 'ON_TRACK');
    expect(res.data!.priorityAction.assessment.kpis).toHaveLength(2);
    const before = await stack.queryAs<{ priorityAction: { assessment: { status: string; overridden: boolean } } }>('board_member', '{ priorityAction(reference: "PAP-2.2") { assessment(asOf: "2026-03-18") { status overridden } } }');
    expect(before.data!.priorityAction.assessment).toEqual({ status: 'AT_RISK', overridden: true });
  });

  it('a partner app sees published items only, in lists, lookups and the dashboard', async () => {
    const all = await stack.queryAs<{ priorityActions: { nodes: Array<{ reference: string }> }; kpis: { nodes: Array<{ measureCode: string }> }; escalations: { nodes: unknown[] } }>('board_member', '{ priorityActions { nodes { reference } } kpis { nodes { measureCode } } escalations { nodes { issue } } }');
    const partner = await stack.queryAs<{ priorityActions: { nodes: Array<{ reference: string }> }; kpis: { nodes: Array<{ measureCode: string }> }; escalations: { nodes: unknown[] }; priorityAction: unknown; assuranceDashboard: { kpiCards: Array<{ kpi: { measureCode: string } }>; overdueEscalations: unknown[] } }>(
      'partner_app',
      `{ priorityActions { nodes { reference } } kpis { nodes { measureCode } } escalations { nodes { issue } } priorityAction(reference: "PAP-1.5") { reference }
         assuranceDashboard(asOf: "${AS_OF}") { kpiCards { kpi { measureCode } } overdueEscalations { issue } } }`,
    );
    expect(partner.errors).toBeUndefined();
    expect(all.data!.priorityActions.nodes.map((a) => a.reference)).toContain('PAP-1.5');
    expect(partner.data!.priorityActions.nodes.map((a) => a.reference)).not.toContain('PAP-1.5');
    expect(partner.data!.priorityAction).toBeNull();
    expect(all.data!.kpis.nodes.map((k) => k.measureCode)).toContain('EHC_20WK_INCL');
    expect(partner.data!.kpis.nodes.map((k) => k.measureCode)).not.toContain('EHC_20WK_INCL');
    expect(partner.data!.assuranceDashboard.kpiCards.map((c) => c.kpi.measureCode)).not.toContain('EHC_20WK_INCL');
    expect(partner.data!.escalations.nodes.length).toBeLessThan(all.data!.escalations.nodes.length);
    expect(partner.data!.assuranceDashboard.overdueEscalations).toEqual([]);
  });

  it('the partner briefing is Markdown with decisions, live KPI values and the next meeting', async () => {
    const res = await stack.queryAs<{ meetings: { nodes: Array<{ heldDate: string; partnerBriefing: { markdown: string } }> } }>('partner_app', '{ meetings(filter: { from: "2026-02-09", to: "2026-02-09" }) { nodes { heldDate partnerBriefing { markdown } } } }');
    expect(res.errors).toBeUndefined();
    const md = res.data!.meetings.nodes[0].partnerBriefing.markdown;
    expect(md).toContain('# SEND Partnership Improvement Board: February 2026 partner update');
    expect(md).toContain('## Decisions');
    expect(md).toContain('Partnership Assurance and Improvement Group');
    expect(md).toMatch(/\| Active EHC plans against the caseload the service is resourced for \| LA \| 2026-01-01 to 2026-01-31 \| [\d,]+ \|/);
    expect(md).toContain('Wednesday, 18 March 2026');
    // Unpublished KPIs stay out of a briefing for partners.
    expect(md).not.toContain('including exceptions');
  });

  const REAL = '/work/shared/reference/dfe-ehc-plans-2025/timeliness_20_week.csv';
  (existsSync(REAL) ? it : it.skip)('a full published DfE file, imported, reads back through the gateway and gives each KPI its comparators', async () => {
    const orm = await openDatabase({ url: stack.databases.logins.governance.appUrl, entities: governance.entities, migrations: governance.migrations });
    try {
      expect(await importDfe([REAL, '--user', 'test'], { out: () => undefined, err: () => undefined, open: async () => ({ orm, close: async () => undefined }) })).toBe(0);
    } finally {
      await orm.close(true);
    }
    const res = await stack.queryAs<{ publishedComparators: { nodes: Array<{ year: number; areaName: string; geographicLevel: string; value: number; oldLaCode: string | null }> }; kpis: { nodes: Array<{ measureCode: string; comparators: Array<{ areaName: string; year: number; value: number }> }> } }>(
      'partner_app',
      `{ publishedComparators(filter: { measureCode: "EHC_20WK_EXCL", areas: ["891", "E92000001", "East Midlands"], years: [2022, 2024] }) { nodes { year areaName geographicLevel value oldLaCode } }
         kpis { nodes { measureCode comparators(year: 2024) { areaName year value } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const fig = (area: string, year: number) => res.data!.publishedComparators.nodes.find((c) => c.areaName === area && c.year === year)?.value;
    expect(fig('Nottinghamshire', 2022)).toBe(4.5);
    expect(fig('Nottinghamshire', 2024)).toBe(37.5);
    expect(fig('England', 2024)).toBe(46.4);
    expect(fig('England', 2022)).toBe(49.2);
    expect(res.data!.publishedComparators.nodes).toHaveLength(6);
    const k20 = res.data!.kpis.nodes.find((k) => k.measureCode === 'EHC_20WK_EXCL')!;
    // England, East Midlands, Nottinghamshire and the six statistical neighbours, all for 2024.
    expect(k20.comparators.map((c) => c.areaName).slice(0, 3)).toEqual(['England', 'East Midlands', 'Nottinghamshire']);
    expect(k20.comparators).toHaveLength(9);
    expect(k20.comparators.every((c) => c.year === 2024)).toBe(true);
    const dash = await stack.queryAs<{ assuranceDashboard: { kpiCards: Array<{ kpi: { measureCode: string }; englandComparator: { value: number; year: number } | null }> } }>('executive', '{ assuranceDashboard(asOf: "2026-02-09") { kpiCards { kpi { measureCode } englandComparator { value year } } } }');
    expect(dash.data!.assuranceDashboard.kpiCards.find((c) => c.kpi.measureCode === 'EHC_20WK_EXCL')!.englandComparator).toEqual({ value: 46.4, year: 2024 });
  });

  it('from the first start, with no import: like-for-like comparators, a reconciliation and the published breakdowns', async () => {
    type K = { measureCode: string; comparators: Array<{ areaName: string; year: number; value: number }>; yearOnYearChanges: Array<{ areaName: string; fromYear: number; toYear: number; change: number }>; comparisonNote: string; reading: { publishedReconciliation: { year: number; period: string; published: number; note: string } | null } };
    const res = await stack.queryAs<{ kpis: { nodes: K[] }; publishedIndicators: { totalCount: number; nodes: Array<{ code: string; areaName: string; value: number; total: number; percentOfTotal: number }> } }>(
      'executive',
      `{ kpis { nodes { measureCode comparators { areaName year value } yearOnYearChanges { areaName fromYear toYear change } comparisonNote reading(asOf: "2026-03-01") { publishedReconciliation { year period published note } } } }
         publishedIndicators(filter: { topic: PRIMARY_NEED, years: [2025] }, first: 500) { totalCount nodes { code areaName value total percentOfTotal } } }`,
    );
    expect(res.errors).toBeUndefined();
    const kpi = (code: string) => res.data!.kpis.nodes.find((k) => k.measureCode === code)!;
    // A count: only Nottinghamshire's own count, England and the region as change.
    const requests = kpi('EHCNA_REQUESTS');
    expect(requests.comparators.map((c) => [c.areaName, c.year])).toEqual([['Nottinghamshire', 2024]]);
    expect(requests.yearOnYearChanges.map((c) => c.areaName)).toEqual(['Nottinghamshire', 'England', 'East Midlands']);
    expect(requests.reading.publishedReconciliation).toMatchObject({ year: 2024, period: 'the calendar year 2024', published: requests.comparators[0].value });
    expect(requests.reading.publishedReconciliation!.note.length).toBeGreaterThan(20);
    // A rate: England's and the others' rates of one year.
    expect(kpi('EHC_20WK_EXCL').comparators.map((c) => c.areaName).slice(0, 3)).toEqual(['England', 'East Midlands', 'Nottinghamshire']);
    expect(kpi('EHC_MEAN_WEEKS').comparators).toEqual([]);
    expect(kpi('EHC_MEAN_WEEKS').comparisonNote).toContain('DfE publishes no figure');
    // Thirteen primary needs for England, the region, Nottinghamshire and six neighbours; Nottinghamshire's add up to its plans.
    expect(res.data!.publishedIndicators.totalCount).toBe(13 * 9);
    const notts = res.data!.publishedIndicators.nodes.filter((n) => n.areaName === 'Nottinghamshire');
    expect(notts.reduce((s, n) => s + n.value, 0)).toBe(notts[0].total);
  });

  it('loads the children of every action in one query per table (no N+1)', async () => {
    stack.statements.governance.length = 0;
    const res = await stack.queryAs<{ priorityActions: { nodes: unknown[] } }>('board_member', '{ priorityActions { nodes { reference area { reference } kpis { name } milestones { title } progressUpdates { totalCount nodes { nextSteps } } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.priorityActions.nodes.length).toBeGreaterThan(10);
    const selectsFrom = (table: string) => stack.statements.governance.filter((sql) => new RegExp(`^select .* from "${table}" `, 'i').test(sql));
    for (const table of ['priority_action', 'pap_area', 'priority_action_kpi', 'milestone', 'progress_update']) expect([table, selectsFrom(table).length]).toEqual([table, 1]);
  });

  it('pages the meetings of every body with one query for all the bodies, by the cursor each page gives', async () => {
    type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ id: string; heldDate: string }> };
    type Bodies = { governanceBodies: { nodes: Array<{ code: string; meetings: Page }> } };
    const all = await stack.queryAs<Bodies>('board_member', '{ governanceBodies { nodes { code meetings(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes { id heldDate } } } } }');
    expect(all.errors).toBeUndefined();
    const body = all.data!.governanceBodies.nodes.find((b) => b.meetings.totalCount > 2)!;
    expect(body.meetings.nodes).toHaveLength(body.meetings.totalCount);
    expect(body.meetings.nodes.map((m) => m.heldDate)).toEqual([...body.meetings.nodes.map((m) => m.heldDate)].sort());

    stack.statements.governance.length = 0;
    const paged: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const res: { data?: Bodies | null; errors?: unknown } = await stack.queryAs<Bodies>('board_member', 'query($after: String) { governanceBodies { nodes { code meetings(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id heldDate } } } } }', { after });
      expect(res.errors).toBeUndefined();
      const page = res.data!.governanceBodies.nodes.find((b) => b.code === body.code)!.meetings;
      expect(page.totalCount).toBe(body.meetings.totalCount);
      paged.push(...page.nodes.map((m) => m.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(body.meetings.nodes.map((m) => m.id));
    const pagesAsked = Math.ceil(body.meetings.totalCount / 2);
    expect(stack.statements.governance.filter((sql) => /^select .* from "meeting" /i.test(sql))).toHaveLength(pagesAsked);

    // The root list's cursor is another list's: refused by name, not read as a key.
    const otherList = await stack.queryAs<{ meetings: { pageInfo: { endCursor: string } } }>('board_member', '{ meetings(first: 1) { pageInfo { endCursor } } }');
    const refused = await stack.queryAs('board_member', 'query($after: String) { governanceBodies { nodes { meetings(after: $after) { totalCount } } } }', { after: otherList.data!.meetings.pageInfo.endCursor });
    expect(refused.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].extensions!.field).toBe('after');
  });

  describe('mutations', () => {
    it('refuse a progress update without next steps, naming the field, and record nothing', async () => {
      const { data } = await stack.queryAs<{ priorityAction: { id: string; progressUpdates: { totalCount: number } } }>('board_member', '{ priorityAction(reference: "PAP-1.1") { id progressUpdates { totalCount } } }');
      const res = await stack.queryAs('board_member', 'mutation($id: ID!) { recordProgressUpdate(input: { actionId: $id, recordedDate: "2026-02-10", currentPosition: "Backlog down to 40.", nextSteps: "  " }) { progressUpdate { id } } }', { id: data!.priorityAction.id });
      expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.field).toBe('input.nextSteps');
      const after = await stack.queryAs<{ priorityAction: { progressUpdates: { totalCount: number } } }>('board_member', '{ priorityAction(reference: "PAP-1.1") { progressUpdates { totalCount } } }');
      expect(after.data!.priorityAction.progressUpdates.totalCount).toBe(data!.priorityAction.progressUpdates.totalCount);
    });

    it('record a valid update with its audit entry; executives may not write', async () => {
      const { data } = await stack.queryAs<{ priorityAction: { id: string } }>('board_member', '{ priorityAction(reference: "PAP-1.1") { id } }');
      const denied = await stack.queryAs('executive', 'mutation($id: ID!) { recordProgressUpdate(input: { actionId: $id, recordedDate: "2026-02-10", currentPosition: "x", nextSteps: "y" }) { progressUpdate { id } } }', { id: data!.priorityAction.id });
      expect(denied.errors![0].extensions!.code).toBe('FORBIDDEN');
      const ok = await stack.queryAs<{ recordProgressUpdate: { progressUpdate: { id: string; nextSteps: string } }}>('board_member', 'mutation($id: ID!) { recordProgressUpdate(input: { actionId: $id, recordedDate: "2026-02-10", currentPosition: "Backlog down to 40.", nextSteps: "Clear it by March." }) { progressUpdate { id nextSteps } } }', { id: data!.priorityAction.id });
      expect(ok.errors).toBeUndefined();
      const client = new Client({ connectionString: stack.databases.logins.governance.ownerUrl });
      await client.connect();
      try {
        const audit = await client.query('SELECT entity_type, user_id FROM audit_event WHERE entity_id = $1', [ok.data!.recordProgressUpdate.progressUpdate.id]);
        expect(audit.rows).toEqual([{ entity_type: 'ProgressUpdate', user_id: 'test-board_member' }]);
      } finally {
        await client.end();
      }
    });

    it('refuse a KPI over an unknown code and an override without a reason', async () => {
      const kpi = await stack.queryAs('board_member', 'mutation { createKpi(input: { name: "X", measureCode: "PLANS_OPEN", interval: MONTH, direction: HIGHER_IS_BETTER, amberTolerance: 1 }) { kpi { id } } }');
      expect(kpi.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.measureCode' });
      expect(kpi.errors![0].message).toContain('PLANS_ACTIVE');
      const { data } = await stack.queryAs<{ priorityAction: { id: string } }>('board_member', '{ priorityAction(reference: "PAP-1.1") { id } }');
      const o = await stack.queryAs('board_member', 'mutation($id: ID!) { overrideActionStatus(input: { actionId: $id, status: ON_TRACK, reason: "", expiryDate: "2026-04-01" }) { action { id } } }', { id: data!.priorityAction.id });
      expect(o.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    });
    it('create an action with its KPIs looked up in one query, and refuse an unknown KPI by its position, writing nothing', async () => {
      const { data } = await stack.queryAs<{ kpis: { nodes: Array<{ id: string }> }; papAreas: { nodes: Array<{ reference: string }> } }>('board_member', '{ kpis { nodes { id } } papAreas { nodes { reference } } }');
      const [k1, k2] = data!.kpis.nodes.map((k) => k.id);
      const create = (reference: string, kpiIds: string[]) =>
        stack.queryAs<{ createPriorityAction: { action: { reference: string; kpis: Array<{ id: string }> } }}>(
          'board_member',
          'mutation($input: PriorityActionInput!) { createPriorityAction(input: $input) { action { reference kpis { id } } } }',
          { input: { areaReference: data!.papAreas.nodes[0].reference, reference, title: 'Test action', ownerOrganisation: 'JOINT', leadRole: 'Programme lead', startDate: '2026-02-01', kpiIds } },
        );
      const unknown = '00000000-0000-4000-8000-000000000000';
      const bad = await create('PAP-T.1', [k1, unknown]);
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.kpiIds[1]' });
      const none = await stack.queryAs<{ priorityAction: unknown }>('board_member', '{ priorityAction(reference: "PAP-T.1") { id } }');
      expect(none.data!.priorityAction).toBeNull();

      stack.statements.governance.length = 0;
      const ok = await create('PAP-T.2', [k1, k2]);
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.createPriorityAction.action.kpis.map((k) => k.id).sort()).toEqual([k1, k2].sort());
      expect(stack.statements.governance.filter((q) => /^select .* from "kpi" .* in \(/i.test(q))).toHaveLength(1);
    });
    it('a KPI\'s trajectory changed by the board re-rates its live value at once', async () => {
      const { data } = await stack.queryAs<{ kpis: { nodes: Array<{ id: string; measureCode: string; reading: { value: number; rag: string } }> } }>('board_member', `{ kpis { nodes { id measureCode reading(asOf: "${AS_OF}") { value rag } } } }`);
      const plans = data!.kpis.nodes.find((k) => k.measureCode === 'PLANS_ACTIVE')!;
      const strict = await stack.queryAs<{ updateKpi: { kpi: { reading: { value: number; trajectoryValue: number; rag: string } } }}>(
        'board_member',
        `mutation($id: ID!, $v: Float!) { updateKpi(input: { kpiId: $id, trajectory: [{ periodEnd: "2026-01-31", value: $v }], amberTolerance: 0 }) { kpi { reading(asOf: "${AS_OF}") { value trajectoryValue rag } } } }`,
        { id: plans.id, v: plans.reading.value - 1 },
      );
      expect(strict.errors).toBeUndefined();
      expect(strict.data!.updateKpi.kpi.reading).toEqual({ value: plans.reading.value, trajectoryValue: plans.reading.value - 1, rag: 'RED' });
      const bad = await stack.queryAs('board_member', 'mutation($id: ID!) { updateKpi(input: { kpiId: $id, statisticalNeighbours: ["E10000024"] }) { kpi { id } } }', { id: plans.id });
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.statisticalNeighbours[0]' });
    });

    it('refuse a meeting outside its body\'s life and an escalation due before it was raised', async () => {
      const m = await stack.queryAs('board_member', 'mutation { createMeeting(input: { bodyCode: "SPIB", heldDate: "2026-05-06", title: "Board" }) { meeting { id } } }');
      expect(m.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.heldDate' });
      const ok = await stack.queryAs<{ createMeeting: { meeting: { heldDate: string; body: { code: string } } }}>('board_member', 'mutation { createMeeting(input: { bodyCode: "SELG", heldDate: "2027-04-14", title: "SEND Executive Leadership Group, Q5", attendance: [{ organisation: "LA", count: 5 }] }) { meeting { heldDate body { code } } } }');
      expect(ok.data!.createMeeting.meeting).toEqual({ heldDate: '2027-04-14', body: { code: 'SELG' } });
      const e = await stack.queryAs('board_member', 'mutation { raiseEscalation(input: { raisedBy: "DCO", raisedByOrganisation: ICB, bodyCode: "PAIG", issue: "x", raisedDate: "2026-05-01", responseDueDate: "2026-04-01" }) { escalation { id } } }');
      expect(e.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.responseDueDate' });
    });

    it('publishing an item shows it to partner apps', async () => {
      const { data } = await stack.queryAs<{ priorityAction: { id: string } }>('board_member', '{ priorityAction(reference: "PAP-1.5") { id } }');
      expect((await stack.queryAs<{ priorityAction: unknown }>('partner_app', '{ priorityAction(reference: "PAP-1.5") { reference } }')).data!.priorityAction).toBeNull();
      const res = await stack.queryAs('board_member', 'mutation($id: ID!) { setPublished(input: { kind: PRIORITY_ACTION, id: $id, published: true }) { published } }', { id: data!.priorityAction.id });
      expect(res.errors).toBeUndefined();
      expect((await stack.queryAs<{ priorityAction: unknown }>('partner_app', '{ priorityAction(reference: "PAP-1.5") { reference } }')).data!.priorityAction).toEqual({ reference: 'PAP-1.5' });
    });
  });
});
