import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** What a subgraph needs to reach its own database: the owner (migrations) and the runtime login. */
export interface SubgraphDatabaseLogins {
  database: string;
  ownerUrl: string;
  appUrl: string;
  /** True when this call created the database (its first run). */
  created: boolean;
}

export function databaseName(prefix: string, subgraph: string): string {
  return `${prefix}_${subgraph}`;
}

function urlFor(adminUrl: string, user: string, password: string, database: string): string {
  const u = new URL(adminUrl);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates (or re-keys) one database per subgraph with two logins each: `<db>_owner`,
 * which owns the schema and runs migrations, and `<db>_app`, the runtime login that
 * gets data privileges only. Each database refuses connections from every role but
 * its own two, so one data controller's login cannot read another's database.
 * Passwords are fresh on every call, so nothing but the running stack knows them.
 */
export async function provisionDatabases(adminUrl: string, prefix: string, subgraphs: readonly string[]): Promise<Record<string, SubgraphDatabaseLogins>> {
  return withClient(adminUrl, async (admin) => {
    const result: Record<string, SubgraphDatabaseLogins> = {};
    for (const subgraph of subgraphs) {
      const database = databaseName(prefix, subgraph);
      const owner = `${database}_owner`;
      const app = `${database}_app`;
      const ownerPassword = randomBytes(18).toString('base64url');
      const appPassword = randomBytes(18).toString('base64url');
      for (const [role, password] of [[owner, ownerPassword], [app, appPassword]] as const) {
        const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
        const verb = exists.rowCount ? 'ALTER' : 'CREATE';
        await admin.query(`${verb} ROLE ${admin.escapeIdentifier(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${admin.escapeLiteral(password)}`);
      }
      const dbExists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!dbExists.rowCount) {
        // A role may only hand ownership to a role it belongs to (when not superuser).
        await admin.query(`GRANT ${admin.escapeIdentifier(owner)} TO CURRENT_USER`);
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)} OWNER ${admin.escapeIdentifier(owner)} ENCODING 'UTF8' TEMPLATE template0`);
      }
      await admin.query(`REVOKE ALL ON DATABASE ${admin.escapeIdentifier(database)} FROM PUBLIC`);
      await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${admin.escapeIdentifier(database)} TO ${admin.escapeIdentifier(app)}`);
      result[subgraph] = {
        database,
        ownerUrl: urlFor(adminUrl, owner, ownerPassword, database),
        appUrl: urlFor(adminUrl, app, appPassword, database),
        created: !dbExists.rowCount,
      };
    }
    return result;
  });
}

/**
 * Runs as the owner after migrations: the runtime login may read and write data
 * but not change the schema, and append-only tables (the audit trail) accept
 * inserts only.
 */
export async function grantRuntimePrivileges(ownerUrl: string, database: string, appendOnlyTables: readonly string[]): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    const app = c.escapeIdentifier(`${database}_app`);
    await c.query('BEGIN');
    await c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await c.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
    await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
    await c.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    await c.query(`REVOKE ALL ON TABLE mikro_orm_migrations FROM ${app}`);
    for (const table of appendOnlyTables) {
      await c.query(`REVOKE UPDATE, DELETE, TRUNCATE ON TABLE ${c.escapeIdentifier(table)} FROM ${app}`);
    }
    await c.query('COMMIT');
  });
}

/** Drops databases and logins made by provisionDatabases (tests clean up with it). */
export async function dropDatabases(adminUrl: string, prefix: string, subgraphs: readonly string[]): Promise<void> {
  await withClient(adminUrl, async (admin) => {
    for (const subgraph of subgraphs) {
      const database = databaseName(prefix, subgraph);
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)} WITH (FORCE)`);
      for (const role of [`${database}_owner`, `${database}_app`]) {
        await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`);
      }
    }
  });
}
