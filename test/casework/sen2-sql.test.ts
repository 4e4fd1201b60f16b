import type { EntityManager } from '@mikro-orm/postgresql';
import { casework } from '../../subgraphs/casework';
import { Sql } from '../../subgraphs/casework/import/sen2-write/sql';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { createTestDatabases, type TestDatabases } from '../support/databases';

/** The import's writes are sent without waiting for the one before (sen2-write/sql.ts). */
describe('the SEN2 writer\'s statements, sent one after another on the transaction', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    orm = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: [] });
  });
  afterAll(async () => {
    await orm?.close();
    await dbs?.drop();
  });

  const inTransaction = (work: (sql: Sql) => Promise<void>) =>
    (orm.em.fork() as EntityManager).transactional(async (tx) => {
      await work(new Sql(tx as EntityManager));
      throw new Error('rolled back');
    }).catch((err: Error) => {
      if (err.message !== 'rolled back') throw err;
    });

  it('rows go as one array per column and come back as they were: quotes, backslashes, commas, braces, the word NULL, empty text, nulls and missing values', async () => {
    const rows = [
      { id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', name: 'O"Brien \\ {x}, y', day: '2024-02-29', yes: true, rank: 1 },
      { id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c', name: 'NULL', day: null, yes: false, rank: 32767 },
      { id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d', name: '', yes: null },
      { id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5e', name: "Zoë Ó'Ceallaigh\ttab\\", day: '1990-01-01', yes: true, rank: -3 },
    ];
    await inTransaction(async (sql) => {
      await sql.all('CREATE TEMPORARY TABLE sent_values (id uuid, name text, day date, yes boolean, rank smallint) ON COMMIT DROP');
      sql.withRows((x) => `INSERT INTO sent_values SELECT x.id, x.name, x.day, x.yes, x.rank FROM ${x}`, 'id uuid, name text, day date, yes boolean, rank smallint', rows);
      const back = await sql.all<Record<string, unknown>>('SELECT id, name, day::text AS day, yes, rank FROM sent_values ORDER BY id');
      expect(back).toEqual(rows.map((r) => ({ day: null, rank: null, ...r })));
    });
  });

  it('a query over rows reads them as withRows sends them, its other parameters bound after them', async () => {
    await inTransaction(async (sql) => {
      const rows = [{ plan: 'a', rank: 2, unit: true }, { plan: 'a', rank: 1, unit: null }, { plan: 'b', rank: 1, unit: false }];
      const back = await sql.allOver<{ plan: string; list: string[] }>(
        (x) => `SELECT x.plan, array_agg(ROW(x.rank, x.unit)::text ORDER BY x.rank) AS list FROM ${x} WHERE x.plan <> ? AND x.rank < ? GROUP BY x.plan ORDER BY x.plan`,
        'plan text, rank smallint, unit boolean',
        rows,
        ['b', 3],
      );
      expect(back).toEqual([{ plan: 'a', list: ['(1,)', '(2,t)'] }]);
    });
  });

  it('a column list it cannot read, or a value that is not one value, is refused before anything is sent', () => {
    const sql = new Sql(orm.em.fork() as EntityManager);
    expect(() => sql.withRows((x) => `SELECT 1 FROM ${x}`, 'n int); DROP TABLE child; --', [{ n: 1 }])).toThrow(/not a column/);
    expect(() => sql.withRows((x) => `SELECT 1 FROM ${x}`, 'n', [{ n: 1 }])).toThrow(/not a column/);
    expect(() => sql.withRows((x) => `SELECT 1 FROM ${x}`, 'n int', [{ n: [1, 2] }])).toThrow(/n is not a single value/);
  });

  it('a query after writes sent and not yet waited for sees them, in the order sent', async () => {
    await inTransaction(async (sql) => {
      await sql.all('CREATE TEMPORARY TABLE sent_order (n int) ON COMMIT DROP');
      sql.withRows((x) => `INSERT INTO sent_order (n) SELECT x.n FROM ${x}`, 'n int', [{ n: 1 }]);
      for (let n = 2; n <= 20; n++) sql.withRows((x) => `INSERT INTO sent_order (n) SELECT x.n * 10 FROM ${x}`, 'n int', [{ n }]);
      sql.withRows((x) => `UPDATE sent_order SET n = n + 1 WHERE n = (SELECT x.n FROM ${x})`, 'n int', [{ n: 200 }]);
      const rows = await sql.all<{ ns: number[] }>('SELECT array_agg(n ORDER BY n) AS ns FROM sent_order');
      expect(rows[0].ns).toEqual([1, ...Array.from({ length: 18 }, (_, i) => (i + 2) * 10), 201]);
      await sql.settle();
    });
  });

  it('a write that fails is the failure reported, by settle and by any query sent after it, not the aborted statements behind it', async () => {
    await inTransaction(async (sql) => {
      await sql.all('CREATE TEMPORARY TABLE sent_fail (n int NOT NULL) ON COMMIT DROP');
      sql.withRows((x) => `INSERT INTO sent_fail (n) SELECT x.n FROM ${x}`, 'n int', [{ n: null }]);
      sql.withRows((x) => `INSERT INTO sent_fail (n) SELECT x.n FROM ${x}`, 'n int', [{ n: 1 }]);
      await expect(sql.all('SELECT count(*) FROM sent_fail')).rejects.toThrow(/null value in column "n"/);
      await expect(sql.settle()).rejects.toThrow(/null value in column "n"/);
    });
  });

  it('settle waits for every write sent, and sends nothing for no rows', async () => {
    await inTransaction(async (sql) => {
      await sql.all('CREATE TEMPORARY TABLE sent_wait (n int) ON COMMIT DROP');
      sql.withRows((x) => `INSERT INTO sent_wait (n) SELECT x.n FROM ${x}`, 'n int', [{ n: 1 }, { n: 2 }]);
      sql.withRows((x) => `INSERT INTO sent_wait (n) SELECT x.n::int / 0 FROM ${x}`, 'n text', []);
      const sent = Date.now();
      sql.withRows((x) => `INSERT INTO sent_wait (n) SELECT (SELECT 0 FROM pg_sleep(0.3)) + x.n FROM ${x}`, 'n int', [{ n: 3 }]);
      expect(Date.now() - sent).toBeLessThan(250); // sent, not waited for
      await sql.settle();
      expect(Date.now() - sent).toBeGreaterThanOrEqual(290); // the sleeping write had ended
      const held = await sql.all<{ ns: number[] }>('SELECT array_agg(n ORDER BY n) AS ns FROM sent_wait');
      expect(held[0].ns).toEqual([1, 2, 3]);
    });
  });
});
