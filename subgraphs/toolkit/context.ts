import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Caller } from '../../platform/auth';


/**
 * Request-scoped DataLoaders, created on first use. Keyed by name so that every
 * resolver asking for the same kind of thing in one request shares one batch:
 * N entity references cost one SQL query, not N.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>, cacheKey?: (key: K) => string): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = cacheKey ? new DataLoader<K, V, string>(batch, { cacheKeyFn: cacheKey }) : new DataLoader<K, V>(batch);
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

export interface SubgraphContext {
  /** A fork of the entity manager for this request only. */
  em: EntityManager;
  caller: Caller | null;
  loaders: Loaders;
  operationName?: string;
  requestId: string;
  /** The partnership's secret for link keys, where this subgraph holds it (casework and health). */
  linkKeySecret?: string;
}

/** Groups rows by a key, in the order of the keys asked for (the DataLoader contract). */
export function groupByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/** Picks one row per key, null where none, in the order of the keys asked for. */
export function indexByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): Array<R | null> {
  const index = new Map<K, R>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((k) => index.get(k) ?? null);
}
