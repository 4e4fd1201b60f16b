import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { importSen2 } from '../../subgraphs/casework/import/sen2-import';
import { chunksOf } from '../../subgraphs/casework/import/sen2-xml';
import { caseworkCatalogue } from '../../subgraphs/casework/measures/catalogue';
import { childFactsSql, REBUILD_FROM_CHILDREN, type FactForm } from '../../subgraphs/casework/measures/facts';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { Interval } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../../subgraphs/toolkit/measures/series';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';
import { postGraphQL } from '../support/stack';
import { C1, C3, C4, E1, loadKnownCasework, W1 } from './fixtures';
import { maintainedAndFromScratch, shippedAndReference } from './measure-check';
import { person, planRequest, sen2 } from './sen2-builder';
import { sen2Return } from '../../bench/sen2-import';

/**
 * The measures read monthly figures kept in step by triggers (measures/facts.ts).
 * After every kind of write (mutations, the SEN2 importer, plain SQL) the figures
 * must equal those derived from the records from scratch, and the measures must
 * equal the reference catalogue that derives them straight from the records.
 */
describe('the maintained measure figures stay in step with the records', () => {
  let dbs: TestDatabases;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  let orm: Orm;
  let owner: pg.Client;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    await loadKnownCasework(dbs.logins.casework.ownerUrl);
    issuer = await createTestIssuer();
    subgraph = await startSubgraph(casework, { port: 0, host: '127.0.0.1', databaseUrl: dbs.logins.casework.appUrl, auth: issuer.config });
    orm = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
    owner = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await orm?.close(true);
    await subgraph?.stop();
    await dbs?.drop();
  });

  const em = () => orm.em.fork() as EntityManager;
  const ok = async (query: string, variables: Record<string, unknown>) => {
    const res = await postGraphQL<Record<string, any>>(subgraph.url, query, variables, await issuer.as('la_caseworker', { user: 'jo.caseworker' }));
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const value = async (code: string, from: string, to: string, bindings: Record<string, unknown> = {}) =>
    (await measureSeries(em(), caseworkCatalogue, { codes: [code], from, to, interval: Interval.MONTH, bindings }))[0].points.map((p) => p.value);
  async function expectInStep() {
    const { maintained, fromScratch } = await maintainedAndFromScratch(em());
    expect(maintained.length).toBeGreaterThan(0);
    expect(maintained).toEqual(fromScratch);
    const { shipped, reference } = await shippedAndReference(em, '2014-01-01', '2026-12-31', [{ district: 'Ashfield' }, { primary_need: 'ASD' }, { district: 'Ashfield', primary_need: 'SLCN' }]);
    expect(shipped).toEqual(reference);
  }

  it('after loading the hand-built history with plain SQL', async () => {
    await expectInStep();
  });

  it('derives the same facts in the form the refresh writes and in the form the rebuild writes', async () => {
    // The forms differ most in the overdue reviews (a window over each plan's meetings against its meetings as an
    // array). Within a transaction rolled back after, the history's plans get more reviews: one held before the
    // issue, then stretches shorter and longer than a year, and one not yet held.
    await owner.query('BEGIN');
    try {
      await owner.query(`INSERT INTO annual_review (plan_id, due_date, meeting_date)
        SELECT e.id, e.issue_date, e.issue_date + d FROM ehc_plan e, unnest(ARRAY[-30, 400, 550, 1300, NULL]) d
        WHERE NOT EXISTS (SELECT 1 FROM annual_review v WHERE v.plan_id = e.id AND v.meeting_date = e.issue_date + d)`);
      const reviewedOften = await owner.query(`SELECT plan_id FROM annual_review WHERE meeting_date IS NOT NULL GROUP BY plan_id HAVING count(*) > 3`);
      expect(reviewedOften.rows.length).toBeGreaterThan(1);
      const facts = (form: FactForm) => `SELECT * FROM (${childFactsSql(() => 'true', form)}) f`;
      const count = async (sql: string) => (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`)).rows[0].n;
      expect(await count(`${facts('parallel')} WHERE code = 'AR_OVERDUE'`)).toBeGreaterThan(2 * reviewedOften.rows.length);
      expect(await count(facts('parallel'))).toBe(await count(facts('each')));
      expect(await count(`${facts('parallel')} EXCEPT ALL ${facts('each')}`)).toBe(0);
      expect(await count(`${facts('each')} EXCEPT ALL ${facts('parallel')}`)).toBe(0);
    } finally {
      await owner.query('ROLLBACK');
    }
  });

  it('the rebuild derives the facts in a plan parallel workers may run, and the form the refresh writes would not', async () => {
    const source = (await owner.query<{ src: string }>(`SELECT prosrc AS src FROM pg_proc WHERE proname = 'casework_rebuild_measure_facts'`)).rows[0].src;
    const derivation = /CREATE TABLE public\.casework_child_measure_month_next AS ([\s\S]*?);\n/.exec(source)![1];
    // With debug_parallel_query on, PostgreSQL puts a Gather over the whole plan whenever every part of it may run on a worker.
    const top = async (sql: string) => {
      await owner.query('BEGIN');
      try {
        await owner.query(`SET LOCAL debug_parallel_query = on`);
        await owner.query(`SET LOCAL min_parallel_table_scan_size = '1TB'`);
        await owner.query(`SET LOCAL min_parallel_index_scan_size = '1TB'`);
        return (await owner.query(`EXPLAIN (FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0].Plan['Node Type'];
      } finally {
        await owner.query('ROLLBACK');
      }
    };
    expect(await top(derivation)).toBe('Gather');
    expect(await top(`SELECT * FROM (${childFactsSql(() => 'true', 'each')}) f`)).not.toBe('Gather');
  });

  it('the rebuild, called by the runtime login, gives the facts back in a table like the one it replaces: columns, key, owner, grants', async () => {
    const shape = async () =>
      (
        await owner.query(`SELECT
          (SELECT json_agg(json_build_array(attname, format_type(atttypid, atttypmod), attnotnull) ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = t.oid AND attnum > 0 AND NOT attisdropped) AS columns,
          (SELECT json_agg(pg_get_constraintdef(oid) ORDER BY conname) FROM pg_constraint WHERE conrelid = t.oid) AS constraints,
          (SELECT json_agg(pg_get_indexdef(indexrelid) ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = t.oid) AS indexes,
          (SELECT json_agg(tgname ORDER BY tgname) FROM pg_trigger WHERE tgrelid = t.oid) AS triggers,
          t.relowner::regrole::text AS owner, t.relacl::text AS grants, t.relpersistence AS persistence, t.reloptions AS options
        FROM pg_class t WHERE t.oid = 'public.casework_child_measure_month'::regclass`)
      ).rows[0];
    const facts = async () => (await owner.query('SELECT * FROM casework_child_measure_month ORDER BY child_id, code, month')).rows;
    const before = { shape: await shape(), facts: await facts() };
    expect(before.facts.length).toBeGreaterThan(0);
    expect(before.shape.grants).toMatch(/=arwd\//);
    const app = new pg.Client({ connectionString: dbs.logins.casework.appUrl });
    await app.connect();
    try {
      await app.query('SELECT casework_rebuild_measure_facts()');
      expect(await shape()).toEqual(before.shape);
      expect(await facts()).toEqual(before.facts);
      // The runtime login still writes the facts (the refresh does, as it).
      await app.query('BEGIN');
      await app.query(`UPDATE casework_child_measure_month SET num = num WHERE code = 'PLANS_ACTIVE'`);
      await app.query('ROLLBACK');
    } finally {
      await app.end();
    }
    await expectInStep();
  });

  it('after each mutation of a life cycle: request, decision, advice, final plan, review, cessation, allocations', async () => {
    const requests = await value('EHCNA_REQUESTS', '2025-01-01', '2025-01-31');
    const { recordEhcnaRequest: { request } } = await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: C4, receivedDate: '2025-01-06', source: 'SCHOOL' } });
    expect(await value('EHCNA_REQUESTS', '2025-01-01', '2025-01-31')).toEqual([requests[0]! + 1]);
    const { recordRequestDecision: { request: d } } = await ok('mutation($i: RecordDecisionInput!) { recordRequestDecision(input: $i) { request { assessment { id } } } }', { i: { requestId: request.id, outcome: 'ASSESS', decisionDate: '2025-02-17' } });
    const assessmentId = d.assessment.id;
    await ok('mutation($i: RecordAdviceInput!) { recordAdviceAsked(input: $i) { assessment { id } } }', { i: { assessmentId, adviceType: 'EDUCATIONAL_PSYCHOLOGY', date: '2025-02-18' } });
    await ok('mutation($i: RecordAdviceInput!) { recordAdviceReturned(input: $i) { assessment { id } } }', { i: { assessmentId, adviceType: 'EDUCATIONAL_PSYCHOLOGY', date: '2025-04-02' } });
    await expectInStep();
    const slcnBefore = await value('PLANS_ACTIVE', '2025-06-01', '2025-06-30', { district: 'Ashfield', primary_need: 'SLCN' });
    const { recordFinalPlan: { plan } } = await ok('mutation($i: RecordFinalPlanInput!) { recordFinalPlan(input: $i) { plan { id } } }', {
      i: { assessmentId, issueDate: '2025-05-26', placements: [{ rank: 1, urn: '123456' }], senNeeds: [{ senType: 'SLCN', rank: 1 }] },
    });
    // Dee's primary need moves from MLD to SLCN: her plans, old and new, now count under SLCN.
    expect(slcnBefore).toEqual([0]);
    expect(await value('PLANS_ACTIVE', '2025-06-01', '2025-06-30', { district: 'Ashfield', primary_need: 'SLCN' })).toEqual([2]);
    await expectInStep();
    const { recordReviewMeeting: { review } } = await ok('mutation($i: RecordReviewMeetingInput!) { recordReviewMeeting(input: $i) { review { id } } }', { i: { planId: plan.id, meetingDate: '2026-05-20' } });
    const active = await value('PLANS_ACTIVE', '2026-06-01', '2026-06-30');
    await ok('mutation($i: RecordReviewDecisionInput!) { recordReviewDecision(input: $i) { review { outcome } } }', { i: { reviewId: review.id, outcome: 'CEASE', ceaseReason: 'NEEDS_MET', decisionDate: '2026-06-18' } });
    expect(await value('PLANS_ACTIVE', '2026-06-01', '2026-06-30')).toEqual([active[0]! - 1]);
    await ok('mutation($i: AllocateWorkerInput!) { allocateWorker(input: $i) { allocation { id } } }', { i: { childId: C4, caseworkerId: W1, startDate: '2025-01-01' } });
    await ok('mutation($i: NoAllocatedWorkerInput!) { recordNoAllocatedWorker(input: $i) { allocation { id } } }', {
      i: { childId: C4, decidedBy: 'Team manager', reason: 'Plan working well', startDate: '2026-01-05', nextReviewDate: '2026-07-05' },
    });
    await expectInStep();
  });

  it('after plain SQL: a move of district, a review deleted, a rolled-back write', async () => {
    const ashfield = await value('PLANS_ACTIVE', '2024-01-01', '2024-01-31', { district: 'Ashfield' });
    await owner.query(`UPDATE child SET district = 'Bassetlaw' WHERE id = $1`, [C1]);
    expect(await value('PLANS_ACTIVE', '2024-01-01', '2024-01-31', { district: 'Ashfield' })).toEqual([ashfield[0]! - 1]);
    // E1's meeting of 2024-05-01 kept it in time; without it E1 is overdue from 23 May 2024.
    const overdue = await value('AR_OVERDUE', '2024-06-01', '2024-06-30');
    await owner.query(`DELETE FROM annual_review WHERE plan_id = $1`, [E1]);
    expect(await value('AR_OVERDUE', '2024-06-01', '2024-06-30')).toEqual([overdue[0]! + 1]);
    const before = await maintainedAndFromScratch(em());
    await owner.query('BEGIN');
    await owner.query(`UPDATE ehc_plan SET cease_date = '2024-01-01', cease_reason = '2' WHERE id = $1`, [E1]);
    await owner.query('ROLLBACK');
    expect((await maintainedAndFromScratch(em())).maintained).toEqual(before.maintained);
    await expectInStep();
  });

  it('after two transactions committing at once, touching the same totals', async () => {
    const other = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await other.connect();
    try {
      await owner.query('BEGIN');
      await other.query('BEGIN');
      // Cal's plans and Amy's move back to Ashfield both change the Ashfield, ASD totals.
      await owner.query(`UPDATE ehc_plan SET cease_date = '2025-03-31', cease_reason = '2' WHERE child_id = $1 AND cease_date IS NULL`, [C3]);
      await other.query(`UPDATE child SET district = 'Ashfield' WHERE id = $1`, [C1]);
      await other.query(`UPDATE worker_allocation SET end_date = '2025-03-31' WHERE child_id = $1 AND end_date IS NULL`, [C4]);
      await Promise.all([owner.query('COMMIT'), other.query('COMMIT')]);
    } finally {
      await other.end();
    }
    await expectInStep();
  });

  it('after a rebuild and a write committing at once: the refresh at the write\'s commit waits for the rebuild, then finds the new table', async () => {
    const other = new pg.Client({ connectionString: dbs.logins.casework.appUrl });
    await other.connect();
    try {
      // A first write has the refresh's statements planned in this session against the table the rebuild replaces.
      await other.query(`UPDATE child SET district = 'Gedling' WHERE id = $1`, [C1]);
      await owner.query('BEGIN');
      await owner.query('SELECT casework_rebuild_measure_facts()');
      await other.query('BEGIN');
      await other.query(`UPDATE child SET district = 'Broxtowe' WHERE id = $1`, [C1]);
      const committed = other.query('COMMIT');
      const waiting = async () => (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).rows[0].n;
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await waiting()).toBe(1);
      await owner.query('COMMIT');
      await committed;
    } finally {
      await other.end();
    }
    expect((await owner.query(`SELECT DISTINCT district FROM casework_child_measure_month WHERE child_id = $1`, [C1])).rows).toEqual([{ district: 'Broxtowe' }]);
    await expectInStep();
  });

  it('after SEN2 imports: a first return, the same again, a later one; and after TRUNCATE', async () => {
    const run = (xml: string) =>
      importSen2({ open: () => chunksOf(xml, 512), user: 'test-importer', today: '2026-11-22', database: async () => ({ em: em(), linkKeySecret: TEST_LINK_KEY_SECRET }) });
    const amy = { Surname: 'Able', Forename: 'Amy', PersonBirthDate: '2012-03-04', Sex: 'F', UPN: 'A123456789012' };
    const fay = { Surname: 'Fox', Forename: 'Fay', PersonBirthDate: '2014-02-02', Sex: 'F', UPN: 'L623456789012' };
    const first = sen2([
      person(amy, [planRequest({ received: '2023-01-02', decided: '2023-02-13', assessed: '2023-05-01', start: '2023-05-22', need: 'ASD' })]),
      person(fay, [planRequest({ received: '2022-03-01', decided: '2022-04-01', assessed: '2022-06-01', start: '2022-07-01', need: 'ASD' })]),
    ]);
    expect(await run(first)).toMatchObject({ status: 'imported' });
    await expectInStep();
    expect(await run(first)).toMatchObject({ status: 'imported', created: 0 });
    await expectInStep();
    const later = sen2([
      person(fay, [planRequest({ received: '2022-03-01', decided: '2022-04-01', assessed: '2022-06-01', start: '2022-07-01', need: 'ASD', meeting: '2023-09-01', reviewOutcome: 'M', lastReview: '2023-09-20' })]),
    ]);
    const overdue = await value('AR_OVERDUE', '2023-08-01', '2023-08-31', { primary_need: 'ASD' });
    expect(await run(later)).toMatchObject({ status: 'imported', created: 0, updated: 1 });
    // Fay's review was due 2023-07-01 and held 2023-09-01: overdue in August (the figures already knew the first
    // return's plan as overdue, so the count is unchanged), and no longer from September.
    expect(await value('AR_OVERDUE', '2023-08-01', '2023-08-31', { primary_need: 'ASD' })).toEqual(overdue);
    await expectInStep();
    await owner.query('TRUNCATE annual_review');
    await expectInStep();
    await owner.query('TRUNCATE child, ehcna_request, ehc_needs_assessment, ehc_plan, plan_placement, plan_sen_need, annual_review, worker_allocation CASCADE');
    expect((await owner.query('SELECT count(*)::int AS n FROM casework_measure_month WHERE num <> 0 OR den <> 0')).rows[0].n).toBe(0);
    expect(await value('PLANS_ACTIVE', '2024-01-01', '2024-01-31')).toEqual([0]);
  });

  it('after a SEN2 import that is most of the area: its facts deferred once a rebuild is certain, then rebuilt once', async () => {
    await owner.query('TRUNCATE child, ehcna_request, ehc_needs_assessment, ehc_plan, plan_placement, plan_sen_need, annual_review, worker_allocation CASCADE');
    const n = REBUILD_FROM_CHILDREN + 200;
    const { xml, extract } = sen2Return(n, '2026-11-22', false);
    const log: string[] = [];
    const result = await importSen2({
      open: () => chunksOf(xml, 64 * 1024), caseExtract: extract, user: 'test-importer', today: '2026-11-22', chunk: 1000, log: (line) => log.push(line),
      database: async () => ({ em: em(), linkKeySecret: TEST_LINK_KEY_SECRET }),
    });
    expect(result).toMatchObject({ status: 'imported', created: n });
    // The fifth chunk brings the children created to the threshold, in an area that held none.
    expect(log.filter((l) => /rebuilt once/.test(l))).toEqual([`SEN2: ${(5000).toLocaleString('en-GB')} of ${(5000).toLocaleString('en-GB')} children are new: the measure figures will be rebuilt once, before commit`]);
    expect((await owner.query('SELECT count(*)::int AS n FROM casework_measure_pending')).rows[0].n).toBe(0);
    await expectInStep();
    // A later return of the same children updates them: nothing new, so the triggers keep the facts.
    log.length = 0;
    const later = sen2Return(n, '2026-11-22', true);
    expect(await importSen2({ open: () => chunksOf(later.xml, 64 * 1024), user: 'test-importer', today: '2026-11-22', chunk: 1000, log: (line) => log.push(line), database: async () => ({ em: em(), linkKeySecret: TEST_LINK_KEY_SECRET }) })).toMatchObject({ status: 'imported', created: 0, updated: n });
    expect(log.filter((l) => /rebuilt once/.test(l))).toEqual([]);
    await expectInStep();
  });
});
