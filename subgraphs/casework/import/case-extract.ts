/**
 * The case-system extract: one CSV row per child with what SEN2 lacks (the NHS
 * number behind the link key, district, team, allocated worker or the decision to
 * have none). Parsing and validation are pure; problems use the SEN2 report's shape
 * with the row number as the position and the column as the path.
 */
import { parse } from 'csv-parse/sync';
import { isIsoDate } from '../../toolkit/date-scalar';
import { isValidNhsNumber, normaliseNhsNumber } from '../../toolkit/link-key';
import { matchKeyOf, type Problem } from './sen2-validate';

export const CASE_EXTRACT_COLUMNS = ['upn', 'uln', 'surname', 'forename', 'birth_date', 'nhs_number', 'district', 'team', 'allocated_worker', 'no_worker_reason', 'no_worker_review_date'] as const;

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

/** Parses and validates the whole extract; valid rows are returned even when others have problems. */
export function parseCaseExtract(text: string): CaseExtract {
  const problems: Problem[] = [];
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    return { rows: [], problems: [{ person: 0, path: 'case extract', value: null, rule: `not readable as CSV: ${(err as Error).message}` }] };
  }
  if (records.length === 0) return { rows: [], problems: [{ person: 0, path: 'case extract', value: null, rule: 'the file is empty; expected a header row' }] };
  const header = records[0].map((h) => h.trim().toLowerCase());
  const missing = CASE_EXTRACT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return { rows: [], problems: [{ person: 0, path: 'case extract header', value: records[0].join(','), rule: `missing column(s): ${missing.join(', ')}` }] };
  const at = Object.fromEntries(CASE_EXTRACT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof CASE_EXTRACT_COLUMNS)[number], number>;
  const rows: CaseExtractRow[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((cells, i) => {
    const row = i + 1;
    const before = problems.length;
    const problem = (column: string, value: string | null, rule: string) => problems.push({ person: row, path: column, value, rule });
    const get = (c: (typeof CASE_EXTRACT_COLUMNS)[number]) => blank(cells[at[c]]);
    const upn = get('upn')?.toUpperCase() ?? null;
    if (upn && !/^[A-Z]\d{12}$|^[A-Z]\d{11}[A-Z]$/.test(upn)) problem('upn', upn, 'must be a letter and 12 digits, or a letter, 11 digits and a letter');
    const uln = get('uln');
    if (uln && !/^\d{10}$/.test(uln)) problem('uln', uln, 'must be 10 digits');
    const surname = get('surname');
    const forename = get('forename');
    const birthDate = get('birth_date');
    if (!surname) problem('surname', null, 'required');
    if (!forename) problem('forename', null, 'required');
    if (!birthDate) problem('birth_date', null, 'required');
    else if (!isIsoDate(birthDate)) problem('birth_date', birthDate, 'must be a real calendar date written YYYY-MM-DD');
    const nhsRaw = get('nhs_number');
    const nhsNumber = nhsRaw ? normaliseNhsNumber(nhsRaw) : null;
    if (nhsRaw && !isValidNhsNumber(nhsRaw)) problem('nhs_number', nhsRaw, 'not a valid NHS number: 10 digits whose last is the modulus 11 check digit');
    const allocatedWorker = get('allocated_worker');
    const noWorkerReason = get('no_worker_reason');
    const noWorkerReviewDate = get('no_worker_review_date');
    const team = get('team');
    if (allocatedWorker && noWorkerReason) problem('no_worker_reason', noWorkerReason, 'give an allocated worker or a reason for having none, not both');
    if (allocatedWorker && !team) problem('team', null, 'required when an allocated worker is given');
    if (noWorkerReviewDate && !isIsoDate(noWorkerReviewDate)) problem('no_worker_review_date', noWorkerReviewDate, 'must be a real calendar date written YYYY-MM-DD');
    if (noWorkerReviewDate && !noWorkerReason) problem('no_worker_reason', null, 'required when no_worker_review_date is given');
    if (noWorkerReason && !noWorkerReviewDate) problem('no_worker_review_date', null, 'required when there is no allocated worker by decision: when is it next reviewed?');
    if (problems.length > before) return;
    const parsed: CaseExtractRow = {
      row,
      upn,
      uln,
      surname: surname!,
      forename: forename!,
      birthDate: birthDate!,
      nhsNumber,
      district: get('district'),
      team,
      allocatedWorker,
      noWorkerReason,
      noWorkerReviewDate,
    };
    const key = matchKeyOf(parsed);
    if (seen.has(key)) {
      problem('upn', upn, `the same child as row ${seen.get(key)}`);
      return;
    }
    seen.set(key, row);
    rows.push(parsed);
  });
  const nhsSeen = new Map<string, number>();
  for (const r of rows) {
    if (!r.nhsNumber) continue;
    if (nhsSeen.has(r.nhsNumber)) problems.push({ person: r.row, path: 'nhs_number', value: r.nhsNumber, rule: `the same NHS number as row ${nhsSeen.get(r.nhsNumber)}` });
    else nhsSeen.set(r.nhsNumber, r.row);
  }
  return { rows, problems };
}
