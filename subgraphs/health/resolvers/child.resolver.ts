import type { EntityManager } from '@mikro-orm/postgresql';
import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { groupByKeys, type SubgraphContext } from '../../toolkit/context';
import { Child, Referral } from '../entities';

@Resolver(() => Child)
export class HealthChildResolver {
  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => [Referral], { description: 'The child\'s referrals to health services, oldest first.' })
  async healthReferrals(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<Referral[]> {
    if (!child.linkKey) return [];
    return context.loaders
      .get<string, Referral[]>('Referral.byLinkKey', async (keys) => {
        const rows = await (context.em as EntityManager).find(Referral, { linkKey: { $in: [...keys] } }, { orderBy: { receivedDate: 'asc', id: 'asc' } });
        return groupByKeys(keys, rows, (r) => r.linkKey);
      })
      .load(child.linkKey);
  }
}

/** Health holds no Child rows: a reference is the link key itself. */
export function resolveChildReference(reference: Record<string, unknown>): Child {
  return Object.assign(new Child(), { linkKey: String(reference.linkKey) });
}
