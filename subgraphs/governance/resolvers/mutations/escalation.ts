import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { closeEscalation, raiseEscalation, respondToEscalation } from '../../commands/escalation';
import { Escalation } from '../../entities';
import { Organisation } from '../../entities/enums';

@InputType({ description: 'An issue escalated to a body.' })
class EscalationInput {
  @Field()
  raisedBy!: string;

  @Field(() => Organisation)
  raisedByOrganisation!: Organisation;

  @Field({ description: 'The body\'s code, e.g. SPIB.' })
  bodyCode!: string;

  @Field()
  issue!: string;

  @Field(() => DateScalar)
  raisedDate!: string;

  @Field(() => DateScalar)
  responseDueDate!: string;

  @Field(() => ID, { nullable: true, description: 'The action it concerns, if any.' })
  actionId?: string | null;

  @Field({ nullable: true })
  published?: boolean;
}

/** Escalations to the bodies and their responses (commands/escalation.ts). */
@Resolver()
export class EscalationMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Escalation, { description: 'Escalates an issue to a body.' })
  raiseEscalation(@Arg('input', () => EscalationInput) input: EscalationInput, @Ctx() context: SubgraphContext): Promise<Escalation> {
    return runCommand(context.em, context, raiseEscalation, input);
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Escalation, { description: 'Records the body\'s response to an escalation.' })
  respondToEscalation(@Arg('escalationId', () => ID) escalationId: string, @Arg('response', () => String) response: string, @Arg('respondedDate', () => DateScalar) respondedDate: string, @Ctx() context: SubgraphContext): Promise<Escalation> {
    return runCommand(context.em, context, respondToEscalation, { escalationId, response, respondedDate });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Escalation, { description: 'Closes an escalation once its response is accepted.' })
  closeEscalation(@Arg('escalationId', () => ID) escalationId: string, @Ctx() context: SubgraphContext): Promise<Escalation> {
    return runCommand(context.em, context, closeEscalation, { escalationId });
  }
}
