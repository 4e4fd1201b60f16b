import type { EntityManager } from '@mikro-orm/postgresql';
import type { Period } from './periods';

/**
 * How a measure turns its numerator and denominator into a value.
 * COUNT: value = numerator. PERCENT: 100 * numerator / denominator.
 * MEAN: numerator is a sum, denominator a count, value their quotient.
 */
export type MeasureKind = 'COUNT' | 'PERCENT' | 'MEAN';

export interface MeasureDefinition {
  code: string;
  name: string;
  /** Shown to partner apps: what is counted, when, and what is excluded. */
  description: string;
  unit: 'COUNT' | 'PERCENT' | 'WEEKS' | 'SCORE';
  kind: MeasureKind;
  /**
   * A SELECT returning one row with float columns `numerator` and `denominator`
   * for the period in scope as `p.period_start` and `p.period_end` (inclusive).
   * It may use the named bindings its catalogue documents (e.g. :district).
   */
  sql: string;
}

export interface MeasureRow {
  code: string;
  periodStart: string;
  periodEnd: string;
  numerator: number | null;
  denominator: number | null;
}

/**
 * Computes every requested measure for every period in one SQL statement: the
 * periods are a derived table and each measure a lateral subquery over it, so one
 * call is one round trip whatever the number of codes and periods.
 */
export async function computeMeasures(
  em: EntityManager,
  definitions: readonly MeasureDefinition[],
  periods: readonly Period[],
  bindings: Record<string, unknown>,
): Promise<MeasureRow[]> {
  return (await computeMeasuresAt(em, definitions, periods, bindings)).rows;
}

/**
 * As computeMeasures, and with `versionSql` (a scalar SELECT) also the data
 * version read in the same statement, so in the same snapshot as the figures:
 * what the figure cache files them under. Null when no row came back.
 */
export async function computeMeasuresAt(
  em: EntityManager,
  definitions: readonly MeasureDefinition[],
  periods: readonly Period[],
  bindings: Record<string, unknown>,
  versionSql?: string,
): Promise<{ rows: MeasureRow[]; version: string | null }> {
  if (definitions.length === 0 || periods.length === 0) return { rows: [], version: null };
  const version = versionSql ? `, (${versionSql}) AS data_version` : '';
  const parts = definitions.map(
    (d, i) => `SELECT ${i} AS measure_index, p.period_start, p.period_end, m.numerator::float8 AS numerator, m.denominator::float8 AS denominator${version}
      FROM periods p CROSS JOIN LATERAL (${d.sql}) m`,
  );
  const sql = `WITH periods AS (
      SELECT period_start, period_end FROM json_to_recordset(CAST(:periods AS json)) AS x(period_start date, period_end date)
    )
    ${parts.join('\nUNION ALL\n')}
    ORDER BY measure_index, period_start`;
  const raw = em.getKnex().raw(sql, { ...bindings, periods: JSON.stringify(periods.map((p) => ({ period_start: p.start, period_end: p.end }))) });
  const rows = await em.getConnection().execute<Array<{ measure_index: number; period_start: string; period_end: string; numerator: number | null; denominator: number | null; data_version?: string }>>(raw);
  return {
    rows: rows.map((r) => ({
      code: definitions[r.measure_index].code,
      periodStart: r.period_start,
      periodEnd: r.period_end,
      numerator: r.numerator,
      denominator: r.denominator,
    })),
    version: rows[0]?.data_version ?? null,
  };
}

/** The value of one point from its numerator and denominator, before any suppression. */
export function measureValue(kind: MeasureKind, numerator: number | null, denominator: number | null): number | null {
  if (numerator === null) return null;
  if (kind === 'COUNT') return numerator;
  if (!denominator) return null;
  const v = kind === 'PERCENT' ? (100 * numerator) / denominator : numerator / denominator;
  return Math.round(v * 10) / 10;
}
