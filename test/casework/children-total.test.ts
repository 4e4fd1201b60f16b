import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { CHILDREN_LIST_TABLES } from '../../subgraphs/casework/migrations/Migration20261210000100_casework_children_data_version';
import { childFilterSql } from '../../subgraphs/casework/resolvers/child.resolver';
import { AgeBand, SenType } from '../../subgraphs/casework/entities/enums';
import { storedReadsFor } from '../../subgraphs/toolkit/stored-reads';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, type TestDatabases } from '../support/databases';
import { postGraphQL } from '../support/stack';
import { id, loadKnownCasework } from './fixtures';

/**
 * The children list's total is filed under casework's data version
 * (toolkit/stored-reads.ts), which every write to a table the list's filters
 * read bumps in its own transaction as it commits: the same total while nothing
 * is written, never a total from before a committed write. Real PostgreSQL,
 * hand-written SQL as the writer (no code path of ours has to remember to bump).
 */
describe('the children list\'s total, filed under casework\'s data version', () => {
  let dbs: TestDatabases;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  let owner: pg.Client;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    await loadKnownCasework(dbs.logins.casework.ownerUrl);
    issuer = await createTestIssuer();
    subgraph = await startSubgraph(casework, { port: 0, host: '127.0.0.1', databaseUrl: dbs.logins.casework.appUrl, auth: issuer.config });
    owner = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await subgraph?.stop();
    await dbs?.drop();
  });

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

  it('notes a write to every table the filters read', () => {
    const { where } = childFilterSql({ district: 'Ashfield', primaryNeed: SenType.ASD, hasActivePlan: true, noAllocatedWorker: true, reviewOverdue: true, ageBand: AgeBand.AGED_5_TO_10, asOf: '2024-12-31' });
    const read = new Set(['child', ...[...where.join(' ').matchAll(/\bFROM\s+(\w+)/gi)].map((m) => m[1])]);
    expect([...read].sort()).toEqual([...CHILDREN_LIST_TABLES].sort());
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
});
