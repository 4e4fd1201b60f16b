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

/** The role that owns a database's audit trail once sealAuditTrail has run: no login, no member but the administrator. */
export function auditRoleName(database: string): string {
  return `${database}_audit`;
}

/** The audit trail's tables, sequence and functions (toolkit migrations). */
const AUDIT_TABLES = ['audit_event', 'audit_chain_entry', 'audit_chain', 'audit_chain_head'];
const AUDIT_SEQUENCE = 'audit_chain_link_seq';
const AUDIT_FUNCTIONS = ['append_audit_events(json)', 'audit_chain_seal()', 'audit_chain_seal_pending()', 'audit_event_append_only()', 'audit_trail_append_only()'];

/**
 * Runs as the owner after migrations: the runtime login may read and write data
 * but not change the schema, and append-only tables accept inserts only. Only
 * what this login owns is granted here. The audit trail the runtime login may
 * read, and append to through append_audit_events only; once an administrator
 * has sealed it (sealAuditTrail) it belongs to its own role, which set that.
 */
export async function grantRuntimePrivileges(ownerUrl: string, database: string, appendOnlyTables: readonly string[]): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    const app = c.escapeIdentifier(`${database}_app`);
    const qualified = (name: string) => `public.${c.escapeIdentifier(name)}`;
    const owned = async (kinds: string[]) =>
      (
        await c.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind = ANY ($1) AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
           ORDER BY 1`,
          [kinds],
        )
      ).rows.map((r) => r.name);
    await c.query('BEGIN');
    await c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await c.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
    // Tables, views, materialized views, foreign and partitioned tables, as ON ALL TABLES would.
    const ownedTables = await owned(['r', 'v', 'm', 'f', 'p']);
    const tables = ownedTables.filter((t) => !AUDIT_TABLES.includes(t));
    if (tables.length) await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ${tables.map(qualified).join(', ')} TO ${app}`);
    const sequences = (await owned(['S'])).filter((s) => s !== AUDIT_SEQUENCE);
    if (sequences.length) await c.query(`GRANT USAGE, SELECT ON SEQUENCE ${sequences.map(qualified).join(', ')} TO ${app}`);
    await c.query(`REVOKE ALL ON TABLE mikro_orm_migrations FROM ${app}`);
    for (const table of appendOnlyTables) {
      if (tables.includes(table)) await c.query(`REVOKE UPDATE, DELETE, TRUNCATE ON TABLE ${qualified(table)} FROM ${app}`);
    }
    // The audit trail, while this login still owns it (not sealed yet).
    const audit = ownedTables.filter((t) => AUDIT_TABLES.includes(t));
    if (audit.length) {
      await c.query(`REVOKE ALL ON TABLE ${audit.map(qualified).join(', ')} FROM PUBLIC, ${app}`);
      await c.query(`GRANT SELECT ON TABLE ${audit.map(qualified).join(', ')} TO ${app}`);
    }
    const { rows: [fn] } = await c.query<{ mine: boolean | null }>(
      `SELECT (SELECT proowner FROM pg_proc WHERE oid = to_regprocedure('public.append_audit_events(json)')) = (SELECT oid FROM pg_roles WHERE rolname = current_user) AS mine`,
    );
    if (fn.mine) {
      await c.query(`REVOKE ALL ON FUNCTION public.append_audit_events(json), public.audit_chain_seal(), public.audit_chain_seal_pending() FROM PUBLIC, ${app}`);
      await c.query(`GRANT EXECUTE ON FUNCTION public.append_audit_events(json) TO ${app}`);
      await c.query(`REVOKE ALL ON SEQUENCE ${qualified(AUDIT_SEQUENCE)} FROM PUBLIC, ${app}`);
    }
    await c.query('COMMIT');
  });
}

/**
 * Runs as the administrator after migrations: hands the audit trail to its own
 * role (`<db>_audit`, no login), so that the owner login, which runs migrations
 * and owns everything else, can no longer turn its triggers off, change or delete
 * an entry, or grant itself the right to; then sets its privileges: both logins
 * may read it, only the runtime login may append, and only through
 * append_audit_events. (As owner of schema public the owner login can still drop
 * the tables whole; the verifier reports a trail that is missing or owned by
 * anyone else. See docs/security.md.) npm start runs it on every start; a
 * deployment runs it with `npm run audit:seal` after migrating. Safe to repeat.
 */
export async function sealAuditTrail(adminUrl: string, database: string): Promise<void> {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  await withClient(url.toString(), async (c) => {
    const audit = c.escapeIdentifier(auditRoleName(database));
    const owner = c.escapeIdentifier(`${database}_owner`);
    const app = c.escapeIdentifier(`${database}_app`);
    const tables = AUDIT_TABLES.map((t) => `public.${c.escapeIdentifier(t)}`).join(', ');
    await c.query('BEGIN');
    // No login: no one acts as it but the administrators who are its members.
    const { rowCount } = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [auditRoleName(database)]);
    if (!rowCount) await c.query(`CREATE ROLE ${audit} WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    // An administrator that is not a superuser may give an object only to a role
    // it can act as, and that role must be allowed to create in the schema.
    await c.query(`GRANT ${audit} TO CURRENT_USER`);
    await c.query(`GRANT CREATE ON SCHEMA public TO ${audit}`);
    for (const table of AUDIT_TABLES) await c.query(`ALTER TABLE public.${c.escapeIdentifier(table)} OWNER TO ${audit}`);
    await c.query(`ALTER SEQUENCE public.${AUDIT_SEQUENCE} OWNER TO ${audit}`);
    await c.query(`REVOKE ALL ON SEQUENCE public.${AUDIT_SEQUENCE} FROM PUBLIC, ${owner}, ${app}`);
    for (const fn of AUDIT_FUNCTIONS) await c.query(`ALTER FUNCTION public.${fn} OWNER TO ${audit}`);
    await c.query(`REVOKE ALL ON TABLE ${tables} FROM PUBLIC, ${owner}, ${app}`);
    await c.query(`GRANT SELECT ON TABLE ${tables} TO ${owner}, ${app}`);
    await c.query(`REVOKE ALL ON FUNCTION public.append_audit_events(json) FROM PUBLIC, ${owner}`);
    await c.query(`GRANT EXECUTE ON FUNCTION public.append_audit_events(json) TO ${app}`);
    await c.query(`REVOKE ALL ON FUNCTION public.audit_chain_seal(), public.audit_chain_seal_pending() FROM PUBLIC, ${owner}, ${app}`);
    await c.query('COMMIT');
  });
}

/**
 * Runs `migrate` (the owner login's migrations) with the owner login allowed to
 * act as `<db>_audit` while it runs, when the trail has been sealed: a migration
 * that changes the trail's own tables or functions (e.g. the audit-read-records
 * one) must be their owner. The administrator takes the membership back as soon
 * as the migrations end, whether or not they succeeded; sealAuditTrail then runs
 * as always. On a trail not yet sealed it only runs `migrate`.
 */
export async function migrateWithSealedTrail<T>(adminUrl: string, database: string, migrate: () => Promise<T>): Promise<T> {
  const audit = auditRoleName(database);
  const owner = `${database}_owner`;
  const sealed = await withClient(adminUrl, async (c) => (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [audit])).rowCount !== 0);
  if (!sealed) return migrate();
  await withClient(adminUrl, (c) => c.query(`GRANT ${c.escapeIdentifier(audit)} TO ${c.escapeIdentifier(owner)}`));
  try {
    return await migrate();
  } finally {
    await withClient(adminUrl, (c) => c.query(`REVOKE ${c.escapeIdentifier(audit)} FROM ${c.escapeIdentifier(owner)}`));
  }
}

/** Drops databases and logins made by provisionDatabases (tests clean up with it). */
export async function dropDatabases(adminUrl: string, prefix: string, subgraphs: readonly string[]): Promise<void> {
  await withClient(adminUrl, async (admin) => {
    for (const subgraph of subgraphs) {
      const database = databaseName(prefix, subgraph);
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)} WITH (FORCE)`);
      for (const role of [`${database}_owner`, `${database}_app`, auditRoleName(database)]) {
        await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`);
      }
    }
  });
}
