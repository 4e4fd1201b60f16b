import { timeOrderedId } from './ids';
import type { CaseExtractRow } from '../case-extract';
import type { Sen2Person } from '../sen2-validate';
import { textArray } from '../../../toolkit/rows';
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
  /** The rest of what a person writes on a child held, and its primary need: a child the return leaves as it is, is not written. */
  sex: string | null;
  ethnicity: string | null;
  postcode: string | null;
  primary_need: string | null;
}

/** What a child is matched on. */
type ChildKeys = Pick<HeldChild, 'id' | 'upn' | 'uln' | 'surname' | 'forename' | 'birth_date'>;

/**
 * UPN, else ULN, else surname + forename + birth date (case-insensitive); a weaker
 * key never takes a child whose stronger identifier differs.
 */
export function findChild<C extends ChildKeys>(children: readonly C[], p: MatchKey): C | null {
  const upn = p.upn?.toUpperCase() ?? null;
  const upnAgrees = (c: C) => c.upn === null || upn === null || c.upn.toUpperCase() === upn;
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

/**
 * The children held, indexed by each key findChild compares, so a person is matched
 * among the few children sharing one of its keys rather than all the chunk holds.
 * findChild decides among them, in the order held: any child it could take shares a
 * key, so the answer is the one it gives over every child.
 */
class HeldIndex {
  private readonly lists = new Map<string, HeldChild[]>();
  private readonly position = new Map<HeldChild, number>();

  constructor(children: readonly HeldChild[]) {
    for (const c of children) this.add(c);
  }

  add(c: HeldChild): void {
    this.position.set(c, this.position.size);
    this.index(c);
  }

  /** Changes a child's keys (a person's values written onto it); it keeps its place. */
  update(c: HeldChild, values: Partial<HeldChild>): void {
    for (const key of HeldIndex.keysOfHeld(c)) {
      const list = this.lists.get(key)!;
      list.splice(list.indexOf(c), 1);
    }
    Object.assign(c, values);
    this.index(c);
  }

  private index(c: HeldChild): void {
    for (const key of HeldIndex.keysOfHeld(c)) {
      let list = this.lists.get(key);
      if (!list) this.lists.set(key, (list = []));
      list.push(c);
      if (list.length > 1) list.sort(this.inOrder);
    }
  }

  private readonly inOrder = (a: HeldChild, b: HeldChild) => this.position.get(a)! - this.position.get(b)!;

  find(p: MatchKey): HeldChild | null {
    const keys = [`n:${p.surname.trim().toLowerCase()}|${p.forename.trim().toLowerCase()}|${p.birthDate}`];
    if (p.upn) keys.push(`u:${p.upn.toUpperCase()}`);
    if (p.uln) keys.push(`l:${p.uln}`);
    const candidates = new Set<HeldChild>();
    for (const key of keys) for (const c of this.lists.get(key) ?? []) candidates.add(c);
    return findChild([...candidates].sort(this.inOrder), p);
  }

  /** The keys findChild compares a held child on, as it compares them (a held name is lower-cased, not trimmed). */
  private static keysOfHeld(c: HeldChild): string[] {
    const keys = [`n:${c.surname.toLowerCase()}|${c.forename.toLowerCase()}|${c.birth_date}`];
    if (c.upn !== null) keys.push(`u:${c.upn.toUpperCase()}`);
    if (c.uln !== null) keys.push(`l:${c.uln}`);
    return keys;
  }
}

/**
 * Every child any of these items may match: by UPN, and by ULN and by names and birth
 * date for the items whose UPN no child holds. findChild takes a child holding the
 * item's UPN whatever its weaker keys find, and any other item's candidates come from
 * that item's own keys, so those lookups could change no match: a return imported
 * again, every person found by UPN, spends a third of the lookups it did (a chunk of
 * 2,000 children held: 25-28 ms against 36-41, 2,000 new people about the same either
 * way, alternated on the database `node dist/bench/sen2-import.js 100000` leaves, by a
 * scratch script not kept; that benchmark's runs of a return imported again show the
 * import's gain).
 */
export async function loadCandidates(sql: Sql, items: readonly Sen2Item[]): Promise<HeldChild[]> {
  const keys = items.map((i) => i.person ?? i.extract);
  // One indexed lookup per key (child_upn_index: UPNs are held upper-cased, as the keys are; child_uln_index;
  // child_name_match_index), each its own subquery (OFFSET 0 keeps it one), so no plan reads every child held
  // to hash it: nothing is analysed inside the import's transaction, and the children it has written so far are many.
  const held = (where: string) => `(SELECT c.id, c.upn, c.uln, c.surname, c.forename, c.birth_date::text AS birth_date, c.nhs_number, c.sex, c.ethnicity, c.postcode, c.primary_need
    FROM child c WHERE ${where} OFFSET 0)`;
  return sql.all<HeldChild>(
    `WITH k AS MATERIALIZED (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS date[])) AS k(upn, uln, s, f, b)),
     by_upn AS MATERIALIZED (SELECT k.upn AS key, h.* FROM k CROSS JOIN LATERAL ${held('c.upn = k.upn')} h WHERE k.upn IS NOT NULL),
     unmatched AS MATERIALIZED (SELECT k.* FROM k WHERE k.upn IS NULL OR NOT EXISTS (SELECT 1 FROM by_upn u WHERE u.key = k.upn))
     SELECT id, upn, uln, surname, forename, birth_date, nhs_number, sex, ethnicity, postcode, primary_need FROM by_upn
     UNION SELECT h.* FROM unmatched k CROSS JOIN LATERAL ${held('c.uln = k.uln')} h WHERE k.uln IS NOT NULL
     UNION SELECT h.* FROM unmatched k CROSS JOIN LATERAL ${held('lower(c.surname) = k.s AND lower(c.forename) = k.f AND c.birth_date = k.b')} h
     ORDER BY id`,
    [
      textArray(keys.map((k) => k.upn?.toUpperCase() ?? null)),
      textArray(keys.map((k) => k.uln)),
      textArray(keys.map((k) => k.surname.trim().toLowerCase())),
      textArray(keys.map((k) => k.forename.trim().toLowerCase())),
      textArray(keys.map((k) => k.birthDate)),
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
  /** A new child's primary need, once its plans are worked out (a child held keeps its own until writePrimaryNeeds). */
  primary_need?: string | null;
  /** A new child's case-extract values (a child held is given them by writeCaseExtractChildren). */
  nhs_number?: string;
  link_key?: string;
  district?: string;
  team_id?: string;
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
  const index = new HeldIndex(held);
  let n = 0;
  for (; n < items.length; n++) {
    const item = items[n];
    const match = index.find(item.person ?? item.extract);
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
      if (childChanges(match, values)) childUpdates.push({ id: childId, ...values });
      index.update(match, { surname: p.surname, forename: p.forename, birth_date: p.birthDate, upn: p.upn ?? match.upn, uln: p.uln ?? match.uln });
      counts.updated++;
    } else {
      childId = timeOrderedId();
      newChildren.push({ id: childId, ...values });
      const child: HeldChild = { id: childId, ...values, nhs_number: null, primary_need: null };
      held.push(child);
      index.add(child);
      counts.created++;
    }
    touched.add(childId);
    matched.push({ item, childId, currentNhs: match?.nhs_number ?? null });
  }
  return { matched, newChildren, childUpdates, taken: n };
}

/**
 * Whether a person's values change the child held, as writeChildren's update decides it
 * (what the person leaves out, the child keeps): a child a return leaves as it was is not
 * sent at all, where the update would find nothing to change in it. Values read back as
 * the update would compare them (dates as text), so any doubt sends the row, and the
 * update decides.
 */
export function childChanges(c: HeldChild, v: Omit<ChildRow, 'id'>): boolean {
  return (
    c.surname !== v.surname ||
    c.forename !== v.forename ||
    c.birth_date !== v.birth_date ||
    c.sex !== v.sex ||
    c.ethnicity !== (v.ethnicity ?? c.ethnicity) ||
    c.postcode !== (v.postcode ?? c.postcode) ||
    c.upn !== (v.upn ?? c.upn) ||
    c.uln !== (v.uln ?? c.uln)
  );
}
