import { casework } from '../../subgraphs/casework';
import { MEASURE_FACTS_REBUILD_SQL, MEASURE_FACTS_REFRESH_SQL, MEASURE_FACTS_SQL } from '../../subgraphs/casework/measures/facts';
import { MEASURE_FACTS_SQL as INSTALLED_MEASURE_FACTS_SQL } from '../../subgraphs/casework/migrations/Migration20261122000100_casework';
import { MEASURE_FACTS_REFRESH_SQL as INSTALLED_REFRESH_SQL } from '../../subgraphs/casework/migrations/Migration20261213000100_casework_fact_branch_sums';
import { MEASURE_FACTS_REBUILD_SQL as INSTALLED_REBUILD_SQL } from '../../subgraphs/casework/migrations/Migration20261215000100_casework_fact_rebuild_parallel';
import pg from 'pg';
import { migrate, openDatabase } from '../../subgraphs/toolkit/database';
import { migrateWithSealedTrail } from '../../subgraphs/toolkit/database/provision';
import { adminUrl, createTestDatabases, type TestDatabases } from '../support/databases';

describe('casework migrations', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
  });
  afterAll(async () => dbs.drop());

  it('the migrated schema is exactly what the entities declare', async () => {
    const orm = await openDatabase({ url: dbs.logins.casework.ownerUrl, entities: casework.entities, migrations: casework.migrations });
    try {
      const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: false });
      expect(diff.trim()).toBe('');
    } finally {
      await orm.close(true);
    }
  });

  it('holding UPNs in their normal form: a UPN held before in another form is put in it, and the case-blind index goes', async () => {
    // A database as it stood before the migration, holding a UPN typed in lower case.
    const at = casework.migrations.findIndex((m) => m.name === 'Migration20261211000200_child_upn_normal_form');
    const earlier = await createTestDatabases([{ ...casework, migrations: casework.migrations.slice(0, at) }]);
    try {
      const owner = new pg.Client({ connectionString: earlier.logins.casework.ownerUrl });
      await owner.connect();
      try {
        await owner.query(`INSERT INTO child (surname, forename, birth_date, sex, upn) VALUES ('Able', 'Amy', '2012-03-04', 'F', 'a123456789012')`);
        const orm = await openDatabase({ url: earlier.logins.casework.ownerUrl, entities: casework.entities, migrations: casework.migrations });
        try {
          // As the start command migrates: the later migrations include one of the (sealed) audit trail's.
          expect(await migrateWithSealedTrail(adminUrl(), earlier.logins.casework.database, () => migrate(orm))).toEqual(casework.migrations.slice(at).map((m) => m.name));
        } finally {
          await orm.close(true);
        }
        expect((await owner.query('SELECT upn FROM child')).rows).toEqual([{ upn: 'A123456789012' }]);
        expect((await owner.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'child_upn_match_index'`)).rows).toEqual([{ n: 0 }]);
      } finally {
        await owner.end();
      }
    } finally {
      await earlier.drop();
    }
  });

  // Migrations are frozen: each holds its own SQL. The measure-figure functions are
  // written in measures/facts.ts; when that changes, a new migration must install
  // the new text (and this test then compares against that migration).
  it('the installed measure-figure functions are what measures/facts.ts writes today', () => {
    expect(INSTALLED_MEASURE_FACTS_SQL).toBe(MEASURE_FACTS_SQL);
    // The refresh at commit and the rebuild, replaced since by migrations of their own (the refresh writing only
    // what changed; both summing each code's rows on their own; the rebuild deriving into a new table, on
    // parallel workers).
    expect(INSTALLED_REFRESH_SQL).toBe(MEASURE_FACTS_REFRESH_SQL);
    expect(INSTALLED_REBUILD_SQL).toBe(MEASURE_FACTS_REBUILD_SQL);
  });

  it('the runtime login brings the statistics of tables it filled up to date, and leaves tables whose statistics still hold alone', async () => {
    const app = new pg.Client({ connectionString: dbs.logins.casework.appUrl });
    await app.connect();
    try {
      const refresh = async () => (await app.query<{ n: number }>('SELECT casework_refresh_planner_statistics() AS n')).rows[0].n;
      const rows = async () => (await app.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'child'`)).rows[0].n;
      // The runtime login owns none of the tables: its own ANALYZE would be skipped with a warning.
      await app.query('ANALYZE child');
      await refresh();
      const before = await rows(); // -1 while never analysed
      await app.query(`INSERT INTO child (surname, forename, birth_date, sex) SELECT 'Able', 'Child ' || i, DATE '2012-01-01' + i, 'F' FROM generate_series(1, 3000) i`);
      await app.query('ANALYZE child');
      expect(await rows()).toBe(before);
      expect(await refresh()).toBeGreaterThanOrEqual(1);
      expect(await rows()).toBe(Math.max(before, 0) + 3000);
      expect(await refresh()).toBe(0);
    } finally {
      await app.query(`DELETE FROM child WHERE surname = 'Able' AND forename LIKE 'Child %'`);
      await app.end();
    }
  });
});
