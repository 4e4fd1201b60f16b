import type { SubgraphContext } from './context';
import { textArray } from './rows';

/**
 * Answers worked out from a subgraph's own data (governance's dashboard parts, a
 * list's total, the waiting list on a date), kept in the subgraph process and
 * never stale: each is filed under the data version it was read at and given out
 * only to a request that finds that same version. The version is a one-row table
 * per subgraph database (the subgraphs' *_data_version migrations) that every
 * transaction writing the tables those answers read adds one to as it commits,
 * in that transaction. So:
 * - a request first takes the current version (one statement, once per request);
 * - it then reads the rows, so what it files under version v holds at least every
 *   write that v stands for; a request that starts after a write commits takes a
 *   newer version and misses;
 * - what is filed is the answer before any caller's view of it (suppression, the
 *   roles' field checks) or under the view it was worked out for, so no caller is
 *   given what was worked out for a wider one.
 *
 * The answer is shared while it is being worked out, so concurrent requests of one
 * version read once. Callers must not change what they are given. Bounded: the
 * least recently used answer goes first. One store per database connection (ORM),
 * so two databases in one process (tests) never share answers.
 */

/**
 * Answers held per database: governance's dashboard files eight per date and
 * view, a list one total per filter, the waiting list one per date and filter;
 * an answer is at most tens of kilobytes, so a client stepping through dates or
 * filters cannot grow it far.
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
    if (held && isNewerVersion(held.version, version)) return value;
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
export function isNewerVersion(a: string, b: string): boolean {
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

/** The one statement that reads a data version table's current version, as "epoch:count". */
export const dataVersionSql = (table: string) => `SELECT epoch::text || ':' || version AS version FROM ${table}`;

/** The data version this request reads at: one statement, the first time a stored answer is asked for. */
export function dataVersion(context: SubgraphContext, table: string): Promise<string> {
  return context.loaders
    .get<string, string>(`dataVersion.${table}`, async (keys) => {
      const rows = await context.em.getConnection().execute<Array<{ version: string }>>(dataVersionSql(table));
      return keys.map(() => rows[0].version);
    })
    .load('now');
}

/**
 * The versions of some tables this request reads at, from a table of per-table
 * versions (name, epoch, version; e.g. casework_table_version): one statement per
 * set of tables, the first time it is asked for. One string, for storedReadAt.
 */
export function tableVersions(context: SubgraphContext, versionsTable: string, tables: readonly string[]): Promise<string> {
  const names = [...new Set(tables)].sort();
  return context.loaders
    .get<string, string>(`tableVersions.${versionsTable}.${names.join(',')}`, async (keys) => {
      const rows = await context.em
        .getConnection()
        .execute<Array<{ version: string }>>(`SELECT table_name || ':' || epoch::text || ':' || version AS version FROM ${versionsTable} WHERE table_name = ANY(CAST(? AS text[])) ORDER BY table_name`, [textArray(names)]);
      // Asking for a table that has no version is a mistake in the code, not in the request.
      if (rows.length !== names.length) throw new Error(`${versionsTable} has no version for some of ${names.join(', ')}`);
      return keys.map(() => rows.map((r) => r.version).join(' '));
    })
    .load('now');
}

/** One answer, from the store when `version` is the one it was filed under; `key` says everything else it depends on. */
export function storedReadAt<T>(context: SubgraphContext, version: string, key: string, read: () => Promise<T>): Promise<T> {
  return storedReadsFor(context).read(key, version, read);
}

/** One answer, from the store when this request's data version holds it; `key` says everything else it depends on. */
export async function storedRead<T>(context: SubgraphContext, versionTable: string, key: string, read: () => Promise<T>): Promise<T> {
  const version = await dataVersion(context, versionTable);
  return storedReadsFor(context).read(key, version, read);
}
