import { Arg, Authorized, Ctx, Field, Float, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { addMilestone, completeMilestone, tieMilestoneToKpi } from '../../commands/milestone';
import { Milestone } from '../../entities';

/** An action's milestones (commands/milestone.ts). */
@Resolver()
export class MilestoneMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Milestone, { description: 'Adds a milestone to an action.' })
  addMilestone(@Arg('actionId', () => ID) actionId: string, @Arg('title') title: string, @Arg('dueOn', () => DateScalar) dueOn: string, @Ctx() context: SubgraphContext): Promise<Milestone> {
    return runCommand(context.em, context, addMilestone, { actionId, title, dueOn });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Milestone, { description: 'Marks a milestone complete on a date (null to reopen it).' })
  completeMilestone(@Arg('milestoneId', () => ID) milestoneId: string, @Arg('completedOn', () => DateScalar, { nullable: true }) completedOn: string | null, @Ctx() context: SubgraphContext): Promise<Milestone> {
    return runCommand(context.em, context, completeMilestone, { milestoneId, completedOn: completedOn ?? null });
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
  @Field(() => Milestone)
  milestone!: Milestone;
}

@Resolver()
export class MilestoneTieMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => TieMilestoneToKpiPayload, { description: 'Ties a milestone to a KPI and a threshold: it is then met, with its date, by the first reading that reaches it, and the action\'s status uses that.' })
  async tieMilestoneToKpi(@Arg('input', () => TieMilestoneToKpiInput) input: TieMilestoneToKpiInput, @Ctx() context: SubgraphContext): Promise<TieMilestoneToKpiPayload> {
    return { milestone: await runCommand(context.em, context, tieMilestoneToKpi, { milestoneId: input.milestoneId, kpiId: input.kpiId ?? null, threshold: input.threshold ?? null, measuredFrom: input.measuredFrom ?? null }) };
  }
}
