import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, addMonths } from '../../toolkit/dates';
import { Interval, periodStartOf } from '../../toolkit/measures/periods';
import { forecastPipeline, type Forecast, type Period } from '../rules/forecast';
import { dueSoon, pipelineFacts, type DueSoon, type PipelineFilter } from './pipeline';

/** The quarter or year still running after asOf: the one the next day falls in (at a quarter's end, the next quarter). */
export function periodAfter(asOf: string, interval: Interval.QUARTER | Interval.YEAR): Period {
  const startDate = periodStartOf(addDays(asOf, 1), interval);
  return { startDate, endDate: addDays(addMonths(startDate, interval === Interval.QUARTER ? 3 : 12), -1) };
}

export interface PipelineForecast extends Forecast, DueSoon {
  asOf: string;
  awaitingDecision: number;
  beingAssessed: number;
}

/** The whole pipeline forecast as at the end of asOf: aggregates in SQL, the projection in rules/forecast.ts. */
export async function pipelineForecast(em: EntityManager, asOf: string, filter: PipelineFilter): Promise<PipelineForecast> {
  const quarter = periodAfter(asOf, Interval.QUARTER);
  const year = periodAfter(asOf, Interval.YEAR);
  const [facts, due] = await Promise.all([pipelineFacts(em, asOf, [quarter, year], filter), dueSoon(em.fork() as EntityManager, asOf, filter)]);
  const forecast = forecastPipeline({
    asOf,
    open: facts.open,
    central: facts.tables[0],
    recent: facts.tables,
    arrivalsPerDay: facts.arrivalsPerDay,
    quarter: { ...quarter, issued: facts.issued[0] },
    year: { ...year, issued: facts.issued[1] },
  });
  return { asOf, awaitingDecision: facts.awaitingDecision, beingAssessed: facts.beingAssessed, ...forecast, ...due };
}
