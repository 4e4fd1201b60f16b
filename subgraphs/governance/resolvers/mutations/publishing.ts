import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { runCommand } from '../../../toolkit/write';
import { PublishableKind, setPublished } from '../../commands/publishing';

registerEnumType(PublishableKind, {
  name: 'PublishableKind',
  description: 'The governance items partner apps may be shown once published.',
  valuesConfig: {
    GOVERNANCE_BODY: { description: 'A governance body.' },
    MEETING: { description: 'A meeting of a body.' },
    PAP_AREA: { description: 'An area for priority action.' },
    PRIORITY_ACTION: { description: 'A Priority Action Plan action.' },
    KPI: { description: 'A KPI.' },
    ESCALATION: { description: 'An escalation.' },
    REVIEW: { description: 'A stocktake or deep dive.' },
    FAMILY_FEEDBACK: { description: 'A piece of family voice.' },
  },
});

@InputType({ description: 'An item to publish to partner apps, or withdraw.' })
class SetPublishedInput {
  @Field(() => PublishableKind, { description: 'What kind of item it is.' })
  kind!: PublishableKind;

  @Field(() => ID, { description: 'The item\'s id.' })
  id!: string;

  @Field({ description: 'True to publish, false to withdraw.' })
  published!: boolean;
}

@ObjectType({ description: 'What setPublished wrote.' })
class SetPublishedPayload {
  @Field(() => PublishableKind, { description: 'The kind of item.' })
  kind!: PublishableKind;

  @Field(() => ID, { description: 'The item\'s id.' })
  id!: string;

  @Field({ description: 'Whether partner apps may now see it.' })
  published!: boolean;
}

/** What partner apps may see (commands/publishing.ts). */
@Resolver()
export class PublishingMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => SetPublishedPayload, { description: 'Publishes an item to partner apps, or withdraws it.' })
  async setPublished(@Arg('input', () => SetPublishedInput, { description: 'The item and whether to publish it.' }) input: SetPublishedInput, @Ctx() context: SubgraphContext): Promise<SetPublishedPayload> {
    await runCommand(context.em, context, setPublished, input);
    return { kind: input.kind, id: input.id, published: input.published };
  }
}
