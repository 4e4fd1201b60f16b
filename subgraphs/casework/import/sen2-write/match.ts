import { randomUUID } from 'node:crypto';
import type { CaseExtractRow } from '../case-extract';
import type { Sen2Person } from '../sen2-validate';
import type { Sql } from './sql';

/**
 * Stage 1 of a chunk: who is who. The children the chunk's people may match are
 * read in one query; each person is then matched in memory, in file order.
 */

/** One thing to write: a person of the return (with its case-extract row, if any), or a case-extract row alone. */
export type Sen2Item = { person: Sen2Person; extract: CaseExtractRow | null } | { person: null; extract: CaseExtractRow };

export interface Sen2Counts {
  created: number;
  updated: number;
}

interface MatchKey {
  upn: string | null;
  uln: string | null;
  surname: string;
  forename: string;
  birthDate: string;
}

/** A child as matching sees it (kept up to date as the chunk's people are worked out). */
export interface HeldChild {
  id: string;
  upn: string | null;
  uln: string | null;
  surname: string;
  forename: string;
  birth_date: string;
  nhs_number: string | null;
}

/**
 * UPN, else ULN, else surname + forename + birth date (case-insensitive); a weaker
 * key never takes a child whose stronger identifier differs.
 */
export function findChild(children: readonly HeldChild[], p: MatchKey): HeldChild | null {
  const upn = p.upn?.toUpperCase() ?? null;
  const upnAgrees = (c: HeldChild) => c.upn === null || upn === null || c.upn.toUpperCase() === upn;
  if (upn) {
    const c = children.find((x) => x.upn !== null && x.upn.toUpperCase() === upn);
    if (c) return c;
  }
  if (p.uln) {
    const c = children.find((x) => x.uln === p.uln && upnAgrees(x));
    if (c) return c;
  }
  const surname = p.surname.trim().toLowerCase();
  const forename = p.forename.trim().toLowerCase();
  return (
    children.find(
      (x) => x.surname.toLowerCase() === surname && x.forename.toLowerCase() === forename && x.birth_date === p.birthDate && upnAgrees(x) && (x.uln === null || p.uln === null || x.uln === p.uln),
    ) ?? null
  );
}

/** Every child any of these items may match, by any of their keys. */
export async function loadCandidates(sql: Sql, items: readonly Sen2Item[]): Promise<HeldChild[]> {
  const keys = items.map((i) => i.person ?? i.extract);
  return sql.all<HeldChild>(
    `SELECT id, upn, uln, surname, forename, birth_date::text AS birth_date, nhs_number FROM child
     WHERE upper(upn) IN (SELECT value FROM json_array_elements_text(CAST(? AS json)))
        OR uln IN (SELECT value FROM json_array_elements_text(CAST(? AS json)))
        OR (lower(surname), lower(forename), birth_date) IN (SELECT k.s, k.f, k.b FROM json_to_recordset(CAST(? AS json)) AS k(s text, f text, b date))
     ORDER BY id`,
    [
      JSON.stringify(keys.filter((k) => k.upn).map((k) => k.upn!.toUpperCase())),
      JSON.stringify(keys.filter((k) => k.uln).map((k) => k.uln)),
      JSON.stringify(keys.map((k) => ({ s: k.surname.trim().toLowerCase(), f: k.forename.trim().toLowerCase(), b: k.birthDate }))),
    ],
  );
}

/** An item and the child it writes; childId null for a case-extract row that matches no child (reported in its turn). */
export interface Matched {
  item: Sen2Item;
  childId: string | null;
  /** The NHS number the child held before this import. */
  currentNhs: string | null;
}

/** The SEN2 columns of a child, as the statements write them. */
export interface ChildRow {
  id: string;
  surname: string;
  forename: string;
  birth_date: string;
  sex: string;
  ethnicity: string | null;
  postcode: string | null;
  upn: string | null;
  uln: string | null;
}

export interface Matching {
  matched: Matched[];
  newChildren: ChildRow[];
  childUpdates: ChildRow[];
  /** How many items the chunk takes: it ends before a person whose child it already writes. */
  taken: number;
}

/** Who is who, in file order; stops at an item whose child this chunk already writes (it goes in the next chunk). */
export function matchItems(items: readonly Sen2Item[], held: HeldChild[], counts: Sen2Counts): Matching {
  const touched = new Set<string>();
  const newChildren: ChildRow[] = [];
  const childUpdates: ChildRow[] = [];
  const matched: Matched[] = [];
  let n = 0;
  for (; n < items.length; n++) {
    const item = items[n];
    const match = findChild(held, item.person ?? item.extract);
    if (match && touched.has(match.id)) break;
    const p = item.person;
    if (!p) {
      if (!match) {
        matched.push({ item, childId: null, currentNhs: null });
        continue;
      }
      touched.add(match.id);
      matched.push({ item, childId: match.id, currentNhs: match.nhs_number });
      counts.updated++;
      continue;
    }
    const values = { surname: p.surname, forename: p.forename, birth_date: p.birthDate, sex: p.sex, ethnicity: p.ethnicity, postcode: p.postcode, upn: p.upn, uln: p.uln };
    let childId: string;
    if (match) {
      childId = match.id;
      childUpdates.push({ id: childId, ...values });
      Object.assign(match, { surname: p.surname, forename: p.forename, birth_date: p.birthDate, upn: p.upn ?? match.upn, uln: p.uln ?? match.uln });
      counts.updated++;
    } else {
      childId = randomUUID();
      newChildren.push({ id: childId, ...values });
      held.push({ id: childId, upn: p.upn, uln: p.uln, surname: p.surname, forename: p.forename, birth_date: p.birthDate, nhs_number: null });
      counts.created++;
    }
    touched.add(childId);
    matched.push({ item, childId, currentNhs: match?.nhs_number ?? null });
  }
  return { matched, newChildren, childUpdates, taken: n };
}
