import type { EntityManager } from '@mikro-orm/postgresql';
import { CliError } from '../../toolkit/cli';
import { write, type Actor } from '../../toolkit/write';
import type { ComparatorRow } from './dfe';

export interface WriteSummary {
  inserted: number;
  updated: number;
  /** Figures of an earlier release (or of this one) that this import no longer gives, removed. */
  removed: number;
}

/**
 * Writes one release's figures in one transaction through the one write path,
 * under the importing user (`importActor`). For every measure code the import
 * carries, the release replaces what is there: (code, year, area) rows are
 * inserted or updated, and the code's figures from earlier releases (or from this
 * release, when a corrected file no longer gives them) that the import does not
 * give are removed. So importing the same release twice changes nothing, and a
 * later release replaces an earlier one; an earlier release is refused when a
 * later one is already there. The table is locked against a concurrent import for
 * the length of the transaction. The rows are written in plain SQL, which no
 * change set sees, so the import names its audit entry itself: one per file, with
 * the measure codes it carried.
 */
export async function writeRelease(em: EntityManager, actor: Actor, release: number, rows: readonly ComparatorRow[], sourceFiles: readonly string[]): Promise<WriteSummary> {
  return write(em, actor, async (tx, record) => {
    const summary = await replaceRelease(tx, release, rows);
    const byFile = new Map<string, Set<string>>(sourceFiles.map((f) => [f, new Set()]));
    for (const r of rows) byFile.get(r.sourceFile)?.add(r.measureCode);
    record([...byFile].map(([file, fileCodes]) => ({ entityType: 'PublishedComparatorImport', entityId: file, fields: [...fileCodes].sort() })));
    return summary;
  });
}

/**
 * The replacement itself, inside the caller's transaction. The first-start seed
 * calls it directly, as the synthetic seed writes: the seed is not a person's
 * import, and runs as the owner login, before the audit trail is anyone's.
 */
export async function replaceRelease(tx: EntityManager, release: number, rows: readonly ComparatorRow[]): Promise<WriteSummary> {
  // Bound parameters through knex, inside the caller's transaction: MikroORM's execute inlines them into the
  // statement, which for a release's one JSON document costs a second of escaping.
  const knex = (tx.getTransactionContext() ?? tx.getConnection().getKnex()) as unknown as { raw: (sql: string, params: unknown[]) => Promise<{ rows: unknown }> };
  const run = async <T>(sql: string, params: unknown[]): Promise<T> => (await knex.raw(sql, params)).rows as T;
  // knex would spread a JS array into a list: lists go as array literals (codes and uuids need no quoting).
  const arrayOf = (items: readonly string[]) => `{${items.join(',')}}`;
  await run('LOCK TABLE published_comparator IN SHARE ROW EXCLUSIVE MODE', []);
  const codes = [...new Set(rows.map((r) => r.measureCode))].sort();
  const later = await run<Array<{ measure_code: string; release: number }>>(
    'SELECT measure_code, max(release) AS release FROM published_comparator WHERE measure_code = ANY(?::text[]) AND release > ? GROUP BY measure_code ORDER BY measure_code',
    [arrayOf(codes), release],
  );
  if (later.length) {
    throw new CliError(`release ${release} is earlier than the figures already imported for ${later.map((l) => `${l.measure_code} (release ${l.release})`).join(', ')}; an earlier release never replaces a later one`);
  }
  // One statement for the whole release: the rows go as one JSON document, which PostgreSQL unpacks (far faster than inlined VALUES).
  const written = await run<Array<{ id: string; inserted: boolean }>>(
    `INSERT INTO published_comparator (measure_code, year, time_period, geographic_level, area_code, old_la_code, area_name, region_code, value, numerator, denominator, marker, source_file, release)
     SELECT measure_code, year, time_period, geographic_level, area_code, old_la_code, area_name, region_code, value, numerator, denominator, marker, source_file, ?::int
     FROM jsonb_to_recordset(?::jsonb) AS r(measure_code text, year int, time_period text, geographic_level text, area_code text, old_la_code text, area_name text, region_code text,
       value double precision, numerator double precision, denominator double precision, marker text, source_file text)
     ON CONFLICT (measure_code, year, area_code) DO UPDATE SET
       time_period = EXCLUDED.time_period, geographic_level = EXCLUDED.geographic_level, old_la_code = EXCLUDED.old_la_code,
       area_name = EXCLUDED.area_name, region_code = EXCLUDED.region_code, value = EXCLUDED.value, numerator = EXCLUDED.numerator,
       denominator = EXCLUDED.denominator, marker = EXCLUDED.marker, source_file = EXCLUDED.source_file, release = EXCLUDED.release
     RETURNING id, (xmax = 0) AS inserted`,
    [release, JSON.stringify(rows.map((r) => ({
      measure_code: r.measureCode, year: r.year, time_period: r.timePeriod, geographic_level: r.geographicLevel, area_code: r.areaCode, old_la_code: r.oldLaCode, area_name: r.areaName,
      region_code: r.regionCode, value: r.value, numerator: r.numerator, denominator: r.denominator, marker: r.marker, source_file: r.sourceFile,
    })))],
  );
  const ids = written.map((w) => w.id);
  const inserted = written.filter((w) => w.inserted).length;
  const updated = written.length - inserted;
  const removed = await run<Array<{ id: string }>>(
    // An anti-join (hashed), not `id <> ALL(array)`, which compares every row with every kept id.
    'DELETE FROM published_comparator p WHERE measure_code = ANY(?::text[]) AND (release IS NULL OR release <= ?) AND NOT EXISTS (SELECT 1 FROM unnest(?::uuid[]) AS kept(id) WHERE kept.id = p.id) RETURNING id',
    [arrayOf(codes), release, arrayOf(ids)],
  );
  return { inserted, updated, removed: removed.length };
}
