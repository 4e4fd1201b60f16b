import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { payloadType } from '../../../toolkit/payload';
import { runCommand } from '../../../toolkit/write';
import { addMilestone, completeMilestone } from '../../commands/milestone';
import { Milestone } from '../../entities';

@InputType({ description: 'A milestone to add to an action.' })
class AddMilestoneInput {
  @Field(() => ID, { description: 'The action.' })
  actionId!: string;

  @Field({ description: 'What will have been done.' })
  title!: string;

  @Field(() => DateScalar, { description: 'When it is due.' })
  dueDate!: string;
}

@InputType({ description: 'A milestone completed on a date, or reopened.' })
class CompleteMilestoneInput {
  @Field(() => ID, { description: 'The milestone.' })
  milestoneId!: string;

  @Field(() => DateScalar, { nullable: true, description: 'When it was completed; null to reopen it.' })
  completedDate?: string | null;
}

const AddMilestonePayload = payloadType('addMilestone', 'milestone', Milestone, 'The milestone, as it stands after the write.');
const CompleteMilestonePayload = payloadType('completeMilestone', 'milestone', Milestone, 'The milestone, as it stands after the write.');

/** An action's milestones (commands/milestone.ts). */
@Resolver()
export class MilestoneMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => AddMilestonePayload, { description: 'Adds a milestone to an action.' })
  async addMilestone(@Arg('input', () => AddMilestoneInput, { description: 'The action and the milestone.' }) input: AddMilestoneInput, @Ctx() context: SubgraphContext): Promise<{ milestone: Milestone }> {
    return { milestone: await runCommand(context.em, context, addMilestone, input) };
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => CompleteMilestonePayload, { description: 'Marks a milestone complete on a date (null to reopen it).' })
  async completeMilestone(@Arg('input', () => CompleteMilestoneInput, { description: 'The milestone and the date.' }) input: CompleteMilestoneInput, @Ctx() context: SubgraphContext): Promise<{ milestone: Milestone }> {
    return { milestone: await runCommand(context.em, context, completeMilestone, { milestoneId: input.milestoneId, completedDate: input.completedDate ?? null }) };
  }
}
