import type { EntityManager } from '@mikro-orm/postgresql';
import { caseworkCatalogue } from '../../subgraphs/casework/measures/catalogue';
import { childFactsSql } from '../../subgraphs/casework/measures/facts';
import { Interval } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../../subgraphs/toolkit/measures/series';
import { referenceCatalogue } from './reference-catalogue';

type Row = Record<string, unknown>;
const CODES = caseworkCatalogue.definitions.map((d) => d.code);

/**
 * The maintained figures (the three tables: per child, per district and need,
 * the whole area's) next to the same figures derived from the records now, from
 * scratch. Months whose sums are all zero are left out on both sides (a child's
 * +1 and -1 in one month, or a total taken down to zero).
 */
export async function maintainedAndFromScratch(em: EntityManager): Promise<{ maintained: Row[]; fromScratch: Row[] }> {
  const conn = em.getConnection();
  const cols = `code, month::text AS month, district, primary_need, num::text AS num, den::int AS den`;
  const maintained = await conn.execute(`SELECT 'total' AS level, ${cols} FROM casework_measure_month WHERE num <> 0 OR den <> 0
    UNION ALL SELECT 'area', code, month::text, NULL, NULL, num::text, den::int FROM casework_measure_month_area WHERE num <> 0 OR den <> 0
    UNION ALL SELECT child_id::text, ${cols} FROM casework_child_measure_month WHERE num <> 0 OR den <> 0 ORDER BY 1, 2, 3, 4, 5`);
  const fresh = `SELECT f.*, c.district, c.primary_need FROM (${childFactsSql(() => 'true')}) f JOIN child c ON c.id = f.child_id`;
  const fromScratch = await conn.execute(`SELECT * FROM (
      SELECT 'total' AS level, code, month::text AS month, district, primary_need, sum(num)::text AS num, sum(den)::int AS den
      FROM (${fresh}) x GROUP BY code, month, district, primary_need HAVING sum(num) <> 0 OR sum(den) <> 0
      UNION ALL
      SELECT 'area', code, month::text, NULL, NULL, sum(num)::text, sum(den)::int
      FROM (${fresh}) x GROUP BY code, month HAVING sum(num) <> 0 OR sum(den) <> 0
      UNION ALL
      SELECT child_id::text, code, month::text, district, primary_need, num::text, den::int FROM (${fresh}) x WHERE num <> 0 OR den <> 0) y
    ORDER BY 1, 2, 3, 4, 5`);
  // numeric sums print with the scale of their terms: compare as numbers.
  const norm = (rows: Row[]) => rows.map((r) => ({ ...r, num: Number(r.num) }));
  return { maintained: norm(maintained), fromScratch: norm(fromScratch) };
}

/**
 * Every code, every month from..to, through the shipped catalogue (maintained
 * figures) and through the reference catalogue (straight from the records), for
 * the whole area and each filter given. Returns both, keyed by filter and code.
 */
export async function shippedAndReference(em: () => EntityManager, from: string, to: string, filters: Array<Record<string, unknown>>, interval = Interval.MONTH) {
  const run = async (catalogue: typeof caseworkCatalogue) => {
    const out: Record<string, unknown> = {};
    for (const bindings of [{}, ...filters]) {
      const series = await measureSeries(em(), catalogue, { codes: CODES, from, to, interval, bindings });
      for (const s of series) out[`${JSON.stringify(bindings)} ${s.code}`] = s.points;
    }
    return out;
  };
  return { shipped: await run(caseworkCatalogue), reference: await run(referenceCatalogue) };
}
