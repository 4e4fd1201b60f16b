import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Authorized, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../../../platform/problems';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { addDays, today } from '../../toolkit/dates';
import { breakdownPolicy, countPolicy, seesUnsuppressed } from '../../toolkit/disclosure';
import { discloseFigure, isSmall } from '../../toolkit/suppression';
import { pipelineForecast, type PipelineForecast } from '../measures/forecast';
import type { Projection } from '../rules/forecast';
import { FINAL_PLAN_DAYS } from '../rules/timescales';
import { caseworkMeasure, CaseworkMeasureFilter } from './measures.resolver';

/** The measure the forecast projects; the forecast is attached to it (and so reaches its KPI). */
export const FORECAST_MEASURE = 'EHC_20WK_EXCL';

export const FORECAST_ASSUMPTIONS =
  'Requests end (a plan within 20 weeks, a late plan, a plan with an exception, or no plan) at the rates, by week since the request, seen over the last 365 days; ' +
  'new requests arrive at the last 365 days\' daily rate; the range is the spread of the projections made from each of the last four quarters alone, widened by the chance variation of the plans still to come (95%). ' +
  'See the casework README, "Pipeline forecast", for the backtest of this method.';

@ObjectType({ description: 'A count in one week of the pipeline forecast.' })
export class PipelineWeek {
  @Field(() => DateScalar, { description: 'First day of the week.' })
  startDate!: string;

  @Field(() => DateScalar, { description: 'Last day of the week.' })
  endDate!: string;

  @Field(() => Int, { nullable: true, description: 'How many; null when withheld to protect small numbers.' })
  count!: number | null;

  @Field({ description: 'True when the count was withheld (1-7, or to stop a withheld count being worked out).' })
  suppressed!: boolean;

  @Field(() => Float, { nullable: true, description: 'For requests passing 20 weeks: how many the recent history expects to be still without a plan then; null when the count is withheld or for other weeks.' })
  expected!: number | null;
}

@ObjectType({ description: 'EHC_20WK_EXCL for a quarter or year still running: the plans issued so far, and the projection for the whole period with its range.' })
export class TwentyWeekProjection {
  @Field(() => DateScalar, { description: 'First day of the period.' })
  startDate!: string;

  @Field(() => DateScalar, { description: 'Last day of the period.' })
  endDate!: string;

  @Field(() => Int, { nullable: true, description: 'New plans without a reg 10(4) exception issued in the period up to asOf; null when withheld.' })
  plansIssuedCount!: number | null;

  @Field(() => Float, { nullable: true, description: 'EHC_20WK_EXCL over the plans issued so far (0-100); null when none, or withheld.' })
  percentSoFar!: number | null;

  @Field(() => Float, { nullable: true, description: 'Plans without an exception expected to be issued in the rest of the period (an expectation, not a count); null when withheld.' })
  expectedPlans!: number | null;

  @Field(() => Float, { nullable: true, description: 'The projected EHC_20WK_EXCL for the whole period (0-100); null when no plan is issued or expected, or withheld.' })
  projectedPercent!: number | null;

  @Field(() => Float, { nullable: true, description: 'Low end of the projection\'s range.' })
  low!: number | null;

  @Field(() => Float, { nullable: true, description: 'High end of the projection\'s range.' })
  high!: number | null;

  @Field({ description: 'True when some figure here was withheld to protect small numbers.' })
  suppressed!: boolean;
}

@ObjectType({
  description: `What today's open requests and EHC needs assessments mean: when they pass 20 weeks (day ${FINAL_PLAN_DAYS + 1} from the request) if no plan is issued, the 20-week percentage projected for the quarter and year still running, and what falls due. Counts are withheld and rounded for roles without person-level rights.`,
})
export class EhcPipelineForecast {
  @Field(() => DateScalar, { description: 'The date the forecast is made at: records dated up to the end of this day.' })
  asOf!: string;

  @Field(() => Int, { nullable: true, description: 'Requests received and not ended (no plan issued, not refused or withdrawn) at asOf; null when withheld.' })
  openCount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, awaiting the decision whether to assess.' })
  awaitingDecisionCount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, decided to assess and not yet ended.' })
  beingAssessedCount!: number | null;

  @Field({ description: 'True when one of the three counts above was withheld.' })
  countsSuppressed!: boolean;

  @Field(() => [PipelineWeek], { description: 'The next 12 weeks (week 1 starts the day after asOf): open requests whose 20 weeks run out in each if no plan is issued, and how many the history expects still to be open then.' })
  passingTwentyWeeks!: PipelineWeek[];

  @Field(() => TwentyWeekProjection, { description: 'The calendar quarter the day after asOf falls in (at a quarter\'s end, the next quarter).' })
  currentQuarter!: TwentyWeekProjection;

  @Field(() => TwentyWeekProjection, { description: 'The calendar year the day after asOf falls in.' })
  currentYear!: TwentyWeekProjection;

  @Field(() => Int, { nullable: true, description: 'Requests still awaiting the decision whether to assess whose 6 weeks ended before asOf; null when withheld.' })
  decisionsOverdueCount!: number | null;

  @Field(() => [PipelineWeek], { description: 'Requests awaiting the decision whether to assess that is due (day 42) in each of the next two weeks; week 1 is asOf and the six days after.' })
  decisionsDue!: PipelineWeek[];

  @Field(() => [PipelineWeek], { description: 'Plans in force whose annual review falls due (12 months from the issue or latest meeting) in each of the next four weeks; week 1 is asOf and the six days after.' })
  reviewsDue!: PipelineWeek[];

  @Field({ description: 'The assumptions the projection rests on, in words.' })
  assumptions!: string;
}

/** Week i of `counts` runs from asOf + first + 7i for seven days. */
function weeksFrom(asOf: string, first: number, counts: number[]) {
  return counts.map((_, i) => ({ startDate: addDays(asOf, first + 7 * i), endDate: addDays(asOf, first + 7 * i + 6) }));
}

/** The forecast as this caller may see it: figures as computed with person-level rights, small-number suppression otherwise. */
export function disclosed(f: PipelineForecast, context: SubgraphContext): EhcPipelineForecast {
  const full = seesUnsuppressed(context, 'casework');
  const breakdown = breakdownPolicy(context, 'casework');
  const open = breakdown([f.awaitingDecision, f.beingAssessed], f.awaitingDecision + f.beingAssessed);
  const passing = breakdown(f.passing.map((w) => w.count));
  const decisions = breakdown([f.decisionsOverdue, ...f.decisionsDue]);
  const reviews = breakdown(f.reviewsDue);
  const count = countPolicy(context, 'casework');
  const projection = (p: Projection): TwentyWeekProjection => {
    const soFar = p.issued.total > 0 ? (100 * p.issued.within) / p.issued.total : null;
    const shown = full ? { value: soFar === null ? null : Math.round(soFar * 10) / 10, suppressed: false } : discloseFigure('PERCENT', { numerator: p.issued.within, denominator: p.issued.total, value: soFar === null ? null : Math.round(soFar * 10) / 10 });
    const issued = count(p.issued.total);
    // A projection resting on fewer than 8 plans in all could single a child out.
    const withhold = !full && isSmall(Math.round(p.issued.total + p.expectedPlans));
    return {
      startDate: p.startDate,
      endDate: p.endDate,
      plansIssuedCount: issued.value,
      percentSoFar: shown.value,
      expectedPlans: withhold ? null : p.expectedPlans,
      projectedPercent: withhold ? null : p.percent,
      low: withhold ? null : p.low,
      high: withhold ? null : p.high,
      suppressed: withhold || shown.suppressed || issued.suppressed,
    };
  };
  const weeks = (dates: Array<{ startDate: string; endDate: string }>, cells: Array<{ value: number | null; suppressed: boolean }>, expected?: number[]) =>
    dates.map((d, i) => ({ ...d, count: cells[i].value, suppressed: cells[i].suppressed, expected: expected && cells[i].value !== null ? expected[i] : null }));
  return {
    asOf: f.asOf,
    openCount: open.total!.value,
    awaitingDecisionCount: open.cells[0].value,
    beingAssessedCount: open.cells[1].value,
    countsSuppressed: open.total!.suppressed || open.cells.some((c) => c.suppressed),
    passingTwentyWeeks: weeks(f.passing, passing.cells, f.passing.map((w) => w.expected)),
    currentQuarter: projection(f.quarter),
    currentYear: projection(f.year),
    decisionsOverdueCount: decisions.cells[0].value,
    decisionsDue: weeks(weeksFrom(f.asOf, 0, f.decisionsDue), decisions.cells.slice(1)),
    reviewsDue: weeks(weeksFrom(f.asOf, 0, f.reviewsDue), reviews.cells),
    assumptions: FORECAST_ASSUMPTIONS,
  };
}

/** asOf defaults to today; a later date would only forecast from today's records under another name. */
function checkedAsOf(asOf: string | null | undefined, field: string): string {
  const now = today();
  if (!asOf) return now;
  if (asOf > now) throw badUserInput([{ field, message: `${field}: may not be after today (${now}); the forecast is made from the records as they stand.` }]);
  return asOf;
}

@Resolver()
export class PipelineForecastResolver {
  @Authorized(Access.CASEWORK_AGGREGATES)
  @Query(() => EhcPipelineForecast, {
    description: `The EHC pipeline forecast at a date: open requests and assessments passing 20 weeks in each of the next 12 weeks if not issued, the projected ${FORECAST_MEASURE} for the quarter and year still running with a range, decisions due in the next two weeks and annual reviews in the next four. Counts suppressed for roles without person-level rights.`,
  })
  async ehcPipelineForecast(
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'The date the forecast is made at; today when left out. Not after today.' }) asOf: string | null,
    @Arg('filter', () => CaseworkMeasureFilter, { nullable: true, description: 'Which children are counted; all when left out.' }) filter: CaseworkMeasureFilter | null,
    @Ctx() context: SubgraphContext,
  ): Promise<EhcPipelineForecast> {
    const date = checkedAsOf(asOf, 'asOf');
    const f = await pipelineForecast(context.em as EntityManager, date, { district: filter?.district ?? null, primaryNeed: filter?.primaryNeed ?? null });
    return disclosed(f, context);
  }
}

@Resolver(() => caseworkMeasure.MeasureEntity)
export class MeasureForecastResolver {
  @Authorized(Access.CASEWORK_AGGREGATES)
  @FieldResolver(() => EhcPipelineForecast, {
    nullable: true,
    description: `The pipeline forecast of this measure at a date, across the whole area: given for ${FORECAST_MEASURE} (the quarter and year projected from the open assessments), null for the other measures.`,
  })
  async forecast(
    @Root() measure: { code: string },
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'The date the forecast is made at; today when left out. Not after today.' }) asOf: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<EhcPipelineForecast | null> {
    if (measure.code !== FORECAST_MEASURE) return null;
    const f = await pipelineForecast(context.em as EntityManager, checkedAsOf(asOf, 'asOf'), { district: null, primaryNeed: null });
    return disclosed(f, context);
  }
}
