/**
 * The cases of the history before anyone is attached to them: for each year, how
 * many plans are issued (and how many within 20 weeks), cease, and how many other
 * requests arrive. Counts are drawn exactly from calibration.ts, not by
 * probability, so scale 1 reproduces the published figures.
 */
import { addDays, daysBetween } from '../../dates';
import type { Random } from '../random';
import { ACTIVE_PLANS_JANUARY_2019, FIRST_YEAR, LATE_RANGE, LATE_RANGE_OTHER_YEARS, targetFor } from './calibration';

export type CaseKind = 'PLAN' | 'NOT_ASSESSED' | 'WITHDRAWN' | 'NOT_ISSUED' | 'PENDING_DECISION' | 'PENDING_ASSESSMENT';

/** One request for an EHC needs assessment and how it ends. */
export interface Case {
  kind: CaseKind;
  receivedDate: string;
  issueDate?: string;
  exception?: boolean;
  within?: boolean;
  ceaseDate?: string;
  year: number;
}

/** The last day of `year` the history reaches: 31 December, or today in the current year. */
function yearEnd(year: number, today: string): string {
  const end = `${year}-12-31`;
  return end < today ? end : today;
}

/** Fraction of the year elapsed by today (1 for past years). */
function yearFraction(year: number, today: string): number {
  const end = yearEnd(year, today);
  if (end < `${year}-01-01`) return 0;
  return (daysBetween(`${year}-01-01`, end) + 1) / (daysBetween(`${year}-01-01`, `${year}-12-31`) + 1);
}

function dateIn(rng: Random, from: string, to: string): string {
  return addDays(from, rng.int(0, Math.max(0, daysBetween(from, to))));
}

/** Every case from before 2019 through today at scale `s`, in the order drawn (sort before use). */
export function drawCases(rng: Random, s: number, today: string): Case[] {
  const count = (n: number) => Math.round(n * s);
  const lastYear = Number(today.slice(0, 4));
  const cases: Case[] = [];

  // Plans active in January 2019, issued over the years before.
  for (let i = 0; i < count(ACTIVE_PLANS_JANUARY_2019); i++) {
    const issueDate = dateIn(rng, rng.chance(0.6) ? '2016-01-01' : '2012-06-01', '2018-12-31');
    const within = rng.chance(0.8);
    const duration = within ? rng.int(84, 140) : rng.int(141, 240);
    cases.push({ kind: 'PLAN', receivedDate: addDays(issueDate, -duration), issueDate, within, exception: false, year: Number(issueDate.slice(0, 4)) });
  }

  // Plans issued each year: exactly the published count, the published share within 20 weeks.
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    const t = targetFor(year);
    const fraction = yearFraction(year, today);
    const plans = Math.round(t.plans * s * fraction);
    const exceptions = Math.min(plans, Math.round(t.exceptions * s * fraction));
    const within = Math.round(((plans - exceptions) * t.within20) / 100);
    const late = LATE_RANGE[year] ?? LATE_RANGE_OTHER_YEARS;
    for (let i = 0; i < plans; i++) {
      const exception = i < exceptions;
      const isWithin = exception ? rng.chance(0.3) : i < exceptions + within;
      const issueDate = dateIn(rng, `${year}-01-01`, yearEnd(year, today));
      const duration = isWithin ? rng.int(84, 140) : rng.int(late[0], late[1]);
      cases.push({ kind: 'PLAN', receivedDate: addDays(issueDate, -duration), issueDate, within: isWithin, exception, year });
    }
  }

  // Plans ceasing: an exact number a year, among plans active at the start of that year.
  const planCases = cases.filter((c) => c.kind === 'PLAN').sort((a, b) => (a.issueDate! < b.issueDate! ? -1 : 1));
  let pointer = 0;
  const active: Case[] = [];
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    while (pointer < planCases.length && planCases[pointer].issueDate! < `${year}-01-01`) active.push(planCases[pointer++]);
    const ceasing = Math.min(active.length, Math.round(targetFor(year).ceased * s * yearFraction(year, today)));
    for (let i = 0; i < ceasing; i++) {
      const k = rng.int(0, active.length - 1);
      const c = active[k];
      active[k] = active[active.length - 1];
      active.pop();
      c.ceaseDate = dateIn(rng, `${year}-01-01`, yearEnd(year, today));
    }
  }

  // Requests that did not (or not yet) lead to a plan, topping each year up to the published count.
  const planRequestsByYear = new Map<number, number>();
  for (const c of planCases) {
    const y = Number(c.receivedDate.slice(0, 4));
    planRequestsByYear.set(y, (planRequestsByYear.get(y) ?? 0) + 1);
  }
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    const target = Math.round(targetFor(year).requests * s * yearFraction(year, today));
    const filler = Math.max(0, target - (planRequestsByYear.get(year) ?? 0));
    for (let i = 0; i < filler; i++) {
      const receivedDate = dateIn(rng, `${year}-01-01`, yearEnd(year, today));
      const age = daysBetween(receivedDate, today);
      let kind: CaseKind;
      if (age < 42 && rng.chance(0.75)) kind = 'PENDING_DECISION';
      else if (age < 42) kind = rng.chance(0.8) ? 'NOT_ASSESSED' : 'WITHDRAWN';
      else if (age < 300 && rng.chance(0.85)) kind = 'PENDING_ASSESSMENT';
      else kind = rng.weighted([['NOT_ASSESSED', 60], ['NOT_ISSUED', 25], ['WITHDRAWN', 15]] as const);
      cases.push({ kind, receivedDate, year });
    }
  }
  return cases;
}

/** True for a case still open today: a plan in force, or a request awaiting a decision or an assessment. */
export function opensToday(c: Case): boolean {
  return c.kind === 'PLAN' ? !c.ceaseDate : c.kind === 'PENDING_DECISION' || c.kind === 'PENDING_ASSESSMENT';
}
