import { Arg, Authorized, Ctx, Field, ID, InputType, Query, Resolver } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { measurePolicy } from '../../toolkit/disclosure';
import { createMeasureEntity } from '../../toolkit/measures/entity';
import { Interval } from '../../toolkit/measures/periods';
import { measureSeries } from '../../toolkit/measures/series';
import { MeasureSeries } from '../../toolkit/measures/types';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import { Pathway } from '../entities';
import { healthCatalogue } from '../measures/catalogue';
import { checkServiceId } from './input';

/** The entity governance's KPIs point at by code. */
export const healthMeasure = createMeasureEntity({
  typeName: 'HealthMeasure',
  description: DESCRIPTIONS.healthMeasure,
  catalogue: healthCatalogue,
  access: Access.HEALTH_AGGREGATES,
  policy: (ctx) => measurePolicy(ctx, 'health'),
  catalogueQuery: 'healthMeasureCatalogue',
  catalogueWhat: 'the ICB\'s children\'s health measures',
});

@InputType({ description: 'Which referrals the health measures count; every condition given must hold. Each measure\'s description (HealthMeasure.description) says which of these apply to it.' })
export class HealthMeasureFilter {
  @Field(() => Pathway, { nullable: true, description: 'Only referrals on this pathway (for the measures the pathway filter applies to).' })
  pathway?: Pathway | null;

  @Field(() => ID, { nullable: true, description: 'Only this service (a HealthService id).' })
  serviceId?: string | null;
}

@Resolver()
export class HealthMeasuresResolver {
  @Authorized(Access.HEALTH_AGGREGATES)
  @Query(() => [MeasureSeries], {
    description: 'Children\'s health measures by period, all computed in one database round trip. Codes: ' + healthCatalogue.definitions.map((d) => d.code).join(', ') + '. Each measure\'s description (HealthMeasure.description) says which filters apply to it.',
  })
  async healthMeasures(
    @Arg('codes', () => [ID], { description: 'Measure codes, e.g. WAITING_COUNT.' }) codes: string[],
    @Arg('from', () => DateScalar, { description: 'A date in the first period.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'A date in the last period.' }) to: string,
    @Arg('interval', () => Interval, { defaultValue: Interval.MONTH, description: 'How the range is cut into periods.' }) interval: Interval,
    @Arg('filter', () => HealthMeasureFilter, { nullable: true, description: 'Which referrals are counted; all when left out.' }) filter: HealthMeasureFilter | null,
    @Ctx() context: SubgraphContext,
  ): Promise<MeasureSeries[]> {
    const bindings = { pathway: filter?.pathway ?? null, serviceId: checkServiceId(filter?.serviceId, 'filter.serviceId') };
    return measureSeries(context.em, healthCatalogue, { codes, from, to, interval, bindings }, measurePolicy(context, 'health'));
  }
}
