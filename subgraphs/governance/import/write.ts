import type { EntityManager } from '@mikro-orm/postgresql';
import { write, type Actor } from '../../toolkit/write';
import type { ComparatorRow } from './dfe';

const CHUNK = 500;

export interface WriteSummary {
  inserted: number;
  updated: number;
}

/**
 * Writes comparators in one transaction through the one write path, under the
 * importing user (`importActor`): new (code, year, area) rows are inserted,
 * existing ones updated, so importing the same file twice changes nothing and a
 * revised file replaces the figures it revises. The rows are written in plain SQL,
 * which no change set sees, so the import names its audit entry itself: one for
 * the file, with the measure codes it carried.
 */
export async function writeComparators(em: EntityManager, actor: Actor, rows: readonly ComparatorRow[], sourceFile: string): Promise<WriteSummary> {
  return write(em, actor, async (tx, record) => {
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const params: unknown[] = [];
      const values = chunk.map((r) => {
        params.push(r.measureCode, r.year, r.timePeriod, r.geographicLevel, r.areaCode, r.oldLaCode, r.areaName, r.regionCode, r.value, r.numerator, r.denominator, r.marker, r.sourceFile);
        return '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
      });
      const result = await tx.getConnection().execute<Array<{ inserted: boolean }>>(
        `INSERT INTO published_comparator (measure_code, year, time_period, geographic_level, area_code, old_la_code, area_name, region_code, value, numerator, denominator, marker, source_file)
         VALUES ${values.join(', ')}
         ON CONFLICT (measure_code, year, area_code) DO UPDATE SET
           time_period = EXCLUDED.time_period, geographic_level = EXCLUDED.geographic_level, old_la_code = EXCLUDED.old_la_code,
           area_name = EXCLUDED.area_name, region_code = EXCLUDED.region_code, value = EXCLUDED.value, numerator = EXCLUDED.numerator,
           denominator = EXCLUDED.denominator, marker = EXCLUDED.marker, source_file = EXCLUDED.source_file
         RETURNING (xmax = 0) AS inserted`,
        params,
        'all',
        tx.getTransactionContext(),
      );
      for (const r of result) (r.inserted ? inserted++ : updated++);
    }
    const codes = [...new Set(rows.map((r) => r.measureCode))].sort();
    record([{ entityType: 'PublishedComparatorImport', entityId: sourceFile, fields: codes }]);
    return { inserted, updated };
  });
}
