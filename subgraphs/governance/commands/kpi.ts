import { conflict, type Problem } from '../../../platform/problems';
import type { Interval } from '../../toolkit/measures/periods';
import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Kpi } from '../entities';
import type { DirectionValue } from '../entities/enums';
import { KNOWN_CODES, ownerOrganisationOf } from '../rules/codes';
import { finiteOrAbsent, optionalText, problem, requiredText, SHORT_TEXT } from './checks';

/** The value a KPI's trajectory expects for one period. */
export interface TrajectoryPointValues {
  periodEnd: string;
  value: number;
}

/** The targets a board sets for a KPI, on create and on update alike. */
export interface KpiTargetValues {
  baseline?: number | null;
  baselinePeriod?: string | null;
  target?: number | null;
  targetDate?: string | null;
  direction?: DirectionValue | null;
  amberTolerance?: number | null;
  trajectory?: TrajectoryPointValues[] | null;
  statisticalNeighbours?: string[] | null;
}

/** A new KPI over a casework or health measure code. */
export interface NewKpi extends KpiTargetValues {
  name: string;
  measureCode: string;
  interval: Interval;
  direction: DirectionValue;
  amberTolerance: number;
  published?: boolean | null;
}

/** Changes to a KPI's targets: what is left out keeps its value. */
export interface KpiChanges extends KpiTargetValues {
  kpiId: string;
  name?: string | null;
}

const TOLERANCE = 'must be zero or more, in the measure\'s unit.';

/** The checks a KPI's targets get, on create and on update. */
export function targetProblems(input: KpiTargetValues): Problem[] {
  const seen = new Set<string>();
  return [
    ...finiteOrAbsent('input.baseline', input.baseline),
    ...optionalText('input.baselinePeriod', input.baselinePeriod, SHORT_TEXT),
    ...finiteOrAbsent('input.target', input.target),
    ...(input.amberTolerance !== undefined && input.amberTolerance !== null && !(Number.isFinite(input.amberTolerance) && input.amberTolerance >= 0) ? [problem('input.amberTolerance', TOLERANCE)] : []),
    ...(input.trajectory ?? []).flatMap((p, i) => {
      const twice = seen.has(p.periodEnd);
      seen.add(p.periodEnd);
      return [...finiteOrAbsent(`input.trajectory[${i}].value`, p.value), ...(twice ? [problem(`input.trajectory[${i}].periodEnd`, `${p.periodEnd} appears twice.`)] : [])];
    }),
    ...(input.statisticalNeighbours ?? []).flatMap((c, i) => (/^\d{3}$/.test(c) ? [] : [problem(`input.statisticalNeighbours[${i}]`, `"${c}" is not a three-digit old LA code.`)])),
  ];
}

const trajectory = (points: readonly TrajectoryPointValues[]) => points.map((p) => ({ periodEnd: p.periodEnd, value: p.value }));

/**
 * A KPI names a code its owner computes, one KPI per code: the database decides
 * (kpi.measure_code is unique), so a second KPI over a code, at once or later, is
 * answered CONFLICT naming the one that exists.
 */
export const createKpi: Command<NewKpi, null, Kpi> = {
  load: async () => null,
  check: (input) => [
    ...requiredText('input.name', input.name, SHORT_TEXT),
    ...(ownerOrganisationOf(input.measureCode) ? [] : [problem('input.measureCode', `"${input.measureCode}" is not a measure code a KPI may name. ${KNOWN_CODES}`)]),
    ...targetProblems(input),
  ],
  apply: (tx, input) =>
    tx.create(Kpi, {
      name: input.name.trim(),
      measureCode: input.measureCode,
      ownerOrganisation: ownerOrganisationOf(input.measureCode)!,
      interval: input.interval,
      baseline: input.baseline ?? null,
      baselinePeriod: input.baselinePeriod ?? null,
      target: input.target ?? null,
      targetDate: input.targetDate ?? null,
      direction: input.direction,
      amberTolerance: input.amberTolerance,
      trajectory: trajectory(input.trajectory ?? []),
      statisticalNeighbours: input.statisticalNeighbours ?? [],
      published: input.published ?? true,
    }),
  onConflict: async (em, input) => {
    const existing = await em.findOne(Kpi, { measureCode: input.measureCode });
    return existing && conflict(`input.measureCode: a KPI over ${input.measureCode} already exists.`, { type: 'Kpi', id: existing.id });
  },
};

/** The measure code and interval stay: a KPI over another measure is a new KPI. */
export const updateKpi: Command<KpiChanges, Kpi, Kpi> = {
  load: (tx, input) => mustFind(tx, Kpi, input.kpiId, 'input.kpiId', 'KPI'),
  check: (input) => [
    ...(input.name !== undefined ? requiredText('input.name', input.name, SHORT_TEXT) : []),
    ...(input.amberTolerance === null ? [problem('input.amberTolerance', TOLERANCE)] : []),
    ...targetProblems(input),
  ],
  apply: (_tx, input, kpi) => {
    if (input.name !== undefined && input.name !== null) kpi.name = input.name.trim();
    if (input.baseline !== undefined) kpi.baseline = input.baseline;
    if (input.baselinePeriod !== undefined) kpi.baselinePeriod = input.baselinePeriod;
    if (input.target !== undefined) kpi.target = input.target;
    if (input.targetDate !== undefined) kpi.targetDate = input.targetDate;
    if (input.direction) kpi.direction = input.direction;
    if (input.amberTolerance !== undefined && input.amberTolerance !== null) kpi.amberTolerance = input.amberTolerance;
    if (input.trajectory) kpi.trajectory = trajectory(input.trajectory);
    if (input.statisticalNeighbours) kpi.statisticalNeighbours = input.statisticalNeighbours;
    return kpi;
  },
};
