import type { EntityManager } from '@mikro-orm/postgresql';
import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { indexByKeys, type SubgraphContext } from '../../toolkit/context';
import { CaseworkMeasureRef, Kpi, PriorityAction } from '../entities';

@Resolver(() => PriorityAction)
export class PriorityActionResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [PriorityAction], { description: 'The Priority Action Plan\'s actions, by reference.' })
  async priorityActions(@Ctx() context: SubgraphContext): Promise<PriorityAction[]> {
    return (context.em as EntityManager).find(PriorityAction, {}, { orderBy: { reference: 'asc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => Kpi, { nullable: true, description: 'The KPI that shows whether the action is working.' })
  async kpi(@Root() action: PriorityAction, @Ctx() context: SubgraphContext): Promise<Kpi | null> {
    const ref = action.kpi as unknown as { id: string } | undefined;
    if (!ref) return null;
    return context.loaders
      .get<string, Kpi | null>('Kpi.byId', async (ids) => indexByKeys(ids, await (context.em as EntityManager).find(Kpi, { id: { $in: [...ids] } }), (k) => k.id))
      .load(ref.id);
  }
}

@Resolver(() => Kpi)
export class KpiResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => CaseworkMeasureRef, { nullable: true, description: 'The live council measure behind this KPI, when the council owns it. Its figures come from the casework subgraph.' })
  caseworkMeasure(@Root() kpi: Kpi): CaseworkMeasureRef | null {
    return kpi.ownerOrganisation === 'LA' ? Object.assign(new CaseworkMeasureRef(), { code: kpi.measureCode }) : null;
  }
}
