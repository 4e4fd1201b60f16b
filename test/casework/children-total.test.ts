import pg from 'pg';
import { VERSIONED_TABLES } from '../../subgraphs/casework/migrations/Migration20261210000100_casework_table_versions';
import { childFilterSql } from '../../subgraphs/casework/resolvers/child.resolver';
import { AgeBand, SenType } from '../../subgraphs/casework/entities/enums';
import { storedReadsFor } from '../../subgraphs/toolkit/stored-reads';
import type { RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import type { TestIssuer } from '../support/auth';
import type { TestDatabases } from '../support/databases';
import { postGraphQL } from '../support/stack';
import { id, startKnownCasework, type KnownCasework } from './fixtures';

/**
 * The children list's total is filed under the versions of the tables its filter
 * reads (toolkit/stored-reads.ts), which every write to such a table bumps in its
 * own transaction as it commits: the same total while nothing it reads is
 * written, never a total from before a committed write. Real PostgreSQL,
 * hand-written SQL as the writer (no code path of ours has to remember to bump).
 */
describe('the children list\'s total, filed under the versions of the tables it reads', () => {
  let known: KnownCasework;
  let dbs: TestDatabases;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  let owner: pg.Client;
  beforeAll(async () => {
    known = await startKnownCasework();
    ({ dbs, issuer, subgraph, owner } = known);
  });
  afterAll(async () => known?.stop());

  const store = () => storedReadsFor({ em: subgraph.orm.em } as never);
  const total = async (filter: Record<string, unknown>): Promise<number> => {
    const res = await postGraphQL<{ children: { totalCount: number } }>(subgraph.url, 'query($f: ChildFilter) { children(filter: $f, first: 1) { totalCount } }', { f: filter }, await issuer.as('la_caseworker'));
    expect(res.errors).toBeUndefined();
    return res.data!.children.totalCount;
  };
  const ACTIVE = { hasActivePlan: true, asOf: '2024-12-31' };
  let next = 900;
  /** A child with a plan in force at the end of 2024, written by hand; its ids. */
  const addChildWithPlan = async () => {
    const child = id(next++);
    const plan = id(next++);
    await owner.query(`INSERT INTO child (id, forename, surname, birth_date, sex, district, primary_need) VALUES ($1, 'Eve', 'Zed', '2014-02-02', 'F', 'Newark', 'SLCN')`, [child]);
    await owner.query(`INSERT INTO ehc_plan (id, child_id, issue_date) VALUES ($1, $2, '2024-03-01')`, [plan, child]);
    return { child, plan };
  };

  it('gives the same total from the store while nothing is written, and recounts after each write to a table it reads', async () => {
    const before = await total(ACTIVE);
    expect(before).toBe(4); // the fixtures' four children all have a plan in force at the end of 2024
    const { hits } = store();
    expect(await total(ACTIVE)).toBe(before);
    expect(store().hits - hits).toBe(1);

    // A child with no casework yet changes no measure's facts, only the list.
    const everyone = await total({});
    await owner.query(`INSERT INTO child (id, forename, surname, birth_date, sex, district) VALUES ($1, 'Fay', 'Young', '2015-05-05', 'F', 'Newark')`, [id(next++)]);
    expect(await total({})).toBe(everyone + 1);

    const { child, plan } = await addChildWithPlan();
    expect(await total(ACTIVE)).toBe(before + 1);
    await owner.query(`UPDATE ehc_plan SET cease_date = '2024-06-01', cease_reason = '2' WHERE id = $1`, [plan]);
    expect(await total(ACTIVE)).toBe(before);
    const newark = await total({ district: 'Newark' });
    await owner.query(`UPDATE child SET district = 'Ashfield' WHERE id = $1`, [child]);
    expect(await total({ district: 'Newark' })).toBe(newark - 1);
    // An allocation decides noAllocatedWorker's total.
    const unallocated = await total({ noAllocatedWorker: true, asOf: '2024-12-31' });
    const w = (await owner.query(`SELECT id, team_id FROM caseworker LIMIT 1`)).rows[0];
    await owner.query(`INSERT INTO worker_allocation (id, child_id, caseworker_id, team_id, start_date) VALUES ($1, $2, $3, $4, '2024-01-01')`, [id(next++), child, w.id, w.team_id]);
    expect(await total({ noAllocatedWorker: true, asOf: '2024-12-31' })).toBe(unallocated - 1);
  });

  it('names every table each filter reads, and each has a version', () => {
    const filters: Array<Record<string, unknown>> = [
      {}, { district: 'Ashfield' }, { primaryNeed: SenType.ASD }, { hasActivePlan: true }, { noAllocatedWorker: true }, { reviewOverdue: false }, { ageBand: AgeBand.AGED_5_TO_10 },
      { district: 'Ashfield', primaryNeed: SenType.ASD, hasActivePlan: true, noAllocatedWorker: true, reviewOverdue: true, ageBand: AgeBand.AGED_5_TO_10, asOf: '2024-12-31' },
    ];
    for (const filter of filters) {
      const { where, tables } = childFilterSql(filter);
      const read = new Set(['child', ...[...where.join(' ').matchAll(/\bFROM\s+(\w+)/gi)].map((m) => m[1])]);
      expect([...tables].sort()).toEqual([...read].sort());
    }
    const all = childFilterSql(filters[filters.length - 1]).tables;
    expect([...all].sort()).toEqual([...VERSIONED_TABLES].sort());
  });

  it('keeps a total filed through writes to tables its filter does not read', async () => {
    const overdue = { reviewOverdue: true, asOf: '2024-12-31' };
    const active = await total(ACTIVE);
    await total(overdue);
    const { child, plan } = await addChildWithPlan();
    expect(await total(ACTIVE)).toBe(active + 1);
    await total(overdue);
    // A request recorded: no filter reads ehcna_request, so both totals stay filed.
    let { hits, misses } = store();
    await owner.query(`INSERT INTO ehcna_request (id, child_id, received_date, source, outcome) VALUES ($1, $2, '2024-11-01', 'PARENT', 'A')`, [id(next++), child]);
    expect(await total(ACTIVE)).toBe(active + 1);
    await total(overdue);
    expect({ hits: store().hits - hits, misses: store().misses - misses }).toEqual({ hits: 2, misses: 0 });
    // An annual review recorded: only the overdue list, which reads annual_review, is counted again.
    ({ hits, misses } = store());
    await owner.query(`INSERT INTO annual_review (id, plan_id, due_date, meeting_date) VALUES ($1, $2, '2025-03-01', '2024-11-15')`, [id(next++), plan]);
    expect(await total(ACTIVE)).toBe(active + 1);
    await total(overdue);
    expect({ hits: store().hits - hits, misses: store().misses - misses }).toEqual({ hits: 1, misses: 1 });
  });

  it('a read that starts after a write commits counts it, with writes racing reads', async () => {
    const base = await total({});
    const writer = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await writer.connect();
    let writing = true;
    // Readers keep the store busy with every version in between.
    const readers = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (writing) await total({});
      }),
    );
    try {
      for (let i = 1; i <= 12; i++) {
        await writer.query('BEGIN');
        await writer.query(`INSERT INTO child (id, forename, surname, birth_date, sex) VALUES ($1, 'Gil', 'Race', '2013-03-03', 'M')`, [id(next++)]);
        await writer.query('COMMIT');
        expect(await total({})).toBe(base + i);
      }
    } finally {
      writing = false;
      await readers;
      await writer.end();
    }
  });

  it('writers of the same tables commit side by side without waiting on each other in a circle', async () => {
    const clients = [new pg.Client({ connectionString: dbs.logins.casework.ownerUrl }), new pg.Client({ connectionString: dbs.logins.casework.ownerUrl })];
    await Promise.all(clients.map((c) => c.connect()));
    const { child, plan } = await addChildWithPlan();
    try {
      for (let i = 0; i < 10; i++) {
        // One writes the plan then the child, the other the child then the plan; both move the measures' facts too.
        await Promise.all([
          (async (c) => {
            await c.query('BEGIN');
            await c.query(`UPDATE ehc_plan SET issue_date = issue_date WHERE id = $1`, [plan]);
            await c.query(`INSERT INTO child (id, forename, surname, birth_date, sex) VALUES ($1, 'Hal', 'Side', '2012-12-12', 'M')`, [id(next++)]);
            await c.query('COMMIT');
          })(clients[0]),
          (async (c) => {
            await c.query('BEGIN');
            await c.query(`UPDATE child SET forename = forename WHERE id = $1`, [child]);
            await c.query(`INSERT INTO ehc_plan (id, child_id, issue_date) VALUES ($1, $2, '2024-05-01')`, [id(next++), child]);
            await c.query('COMMIT');
          })(clients[1]),
        ]);
      }
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const versions = await owner.query(`SELECT table_name, version::int AS v FROM casework_table_version WHERE table_name IN ('child', 'ehc_plan')`);
    for (const row of versions.rows) expect(row.v).toBeGreaterThan(20);
  });
});
