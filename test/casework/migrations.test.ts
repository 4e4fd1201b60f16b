import { casework } from '../../subgraphs/casework';
import { openDatabase } from '../../subgraphs/toolkit/database';
import { createTestDatabases, type TestDatabases } from '../support/databases';

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
});
