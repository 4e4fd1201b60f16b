import type { SubgraphContext } from '../../toolkit/context';
import { groupByKeys } from '../../toolkit/context';
import { ENGLAND_CODE, HOME_AREA } from '../area';
import { PublishedComparator, type Kpi } from '../entities';
import { visibleKpis } from './support';
import { rowsWhere, textArray } from '../../toolkit/rows';
import type { MeasureRequest } from '../../toolkit/measures/figures';
import type { Interval } from '../../toolkit/measures/periods';
import type { Organisation } from '../entities/enums';
import { compare, reconciliationRequest, type Comparison } from '../rules/comparison';

/**
 * The published rows a KPI compares with, for every KPI code in the request in one
 * query: England, the home region, the home local authority and every KPI's
 * statistical neighbours.
 */
export function comparatorsFor(context: SubgraphContext) {
  return context.loaders.get<string, PublishedComparator[]>('Comparator.byCode', async (codes) => {
    // Neighbours come from the KPIs this caller may see, under the same published filter as every read.
    const wanted = new Set(codes);
    const kpis = (await visibleKpis(context)).filter((k) => wanted.has(k.measureCode));
    const neighbours = [...new Set(kpis.flatMap((k) => k.statisticalNeighbours))];
    // Plain rows (toolkit/rows.ts): a dashboard reads a few hundred, read only.
    const rows = await rowsWhere(
      context,
      PublishedComparator,
      't.measure_code = ANY(CAST(? AS text[])) AND (t.area_code = ANY(CAST(? AS text[])) OR t.old_la_code = ANY(CAST(? AS text[])))',
      [textArray([...codes]), textArray([ENGLAND_CODE, HOME_AREA.regionCode, HOME_AREA.areaCode]), textArray(neighbours)],
      [['year', 'desc'], ['geographicLevel', 'asc'], ['areaName', 'asc']],
    );
    return groupByKeys(codes, rows, (r) => r.measureCode);
  });
}

/** The KPI's comparison at a year: which published figures are like for like, and the words (rules/comparison.ts). */
export async function comparisonOf(kpi: Kpi, year: number | null, context: SubgraphContext): Promise<Comparison<PublishedComparator>> {
  const rows = await comparatorsFor(context).load(kpi.measureCode);
  return compare({ measureCode: kpi.measureCode, home: HOME_AREA, englandCode: ENGLAND_CODE, neighbours: kpi.statisticalNeighbours, rows, year: year ?? 9999 });
}

/** The extra live series a single KPI's reading asks for, so it can be reconciled with DfE's figure for the same period. */
export function reconciliationExtra(kpi: Kpi): Array<MeasureRequest & { owner: Organisation }> {
  const r = reconciliationRequest(kpi.measureCode);
  return r ? [{ code: r.code, interval: r.interval as Interval, periods: r.periods, owner: kpi.ownerOrganisation as Organisation }] : [];
}
