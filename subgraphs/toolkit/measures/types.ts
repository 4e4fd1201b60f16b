import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../date-scalar';
import { Interval } from './periods';

registerEnumType(Interval, {
  name: 'Interval',
  description: 'How a series is cut into periods: calendar MONTH, QUARTER or YEAR, or FINANCIAL_YEAR (1 April to 31 March).',
  valuesConfig: { MONTH: { description: 'Calendar months.' }, QUARTER: { description: 'Calendar quarters (January to March, ...).' }, YEAR: { description: 'Calendar years.' }, FINANCIAL_YEAR: { description: 'Financial years, 1 April to 31 March.' } },
});

/** One period of one measure. Shared in shape by every subgraph that publishes measures. */
@ObjectType({ description: 'A measure over one period. `value` is null when it cannot be shown: no data, or withheld to protect small numbers.' })
@Directive('@shareable')
export class MeasurePoint {
  @Field(() => DateScalar, { description: 'First day of the period.' })
  periodStart!: string;

  @Field(() => DateScalar, { description: 'Last day of the period, inclusive.' })
  periodEnd!: string;

  @Field(() => Float, { nullable: true, description: 'Numerator (the count, for a count measure); null when withheld.' })
  numerator!: number | null;

  @Field(() => Float, { nullable: true, description: 'Denominator of a rate or mean; null for a count or when withheld.' })
  denominator!: number | null;

  @Field(() => Float, { nullable: true, description: 'The figure: a count, a percentage (0-100), or a mean.' })
  value!: number | null;

  @Field({ description: 'True when the figure was withheld because it rests on small numbers (1-7).' })
  suppressed!: boolean;
}

@ObjectType({ description: 'A measure over a run of periods.' })
@Directive('@shareable')
export class MeasureSeries {
  @Field(() => ID, { description: 'The measure code, e.g. EHC_20WK_EXCL.' })
  code!: string;

  @Field({ description: 'What the measure is, in words.' })
  name!: string;

  @Field({ description: 'COUNT, PERCENT, WEEKS or SCORE.' })
  unit!: string;

  @Field(() => [MeasurePoint], { description: 'The periods, oldest first.' })
  points!: MeasurePoint[];
}
