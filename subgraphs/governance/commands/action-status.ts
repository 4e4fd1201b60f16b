import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { PriorityAction } from '../entities';
import type { ActionStatusValue } from '../entities/enums';
import { problem, requiredText } from './checks';

/**
 * The board's status for an action until an expiry date, which holds over the
 * written rule (rules/status.ts) until then; a null status clears it.
 */
export interface StatusOverride {
  actionId: string;
  status: ActionStatusValue | null;
  reason: string | null;
  expiryDate: string | null;
}

/** An override needs a reason and an expiry date; clearing one needs neither. */
export const overrideActionStatus: Command<StatusOverride, PriorityAction, PriorityAction> = {
  load: (tx, input) => mustFind(tx, PriorityAction, input.actionId, 'input.actionId', 'action'),
  check: (input) =>
    input.status
      ? [...requiredText('input.reason', input.reason), ...(input.expiryDate ? [] : [problem('input.expiryDate', 'an override needs an expiry date.')])]
      : [],
  apply: (_tx, input, action) => {
    action.overrideStatus = input.status;
    action.overrideReason = input.status ? input.reason!.trim() : null;
    action.overrideExpiryDate = input.status ? input.expiryDate : null;
    return action;
  },
};
