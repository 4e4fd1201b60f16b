import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { HealthService, Pathway } from '../entities';

@Resolver(() => HealthService)
export class HealthServiceResolver {
  @Authorized(Access.HEALTH_AGGREGATES)
  @Query(() => [HealthService], { description: 'The children\'s health services the ICB commissions, by pathway then name.' })
  async healthServices(@Arg('pathway', () => Pathway, { nullable: true }) pathway: Pathway | null, @Ctx() context: SubgraphContext): Promise<HealthService[]> {
    return context.em.find(HealthService, pathway ? { pathway } : {}, { orderBy: { pathway: 'asc', name: 'asc' } });
  }
}
