import { UNSUPPRESSED } from './access';
import { effectiveRoles } from '../../platform/roles';
import type { SubgraphContext } from './context';
import { showAsComputed, type PointPolicy } from './measures/series';
import { discloseBreakdown, discloseCount, discloseFigure, type Disclosed } from './suppression';

/**
 * The disclosure control a caller's aggregates get: figures as computed for roles
 * with person-level rights to the underlying records (UNSUPPRESSED in access.ts),
 * small-number suppression (suppression.ts) for everyone else. Every aggregate
 * resolver asks this module, never decides itself.
 */
export type Owner = 'casework' | 'health';

/** True when the caller sees this owner's aggregates as computed. */
export function seesUnsuppressed(context: Pick<SubgraphContext, 'caller'>, owner: Owner): boolean {
  return effectiveRoles(context.caller).some((r) => UNSUPPRESSED[owner].includes(r));
}

/** For measure points (counts, rates, means). */
export function measurePolicy(context: SubgraphContext, owner: Owner): PointPolicy {
  if (seesUnsuppressed(context, owner)) return showAsComputed;
  return (definition, point) => ({ ...point, ...discloseFigure(definition.kind, point) });
}

export type DisclosedCount = Disclosed;

/**
 * For a breakdown shown together (e.g. a waiting list by weeks-waited band, with or
 * without its total): cells and total are disclosed together so that no withheld
 * cell can be recovered by subtraction.
 */
export function breakdownPolicy(context: SubgraphContext, owner: Owner): (cells: number[], total?: number) => { cells: DisclosedCount[]; total?: DisclosedCount } {
  if (seesUnsuppressed(context, owner)) {
    return (cells, total) => ({
      cells: cells.map((value) => ({ value, suppressed: false })),
      total: total === undefined ? undefined : { value: total, suppressed: false },
    });
  }
  return (cells, total) => discloseBreakdown(cells, total);
}

/** For a single count shown on its own (e.g. a list's totalCount seen by an aggregate-only role). */
export function countPolicy(context: SubgraphContext, owner: Owner): (count: number) => DisclosedCount {
  if (seesUnsuppressed(context, owner)) return (value) => ({ value, suppressed: false });
  return (value) => discloseCount(value);
}
