import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { recordAdviceAsked, recordAdviceReturned, recordAssessmentEnd, recordDraftPlan, type Advice, type AssessmentEnd, type DraftPlan } from '../../commands/assessment';
import { EhcNeedsAssessment } from '../../entities';
import { AdviceType, AssessmentOutcome } from '../../entities/enums';

@InputType({ description: 'Advice asked for, or returned, during an EHC needs assessment.' })
export class RecordAdviceInput implements Advice {
  @Field(() => ID, { description: 'The assessment.' })
  assessmentId!: string;

  @Field(() => AdviceType, { description: 'Whose advice.' })
  adviceType!: AdviceType;

  @Field(() => DateScalar, { description: 'Date it was asked for, or returned.' })
  date!: string;
}

@InputType({ description: 'The draft EHC plan sent to the family.' })
export class RecordDraftPlanInput implements DraftPlan {
  @Field(() => ID, { description: 'The assessment.' })
  assessmentId!: string;

  @Field(() => DateScalar, { description: 'Date the draft was sent.' })
  draftPlanDate!: string;
}

@InputType({ description: 'An assessment that ends without a plan: a decision not to issue one, or withdrawal.' })
export class RecordAssessmentEndInput implements AssessmentEnd {
  @Field(() => ID, { description: 'The assessment.' })
  assessmentId!: string;

  @Field(() => AssessmentOutcome, { description: 'NOT_ISSUE_PLAN or WITHDRAWN.' })
  outcome!: AssessmentOutcome;

  @Field(() => DateScalar, { description: 'Date of the decision (not to issue: due within 16 weeks of the request, reg 10).' })
  date!: string;
}

const RecordAdviceAskedPayload = payloadType('recordAdviceAsked', 'assessment', EhcNeedsAssessment, 'The assessment, as it stands after the write.');
const RecordAdviceReturnedPayload = payloadType('recordAdviceReturned', 'assessment', EhcNeedsAssessment, 'The assessment, as it stands after the write.');
const RecordDraftPlanPayload = payloadType('recordDraftPlan', 'assessment', EhcNeedsAssessment, 'The assessment, as it stands after the write.');
const RecordAssessmentEndPayload = payloadType('recordAssessmentEnd', 'assessment', EhcNeedsAssessment, 'The assessment, as it stands after the write.');

@Resolver()
export class AssessmentMutations {
  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordAdviceAskedPayload, { description: 'Record that advice was asked for (educational psychology, health or social care).' })
  async recordAdviceAsked(@Arg('input', () => RecordAdviceInput, { description: 'What to record.' }) input: RecordAdviceInput, @Ctx() context: SubgraphContext): Promise<{ assessment: EhcNeedsAssessment }> {
    return { assessment: await runCommand(context.em, context, recordAdviceAsked, input) };
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordAdviceReturnedPayload, { description: 'Record that advice came back.' })
  async recordAdviceReturned(@Arg('input', () => RecordAdviceInput, { description: 'What to record.' }) input: RecordAdviceInput, @Ctx() context: SubgraphContext): Promise<{ assessment: EhcNeedsAssessment }> {
    return { assessment: await runCommand(context.em, context, recordAdviceReturned, input) };
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordDraftPlanPayload, { description: 'Record the draft EHC plan sent to the family: the decision to issue a plan.' })
  async recordDraftPlan(@Arg('input', () => RecordDraftPlanInput, { description: 'What to record.' }) input: RecordDraftPlanInput, @Ctx() context: SubgraphContext): Promise<{ assessment: EhcNeedsAssessment }> {
    return { assessment: await runCommand(context.em, context, recordDraftPlan, input) };
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordAssessmentEndPayload, { description: 'Record that an assessment ended without a plan: a decision not to issue one, or withdrawal.' })
  async recordAssessmentEnd(@Arg('input', () => RecordAssessmentEndInput, { description: 'What to record.' }) input: RecordAssessmentEndInput, @Ctx() context: SubgraphContext): Promise<{ assessment: EhcNeedsAssessment }> {
    return { assessment: await runCommand(context.em, context, recordAssessmentEnd, input) };
  }
}
