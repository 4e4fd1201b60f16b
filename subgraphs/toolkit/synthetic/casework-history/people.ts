/**
 * Who each case is about. The shared population carries the cases still open
 * today (plans in force, requests awaiting a decision or an assessment), so the
 * health seed's referrals meet them by link key; the closed cases go to former
 * children with NHS numbers the population never reaches.
 */
import { addDays, daysBetween } from '../../dates';
import { nhsCheckDigit } from '../../link-key';
import { withUpnCheckLetter } from '../../upn';
import { blockNhsNumber, populationStream, type SyntheticPerson } from '../population';
import type { Random } from '../random';
import { opensToday, type Case } from './cases';
import type { HistoryChild } from './rows';

/** Former children numbered from the 999 block (as they always have been) before the odd blocks take over. */
const FORMER_IN_999_BLOCK = 195_000;

/**
 * NHS numbers for former children: from a part of the synthetic 999 range the shared
 * population rarely reaches (`taken` says where it does), then from the odd blocks
 * from 997 down, which nobody else uses.
 */
function formerNhsNumber(n: number, taken: Set<string>): string {
  if (n >= FORMER_IN_999_BLOCK) return blockNhsNumber(997, n - FORMER_IN_999_BLOCK);
  for (let k = 600_000 + n * 2; ; k++) {
    const nine = `999${String(k).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check === null) continue;
    const nhs = nine + String(check);
    if (!taken.has(nhs)) {
      taken.add(nhs);
      return nhs;
    }
  }
}

/** A shuffled copy of the people, by year of birth. */
function byBirthYear(rng: Random, people: readonly SyntheticPerson[]): Map<number, SyntheticPerson[]> {
  const order = people.map((p) => p);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const years = new Map<number, SyntheticPerson[]>();
  for (const p of order) {
    const y = Number(p.birthDate.slice(0, 4));
    const list = years.get(y);
    if (list) list.push(p);
    else years.set(y, [p]);
  }
  return years;
}

export interface CaseChildren {
  /** The people with a case, the former children, then the rest of the population. */
  children: HistoryChild[];
  childOf: Map<Case, HistoryChild>;
  /** How many former children were numbered. */
  formerCount: number;
}

/**
 * Where a block of a national-scale area numbers its former children: from the
 * `first`-th number of the odd blocks, after the blocks drawn before it.
 */
export interface FormerNumbering {
  first: number;
  /** The seed of the pool former children's names and places are drawn from. */
  poolSeed: number;
}

/** The people of a population drawn again and again, one at a time: the former children's names and places. */
function cyclingPool(count: number, today: string, seed: number): () => SyntheticPerson {
  let stream = populationStream(count, today, seed);
  return () => {
    let next = stream.next();
    if (next.done) {
      stream = populationStream(count, today, seed);
      next = stream.next();
    }
    return next.value as SyntheticPerson;
  };
}

/**
 * A child for every case (in the order given, oldest request first), and every
 * person of the population as a child. With `numbering` (a block of a national-
 * scale area), former children are numbered from the odd blocks only, so no block
 * meets another's people.
 */
export function attachChildren(rng: Random, cases: readonly Case[], people: readonly SyntheticPerson[], today: string, numbering?: FormerNumbering): CaseChildren {
  const lastYear = Number(today.slice(0, 4));
  const unassigned = byBirthYear(rng, people);
  const taken = numbering ? null : new Set(people.map((p) => p.nhsNumber));
  const nextFromPool = cyclingPool(Math.max(1, Math.ceil(people.length * 0.8) + 20), today, numbering?.poolSeed ?? 7_891);
  let formerCount = 0;
  const children: HistoryChild[] = [];
  const childOf = new Map<Case, HistoryChild>();
  const used = new Set<SyntheticPerson>();
  const toChild = (p: SyntheticPerson, inPopulation: boolean): HistoryChild => ({
    id: rng.uuid(),
    nhsNumber: p.nhsNumber,
    upn: p.upn,
    uln: null,
    forename: p.forename,
    surname: p.surname,
    birthDate: p.birthDate,
    sex: p.sex,
    ethnicity: p.ethnicity,
    postcode: p.postcode,
    district: p.district,
    primaryNeed: null,
    inPopulation,
  });
  const formerChild = (c: Case): HistoryChild => {
    const base = nextFromPool();
    const n = formerCount++;
    const nhsNumber = taken ? formerNhsNumber(n, taken) : blockNhsNumber(997, numbering!.first + n);
    const upnNumber = (numbering?.first ?? 0) + n;
    // Aged 2-17 when the request was received.
    const birthDate = addDays(c.receivedDate, -rng.int(2 * 365, 17 * 365));
    return { ...toChild(base, false), nhsNumber, upn: withUpnCheckLetter(`892${String(upnNumber).padStart(9, '0')}`), birthDate };
  };
  for (const c of cases) {
    let child: HistoryChild | null = null;
    if (opensToday(c)) {
      // Aged 1-20 at the request and at most 25 today.
      const lo = Math.max(Number(c.receivedDate.slice(0, 4)) - 20, lastYear - 25);
      const hi = Number(c.receivedDate.slice(0, 4)) - 1;
      for (let attempt = 0; attempt < 12 && !child && hi >= lo; attempt++) {
        const list = unassigned.get(rng.int(lo, hi));
        const p = list?.pop();
        if (p && p.birthDate < c.receivedDate) {
          child = toChild(p, true);
          used.add(p);
        } else if (p) list!.push(p);
      }
    }
    child ??= formerChild(c);
    children.push(child);
    childOf.set(c, child);
  }
  for (const p of people) if (!used.has(p)) children.push(toChild(p, true));
  // Young people over 16 mostly have a unique learner number.
  for (const child of children) {
    if (daysBetween(child.birthDate, today) > 16 * 365 && rng.chance(0.6)) child.uln = `6${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
  }
  return { children, childOf, formerCount };
}
