import { Authorized, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { GeographicLevel } from './enums';

export enum IndicatorTopic {
  ACTIVITY = 'ACTIVITY',
  PLACEMENT_TYPE = 'PLACEMENT_TYPE',
  NEW_PLAN_PLACEMENT_TYPE = 'NEW_PLAN_PLACEMENT_TYPE',
  PRIMARY_NEED = 'PRIMARY_NEED',
  CEASED_REASON = 'CEASED_REASON',
  MEDIATION = 'MEDIATION',
  TRIBUNAL = 'TRIBUNAL',
}
registerEnumType(IndicatorTopic, {
  name: 'IndicatorTopic',
  description: 'What a published indicator breaks down: figures DfE publishes that no live measure computes.',
  valuesConfig: {
    ACTIVITY: { description: 'Totals with no live measure: new plans, assessments, ceased plans, and the shares of requests assessed and assessments ending in a plan.' },
    PLACEMENT_TYPE: { description: 'Active plans in January by type of setting attended (caseload.csv).' },
    NEW_PLAN_PLACEMENT_TYPE: { description: 'New plans in the calendar year by type of setting attended (newplans.csv).' },
    PRIMARY_NEED: { description: 'Active plans in January by primary type of need (sen_needs_all_plans.csv).' },
    CEASED_REASON: { description: 'Plans ceased in the calendar year by the reason they ceased (ceased_plans.csv).' },
    MEDIATION: { description: 'Mediations about requests and assessments in the calendar year.' },
    TRIBUNAL: { description: 'Tribunals about requests and assessments in the calendar year.' },
  },
});

export enum IndicatorUnit {
  COUNT = 'COUNT',
  PERCENT = 'PERCENT',
}
registerEnumType(IndicatorUnit, { name: 'IndicatorUnit', description: 'Whether a published figure is a count or a percentage.', valuesConfig: { COUNT: { description: 'A count.' }, PERCENT: { description: 'A percentage, 0-100.' } } });

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'One of DfE\'s published figures with no live measure: a breakdown (placement type, primary need, ceased reason, mediation, tribunal) for an area and year.' })
export class PublishedIndicator {
  @Field(() => ID, { description: 'Identifier of the published figure.' })
  id!: string;

  @Field(() => ID, { description: 'The indicator\'s code, e.g. PLANS_NEED_ASD.' })
  code!: string;

  @Field(() => IndicatorTopic, { description: 'What it breaks down.' })
  topic!: IndicatorTopic;

  @Field({ description: 'What it counts, in DfE\'s words.' })
  label!: string;

  @Field(() => IndicatorUnit, { description: 'A count or a percentage.' })
  unit!: IndicatorUnit;

  @Field(() => Int, { description: 'The year: the calendar year for flows; the January of the count for plans held (2025 for 2024/25).' })
  year!: number;

  @Field({ description: 'The period as DfE writes it, e.g. 2024 or 202425.' })
  timePeriod!: string;

  @Field(() => GeographicLevel, { description: 'NATIONAL, REGIONAL or LOCAL_AUTHORITY.' })
  geographicLevel!: GeographicLevel;

  @Field({ description: 'The area\'s ONS code.' })
  areaCode!: string;

  @Field(() => String, { nullable: true, description: 'The old three-digit local authority code, e.g. 891.' })
  oldLaCode!: string | null;

  @Field({ description: 'The area\'s name.' })
  areaName!: string;

  @Field(() => Float, { nullable: true, description: 'The published figure; null when DfE gives a symbol instead (see marker).' })
  value!: number | null;

  @Field(() => Float, { nullable: true, description: 'For a count that is part of a whole (plans by need, by placement, ceased by reason, mediations per request): the whole.' })
  total!: number | null;

  @Field(() => Float, { nullable: true, description: 'value as a percentage of total, to one decimal place: the figure to compare across areas of different sizes.' })
  percentOfTotal!: number | null;

  @Field(() => String, { nullable: true, description: 'DfE\'s symbol when there is no figure: x not available, c suppressed, z not applicable.' })
  marker!: string | null;

  @Field(() => Int, { nullable: true, description: 'The DfE release it came from.' })
  release!: number | null;

  @Field({ description: 'The file it came from.' })
  sourceFile!: string;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A count\'s change from one published year to the next, for one area.' })
export class YearOnYearChange {
  @Field({ description: 'The area\'s ONS code.' })
  areaCode!: string;

  @Field({ description: 'The area\'s name.' })
  areaName!: string;

  @Field(() => GeographicLevel, { description: 'NATIONAL, REGIONAL or LOCAL_AUTHORITY.' })
  geographicLevel!: GeographicLevel;

  @Field(() => Int, { description: 'The earlier year.' })
  fromYear!: number;

  @Field(() => Int, { description: 'The later year.' })
  toYear!: number;

  @Field(() => Float, { description: 'The figure in the earlier year.' })
  from!: number;

  @Field(() => Float, { description: 'The figure in the later year.' })
  to!: number;

  @Field(() => Float, { description: 'to - from.' })
  change!: number;

  @Field(() => Float, { nullable: true, description: 'The change as a percentage of the earlier figure, to one decimal place; null when the earlier figure was 0.' })
  percentChange!: number | null;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'The area\'s live figure for the period of DfE\'s latest published figure for it, beside DfE\'s: the same area, the same period, the same unit.' })
export class PublishedReconciliation {
  @Field(() => Int, { description: 'The year of DfE\'s figure.' })
  year!: number;

  @Field({ description: 'The period both figures cover, in words: "the calendar year 2024" or "January 2025".' })
  period!: string;

  @Field(() => Float, { nullable: true, description: 'DfE\'s published figure for the area; null when DfE gives a symbol instead.' })
  published!: number | null;

  @Field(() => Float, { nullable: true, description: 'The live figure for the same period; null when the live figures do not reach back to it or it is withheld.' })
  live!: number | null;

  @Field(() => Float, { nullable: true, description: 'live - published, in the measure\'s unit (percentage points for a rate).' })
  difference!: number | null;

  @Field({ description: 'The reconciliation in words.' })
  note!: string;
}
