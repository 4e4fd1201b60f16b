import { conflict } from '../../../platform/problems';
import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Milestone, PriorityAction } from '../entities';
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
  check: () => [],
  apply: (_tx, input, milestone) => {
    milestone.completedDate = input.completedDate;
    return milestone;
  },
};
