/**
 * A measure series as a CSV in the shape DfE publishes its SEND statistics:
 * one row per period and measure, snake_case headers, the filters as columns
 * ("Total" when not narrowed, as DfE writes an unbroken-down row), and a cell
 * with no figure marked with DfE's symbols instead of left blank, so that a
 * withheld figure can never be read as zero or as missing data:
 *
 *   c  confidential: withheld to protect small numbers (1-7 children)
 *   x  not available: no figure for the period
 *   z  not applicable: the column does not apply (a count has no denominator;
 *      a rate over no one has no value)
 *
 * Pure: the series come from the API (caseworkMeasures / healthMeasures); the
 * numbers are written exactly as the API gave them, so the file equals the series.
 */

export interface MeasurePointInput {
  periodStart: string;
  periodEnd: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  suppressed: boolean;
}

export interface MeasureSeriesInput {
  code: string;
  name: string;
  unit: string;
  points: MeasurePointInput[];
}

/** One filter column: its header and the value chosen (null: not narrowed). */
export interface FilterColumn {
  header: string;
  value: string | null;
}

export const MARKERS = { confidential: 'c', notAvailable: 'x', notApplicable: 'z' } as const;

/** DfE's time_identifier for each interval the API cuts periods by. */
const TIME_IDENTIFIER: Record<string, string> = {
  MONTH: 'Month',
  QUARTER: 'Quarter',
  YEAR: 'Calendar year',
  FINANCIAL_YEAR: 'Financial year',
};

export const CSV_HEADERS = ['period_start', 'period_end', 'time_identifier', 'measure_code', 'measure_name', 'unit'] as const;
export const FIGURE_HEADERS = ['numerator', 'denominator', 'value'] as const;

/** The three figure cells of a point, each a number as the API gave it or a DfE marker. */
export function figureCells(unit: string, point: MeasurePointInput): [string, string, string] {
  const isCount = unit === 'COUNT';
  const denominator = isCount ? MARKERS.notApplicable : point.suppressed ? MARKERS.confidential : numberCell(point.denominator, MARKERS.notAvailable);
  if (point.suppressed) return [MARKERS.confidential, denominator, MARKERS.confidential];
  const numerator = numberCell(point.numerator, MARKERS.notAvailable);
  // A rate or mean over nobody is not zero and not missing: there is nothing to rate.
  const value = point.value === null && !isCount && point.denominator === 0 ? MARKERS.notApplicable : numberCell(point.value, MARKERS.notAvailable);
  return [numerator, denominator, value];
}

function numberCell(n: number | null, marker: string): string {
  return n === null || !Number.isFinite(n) ? marker : String(n);
}

/** The CSV, header first, rows by measure then period (the order the API gives them), lines ending CRLF (RFC 4180). */
export function seriesCsv(series: MeasureSeriesInput[], interval: string, filters: FilterColumn[]): string {
  const header = [...CSV_HEADERS, ...filters.map((f) => f.header), ...FIGURE_HEADERS];
  const rows: string[][] = [header];
  const timeIdentifier = TIME_IDENTIFIER[interval] ?? interval;
  for (const s of series) {
    for (const p of s.points) {
      rows.push([p.periodStart, p.periodEnd, timeIdentifier, s.code, s.name, s.unit, ...filters.map((f) => f.value ?? 'Total'), ...figureCells(s.unit, p)]);
    }
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * One field, quoted when it must be (RFC 4180). Text that a spreadsheet would run
 * as a formula (=, +, -, @ first) gets a leading apostrophe; numbers never reach
 * here with such text, since a negative number is written as the API gave it.
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A file name that says what is in it, e.g. casework-EHC_20WK_EXCL-2025-04-01-to-2026-03-31-QUARTER.csv. */
export function csvFileName(subgraph: string, codes: string[], from: string, to: string, interval: string): string {
  const what = codes.length <= 3 ? codes.join('+') : `${codes.length}-measures`;
  return `${subgraph}-${what}-${from}-to-${to}-${interval}.csv`.replace(/[^A-Za-z0-9_.+-]/g, '_');
}
