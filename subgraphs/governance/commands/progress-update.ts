import { conflict } from '../../../platform/problems';
import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { PriorityAction, ProgressUpdate } from '../entities';
import { requiredText } from './checks';

/** A progress report on an action, by whom it is recorded. */
export interface NewProgressUpdate {
  actionId: string;
  recordedDate: string;
  currentPosition: string;
  nextSteps: string;
  /** The user who records it: the caller, not something the caller says. */
  recordedBy: string;
}

/**
 * Every report gives the current position and the next steps (DfE asked for both).
 * An action has one position at a date: the database decides (progress_update
 * action_id, recorded_on is unique), and a second report at a date is answered
 * CONFLICT naming the one that exists.
 */
export const recordProgressUpdate: Command<NewProgressUpdate, PriorityAction, ProgressUpdate> = {
  load: (tx, input) => mustFind(tx, PriorityAction, input.actionId, 'input.actionId', 'action'),
  check: (input) => [...requiredText('input.currentPosition', input.currentPosition), ...requiredText('input.nextSteps', input.nextSteps)],
  apply: (tx, input, action) =>
    tx.create(ProgressUpdate, { action, recordedDate: input.recordedDate, currentPosition: input.currentPosition.trim(), nextSteps: input.nextSteps.trim(), recordedBy: input.recordedBy }),
  onConflict: async (em, input) => {
    const existing = await em.findOne(ProgressUpdate, { action: input.actionId, recordedDate: input.recordedDate });
    return existing && conflict(`input.recordedDate: the action already has a progress update on ${input.recordedDate}.`, { type: 'ProgressUpdate', id: existing.id });
  },
};
