import { contributeToGauge } from '../../../platform/metrics';
import type { Orm } from './index';

/** The parts of knex's connection pool (tarn) read for metrics. */
interface TarnPool {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

function poolOf(orm: Orm): TarnPool | undefined {
  const knex = orm.em.getConnection().getKnex() as unknown as { client?: { pool?: TarnPool } };
  return knex.client?.pool;
}

/**
 * A subgraph's database pool as a gauge read at each scrape: connections in use,
 * idle, being opened, the requests waiting for one, and the most it may open.
 * Returns what stops it being read (the subgraph stopping).
 */
export function exportPoolUse(service: string, orm: Orm): () => void {
  return contributeToGauge('send_db_pool_connections', 'A subgraph\'s database connections by state: used, free, pending (being opened), waiting (requests queued for one), max.', ['service', 'state'], service, () => {
    const pool = poolOf(orm);
    if (!pool) return [];
    const states: Record<string, number> = { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingCreates(), waiting: pool.numPendingAcquires(), max: pool.max };
    return Object.entries(states).map(([state, value]) => ({ labels: { service, state }, value }));
  });
}
