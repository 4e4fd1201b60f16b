/** How a KPI's figures are put in front of a person: series, comparators, words for what is withheld. */
import { seriesChart, type SeriesPoint } from '../charts';
import { figure, longDate, WITHHELD } from '../views';

export interface MeasurePointIn {
  periodStart?: string;
  periodEnd: string;
  value: number | null;
  suppressed: boolean;
}

export interface ComparatorIn {
  year: number;
  geographicLevel: 'NATIONAL' | 'REGIONAL' | 'LOCAL_AUTHORITY';
  areaName: string;
  value: number | null;
  marker?: string | null;
  timePeriod?: string;
}

export interface ComparatorRow {
  label: string;
  value: string;
  year: string;
}

/** England, the region and the statistical neighbours' average, each at its latest published year. */
export function comparatorRows(comparators: readonly ComparatorIn[], neighbours: readonly string[], unit: string): ComparatorRow[] {
  const latest = (rows: ComparatorIn[]) => {
    const year = Math.max(...rows.map((r) => r.year));
    return { year, rows: rows.filter((r) => r.year === year) };
  };
  const out: ComparatorRow[] = [];
  const england = comparators.filter((c) => c.geographicLevel === 'NATIONAL');
  if (england.length) {
    const { year, rows } = latest(england);
    out.push({ label: 'England', value: rows[0].value === null ? 'Not published' : figure(rows[0].value, unit), year: String(year) });
  }
  const region = comparators.filter((c) => c.geographicLevel === 'REGIONAL');
  if (region.length) {
    const { year, rows } = latest(region);
    out.push({ label: rows[0].areaName, value: rows[0].value === null ? 'Not published' : figure(rows[0].value, unit), year: String(year) });
  }
  const near = comparators.filter((c) => c.geographicLevel === 'LOCAL_AUTHORITY' && neighbours.includes(c.areaName) && c.value !== null);
  if (near.length) {
    const { year, rows } = latest(near);
    const mean = rows.reduce((s, r) => s + (r.value ?? 0), 0) / rows.length;
    out.push({ label: `Statistical neighbours (average of ${rows.length})`, value: figure(mean, unit), year: String(year) });
  }
  return out;
}

export function shownValue(value: number | null, suppressed: boolean, unit: string): string {
  if (suppressed) return WITHHELD;
  if (value === null) return 'No figure for this period';
  return figure(value, unit);
}

/** The chart, its text summary and its table rows. */
export async function seriesFigure(name: string, points: readonly MeasurePointIn[], trajectory: readonly SeriesPoint[], unit: string, size: { width: number; height: number }) {
  const shown = points.map((p) => ({ periodEnd: p.periodEnd, value: p.suppressed ? null : p.value }));
  const within = points.length ? trajectory.filter((t) => t.periodEnd >= points[0].periodEnd && t.periodEnd <= points[points.length - 1].periodEnd) : [];
  const svg = points.length ? await seriesChart(shown, within, { ...size, label: `${name}: chart of the series against its trajectory`, unit: unit === 'PERCENT' ? '%' : unit === 'WEEKS' ? 'weeks' : undefined }) : '';
  const target = new Map(trajectory.map((t) => [t.periodEnd, t.value]));
  const rows = points.map((p) => ({ period: longDate(p.periodEnd), value: shownValue(p.value, p.suppressed, unit), trajectory: target.has(p.periodEnd) ? figure(target.get(p.periodEnd)!, unit) : '' }));
  const valued = points.filter((p) => !p.suppressed && p.value !== null);
  const withheld = points.filter((p) => p.suppressed).length;
  let summary = 'No figures for this period.';
  if (points.length) {
    const first = valued[0];
    const last = valued[valued.length - 1];
    summary = last
      ? `From ${longDate(points[0].periodEnd)} to ${longDate(points[points.length - 1].periodEnd)}: ${figure(first.value, unit)} at ${longDate(first.periodEnd)}, ${figure(last.value, unit)} at ${longDate(last.periodEnd)}.`
      : `From ${longDate(points[0].periodEnd)} to ${longDate(points[points.length - 1].periodEnd)}: no figure can be shown.`;
    if (withheld) summary += ` ${withheld} ${withheld === 1 ? 'period is' : 'periods are'} withheld (${WITHHELD}).`;
  }
  return { svg, rows, summary };
}
