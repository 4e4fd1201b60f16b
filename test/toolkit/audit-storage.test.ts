import { Client } from 'pg';
import { governance } from '../../subgraphs/governance';
import { createTestDatabases, type TestDatabases } from '../support/databases';

// A page's read entry holds hundreds of ids; compressing them cost more than a third of each append.
describe('the read audit\'s record ids', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    dbs = await createTestDatabases([governance]);
  });
  afterAll(async () => {
    await dbs?.drop();
  });

  it('are stored out of line without compression, and read back whole', async () => {
    const client = new Client({ connectionString: dbs.logins.governance.appUrl });
    await client.connect();
    try {
      const ids = Array.from({ length: 600 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      const entry = { user_id: 'storage-test', roles: ['auditor'], org: 'LA', action: 'READ', entity_type: 'AnnualReview', record_ids: ids, fields: ['dueDate'] };
      await client.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry])]);
      const { rows } = await client.query<{ ids: string[]; compression: string | null; bytes: number }>(
        "SELECT record_ids AS ids, pg_column_compression(record_ids) AS compression, pg_column_size(record_ids) AS bytes FROM audit_event WHERE user_id = 'storage-test'",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].ids).toEqual(ids);
      // Compressed, pglz would have taken this array well under its 22 KB.
      expect(rows[0].compression).toBeNull();
      expect(rows[0].bytes).toBeGreaterThan(600 * 36);
    } finally {
      await client.end();
    }
  });
});
