import { DirectionValue, RagValue, TrendValue } from '../entities/enums';

/**
 * The RAG rule: how a KPI's latest value is rated against what the partnership
 * expected for that period. Pure: no I/O, no clock. It speaks in the enums the
 * API serves (entities/enums.ts), so a rating needs no conversion on the way out.
 */

export interface TrajectoryPoint {
  /** Last day of the period the value is expected for. */
  periodEnd: string;
  value: number;
}

export interface KpiTargets {
  baseline: number | null;
  target: number | null;
  direction: DirectionValue;
  /** How far short of the expected value (in the measure's own unit) still counts as AMBER. */
  amberTolerance: number;
  trajectory: readonly TrajectoryPoint[];
}

/**
 * The value expected for the period ending `periodEnd`: the trajectory point for
 * that period; otherwise the latest trajectory point before it (the expectation
 * holds until the next step); before the trajectory starts, the baseline; with no
 * trajectory at all, the target.
 */
export function expectedValue(kpi: KpiTargets, periodEnd: string): number | null {
  if (kpi.trajectory.length === 0) return kpi.target;
  let best: TrajectoryPoint | null = null;
  for (const p of kpi.trajectory) if (p.periodEnd <= periodEnd && (!best || p.periodEnd > best.periodEnd)) best = p;
  if (best) return best.value;
  return kpi.baseline ?? kpi.trajectory.reduce((a, b) => (a.periodEnd <= b.periodEnd ? a : b)).value;
}

/**
 * GREY when there is no value (no data, not yet measured, or withheld to protect
 * small numbers) or nothing to compare with; GREEN when the value meets or beats
 * the expected value in the KPI's direction; AMBER when it falls short by no more
 * than the amber tolerance; RED when it falls short by more.
 */
export function ragRating(value: number | null, suppressed: boolean, expected: number | null, direction: DirectionValue, amberTolerance: number): RagValue {
  if (value === null || suppressed || expected === null || !Number.isFinite(value)) return RagValue.GREY;
  const shortfall = direction === DirectionValue.HIGHER_IS_BETTER ? expected - value : value - expected;
  if (shortfall <= 0) return RagValue.GREEN;
  if (shortfall <= Math.max(0, amberTolerance)) return RagValue.AMBER;
  return RagValue.RED;
}

/**
 * Why a reading is GREY, in the board's words; null when it is rated. `unavailable`
 * names the owning organisation's service when it did not answer, which comes
 * before every other cause: without the figures nothing else is known.
 */
export function greyReason(reading: { value: number | null; suppressed: boolean; available: boolean; expected: number | null; unavailable: string | null }): string | null {
  if (reading.unavailable) return `${reading.unavailable} did not answer: there is no value to rate.`;
  if (reading.suppressed) return 'The value is withheld to protect small numbers.';
  if (!reading.available) return 'The owning organisation does not compute this measure yet.';
  if (reading.value === null || !Number.isFinite(reading.value)) return 'There is no value for the period.';
  if (reading.expected === null) return 'There is no trajectory or target to compare the value with.';
  return null;
}

/** The RAG of a KPI's reading for one period. */
export function ragFor(kpi: KpiTargets, point: { periodEnd: string; value: number | null; suppressed: boolean }): RagValue {
  return ragRating(point.value, point.suppressed, expectedValue(kpi, point.periodEnd), kpi.direction, kpi.amberTolerance);
}

/** Whether the latest value moved the right way since the period before. */
export function trendOf(direction: DirectionValue, previous: number | null, latest: number | null): TrendValue {
  if (previous === null || latest === null) return TrendValue.UNKNOWN;
  if (latest === previous) return TrendValue.STEADY;
  return (latest > previous) === (direction === DirectionValue.HIGHER_IS_BETTER) ? TrendValue.IMPROVING : TrendValue.WORSENING;
}
