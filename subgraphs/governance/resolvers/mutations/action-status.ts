import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { payloadType } from '../../../toolkit/payload';
import { runCommand } from '../../../toolkit/write';
import { overrideActionStatus } from '../../commands/action-status';
import { PriorityAction } from '../../entities';
import { ActionStatusValue } from '../../entities/enums';

@InputType({ description: 'The board\'s override of an action\'s computed status, or its removal.' })
class OverrideActionStatusInput {
  @Field(() => ID, { description: 'The action.' })
  actionId!: string;

  @Field(() => ActionStatusValue, { nullable: true, description: 'The status to show; null clears the override.' })
  status?: ActionStatusValue | null;

  @Field(() => String, { nullable: true, description: 'Why the board overrides it (needed with a status).' })
  reason?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The last day the override holds (needed with a status).' })
  expiryDate?: string | null;
}

const OverrideActionStatusPayload = payloadType('overrideActionStatus', 'action', PriorityAction, 'The action, as it stands after the write.');

/** The board's override of an action's status (commands/action-status.ts). */
@Resolver()
export class ActionStatusMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => OverrideActionStatusPayload, { description: 'Overrides an action\'s computed status until an expiry date; needs a reason. status null clears the override.' })
  async overrideActionStatus(@Arg('input', () => OverrideActionStatusInput, { description: 'The action and the override.' }) input: OverrideActionStatusInput, @Ctx() context: SubgraphContext): Promise<{ action: PriorityAction }> {
    const { actionId, status, reason, expiryDate } = input;
    return { action: await runCommand(context.em, context, overrideActionStatus, { actionId, status: status ?? null, reason: reason ?? null, expiryDate: expiryDate ?? null }) };
  }
}
