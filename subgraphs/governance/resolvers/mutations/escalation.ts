import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { closeEscalation, raiseEscalation, respondToEscalation } from '../../commands/escalation';
import { Escalation } from '../../entities';
import { Organisation } from '../../entities/enums';

@InputType({ description: 'An issue escalated to a body.' })
class EscalationInput {
  @Field({ description: 'Who raised it (role or name).' })
  raisedBy!: string;

  @Field(() => Organisation, { description: 'The organisation that raised it.' })
  raisedByOrganisation!: Organisation;

  @Field({ description: 'The body\'s code, e.g. SPIB.' })
  bodyCode!: string;

  @Field({ description: 'The issue escalated.' })
  issue!: string;

  @Field(() => DateScalar, { description: 'When it was raised.' })
  raisedDate!: string;

  @Field(() => DateScalar, { description: 'When the body must respond by.' })
  responseDueDate!: string;

  @Field(() => ID, { nullable: true, description: 'The action it concerns, if any.' })
  actionId?: string | null;

  @Field({ description: 'Whether partner apps may see it (default false).', nullable: true })
  published?: boolean;
}

@InputType({ description: 'A body\'s response to an escalation.' })
class RespondToEscalationInput {
  @Field(() => ID, { description: 'The escalation.' })
  escalationId!: string;

  @Field({ description: 'The body\'s response.' })
  response!: string;

  @Field(() => DateScalar, { description: 'When the body responded.' })
  respondedDate!: string;
}

@InputType({ description: 'An escalation to close.' })
class CloseEscalationInput {
  @Field(() => ID, { description: 'The escalation, once its response is accepted.' })
  escalationId!: string;
}

const RespondToEscalationPayload = payloadType('respondToEscalation', 'escalation', Escalation, 'The escalation, as it stands after the write.');
const CloseEscalationPayload = payloadType('closeEscalation', 'escalation', Escalation, 'The escalation, as it stands after the write.');
const RaiseEscalationPayload = payloadType('raiseEscalation', 'escalation', Escalation, 'The escalation, as it stands after the write.');

/** Escalations to the bodies and their responses (commands/escalation.ts). */
@Resolver()
export class EscalationMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => RaiseEscalationPayload, { description: 'Escalates an issue to a body.' })
  async raiseEscalation(@Arg('input', () => EscalationInput, { description: 'What to record.' }) input: EscalationInput, @Ctx() context: SubgraphContext): Promise<{ escalation: Escalation }> {
    return { escalation: await runCommand(context.em, context, raiseEscalation, input) };
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => RespondToEscalationPayload, { description: 'Records the body\'s response to an escalation.' })
  async respondToEscalation(@Arg('input', () => RespondToEscalationInput, { description: 'The escalation and the response.' }) input: RespondToEscalationInput, @Ctx() context: SubgraphContext): Promise<{ escalation: Escalation }> {
    return { escalation: await runCommand(context.em, context, respondToEscalation, input) };
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => CloseEscalationPayload, { description: 'Closes an escalation once its response is accepted.' })
  async closeEscalation(@Arg('input', () => CloseEscalationInput, { description: 'The escalation.' }) input: CloseEscalationInput, @Ctx() context: SubgraphContext): Promise<{ escalation: Escalation }> {
    return { escalation: await runCommand(context.em, context, closeEscalation, input) };
  }
}
