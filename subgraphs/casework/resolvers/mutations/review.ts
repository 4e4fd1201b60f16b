import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { recordReviewDecision, recordReviewMeeting, type ReviewDecision, type ReviewMeeting } from '../../commands/review';
import { AnnualReview } from '../../entities';
import { CeaseReason, ReviewOutcome } from '../../entities/enums';

@InputType({ description: 'An annual review meeting held.' })
export class RecordReviewMeetingInput implements ReviewMeeting {
  @Field(() => ID, { description: 'The plan reviewed.' })
  planId!: string;

  @Field(() => DateScalar, { description: 'Date of the meeting.' })
  meetingDate!: string;
}

@InputType({ description: 'The council\'s decision after a review meeting.' })
export class RecordReviewDecisionInput implements ReviewDecision {
  @Field(() => ID, { description: 'The review.' })
  reviewId!: string;

  @Field(() => ReviewOutcome, { description: 'Maintain, amend or cease.' })
  outcome!: ReviewOutcome;

  @Field(() => DateScalar, { description: 'Date the decision was notified.' })
  decisionDate!: string;

  @Field(() => CeaseReason, { nullable: true, description: 'Required when the outcome is CEASE.' })
  ceaseReason?: CeaseReason | null;
}

const RecordReviewMeetingPayload = payloadType('recordReviewMeeting', 'review', AnnualReview, 'The annual review, as it stands after the write.');
const RecordReviewDecisionPayload = payloadType('recordReviewDecision', 'review', AnnualReview, 'The annual review, as it stands after the write.');

@Resolver()
export class ReviewMutations {
  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordReviewMeetingPayload, { description: 'Record an annual review meeting held.' })
  async recordReviewMeeting(@Arg('input', () => RecordReviewMeetingInput, { description: 'What to record.' }) input: RecordReviewMeetingInput, @Ctx() context: SubgraphContext): Promise<{ review: AnnualReview }> {
    return { review: await runCommand(context.em, context, recordReviewMeeting, input) };
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordReviewDecisionPayload, { description: 'Record the council\'s decision after a review meeting; CEASE also ceases the plan on the decision date.' })
  async recordReviewDecision(@Arg('input', () => RecordReviewDecisionInput, { description: 'What to record.' }) input: RecordReviewDecisionInput, @Ctx() context: SubgraphContext): Promise<{ review: AnnualReview }> {
    return { review: await runCommand(context.em, context, recordReviewDecision, input) };
  }
}
