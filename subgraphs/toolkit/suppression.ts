/**
 * Small-number suppression: the statistical disclosure control for aggregates seen
 * by callers without person-level rights to the records behind them. Pure: no I/O,
 * no GraphQL, so every rule here is unit-tested on its edges.
 *
 * The rules (docs/security.md says the same in words):
 * - A count of 1-7 is withheld (value null, suppressed true); 0 is shown as 0;
 *   every other count is rounded to the nearest 5 (8 -> 10, 12 -> 10, 13 -> 15).
 * - A rate (PERCENT) is withheld when its numerator, its denominator or their
 *   difference is 1-7. Otherwise it is computed from the unrounded figures and
 *   shown, and its numerator and denominator are NOT shown (null): with the rate
 *   to one decimal place, rounded parts would let the exact parts be solved for.
 * - A mean is withheld when the number of records it averages (denominator) is
 *   1-7, or its total (numerator) is 1-7. Its parts are not shown either.
 * - A breakdown shown with its total, or with its other cells (so the total can be
 *   added up, or read from another query), gets secondary suppression: while the
 *   withheld cells together add up to 1-7 (which includes "exactly one cell
 *   withheld"), the next-smallest shown non-zero cell is withheld too. If the cells
 *   run out first, the total is withheld as well.
 */

/** The largest count withheld (the smallest is 1). */
export const SMALL_MAX = 7;
/** Shown counts are rounded to a multiple of this. */
export const ROUNDING_BASE = 5;

export interface Disclosed {
  /** Null when withheld (or when there is no figure at all). */
  value: number | null;
  suppressed: boolean;
}

/** True for a figure that may single someone out: more than 0 and less than 8 (a total of 7.5 weeks counts too). */
export function isSmall(n: number | null | undefined): boolean {
  return n !== null && n !== undefined && n > 0 && n < SMALL_MAX + 1;
}

/** Rounds to the nearest multiple of 5; halves go up (12.5 -> 15). */
export function roundToBase(n: number): number {
  return Math.round(n / ROUNDING_BASE) * ROUNDING_BASE;
}

const WITHHELD: Disclosed = Object.freeze({ value: null, suppressed: true });

/** A single count: 0 as 0, 1-7 withheld, otherwise rounded to 5. A missing count stays missing. */
export function discloseCount(count: number | null): Disclosed {
  if (count === null || count === undefined || Number.isNaN(count)) return { value: null, suppressed: false };
  if (isSmall(count)) return { ...WITHHELD };
  return { value: roundToBase(count), suppressed: false };
}

export type FigureKind = 'COUNT' | 'PERCENT' | 'MEAN';

export interface Figure {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
}

export interface DisclosedFigure extends Figure {
  suppressed: boolean;
}

/**
 * One measure point: a count, a rate or a mean, with the parts it came from.
 * `value` is the figure as computed from the unrounded parts; what comes back is
 * what may be shown.
 */
export function discloseFigure(kind: FigureKind, figure: Figure): DisclosedFigure {
  const { numerator, denominator } = figure;
  if (kind === 'COUNT') {
    const d = discloseCount(numerator);
    return { numerator: d.value, denominator: null, value: d.value, suppressed: d.suppressed };
  }
  const withheld: DisclosedFigure = { numerator: null, denominator: null, value: null, suppressed: true };
  if (kind === 'PERCENT') {
    const diff = numerator !== null && denominator !== null ? denominator - numerator : null;
    if (isSmall(numerator) || isSmall(denominator) || isSmall(diff)) return withheld;
  } else if (isSmall(denominator) || isSmall(numerator)) {
    return withheld;
  }
  return { numerator: null, denominator: null, value: figure.value, suppressed: false };
}

export interface DisclosedBreakdown {
  cells: Disclosed[];
  total?: Disclosed;
}

/**
 * Cells of a breakdown shown together, with or without their total. Primary
 * suppression withholds cells of 1-7; secondary suppression then withholds the
 * next-smallest non-zero cell while the withheld cells add up to 1-7, so no
 * withheld cell (or group of them) can be recovered by subtracting the shown
 * cells from the total. Shown cells and the total are rounded to 5.
 */
export function discloseBreakdown(cells: readonly number[], total?: number): DisclosedBreakdown {
  const withheld = new Set<number>();
  cells.forEach((v, i) => {
    if (isSmall(v)) withheld.add(i);
  });
  const withheldSum = () => [...withheld].reduce((s, i) => s + cells[i], 0);
  while (withheld.size > 0 && isSmall(withheldSum())) {
    let next = -1;
    cells.forEach((v, i) => {
      if (!withheld.has(i) && v > 0 && (next < 0 || v < cells[next])) next = i;
    });
    if (next < 0) break;
    withheld.add(next);
  }
  const out: DisclosedBreakdown = {
    cells: cells.map((v, i) => (withheld.has(i) ? { ...WITHHELD } : discloseCount(v))),
  };
  if (total !== undefined) {
    // Whatever the total adds beyond the shown cells is what subtraction recovers.
    const shownSum = cells.reduce((s, v, i) => (withheld.has(i) ? s : s + v), 0);
    const recoverable = total - shownSum;
    out.total = isSmall(recoverable) ? { ...WITHHELD } : discloseCount(total);
  }
  return out;
}
