import { SUBGRAPHS } from '../../infra/subgraphs';
import { openDatabase } from '../../subgraphs/toolkit/database';
import { createTestDatabases, type TestDatabases } from '../support/databases';

describe('migrations', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    dbs = await createTestDatabases(SUBGRAPHS);
  });
  afterAll(async () => dbs.drop());

  it.each(SUBGRAPHS.map((s) => [s.name, s] as const))('%s: the migrated schema is exactly what the entities declare', async (_name, definition) => {
    const orm = await openDatabase({ url: dbs.logins[definition.name].ownerUrl, entities: definition.entities, migrations: definition.migrations });
    try {
      const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: false });
      // A non-empty diff is the SQL of the migration that is missing.
      expect(diff.trim()).toBe('');
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
    } finally {
      await orm.close(true);
    }
  });
});
