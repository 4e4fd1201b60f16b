import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedOptions, SubgraphDefinition } from '../subgraph';
import { startEmbeddedPostgres } from './embedded-postgres';
import { prepareDatabases } from './prepare';
import type { SubgraphDatabaseLogins } from './provision';

/**
 * A port nothing listens on right now, for a server about to start. Picked below the
 * range the OS gives outgoing connections their local ports from: a port the OS picks
 * for listening on port 0 comes from that range, and any client socket could take it
 * in the seconds before the server it was picked for listens (a start command given
 * one for its web app found it in use once the subgraphs had started and seeded).
 */
export async function freePort(): Promise<number> {
  const from = 20_000;
  const to = Math.min(clientPortsFrom(), 32_768);
  for (let tries = 0; to - from >= 1_000 && tries < 50; tries++) {
    const port = from + Math.floor(Math.random() * (to - from));
    if ((await listenOnce(port)) === port) return port;
  }
  const picked = await listenOnce(0);
  if (!picked) throw new Error('no port free to listen on');
  return picked;
}

/** The lowest local port the OS gives outgoing connections (Linux's default where it cannot be read). */
export function clientPortsFrom(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 0) return low;
  } catch {
    // Not Linux.
  }
  return 32_768;
}

/** Listens on the port (0: one the OS picks) and closes at once: the port it got, or null if it was taken. */
function listenOnce(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(null) : reject(err)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const got = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(got));
    });
  });
}

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
