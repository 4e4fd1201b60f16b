import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { createPriorityAction, linkKpiToAction } from '../../commands/priority-action';
import { PriorityAction } from '../../entities';
import { Organisation } from '../../entities/enums';

@InputType({ description: 'A new Priority Action Plan action.' })
class PriorityActionInput {
  @Field({ description: 'The area\'s reference, e.g. APA-1.' })
  areaReference!: string;

  @Field({ description: 'Short unique reference, e.g. PAP-1.4.' })
  reference!: string;

  @Field({ description: 'Title.' })
  title!: string;

  @Field(() => Organisation, { description: 'The organisation that owns the action.' })
  ownerOrganisation!: Organisation;

  @Field({ description: 'The role that leads the action.' })
  leadRole!: string;

  @Field(() => DateScalar, { description: 'When work started.' })
  startDate!: string;

  @Field(() => [ID], { nullable: true, description: 'KPIs to link.' })
  kpiIds?: string[];

  @Field({ nullable: true, description: 'Whether partner apps may see it (default true).' })
  published?: boolean;
}

@InputType({ description: 'A KPI to link to an action.' })
class LinkKpiToActionInput {
  @Field(() => ID, { description: 'The action.' })
  actionId!: string;

  @Field(() => ID, { description: 'The KPI.' })
  kpiId!: string;
}

const LinkKpiToActionPayload = payloadType('linkKpiToAction', 'action', PriorityAction, 'The action, as it stands after the write.');
const CreatePriorityActionPayload = payloadType('createPriorityAction', 'action', PriorityAction, 'The action, as it stands after the write.');

/** The Priority Action Plan's actions and their KPIs (commands/priority-action.ts). */
@Resolver()
export class PriorityActionMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => CreatePriorityActionPayload, { description: 'Adds an action to the Priority Action Plan.' })
  async createPriorityAction(@Arg('input', () => PriorityActionInput, { description: 'What to record.' }) input: PriorityActionInput, @Ctx() context: SubgraphContext): Promise<{ action: PriorityAction }> {
    return { action: await runCommand(context.em, context, createPriorityAction, input) };
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => LinkKpiToActionPayload, { description: 'Links a KPI to an action (no change if already linked).' })
  async linkKpiToAction(@Arg('input', () => LinkKpiToActionInput, { description: 'The action and the KPI.' }) input: LinkKpiToActionInput, @Ctx() context: SubgraphContext): Promise<{ action: PriorityAction }> {
    return { action: await runCommand(context.em, context, linkKpiToAction, input) };
  }
}
