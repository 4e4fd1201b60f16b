import { createHash } from 'node:crypto';
import type { SubgraphContext } from '../../toolkit/context';
import { publishedOnly } from '../rules/published';
import type { FigureRoot } from './support';

/**
 * What the dashboard reads and works out from governance's own data (the visible
 * KPIs, the plan judged by the status rule, the cards rated against their
 * trajectories, the overdue escalations, ...), kept in the subgraph process and
 * never stale: each answer is filed under the governance data version it was read
 * at (Migration20261208000100_governance_data_version) and given out only to a
 * request that finds that same version. Every transaction that writes a
 * governance table adds one to the version as it commits, so:
 * - a request first takes the current version (one statement, once per request);
 * - it then reads the rows, so what it files under version v holds at least every
 *   write that v stands for; a request that starts after a write commits takes a
 *   newer version and misses;
 * - an answer is filed under the caller's visibility (partner apps see published
 *   items only, everyone else everything: rules/published.ts), so no caller is
 *   given what was worked out for a wider view; the roles' field checks still run
 *   on every request;
 * - parts that depend on the figures casework and health brought are filed under
 *   those figures too (with the date judged at, as statuses depend on the day).
 *
 * The answer is shared while it is being worked out, so concurrent dashboards of
 * one version read governance once. Callers must not change what they are given.
 * Bounded: the least recently used answer goes first. One store per database
 * connection (ORM), so two databases in one process (tests) never share answers.
 */

/**
 * Answers held per database: a dashboard files eight per date and view, so this
 * holds about sixty dates and views; an answer holds the records it was read from
 * (tens of kilobytes), so a client stepping through dates cannot grow it far.
 */
export const STORED_READS = 500;

interface Stored {
  version: string;
  value: Promise<unknown>;
}

export class StoredReads {
  private readonly entries = new Map<string, Stored>();
  /** Answers given out as filed, and worked out because the version had moved or nothing was filed. */
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries = STORED_READS) {}

  get size(): number {
    return this.entries.size;
  }

  /** The answer filed under `key` at exactly `version`, or `read()`'s, filed unless a newer version's is held. */
  read<T>(key: string, version: string, read: () => Promise<T>): Promise<T> {
    const held = this.entries.get(key);
    if (held && held.version === version) {
      this.hits++;
      // Most recently used last: a Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, held);
      return held.value as Promise<T>;
    }
    this.misses++;
    const value = read();
    // A request that took its version before a newer answer was filed: answered, not filed over it.
    if (held && isNewer(held.version, version)) return value;
    const entry: Stored = { version, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    // A failed read is not kept: the next request tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}

/** Versions are "epoch:count"; within one epoch (one database) the count only grows. */
function isNewer(a: string, b: string): boolean {
  const [ea, ca] = a.split(':');
  const [eb, cb] = b.split(':');
  return ea === eb && Number(ca) > Number(cb);
}

const stores = new WeakMap<object, StoredReads>();

/** This database's (this ORM's) store. */
export function storedReadsFor(context: Pick<SubgraphContext, 'em'>): StoredReads {
  let store = stores.get(context.em.config);
  if (!store) stores.set(context.em.config, (store = new StoredReads()));
  return store;
}

/** The governance data version this request reads at: one statement, the first time a stored part is asked for. */
export function dataVersion(context: SubgraphContext): Promise<string> {
  return context.loaders
    .get<string, string>('Governance.dataVersion', async (keys) => {
      const rows = await context.em.getConnection().execute<Array<{ version: string }>>(`SELECT epoch::text || ':' || version AS version FROM governance_data_version`);
      return keys.map(() => rows[0].version);
    })
    .load('now');
}

/**
 * One part of an answer, from the store when this version holds it for the
 * caller's view; `key` says everything else it depends on (the date, the figures).
 */
export async function stored<T>(context: SubgraphContext, part: string, key: string, read: () => Promise<T>): Promise<T> {
  const version = await dataVersion(context);
  const view = publishedOnly(context.caller) ? 'published' : 'all';
  return storedReadsFor(context).read(`${part}|${view}|${key}`, version, read);
}

const figureKeys = new WeakMap<FigureRoot, string>();

/** What a part judged from the gateway's figures depends on besides governance's data: the root's date, specs and figures. */
export function figuresKey(root: FigureRoot): string {
  let key = figureKeys.get(root);
  if (key === undefined) {
    const figures = JSON.stringify([root.id, root.asOf, root.caseworkMeasures, root.healthMeasures, root.caseworkFigures ?? null, root.healthFigures ?? null]);
    key = createHash('sha256').update(figures).digest('base64');
    figureKeys.set(root, key);
  }
  return key;
}
