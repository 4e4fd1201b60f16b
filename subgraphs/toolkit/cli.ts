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

/** An error whose message was written for the person at the terminal: safe to print as it is. */
export class CliError extends Error {
  override name = 'CliError';
}

/** Names of the SQLSTATE conditions a command is likely to meet, to say what failed without PostgreSQL's message. */
const SQLSTATES: Record<string, string> = {
  '08000': 'connection exception', '08001': 'cannot connect', '08003': 'no connection', '08006': 'connection failure', '08P01': 'protocol violation',
  '22001': 'a value too long for its column', '22003': 'a number out of range', '22007': 'an invalid date or time', '22008': 'a date or time out of range',
  '22021': 'a character not allowed in text (such as NUL)', '22P02': 'an invalid value for its type', '22P05': 'a character that cannot be stored',
  '23502': 'a required value missing', '23503': 'a reference to a record that does not exist', '23505': 'a duplicate of a unique value', '23514': 'a check constraint broken',
  '25P02': 'a transaction already aborted', '28000': 'login refused', '28P01': 'wrong password', '3D000': 'no such database', '40001': 'a serialization failure',
  '40P01': 'a deadlock', '42501': 'a privilege missing', '42P01': 'no such table', '53300': 'too many connections', '57014': 'a statement cancelled', '57P01': 'the server shutting down',
};

/**
 * What to print for an error a command did not expect: never the error's own
 * message when it may come from PostgreSQL or the ORM (those quote the SQL and the
 * values that broke it: children's names, birth dates, UPNs). A CliError's message
 * is printed; a database error is named by its SQLSTATE; a network error by its code.
 */
export function failureMessage(err: unknown): string {
  if (err instanceof CliError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return `the database refused the work (SQLSTATE ${code}${SQLSTATES[code] ? `: ${SQLSTATES[code]}` : ''}); PostgreSQL's own message is not shown, as it can quote the file's values`;
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `cannot reach the database (${code})`;
  const kind = err instanceof Error && /^[A-Za-z]+$/.test(err.name) ? ` (${err.name})` : '';
  return `an unexpected error${kind}; its message is not shown, as it can quote the file's values`;
}

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
      try {
        postgres = await startEmbeddedPostgres({ dir: join(config.dataDir, 'pg'), port: config.embeddedPgPort, password: config.postgresPassword });
        adminUrl = postgres.adminUrl;
        await prepareDatabases({ adminUrl, prefix: config.databasePrefix, subgraphs: [definition], seed: null, log });
      } catch (err) {
        await postgres?.stop();
        throw new CliError(`Cannot start the embedded PostgreSQL in ${config.dataDir}: ${failureMessage(err)}.`);
      }
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
    throw new CliError(`Cannot open the ${definition.name} database "${database}": ${failureMessage(err)}. Has the stack been started once (npm start)?`);
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
