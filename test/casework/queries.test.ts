import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, type TestDatabases } from '../support/databases';
import { postGraphQL } from '../support/stack';
import { A1, A2, A3, C1, C3, loadKnownCasework } from './fixtures';

describe('casework queries, on the casework subgraph itself', () => {
  let dbs: TestDatabases;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  const statements: string[] = [];
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    await loadKnownCasework(dbs.logins.casework.ownerUrl);
    issuer = await createTestIssuer();
    subgraph = await startSubgraph(casework, { port: 0, host: '127.0.0.1', databaseUrl: dbs.logins.casework.appUrl, auth: issuer.config, onQuery: (sql) => statements.push(sql) });
  });
  afterAll(async () => {
    await subgraph?.stop();
    await dbs?.drop();
  });
  const as = async <T = Record<string, any>>(role: 'la_caseworker' | 'executive' | 'designated_clinical_officer', query: string, variables?: Record<string, unknown>) =>
    postGraphQL<T>(subgraph.url, query, variables, await issuer.as(role));
  const surnames = (res: { data?: any }) => res.data!.children.nodes.map((c: { surname: string }) => c.surname);

  it('a child with its whole life cycle, and the statutory rules applied to it', async () => {
    const res = await as('la_caseworker', `query($id: ID!) { child(id: $id) {
        id surname primaryNeed sex district
        requests { receivedDate outcome source decisionDueDate decisionWithinSixWeeks assessment { id } }
        assessments { id outcome week20Exception epAdviceWithinSixWeeks finalPlanDueDate ehcPlan { id } }
        ehcPlans { issueDate weeksToIssue issuedWithinTwentyWeeks senNeeds { senType rank } annualReviews { meetingDate outcome decisionWithinFourWeeks } }
        workerAllocations { startDate endDate caseworker { name team { name } } decidedBy reason nextReviewDate }
      } }`, { id: C1 });
    expect(res.errors).toBeUndefined();
    const child = res.data!.child;
    expect(child).toMatchObject({ id: C1, surname: 'Able', primaryNeed: 'ASD', sex: 'FEMALE', district: 'Ashfield' });
    expect(child.requests).toEqual([
      { receivedDate: '2023-01-02', outcome: 'ASSESS', source: 'PARENT', decisionDueDate: '2023-02-13', decisionWithinSixWeeks: true, assessment: { id: A1 } },
      { receivedDate: '2023-05-10', outcome: 'WITHDRAWN', source: 'PARENT', decisionDueDate: '2023-06-21', decisionWithinSixWeeks: true, assessment: null },
    ]);
    expect(child.assessments).toEqual([{ id: A1, outcome: 'ISSUE_PLAN', week20Exception: false, epAdviceWithinSixWeeks: true, finalPlanDueDate: '2023-05-22', ehcPlan: { id: expect.any(String) } }]);
    expect(child.ehcPlans).toEqual([
      { issueDate: '2023-05-22', weeksToIssue: 20, issuedWithinTwentyWeeks: true, senNeeds: [{ senType: 'ASD', rank: 1 }], annualReviews: [{ meetingDate: '2024-05-01', outcome: 'MAINTAIN', decisionWithinFourWeeks: false }] },
    ]);
    expect(child.workerAllocations[1]).toEqual({ startDate: '2026-01-01', endDate: null, caseworker: null, decidedBy: 'Team manager', reason: 'Plan working well', nextReviewDate: '2026-07-01' });
    expect(child.workerAllocations[0].caseworker).toEqual({ name: 'Sam Atkins', team: { name: 'Plan and Review North' } });
  });

  it('lists teams with their caseworkers, and a child\'s allocated worker', async () => {
    const res = await as('la_caseworker', `{ teams { nodes { name kind caseworkers { totalCount pageInfo { hasNextPage } nodes { id name } } } } child(id: "${C1}") { allocatedWorker { name } currentAllocation { reason } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.teams.nodes).toEqual([{ name: 'Plan and Review North', kind: 'PLAN_AND_REVIEW', caseworkers: { totalCount: 1, pageInfo: { hasNextPage: false }, nodes: [{ id: expect.any(String), name: 'Sam Atkins' }] } }]);
    // Amy's worker ended on 2025-12-31; since 2026-01-01 she has none, by decision.
    expect(res.data!.child).toEqual({ allocatedWorker: null, currentAllocation: { reason: 'Plan working well' } });
  });

  it('never exposes the NHS number', async () => {
    const res = await as('la_caseworker', '{ __type(name: "Child") { fields { name } } }');
    const names = res.data!.__type.fields.map((f: { name: string }) => f.name);
    expect(names).toContain('linkKey');
    expect(names.filter((n: string) => /nhs/i.test(n))).toEqual([]);
  });

  it('pages through children in surname order with a cursor and a total', async () => {
    const first = await as('la_caseworker', '{ children(first: 3) { totalCount nodes { surname } pageInfo { hasNextPage endCursor } } }');
    expect(first.errors).toBeUndefined();
    expect(first.data!.children.totalCount).toBe(4);
    expect(surnames(first)).toEqual(['Able', 'Baker', 'Cole']);
    expect(first.data!.children.pageInfo.hasNextPage).toBe(true);
    const next = await as('la_caseworker', 'query($after: String) { children(first: 3, after: $after) { totalCount nodes { surname } pageInfo { hasNextPage } } }', { after: first.data!.children.pageInfo.endCursor });
    expect(surnames(next)).toEqual(['Dale']);
    expect(next.data!.children).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: false } });
  });

  it.each([
    ['district', { district: 'Ashfield' }, ['Able', 'Cole', 'Dale']],
    ['primary need', { primaryNeed: 'ASD' }, ['Able', 'Cole']],
    ['an active plan at the end of 2023', { hasActivePlan: true, asOf: '2023-12-31' }, ['Able', 'Baker', 'Cole', 'Dale']],
    ['no active plan in March 2023 (E4 ceased, E5 not yet issued)', { hasActivePlan: false, asOf: '2023-03-01' }, ['Able', 'Baker', 'Cole', 'Dale']],
    ['no allocated worker at the end of 2024', { noAllocatedWorker: true, asOf: '2024-12-31' }, ['Cole', 'Dale']],
    ['no allocated worker by decision in 2026', { noAllocatedWorker: true, asOf: '2026-02-01', district: 'Ashfield', primaryNeed: 'ASD' }, ['Able', 'Cole']],
    ['an overdue review in August 2024', { reviewOverdue: true, asOf: '2024-08-31' }, ['Baker', 'Dale']],
    ['aged 11-15 on 1 January 2024', { ageBand: 'AGED_11_TO_15', asOf: '2024-01-01' }, ['Able', 'Baker', 'Cole']],
  ])('filters children: %s', async (_name, filter, expected) => {
    const res = await as('la_caseworker', 'query($f: ChildFilter) { children(filter: $f, first: 10) { totalCount nodes { surname } } }', { f: filter });
    expect(res.errors).toBeUndefined();
    expect(surnames(res)).toEqual(expected);
    expect(res.data!.children.totalCount).toBe(expected.length);
  });

  it('bad paging input is refused with BAD_USER_INPUT naming the argument', async () => {
    const res = await as('la_caseworker', '{ children(first: 0) { totalCount } }');
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const bad = await as('la_caseworker', '{ children(first: 5, after: "not-a-cursor") { totalCount } }');
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('an executive may not read children (FORBIDDEN) but may read measures', async () => {
    const res = await as('executive', '{ children(first: 1) { totalCount } }');
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    const m = await as('executive', '{ caseworkMeasures(codes: ["PLANS_ACTIVE"], from: "2023-12-01", to: "2023-12-31", filter: { primaryNeed: ASD }) { code points { periodEnd } } }');
    expect(m.errors).toBeUndefined();
    expect(m.data!.caseworkMeasures[0].points).toHaveLength(1);
  });

  it('caseworkMeasures filters by district and primary need', async () => {
    const res = await as('la_caseworker', '{ caseworkMeasures(codes: ["EHC_20WK_INCL"], from: "2023-01-01", to: "2023-12-31", interval: YEAR, filter: { district: "Ashfield", primaryNeed: ASD }) { code points { numerator denominator } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.caseworkMeasures[0].points[0]).toEqual({ numerator: 1, denominator: 2 });
  });

  it('loads the life cycle of a page of children with one query per kind of record', async () => {
    statements.length = 0;
    const res = await as('la_caseworker', '{ children(first: 4) { nodes { ehcPlans { placements { rank } senNeeds { rank } annualReviews { dueDate } } requests { assessment { id } } } } }');
    expect(res.errors).toBeUndefined();
    const selects = (table: string) => statements.filter((s) => new RegExp(`^select .* from "${table}" `, 'i').test(s));
    for (const table of ['ehc_plan', 'plan_placement', 'plan_sen_need', 'annual_review', 'ehcna_request', 'ehc_needs_assessment']) expect({ table, n: selects(table).length }).toEqual({ table, n: 1 });
  });

  it('applies the 20-week rules to a page of plans and assessments with one read of their inputs', async () => {
    statements.length = 0;
    const res = await as('la_caseworker', '{ children(first: 4) { nodes { surname ehcPlans { issueDate weeksToIssue issuedWithinTwentyWeeks } requests { receivedDate assessment { finalPlanDueDate } } } } }');
    expect(res.errors).toBeUndefined();
    const bySurname = new Map<string, any>(res.data!.children.nodes.map((c: { surname: string }) => [c.surname, c]));
    const plans = (surname: string) => [...bySurname.get(surname).ehcPlans].sort((a, b) => a.issueDate.localeCompare(b.issueDate));
    // Ben's assessment has a reg 10(4) exception: the 20 weeks do not apply to his plan, though its weeks still count.
    expect(plans('Baker')).toEqual([{ issueDate: '2023-08-01', weeksToIssue: 30.1, issuedWithinTwentyWeeks: null }]);
    // Cal's plan came on day 141; his earlier plan has no assessment behind it.
    expect(plans('Cole')).toEqual([
      { issueDate: '2015-01-01', weeksToIssue: null, issuedWithinTwentyWeeks: null },
      { issueDate: '2023-06-22', weeksToIssue: 20.1, issuedWithinTwentyWeeks: false },
    ]);
    expect(bySurname.get('Cole').requests.find((r: { receivedDate: string }) => r.receivedDate === '2023-02-01').assessment).toEqual({ finalPlanDueDate: '2023-06-21' });
    // The requests' assessments, then the rules' inputs of every assessment on the page: no read by id besides.
    expect(statements.filter((s) => /ehc_needs_assessment/i.test(s))).toHaveLength(2);
  });

  it('resolves EhcNeedsAssessment references (from health) in one query; unknown and malformed ids are null', async () => {
    statements.length = 0;
    const res = await postGraphQL<{ _entities: Array<{ id: string; child: { id: string } } | null> }>(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on EhcNeedsAssessment { id outcomeDate } } }',
      { r: [A1, A2, A3, '00000000-0000-4000-8000-999999999999', 'nonsense'].map((id) => ({ __typename: 'EhcNeedsAssessment', id })) },
      await issuer.as('designated_clinical_officer'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e?.id ?? null)).toEqual([A1, A2, A3, null, null]);
    expect(statements.filter((s) => /from "ehc_needs_assessment"/i.test(s))).toHaveLength(1);
  });

  it('records each person-level read in the audit trail', async () => {
    await as('la_caseworker', `{ child(id: "${C3}") { surname } }`);
    const rows = await postGraphQL(subgraph.url, '{ __typename }', {}, await issuer.as('la_caseworker'));
    expect(rows.errors).toBeUndefined();
    const client = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await client.connect();
    try {
      const audit = await client.query(`SELECT entity_type, fields FROM audit_event WHERE action = 'READ' AND entity_id = $1`, [C3]);
      expect(audit.rows).toEqual(expect.arrayContaining([{ entity_type: 'Child', fields: ['surname'] }]));
    } finally {
      await client.end();
    }
  });
});
