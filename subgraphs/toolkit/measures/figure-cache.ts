import type { EntityManager } from '@mikro-orm/postgresql';
import { computeMeasuresAt, type MeasureDefinition, type MeasureRow } from './engine';
import type { Period } from './periods';
import { dataVersionSql, isNewerVersion } from '../stored-reads';

/**
 * Measure figures as computed (numerator and denominator, before any suppression),
 * kept in the subgraph process and never stale: each is filed under its code,
 * interval, period and filter values together with the data version it was
 * computed at, and given out only to a read that finds that same version.
 *
 * The version is a one-row table per subgraph database (see the subgraphs'
 * *_data_version migrations) that every transaction writing the tables the
 * measures read adds one to as it commits, in that transaction. So:
 * - a read first takes the current version (its own statement); a figure filed
 *   under it was computed from exactly the data that version stands for (when
 *   none of the figures asked for is held at all, it skips straight to computing);
 * - a read that starts after a write commits takes a newer version and misses;
 * - a miss computes the figures and reads the version in ONE statement (one
 *   snapshot), and files them under the version they were computed at.
 *
 * Suppression is applied afterwards, per caller, on every read (series.ts), so
 * the cache holds no caller's view and no role can be given another role's.
 * Bounded: the least recently used figure goes first. One cache per database
 * connection (ORM) and catalogue, so two databases in one process (tests) never
 * share figures.
 */

/** What the cache needs of a catalogue (series.ts's MeasureCatalogue), named here so the two modules import one way. */
export interface CachedCatalogue {
  readonly filters: readonly string[];
  readonly dataVersionTable?: string;
}

/** Figures held per catalogue and database: a dashboard needs a few hundred, an analyst's series a few hundred more. */
export const FIGURE_CACHE_ENTRIES = 50_000;

interface Entry {
  version: string;
  numerator: number | null;
  denominator: number | null;
}

export class FigureCache {
  private readonly entries = new Map<string, Entry>();
  /** Figures (code x period) given out from the cache, and computed because they were not there. */
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries = FIGURE_CACHE_ENTRIES) {}

  get size(): number {
    return this.entries.size;
  }

  /** True when a figure is filed under `key`, at whatever version. */
  holds(key: string): boolean {
    return this.entries.has(key);
  }

  /** The figure filed under `key` at exactly `version`, or undefined. */
  get(key: string, version: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    // Most recently used last: a Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Files a figure; an older version never replaces a newer one (a slow read finishing late). */
  set(key: string, entry: Entry): void {
    const held = this.entries.get(key);
    if (held && isNewerVersion(held.version, entry.version)) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** A figure that depends on the day it is read, not only on the data, cannot be filed under a data version. */
const READS_THE_CLOCK = /\b(current_date|current_timestamp|localtimestamp|now\s*\(|clock_timestamp|statement_timestamp|transaction_timestamp)/i;

export function cacheable(definition: MeasureDefinition): boolean {
  return !READS_THE_CLOCK.test(definition.sql);
}

const caches = new WeakMap<object, WeakMap<CachedCatalogue, FigureCache>>();

/** This database's (this ORM's) cache for this catalogue. */
export function figureCacheFor(em: EntityManager, catalogue: CachedCatalogue): FigureCache {
  let byCatalogue = caches.get(em.config);
  if (!byCatalogue) caches.set(em.config, (byCatalogue = new WeakMap()));
  let cache = byCatalogue.get(catalogue);
  if (!cache) byCatalogue.set(catalogue, (cache = new FigureCache()));
  return cache;
}

/**
 * The rows computeMeasures would give, from the cache where the current data
 * version holds them; the codes missing any period are computed (all their
 * periods, in one statement) and filed. A catalogue without a data version
 * table is computed every time.
 */
export async function cachedMeasures(
  em: EntityManager,
  catalogue: CachedCatalogue,
  definitions: readonly MeasureDefinition[],
  periods: readonly Period[],
  interval: string,
  bindings: Record<string, unknown>,
): Promise<MeasureRow[]> {
  const table = catalogue.dataVersionTable;
  if (!table) return (await computeMeasuresAt(em, definitions, periods, bindings)).rows;
  const cache = figureCacheFor(em, catalogue);
  const filters = JSON.stringify(catalogue.filters.map((name) => bindings[name] ?? null));
  const keyOf = (code: string, period: Period) => `${code}|${interval}|${period.start}|${period.end}|${filters}`;

  const found = new Map<string, MeasureRow[]>();
  const missing: MeasureDefinition[] = [];
  // Nothing held for any of them: no version to compare, so straight to the one statement that computes.
  const held = definitions.some((d) => periods.some((p) => cache.holds(keyOf(d.code, p))));
  const version = held ? (await em.getConnection().execute<Array<{ version: string }>>(dataVersionSql(table)))[0].version : undefined;
  for (const d of definitions) {
    if (version === undefined) {
      missing.push(d);
      cache.misses += periods.length;
      continue;
    }
    const rows: MeasureRow[] = [];
    for (const period of cacheable(d) ? periods : []) {
      const entry = cache.get(keyOf(d.code, period), version);
      if (!entry) break;
      rows.push({ code: d.code, periodStart: period.start, periodEnd: period.end, numerator: entry.numerator, denominator: entry.denominator });
    }
    if (rows.length === periods.length) {
      found.set(d.code, rows);
      cache.hits += rows.length;
    } else {
      missing.push(d);
      cache.misses += periods.length;
    }
  }
  if (missing.length > 0) {
    const computed = await computeMeasuresAt(em, missing, periods, bindings, dataVersionSql(table));
    for (const d of missing) {
      let rows = computed.rows.filter((r) => r.code === d.code);
      // Rows come in period order, one per period: file them under the periods asked for (and name
      // their dates as a cached row does).
      if (rows.length === periods.length) {
        rows = rows.map((r, i) => ({ ...r, periodStart: periods[i].start, periodEnd: periods[i].end }));
        if (computed.version && cacheable(d)) rows.forEach((r, i) => cache.set(keyOf(d.code, periods[i]), { version: computed.version!, numerator: r.numerator, denominator: r.denominator }));
      }
      found.set(d.code, rows);
    }
  }
  return definitions.flatMap((d) => found.get(d.code) ?? []);
}
