import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { health } from '../../subgraphs/health';
import { MIGRATION_LOCK_KEYS, migrateSubgraph } from '../../subgraphs/toolkit/database/migrate-cli';
import { dropDatabases } from '../../subgraphs/toolkit/database/provision';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { adminUrl, TEST_LINK_KEY_SECRET } from '../support/databases';
import { runRole, startRole, waitForOutput, type RoleRun, type RunningRole } from '../support/roles';

const ROOT = join(__dirname, '..', '..');

/**
 * Migrations as a step of their own, as docker-compose's migrate services and the
 * Kubernetes Job run them: a database provisioned by infra/postgres/create-logins.sh
 * (what the organisation's PostgreSQL container runs on first start), migrated by
 * the image's `migrate` role as the owner login, served by two casework replicas
 * started as the image starts them, with the runtime login.
 */
describe('migrations as their own step, two casework replicas on one database', () => {
  const prefix = `m${randomBytes(3).toString('hex')}`;
  const database = `${prefix}_casework`;
  const ownerPassword = randomBytes(12).toString('hex');
  const appPassword = randomBytes(12).toString('hex');
  const admin = new URL(adminUrl());
  const urlFor = (login: string, password: string) => `postgres://${login}:${password}@${admin.hostname}:${admin.port}/${database}`;
  const ownerUrl = urlFor(`${database}_owner`, ownerPassword);
  const appUrl = urlFor(`${database}_app`, appPassword);
  const replicas: RunningRole[] = [];
  let issuer: TestIssuer;

  /** A connection to the test database as the server's administrator. */
  const asAdmin = async <T>(fn: (c: pg.Client) => Promise<T>, db = database): Promise<T> => {
    const url = new URL(adminUrl());
    url.pathname = `/${db}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };

  /** Holds the migrators' advisory lock, as a long migration would, until released. */
  const holdMigrationLock = async () => {
    const url = new URL(adminUrl());
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEYS})`);
    return { release: () => client.end() };
  };

  const migrateTwiceAtOnce = async () => {
    const lock = await holdMigrationLock();
    let outputs = ['', ''];
    const runs = [0, 1].map((i) => runRole(['migrate', 'casework'], { DATABASE_URL: ownerUrl }, { onOutput: (text) => (outputs[i] = text) }));
    try {
      // Both are in: each found the lock taken and waits.
      for (const i of [0, 1]) await waitForOutput(() => outputs[i], 'waiting for it to finish');
    } finally {
      await lock.release();
    }
    return Promise.all(runs);
  };

  const applied = (run: RoleRun) => /applied (\d+) migration/.exec(run.stdout)?.[1];

  beforeAll(async () => {
    issuer = await createTestIssuer();
    execFileSync('sh', [join(ROOT, 'infra', 'postgres', 'create-logins.sh')], {
      env: {
        PATH: process.env.PATH,
        PGHOST: admin.hostname,
        PGPORT: admin.port,
        PGUSER: decodeURIComponent(admin.username),
        PGPASSWORD: decodeURIComponent(admin.password),
        SEND_DATABASE: database,
        SEND_OWNER_PASSWORD: ownerPassword,
        SEND_APP_PASSWORD: appPassword,
      },
      stdio: 'pipe',
    });
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await dropDatabases(adminUrl(), prefix, ['casework']);
  });

  it('provisioning makes a database only its two logins may enter, and running it again changes no password', async () => {
    const passwords = () => asAdmin((c) => c.query<{ rolname: string; rolpassword: string }>('SELECT rolname, rolpassword FROM pg_authid WHERE rolname LIKE $1 ORDER BY rolname', [`${database}_%`]));
    const before = (await passwords()).rows;
    expect(before.map((r) => r.rolname)).toEqual([`${database}_app`, `${database}_owner`]);
    execFileSync('sh', [join(ROOT, 'infra', 'postgres', 'create-logins.sh')], {
      env: { PATH: process.env.PATH, PGHOST: admin.hostname, PGPORT: admin.port, PGUSER: decodeURIComponent(admin.username), PGPASSWORD: decodeURIComponent(admin.password), SEND_DATABASE: database, SEND_OWNER_PASSWORD: 'other', SEND_APP_PASSWORD: 'other' },
      stdio: 'pipe',
    });
    expect((await passwords()).rows).toEqual(before);
    const privileges = await asAdmin((c) =>
      c.query<{ public_connect: boolean; app_connect: boolean; owner: string }>(
        "SELECT has_database_privilege('public', datname, 'CONNECT') AS public_connect, has_database_privilege($2, datname, 'CONNECT') AS app_connect, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
        [database, `${database}_app`],
      ),
    );
    expect(privileges.rows).toEqual([{ public_connect: false, app_connect: true, owner: `${database}_owner` }]);
  });

  it('refuses to migrate as any login but the owner, or a database of another subgraph', async () => {
    await expect(migrateSubgraph(casework, appUrl)).rejects.toThrow(`Migrations run as the owner login "${database}_owner"; DATABASE_URL logs in as "${database}_app".`);
    await expect(migrateSubgraph(health, ownerUrl)).rejects.toThrow(`DATABASE_URL names the database "${database}", which is not a health database (<prefix>_health).`);
    const noUrl = await runRole(['migrate', 'casework'], {});
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('DATABASE_URL is not set');
    // Nothing was created by the refused runs.
    expect((await asAdmin((c) => c.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"))).rows[0].n).toBe(0);
  });

  it('two migrators at once: one applies every migration, the other waits for it and then finds nothing to do', async () => {
    const runs = await migrateTwiceAtOnce();
    for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(runs.map(applied).sort()).toEqual([String(casework.migrations.length), undefined]);
    expect(runs.filter((r) => r.stdout.includes('is up to date; nothing to apply'))).toHaveLength(1);
    const recorded = await asAdmin((c) => c.query<{ name: string }>('SELECT name FROM mikro_orm_migrations ORDER BY id'));
    expect(recorded.rows.map((r) => r.name)).toEqual(casework.migrations.map((m) => m.name));
    // The tables belong to the owner; the runtime login may use them but not change them.
    const owners = await asAdmin((c) => c.query<{ tableowner: string }>("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"));
    expect(owners.rows).toEqual([{ tableowner: `${database}_owner` }]);
    const app = new pg.Client({ connectionString: appUrl });
    await app.connect();
    try {
      await expect(app.query('ALTER TABLE child ADD COLUMN x int')).rejects.toThrow(/must be owner/);
      await expect(app.query('DELETE FROM audit_event')).rejects.toThrow(/permission denied/);
      expect((await app.query('SELECT count(*)::int AS n FROM child')).rows[0].n).toBe(0);
    } finally {
      await app.end();
    }
  });

  it('two replicas serve side by side; a migration run while both are up leaves them serving and their logins untouched', async () => {
    const snapshot = () =>
      asAdmin(async (c) => ({
        logins: (await c.query('SELECT rolname, rolpassword FROM pg_authid WHERE rolname LIKE $1 ORDER BY rolname', [`${database}_%`])).rows,
        columns: (await c.query("SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)) AS digest FROM information_schema.columns WHERE table_schema = 'public'")).rows[0].digest,
        migrations: (await c.query('SELECT count(*)::int AS n FROM mikro_orm_migrations')).rows[0].n,
      }));
    const before = await snapshot();

    const env = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: appUrl,
      LINK_KEY_SECRET: TEST_LINK_KEY_SECRET,
      OIDC_ISSUER: issuer.config.issuer,
      OIDC_AUDIENCE: issuer.config.audience,
      OIDC_JWKS: JSON.stringify(issuer.config.jwks),
    };
    replicas.push(...(await Promise.all([startRole('casework', env), startRole('casework', env)])));
    expect(replicas[0].port).not.toBe(replicas[1].port);

    const headers = { 'content-type': 'application/json', ...(await issuer.as('la_caseworker')) };
    const ask = async (replica: RunningRole) => {
      const res = await fetch(`http://127.0.0.1:${replica.port}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: '{ children(first: 1) { totalCount } }' }) });
      const body = (await res.json()) as { data?: { children: { totalCount: number } }; errors?: unknown[] };
      return { status: res.status, totalCount: body.data?.children.totalCount, errors: body.errors };
    };
    for (const replica of replicas) expect(await ask(replica)).toEqual({ status: 200, totalCount: 0, errors: undefined });

    // Steady requests to both replicas for as long as the migration run lasts.
    const answers: Array<Awaited<ReturnType<typeof ask>> | { failed: string }> = [];
    let load = true;
    const loop = (async () => {
      for (let i = 0; load; i++) {
        answers.push(await ask(replicas[i % 2]).catch((err: Error) => ({ failed: err.message })));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    let runs: RoleRun[];
    try {
      runs = await migrateTwiceAtOnce();
    } finally {
      load = false;
      await loop;
    }
    for (const run of runs) expect({ code: run.code, up_to_date: run.stdout.includes('is up to date; nothing to apply'), stderr: run.stderr }).toEqual({ code: 0, up_to_date: true, stderr: '' });
    expect(answers.length).toBeGreaterThan(4);
    expect(answers.filter((a) => !('status' in a) || a.status !== 200 || a.errors)).toEqual([]);

    // Both still serve, on connections their runtime login opens anew.
    for (const replica of replicas) expect(await ask(replica)).toEqual({ status: 200, totalCount: 0, errors: undefined });
    const fresh = new pg.Client({ connectionString: appUrl });
    await fresh.connect();
    await fresh.end();
    expect(await snapshot()).toEqual(before);

    for (const replica of replicas.splice(0)) expect(await replica.stop()).toBe(0);
  });
});
