import type { SubgraphContext } from './context';
import { showAsComputed, type PointPolicy } from './measures/series';

/**
 * The disclosure control a caller's aggregates get: figures as computed for roles
 * with person-level rights to the underlying records, small-number suppression for
 * everyone else. Every aggregate resolver asks this module, never decides itself.
 *
 * STUB: returns figures as computed; the Security issue implements suppression here
 * (the signatures stay).
 */
export type Owner = 'casework' | 'health';

/** For measure points (counts, rates, means). */
export function measurePolicy(_context: SubgraphContext, _owner: Owner): PointPolicy {
  return showAsComputed;
}

export interface DisclosedCount {
  /** Null when withheld. */
  value: number | null;
  suppressed: boolean;
}

/**
 * For a breakdown shown together (e.g. a waiting list by weeks-waited band, with or
 * without its total): cells and total are disclosed together so that no withheld
 * cell can be recovered by subtraction.
 */
export function breakdownPolicy(_context: SubgraphContext, _owner: Owner): (cells: number[], total?: number) => { cells: DisclosedCount[]; total?: DisclosedCount } {
  return (cells, total) => ({
    cells: cells.map((value) => ({ value, suppressed: false })),
    total: total === undefined ? undefined : { value: total, suppressed: false },
  });
}

/** For a single count shown on its own (e.g. a list's totalCount seen by an aggregate-only role). */
export function countPolicy(_context: SubgraphContext, _owner: Owner): (count: number) => DisclosedCount {
  return (value) => ({ value, suppressed: false });
}
