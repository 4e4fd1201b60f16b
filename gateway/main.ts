// Tracing first, before anything it instruments is loaded.
import { startTracing } from '../platform/tracing';
startTracing('gateway');

import { join } from 'node:path';
import { authConfigFromEnv } from '../platform/auth';
import { announceReady } from '../platform/lifecycle';
import { createLogger, setProcessLogger } from '../platform/logger';
import { startProcessMetrics } from '../platform/metrics';
import { startGateway } from './gateway';

const logger = setProcessLogger(createLogger('gateway'));

/** Runs the gateway as its own process; subgraph URLs come from CASEWORK_URL, HEALTH_URL and GOVERNANCE_URL. */
async function main(): Promise<void> {
  startProcessMetrics();
  const defaults: Record<string, number> = { casework: 4001, health: 4002, governance: 4003 };
  const subgraphUrls: Record<string, string> = {};
  for (const [name, port] of Object.entries(defaults)) {
    subgraphUrls[name] = process.env[`${name.toUpperCase()}_URL`] || `http://localhost:${port}/graphql`;
  }
  const running = await startGateway({
    supergraphPath: process.env.SUPERGRAPH_PATH || join(__dirname, '..', '..', 'schema', 'supergraph.graphql'),
    subgraphUrls,
    port: Number(process.env.PORT ?? 4000),
    host: process.env.HOST || '127.0.0.1',
    production: process.env.NODE_ENV === 'production',
    auth: authConfigFromEnv(),
    partnerSupergraphPath: process.env.PARTNER_SUPERGRAPH_PATH || undefined,
    // Built by `npm run build` (postbuild) beside the compiled code.
    explorerDir: join(__dirname, '..', 'explorer'),
  });
  announceReady('gateway', 'gateway', running);
}

main().catch((err: unknown) => {
  logger.fatal({ err }, `gateway failed to start: ${(err as Error).message}`);
  process.exit(1);
});
