/**
 * The case-system extract: one CSV row per child with what SEN2 lacks (the NHS
 * number behind the link key, district, team, allocated worker or the decision to
 * have none). Validation is pure and a row at a time, so the extract is read as a
 * stream and never held: problems use the SEN2 report's shape with the row number
 * as the position and the column as the path.
 */
import { parse } from 'csv-parse/sync';
import { isIsoDate } from '../../../platform/calendar';
import { csvBatches, csvFailure, ProblemList, textRule, type TextRules } from '../../toolkit/import-text';
import { normaliseNhsNumber } from '../../toolkit/link-key';
import { nhsNumberProblem, ulnProblem, upnProblem } from '../rules/identity';
import { KeyIndex } from './key-index';
import { matchKeyOf, type Problem } from './sen2-validate';

export const CASE_EXTRACT_COLUMNS = ['upn', 'uln', 'surname', 'forename', 'birth_date', 'nhs_number', 'district', 'team', 'allocated_worker', 'no_worker_reason', 'no_worker_review_date'] as const;
type Column = (typeof CASE_EXTRACT_COLUMNS)[number];

/** Free-text columns and their limits (the casework columns they are stored in, or compared with). */
const TEXT: Partial<Record<Column, TextRules>> = {
  surname: { max: 255, freeText: true },
  forename: { max: 255, freeText: true },
  district: { max: 255, freeText: true },
  team: { max: 255, freeText: true },
  allocated_worker: { max: 255, freeText: true },
  no_worker_reason: { max: 1000, freeText: true },
};

export interface CaseExtractRow {
  /** 1-based data row (the header is row 0). */
  row: number;
  upn: string | null;
  uln: string | null;
  surname: string;
  forename: string;
  birthDate: string;
  nhsNumber: string | null;
  district: string | null;
  team: string | null;
  allocatedWorker: string | null;
  noWorkerReason: string | null;
  noWorkerReviewDate: string | null;
}

export interface CaseExtract {
  rows: CaseExtractRow[];
  problems: Problem[];
}

const blank = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const fileProblem = (rule: string, value: string | null = null, path = 'case extract'): Problem => ({ person: 0, path, value, rule });

/**
 * Checks an extract a row at a time, remembering only what it needs across rows:
 * the first row of each child's match key and of each NHS number, as hashes.
 */
export class CaseExtractValidator {
  readonly problems = new ProblemList<Problem>();
  /** Rows with any problem: left out when the valid rows are imported. */
  readonly invalidRows = new Set<number>();
  /** Data rows read. */
  rows = 0;
  private at: Record<Column, number> | null = null;
  /** Fields in the header row. */
  private width = 0;
  private readonly seen = new KeyIndex();
  private readonly nhsSeen = new KeyIndex();

  /** `duplicates` false skips the checks across rows (a second reading, of rows already found valid). */
  constructor(private readonly duplicates = true) {}

  /** Reads the header; false (with a problem) when it is not a case extract's. */
  header(cells: string[]): boolean {
    const header = cells.map((h) => h.trim().toLowerCase());
    const missing = CASE_EXTRACT_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length) {
      this.problems.push(fileProblem(`missing column(s): ${missing.join(', ')}`, cells.join(',').slice(0, 300), 'case extract header'));
      return false;
    }
    this.at = Object.fromEntries(CASE_EXTRACT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<Column, number>;
    this.width = header.length;
    return true;
  }

  /** Checks one data row (1-based); the row when it is valid, else null with its problems recorded. */
  add(cells: string[], row: number): CaseExtractRow | null {
    this.rows = Math.max(this.rows, row);
    const at = this.at!;
    const problems: Problem[] = [];
    const problem = (column: string, value: string | null, rule: string) => problems.push({ person: row, path: column, value, rule });
    // More fields than the header (an unquoted comma, say) shifts values into the wrong columns.
    if (cells.length > this.width) {
      problem('(row)', null, `has ${cells.length} fields; the header has ${this.width}`);
      this.problems.push(...problems);
      this.invalidRows.add(row);
      return null;
    }
    const get = (c: Column) => {
      const v = blank(cells[at[c]]);
      const rules = TEXT[c] ?? { max: 255 };
      const broken = v === null ? null : textRule(v, rules);
      if (broken) {
        problem(c, v!.length > rules.max ? null : v, broken);
        return null;
      }
      return v;
    };
    const upn = get('upn')?.toUpperCase() ?? null;
    const upnWrong = upn && upnProblem(upn);
    if (upnWrong) problem('upn', upn, upnWrong);
    const uln = get('uln');
    const ulnWrong = uln && ulnProblem(uln);
    if (ulnWrong) problem('uln', uln, ulnWrong);
    const surname = get('surname');
    const forename = get('forename');
    const birthDate = get('birth_date');
    if (!surname && !problems.some((p) => p.path === 'surname')) problem('surname', null, 'required');
    if (!forename && !problems.some((p) => p.path === 'forename')) problem('forename', null, 'required');
    if (!birthDate && !problems.some((p) => p.path === 'birth_date')) problem('birth_date', null, 'required');
    else if (birthDate && !isIsoDate(birthDate)) problem('birth_date', birthDate, 'must be a real calendar date written YYYY-MM-DD');
    const nhsRaw = get('nhs_number');
    const nhsNumber = nhsRaw ? normaliseNhsNumber(nhsRaw) : null;
    const nhsWrong = nhsRaw && nhsNumberProblem(nhsRaw);
    if (nhsWrong) problem('nhs_number', nhsRaw, nhsWrong);
    const district = get('district');
    const allocatedWorker = get('allocated_worker');
    const noWorkerReason = get('no_worker_reason');
    const noWorkerReviewDate = get('no_worker_review_date');
    const team = get('team');
    if (allocatedWorker && noWorkerReason) problem('no_worker_reason', noWorkerReason, 'give an allocated worker or a reason for having none, not both');
    if (allocatedWorker && !team) problem('team', null, 'required when an allocated worker is given');
    if (noWorkerReviewDate && !isIsoDate(noWorkerReviewDate)) problem('no_worker_review_date', noWorkerReviewDate, 'must be a real calendar date written YYYY-MM-DD');
    if (noWorkerReviewDate && !noWorkerReason) problem('no_worker_reason', null, 'required when no_worker_review_date is given');
    if (noWorkerReason && !noWorkerReviewDate) problem('no_worker_review_date', null, 'required when there is no allocated worker by decision: when is it next reviewed?');
    if (!problems.length && this.duplicates) {
      const key = matchKeyOf({ upn, uln, surname: surname!, forename: forename!, birthDate: birthDate! });
      const first = this.seen.get(key);
      if (first !== undefined) problem('upn', upn, `the same child as row ${first}`);
      else if (nhsNumber && this.nhsSeen.has(nhsNumber)) problem('nhs_number', nhsNumber, `the same NHS number as row ${this.nhsSeen.get(nhsNumber)}`);
      else {
        this.seen.set(key, row);
        if (nhsNumber) this.nhsSeen.set(nhsNumber, row);
      }
    }
    if (problems.length) {
      this.problems.push(...problems);
      this.invalidRows.add(row);
      return null;
    }
    return { row, upn, uln, surname: surname!, forename: forename!, birthDate: birthDate!, nhsNumber, district, team, allocatedWorker, noWorkerReason, noWorkerReviewDate };
  }

  /** After the last row: an extract with no rows is refused. */
  end(sawHeader: boolean): void {
    if (!sawHeader) this.problems.push(fileProblem('the file is empty; expected a header row'));
    else if (this.rows === 0) this.problems.push(fileProblem('the file has a header but no rows'));
  }
}

/**
 * Reads an extract as a stream (UTF-8 bytes, or strings), handing each valid row
 * to `onRow` (awaited). Rows whose number is in `skip` are passed over unchecked:
 * a second reading, after a first found them invalid.
 */
export async function readCaseExtract(
  input: AsyncIterable<string | Uint8Array>,
  onRow: (row: CaseExtractRow) => void | Promise<void> = () => undefined,
  skip: ReadonlySet<number> | null = null,
): Promise<CaseExtractValidator> {
  // Skipping rows means a second reading: the rows left were found valid, duplicates included.
  const v = new CaseExtractValidator(skip === null);
  let sawHeader = false;
  let row = 0;
  try {
    for await (const batch of csvBatches<string[]>(input, { skip_empty_lines: true, relax_column_count: true, lines: false })) {
      for (const { record } of batch) {
        if (!sawHeader) {
          sawHeader = true;
          if (!v.header(record)) return v;
          continue;
        }
        row++;
        v.rows = row;
        if (skip?.has(row)) continue;
        const parsed = v.add(record, row);
        if (!parsed) continue;
        // Most rows need no wait: awaiting only a promise keeps a million rows from costing a million turns.
        const pending = onRow(parsed);
        if (pending) await pending;
      }
    }
  } catch (err) {
    const { line, rule } = csvFailure(err);
    v.problems.push(fileProblem(line ? `${rule} (line ${line})` : rule));
    return v;
  }
  v.end(sawHeader);
  return v;
}

/** Parses and validates a whole extract held as text (small extracts, tests); valid rows are returned even when others have problems. */
export function parseCaseExtract(text: string): CaseExtract {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    const { line, rule } = csvFailure(err);
    return { rows: [], problems: [fileProblem(line ? `${rule} (line ${line})` : rule)] };
  }
  const v = new CaseExtractValidator();
  const rows: CaseExtractRow[] = [];
  if (records.length === 0) v.end(false);
  else if (v.header(records[0])) {
    records.slice(1).forEach((cells, i) => {
      const parsed = v.add(cells, i + 1);
      if (parsed) rows.push(parsed);
    });
    v.end(true);
  }
  return { rows, problems: [...v.problems] };
}
