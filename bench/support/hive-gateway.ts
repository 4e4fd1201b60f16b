/**
 * Hive Gateway serving a supergraph file, for the gateway benchmark to compare
 * ours with (bench/gateway.ts starts it as its own process, so its CPU can be
 * read apart). The caller's Authorization header goes to every subgraph, as
 * ours forwards it. With --rust, the query planner is Hive's Rust one
 * (@graphql-hive/router-runtime).
 *
 *   node dist/bench/support/hive-gateway.js --port 4155 --supergraph bench-results/supergraph.bench.graphql [--rust]
 */
import { createServer, type RequestListener } from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { port: { type: 'string' }, supergraph: { type: 'string' }, rust: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  // Loaded untyped: graphql-yoga's types, which Hive's bring in, widen graphql's
  // error extensions for the whole program and break our own (platform/limits.ts).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createGatewayRuntime } = require('@graphql-hive/gateway-runtime') as { createGatewayRuntime(config: Record<string, unknown>): RequestListener };
  const rust = args.rust ? (require('@graphql-hive/router-runtime') as { unifiedGraphHandler: unknown }) : undefined;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const gateway = createGatewayRuntime({
    supergraph: args.supergraph!,
    ...(rust ? { unifiedGraphHandler: rust.unifiedGraphHandler } : {}),
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }: { request: Request }) => ({ authorization: request.headers.get('authorization') ?? '' }),
    },
    logging: 'error',
    landingPage: false,
    graphqlEndpoint: '/graphql',
  });
  const server = createServer(gateway);
  server.keepAliveTimeout = 5_000;
  server.listen(Number(args.port), '127.0.0.1', () => console.log(`hive gateway listening on ${args.port}${rust ? ' (Rust planner)' : ''}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
