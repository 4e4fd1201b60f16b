import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
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
});

@Resolver()
export class CaseworkMeasuresResolver {
  @Query(() => [MeasureSeries], { description: 'Casework measures by period. Codes: ' + caseworkCatalogue.definitions.map((d) => d.code).join(', ') + '.' })
  async caseworkMeasures(
    @Arg('codes', () => [ID]) codes: string[],
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('interval', () => Interval, { defaultValue: Interval.MONTH }) interval: Interval,
    @Arg('district', () => String, { nullable: true }) district: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<MeasureSeries[]> {
    return measureSeries(context.em as EntityManager, caseworkCatalogue, { codes, from, to, interval, bindings: { district } });
  }
}
