import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { groupByKeys, indexByKeys, type SubgraphContext } from '../../toolkit/context';
import { Child, EhcPlan } from '../entities';

/** One query for every Child asked for by id in this request. */
export function childrenById(context: SubgraphContext) {
  return context.loaders.get<string, Child | null>('Child.byId', async (ids) => {
    const rows = await (context.em as EntityManager).find(Child, { id: { $in: [...ids] } });
    return indexByKeys(ids, rows, (c) => c.id);
  });
}

/** One query for every Child asked for by link key in this request. */
export function childrenByLinkKey(context: SubgraphContext) {
  return context.loaders.get<string, Child | null>('Child.byLinkKey', async (keys) => {
    const rows = await (context.em as EntityManager).find(Child, { linkKey: { $in: [...keys] } });
    return indexByKeys(keys, rows, (c) => c.linkKey ?? '');
  });
}

@Resolver(() => Child)
export class ChildResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @Query(() => Child, { nullable: true, description: 'One child by id.' })
  async child(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Child | null> {
    return childrenById(context).load(id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @Query(() => [Child], { description: 'Children, in surname order.' })
  async children(@Arg('first', () => Int, { defaultValue: 20 }) first: number, @Ctx() context: SubgraphContext): Promise<Child[]> {
    return (context.em as EntityManager).find(Child, {}, { orderBy: { surname: 'asc', forename: 'asc', id: 'asc' }, limit: Math.min(Math.max(first, 0), 100) });
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => [EhcPlan], { description: 'EHC plans issued for this child, oldest first.' })
  async ehcPlans(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<EhcPlan[]> {
    return context.loaders
      .get<string, EhcPlan[]>('EhcPlan.byChild', async (childIds) => {
        const rows = await (context.em as EntityManager).find(EhcPlan, { child: { $in: [...childIds] } }, { orderBy: { issueDate: 'asc' } });
        return groupByKeys(childIds, rows, (p) => (p.child as unknown as { id: string }).id);
      })
      .load(child.id);
  }
}

export async function resolveChildReference(reference: Record<string, unknown>, context: SubgraphContext): Promise<Child | null> {
  if (typeof reference.id === 'string') return childrenById(context).load(reference.id);
  if (typeof reference.linkKey === 'string') return childrenByLinkKey(context).load(reference.linkKey);
  return null;
}
