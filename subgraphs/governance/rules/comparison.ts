/**
 * Like-for-like comparators: which of DfE's published figures a KPI may be read
 * against, and in what words. Pure: the published rows and the live figures in,
 * the decision out.
 *
 * - A rate is compared with rates of the same period: DfE publishes calendar-year
 *   percentages, so England's, the region's, the neighbours' and the area's own
 *   figure for a year sit beside the area's live rate for that same year (the
 *   reconciliation), never beside a month or a quarter as if alike.
 * - A count is compared only with counts of the same area and period: the area's
 *   own published figure for the same year, reconciled with the live figure; and
 *   its year-on-year change beside England's and the region's change. Another
 *   area's count is a different population: with no population source there are
 *   no per-head rates, so no other area's count is shown.
 * - Where DfE publishes nothing comparable, the note says so.
 */

export type Unit = 'PERCENT' | 'COUNT';

/** What DfE publishes for a measure code: its unit and the period each figure covers. */
export interface PublishedMeasure {
  unit: Unit;
  /** CALENDAR_YEAR: a flow or rate over January-December; JANUARY: a count of plans on the January census day. */
  period: 'CALENDAR_YEAR' | 'JANUARY';
}

/** The live measures DfE also publishes, by code (the codes casework computes). */
export const PUBLISHED_MEASURES: Readonly<Record<string, PublishedMeasure>> = {
  EHC_20WK_EXCL: { unit: 'PERCENT', period: 'CALENDAR_YEAR' },
  EHC_20WK_INCL: { unit: 'PERCENT', period: 'CALENDAR_YEAR' },
  EHCNA_DECISION_6WK: { unit: 'PERCENT', period: 'CALENDAR_YEAR' },
  AR_DECISION_4WK: { unit: 'PERCENT', period: 'CALENDAR_YEAR' },
  EHCNA_REQUESTS: { unit: 'COUNT', period: 'CALENDAR_YEAR' },
  PLANS_ACTIVE: { unit: 'COUNT', period: 'JANUARY' },
};

/** A published figure, as much of it as the rules read. */
export interface Figure {
  year: number;
  geographicLevel: 'NATIONAL' | 'REGIONAL' | 'LOCAL_AUTHORITY';
  areaCode: string;
  oldLaCode?: string | null;
  areaName: string;
  value?: number | null;
  marker?: string | null;
}

export interface Area {
  name: string;
  areaCode: string;
  oldLaCode: string;
  regionCode: string;
  regionName: string;
}

export interface ComparisonInput<F extends Figure> {
  measureCode: string;
  home: Area;
  englandCode: string;
  /** The KPI's statistical neighbours, by old LA code. */
  neighbours: readonly string[];
  /** Every published figure for the code (any area, any year). */
  rows: readonly F[];
  /** The latest year to take figures at. */
  year: number;
}

export interface YearOnYearChange {
  areaCode: string;
  areaName: string;
  geographicLevel: Figure['geographicLevel'];
  fromYear: number;
  toYear: number;
  from: number;
  to: number;
  change: number;
  /** The change as a percentage of the earlier figure, to one decimal place; null when it was 0. */
  percentChange: number | null;
}

export interface Comparison<F extends Figure> {
  /** The figures a reader may put beside the KPI. */
  comparators: F[];
  /** For a count: the area's, England's and the region's change between the latest two published years. */
  yearOnYearChanges: YearOnYearChange[];
  note: string;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const latestAt = <F extends Figure>(rows: readonly F[], year: number): F | null =>
  rows.reduce<F | null>((best, r) => (r.year <= year && (!best || r.year > best.year) ? r : best), null);

/** How DfE's period reads: "the calendar year 2024" or "January 2025". */
export function periodWords(measure: PublishedMeasure, year: number): string {
  return measure.period === 'JANUARY' ? `January ${year}` : `the calendar year ${year}`;
}

/** The change between a figure and the one the year before, when DfE gives both as numbers. */
export function yearOnYear<F extends Figure>(rows: readonly F[], toYear: number): YearOnYearChange | null {
  const to = rows.find((r) => r.year === toYear);
  const from = rows.find((r) => r.year === toYear - 1);
  if (to?.value == null || from?.value == null) return null;
  const change = to.value - from.value;
  return {
    areaCode: to.areaCode, areaName: to.areaName, geographicLevel: to.geographicLevel, fromYear: from.year, toYear, from: from.value, to: to.value,
    change, percentChange: from.value === 0 ? null : round1((change / from.value) * 100),
  };
}

export function compare<F extends Figure>(input: ComparisonInput<F>): Comparison<F> {
  const measure = PUBLISHED_MEASURES[input.measureCode];
  if (!measure) return { comparators: [], yearOnYearChanges: [], note: 'DfE publishes no figure for this measure, so there is no published comparator.' };
  const of = (match: (r: F) => boolean) => input.rows.filter(match);
  const home = of((r) => r.areaCode === input.home.areaCode);
  const england = of((r) => r.areaCode === input.englandCode);
  const region = of((r) => r.areaCode === input.home.regionCode);
  const homeLatest = latestAt(home, input.year);
  const anyLatest = latestAt(input.rows, input.year);
  if (!anyLatest) return { comparators: [], yearOnYearChanges: [], note: `No DfE figure for this measure up to ${input.year} has been imported.` };
  const year = homeLatest?.year ?? anyLatest.year;
  const when = periodWords(measure, year);

  if (measure.unit === 'PERCENT') {
    const comparators = [england, region, home, ...input.neighbours.map((n) => of((r) => r.oldLaCode === n))]
      .map((rows) => rows.find((r) => r.year === year))
      .filter((r): r is F => Boolean(r));
    return {
      comparators,
      yearOnYearChanges: [],
      note: `Rates beside rates for the same period: DfE's percentages are for ${when}, to read against ${input.home.name}'s own rate for ${when} (the reconciliation), not against a single month or quarter.`,
    };
  }

  const changes = [home, england, region].map((rows) => yearOnYear(rows, year)).filter((c): c is YearOnYearChange => c !== null);
  const own = home.find((r) => r.year === year);
  const shown = own ? [own] : [];
  const ownWords = own?.value != null ? `${input.home.name}'s own published figure for ${when} (${own.value.toLocaleString('en-GB')})` : `${input.home.name}'s own figure for ${when} (not published: ${own?.marker ?? 'no row'})`;
  return {
    comparators: shown,
    yearOnYearChanges: changes,
    note: `A count is compared only with counts of the same area and period: ${ownWords}, reconciled with the live figure, and its change from the year before beside England's and ${input.home.regionName}'s. Other areas' counts are of other populations and are not shown; with no population source there are no per-head rates.`,
  };
}

// ---- reconciliation: the live figure for DfE's period beside DfE's own ----

export interface LivePoint {
  periodStart: string;
  periodEnd: string;
  value: number | null;
  suppressed: boolean;
}

/** The live series a reconciliation needs: calendar years, or months to find January in. */
export function reconciliationRequest(measureCode: string): { code: string; interval: 'YEAR' | 'MONTH'; periods: number } | null {
  const m = PUBLISHED_MEASURES[measureCode];
  if (!m) return null;
  return m.period === 'JANUARY' ? { code: measureCode, interval: 'MONTH', periods: 24 } : { code: measureCode, interval: 'YEAR', periods: 3 };
}

export interface Reconciliation {
  year: number;
  /** "the calendar year 2024", "January 2025". */
  period: string;
  published: number | null;
  live: number | null;
  /** live - published; null when either is missing. */
  difference: number | null;
  note: string;
}

/**
 * The area's live figure for the latest period DfE has published for it, beside
 * DfE's. A count on the January census is read from the live count at the end of
 * January (the census falls in the third week; the month-end count is the nearest
 * the live measure gives).
 */
export function reconcile<F extends Figure>(measureCode: string, home: Area, rows: readonly F[], live: readonly LivePoint[], year: number): Reconciliation | null {
  const m = PUBLISHED_MEASURES[measureCode];
  if (!m) return null;
  const starts = (y: number) => `${y}-01-01`;
  const ours = rows.filter((r) => r.areaCode === home.areaCode && r.year <= year).sort((a, b) => b.year - a.year);
  // The latest published year the live series also covers.
  const pair = ours.map((r) => ({ r, p: live.find((p) => p.periodStart === starts(r.year)) })).find((x) => x.p) ?? (ours[0] ? { r: ours[0], p: undefined } : null);
  if (!pair) return null;
  const { r, p } = pair;
  const period = periodWords(m, r.year);
  const published = r.value ?? null;
  const value = p && !p.suppressed ? p.value : null;
  const unit = (v: number) => (m.unit === 'PERCENT' ? `${round1(v)}%` : v.toLocaleString('en-GB'));
  const gap = (d: number) => (m.unit === 'PERCENT' ? `${round1(Math.abs(d))} percentage points` : Math.abs(d).toLocaleString('en-GB'));
  let note: string;
  if (published === null) note = `DfE did not publish ${home.name}'s figure for ${period} (${r.marker ?? 'no figure'}).`;
  else if (!p) note = `The live figures do not reach back to ${period}, so DfE's ${unit(published)} cannot be reconciled.`;
  else if (value === null) note = `The live figure for ${period} is ${p.suppressed ? 'withheld to protect small numbers' : 'not available'}; DfE published ${unit(published)}.`;
  else {
    const d = value - published;
    note = d === 0 ? `The live figure for ${period} agrees with DfE's: ${unit(value)}.` : `The live figure for ${period} is ${unit(value)} against DfE's ${unit(published)}: ${gap(d)} ${d > 0 ? 'more' : 'fewer'}${m.unit === 'PERCENT' ? '' : published ? ` (${round1((d / published) * 100)}%)` : ''}.`;
  }
  return { year: r.year, period, published, live: value, difference: published !== null && value !== null ? round1(value - published) : null, note };
}
