import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createAuthenticator, type AuthConfig } from '../platform/auth';
import { maskUnexpectedErrors } from '../platform/errors';
import { close, createGraphQLHttpServer, listen, requestIdFrom } from '../platform/http';
import { limitMessagesPlugin, limitOptions, requestLimitsFromEnv, type RequestLimits } from '../platform/limits';

export interface GatewayContext extends BaseContext {
  /** The caller's Authorization header, forwarded so each subgraph verifies it again. */
  authorization?: string;
  requestId: string;
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
}

export interface RunningGateway {
  port: number;
  url: string;
  server: Server;
  stop(): Promise<void>;
}

class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }
}

/** Subgraph ready URL from its GraphQL URL. */
function readyUrl(graphqlUrl: string): string {
  return new URL('/health/ready', graphqlUrl).toString();
}

/**
 * The gateway serves the supergraph composed ahead of time and checked in
 * (schema/supergraph.graphql): what it serves is what was reviewed, and a subgraph
 * being down at start does not change the schema.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const authenticate = createAuthenticator(options.auth);
  const supergraphSdl = readFileSync(options.supergraphPath, 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new ForwardingDataSource({ url: options.subgraphUrls[name] ?? url }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !options.production,
    includeStacktraceInErrorResponses: !options.production,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // The process wrapper owns signal handling and stops things in order.
    stopOnTerminationSignals: false,
    // Apollo parses and validates before the gateway plans, so these hold in gateway mode.
    ...limitOptions(options.limits ?? requestLimitsFromEnv()),
    formatError: maskUnexpectedErrors(!!options.production),
    plugins: [limitMessagesPlugin()],
  });
  await apollo.start();
  const server = createGraphQLHttpServer<GatewayContext>({
    apollo,
    ready: async () => {
      const results = await Promise.all(
        Object.values(options.subgraphUrls).map((u) =>
          fetch(readyUrl(u), { signal: AbortSignal.timeout(2000) })
            .then((r) => r.ok)
            .catch(() => false),
        ),
      );
      return results.every(Boolean);
    },
    context: async (req) => {
      await authenticate(req);
      return { authorization: req.headers.authorization, requestId: requestIdFrom(req) ?? randomUUID() };
    },
  });
  const port = await listen(server, options.port, options.host);
  return {
    port,
    url: `http://localhost:${port}/graphql`,
    server,
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}
