import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { importSen2 } from '../../subgraphs/casework/import/sen2-import';
import { chunksOf } from '../../subgraphs/casework/import/sen2-xml';
import { FIRST_LOAD_FOREIGN_KEYS } from '../../subgraphs/casework/migrations/Migration20261214000100_casework_first_load';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';
import { maintainedAndFromScratch } from './measure-check';
import { person, planRequest, sen2 } from './sen2-builder';

const RECORD_TABLES = ['child', 'ehcna_request', 'ehc_needs_assessment', 'ehc_plan', 'plan_placement', 'plan_sen_need', 'annual_review', 'worker_allocation'];

/** Every foreign key of the casework records, as the database holds it: "table constraint definition". */
const KEYS_SQL = `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS key FROM pg_constraint
  WHERE contype = 'f' AND conrelid::regclass::text = ANY($1) ORDER BY 1`;

describe('a first load: an import into an area that holds no casework records', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  let app: pg.Client;
  let other: pg.Client;
  let owner: pg.Client;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    orm = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
    [app, other, owner] = [dbs.logins.casework.appUrl, dbs.logins.casework.appUrl, dbs.logins.casework.ownerUrl].map((url) => new pg.Client({ connectionString: url }));
    await Promise.all([app.connect(), other.connect(), owner.connect()]);
  });
  afterAll(async () => {
    await Promise.all([app, other, owner].map((c) => c?.end()));
    await orm?.close(true);
    await dbs?.drop();
  });

  const keys = async (c: pg.Client = app) => (await c.query<{ key: string }>(KEYS_SQL, [RECORD_TABLES])).rows.map((r) => r.key);
  const begin = async () => (await app.query<{ first: boolean }>('SELECT casework_first_load_begin() AS first')).rows[0].first;
  const wipe = () => owner.query(`TRUNCATE ${RECORD_TABLES.join(', ')}, caseworker, team CASCADE`);
  const aChild = (id: string) => app.query(`INSERT INTO child (id, surname, forename, birth_date, sex) VALUES ($1, 'Able', 'Amy', '2012-03-04', 'F')`, [id]);
  const aRequest = (childId: string) =>
    app.query(`INSERT INTO ehcna_request (id, child_id, received_date, outcome) VALUES (gen_random_uuid(), $1, '2024-01-02', 'A')`, [childId]);
  const CHILD = '0193a6f0-0000-7000-8000-000000000001';
  const NOBODY = '0193a6f0-0000-7000-8000-0000000000ff';
  let installed: string[];

  beforeEach(async () => {
    await wipe();
    installed ??= await keys();
  });

  it('sets aside exactly the foreign keys the records have, as the database defines them', () => {
    expect(installed).toEqual(FIRST_LOAD_FOREIGN_KEYS.map(([t, c, d]) => `${t} ${c} ${d}`).sort());
  });

  it('begins only while no record is held; its end puts back every key as it was, and the keys hold again', async () => {
    await app.query('BEGIN');
    expect(await begin()).toBe(true);
    expect(await keys()).toEqual([]);
    await app.query('SELECT casework_first_load_end()');
    expect(await keys()).toEqual(installed);
    await expect(aRequest(NOBODY)).rejects.toThrow(/violates foreign key constraint "ehcna_request_child_id_foreign"/);
    await app.query('ROLLBACK');

    await aChild(CHILD);
    await app.query('BEGIN');
    expect(await begin()).toBe(false);
    expect(await keys()).toEqual(installed);
    await app.query('ROLLBACK');
  });

  it('a row that refers to nothing fails the end, and the whole transaction with it', async () => {
    await app.query('BEGIN');
    expect(await begin()).toBe(true);
    await aChild(CHILD);
    await aRequest(CHILD);
    await aRequest(NOBODY);
    await expect(app.query('SELECT casework_first_load_end()')).rejects.toThrow(/violates foreign key constraint "ehcna_request_child_id_foreign"/);
    await app.query('ROLLBACK');
    expect((await app.query('SELECT count(*)::int AS n FROM child')).rows[0].n).toBe(0);
    expect(await keys()).toEqual(installed);
  });

  it('committed without its end, the keys are put back and checked at commit', async () => {
    await app.query('BEGIN');
    expect(await begin()).toBe(true);
    await aRequest(NOBODY);
    await expect(app.query('COMMIT')).rejects.toThrow(/violates foreign key constraint "ehcna_request_child_id_foreign"/);
    expect((await app.query('SELECT count(*)::int AS n FROM ehcna_request')).rows[0].n).toBe(0);
    expect(await keys()).toEqual(installed);

    await app.query('BEGIN');
    expect(await begin()).toBe(true);
    await aChild(CHILD);
    await aRequest(CHILD);
    await app.query('COMMIT');
    expect(await keys()).toEqual(installed);
    expect((await app.query('SELECT count(*)::int AS n FROM ehcna_request')).rows[0].n).toBe(1);
  });

  it('an area in use: it waits about a second for the tables, then takes nothing and says no', async () => {
    // Another session reading the children holds them until its transaction ends.
    await other.query('BEGIN');
    await other.query('SELECT count(*) FROM child');
    try {
      await app.query('BEGIN');
      const started = Date.now();
      expect(await begin()).toBe(false);
      expect(Date.now() - started).toBeLessThan(5000);
      const held = await app.query(`SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND mode = 'AccessExclusiveLock' AND locktype = 'relation'`);
      expect(held.rows[0].n).toBe(0);
      expect(await keys()).toEqual(installed);
      await app.query('ROLLBACK');
    } finally {
      await other.query('ROLLBACK');
    }
  });

  it('a first load under way elsewhere: another import is told no after about a second, and waits for it as any writer would', async () => {
    await app.query('BEGIN');
    expect(await begin()).toBe(true);
    try {
      await other.query('BEGIN');
      const started = Date.now();
      expect((await other.query('SELECT casework_first_load_begin() AS first')).rows[0].first).toBe(false);
      expect(Date.now() - started).toBeLessThan(5000);
      const waiting = other.query('SELECT count(*)::int AS n FROM child');
      await aChild(CHILD);
      await app.query('SELECT casework_first_load_end()');
      await app.query('COMMIT');
      expect((await waiting).rows[0].n).toBe(1);
      await other.query('ROLLBACK');
    } finally {
      await app.query('ROLLBACK').catch(() => undefined);
      await other.query('ROLLBACK').catch(() => undefined);
    }
    expect(await keys()).toEqual(installed);
  });

  it('the runtime login cannot drop a key itself: only the owner\'s two functions do, with the migration\'s definitions', async () => {
    await expect(app.query('ALTER TABLE ehcna_request DROP CONSTRAINT ehcna_request_child_id_foreign')).rejects.toThrow(/must be owner/);
  });

  it('a SEN2 return into an empty area is a first load: the same records and measure facts, its keys checked; the next return is not', async () => {
    const people = Array.from({ length: 30 }, (_, i) =>
      person({ Surname: `Surname${i}`, Forename: 'Kim', PersonBirthDate: '2012-03-04', Sex: 'F' }, [
        planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22', need: 'ASD' }),
      ]),
    );
    const lines: string[] = [];
    const run = (xml: string) =>
      importSen2({ open: () => chunksOf(xml, 512), user: 'test-importer', chunk: 7, today: '2026-11-22', log: (l) => lines.push(l),
        database: async () => ({ em: orm.em.fork() as EntityManager, linkKeySecret: TEST_LINK_KEY_SECRET }) });
    const result = await run(sen2(people));
    expect(result).toMatchObject({ status: 'imported', created: 30 });
    expect(lines.filter((l) => /first load/.test(l))).toHaveLength(1);
    expect(await keys()).toEqual(installed);
    expect((await app.query('SELECT count(*)::int AS n FROM ehc_plan')).rows[0].n).toBe(30);
    const { maintained, fromScratch } = await maintainedAndFromScratch(orm.em.fork() as EntityManager);
    expect(maintained.length).toBeGreaterThan(0);
    expect(maintained).toEqual(fromScratch);

    lines.length = 0;
    expect(await run(sen2(people.slice(0, 5)))).toMatchObject({ status: 'imported', updated: 5 });
    expect(lines.filter((l) => /first load/.test(l))).toHaveLength(0);
  });
});
