import type { Problem } from '../../../platform/problems';

/**
 * When two records may be merged as the same child: pure, on what each record
 * holds. The identifiers that name a person (NHS number, UPN, ULN) and the birth
 * date must not disagree (correct one record first if one is wrong); their
 * requests must not share a received date and their allocations a start date (the
 * database holds one of each per child); and at most one of them may have an
 * allocation running now. Messages name the field, never the value.
 */
export interface MergeSide {
  birthDate: string;
  nhsNumber: string | null;
  upn: string | null;
  uln: string | null;
  requestDates: readonly string[];
  allocationStarts: readonly string[];
  openAllocation: boolean;
}

const FIELD = 'input.mergeChildId';

export function mergeProblems(keep: MergeSide, merge: MergeSide): Problem[] {
  const problems: Problem[] = [];
  const differ = (a: string | null, b: string | null) => a !== null && b !== null && a !== b;
  const identifiers: Array<[string, boolean]> = [
    ['birth date', keep.birthDate !== merge.birthDate],
    ['NHS number', differ(keep.nhsNumber, merge.nhsNumber)],
    ['UPN', differ(keep.upn, merge.upn)],
    ['ULN', differ(keep.uln, merge.uln)],
  ];
  for (const [name, different] of identifiers) {
    if (different) problems.push({ field: FIELD, message: `${FIELD}: the two records hold different ${name}s; correct the one that is wrong (correctChild) before merging.` });
  }
  const sharedRequests = keep.requestDates.filter((d) => merge.requestDates.includes(d));
  if (sharedRequests.length) problems.push({ field: FIELD, message: `${FIELD}: both records have a request received on ${[...sharedRequests].sort().join(', ')}; a child has one request a day, so remove the duplicate request first.` });
  const sharedStarts = keep.allocationStarts.filter((d) => merge.allocationStarts.includes(d));
  if (sharedStarts.length) problems.push({ field: FIELD, message: `${FIELD}: both records have an allocation starting on ${[...sharedStarts].sort().join(', ')}.` });
  if (keep.openAllocation && merge.openAllocation) problems.push({ field: FIELD, message: `${FIELD}: both records have a current allocation; a child has one at a time, so end one first.` });
  return problems;
}
