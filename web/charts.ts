/**
 * Charts drawn on the server with Observable Plot into SVG (a DOM from linkedom,
 * no browser script): a KPI's series against its trajectory. Plot's inline
 * <style> and style attributes are taken out, so the strict Content-Security-
 * Policy holds; app.css styles the marks instead. Every chart goes on a page
 * with a text summary and a table of the same figures.
 */

export interface SeriesPoint {
  periodEnd: string;
  value: number | null;
}

/** The little of the DOM used here (linkedom's, without the DOM library's types). */
interface SvgNode {
  outerHTML: string;
  querySelectorAll(selector: string): SvgNode[];
  remove(): void;
  removeAttribute(name: string): void;
  setAttribute(name: string, value: string): void;
}

type PlotModule = typeof import('@observablehq/plot');
let plotModule: Promise<PlotModule> | null = null;
let domModule: Promise<typeof import('linkedom')> | null = null;
// Plot is published as an ES module only (and linkedom's CommonJS build needs one): loaded once with a real import().
const loadPlot = () => (plotModule ??= import('@observablehq/plot'));
const loadDom = () => (domModule ??= import('linkedom'));

const date = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);

/** An SVG of the series (solid line, dots) and the trajectory (dashed line); withheld periods are gaps. */
export async function seriesChart(series: readonly SeriesPoint[], trajectory: readonly SeriesPoint[], options: { width?: number; height?: number; label: string; unit?: string }): Promise<string> {
  const Plot = await loadPlot();
  const { parseHTML } = await loadDom();
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  const values = series.filter((p) => p.value !== null);
  const width = options.width ?? 320;
  const height = options.height ?? 140;
  const svg = Plot.plot({
    document: document as never,
    width,
    height,
    marginLeft: 40,
    marginRight: 10,
    style: { background: 'white' },
    x: { type: 'utc', label: null, ticks: width < 400 ? 3 : 6 },
    y: { label: options.unit ?? null, grid: true, nice: true, zero: false, ticks: 4 },
    ariaLabel: options.label,
    marks: [
      Plot.lineY(trajectory.filter((p) => p.value !== null), { x: (p: SeriesPoint) => date(p.periodEnd), y: 'value', className: 'app-chart__trajectory', stroke: '#505a5f', strokeDasharray: '4 3', strokeWidth: 2 }),
      Plot.lineY(series, { x: (p: SeriesPoint) => date(p.periodEnd), y: 'value', className: 'app-chart__series', stroke: '#1d70b8', strokeWidth: 2.5 }),
      Plot.dot(values, { x: (p: SeriesPoint) => date(p.periodEnd), y: 'value', fill: '#1d70b8', r: 2.5 }),
    ],
  }) as unknown as SvgNode;
  // A null value leaves a gap in the line: a withheld month is not drawn as if it were known.
  for (const style of svg.querySelectorAll('style')) style.remove();
  for (const el of [svg, ...svg.querySelectorAll('[style]')]) el.removeAttribute('style');
  // The chart is one image with one name; Plot's labels on its parts would be ARIA on role-less elements.
  for (const el of svg.querySelectorAll('[aria-label],[aria-description]')) {
    el.removeAttribute('aria-label');
    el.removeAttribute('aria-description');
  }
  svg.setAttribute('aria-label', options.label);
  svg.setAttribute('role', 'img');
  svg.setAttribute('focusable', 'false');
  return svg.outerHTML;
}
