import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { measurePolicy } from '../../toolkit/disclosure';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import { createMeasureEntity } from '../../toolkit/measures/entity';
import { Interval } from '../../toolkit/measures/periods';
import { measureSeries } from '../../toolkit/measures/series';
import { MeasureSeries } from '../../toolkit/measures/types';
import { caseworkCatalogue } from '../measures/catalogue';

export const caseworkMeasure = createMeasureEntity({
  typeName: 'CaseworkMeasure',
  description: DESCRIPTIONS.caseworkMeasure,
  catalogue: caseworkCatalogue,
  access: Access.CASEWORK_AGGREGATES,
  policy: (context) => measurePolicy(context, 'casework'),
});

@Resolver()
export class CaseworkMeasuresResolver {
  @Authorized(Access.CASEWORK_AGGREGATES)
  @Query(() => [MeasureSeries], { description: 'Casework measures by period. Codes: ' + caseworkCatalogue.definitions.map((d) => d.code).join(', ') + '.' })
  async caseworkMeasures(
    @Arg('codes', () => [ID]) codes: string[],
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('interval', () => Interval, { defaultValue: Interval.MONTH }) interval: Interval,
    @Arg('district', () => String, { nullable: true }) district: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<MeasureSeries[]> {
    return measureSeries(context.em as EntityManager, caseworkCatalogue, { codes, from, to, interval, bindings: { district } }, measurePolicy(context, 'casework'));
  }
}
