import pg from 'pg';
import { migrate, openDatabase } from '.';
import type { SubgraphDefinition } from '../subgraph';
import { grantRuntimePrivileges } from './provision';

/**
 * The advisory lock every migrator of a database takes. Two keys, so it can never
 * be one of the one-key locks the subgraphs take at run time (casework's measure
 * figures); advisory locks are per database, so each database has its own.
 */
export const MIGRATION_LOCK_KEYS = "hashtext('send-partnership-gateway'), hashtext('migrate')";

export interface MigrationRun {
  database: string;
  /** Migrations this run applied, in order; empty when the database was up to date. */
  applied: string[];
  /** True when another migrator held the lock and this one waited for it. */
  waited: boolean;
}

/**
 * Applies a subgraph's pending migrations as its owner login, then grants the
 * runtime login (`<db>_app`) its data privileges. Migrators of one database take
 * turns on an advisory lock: a second one waits, then finds nothing left to do.
 * It never creates or changes a login; provisioning is a separate, one-off step.
 */
export async function migrateSubgraph(definition: SubgraphDefinition, ownerUrl: string, log: (line: string) => void = () => undefined): Promise<MigrationRun> {
  const database = decodeURIComponent(new URL(ownerUrl).pathname.slice(1));
  // Refuse another subgraph's database before touching it.
  if (!database.endsWith(`_${definition.name}`)) {
    throw new Error(`DATABASE_URL names the database "${database}", which is not a ${definition.name} database (<prefix>_${definition.name}).`);
  }
  const owner = `${database}_owner`;
  const app = `${database}_app`;
  const lock = new pg.Client({ connectionString: ownerUrl, application_name: `migrate ${definition.name}` });
  await lock.connect();
  try {
    const { rows: [who] } = await lock.query<{ login: string; app_exists: boolean }>(
      'SELECT current_user AS login, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS app_exists',
      [app],
    );
    // Tables belong to whoever creates them: only the owner login may, or later migrations could not alter them.
    if (who.login !== owner) throw new Error(`Migrations run as the owner login "${owner}"; DATABASE_URL logs in as "${who.login}".`);
    if (!who.app_exists) throw new Error(`The runtime login "${app}" does not exist: provision the database first (README, "Deploying").`);

    let waited = false;
    const { rows: [first] } = await lock.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEYS}) AS locked`);
    if (!first.locked) {
      waited = true;
      log(`${definition.name}: another migration of ${database} is running; waiting for it to finish.`);
      await lock.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEYS})`);
    }
    try {
      const orm = await openDatabase({ url: ownerUrl, entities: definition.entities, migrations: definition.migrations, poolMax: 2 });
      let applied: string[];
      try {
        applied = await migrate(orm);
      } finally {
        await orm.close(true);
      }
      await grantRuntimePrivileges(ownerUrl, database, definition.appendOnlyTables);
      log(applied.length
        ? `${definition.name}: applied ${applied.length} migration(s) to ${database}: ${applied.join(', ')}`
        : `${definition.name}: ${database} is up to date; nothing to apply.`);
      return { database, applied, waited };
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEYS})`);
    }
  } finally {
    await lock.end();
  }
}

/**
 * `npm run migrate -- <subgraph>` and the image's `migrate <subgraph>` role:
 * DATABASE_URL is the subgraph owner login's URL. Returns the exit code: 0 done
 * (or nothing to do), 1 failed (nothing half-applied: migrations run all or none
 * in one transaction), 2 not configured.
 */
export async function runMigrateCommand(definition: SubgraphDefinition, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const url = env.DATABASE_URL;
  if (!url) {
    console.error(`DATABASE_URL is not set: give the owner login's URL of the ${definition.name} database, postgres://<prefix>_${definition.name}_owner:<password>@<host>:5432/<prefix>_${definition.name}.`);
    return 2;
  }
  try {
    await migrateSubgraph(definition, url, (line) => console.log(line));
    return 0;
  } catch (err) {
    console.error(`${definition.name}: migration failed: ${(err as Error).message}`);
    return 1;
  }
}
