import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '../../../platform/problems';
import { addDays, addMonths } from '../dates';
import { measureValue, type MeasureDefinition } from './engine';
import { cachedMeasures } from './figure-cache';
import { Interval, periodsBetween, periodStartOf, type Period } from './periods';
import type { MeasurePoint, MeasureSeries } from './types';

export class MeasureCatalogue {
  private readonly byCode: Map<string, MeasureDefinition>;

  /**
   * @param filters the named SQL bindings the definitions may use (e.g. district);
   * a filter the caller leaves out is bound as null, meaning "all".
   * @param dataVersionTable the one-row table whose version every write to the
   * tables the definitions read adds one to (figure-cache.ts); figures are cached
   * only where there is one.
   */
  constructor(
    readonly definitions: readonly MeasureDefinition[],
    readonly filters: readonly string[] = [],
    readonly dataVersionTable?: string,
  ) {
    this.byCode = new Map(definitions.map((d) => [d.code, d]));
  }

  /** The same measures computed on every call: for benchmarks that time the computation, not the cache. */
  uncached(): MeasureCatalogue {
    return new MeasureCatalogue(this.definitions, this.filters);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** The definition of a code, or BAD_USER_INPUT naming `field` (the argument that gave it) and listing the known codes. */
  get(code: string, field = 'codes'): MeasureDefinition {
    const d = this.byCode.get(code);
    if (!d) throw badUserInput([{ field, message: `${field}: unknown measure code "${code}". Known codes: ${[...this.byCode.keys()].join(', ')}.` }]);
    return d;
  }
}

export interface SeriesRequest {
  codes: readonly string[];
  from: string;
  to: string;
  interval: Interval;
  /** Values for the catalogue's filters; a missing one means all. */
  bindings?: Record<string, unknown>;
}

/** A point after any disclosure control has been applied to it. */
export type PointPolicy = (definition: MeasureDefinition, point: MeasurePoint) => MeasurePoint;

export const showAsComputed: PointPolicy = (_d, point) => point;

function checkedPeriods(from: string, to: string, interval: Interval): Period[] {
  try {
    return periodsBetween(from, to, interval);
  } catch (err) {
    throw badUserInput([{ field: 'to', message: (err as Error).message }]);
  }
}

/**
 * Resolves a measures query: validates codes, takes the figures from the cache or
 * computes them in one SQL round trip (figure-cache.ts), applies the caller's policy.
 */
export async function measureSeries(em: EntityManager, catalogue: MeasureCatalogue, request: SeriesRequest, policy: PointPolicy = showAsComputed): Promise<MeasureSeries[]> {
  const definitions = [...new Set(request.codes)].map((code) => catalogue.get(code));
  const periods = checkedPeriods(request.from, request.to, request.interval);
  const bindings: Record<string, unknown> = {};
  for (const name of catalogue.filters) bindings[name] = request.bindings?.[name] ?? null;
  const rows = await cachedMeasures(em, catalogue, definitions, periods, request.interval, bindings);
  return definitions.map((d) => ({
    code: d.code,
    name: d.name,
    unit: d.unit,
    points: rows
      .filter((r) => r.code === d.code)
      .map((r) =>
        policy(d, {
          periodStart: r.periodStart,
          periodEnd: r.periodEnd,
          numerator: r.numerator,
          denominator: d.kind === 'COUNT' ? null : r.denominator,
          value: measureValue(d.kind, r.numerator, r.denominator),
          suppressed: false,
        }),
      ),
  }));
}

const STEP: Record<Interval, number> = { MONTH: 1, QUARTER: 3, YEAR: 12, FINANCIAL_YEAR: 12 };

/** The last whole period of this interval that ends on or before `asOf`. */
export function lastCompletePeriod(asOf: string, interval: Interval): Period {
  const start = periodStartOf(asOf, interval);
  const end = addDays(addMonths(start, STEP[interval]), -1);
  if (end === asOf) return { start, end };
  const previous = addMonths(start, -STEP[interval]);
  return { start: previous, end: addDays(start, -1) };
}
