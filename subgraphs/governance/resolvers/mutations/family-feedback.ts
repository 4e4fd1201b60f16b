import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { recordFamilyFeedback, respondToFamilyFeedback } from '../../commands/family-feedback';
import { FamilyFeedback } from '../../entities';
import { FeedbackSource } from '../../entities/enums';

@InputType({ description: 'Family voice received.' })
class FamilyFeedbackInput {
  @Field(() => FeedbackSource, { description: 'Where it came from.' })
  source!: FeedbackSource;

  @Field({ description: 'The theme, e.g. "Communication".' })
  theme!: string;

  @Field(() => DateScalar, { description: 'When it was received.' })
  receivedDate!: string;

  @Field({ description: 'What families said, without naming anyone.' })
  youSaid!: string;

  @Field({ description: 'Whether partner apps may see it (default true).', nullable: true })
  published?: boolean;
}

@InputType({ description: 'The partnership\'s "we did" response to family voice.' })
class RespondToFamilyFeedbackInput {
  @Field(() => ID, { description: 'The family voice responded to.' })
  feedbackId!: string;

  @Field({ description: 'We did: what the partnership did.' })
  weDid!: string;

  @Field(() => DateScalar, { description: 'When the response was given.' })
  respondedDate!: string;
}

const RespondToFamilyFeedbackPayload = payloadType('respondToFamilyFeedback', 'feedback', FamilyFeedback, 'The family voice, as it stands after the write.');
const RecordFamilyFeedbackPayload = payloadType('recordFamilyFeedback', 'feedback', FamilyFeedback, 'The family voice, as it stands after the write.');

/** Family voice: "you said, we did" (commands/family-feedback.ts). */
@Resolver()
export class FamilyFeedbackMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => RecordFamilyFeedbackPayload, { description: 'Records family voice.' })
  async recordFamilyFeedback(@Arg('input', () => FamilyFeedbackInput, { description: 'What to record.' }) input: FamilyFeedbackInput, @Ctx() context: SubgraphContext): Promise<{ feedback: FamilyFeedback }> {
    return { feedback: await runCommand(context.em, context, recordFamilyFeedback, input) };
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => RespondToFamilyFeedbackPayload, { description: 'Records the partnership\'s "we did" response to family voice.' })
  async respondToFamilyFeedback(@Arg('input', () => RespondToFamilyFeedbackInput, { description: 'The feedback and the response.' }) input: RespondToFamilyFeedbackInput, @Ctx() context: SubgraphContext): Promise<{ feedback: FamilyFeedback }> {
    return { feedback: await runCommand(context.em, context, respondToFamilyFeedback, input) };
  }
}
