import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { postGraphQL, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';

/**
 * Partner apps read published governance items only (issue 3's role matrix, issue 6):
 * no list, lookup, nested field, count, dashboard section, briefing or _entities
 * call may show them an unpublished item, or an item that hangs from one, and an
 * unpublished item asked for by id answers exactly as one that does not exist.
 */
const AS_OF = '2026-02-09';
const SEED = { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: '2026-03-01', log: () => undefined };

/**
 * Everything a reader can reach in governance, every relation followed. (The measure
 * specs the live types carry as keys are @inaccessible: no client can ask for them.)
 */
const EVERYTHING = `{
  governanceBodies { nodes { id code name meetings { nodes { id title body { id code } partnerBriefing { markdown meeting { id } } } } } }
  meetings { nodes { id title body { id code } } }
  papAreas { nodes { id reference } }
  priorityActions { nodes {
    id reference area { id reference } kpis { id measureCode name } kpi { id measureCode }
    milestones { id title } progressUpdates { nodes { id nextSteps } }
    assessment(asOf: "${AS_OF}") { status reasons kpis { name kpi { id measureCode } } action { id reference } }
  } }
  kpis { nodes { id measureCode name reading(asOf: "${AS_OF}") { kpi { id } value rag } comparators { areaName } } }
  escalations { nodes { id issue body { id code } action { id reference area { id reference } } } }
  reviews { nodes { id title findings { text linkedActionReferences } } }
  familyFeedback { nodes { id theme } }
  assuranceDashboard(asOf: "${AS_OF}") {
    kpiCards { name kpi { id measureCode } }
    priorityActionPlan { area { id reference } byStatus { status count } actions { action { id reference area { id } } reasons latestNextSteps } }
    actionsNeedingAttention { action { id reference area { id reference } } reasons latestNextSteps }
    overdueEscalations { id issue body { id } action { id reference } }
    nextMeetings { id title body { id code } }
    nextReviews { id title }
    familyVoiceThemes { theme count responded }
  }
}`;

interface Hidden {
  /** What must never reach a partner app (ids, references, codes), and what a board member must still see. */
  markers: Record<string, string>;
  selgQ1: string;
  marchBoard: string;
  paiqQ1: string;
  pap15: string;
  pap41: string;
  kpi20Incl: string;
}

describe('a partner app sees published governance items only, by every path', () => {
  let stack: TestStack;
  let db: Client;
  let hidden: Hidden;
  const one = async (sql: string, params: unknown[] = []): Promise<string> => {
    const { rows } = await db.query<{ id: string }>(sql, params);
    expect(rows).toHaveLength(1);
    return rows[0].id;
  };
  const publish = async (kind: string, id: string, published: boolean) => {
    const res = await stack.queryAs('board_member', 'mutation($kind: PublishableKind!, $id: ID!, $p: Boolean!) { setPublished(input: { kind: $kind, id: $id, published: $p }) { published } }', { kind, id, p: published });
    expect(res.errors).toBeUndefined();
  };

  beforeAll(async () => {
    stack = await startTestStack({ seed: SEED });
    db = new Client({ connectionString: stack.databases.logins.governance.ownerUrl });
    await db.connect();
    // A body withdrawn while one of its meetings stays published (the Meeting.body gap).
    const selg = await one("SELECT id FROM governance_body WHERE code = 'SELG'");
    await publish('GOVERNANCE_BODY', selg, false);
    const selgQ1 = await one("SELECT id FROM meeting WHERE title = 'SEND Executive Leadership Group, Q1' AND published");
    // An area withdrawn while its action stays published (the PriorityAction.area gap); findings name PAP-4.1.
    const wai2 = await one("SELECT id FROM pap_area WHERE reference = 'WAI-2'");
    await publish('PAP_AREA', wai2, false);
    const pap41 = await one("SELECT id FROM priority_action WHERE reference = 'PAP-4.1' AND published");
    // An action withdrawn while the escalation about it is published (overdue at AS_OF).
    const pap13 = await one("SELECT id FROM priority_action WHERE reference = 'PAP-1.3'");
    await publish('PRIORITY_ACTION', pap13, false);
    const esc13 = await one('SELECT id FROM escalation WHERE action_id = $1', [pap13]);
    await publish('ESCALATION', esc13, true);
    // A published, overdue escalation to the withdrawn body.
    const escSelg = await one(
      `INSERT INTO escalation (raised_by, raised_by_organisation, body_id, issue, raised_on, response_due_on, status, published)
       VALUES ('Test', 'LA', $1, 'Escalated to a withdrawn body', '2026-01-05', '2026-01-20', 'OPEN', true) RETURNING id`,
      [selg],
    );
    // The final Board meeting withdrawn: the February briefing's "next meeting" must skip it.
    const marchBoard = await one("SELECT id FROM meeting WHERE title = 'Improvement Board, March 2026 (final meeting)'");
    await publish('MEETING', marchBoard, false);
    const paiqQ1 = await one("SELECT id FROM meeting WHERE title = 'Partnership Assurance and Improvement Group, Q1'");
    // The next stocktake and two pieces of family voice withdrawn (dashboard sections and counts).
    const stocktake = await one("SELECT id FROM review WHERE held_on = '2026-06-17'");
    await publish('REVIEW', stocktake, false);
    const schools = await one("SELECT id FROM family_feedback WHERE theme = 'Schools'");
    await publish('FAMILY_FEEDBACK', schools, false);
    const worker = await one("SELECT id FROM family_feedback WHERE theme = 'Allocated worker' AND received_on = '2026-02-03'");
    await publish('FAMILY_FEEDBACK', worker, false);
    // Unpublished in the seed: PAP-1.5 and three KPIs (one linked to PAP-1.1, a published action).
    const pap15 = await one("SELECT id FROM priority_action WHERE reference = 'PAP-1.5' AND NOT published");
    const kpi20Incl = await one("SELECT id FROM kpi WHERE measure_code = 'EHC_20WK_INCL' AND NOT published");
    const kpiNoWorker = await one("SELECT id FROM kpi WHERE measure_code = 'PLANS_NO_ALLOCATED_WORKER' AND NOT published");
    hidden = {
      markers: {
        'SELG body': selg, 'SELG Q1 meeting (published, body withdrawn)': selgQ1, 'SELG Q1 title': 'SEND Executive Leadership Group, Q1',
        'WAI-2 area': wai2, 'WAI-2 reference': '"WAI-2"', 'PAP-4.1 action (published, area withdrawn)': pap41, 'PAP-4.1 reference': 'PAP-4.1',
        'PAP-1.3 action': pap13, 'PAP-1.3 reference': 'PAP-1.3', 'PAP-1.5 action': pap15, 'PAP-1.5 reference': 'PAP-1.5',
        'escalation to the withdrawn body': escSelg, 'its issue': 'Escalated to a withdrawn body',
        'March Board meeting': marchBoard, 'stocktake': stocktake, 'Schools feedback': schools, 'Allocated worker feedback': worker,
        'EHC_20WK_INCL KPI': kpi20Incl, 'EHC_20WK_INCL code': 'EHC_20WK_INCL', 'its name': 'including exceptions',
        'PLANS_NO_ALLOCATED_WORKER KPI': kpiNoWorker, 'PLANS_NO_ALLOCATED_WORKER code': 'PLANS_NO_ALLOCATED_WORKER',
      },
      selgQ1, marchBoard, paiqQ1, pap15, pap41, kpi20Incl,
    };
  }, 240_000);
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('nothing withdrawn, or hanging from something withdrawn, reaches a partner app through any list, nested field or dashboard section; a board member sees all of it', async () => {
    const partner = await stack.queryAs('partner_app', EVERYTHING);
    const board = await stack.queryAs('board_member', EVERYTHING);
    expect(partner.errors).toBeUndefined();
    expect(board.errors).toBeUndefined();
    const seenByPartner = JSON.stringify(partner.data);
    const seenByBoard = JSON.stringify(board.data);
    // Every leak at once, by name, rather than the first one found.
    const markers = Object.entries(hidden.markers);
    expect(markers.filter(([, marker]) => seenByPartner.includes(marker)).map(([what]) => what)).toEqual([]);
    expect(markers.filter(([, marker]) => !seenByBoard.includes(marker)).map(([what]) => what)).toEqual([]);
    // The partner still gets the published items around them.
    expect(seenByPartner).toContain('PAP-1.1');
    expect(seenByPartner).toContain('Overdue annual reviews rising');
  });

  it('the escalation about a withdrawn action shows with no action, in the list and among the overdue', async () => {
    const q = `{ escalations { nodes { issue action { reference } } } assuranceDashboard(asOf: "${AS_OF}") { overdueEscalations { issue action { reference } } } }`;
    type R = { escalations: { nodes: Array<{ issue: string; action: { reference: string } | null }> }; assuranceDashboard: { overdueEscalations: Array<{ issue: string; action: { reference: string } | null }> } };
    const partner = await stack.queryAs<R>('partner_app', q);
    const board = await stack.queryAs<R>('board_member', q);
    expect(partner.errors).toBeUndefined();
    const annual = (r: GraphQLResponse<R>) => r.data!.escalations.nodes.find((e) => e.issue.startsWith('Overdue annual reviews'))!;
    expect(annual(partner).action).toBeNull();
    expect(annual(board).action).toEqual({ reference: 'PAP-1.3' });
    expect(partner.data!.assuranceDashboard.overdueEscalations).toEqual([{ issue: annual(partner).issue, action: null }]);
    expect(board.data!.assuranceDashboard.overdueEscalations.map((e) => e.issue).sort()).toEqual(['Escalated to a withdrawn body', annual(board).issue]);
  });

  it('the dashboard counts only what a partner may see: actions by status per area, family voice themes', async () => {
    const q = `{ assuranceDashboard(asOf: "${AS_OF}") { priorityActionPlan { area { reference } byStatus { count } actions { action { reference } } } familyVoiceThemes { theme count } } }`;
    type R = { assuranceDashboard: { priorityActionPlan: Array<{ area: { reference: string }; byStatus: Array<{ count: number }>; actions: Array<{ action: { reference: string } }> }>; familyVoiceThemes: Array<{ theme: string; count: number }> } };
    const partner = (await stack.queryAs<R>('partner_app', q)).data!.assuranceDashboard;
    const board = (await stack.queryAs<R>('board_member', q)).data!.assuranceDashboard;
    const total = (d: R['assuranceDashboard'], area: string) => d.priorityActionPlan.find((a) => a.area.reference === area)?.byStatus.reduce((n, s) => n + s.count, 0);
    expect(partner.priorityActionPlan.map((a) => a.area.reference)).toEqual(['APA-1', 'APA-2', 'WAI-1']);
    expect(board.priorityActionPlan.map((a) => a.area.reference)).toEqual(['APA-1', 'APA-2', 'WAI-1', 'WAI-2']);
    // APA-1 has PAP-1.1 to PAP-1.5; PAP-1.3 and PAP-1.5 are withdrawn.
    expect(total(partner, 'APA-1')).toBe(3);
    expect(total(board, 'APA-1')).toBe(5);
    const theme = (d: R['assuranceDashboard'], t: string) => d.familyVoiceThemes.find((x) => x.theme === t)?.count;
    expect([theme(partner, 'Allocated worker'), theme(partner, 'Schools')]).toEqual([1, undefined]);
    expect([theme(board, 'Allocated worker'), theme(board, 'Schools')]).toEqual([2, 1]);
  });

  it('a published action\'s withdrawn KPI is not among its KPIs, its assessment or the reasons for its status', async () => {
    const q = `{ priorityAction(reference: "PAP-1.1") { kpis { measureCode } assessment(asOf: "${AS_OF}") { kpis { kpi { measureCode } } } } }`;
    type R = { priorityAction: { kpis: Array<{ measureCode: string }>; assessment: { kpis: Array<{ kpi: { measureCode: string } }> } } };
    const partner = await stack.queryAs<R>('partner_app', q);
    const board = await stack.queryAs<R>('board_member', q);
    expect(partner.errors).toBeUndefined();
    expect(partner.data!.priorityAction.kpis.map((k) => k.measureCode)).not.toContain('EHC_20WK_INCL');
    expect(partner.data!.priorityAction.assessment.kpis.map((k) => k.kpi.measureCode)).not.toContain('EHC_20WK_INCL');
    expect(board.data!.priorityAction.kpis.map((k) => k.measureCode)).toContain('EHC_20WK_INCL');
    expect(board.data!.priorityAction.assessment.kpis.map((k) => k.kpi.measureCode)).toContain('EHC_20WK_INCL');
  });

  it('a withdrawn item asked for by id or reference answers exactly as one that does not exist', async () => {
    const ask = (role: 'partner_app' | 'board_member', id: string, reference: string) =>
      stack.queryAs<{ meeting: unknown; priorityAction: unknown; meetings: { nodes: unknown[] } }>(role, 'query($id: ID!, $ref: String!) { meeting(id: $id) { title } priorityAction(reference: $ref) { reference } }', { id, ref: reference });
    const absent = await ask('partner_app', randomUUID(), 'PAP-9.9');
    expect(absent).toEqual({ status: 200, data: { meeting: null, priorityAction: null } });
    expect(await ask('partner_app', 'not-an-id', 'PAP-9.9')).toEqual(absent);
    for (const [id, ref] of [[hidden.selgQ1, 'PAP-4.1'], [hidden.marchBoard, 'PAP-1.5'], [hidden.marchBoard, 'PAP-1.3']]) {
      expect(await ask('partner_app', id, ref)).toEqual(absent);
      expect((await ask('board_member', id, ref)).data).toEqual({ meeting: { title: expect.any(String) }, priorityAction: { reference: ref } });
    }
    // Meetings of a withdrawn body look like meetings of a body that does not exist.
    const byBody = (role: 'partner_app' | 'board_member', code: string) => stack.queryAs<{ meetings: { nodes: unknown[] } }>(role, 'query($c: String) { meetings(filter: { bodyCode: $c }) { nodes { title } } }', { c: code });
    expect(await byBody('partner_app', 'SELG')).toEqual(await byBody('partner_app', 'NONE'));
    expect((await byBody('partner_app', 'SELG')).data!.meetings.nodes).toEqual([]);
    expect((await byBody('board_member', 'SELG')).data!.meetings.nodes.length).toBe(4);
  });

  it('governance\'s _entities, called directly, gives a withdrawn KPI, action or meeting the answer it gives an unknown id', async () => {
    const entities = async (role: 'partner_app' | 'board_member', typename: string, id: string, selection: string) => {
      const representation = { __typename: typename, id, asOf: AS_OF, caseworkMeasures: '', healthMeasures: '', caseworkFigures: [], healthFigures: [] };
      const res = await postGraphQL<{ _entities: unknown[] }>(
        stack.subgraphs.governance.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
        { r: [representation] },
        await stack.issuer.as(role),
      );
      // The answer with the asked-for id blanked out, so two ids can be compared; errors
      // by what a client reads (message, code, path), in a fixed order.
      const blanked = JSON.parse(JSON.stringify(res).split(id).join('<id>')) as GraphQLResponse<{ _entities: unknown[] }>;
      return {
        status: blanked.status,
        data: blanked.data,
        errors: blanked.errors?.map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path })).sort((x, y) => JSON.stringify(x.path).localeCompare(JSON.stringify(y.path))),
      };
    };
    const cases: Array<[string, string, string]> = [
      ['KpiReading', hidden.kpi20Incl, 'kpi { name } target value rag'],
      ['ActionAssessment', hidden.pap15, 'action { reference } status reasons kpis { name }'],
      ['ActionAssessment', hidden.pap41, 'action { reference } status reasons'],
      ['PartnerBriefing', hidden.selgQ1, 'meeting { title } markdown'],
      ['PartnerBriefing', hidden.marchBoard, 'meeting { title } markdown'],
    ];
    for (const [typename, id, selection] of cases) {
      const withdrawn = await entities('partner_app', typename, id, selection);
      const unknown = await entities('partner_app', typename, randomUUID(), selection);
      expect(withdrawn.errors?.length).toBeGreaterThan(0);
      expect({ typename, ...withdrawn }).toEqual({ typename, ...unknown });
      expect(await entities('partner_app', typename, 'not-an-id', selection)).toEqual(unknown);
      const board = await entities('board_member', typename, id, selection);
      expect({ typename, errors: board.errors }).toEqual({ typename, errors: undefined });
    }
  });

  it('a partner briefing skips a withdrawn next meeting and a meeting of a withdrawn body, whoever reads it', async () => {
    const q = 'query($from: Date, $to: Date) { meetings(filter: { from: $from, to: $to }) { nodes { title partnerBriefing { markdown } } } }';
    type R = { meetings: { nodes: Array<{ title: string; partnerBriefing: { markdown: string } }> } };
    for (const role of ['partner_app', 'board_member'] as const) {
      const feb = await stack.queryAs<R>(role, q, { from: AS_OF, to: AS_OF });
      expect(feb.errors).toBeUndefined();
      const next = (md: string) => md.slice(md.indexOf('## Next meeting'));
      // The final Board (18 March) is withdrawn: the next published one is the PAIG on 8 April.
      expect(next(feb.data!.meetings.nodes[0].partnerBriefing.markdown)).toContain('Partnership Assurance and Improvement Group, Q1');
      expect(feb.data!.meetings.nodes[0].partnerBriefing.markdown).not.toContain('including exceptions');
      // After the PAIG on 8 April comes SELG Q1 (22 April), published but its body withdrawn: skipped too.
      const paig = await stack.queryAs<R>(role, q, { from: '2026-04-08', to: '2026-04-08' });
      expect(paig.errors).toBeUndefined();
      expect(paig.data!.meetings.nodes.map((m) => m.title)).toEqual(['Partnership Assurance and Improvement Group, Q1']);
      const text = next(paig.data!.meetings.nodes[0].partnerBriefing.markdown);
      expect(text).not.toContain('SEND Executive Leadership Group');
      expect(text).toContain('Partnership Assurance and Improvement Group, Q2');
    }
  });
});
