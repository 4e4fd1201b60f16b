import { DirectionValue } from '../entities/enums';

/**
 * When a milestone is met. A milestone may be tied to one of its action's KPIs and
 * a threshold in the KPI's own unit ("46% within 20 weeks in a quarter": the
 * 20-week KPI, 46): it is then met, on the last day of the period, by the first
 * reading since the milestone was measured from (by default the action's start)
 * that reaches the threshold in the KPI's direction, and by nothing else,
 * so a milestone and the KPI that measures it cannot disagree. Once reached it
 * stays met when later readings fall: the milestone was to get there once. The
 * readings are the ones the owning organisation serves for the date (for a KPI a
 * milestone is measured by, the latest MAX_FIGURE_PERIODS whole periods), so a
 * threshold first reached before that window is not seen. A milestone tied to no KPI is met when the board records it.
 * Pure: the readings are passed in.
 */

export interface MilestoneTie {
  kpiName: string;
  threshold: number;
  /** Only readings of periods starting on or after this date count: a level held before the work began does not meet it. */
  from: string;
  direction: DirectionValue;
  /** False when the owner's figures could not be had (service down, measure not computed): the milestone cannot be judged. */
  readable: boolean;
  /** The KPI's readings, oldest first; a withheld value does not count as reaching anything. */
  points: ReadonlyArray<{ periodStart: string; periodEnd: string; value: number | null; suppressed: boolean }>;
}

export interface MilestoneJudgement {
  /** The day it was met; null while it is not. */
  completedDate: string | null;
  /** Why it cannot be judged at the date; null when it can. */
  unjudged: string | null;
  /** For a tied milestone not met: where its KPI stands, in words, for the reasons. */
  note: string | null;
}

/** Whether a value reaches a threshold in a KPI's direction. */
export function reaches(value: number, threshold: number, direction: DirectionValue): boolean {
  return direction === DirectionValue.HIGHER_IS_BETTER ? value >= threshold : value <= threshold;
}

export function judgeMilestone(milestone: { completedDate: string | null }, tie: MilestoneTie | null, asOf: string): MilestoneJudgement {
  if (!tie) return { completedDate: milestone.completedDate, unjudged: null, note: null };
  const seen = tie.points.filter((p) => p.periodStart >= tie.from && p.periodEnd <= asOf);
  const met = seen.find((p) => !p.suppressed && p.value !== null && reaches(p.value, tie.threshold, tie.direction));
  if (met) return { completedDate: met.periodEnd, unjudged: null, note: null };
  if (!tie.readable) return { completedDate: null, unjudged: `KPI "${tie.kpiName}" could not be read, so whether it reached ${tie.threshold} is not known.`, note: null };
  const latest = [...seen].reverse().find((p) => !p.suppressed && p.value !== null);
  const note = latest
    ? `KPI "${tie.kpiName}" has not reached ${tie.threshold}: ${latest.value} in ${latest.periodStart} to ${latest.periodEnd}.`
    : `KPI "${tie.kpiName}" has no reading that reaches ${tie.threshold}.`;
  return { completedDate: null, unjudged: null, note };
}
