import { join } from 'node:path';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/gateway';
import { SUBGRAPHS } from '../../infra/subgraphs';
import { startSubgraph, type RunningSubgraph, type SeedOptions } from '../../subgraphs/toolkit/subgraph';
import type { RoleName } from '../../subgraphs/toolkit/access';
import type { RequestLimits } from '../../platform/limits';
import { createTestIssuer, type TestIssuer } from './auth';
import { createTestDatabases, type TestDatabases } from './databases';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
}

/** Posts a GraphQL operation and returns the parsed body with the HTTP status. */
export async function postGraphQL<T = Record<string, unknown>>(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: res.status, ...body };
}

export interface TestStack {
  databases: TestDatabases;
  subgraphs: Record<string, RunningSubgraph>;
  gateway: RunningGateway;
  /** SQL statements each subgraph has sent since the last reset, for batching tests. */
  statements: Record<string, string[]>;
  issuer: TestIssuer;
  /** Posts to the gateway as a role (a token for it is signed by the test issuer). */
  queryAs<T = Record<string, unknown>>(role: RoleName | RoleName[], query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Posts to the gateway with exactly these headers (no token unless given). */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * The three subgraphs and the gateway in this process, each on a free port, over
 * fresh databases: what the start command runs, minus the process boundaries.
 */
export async function startTestStack(options: { seed?: SeedOptions | null; limits?: RequestLimits; production?: boolean; gateway?: Partial<GatewayOptions> } = {}): Promise<TestStack> {
  const issuer = await createTestIssuer();
  const databases = await createTestDatabases(SUBGRAPHS, options.seed ?? null);
  const statements: Record<string, string[]> = {};
  const subgraphs: Record<string, RunningSubgraph> = {};
  for (const definition of SUBGRAPHS) {
    statements[definition.name] = [];
    subgraphs[definition.name] = await startSubgraph(definition, {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: databases.logins[definition.name].appUrl,
      onQuery: (sql) => statements[definition.name].push(sql),
      auth: issuer.config,
      limits: options.limits,
      production: options.production,
    });
  }
  const gateway = await startGateway({
    supergraphPath: join(__dirname, '..', '..', 'schema', 'supergraph.graphql'),
    subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
    port: 0,
    host: '127.0.0.1',
    auth: issuer.config,
    limits: options.limits,
    production: options.production,
    ...options.gateway,
  });
  return {
    issuer,
    queryAs: async (role, query, variables) => postGraphQL(gateway.url, query, variables, await issuer.as(role)),
    databases,
    subgraphs,
    gateway,
    statements,
    query: (query, variables, headers) => postGraphQL(gateway.url, query, variables, headers),
    async stop() {
      await gateway.stop();
      for (const s of Object.values(subgraphs)) await s.stop();
      await databases.drop();
    },
  };
}
