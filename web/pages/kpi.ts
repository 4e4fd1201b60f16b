/** A KPI's detail: `/kpis/:code?interval=MONTH|QUARTER|YEAR|FINANCIAL_YEAR&asAt=YYYY-MM-DD`. */
import type { PageContext, Route } from '../context';
import { NotFound, refusal } from '../errors';
import { figure, longDate } from '../views';
import { cardView } from './dashboard';
import { isDate, monthsBefore } from './dates';
import { comparatorRows, seriesFigure, type ComparatorIn, type MeasurePointIn } from './kpi-view';

export const INTERVALS = [
  { value: 'MONTH', text: 'Month' },
  { value: 'QUARTER', text: 'Quarter' },
  { value: 'YEAR', text: 'Calendar year' },
  { value: 'FINANCIAL_YEAR', text: 'Financial year (April to March)' },
];

const KPI_QUERY = /* GraphQL */ `
  query KpiDetail($code: ID!, $asOf: Date, $interval: Interval!, $from: Date!, $to: Date!) {
    kpis(first: 1, filter: { measureCode: $code }) {
      nodes {
        id name measureCode ownerOrganisation interval baseline baselinePeriod target targetDate direction amberTolerance statisticalNeighbours
        trajectory { periodEnd value }
        reading(asOf: $asOf) { value periodStart periodEnd suppressed available trajectoryValue target rag ragReason previousValue previousRag trend }
        caseworkMeasure { unit description series(interval: $interval, from: $from, to: $to) { periodStart periodEnd value suppressed } }
        healthMeasure { unit description series(interval: $interval, from: $from, to: $to) { periodStart periodEnd value suppressed } }
        comparators { year timePeriod geographicLevel areaName value marker }
      }
    }
  }
`;

interface KpiDetail {
  name: string;
  measureCode: string;
  ownerOrganisation: string;
  baseline: number | null;
  baselinePeriod: string | null;
  target: number | null;
  targetDate: string | null;
  direction: string;
  amberTolerance: number;
  statisticalNeighbours: string[];
  trajectory: Array<{ periodEnd: string; value: number }>;
  reading: { value: number | null; periodStart: string; periodEnd: string; suppressed: boolean; trajectoryValue: number | null; target: number | null; rag: string; ragReason: string | null; trend: string };
  caseworkMeasure: { unit: string; description: string; series: MeasurePointIn[] } | null;
  healthMeasure: { unit: string; description: string; series: MeasurePointIn[] } | null;
  comparators: ComparatorIn[];
}

async function kpiPage(ctx: PageContext): Promise<void> {
  const code = ctx.params.code;
  const interval = ctx.url.searchParams.get('interval') ?? 'MONTH';
  const asAt = ctx.url.searchParams.get('asAt') ?? '';
  const errorSummary: Array<{ text: string; href: string }> = [];
  if (!INTERVALS.some((i) => i.value === interval)) errorSummary.push({ text: 'Choose month, quarter, calendar year or financial year', href: '#interval' });
  if (asAt && !isDate(asAt)) errorSummary.push({ text: 'Date must be a real date, like 2026-03-31', href: '#asAt' });
  const asOf = asAt && isDate(asAt) ? asAt : null;
  const to = asOf ?? new Date().toISOString().slice(0, 10);
  const chosen = errorSummary.some((e) => e.href === '#interval') ? 'MONTH' : interval;
  const answer = await ctx.api<{ kpis: { nodes: KpiDetail[] } | null }>(KPI_QUERY, { code, asOf, interval: chosen, from: monthsBefore(to, chosen === 'MONTH' ? 24 : 48), to });
  const kpi = answer.data?.kpis?.nodes[0];
  if (!kpi) {
    if (answer.errors.length) return ctx.render('message.njk', refusal(answer.errors), answer.errors.some((e) => e.extensions?.code === 'FORBIDDEN') ? 403 : 502);
    throw new NotFound();
  }
  const measure = kpi.caseworkMeasure ?? kpi.healthMeasure;
  const unit = measure?.unit ?? '';
  const chart = await seriesFigure(kpi.name, measure?.series ?? [], kpi.trajectory, unit, { width: 640, height: 260 });
  const card = await cardView({ ...kpi.reading, name: kpi.name, ownerOrganisation: kpi.ownerOrganisation, kpi: { ...kpi, caseworkMeasure: null, healthMeasure: null } });
  const latestYear = kpi.comparators.length ? Math.max(...kpi.comparators.map((c) => c.year)) : null;
  ctx.render('kpi.njk', {
    title: kpi.name,
    kpi,
    card,
    unit,
    description: measure?.description ?? '',
    interval: chosen,
    intervals: INTERVALS,
    asAtInput: asAt,
    errorSummary,
    chart,
    summary: comparatorRows(kpi.comparators, kpi.statisticalNeighbours, unit),
    comparatorYear: latestYear,
    comparators: kpi.comparators
      .filter((c) => c.year === latestYear)
      .map((c) => ({ area: c.areaName, level: c.geographicLevel, neighbour: kpi.statisticalNeighbours.includes(c.areaName), value: c.value === null ? (c.marker ? `${c.marker} (not published)` : 'Not published') : figure(c.value, unit) })),
    baseline: kpi.baseline === null ? 'None' : `${figure(kpi.baseline, unit)}${kpi.baselinePeriod ? ` (${kpi.baselinePeriod})` : ''}`,
    target: kpi.target === null ? 'None set' : `${figure(kpi.target, unit)}${kpi.targetDate ? ` by ${longDate(kpi.targetDate)}` : ''}`,
    partial: answer.errors.length ? answer.errors.map((e) => e.message) : null,
  });
}

export const kpiRoutes: Route[] = [{ method: 'GET', path: /^\/kpis\/(?<code>[A-Za-z0-9_-]{1,64})$/, handle: kpiPage }];
