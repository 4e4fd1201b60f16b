// First: @apollo/gateway must find the plain copy of @apollo/federation-internals when it loads.
import './federation-internals';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import type { Pool } from 'undici';
import { createAuthenticator, type AuthConfig, type Caller } from '../platform/auth';
import { maskUnexpectedErrors } from '../platform/errors';
import { createCors, corsOriginsFromEnv } from './cors';
import { close, createGraphQLHttpServer, listen, requestIdFrom } from '../platform/http';
import { observationPlugin } from '../platform/observe';
import { limitMessagesPlugin, limitOptions, requestChecksPlugin, requestLimitsFromEnv, type RequestLimits } from '../platform/limits';
import { applyScalarRules } from '../platform/scalars';
import { SubgraphMonitor, type SubgraphState } from './monitor';
import { exportSubgraphHealth } from './telemetry';
import { explorerFiles } from './explorer';
import { callerErrors } from './partial';
import { loadTrustedDocuments, persistedQueryCache, trustedDocumentSettingsFromEnv, trustedDocumentsPlugin, type TrustedDocumentSettings } from './trusted-documents';
import { ForwardingDataSource, subgraphCallSettingsFromEnv, subgraphPool, type SubgraphCallSettings } from './subgraphs';
import { shareOperationsAcrossRequests } from './shared-operations';
import { Passthrough, type PassthroughCounts } from './passthrough';

export interface GatewayContext extends BaseContext {
  /** The caller's Authorization header, forwarded so each subgraph verifies it again. */
  authorization?: string;
  requestId: string;
  /** Who is asking, from the verified token. */
  caller?: Caller;
}

export interface GatewayOptions {
  supergraphPath: string;
  /** Where each subgraph listens, by name; overrides the URLs in the supergraph file. */
  subgraphUrls: Record<string, string>;
  port: number;
  host?: string;
  production?: boolean;
  /** How bearer tokens are verified: before any planning, so an unauthenticated request costs nothing. */
  auth: AuthConfig;
  /** Depth, alias, token, cost and directive limits; from GRAPHQL_MAX_* when not given. */
  limits?: RequestLimits;
  /** Deadlines, connections and checks of subgraph calls; from SUBGRAPH_* and <NAME>_TIMEOUT_MS when not given. */
  subgraphCalls?: Partial<SubgraphCallSettings>;
  /**
   * The partner contract's supergraph, served at /partner/graphql; by default
   * partner-supergraph.graphql beside the supergraph, when it is there.
   */
  partnerSupergraphPath?: string;
  /** The roles held to registered operations and where those are; from TRUSTED_DOCUMENTS_* when not given. */
  trustedDocuments?: TrustedDocumentSettings;
  /** The explorer's built files (dist/explorer), served at /explorer when introspection is allowed. */
  explorerDir?: string;
  /** Browser origins whose cross-origin calls are allowed; from CORS_ORIGINS when not given. */
  corsOrigins?: readonly string[];
  /**
   * Operations one subgraph answers whole sent as its fetch, its answer returned
   * as it is (passthrough.ts); on unless false (tests compare the two paths).
   */
  passthrough?: boolean;
}

export interface RunningGateway {
  port: number;
  url: string;
  server: Server;
  /** Each subgraph's state, as /health/subgraphs reports it. */
  subgraphStates(): SubgraphState[];
  /** Calls made to each subgraph since start: sent, answered by another request's call (shared), retried after a reset. */
  subgraphCalls(): Record<string, { sent: number; shared: number; retried: number }>;
  /** Requests of /graphql answered through the passthrough, and those it handed to the normal path. */
  passthroughCounts(): PassthroughCounts;
  stop(): Promise<void>;
}

/** Subgraph ready URL from its GraphQL URL. */
function readyUrl(graphqlUrl: string): string {
  return new URL('/health/ready', graphqlUrl).toString();
}

/** Puts each response's errors in the caller's terms (see callerErrors). */
function callerErrorsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const result = response.body.singleResult;
          (result as { errors?: unknown }).errors = callerErrors(result.data, result.errors!);
        },
      };
    },
  };
}

/**
 * The gateway serves the supergraph composed ahead of time and checked in
 * (schema/supergraph.graphql): what it serves is what was reviewed, and a subgraph
 * being down at start does not change the schema. It is ready once the supergraph
 * is loaded, whichever subgraphs are up: a subgraph that is down costs only the
 * fields it provides, and /health/subgraphs says which.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  // @apollo/gateway otherwise reports this host's name, OS and cloud details to
  // Apollo every hour, and probes cloud metadata addresses at start: the
  // partnership's gateway sends nothing out but its calls to the subgraphs.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  shareOperationsAcrossRequests();
  const authenticate = createAuthenticator(options.auth);
  const supergraphSdl = readFileSync(options.supergraphPath, 'utf8');
  const names = Object.keys(options.subgraphUrls);
  const calls: SubgraphCallSettings = { ...subgraphCallSettingsFromEnv(names), ...options.subgraphCalls } as SubgraphCallSettings;
  const monitor = new SubgraphMonitor(
    Object.fromEntries(names.map((n) => [n, readyUrl(options.subgraphUrls[n])])),
    { intervalMs: calls.checkIntervalMs, probeTimeoutMs: Math.min(2_000, ...Object.values(calls.timeoutsMs)) },
  );
  const pools: Pool[] = [];
  const sources: Array<ForwardingDataSource<GatewayContext>> = [];
  const limits = options.limits ?? requestLimitsFromEnv();
  const trusted = options.trustedDocuments ?? trustedDocumentSettingsFromEnv(join(dirname(options.supergraphPath), 'trusted-documents.json'), !!options.production);
  const documents = loadTrustedDocuments(trusted.path);
  /** An Apollo server planning over the subgraphs with one supergraph: the whole API, or a contract of it. */
  const serve = (sdl: string, passthrough?: Passthrough, served = new Map<string, ForwardingDataSource<GatewayContext>>()): ApolloServer<GatewayContext> => {
    const gateway = new ApolloGateway({
      supergraphSdl: sdl,
      buildService: ({ name, url }) => {
        const target = options.subgraphUrls[name] ?? url!;
        const pool = subgraphPool(target, calls.maxConnections);
        pools.push(pool);
        const source = new ForwardingDataSource<GatewayContext>(name, target, calls.timeoutsMs[name] ?? Math.max(...Object.values(calls.timeoutsMs)), pool, monitor);
        sources.push(source);
        served.set(name, source);
        return source;
      },
      experimental_didResolveQueryPlan: passthrough?.noteQueryPlan,
    });
    passthrough?.install(gateway);
    // The supergraph's custom scalars are opaque; give them their input rules, so a
    // malformed Date is the caller's mistake here (400) rather than a subgraph's refusal.
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => applyScalarRules(apiSchema));
    return new ApolloServer<GatewayContext>({
      gateway,
      introspection: !options.production,
      includeStacktraceInErrorResponses: !options.production,
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
      // The process wrapper owns signal handling and stops things in order.
      stopOnTerminationSignals: false,
      // Apollo parses and validates before the gateway plans, so these hold in gateway mode.
      ...limitOptions(limits),
      persistedQueries: { cache: persistedQueryCache(documents) },
      formatError: maskUnexpectedErrors(!!options.production),
      plugins: [observationPlugin(), limitMessagesPlugin(), requestChecksPlugin(limits), trustedDocumentsPlugin<GatewayContext>(documents, trusted.roles), callerErrorsPlugin()],
    });
  };
  // The whole API only: the partner contract hides parts of it, and takes the normal path.
  const wholeSources = new Map<string, ForwardingDataSource<GatewayContext>>();
  const passthrough = options.passthrough === false ? undefined : new Passthrough(wholeSources);
  const apollo = serve(supergraphSdl, passthrough, wholeSources);
  const partnerPath = options.partnerSupergraphPath ?? join(dirname(options.supergraphPath), 'partner-supergraph.graphql');
  const partner = existsSync(partnerPath) ? serve(readFileSync(partnerPath, 'utf8')) : undefined;
  if (partner) await partner.start();
  await apollo.start();
  monitor.start();
  exportSubgraphHealth(monitor);
  const server = createGraphQLHttpServer<GatewayContext>({
    apollo,
    service: 'gateway',
    cors: createCors(options.corsOrigins ?? corsOriginsFromEnv()),
    // Started means the supergraph is loaded; draining is answered by the HTTP layer.
    ready: async () => true,
    routes: {
      '/health/subgraphs': async () => ({ status: 200, body: { subgraphs: monitor.report() } }),
    },
    endpoints: partner ? { '/partner/graphql': partner } : {},
    // The explorer is a client of introspection: where that is off, so is it.
    files: !options.production && options.explorerDir ? explorerFiles(options.explorerDir) : {},
    context: async (req) => {
      const caller = await authenticate(req);
      return { authorization: req.headers.authorization, requestId: requestIdFrom(req) ?? randomUUID(), caller };
    },
  });
  const port = await listen(server, options.port, options.host);
  return {
    port,
    url: `http://localhost:${port}/graphql`,
    server,
    subgraphStates: () => monitor.report(),
    subgraphCalls() {
      const out: Record<string, { sent: number; shared: number; retried: number }> = {};
      for (const s of sources) {
        const total = (out[s.serviceName] ??= { sent: 0, shared: 0, retried: 0 });
        total.sent += s.client.counts.sent;
        total.shared += s.client.counts.shared;
        total.retried += s.client.counts.retried;
      }
      return out;
    },
    passthroughCounts: () => ({ ...(passthrough?.counts ?? { answered: 0, handedBack: 0 }) }),
    async stop() {
      await close(server);
      monitor.stop();
      await apollo.stop();
      await partner?.stop();
      await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
    },
  };
}
