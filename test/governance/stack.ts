import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../../gateway/gateway';
import { expectedSchemaFiles } from '../../infra/schemas';
import { SUBGRAPHS } from '../../infra/subgraphs';
import type { SeedOptions } from '../../subgraphs/toolkit/subgraph';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer } from '../support/auth';
import { createTestDatabases } from '../support/databases';
import { postGraphQL, type TestStack } from '../support/stack';

/**
 * startTestStack, but serving a supergraph composed from the code under test
 * rather than the checked-in file (which the lead regenerates), so these tests
 * exercise the federation design as written.
 */
export async function startComposedStack(options: { seed?: SeedOptions | null } = {}): Promise<TestStack> {
  const { files } = await expectedSchemaFiles();
  const supergraphPath = join(mkdtempSync(join(tmpdir(), 'gov-supergraph-')), 'supergraph.graphql');
  writeFileSync(supergraphPath, files['supergraph.graphql']);
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
    });
  }
  const gateway = await startGateway({
    supergraphPath,
    subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
    port: 0,
    host: '127.0.0.1',
    auth: issuer.config,
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
