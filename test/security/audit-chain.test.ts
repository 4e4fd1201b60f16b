// Over 300 lines: every way the trail can be tampered with (deleted, altered, back-dated, forged, reordered, cut, unsealed), each a short case against one real database.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { auditRoleName, grantRuntimePrivileges, migrateWithSealedTrail, provisionDatabases, sealAuditTrail, dropDatabases } from '../../subgraphs/toolkit/database/provision';
import { SUBGRAPHS } from '../../infra/subgraphs';
import { governance } from '../../subgraphs/governance';
import { verifyAuditChain, type ChainAnchor, type ChainQuery, type ChainReport } from '../../subgraphs/toolkit/audit-chain';
import { openDatabase } from '../../subgraphs/toolkit/database';
import { migrateSubgraph } from '../../subgraphs/toolkit/database/migrate-cli';
import { runAuditSeal } from '../../infra/audit-seal';
import { adminUrl, createTestDatabases, type TestDatabases } from '../support/databases';

const ROOT = join(__dirname, '..', '..');

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

const queryOf = (client: pg.Client): ChainQuery => async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];

const entry = (i: number, extra: Record<string, unknown> = {}) => ({ user_id: `user-${i}`, roles: ['la_caseworker'], org: 'LA', operation_name: 'Op', request_id: `req-${i}`, action: 'READ', entity_type: 'Child', entity_id: `child-${i}`, fields: ['forename', 'id'], ...extra });

describe('the audit trail is hash-chained and tamper-evident', () => {
  let dbs: TestDatabases;
  const name = 'casework';
  const database = () => dbs.logins[name].database;
  const verify = (client: pg.Client, anchor?: ChainAnchor) => verifyAuditChain(queryOf(client), { auditRole: auditRoleName(database()), appRole: `${database()}_app`, anchor });

  /** Runs a superuser's tampering in a transaction, verifies inside it, and rolls it back. */
  async function tampered(tamper: (admin: pg.Client) => Promise<void>, anchor?: ChainAnchor): Promise<ChainReport> {
    const admin = await connect(withDatabase(adminUrl(), database()));
    try {
      await admin.query('BEGIN');
      // The superuser's way past the append-only triggers.
      await admin.query('SET LOCAL session_replication_role = replica');
      await tamper(admin);
      await admin.query('SET LOCAL session_replication_role = origin');
      return await verify(admin, anchor);
    } finally {
      await admin.query('ROLLBACK');
      await admin.end();
    }
  }

  async function ids(): Promise<string[]> {
    const admin = await connect(withDatabase(adminUrl(), database()));
    try {
      return (await admin.query('SELECT id::text FROM audit_event ORDER BY id')).rows.map((r) => r.id);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    dbs = await createTestDatabases(SUBGRAPHS);
    // Many writers at once: autocommit appends, transactions appending several
    // times, transactions and savepoints rolled back. The chain must stay linear.
    const pool = new pg.Pool({ connectionString: dbs.logins[name].appUrl, max: 8 });
    try {
      await Promise.all(
        Array.from({ length: 120 }, async (_, i) => {
          const client = await pool.connect();
          try {
            if (i % 4 === 0) {
              await client.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(i), entry(i + 1000)])]);
            } else if (i % 4 === 1) {
              await client.query('BEGIN');
              await client.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(i)])]);
              await client.query('SELECT pg_sleep(0.005)');
              await client.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(i + 2000), entry(i + 3000)])]);
              await client.query('COMMIT');
            } else if (i % 4 === 2) {
              await client.query('BEGIN');
              await client.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(i)])]);
              await client.query('ROLLBACK');
            } else {
              await client.query('BEGIN');
              await client.query('SAVEPOINT s');
              await client.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(i)])]);
              await client.query('ROLLBACK TO SAVEPOINT s');
              await client.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(i + 4000)])]);
              await client.query('COMMIT');
            }
          } finally {
            client.release();
          }
        }),
      );
    } finally {
      await pool.end();
    }
  });
  afterAll(async () => dbs?.drop());

  it('concurrent appends leave one linear chain over every entry committed', async () => {
    const admin = await connect(withDatabase(adminUrl(), database()));
    try {
      const report = await verify(admin);
      expect(report.broken).toBeNull();
      // 30 x 2 + 30 x 3 + 30 x 1 committed; the rolled-back ones are not in the trail.
      expect(report.entries).toBe(180);
      expect((await admin.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(180);
      // One link per committed transaction, however many appends it made.
      expect(report.head!.position).toBe('90');
      const head = (await admin.query(`SELECT position::text, encode(hash, 'hex') AS hash FROM audit_chain_head`)).rows[0];
      expect(report.head).toEqual(head);
      // The same, walked in batches of 7 links.
      expect(await verifyAuditChain(queryOf(admin), { auditRole: auditRoleName(database()), appRole: `${database()}_app`, batchSize: 7 })).toEqual(report);
    } finally {
      await admin.end();
    }
  });

  it('reports a row deleted by a superuser', async () => {
    const victim = (await ids())[50];
    const report = await tampered((admin) => admin.query('DELETE FROM audit_event WHERE id = $1', [victim]).then(() => undefined));
    expect(report.broken).toMatchObject({ rowId: victim, problem: expect.stringMatching(/deleted/) });
  });

  it('reports a row changed by a superuser, naming the row and not what it holds', async () => {
    const victim = (await ids())[10];
    const report = await tampered((admin) => admin.query(`UPDATE audit_event SET user_id = 'someone-else' WHERE id = $1`, [victim]).then(() => undefined));
    expect(report.broken).toMatchObject({ rowId: victim, problem: expect.stringMatching(/changed/) });
    expect(JSON.stringify(report)).not.toMatch(/someone-else|user-/);
  });

  it('reports a back-dated row', async () => {
    const victim = (await ids())[20];
    const report = await tampered((admin) => admin.query(`UPDATE audit_event SET occurred_at = occurred_at - interval '1 microsecond' WHERE id = $1`, [victim]).then(() => undefined));
    expect(report.broken).toMatchObject({ rowId: victim, problem: expect.stringMatching(/changed/) });
  });

  it('reports a row forged by a superuser outside append_audit_events', async () => {
    const report = await tampered(async (admin) => {
      await admin.query(`INSERT INTO audit_event (user_id, roles, org, action, entity_type, entity_id) VALUES ('forger', '{auditor}', 'LA', 'READ', 'Child', 'x')`);
    });
    expect(report.broken).toMatchObject({ problem: expect.stringMatching(/not in the chain/) });
    expect(report.broken!.rowId).toMatch(/^\d+$/);
  });

  it('reports entries reordered in the chain', async () => {
    const report = await tampered(async (admin) => {
      await admin.query('UPDATE audit_chain SET position = -1 WHERE position = 7');
      await admin.query('UPDATE audit_chain SET position = 7 WHERE position = 8');
      await admin.query('UPDATE audit_chain SET position = 8 WHERE position = -1');
    });
    expect(report.broken).toMatchObject({ position: '7', problem: expect.stringMatching(/does not follow/) });
  });

  it('reports a row removed with its hash, a link removed with its rows, and links cut from the end', async () => {
    const victim = (await ids())[40];
    const row = await tampered(async (admin) => {
      await admin.query('DELETE FROM audit_event WHERE id = $1', [victim]);
      await admin.query('DELETE FROM audit_chain_entry WHERE event_id = $1', [victim]);
    });
    expect(row.broken).toMatchObject({ problem: expect.stringMatching(/entries do not match its hash/) });
    const middle = await tampered(async (admin) => {
      await admin.query('DELETE FROM audit_event WHERE id IN (SELECT x.event_id FROM audit_chain_entry x JOIN audit_chain c USING (link_id) WHERE c.position = 30)');
      await admin.query('DELETE FROM audit_chain_entry WHERE link_id = (SELECT link_id FROM audit_chain WHERE position = 30)');
      await admin.query('DELETE FROM audit_chain WHERE position = 30');
    });
    expect(middle.broken).toMatchObject({ position: '30', problem: expect.stringMatching(/missing/) });
    const tail = await tampered(async (admin) => {
      await admin.query('DELETE FROM audit_event WHERE id IN (SELECT x.event_id FROM audit_chain_entry x JOIN audit_chain c USING (link_id) WHERE c.position > 85)');
      await admin.query('DELETE FROM audit_chain_entry WHERE link_id IN (SELECT link_id FROM audit_chain WHERE position > 85)');
      await admin.query('DELETE FROM audit_chain WHERE position > 85');
    });
    expect(tail.broken).toMatchObject({ problem: expect.stringMatching(/head names position 90 but the chain ends at 85/) });
  });

  it('cannot see a whole rewrite from the altered row on without a published head, and can with one (docs/security.md)', async () => {
    const admin = await connect(withDatabase(adminUrl(), database()));
    const published = (await verify(admin)).head!;
    await admin.end();
    const rewrite = async (c: pg.Client) => {
      const digest = `sha256(convert_to(json_build_array(e.id, pg_catalog.extract('epoch', e.occurred_at), e.user_id, e.roles, e.org, e.operation_name, e.request_id, e.action, e.entity_type, e.entity_id, e.fields)::text, 'UTF8'))`;
      const victim = (await c.query('SELECT min(x.event_id) AS id FROM audit_chain_entry x JOIN audit_chain l USING (link_id) WHERE l.position = 50')).rows[0].id;
      await c.query(`UPDATE audit_event SET user_id = 'someone-else' WHERE id = $1`, [victim]);
      // Recompute the entry's hash, then every link's from position 50 on, and the head, as a superuser could.
      await c.query(`UPDATE audit_chain_entry x SET digest = ${digest} FROM audit_event e WHERE e.id = x.event_id AND x.event_id = $1`, [victim]);
      await c.query(`
        DO $$
        DECLARE h bytea := (SELECT hash FROM audit_chain WHERE position = 49); r record;
        BEGIN
          FOR r IN SELECT l.position, (SELECT sha256(string_agg(x.digest, ''::bytea ORDER BY x.event_id)) FROM audit_chain_entry x WHERE x.link_id = l.link_id) AS content
                   FROM audit_chain l WHERE l.position >= 50 ORDER BY l.position LOOP
            UPDATE audit_chain SET prev_hash = h, hash = sha256(h || r.content) WHERE position = r.position;
            h := sha256(h || r.content);
          END LOOP;
          UPDATE audit_chain_head SET hash = h;
        END $$`);
    };
    expect((await tampered(rewrite)).broken).toBeNull();
    const anchored = await tampered(rewrite, published);
    expect(anchored.broken).toMatchObject({ position: published.position, problem: expect.stringMatching(/published hash/) });
  });

  it('reports a trail whose triggers were turned off, or that the owner login dropped', async () => {
    const off = await tampered((admin) => admin.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update').then(() => undefined));
    expect(off.broken).toMatchObject({ problem: 'trigger audit_event_no_update on audit_event is disabled' });

    // As owner of schema public, the owner login can still drop the tables whole.
    const owner = await connect(dbs.logins[name].ownerUrl);
    try {
      await owner.query('BEGIN');
      await owner.query('DROP TABLE audit_chain_head');
      const report = await verify(owner);
      expect(report.broken).toMatchObject({ problem: expect.stringMatching(/audit_chain_head is missing/) });
    } finally {
      await owner.query('ROLLBACK');
      await owner.end();
    }
  });

  it('a runtime login that skips the sealing of its own entries is reported', async () => {
    const app = await connect(dbs.logins[name].appUrl);
    try {
      await app.query('BEGIN');
      await app.query(`SELECT set_config('audit.seal_pending', 'on', true)`);
      await app.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(9999)])]);
      await app.query('SET CONSTRAINTS ALL IMMEDIATE'); // what would have sealed it at commit
      const report = await verify(app);
      expect(report.broken).toMatchObject({ problem: expect.stringMatching(/never sealed/) });
    } finally {
      await app.query('ROLLBACK');
      await app.end();
    }
  });

  it('chains the entries a database held before the chain existed, as the verifier computes them', async () => {
    const prefix = `t${Date.now().toString(36)}`;
    const logins = await provisionDatabases(adminUrl(), prefix, ['governance']);
    const login = logins.governance;
    try {
      const orm = await openDatabase({ url: login.ownerUrl, entities: governance.entities, migrations: governance.migrations, poolMax: 1 });
      try {
        const migrator = orm.getMigrator();
        await migrator.up({ to: 'Migration20261122000000_toolkit' });
        const conn = orm.em.fork().getConnection();
        // Awkward content on purpose: quotes, backslashes, non-ASCII, nulls, empty arrays.
        await conn.execute(`INSERT INTO audit_event (occurred_at, user_id, roles, org, operation_name, request_id, action, entity_type, entity_id, fields) VALUES
          ('2026-01-02 03:04:05.678901+00', 'a"b\\\\c', '{x,"y z"}', 'LA', NULL, NULL, 'READ', 'Child', 'Zoë', '{}'),
          ('2026-01-02 03:04:05+00', 'u', '{}', 'ICB', 'Op', 'r', 'WRITE', 'Referral', '1', '{a}')`);
        await migrator.up();
      } finally {
        await orm.close(true);
      }
      await grantRuntimePrivileges(login.ownerUrl, login.database, governance.appendOnlyTables);
      await sealAuditTrail(adminUrl(), login.database);
      const admin = await connect(withDatabase(adminUrl(), login.database));
      try {
        const report = await verifyAuditChain(queryOf(admin), { auditRole: auditRoleName(login.database), appRole: `${login.database}_app` });
        expect(report).toMatchObject({ entries: 2, broken: null });
        // And entries appended after the backfill extend the same chain.
        await admin.query(`SELECT append_audit_events('[{"user_id": "u", "roles": [], "org": "LA", "action": "READ", "entity_type": "Child", "entity_id": "3"}]')`);
        expect(await verifyAuditChain(queryOf(admin), { auditRole: auditRoleName(login.database), appRole: `${login.database}_app` })).toMatchObject({ entries: 3, broken: null });
      } finally {
        await admin.end();
      }
    } finally {
      await dropDatabases(adminUrl(), prefix, ['governance']);
    }
  });

  it('a sealed trail migrated to record ids keeps its old entries verifiable with the new ones, and a new entry changed in any way is reported', async () => {
    const prefix = `t${Date.now().toString(36)}r`;
    const logins = await provisionDatabases(adminUrl(), prefix, ['governance']);
    const login = logins.governance;
    const check = (client: pg.Client) => verifyAuditChain(queryOf(client), { auditRole: auditRoleName(login.database), appRole: `${login.database}_app` });
    try {
      const before = governance.migrations.findIndex((m) => m.name === 'Migration20261207000200_audit_read_records') - 1;
      const orm = await openDatabase({ url: login.ownerUrl, entities: governance.entities, migrations: governance.migrations, poolMax: 1 });
      try {
        await orm.getMigrator().up({ to: governance.migrations[before].name });
        await grantRuntimePrivileges(login.ownerUrl, login.database, governance.appendOnlyTables);
        await sealAuditTrail(adminUrl(), login.database);
        const app = await connect(login.appUrl);
        try {
          await app.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(1), entry(2)])]);
        } finally {
          await app.end();
        }
        // The owner login alone may not change a sealed trail; with the administrator's leave, for the migration, it may.
        await expect(orm.getMigrator().up()).rejects.toThrow(/must be owner/);
        await migrateWithSealedTrail(adminUrl(), login.database, () => orm.getMigrator().up());
      } finally {
        await orm.close(true);
      }
      await grantRuntimePrivileges(login.ownerUrl, login.database, governance.appendOnlyTables);
      await sealAuditTrail(adminUrl(), login.database);
      const owner = await connect(login.ownerUrl);
      try {
        expect((await owner.query(`SELECT pg_has_role(current_user, $1, 'USAGE') AS member`, [auditRoleName(login.database)])).rows[0].member).toBe(false);
      } finally {
        await owner.end();
      }
      const app = await connect(login.appUrl);
      try {
        await app.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(3, { entity_id: null, record_ids: ['child-3', 'child-4', 'child-5'] }), entry(6, { record_ids: ['child-6'] })])]);
        await expect(app.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(7, { entity_id: null })])])).rejects.toThrow(/audit_event_names_a_record/);
      } finally {
        await app.end();
      }
      const admin = await connect(withDatabase(adminUrl(), login.database));
      try {
        expect(await check(admin)).toMatchObject({ entries: 4, broken: null });
        const rows = (await admin.query('SELECT id::text, entity_id, record_ids FROM audit_event ORDER BY id')).rows;
        expect(rows.map((r) => r.record_ids)).toEqual([null, null, ['child-3', 'child-4', 'child-5'], ['child-6']]);
        const [, oldOne, grouped] = rows.map((r) => r.id as string);
        const tamper = async (sql: string, id: string) => {
          await admin.query('BEGIN');
          try {
            await admin.query('SET LOCAL session_replication_role = replica');
            await admin.query(sql, [id]);
            await admin.query('SET LOCAL session_replication_role = origin');
            return await check(admin);
          } finally {
            await admin.query('ROLLBACK');
          }
        };
        // A record taken out of a read, added to it, or the read made to look like an old one; an old entry given record ids.
        for (const sql of [
          `UPDATE audit_event SET record_ids = ARRAY['child-3', 'child-5'] WHERE id = $1`,
          `UPDATE audit_event SET record_ids = record_ids || ARRAY['child-9'] WHERE id = $1`,
          `UPDATE audit_event SET record_ids = NULL, entity_id = 'child-3' WHERE id = $1`,
        ]) {
          expect((await tamper(sql, grouped)).broken).toMatchObject({ rowId: grouped, problem: expect.stringMatching(/changed/) });
        }
        expect((await tamper(`UPDATE audit_event SET record_ids = ARRAY[entity_id] WHERE id = $1`, oldOne)).broken).toMatchObject({ rowId: oldOne, problem: expect.stringMatching(/changed/) });
        expect((await tamper(`DELETE FROM audit_event WHERE id = $1`, grouped)).broken).toMatchObject({ rowId: grouped, problem: expect.stringMatching(/deleted/) });
      } finally {
        await admin.end();
      }
    } finally {
      await dropDatabases(adminUrl(), prefix, ['governance']);
    }
  });

  it('a database migrated by its owner alone (a deployment) keeps the runtime login to append_audit_events, is reported unsealed, and audit:seal seals it', async () => {
    const prefix = `t${Date.now().toString(36)}m`;
    const logins = await provisionDatabases(adminUrl(), prefix, ['governance']);
    const login = logins.governance;
    try {
      await migrateSubgraph(governance, login.ownerUrl);
      const app = await connect(login.appUrl);
      try {
        await expect(app.query(`INSERT INTO audit_event (user_id, roles, org, action, entity_type, entity_id) VALUES ('u', '{}', 'LA', 'READ', 'X', '1')`)).rejects.toThrow(/permission denied/);
        await expect(app.query(`INSERT INTO audit_chain_entry VALUES (1, 1, '\\x00')`)).rejects.toThrow(/permission denied/);
        await app.query('SELECT append_audit_events($1::json)', [JSON.stringify([entry(1)])]);
      } finally {
        await app.end();
      }
      const admin = await connect(withDatabase(adminUrl(), login.database));
      const check = () => verifyAuditChain(queryOf(admin), { auditRole: auditRoleName(login.database), appRole: `${login.database}_app` });
      try {
        expect((await check()).broken).toMatchObject({ problem: expect.stringMatching(/owned by .*_owner, not .*_audit/) });
        const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
        try {
          expect(await runAuditSeal(['governance'], { DATABASE_URL: adminUrl(), DB_PREFIX: prefix })).toBe(0);
        } finally {
          log.mockRestore();
        }
        expect(await check()).toMatchObject({ entries: 1, broken: null });
        // Migrating again after sealing changes nothing the seal set.
        await migrateSubgraph(governance, login.ownerUrl);
        expect(await check()).toMatchObject({ entries: 1, broken: null });
      } finally {
        await admin.end();
      }
    } finally {
      await dropDatabases(adminUrl(), prefix, ['governance']);
    }
  });

  it('npm run audit:verify checks every database, prints the head or the first broken link, and exits 1 on a break', async () => {
    const script = join(ROOT, 'dist', 'infra', 'audit-verify.js');
    if (!existsSync(script)) throw new Error('dist/ is missing: `npm test` builds before running jest.');
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
    const run = (args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(process.execPath, [script, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: adminUrl(), DB_PREFIX: dbs.prefix, DATA_DIR: dataDir } }, (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        );
      });
    try {
      const clean = await run([]);
      expect(clean.code).toBe(0);
      for (const s of ['casework', 'health', 'governance']) expect(clean.out).toMatch(new RegExp(`${s} \\(${dbs.prefix}_${s}\\): intact`));
      const head = /casework=(\d+):([0-9a-f]{64})/.exec(clean.out)!;
      expect(head[1]).toBe('90');
      expect((await run(['casework', '--anchor', `casework=${head[1]}:${head[2]}`])).code).toBe(0);

      // A committed edit, this time.
      const victim = (await ids())[3];
      const admin = await connect(withDatabase(adminUrl(), database()));
      try {
        await admin.query('BEGIN');
        await admin.query('SET LOCAL session_replication_role = replica');
        await admin.query(`UPDATE audit_event SET entity_id = 'changed-entity' WHERE id = $1`, [victim]);
        await admin.query('COMMIT');
      } finally {
        await admin.end();
      }
      const broken = await run(['casework']);
      expect(broken.code).toBe(1);
      expect(broken.out).toContain(`BROKEN at row ${victim}, chain position`);
      expect(broken.out).not.toMatch(/changed-entity|child-|user-/);
      expect((await run(['nowhere'])).code).toBe(2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
