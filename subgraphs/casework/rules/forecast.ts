/**
 * The pipeline forecast, one pure module: what today's open requests and EHC
 * needs assessments mean for the 20-week figure (EHC_20WK_EXCL) of the quarter
 * and year still running, and when each will pass 20 weeks if not issued.
 *
 * The model (the casework README states it as assumptions):
 * - A request is in the pipeline from the day it is received until it ends: a
 *   final plan issued (within 20 weeks, late, or with a reg 10(4) exception), or
 *   no plan (not assessed, not issued, withdrawn).
 * - How requests end is read from recent history as a life table by week of age
 *   (weeks since the request was received): of the requests open at the start of
 *   week k, the share ending in week k, by how they ended. Taken over the last
 *   quarter for the central projection (the last year was tried too: it lagged a
 *   changing service and did worse in the backtest), and over each of the last
 *   four quarters alone for the range.
 * - An open request of age d follows the table from its week of age on; new
 *   requests arrive at the last year's daily rate and follow it from week 0.
 * - The projection adds the expected plans to the plans already issued in the
 *   period; the range is the spread of the quarters' projections, widened by the
 *   binomial noise of the plans still to come (95%).
 */
import { addDays, daysBetween } from '../../toolkit/dates';
import { FINAL_PLAN_DAYS } from './timescales';

/** How a request left the pipeline. */
export type Ending = 'ON_TIME' | 'LATE' | 'EXCEPTION' | 'NO_PLAN';
export const ENDINGS: readonly Ending[] = ['ON_TIME', 'LATE', 'EXCEPTION', 'NO_PLAN'];

/** One week of age in a life table: requests open at its start, and how many ended in it, by ending. */
export interface LifeTableWeek {
  atRisk: number;
  ended: Record<Ending, number>;
}
/** Index = week of age (0 = the request's first seven days). */
export type LifeTable = LifeTableWeek[];

/** Per week of age, the chance of each ending given the request was open at the week's start. */
type Hazards = Array<Record<Ending, number>>;

/** Weeks of age followed; anything older is assumed not to end within a year's horizon. */
export const MAX_WEEKS = 260;
/** A week with fewer requests at risk borrows the pooled rate of every later week. */
export const MIN_AT_RISK = 10;
/** Weeks ahead that the passing-20-weeks profile covers. */
export const BREACH_WEEKS = 12;

const zero = (): Record<Ending, number> => ({ ON_TIME: 0, LATE: 0, EXCEPTION: 0, NO_PLAN: 0 });

/** Rates per week of age; thin weeks pooled with all later weeks; null when the table holds no one at all. */
export function hazardsOf(table: LifeTable): Hazards | null {
  if (!table.some((w) => w && w.atRisk > 0)) return null;
  const weeks = Math.min(MAX_WEEKS, Math.max(table.length, 1));
  const hazards: Hazards = [];
  let carried: Record<Ending, number> = zero();
  for (let k = 0; k < weeks; k++) {
    let atRisk = table[k]?.atRisk ?? 0;
    const ended = { ...(table[k]?.ended ?? zero()) };
    if (atRisk < MIN_AT_RISK) {
      atRisk = 0;
      for (const e of ENDINGS) ended[e] = 0;
      for (let j = k; j < table.length; j++) {
        atRisk += table[j]?.atRisk ?? 0;
        for (const e of ENDINGS) ended[e] += table[j]?.ended[e] ?? 0;
      }
    }
    // No one this old in the history: carry the last rates seen.
    const rates = atRisk > 0 ? (Object.fromEntries(ENDINGS.map((e) => [e, ended[e] / atRisk])) as Record<Ending, number>) : carried;
    hazards.push(rates);
    carried = rates;
  }
  // The oldest requests keep the last rates: the tail is not cut off at the table's end.
  while (hazards.length < MAX_WEEKS) hazards.push(carried);
  return hazards;
}

/** A request open on asOf at this age, or this many of them. */
export interface OpenAtAge {
  ageDays: number;
  count: number;
}

export interface Period {
  startDate: string;
  endDate: string;
}

/** Plans with no exception issued so far in a period: the EHC_20WK_EXCL numerator and denominator to date. */
export interface IssuedSoFar {
  within: number;
  total: number;
}

export interface ForecastInput {
  asOf: string;
  open: readonly OpenAtAge[];
  /** Life table over the last quarter: the central projection. */
  central: LifeTable;
  /** Life tables of each recent quarter alone: the range. */
  recent: readonly LifeTable[];
  /** New requests a day, as received over the last year. */
  arrivalsPerDay: number;
  quarter: Period & { issued: IssuedSoFar };
  year: Period & { issued: IssuedSoFar };
}

export interface PassingWeek {
  startDate: string;
  endDate: string;
  /** Open requests whose 20 weeks run out in this week if no plan is issued. */
  count: number;
  /** Of those, how many the history says will still be open then. */
  expected: number;
}

export interface Projection extends Period {
  issued: IssuedSoFar;
  /** Expected plans (no exception) still to be issued in the period, and of those within 20 weeks. */
  expectedPlans: number;
  expectedWithin: number;
  /** EHC_20WK_EXCL for the whole period as projected, with its range; null when no plan is expected at all. */
  percent: number | null;
  low: number | null;
  high: number | null;
}

export interface Forecast {
  passing: PassingWeek[];
  quarter: Projection;
  year: Projection;
}

/** Expected plans (no exception) issued in [from, to] and within 20 weeks among them, day by day. */
interface Expected {
  plans: number;
  within: number;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Adds the expected endings of `count` requests aged `ageDays` on day 0 (asOf) to
 * `byDay` (index = days after asOf), up to `horizon` days ahead. An ending in week
 * of age k is placed at its middle (day 7k + 3 of age), at least the day after asOf.
 */
function spread(hazards: Hazards, ageDays: number, count: number, startOffset: number, horizon: number, onTime: Float64Array, plans: Float64Array): void {
  let open = count;
  for (let k = Math.floor(ageDays / 7); k < MAX_WEEKS && open > 1e-9; k++) {
    const h = hazards[k];
    const offset = startOffset + Math.max(1, 7 * k + 3 - ageDays);
    if (offset > horizon) break;
    onTime[offset] += open * h.ON_TIME;
    plans[offset] += open * (h.ON_TIME + h.LATE);
    open *= 1 - (h.ON_TIME + h.LATE + h.EXCEPTION + h.NO_PLAN);
  }
}

/** Cumulative expected plans by day after asOf, from the open requests and those still to arrive. */
function expectedByDay(hazards: Hazards, input: ForecastInput, horizon: number): { onTime: Float64Array; plans: Float64Array } {
  const onTime = new Float64Array(horizon + 1);
  const plans = new Float64Array(horizon + 1);
  for (const o of input.open) spread(hazards, o.ageDays, o.count, 0, horizon, onTime, plans);
  // A new request received j days after asOf is aged 0 then: one spread shifted by j.
  if (input.arrivalsPerDay > 0) {
    const oneOn = new Float64Array(horizon + 1);
    const onePlans = new Float64Array(horizon + 1);
    spread(hazards, 0, 1, 0, horizon, oneOn, onePlans);
    for (let j = 1; j <= horizon; j++) {
      for (let d = 0; d + j <= horizon; d++) {
        onTime[d + j] += input.arrivalsPerDay * oneOn[d];
        plans[d + j] += input.arrivalsPerDay * onePlans[d];
      }
    }
  }
  for (let d = 1; d <= horizon; d++) {
    onTime[d] += onTime[d - 1];
    plans[d] += plans[d - 1];
  }
  return { onTime, plans };
}

function expectedIn(cum: { onTime: Float64Array; plans: Float64Array }, asOf: string, period: Period): Expected {
  const to = daysBetween(asOf, period.endDate);
  const from = Math.max(1, daysBetween(asOf, period.startDate));
  if (to < from) return { plans: 0, within: 0 };
  return { plans: cum.plans[to] - cum.plans[from - 1], within: cum.onTime[to] - cum.onTime[from - 1] };
}

const percentOf = (issued: IssuedSoFar, e: Expected) => {
  const den = issued.total + e.plans;
  return den > 0 ? (100 * (issued.within + e.within)) / den : null;
};

function project(period: Period & { issued: IssuedSoFar }, asOf: string, central: ReturnType<typeof expectedByDay>, spreads: ReadonlyArray<ReturnType<typeof expectedByDay>>): Projection {
  const e = expectedIn(central, asOf, period);
  const percent = percentOf(period.issued, e);
  const base = { startDate: period.startDate, endDate: period.endDate, issued: period.issued, expectedPlans: round1(e.plans), expectedWithin: round1(e.within) };
  if (percent === null) return { ...base, percent: null, low: null, high: null };
  const others = spreads.map((s) => percentOf(period.issued, expectedIn(s, asOf, period))).filter((p): p is number => p !== null);
  // The plans still to come are a draw, not a certainty: 95% binomial noise on their share.
  const den = period.issued.total + e.plans;
  const p = e.plans > 0 ? e.within / e.plans : 0;
  const noise = e.plans > 0 ? (1.96 * 100 * Math.sqrt((p * (1 - p)) / e.plans) * e.plans) / den : 0;
  const clamp = (v: number) => Math.min(100, Math.max(0, v));
  return { ...base, percent: round1(percent), low: round1(clamp(Math.min(percent, ...others) - noise)), high: round1(clamp(Math.max(percent, ...others) + noise)) };
}

/**
 * When each open request passes 20 weeks if no plan is issued (day 141 from
 * receipt falls in week w after asOf), and how many the history expects to
 * still be open then.
 */
export function passingTwentyWeeks(asOf: string, open: readonly OpenAtAge[], hazards: Hazards | null): PassingWeek[] {
  const weeks: PassingWeek[] = Array.from({ length: BREACH_WEEKS }, (_, i) => ({
    startDate: addDays(asOf, 7 * i + 1),
    endDate: addDays(asOf, 7 * i + 7),
    count: 0,
    expected: 0,
  }));
  for (const o of open) {
    const daysLeft = FINAL_PLAN_DAYS + 1 - o.ageDays;
    if (daysLeft < 1) continue;
    const w = Math.ceil(daysLeft / 7) - 1;
    if (w >= BREACH_WEEKS) continue;
    weeks[w].count += o.count;
    weeks[w].expected += o.count * (hazards ? stillOpenAfterDay140(hazards, o.ageDays) : 1);
  }
  return weeks.map((w) => ({ ...w, expected: round1(w.expected) }));
}

/** The chance a request open at this age is still open, with no plan, after day 140. */
function stillOpenAfterDay140(hazards: Hazards, ageDays: number): number {
  const lastWeek = Math.floor(FINAL_PLAN_DAYS / 7); // week 20 holds day 140 only as its first day
  let open = 1;
  for (let k = Math.floor(ageDays / 7); k < lastWeek; k++) {
    const h = hazards[k];
    open *= 1 - (h.ON_TIME + h.LATE + h.EXCEPTION + h.NO_PLAN);
  }
  // A plan issued on day 140 itself is on time.
  return open * (1 - hazards[lastWeek].ON_TIME);
}

/** The whole forecast; the projections are null-valued when the history holds no request at all. */
export function forecastPipeline(input: ForecastInput): Forecast {
  const central = hazardsOf(input.central);
  const passing = passingTwentyWeeks(input.asOf, input.open, central);
  const horizon = Math.max(daysBetween(input.asOf, input.year.endDate), daysBetween(input.asOf, input.quarter.endDate), 1);
  if (!central) {
    const none = (p: Period & { issued: IssuedSoFar }): Projection => {
      const percent = p.issued.total > 0 ? round1((100 * p.issued.within) / p.issued.total) : null;
      return { startDate: p.startDate, endDate: p.endDate, issued: p.issued, expectedPlans: 0, expectedWithin: 0, percent, low: percent, high: percent };
    };
    return { passing, quarter: none(input.quarter), year: none(input.year) };
  }
  const cum = expectedByDay(central, input, horizon);
  const spreads = input.recent
    .map((t) => hazardsOf(t))
    .filter((h): h is Hazards => h !== null)
    .map((h) => expectedByDay(h, input, horizon));
  return { passing, quarter: project(input.quarter, input.asOf, cum, spreads), year: project(input.year, input.asOf, cum, spreads) };
}
