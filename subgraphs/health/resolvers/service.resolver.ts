import { Arg, Authorized, Ctx, Field, InputType, Int, Query, Resolver } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { checkFirst, connectionTypes, findPage, type Connection } from '../../toolkit/connection';
import type { SubgraphContext } from '../../toolkit/context';
import { cursorCodec } from '../../toolkit/cursor';
import { HealthService, Pathway } from '../entities';

@InputType({ description: 'Which health services to list; every condition given must hold.' })
export class HealthServiceFilter {
  @Field(() => Pathway, { nullable: true, description: 'Only services on this pathway.' })
  pathway?: Pathway | null;
}

export const { Connection: HealthServiceConnection } = connectionTypes(HealthService, 'HealthService', { plural: 'health services', order: 'by pathway then name' });

const MAX_PAGE = 100;
const cursor = cursorCodec('healthServices', ['text', 'text', 'uuid']);

@Resolver(() => HealthService)
export class HealthServiceResolver {
  @Authorized(Access.HEALTH_AGGREGATES)
  @Query(() => HealthServiceConnection, { description: 'The children\'s health services the ICB commissions, by pathway then name.' })
  async healthServices(
    @Arg('filter', () => HealthServiceFilter, { nullable: true, description: 'Which services; all when left out.' }) filter: HealthServiceFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: `Page size, 1-${MAX_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<HealthService>> {
    checkFirst(first, MAX_PAGE);
    const where = filter?.pathway ? { pathway: filter.pathway } : {};
    return findPage(context.em, HealthService, where, [['pathway', 'asc'], ['name', 'asc'], ['id', 'asc']], cursor, { first, after });
  }
}
