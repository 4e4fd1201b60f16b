import pg from 'pg';
import { startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { C2, C3, C4, E5, loadKnownCasework, W1 } from './fixtures';

/**
 * Identical submissions at once, through the gateway and the casework subgraph:
 * the database keeps one record, and every other answer is a CONFLICT naming it
 * (or, for one that arrived after the winner was written, the check that refuses
 * a step out of order). Never a second record, never "Internal server error.".
 */
describe('casework writes that cannot double', () => {
  let stack: TestStack;
  let owner: pg.Client;
  beforeAll(async () => {
    stack = await startTestStack();
    await loadKnownCasework(stack.databases.logins.casework.ownerUrl);
    owner = new pg.Client({ connectionString: stack.databases.logins.casework.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await stack?.stop();
  });

  /** A mutation's answer: its payload holds the one record it wrote. */
  type Answer = GraphQLResponse<Record<string, Record<string, { id: string }> | null>>;
  const submit = async (times: number, query: string, input: Record<string, unknown>): Promise<Answer[]> => {
    const headers = await stack.issuer.as('la_caseworker', { user: 'jo.caseworker' });
    return Promise.all(Array.from({ length: times }, () => stack.query<Record<string, Record<string, { id: string }> | null>>(query, { i: input }, headers)));
  };
  /** The one record made, and every other answer checked: CONFLICT naming it, or one of the refusals allowed. */
  const oneMade = (answers: Answer[], field: string, type: string, refusals: RegExp[] = []) => {
    const made = answers.filter((a) => !a.errors).map((a) => Object.values(a.data![field]!)[0].id);
    expect(made).toHaveLength(1);
    for (const a of answers.filter((x) => x.errors)) {
      const [error] = a.errors!;
      if (error.extensions?.code === 'CONFLICT') expect(error.extensions.existing).toEqual({ type, id: made[0] });
      else expect({ code: error.extensions?.code, allowed: refusals.some((r) => r.test(error.message)) }).toEqual({ code: 'BAD_USER_INPUT', allowed: true });
    }
    return made[0];
  };

  it('10 rounds of 20 identical requests at once leave 10 requests; the rest are CONFLICTs naming the one made', async () => {
    const dates = Array.from({ length: 10 }, (_, k) => `2025-0${Math.floor(k / 5) + 1}-${String(10 + k).padStart(2, '0')}`);
    let conflicts = 0;
    for (const receivedDate of dates) {
      const answers = await submit(20, 'mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { childId: C4, receivedDate, source: 'PARENT' });
      oneMade(answers, 'recordEhcnaRequest', 'EhcnaRequest');
      conflicts += answers.filter((a) => a.errors?.[0].extensions?.code === 'CONFLICT').length;
      expect(answers.every((a) => a.status < 500)).toBe(true);
    }
    expect(conflicts).toBe(190);
    const rows = await owner.query(`SELECT received_date::text AS d, count(*)::int AS n FROM ehcna_request WHERE child_id = $1 AND received_date = ANY($2::date[]) GROUP BY 1 ORDER BY 1`, [C4, dates]);
    expect(rows.rows).toEqual(dates.map((d) => ({ d, n: 1 })));
    // One audit entry per request made, none for the answers refused.
    const audited = await owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'WRITE' AND entity_type = 'EhcnaRequest' AND user_id = 'jo.caseworker'`);
    expect(audited.rows[0].n).toBe(10);
  });

  it('the same allocation submitted 10 times at once, in 3 rounds, leaves one allocation per round and one open', async () => {
    for (const startDate of ['2024-02-01', '2024-03-01', '2024-04-01']) {
      const answers = await submit(10, 'mutation($i: AllocateWorkerInput!) { allocateWorker(input: $i) { allocation { id } } }', { childId: C2, caseworkerId: W1, startDate });
      oneMade(answers, 'allocateWorker', 'WorkerAllocation', [/is not after the start of the current allocation/]);
    }
    const rows = (await owner.query(`SELECT start_date::text AS s, end_date::text AS e FROM worker_allocation WHERE child_id = $1 ORDER BY start_date`, [C2])).rows;
    expect(rows).toEqual([
      { s: '2023-08-01', e: '2024-01-31' },
      { s: '2024-02-01', e: '2024-02-29' },
      { s: '2024-03-01', e: '2024-03-31' },
      { s: '2024-04-01', e: null },
    ]);
  });

  it('allocations from different dates at once never leave a child with two open allocations', async () => {
    const starts = Array.from({ length: 8 }, (_, k) => `2024-0${k + 1}-15`);
    const headers = await stack.issuer.as('la_caseworker');
    const answers = await Promise.all(
      starts.map((startDate) => stack.query('mutation($i: AllocateWorkerInput!) { allocateWorker(input: $i) { allocation { id } } }', { i: { childId: C3, caseworkerId: W1, startDate } }, headers)),
    );
    for (const a of answers.filter((x) => x.errors)) expect(['CONFLICT', 'BAD_USER_INPUT']).toContain(a.errors![0].extensions?.code);
    const open = await owner.query(`SELECT count(*)::int AS n FROM worker_allocation WHERE child_id = $1 AND end_date IS NULL`, [C3]);
    expect(open.rows[0].n).toBe(1);
    // The allocations made follow one another: each ends the day before the next starts.
    const rows = (await owner.query(`SELECT start_date::text AS s, (end_date + 1)::text AS next FROM worker_allocation WHERE child_id = $1 ORDER BY start_date`, [C3])).rows;
    expect(rows.length).toBe(answers.filter((a) => !a.errors).length);
    rows.slice(0, -1).forEach((r: { next: string }, i: number) => expect(r.next).toBe(rows[i + 1].s));
  });

  it('the same review meeting submitted 20 times at once makes one review', async () => {
    const answers = await submit(20, 'mutation($i: RecordReviewMeetingInput!) { recordReviewMeeting(input: $i) { review { id } } }', { planId: E5, meetingDate: '2024-04-20' });
    oneMade(answers, 'recordReviewMeeting', 'AnnualReview', [/is not after the last review meeting/]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM annual_review WHERE plan_id = $1`, [E5])).rows[0].n).toBe(1);
  });

  it('the same decision to assess submitted 10 times at once opens one assessment', async () => {
    const [request] = await submit(1, 'mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { childId: C4, receivedDate: '2025-07-01' });
    const requestId = request.data!.recordEhcnaRequest!.request.id;
    const answers = await submit(10, 'mutation($i: RecordDecisionInput!) { recordRequestDecision(input: $i) { request { id } } }', { requestId, outcome: 'ASSESS', decisionDate: '2025-08-01' });
    const assessments = (await owner.query(`SELECT id FROM ehc_needs_assessment WHERE request_id = $1`, [requestId])).rows;
    expect(assessments).toHaveLength(1);
    // A decision that arrives after the assessment opened records the same decision again; one that raced it is told.
    expect(answers.some((a) => !a.errors)).toBe(true);
    for (const a of answers.filter((x) => x.errors)) expect(a.errors![0].extensions).toMatchObject({ code: 'CONFLICT', existing: { type: 'EhcNeedsAssessment', id: assessments[0].id } });
  });

  it('a request made again later is the same CONFLICT, naming the request', async () => {
    const [first] = await submit(1, 'mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { childId: C4, receivedDate: '2025-06-02' });
    const [again] = await submit(1, 'mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { childId: C4, receivedDate: '2025-06-02' });
    expect(again.errors![0]).toMatchObject({
      message: 'input.receivedDate: this child already has a request received on 2025-06-02.',
      extensions: { code: 'CONFLICT', existing: { type: 'EhcnaRequest', id: first.data!.recordEhcnaRequest!.request.id } },
    });
  });
});
