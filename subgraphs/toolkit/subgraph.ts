import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Constructor, EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { NonEmptyArray } from 'type-graphql';
import { auditEventsResolver } from './audit-events';
import { auditReadsPlugin } from './audit-reads';
import { createAuthenticator, type AuthConfig } from '../../platform/auth';
import { Loaders, type SubgraphContext } from './context';
import { openDatabase, type MigrationEntry, type Orm } from './database';
import { maskUnexpectedErrors } from '../../platform/errors';
import { buildFederatedSchema, type ReferenceResolvers } from './federation';
import { close, createGraphQLHttpServer, listen, requestIdFrom } from '../../platform/http';
import { observationPlugin } from '../../platform/observe';
import { exportPoolUse } from './database/pool-metrics';
import { limitMessagesPlugin, limitOptions, requestChecksPlugin, requestLimitsFromEnv, subgraphLimits, type RequestLimits } from '../../platform/limits';

export interface SeedOptions {
  /** Partnership secret for link keys (casework and health only). */
  linkKeySecret: string;
  /** 1 = the calibrated Nottinghamshire-sized population. */
  scale: number;
  /** The date the synthetic history runs up to. */
  today: string;
  log: (line: string) => void;
  /** Tests only: the area is one block up to this scale and blocks of it beyond (by default one block up to 20, blocks of 15 beyond; casework-history), so several blocks seed quickly. */
  blockScale?: number;
}

/** What each subgraph folder exports: the same shape for all three. */
export interface SubgraphDefinition {
  name: 'casework' | 'health' | 'governance';
  entities: Array<Constructor<unknown> | EntitySchema>;
  migrations: MigrationEntry[];
  // eslint-disable-next-line @typescript-eslint/ban-types
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/ban-types
  orphanedTypes?: Function[];
  referenceResolvers?: ReferenceResolvers;
  /** GraphQL types whose every read is a person-level access, recorded in the audit trail. */
  personLevelTypes: string[];
  /** Tables the runtime login may insert into but never change (the audit trail). */
  appendOnlyTables: string[];
  /** Loads deterministic synthetic data into an empty database. */
  seed?: (em: EntityManager, options: SeedOptions) => Promise<void>;
  /** True when the database holds no data of this subgraph yet. */
  isEmpty: (em: EntityManager) => Promise<boolean>;
}

export async function subgraphSchema(definition: SubgraphDefinition): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    // Every subgraph serves its own audit trail to the auditor (<name>AuditEvents).
    resolvers: [...definition.resolvers, auditEventsResolver(definition.name)],
    orphanedTypes: definition.orphanedTypes,
    referenceResolvers: definition.referenceResolvers,
  });
}

export interface SubgraphRuntimeOptions {
  port: number;
  /** The runtime login's URL for this subgraph's own database. */
  databaseUrl: string;
  host?: string;
  production?: boolean;
  /** How bearer tokens are verified; every request must carry a valid one. */
  auth: AuthConfig;
  /** Request limits as the gateway applies them (GRAPHQL_MAX_*); a subgraph allows the looser subgraphLimits of them. */
  limits?: RequestLimits;
  onQuery?: (sql: string) => void;
  /** The partnership's secret for link keys, for a subgraph that records NHS numbers (HOLDS_LINK_KEY_SECRET). */
  linkKeySecret?: string;
}

export interface RunningSubgraph {
  name: string;
  port: number;
  url: string;
  orm: Orm;
  server: Server;
  stop(): Promise<void>;
}

export async function startSubgraph(definition: SubgraphDefinition, options: SubgraphRuntimeOptions): Promise<RunningSubgraph> {
  const orm = await openDatabase({ url: options.databaseUrl, entities: definition.entities, migrations: definition.migrations, onQuery: options.onQuery });
  const authenticate = createAuthenticator(options.auth);
  const schema = await subgraphSchema(definition);
  const limits = subgraphLimits(options.limits ?? requestLimitsFromEnv());
  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    introspection: !options.production,
    includeStacktraceInErrorResponses: !options.production,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // The process wrapper owns signal handling and stops things in order.
    stopOnTerminationSignals: false,
    ...limitOptions(limits, { flattenFragments: true }),
    formatError: maskUnexpectedErrors(!!options.production),
    plugins: [
      // Per-field timings are not for callers to see.
      ApolloServerPluginInlineTraceDisabled(),
      // No field carries a cache hint, so every answer was uncacheable (the gateway counts no max-age as 0) and the plugin's per-field hook was pure cost.
      ApolloServerPluginCacheControlDisabled(),
      observationPlugin(),
      auditReadsPlugin(definition.personLevelTypes),
      limitMessagesPlugin(),
      requestChecksPlugin(limits),
    ],
  });
  await apollo.start();
  const stopPoolMetrics = exportPoolUse(definition.name, orm);
  const server = createGraphQLHttpServer<SubgraphContext>({
    apollo,
    service: definition.name,
    ready: async () => orm.isConnected(),
    context: async (req) => ({
      em: orm.em.fork() as EntityManager,
      caller: await authenticate(req),
      loaders: new Loaders(),
      requestId: requestIdFrom(req) ?? randomUUID(),
      linkKeySecret: options.linkKeySecret,
    }),
  });
  const port = await listen(server, options.port, options.host);
  return {
    name: definition.name,
    port,
    url: `http://localhost:${port}/graphql`,
    orm,
    server,
    async stop() {
      await close(server);
      stopPoolMetrics();
      await apollo.stop();
      await orm.close(true);
    },
  };
}
