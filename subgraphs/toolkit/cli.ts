import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandOption } from '../../platform/command-line';
import { loadConfig, type StackConfig } from '../../platform/config';
import { prepareDatabases } from './database/prepare';
import { databaseName } from './database/provision';
import { startEmbeddedPostgres, type RunningPostgres } from './database/embedded-postgres';
import { openDatabase, type Orm } from './database';
import type { SubgraphDefinition } from './subgraph';

/** The options every import command takes, worded once. */
export const IMPORT_OPTIONS = {
  'skip-invalid': { type: 'boolean', description: 'import the valid records and report the others (without it, any problem and nothing is imported)' },
  user: { type: 'string', value: '<name>', description: 'who the audit trail records the import as (your login name when left out)' },
} as const satisfies Record<string, CommandOption>;

export interface CliDatabase {
  orm: Orm;
  config: StackConfig;
  close(): Promise<void>;
}

/**
 * The port of the embedded server running on this data directory, or null when it
 * is not running. Read from PostgreSQL's own pid file (line 4 is the port), so a
 * tool finds the stack whatever EMBEDDED_PG_PORT it was started with.
 */
export function runningEmbeddedPort(dataDir: string): number | null {
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(lines[0]), 0);
  } catch {
    return null;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : null;
}

/**
 * A command-line tool's connection to one subgraph's database, acting with that
 * subgraph's runtime privileges and no more. It finds the database the way the
 * start command does: DATABASE_URL (an administrator's login to the server), or
 * the embedded server in DATA_DIR, running or not. When the embedded server is not
 * running, the tool starts it for the duration of its work (and migrates it).
 */
export async function openCliDatabase(definition: SubgraphDefinition, log: (line: string) => void = (l) => console.error(l)): Promise<CliDatabase> {
  const config = loadConfig();
  let postgres: RunningPostgres | null = null;
  let adminUrl = config.databaseUrl;
  if (!adminUrl) {
    const runningPort = runningEmbeddedPort(config.dataDir);
    if (runningPort) {
      adminUrl = `postgres://postgres:${encodeURIComponent(config.postgresPassword)}@localhost:${runningPort}/postgres`;
    } else {
      log(`Starting the embedded PostgreSQL in ${config.dataDir} for this command.`);
      postgres = await startEmbeddedPostgres({ dir: join(config.dataDir, 'pg'), port: config.embeddedPgPort, password: config.postgresPassword });
      adminUrl = postgres.adminUrl;
      await prepareDatabases({ adminUrl, prefix: config.databasePrefix, subgraphs: [definition], seed: null, log });
    }
  }
  const database = databaseName(config.databasePrefix, definition.name);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  let orm: Orm;
  try {
    orm = await openDatabase({ url: url.toString(), entities: definition.entities, migrations: definition.migrations, actAs: `${database}_app`, poolMax: 4 });
  } catch (err) {
    await postgres?.stop();
    throw new Error(`Cannot open the ${definition.name} database "${database}": ${(err as Error).message}. Has the stack been started once (npm start)?`);
  }
  return {
    orm,
    config,
    async close() {
      await orm.close(true);
      await postgres?.stop();
    },
  };
}
