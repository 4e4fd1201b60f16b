import { conflict } from '../../../platform/problems';
import { mustFind, refId } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Kpi, Milestone, PriorityAction, PriorityActionKpi } from '../entities';
import { problem, requiredText } from './checks';

/** A milestone of an action: what will be done by when. */
export interface NewMilestone {
  actionId: string;
  title: string;
  dueDate: string;
}

/**
 * Not due before the action started. The same milestone (title) due on the same
 * date is held once per action: the database decides, and a second one is answered
 * CONFLICT naming the one that exists.
 */
export const addMilestone: Command<NewMilestone, PriorityAction, Milestone> = {
  load: (tx, input) => mustFind(tx, PriorityAction, input.actionId, 'input.actionId', 'action'),
  check: (input, action) => [
    ...requiredText('input.title', input.title),
    ...(input.dueDate < action.startDate ? [problem('input.dueDate', `is before the action started (${action.startDate}).`)] : []),
  ],
  apply: (tx, input, action) => tx.create(Milestone, { action, title: input.title.trim(), dueDate: input.dueDate }),
  onConflict: async (em, input) => {
    const existing = await em.findOne(Milestone, { action: input.actionId, title: input.title.trim(), dueDate: input.dueDate });
    return existing && conflict(`input.title: the action already has this milestone, due on ${input.dueDate}.`, { type: 'Milestone', id: existing.id });
  },
};

/** Marks a milestone complete on a date, or reopens it (null). */
export const completeMilestone: Command<{ milestoneId: string; completedDate: string | null }, Milestone, Milestone> = {
  load: (tx, input) => mustFind(tx, Milestone, input.milestoneId, 'input.milestoneId', 'milestone'),
  // A milestone tied to a KPI is met by its readings, never by hand: the two could then disagree.
  check: (_input, milestone) => (milestone.kpi ? [problem('input.milestoneId', 'this milestone is met when its KPI\'s reading reaches its threshold, not by hand; untie it from the KPI (tieMilestoneToKpi with kpiId null) to record it by hand.')] : []),
  apply: (_tx, input, milestone) => {
    milestone.completedDate = input.completedDate;
    return milestone;
  },
};

/** A milestone tied to one of its action's KPIs and a threshold, or untied (kpiId null). */
export interface MilestoneTieInput {
  milestoneId: string;
  kpiId: string | null;
  threshold: number | null;
  /** Readings of periods starting on or after this date count; null: from the action's start. */
  measuredFrom?: string | null;
}

export interface MilestoneTieState {
  milestone: Milestone;
  /** The KPIs linked to the milestone's action: a milestone is measured by one of them. */
  actionKpis: Kpi[];
}

/**
 * Ties a milestone to one of its action's KPIs: it is then met by the first
 * reading that reaches the threshold (rules/milestones.ts), and its recorded
 * completion is cleared, so the board's word and the KPI cannot disagree.
 */
export const tieMilestoneToKpi: Command<MilestoneTieInput, MilestoneTieState, Milestone> = {
  async load(tx, input) {
    const milestone = await mustFind(tx, Milestone, input.milestoneId, 'input.milestoneId', 'milestone');
    const links = await tx.find(PriorityActionKpi, { action: refId(milestone.action) }, { populate: ['kpi'] });
    return { milestone, actionKpis: links.map((l) => l.kpi) };
  },
  check: (input, { actionKpis }) => {
    if (input.kpiId === null) return input.threshold === null ? [] : [problem('input.threshold', 'goes with a kpiId; give both or neither.')];
    return [
      ...(actionKpis.some((k) => k.id === input.kpiId) ? [] : [problem('input.kpiId', 'is not one of the KPIs linked to this milestone\'s action; link it to the action first.')]),
      ...(input.threshold === null || !Number.isFinite(input.threshold) ? [problem('input.threshold', 'give the value, in the KPI\'s unit, a reading must reach.')] : []),
    ];
  },
  apply: (_tx, input, { milestone, actionKpis }) => {
    milestone.kpi = input.kpiId === null ? null : actionKpis.find((k) => k.id === input.kpiId)!;
    milestone.threshold = input.kpiId === null ? null : input.threshold;
    milestone.measuredFrom = input.kpiId === null ? null : input.measuredFrom ?? null;
    if (input.kpiId !== null) milestone.completedDate = null;
    return milestone;
  },
};
