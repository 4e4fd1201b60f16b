import pg from 'pg';
import { sharedBuffersMb } from '../../subgraphs/toolkit/database/embedded-postgres';
import { adminUrl } from '../support/databases';

const GB = 2 ** 30;

describe('the embedded PostgreSQL\'s page cache', () => {
  it('is a quarter of the machine\'s memory, within 128 MB-1 GB', () => {
    expect(sharedBuffersMb(0.25 * GB)).toBe(128);
    expect(sharedBuffersMb(2 * GB)).toBe(512);
    expect(sharedBuffersMb(24 * GB)).toBe(1024);
  });

  // The suite's own server is the embedded one unless DATABASE_URL names another.
  (process.env.DATABASE_URL ? it.skip : it)('is what the running embedded server was started with', async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT setting::bigint * 8 / 1024 AS mb FROM pg_settings WHERE name = 'shared_buffers'`);
      expect(Number(rows[0].mb)).toBe(sharedBuffersMb());
    } finally {
      await client.end();
    }
  });
});
