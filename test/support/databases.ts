import { randomBytes } from 'node:crypto';
import { dropDatabases, type SubgraphDatabaseLogins } from '../../subgraphs/toolkit/database/provision';
import { prepareDatabases } from '../../subgraphs/toolkit/database/prepare';
import type { SeedOptions, SubgraphDefinition } from '../../subgraphs/toolkit/subgraph';

export function adminUrl(): string {
  const url = process.env.TEST_ADMIN_URL;
  if (!url) throw new Error('TEST_ADMIN_URL is not set: run tests through jest, whose global setup starts PostgreSQL.');
  return url;
}

export interface TestDatabases {
  prefix: string;
  logins: Record<string, SubgraphDatabaseLogins>;
  drop(): Promise<void>;
}

/** Fresh, migrated databases for these subgraphs under a prefix of their own, so test files never share data. */
export async function createTestDatabases(subgraphs: readonly SubgraphDefinition[], seed: SeedOptions | null = null): Promise<TestDatabases> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const logins = await prepareDatabases({ adminUrl: adminUrl(), prefix, subgraphs, seed, log: () => undefined });
  return {
    prefix,
    logins,
    drop: () => dropDatabases(adminUrl(), prefix, subgraphs.map((s) => s.name)),
  };
}

export const TEST_LINK_KEY_SECRET = 'test-partnership-secret';
