import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { addMilestone, completeMilestone } from '../../commands/milestone';
import { Milestone } from '../../entities';

/** An action's milestones (commands/milestone.ts). */
@Resolver()
export class MilestoneMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Milestone, { description: 'Adds a milestone to an action.' })
  addMilestone(@Arg('actionId', () => ID) actionId: string, @Arg('title') title: string, @Arg('dueDate', () => DateScalar) dueDate: string, @Ctx() context: SubgraphContext): Promise<Milestone> {
    return runCommand(context.em, context, addMilestone, { actionId, title, dueDate });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Milestone, { description: 'Marks a milestone complete on a date (null to reopen it).' })
  completeMilestone(@Arg('milestoneId', () => ID) milestoneId: string, @Arg('completedDate', () => DateScalar, { nullable: true }) completedDate: string | null, @Ctx() context: SubgraphContext): Promise<Milestone> {
    return runCommand(context.em, context, completeMilestone, { milestoneId, completedDate: completedDate ?? null });
  }
}
