import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { overrideActionStatus } from '../../commands/action-status';
import { PriorityAction } from '../../entities';
import { ActionStatusValue } from '../../entities/enums';

/** The board's override of an action's status (commands/action-status.ts). */
@Resolver()
export class ActionStatusMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => PriorityAction, { description: 'Overrides an action\'s computed status until an expiry date; needs a reason. status null clears the override.' })
  overrideActionStatus(
    @Arg('actionId', () => ID) actionId: string,
    @Arg('status', () => ActionStatusValue, { nullable: true }) status: ActionStatusValue | null,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('expiryDate', () => DateScalar, { nullable: true }) expiryDate: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<PriorityAction> {
    return runCommand(context.em, context, overrideActionStatus, { actionId, status: status ?? null, reason: reason ?? null, expiryDate: expiryDate ?? null });
  }
}
