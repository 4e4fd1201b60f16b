import type { SubgraphContext } from '../../toolkit/context';
import { groupByKeys } from '../../toolkit/context';
import { ENGLAND_CODE, HOME_AREA } from '../area';
import { Kpi, PublishedComparator } from '../entities';
import { whereVisible } from './support';

/**
 * The published rows a KPI compares with, for every KPI code in the request in one
 * query: England, the home region, the home local authority and every KPI's
 * statistical neighbours.
 */
export function comparatorsFor(context: SubgraphContext) {
  return context.loaders.get<string, PublishedComparator[]>('Comparator.byCode', async (codes) => {
    // Neighbours come from the KPIs this caller may see, under the same published filter as every read.
    const kpis = await context.em.find(Kpi, whereVisible(context, 'Kpi', { measureCode: { $in: [...codes] } }));
    const neighbours = [...new Set(kpis.flatMap((k) => k.statisticalNeighbours))];
    const rows = await context.em.find(
      PublishedComparator,
      { measureCode: { $in: [...codes] }, $or: [{ areaCode: { $in: [ENGLAND_CODE, HOME_AREA.regionCode, HOME_AREA.areaCode] } }, { oldLaCode: { $in: neighbours } }] },
      { orderBy: { year: 'desc', geographicLevel: 'asc', areaName: 'asc' } },
    );
    return groupByKeys(codes, rows, (r) => r.measureCode);
  });
}

/** The row for the latest year on or before `year`; null when there is none. */
export function latestComparator(rows: readonly PublishedComparator[], year: number): PublishedComparator | null {
  let best: PublishedComparator | null = null;
  for (const r of rows) if (r.year <= year && (!best || r.year > best.year)) best = r;
  return best;
}

/** England, the region, the home area and the neighbours, each at its latest year on or before `year`. */
export function comparatorSet(kpi: Kpi, rows: readonly PublishedComparator[], year: number): PublishedComparator[] {
  const areas = [ENGLAND_CODE, HOME_AREA.regionCode, HOME_AREA.areaCode];
  const out: PublishedComparator[] = [];
  for (const code of areas) {
    const r = latestComparator(rows.filter((x) => x.areaCode === code), year);
    if (r) out.push(r);
  }
  for (const old of kpi.statisticalNeighbours) {
    const r = latestComparator(rows.filter((x) => x.oldLaCode === old), year);
    if (r) out.push(r);
  }
  return out;
}
