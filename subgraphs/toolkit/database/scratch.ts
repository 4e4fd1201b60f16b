import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedOptions, SubgraphDefinition } from '../subgraph';
import { freePort } from '../ports';
import { startEmbeddedPostgres } from './embedded-postgres';
import { prepareDatabases } from './prepare';
import type { SubgraphDatabaseLogins } from './provision';

export interface ScratchDatabases {
  logins: Record<string, SubgraphDatabaseLogins>;
  /** A temporary directory for the caller's own files, removed by stop(). */
  dir: string;
  /** The PostgreSQL server's pid while it runs (what a benchmark reads its CPU time from), else null. */
  serverPid(): number | null;
  stop(): Promise<void>;
}

/**
 * A throwaway embedded PostgreSQL in a temporary directory with these subgraphs'
 * databases provisioned, migrated and (if asked) seeded: what a benchmark measures on.
 * Given `keepIn`, the server lives in that directory instead and stays after stop():
 * a later run migrates it and finds it seeded, so a large scale is seeded only once.
 */
export async function scratchDatabases(name: string, subgraphs: readonly SubgraphDefinition[], seed: SeedOptions | null, log: (line: string) => void = () => undefined, keepIn?: string): Promise<ScratchDatabases> {
  const dir = keepIn ?? mkdtempSync(join(tmpdir(), `${name}-`));
  mkdirSync(dir, { recursive: true });
  // PostgreSQL refuses to run as root, so it runs as its own user, who must reach the directory.
  chmodSync(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort(), password: 'scratch-only' });
  const stop = async () => {
    await postgres.stop();
    if (!keepIn) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const logins = await prepareDatabases({ adminUrl: postgres.adminUrl, prefix: 'scratch', subgraphs, seed, log });
    return { logins, dir, serverPid: () => postgres.pid(), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
