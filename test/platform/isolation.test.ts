import pg from 'pg';
import { SUBGRAPHS } from '../../infra/subgraphs';
import { createTestDatabases, type TestDatabases } from '../support/databases';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function tryConnect(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('separate data controllers', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    dbs = await createTestDatabases(SUBGRAPHS);
  });
  afterAll(async () => dbs.drop());

  it.each(SUBGRAPHS.map((s) => s.name))('%s has its own database, which its runtime login can reach', async (name) => {
    expect(await tryConnect(dbs.logins[name].appUrl)).toBe('connected');
  });

  it('no subgraph login can connect to another subgraph\'s database', async () => {
    const names = SUBGRAPHS.map((s) => s.name);
    for (const from of names) {
      for (const to of names.filter((n) => n !== from)) {
        for (const login of [dbs.logins[from].appUrl, dbs.logins[from].ownerUrl]) {
          const outcome = await tryConnect(withDatabase(login, dbs.logins[to].database));
          expect({ from, to, outcome }).toEqual({ from, to, outcome: expect.stringMatching(/permission denied for database/) });
        }
      }
    }
  });

  it('the runtime login cannot change the schema', async () => {
    const client = new pg.Client({ connectionString: dbs.logins.casework.appUrl });
    await client.connect();
    try {
      await expect(client.query('CREATE TABLE intruder (id int)')).rejects.toThrow(/permission denied for schema public/);
      await expect(client.query('DROP TABLE child')).rejects.toThrow(/must be owner/);
    } finally {
      await client.end();
    }
  });

  it('the runtime login can append audit events only through append_audit_events, at the time the database gives, and never change or delete them', async () => {
    const client = new pg.Client({ connectionString: dbs.logins.health.appUrl });
    await client.connect();
    try {
      // A time (or a hash) in the entry is ignored: the database stamps it.
      await client.query(`SELECT append_audit_events('[{"user_id": "u1", "roles": ["icb_analyst"], "org": "ICB", "action": "READ", "entity_type": "Referral", "entity_id": "r1", "occurred_at": "2001-01-01T00:00:00Z"}]')`);
      const [row] = (await client.query(`SELECT occurred_at FROM audit_event WHERE entity_id = 'r1'`)).rows;
      expect(Math.abs(Date.now() - new Date(row.occurred_at).getTime())).toBeLessThan(60_000);
      await expect(client.query(`INSERT INTO audit_event (occurred_at, user_id, roles, org, action, entity_type, entity_id) VALUES ('2001-01-01', 'u1', '{icb_analyst}', 'ICB', 'READ', 'Referral', 'r2')`)).rejects.toThrow(/permission denied/);
      await expect(client.query(`UPDATE audit_event SET user_id = 'someone else'`)).rejects.toThrow(/permission denied/);
      await expect(client.query('DELETE FROM audit_event')).rejects.toThrow(/permission denied/);
      await expect(client.query('TRUNCATE audit_event')).rejects.toThrow(/permission denied/);
      await expect(client.query('DELETE FROM audit_chain')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
    // The owner login, which runs migrations, owns everything but the trail: it can
    // neither delete entries nor turn the triggers off.
    const owner = new pg.Client({ connectionString: dbs.logins.health.ownerUrl });
    await owner.connect();
    try {
      await expect(owner.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update')).rejects.toThrow(/must be owner/);
      // Granting itself the right is a no-op (PostgreSQL only warns): it holds no grant option.
      await owner.query('GRANT DELETE ON audit_event TO CURRENT_USER');
      await expect(owner.query('DELETE FROM audit_event')).rejects.toThrow(/permission denied/);
      await expect(owner.query(`SELECT append_audit_events('[]')`)).rejects.toThrow(/permission denied/);
      expect((await owner.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(1);
    } finally {
      await owner.end();
    }
  });
});
