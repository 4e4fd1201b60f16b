import pg from 'pg';
import type { RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import type { TestIssuer } from '../support/auth';
import { postGraphQL } from '../support/stack';
import { C4, startKnownCasework, W1, type KnownCasework } from './fixtures';

describe('recording the life cycle through mutations', () => {
  let known: KnownCasework;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  let owner: pg.Client;
  beforeAll(async () => {
    known = await startKnownCasework();
    ({ issuer, subgraph, owner } = known);
  });
  afterAll(async () => known?.stop());
  const as = async (query: string, variables?: Record<string, unknown>, role: 'la_caseworker' | 'designated_clinical_officer' = 'la_caseworker') =>
    postGraphQL<Record<string, any>>(subgraph.url, query, variables, await issuer.as(role, { user: 'jo.caseworker' }));
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const res = await as(query, variables);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const count = async (table: string) => (await owner.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  it('walks a request through to a final plan and its first review, with the rules applied', async () => {
    const { recordEhcnaRequest: { request } } = await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id outcome decisionDueDate } } }', { i: { childId: C4, receivedDate: '2025-01-06', source: 'SCHOOL' } });
    expect(request).toMatchObject({ outcome: 'NOT_YET_DECIDED', decisionDueDate: '2025-02-17' });
    const { recordRequestDecision: { request: decided } } = await ok('mutation($i: RecordDecisionInput!) { recordRequestDecision(input: $i) { request { outcome decisionWithinSixWeeks assessment { id } } } }', { i: { requestId: request.id, outcome: 'ASSESS', decisionDate: '2025-02-17' } });
    expect(decided).toMatchObject({ outcome: 'ASSESS', decisionWithinSixWeeks: true });
    const assessmentId = decided.assessment.id;
    await ok('mutation($i: RecordAdviceInput!) { recordAdviceAsked(input: $i) { assessment { id } } }', { i: { assessmentId, adviceType: 'EDUCATIONAL_PSYCHOLOGY', date: '2025-02-18' } });
    const { recordAdviceReturned: { assessment: advised } } = await ok('mutation($i: RecordAdviceInput!) { recordAdviceReturned(input: $i) { assessment { epAdviceWithinSixWeeks } } }', { i: { assessmentId, adviceType: 'EDUCATIONAL_PSYCHOLOGY', date: '2025-04-02' } });
    expect(advised.epAdviceWithinSixWeeks).toBe(false);
    await ok('mutation($i: RecordDraftPlanInput!) { recordDraftPlan(input: $i) { assessment { outcome } } }', { i: { assessmentId, draftPlanDate: '2025-05-01' } });
    const { recordFinalPlan: { plan } } = await ok(
      'mutation($i: RecordFinalPlanInput!) { recordFinalPlan(input: $i) { plan { id issueDate weeksToIssue issuedWithinTwentyWeeks placements { urn } senNeeds { senType } } } }',
      { i: { assessmentId, issueDate: '2025-05-26', placements: [{ rank: 1, urn: '123456' }], senNeeds: [{ senType: 'SLCN', rank: 1 }] } },
    );
    expect(plan).toMatchObject({ issueDate: '2025-05-26', weeksToIssue: 20, issuedWithinTwentyWeeks: true, placements: [{ urn: '123456' }], senNeeds: [{ senType: 'SLCN' }] });
    const { recordReviewMeeting: { review } } = await ok('mutation($i: RecordReviewMeetingInput!) { recordReviewMeeting(input: $i) { review { id dueDate meetingDate decisionDueDate } } }', { i: { planId: plan.id, meetingDate: '2026-05-20' } });
    expect(review).toMatchObject({ dueDate: '2026-05-26', meetingDate: '2026-05-20', decisionDueDate: '2026-06-17' });
    const { recordReviewDecision: { review: decision } } = await ok('mutation($i: RecordReviewDecisionInput!) { recordReviewDecision(input: $i) { review { outcome decisionWithinFourWeeks } } }', { i: { reviewId: review.id, outcome: 'AMEND', decisionDate: '2026-06-18' } });
    expect(decision).toEqual({ outcome: 'AMEND', decisionWithinFourWeeks: false });
    expect((await owner.query(`SELECT primary_need FROM child WHERE id = $1`, [C4])).rows[0].primary_need).toBe('SLCN');
    const audit = (await owner.query(`SELECT DISTINCT entity_type FROM audit_event WHERE action = 'WRITE' AND user_id = 'jo.caseworker' ORDER BY 1`)).rows.map((r) => r.entity_type);
    // Every record the writes changed: the plan's placements and needs, and the child's primary need, too.
    expect(audit).toEqual(['AnnualReview', 'Child', 'EhcNeedsAssessment', 'EhcPlan', 'EhcnaRequest', 'PlanPlacement', 'SenNeed']);
  });

  it('refuses dates out of order, naming the field, and changes nothing', async () => {
    const { recordEhcnaRequest: { request } } = await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: C4, receivedDate: '2025-09-01' } });
    const res = await as('mutation($i: RecordDecisionInput!) { recordRequestDecision(input: $i) { request { id } } }', { i: { requestId: request.id, outcome: 'ASSESS', decisionDate: '2025-08-01' } });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.decisionDate' });
    expect(res.errors![0].message).toMatch(/input\.decisionDate \(2025-08-01\) is before receivedDate \(2025-09-01\)/);
    expect((await owner.query('SELECT outcome FROM ehcna_request WHERE id = $1', [request.id])).rows[0].outcome).toBe('A');
    const future = await as('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: C4, receivedDate: '2999-01-01' } });
    expect(future.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.receivedDate' });
  });

  it('no final plan without a decision to assess; bad placements are all named; nothing half-written', async () => {
    const { recordEhcnaRequest: { request } } = await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: C4, receivedDate: '2025-10-01' } });
    const { recordRequestDecision: { request: d } } = await ok('mutation($i: RecordDecisionInput!) { recordRequestDecision(input: $i) { request { assessment { id } } } }', { i: { requestId: request.id, outcome: 'ASSESS', decisionDate: '2025-10-20' } });
    await owner.query(`UPDATE ehcna_request SET outcome = 'A', outcome_date = NULL WHERE id = $1`, [request.id]);
    const plans = await count('ehc_plan');
    const placements = await count('plan_placement');
    const res = await as('mutation($i: RecordFinalPlanInput!) { recordFinalPlan(input: $i) { plan { id } } }', {
      i: { assessmentId: d.assessment.id, issueDate: '2026-01-10', placements: [{ rank: 1, urn: '12', ukprn: '10001234' }, { rank: 1 }], senNeeds: [{ senType: 'ASD', rank: 2 }] },
    });
    expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((res.errors![0].extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual([
      'input.assessmentId',
      'input.placements[0]',
      'input.placements[0].urn',
      'input.placements[1]',
      'input.placements',
      'input.senNeeds',
    ]);
    expect(res.errors![0].message).toMatch(/no final plan without a decision to assess/);
    expect(await count('ehc_plan')).toBe(plans);
    expect(await count('plan_placement')).toBe(placements);
  });

  it('an assessment can end without a plan, and then no plan can follow it', async () => {
    const { recordEhcnaRequest: { request } } = await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: C4, receivedDate: '2025-11-03' } });
    const { recordRequestDecision: { request: d } } = await ok('mutation($i: RecordDecisionInput!) { recordRequestDecision(input: $i) { request { assessment { id } } } }', { i: { requestId: request.id, outcome: 'ASSESS', decisionDate: '2025-12-01' } });
    const early = await as('mutation($i: RecordAssessmentEndInput!) { recordAssessmentEnd(input: $i) { assessment { id } } }', { i: { assessmentId: d.assessment.id, outcome: 'NOT_ISSUE_PLAN', date: '2025-11-20' } });
    expect(early.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date' });
    const { recordAssessmentEnd: { assessment: ended } } = await ok('mutation($i: RecordAssessmentEndInput!) { recordAssessmentEnd(input: $i) { assessment { outcome outcomeDate } } }', { i: { assessmentId: d.assessment.id, outcome: 'NOT_ISSUE_PLAN', date: '2026-02-20' } });
    expect(ended).toEqual({ outcome: 'NOT_ISSUE_PLAN', outcomeDate: '2026-02-20' });
    const plan = await as('mutation($i: RecordFinalPlanInput!) { recordFinalPlan(input: $i) { plan { id } } }', { i: { assessmentId: d.assessment.id, issueDate: '2026-03-01', placements: [{ rank: 1, urn: '123456' }], senNeeds: [{ senType: 'ASD', rank: 1 }] } });
    expect(plan.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.assessmentId' });
  });

  it('allocates a worker, then records a deliberate decision to have none', async () => {
    const { allocateWorker: { allocation: a } } = await ok('mutation($i: AllocateWorkerInput!) { allocateWorker(input: $i) { allocation { startDate endDate caseworker { name } } } }', { i: { childId: C4, caseworkerId: W1, startDate: '2025-01-01' } });
    expect(a).toEqual({ startDate: '2025-01-01', endDate: null, caseworker: { name: 'Sam Atkins' } });
    const { recordNoAllocatedWorker: { allocation: n } } = await ok(
      'mutation($i: NoAllocatedWorkerInput!) { recordNoAllocatedWorker(input: $i) { allocation { startDate caseworker { name } decidedBy reason nextReviewDate } } }',
      { i: { childId: C4, decidedBy: 'Team manager', reason: 'Plan working well', startDate: '2026-01-05', nextReviewDate: '2026-07-05' } },
    );
    expect(n).toEqual({ startDate: '2026-01-05', caseworker: null, decidedBy: 'Team manager', reason: 'Plan working well', nextReviewDate: '2026-07-05' });
    const rows = (await owner.query(`SELECT start_date::text AS s, end_date::text AS e, caseworker_id IS NULL AS none FROM worker_allocation WHERE child_id = $1 ORDER BY start_date`, [C4])).rows;
    expect(rows.slice(-2)).toEqual([{ s: '2025-01-01', e: '2026-01-04', none: false }, { s: '2026-01-05', e: null, none: true }]);
    const bad = await as('mutation($i: NoAllocatedWorkerInput!) { recordNoAllocatedWorker(input: $i) { allocation { id } } }', { i: { childId: C4, decidedBy: ' ', reason: 'x', startDate: '2026-02-01', nextReviewDate: '2026-01-01' } });
    expect((bad.errors![0].extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual(['input.decidedBy', 'input.nextReviewDate']);
  });

  it('only caseworkers may record: a designated clinical officer reads but may not write', async () => {
    const res = await as('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: C4, receivedDate: '2025-03-01' } }, 'designated_clinical_officer');
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
