import type { EntityManager } from '@mikro-orm/postgresql';
import { health } from '../../subgraphs/health';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { startSubgraph, type RunningSubgraph, type SeedOptions } from '../../subgraphs/toolkit/subgraph';
import type { RoleName } from '../../subgraphs/toolkit/access';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, type TestDatabases } from '../support/databases';
import { postGraphQL, type GraphQLResponse } from '../support/stack';

export { postGraphQL };

export interface HealthHarness {
  databases: TestDatabases;
  /** The owner's connection, for arranging data. */
  orm: Orm;
  em(): EntityManager;
  subgraph: RunningSubgraph;
  issuer: TestIssuer;
  statements: string[];
  queryAs<T = Record<string, unknown>>(role: RoleName | RoleName[], query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  serviceId(code: string): Promise<string>;
  stop(): Promise<void>;
}

/** The health subgraph alone over a fresh database, queried directly as the gateway would. */
export async function startHealth(seed: SeedOptions | null = null): Promise<HealthHarness> {
  const databases = await createTestDatabases([health], seed);
  const issuer = await createTestIssuer();
  const statements: string[] = [];
  const orm = await openDatabase({ url: databases.logins.health.ownerUrl, entities: health.entities, migrations: health.migrations, poolMax: 2 });
  const subgraph = await startSubgraph(health, { port: 0, host: '127.0.0.1', databaseUrl: databases.logins.health.appUrl, auth: issuer.config, onQuery: (sql) => statements.push(sql) });
  const em = () => orm.em.fork() as EntityManager;
  return {
    databases,
    orm,
    em,
    subgraph,
    issuer,
    statements,
    queryAs: async (role, query, variables) => postGraphQL(subgraph.url, query, variables, await issuer.as(role)),
    serviceId: async (code) => (await em().getConnection().execute('SELECT id FROM health_service WHERE code = ?', [code]))[0].id,
    async stop() {
      await subgraph.stop();
      await orm.close(true);
      await databases.drop();
    },
  };
}

/** Inserts rows into a table by column name (hand-built test data). */
export async function insertRows(em: EntityManager, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  if (!rows.length) return;
  await em.getKnex().table(table).insert(rows);
}
