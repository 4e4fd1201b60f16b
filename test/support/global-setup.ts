import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../subgraphs/toolkit/database/embedded-postgres';
import { freePort } from './ports';

declare global {
  // eslint-disable-next-line no-var
  var __TEST_POSTGRES__: RunningPostgres | undefined;
}

/**
 * One real PostgreSQL server for the whole run: the embedded one, or the server at
 * DATABASE_URL when that is set. Each test file makes its own databases on it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  // A directory per run, so two test runs on one machine never share a server.
  const dir = join(__dirname, '..', '..', '.test-data', `pg-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const postgres = await startEmbeddedPostgres({ dir, port: await freePort(), password: 'test-only-password' });
  globalThis.__TEST_POSTGRES__ = postgres;
  process.env.TEST_PG_DIR = dir;
  process.env.TEST_ADMIN_URL = postgres.adminUrl;
}
