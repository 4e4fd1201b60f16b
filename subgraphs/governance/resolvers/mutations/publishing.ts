import { Arg, Authorized, Ctx, ID, Mutation, Resolver, registerEnumType } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { runCommand } from '../../../toolkit/write';
import { PublishableKind, setPublished } from '../../commands/publishing';

registerEnumType(PublishableKind, { name: 'PublishableKind', description: 'The governance items partner apps may be shown once published.' });

/** What partner apps may see (commands/publishing.ts). */
@Resolver()
export class PublishingMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Boolean, { description: 'Publishes an item to partner apps, or withdraws it.' })
  setPublished(@Arg('kind', () => PublishableKind) kind: PublishableKind, @Arg('id', () => ID) id: string, @Arg('published') published: boolean, @Ctx() context: SubgraphContext): Promise<boolean> {
    return runCommand(context.em, context, setPublished, { kind, id, published });
  }
}
