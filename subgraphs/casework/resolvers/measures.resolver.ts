import { Arg, Authorized, Ctx, Field, ID, InputType, Query, Resolver } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { measurePolicy } from '../../toolkit/disclosure';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import { createMeasureEntity } from '../../toolkit/measures/entity';
import { Interval } from '../../toolkit/measures/periods';
import { measureSeries } from '../../toolkit/measures/series';
import { MeasureSeries } from '../../toolkit/measures/types';
import { SenType } from '../entities/enums';
import { caseworkCatalogue } from '../measures/catalogue';

export const caseworkMeasure = createMeasureEntity({
  typeName: 'CaseworkMeasure',
  description: DESCRIPTIONS.caseworkMeasure,
  catalogue: caseworkCatalogue,
  access: Access.CASEWORK_AGGREGATES,
  policy: (context) => measurePolicy(context, 'casework'),
  catalogueQuery: 'caseworkMeasureCatalogue',
  catalogueWhat: 'the council\'s casework measures',
});

@InputType({ description: 'Which children the casework measures count; every condition given must hold.' })
export class CaseworkMeasureFilter {
  @Field(() => String, { nullable: true, description: 'Only children living in this district.' })
  district?: string | null;

  @Field(() => SenType, { nullable: true, description: 'Only children whose primary need (rank-1 need of their latest plan) is this.' })
  primaryNeed?: SenType | null;
}

@Resolver()
export class CaseworkMeasuresResolver {
  @Authorized(Access.CASEWORK_AGGREGATES)
  @Query(() => [MeasureSeries], {
    description:
      'Casework measures by period, every code in one database round trip. Codes: ' +
      caseworkCatalogue.definitions.map((d) => `${d.code} (${d.description})`).join(' '),
  })
  async caseworkMeasures(
    @Arg('codes', () => [ID], { description: 'Measure codes, e.g. EHC_20WK_EXCL.' }) codes: string[],
    @Arg('from', () => DateScalar, { description: 'A date in the first period.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'A date in the last period.' }) to: string,
    @Arg('interval', () => Interval, { defaultValue: Interval.MONTH, description: 'How the range is cut into periods.' }) interval: Interval,
    @Arg('filter', () => CaseworkMeasureFilter, { nullable: true, description: 'Which children are counted; all when left out.' }) filter: CaseworkMeasureFilter | null,
    @Ctx() context: SubgraphContext,
  ): Promise<MeasureSeries[]> {
    return measureSeries(
      context.em,
      caseworkCatalogue,
      { codes, from, to, interval, bindings: { district: filter?.district ?? null, primary_need: filter?.primaryNeed ?? null } },
      measurePolicy(context, 'casework'),
    );
  }
}
