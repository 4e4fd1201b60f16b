import { Arg, Authorized, Ctx, Field, Float, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { payloadType } from '../../../toolkit/payload';
import { runCommand } from '../../../toolkit/write';
import { addMilestone, completeMilestone, tieMilestoneToKpi } from '../../commands/milestone';
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

@InputType({ description: 'Ties a milestone to one of its action\'s KPIs and a threshold (kpiId and threshold null to untie it).' })
export class TieMilestoneToKpiInput {
  @Field(() => ID, { description: 'The milestone.' })
  milestoneId!: string;

  @Field(() => ID, { nullable: true, description: 'A KPI linked to the milestone\'s action; null unties the milestone.' })
  kpiId!: string | null;

  @Field(() => Float, { nullable: true, description: 'The value, in the KPI\'s own unit, a reading must reach in the KPI\'s direction (e.g. 46 for "46% within 20 weeks in a quarter").' })
  threshold!: number | null;

  @Field(() => DateScalar, { nullable: true, description: 'Readings of periods starting on or after this date count (null: from the action\'s start).' })
  measuredFrom?: string | null;
}

@ObjectType({ description: 'The milestone as tied.' })
export class TieMilestoneToKpiPayload {
  @Field(() => Milestone, { description: 'The milestone as tied (or untied).' })
  milestone!: Milestone;
}

@Resolver()
export class MilestoneTieMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => TieMilestoneToKpiPayload, { description: 'Ties a milestone to a KPI and a threshold: it is then met, with its date, by the first reading that reaches it, and the action\'s status uses that.' })
  async tieMilestoneToKpi(@Arg('input', () => TieMilestoneToKpiInput, { description: 'The milestone, the KPI and the threshold.' }) input: TieMilestoneToKpiInput, @Ctx() context: SubgraphContext): Promise<TieMilestoneToKpiPayload> {
    return { milestone: await runCommand(context.em, context, tieMilestoneToKpi, { milestoneId: input.milestoneId, kpiId: input.kpiId ?? null, threshold: input.threshold ?? null, measuredFrom: input.measuredFrom ?? null }) };
  }
}
