/**
 * DfE's "Education, health and care plans" data files (explore-education-statistics
 * CSV): which file is which, which rows and columns become which comparator, and
 * the validation every row gets. Pure: reading a stream is the only I/O, and no
 * database is touched, so it is tested apart from the write.
 */
import { csvFailure, csvRecords, shownValue, textRule } from '../../toolkit/import-text';
import { FILE_SPECS, type FileSpec } from './dfe-files';

export { FILE_SPECS, type FileSpec };

export type Level = 'NATIONAL' | 'REGIONAL' | 'LOCAL_AUTHORITY';

/** One published figure, ready to write. `value` is null when DfE gives a symbol instead (kept in `marker`). */
export interface ComparatorRow {
  measureCode: string;
  year: number;
  timePeriod: string;
  geographicLevel: Level;
  areaCode: string;
  oldLaCode: string | null;
  areaName: string;
  regionCode: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  marker: string | null;
  sourceFile: string;
}

export interface Problem {
  line: number;
  column: string;
  value: string;
  rule: string;
}

/** One line of the report (published statistics hold no personal data; long values are described, not shown). */
export function formatProblem(p: Problem): string {
  return `line ${p.line}, column ${p.column}, value ${shownValue(p.value, false)}: ${p.rule}`;
}

/**
 * Symbols EES files use in place of a number: x not available, c confidential
 * (suppressed), z not applicable, u low reliability, k/~/low a small figure
 * rounded to zero, : not available (older files).
 */
export const EES_SYMBOLS = ['x', 'c', 'z', 'u', 'k', '~', 'low', ':'] as const;

type Cell = { value: number | null; marker: string | null };

const COMMON = ['time_period', 'time_identifier', 'geographic_level', 'country_code', 'country_name', 'region_code', 'region_name', 'new_la_code', 'old_la_code', 'la_name', 'breakdown_topic', 'breakdown'];

/** Which supported file a header belongs to, or why none. */
export function recogniseHeader(header: readonly string[]): FileSpec | string {
  const missingCommon = COMMON.filter((c) => !header.includes(c));
  if (missingCommon.length) return `This is not a DfE EES data file: the header lacks ${missingCommon.join(', ')}.`;
  const spec = FILE_SPECS.find((s) => s.required.every((c) => header.includes(c)));
  if (!spec) return `Not one of the supported Education, health and care plans files (${FILE_SPECS.map((s) => s.name).join(', ')}): none has this header's columns.`;
  return spec;
}

const LEVELS: Record<string, Level> = { National: 'NATIONAL', Regional: 'REGIONAL', 'Local authority': 'LOCAL_AUTHORITY' };

export function parseCell(raw: string): Cell | null {
  const v = raw.trim();
  if ((EES_SYMBOLS as readonly string[]).includes(v.toLowerCase())) return { value: null, marker: v.toLowerCase() };
  if (!/^-?\d+(\.\d+)?$/.test(v)) return null;
  return { value: Number(v), marker: null };
}

/** The year a figure is for: the calendar year, or the January of an academic year (202425 → 2025). */
export function yearOf(timePeriod: string, kind: FileSpec['periodKind']): number | null {
  if (kind === 'CALENDAR') return /^\d{4}$/.test(timePeriod) ? Number(timePeriod) : null;
  const m = /^(\d{4})(\d{2})$/.exec(timePeriod);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) return null;
  return Number(m[1]) + 1;
}

export interface ParsedFile {
  spec: FileSpec;
  rows: ComparatorRow[];
  problems: Problem[];
  /** Rows read (excluding the header). */
  read: number;
  /** Rows of other breakdowns (sex, age, ...), not imported. */
  skipped: number;
  /** Line numbers of rows with at least one problem. */
  invalidLines: Set<number>;
  /** Codes of figures the file's columns do not give (an older or trimmed file). */
  absent: string[];
}

/**
 * Validates one data row of a recognised file. Returns the comparators it gives
 * (none for other breakdowns) and every problem it has.
 */
export function parseRecord(spec: FileSpec, get: (column: string) => string, line: number, sourceFile: string): { rows: ComparatorRow[]; problems: Problem[]; skipped: boolean } {
  const problems: Problem[] = [];
  const bad = (column: string, rule: string) => problems.push({ line, column, value: get(column), rule });
  const topic = get('breakdown_topic');
  if (typeof spec.allRows === 'string' ? topic !== spec.allRows : !spec.allRows.test(topic)) return { rows: [], problems, skipped: true };

  const timePeriod = get('time_period').trim();
  const year = yearOf(timePeriod, spec.periodKind);
  if (year === null) bad('time_period', spec.periodKind === 'CALENDAR' ? 'must be a calendar year, e.g. 2024' : 'must be an academic year written YYYYYY, e.g. 202425');
  const identifier = get('time_identifier').trim();
  const expectedId = spec.periodKind === 'CALENDAR' ? 'Calendar year' : 'Academic year';
  if (identifier !== expectedId) bad('time_identifier', `must be "${expectedId}" in ${spec.name}`);
  const level = LEVELS[get('geographic_level').trim()];
  if (!level) bad('geographic_level', 'must be National, Regional or Local authority');
  if (get('country_code').trim() !== 'E92000001') bad('country_code', 'must be E92000001 (England)');

  let areaCode = 'E92000001';
  let areaName = 'England';
  let regionCode: string | null = null;
  let oldLaCode: string | null = null;
  if (level === 'REGIONAL' || level === 'LOCAL_AUTHORITY') {
    regionCode = get('region_code').trim();
    if (!/^E12\d{6}$/.test(regionCode)) bad('region_code', 'must be a region code E12 followed by six digits');
    if (!get('region_name').trim()) bad('region_name', 'must not be blank for a region or local authority');
    areaCode = regionCode;
    areaName = get('region_name').trim();
  }
  if (level === 'LOCAL_AUTHORITY') {
    areaCode = get('new_la_code').trim();
    oldLaCode = get('old_la_code').trim();
    areaName = get('la_name').trim();
    if (!/^E(06|07|08|09|10)\d{6}$/.test(areaCode)) bad('new_la_code', 'must be a local authority code (E06, E07, E08, E09 or E10 followed by six digits)');
    if (!/^\d{3}$/.test(oldLaCode)) bad('old_la_code', 'must be the three-digit old LA code, e.g. 891');
    if (!areaName) bad('la_name', 'must not be blank for a local authority');
  }

  // Names are stored and shown (varchar 255) and may be exported: no control characters, nothing formula-like.
  for (const column of ['region_name', 'la_name']) {
    const value = get(column).trim();
    const broken = value ? textRule(value, { max: 255, freeText: true }) : null;
    if (broken) bad(column, broken);
  }

  const rows: ComparatorRow[] = [];
  const number = (column: string, kind: 'COUNT' | 'PERCENT'): Cell | null => {
    const cell = parseCell(get(column));
    if (!cell) {
      bad(column, `must be a number or an EES symbol (${EES_SYMBOLS.join(', ')})`);
      return null;
    }
    if (cell.value !== null) {
      if (kind === 'PERCENT' && (cell.value < 0 || cell.value > 100)) bad(column, 'a percentage must be between 0 and 100');
      if (kind === 'COUNT' && (cell.value < 0 || !Number.isInteger(cell.value))) bad(column, 'a count must be a whole number, zero or more');
    }
    return cell;
  };
  for (const m of spec.metrics) {
    const value = number(m.value, m.kind);
    const numerator = m.numerator ? number(m.numerator, 'COUNT') : null;
    const parts = (m.denominator ?? []).map((c) => (c === m.numerator ? numerator : number(c, 'COUNT')));
    const denominator = parts.length && parts.every((p) => p && p.value !== null) ? parts.reduce((s, p) => s + p!.value!, 0) : null;
    if (numerator?.value != null && denominator !== null && numerator.value > denominator) bad(m.numerator!, `the numerator exceeds the denominator (${denominator})`);
    if (!value || year === null || !level) continue;
    rows.push({
      measureCode: m.code, year, timePeriod, geographicLevel: level, areaCode, oldLaCode, areaName, regionCode,
      value: value.value, numerator: numerator?.value ?? null, denominator, marker: value.marker, sourceFile,
    });
  }
  // Rows come back even when the record has problems, so duplicates are still found; the caller keeps them only when valid.
  return { rows, problems, skipped: false };
}

/**
 * Streams a file through csv-parse (strictly decoded as UTF-8, a row at most
 * CSV_RECORD_MAX characters), validating as it goes; keeps only the
 * whole-population rows (a few hundred per file), so memory stays small whatever
 * the file's size. Every problem in the file is collected, not just the first.
 */
export async function parseDfeFile(input: AsyncIterable<string | Uint8Array>, sourceFile: string): Promise<ParsedFile | string> {
  let header: string[] | null = null;
  let spec: FileSpec | null = null;
  let index = new Map<string, number>();
  const result: Omit<ParsedFile, 'spec'> = { rows: [], problems: [], read: 0, skipped: 0, invalidLines: new Set(), absent: [] };
  const seen = new Map<string, number>();
  try {
    for await (const { record } of csvRecords<string[]>(input, { relax_column_count: false, skip_empty_lines: true })) {
      if (!header) {
        header = record.map((h) => h.trim());
        const recognised = recogniseHeader(header);
        if (typeof recognised === 'string') return recognised;
        // A figure whose columns an older or trimmed file lacks is left out, and said so (absent), rather than refused.
        const present = (m: FileSpec['metrics'][number]) => [m.value, ...(m.numerator ? [m.numerator] : []), ...(m.denominator ?? [])].every((c) => header!.includes(c));
        spec = { ...recognised, metrics: recognised.metrics.filter(present) };
        result.absent = recognised.metrics.filter((m) => !present(m)).map((m) => m.code);
        // A column may appear twice (annual_reviews.csv repeats one); the first is used.
        index = new Map();
        header.forEach((h, i) => { if (!index.has(h)) index.set(h, i); });
        continue;
      }
      result.read++;
      const line = result.read + 1;
      const get = (column: string) => record[index.get(column) ?? -1] ?? '';
      const r = parseRecord(spec!, get, line, sourceFile);
      if (r.skipped) { result.skipped++; continue; }
      for (const row of r.rows) {
        const first = seen.get(`${row.measureCode}|${row.year}|${row.areaCode}`);
        if (first !== undefined) {
          r.problems.push({ line, column: 'time_period', value: row.timePeriod, rule: `duplicates line ${first}: ${row.areaName} already has a ${row.measureCode} figure for ${row.year}` });
          break;
        }
      }
      if (!r.problems.length) for (const row of r.rows) seen.set(`${row.measureCode}|${row.year}|${row.areaCode}`, line);
      if (r.problems.length) {
        result.problems.push(...r.problems);
        result.invalidLines.add(line);
      } else result.rows.push(...r.rows);
    }
  } catch (err) {
    const { line, rule } = csvFailure(err);
    const csv = 'not readable as CSV';
    return rule.startsWith(csv) ? `The file is not valid CSV${line ? ` at line ${line}` : ''}${rule.slice(csv.length)}.` : `The file cannot be read: ${rule}.`;
  }
  if (!spec) return 'The file is empty: it has no header.';
  if (result.read === 0) return 'The file has a header but no rows: nothing to import.';
  return { spec, ...result };
}
