import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { recordFinalPlan, type FinalPlan, type Need, type Placement } from '../../commands/plan';
import { EhcPlan } from '../../entities';
import { SenSetting, SenType, TwentyWeekException } from '../../entities/enums';

@InputType({ description: 'A placement named in a plan: exactly one of urn, ukprn or senSetting.' })
export class PlacementInput implements Placement {
  @Field(() => Int, { description: '1 main, 2 second.' })
  rank!: number;

  @Field(() => String, { nullable: true, description: 'School URN, 6 digits.' })
  urn?: string | null;

  @Field(() => String, { nullable: true, description: 'College or provider UKPRN, 8 digits.' })
  ukprn?: string | null;

  @Field(() => SenSetting, { nullable: true, description: 'Another setting.' })
  senSetting?: SenSetting | null;

  @Field(() => Boolean, { nullable: true, description: 'In a SEN unit.' })
  senUnit?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'In resourced provision.' })
  resourcedProvision?: boolean | null;
}

@InputType({ description: 'A special educational need named in a plan.' })
export class SenNeedInput implements Need {
  @Field(() => SenType, { description: 'The type of need.' })
  senType!: SenType;

  @Field(() => Int, { description: '1 primary, 2 secondary.' })
  rank!: number;
}

@InputType({ description: 'The final EHC plan, as issued.' })
export class RecordFinalPlanInput implements FinalPlan {
  @Field(() => ID, { description: 'The assessment the plan follows.' })
  assessmentId!: string;

  @Field(() => DateScalar, { description: 'Date the final plan was issued.' })
  issueDate!: string;

  @Field(() => [PlacementInput], { description: '1 or 2 placements.' })
  placements!: PlacementInput[];

  @Field(() => [SenNeedInput], { description: '1 or 2 needs, ranked.' })
  senNeeds!: SenNeedInput[];

  @Field(() => Boolean, { nullable: true, description: 'Includes a personal budget.' })
  personalBudget?: boolean | null;

  @Field(() => TwentyWeekException, { nullable: true, description: 'A reg 10(4) exception to the 20-week limit, if one applied.' })
  exception?: TwentyWeekException | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the family agreed to the plan being issued before their 15 days to comment on the draft ran out (reg 13(1)); without it the plan is refused earlier than 15 days after the draft.' })
  familyAgreedEarlyDate?: string | null;
}

const RecordFinalPlanPayload = payloadType('recordFinalPlan', 'plan', EhcPlan, 'The plan, as recorded.');

@Resolver()
export class PlanMutations {
  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordFinalPlanPayload, { description: 'Record the final EHC plan as issued, with its placements and needs.' })
  async recordFinalPlan(@Arg('input', () => RecordFinalPlanInput, { description: 'What to record.' }) input: RecordFinalPlanInput, @Ctx() context: SubgraphContext): Promise<{ plan: EhcPlan }> {
    return { plan: await runCommand(context.em, context, recordFinalPlan, input) };
  }
}
