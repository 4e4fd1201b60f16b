import 'reflect-metadata';
import { authConfigFromEnv } from '../../platform/auth';
import { announceReady } from '../../platform/lifecycle';
import { log } from '../../platform/logger';
import { startProcessMetrics } from '../../platform/metrics';
import type { SubgraphDefinition } from './subgraph';
import { startSubgraph } from './subgraph';

/** Reads a required variable or exits with a message naming it. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    log().fatal(`${name} is not set.`);
    process.exit(2);
  }
  return value;
}

/**
 * Runs one subgraph as its own process, as the start command and docker-compose
 * do: it holds only its own database login. Stops cleanly on SIGINT/SIGTERM, and
 * when the parent that started it goes away (so a killed start command leaves no
 * orphan behind).
 */
export async function runSubgraphProcess(definition: SubgraphDefinition): Promise<void> {
  startProcessMetrics();
  const running = await startSubgraph(definition, {
    port: Number(process.env.PORT ?? 0),
    host: process.env.HOST || '127.0.0.1',
    databaseUrl: requireEnv('DATABASE_URL'),
    production: process.env.NODE_ENV === 'production',
    auth: authConfigFromEnv(),
    linkKeySecret: process.env.LINK_KEY_SECRET || undefined,
  });
  announceReady(`${definition.name} subgraph`, definition.name, running);
}
