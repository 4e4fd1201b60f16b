import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { recordFamilyFeedback, respondToFamilyFeedback } from '../../commands/family-feedback';
import { FamilyFeedback } from '../../entities';
import { FeedbackSource } from '../../entities/enums';

@InputType({ description: 'Family voice received.' })
class FamilyFeedbackInput {
  @Field(() => FeedbackSource)
  source!: FeedbackSource;

  @Field()
  theme!: string;

  @Field(() => DateScalar)
  receivedDate!: string;

  @Field({ description: 'What families said, without naming anyone.' })
  youSaid!: string;

  @Field({ nullable: true })
  published?: boolean;
}

/** Family voice: "you said, we did" (commands/family-feedback.ts). */
@Resolver()
export class FamilyFeedbackMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => FamilyFeedback, { description: 'Records family voice.' })
  recordFamilyFeedback(@Arg('input', () => FamilyFeedbackInput) input: FamilyFeedbackInput, @Ctx() context: SubgraphContext): Promise<FamilyFeedback> {
    return runCommand(context.em, context, recordFamilyFeedback, input);
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => FamilyFeedback, { description: 'Records the partnership\'s "we did" response to family voice.' })
  respondToFamilyFeedback(@Arg('feedbackId', () => ID) feedbackId: string, @Arg('weDid', () => String) weDid: string, @Arg('respondedDate', () => DateScalar) respondedDate: string, @Ctx() context: SubgraphContext): Promise<FamilyFeedback> {
    return runCommand(context.em, context, respondToFamilyFeedback, { feedbackId, weDid, respondedDate });
  }
}
