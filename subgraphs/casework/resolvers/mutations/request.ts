import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { recordDecision, recordRequest, type Decision, type NewRequest } from '../../commands/request';
import { EhcnaRequest } from '../../entities';
import { RequestOutcome, RequestSource } from '../../entities/enums';

@InputType({ description: 'A request for an EHC needs assessment, as received.' })
export class RecordRequestInput implements NewRequest {
  @Field(() => ID, { description: 'The child the request is about.' })
  childId!: string;

  @Field(() => DateScalar, { description: 'Date the council received the request.' })
  receivedDate!: string;

  @Field(() => RequestSource, { nullable: true, description: 'Who made the request.' })
  source?: RequestSource | null;
}

@InputType({ description: 'The decision whether to assess.' })
export class RecordDecisionInput implements Decision {
  @Field(() => ID, { description: 'The request decided.' })
  requestId!: string;

  @Field(() => RequestOutcome, { description: 'ASSESS, NOT_ASSESS or WITHDRAWN.' })
  outcome!: RequestOutcome;

  @Field(() => DateScalar, { description: 'Date of the decision.' })
  decisionDate!: string;

  @Field(() => Boolean, { nullable: true, description: 'Mediation followed.' })
  mediation?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Appealed to the tribunal.' })
  tribunal?: boolean | null;
}

const RecordEhcnaRequestPayload = payloadType('recordEhcnaRequest', 'request', EhcnaRequest, 'The request, as recorded.');
const RecordRequestDecisionPayload = payloadType('recordRequestDecision', 'request', EhcnaRequest, 'The request, as recorded.');

@Resolver()
export class RequestMutations {
  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordEhcnaRequestPayload, { description: 'Record a request for an EHC needs assessment.' })
  async recordEhcnaRequest(@Arg('input', () => RecordRequestInput, { description: 'What to record.' }) input: RecordRequestInput, @Ctx() context: SubgraphContext): Promise<{ request: EhcnaRequest }> {
    return { request: await runCommand(context.em, context, recordRequest, input) };
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordRequestDecisionPayload, { description: 'Record the decision whether to assess; a decision to assess opens the EHC needs assessment.' })
  async recordRequestDecision(@Arg('input', () => RecordDecisionInput, { description: 'What to record.' }) input: RecordDecisionInput, @Ctx() context: SubgraphContext): Promise<{ request: EhcnaRequest }> {
    return { request: await runCommand(context.em, context, recordDecision, input) };
  }
}
