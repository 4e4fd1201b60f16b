import { addDays, toDayNumber, fromDayNumber } from '../dates';
import { nhsCheckDigit } from '../link-key';
import { withUpnCheckLetter } from '../upn';
import { Random } from './random';

/** About the 7,500 children's records the seeds say were moved into the case system. */
export const NOTTINGHAMSHIRE_CHILDREN = 7500;

/** The districts of Nottinghamshire County Council's area. */
export const DISTRICTS = ['Ashfield', 'Bassetlaw', 'Broxtowe', 'Gedling', 'Mansfield', 'Newark and Sherwood', 'Rushcliffe'] as const;

/** Bassetlaw and mid-Nottinghamshire: the council's plan and review teams and the ICB's services are split north and south on this line. */
export const NORTHERN_DISTRICTS: ReadonlySet<string> = new Set<(typeof DISTRICTS)[number]>(['Ashfield', 'Bassetlaw', 'Mansfield', 'Newark and Sherwood']);

const DISTRICT_WEIGHTS: Record<(typeof DISTRICTS)[number], number> = {
  Ashfield: 16, Bassetlaw: 14, Broxtowe: 13, Gedling: 14, Mansfield: 15, 'Newark and Sherwood': 14, Rushcliffe: 14,
};

const FORENAMES = ['Oliver', 'Amelia', 'George', 'Isla', 'Noah', 'Ava', 'Arthur', 'Mia', 'Leo', 'Ivy', 'Harry', 'Lily', 'Oscar', 'Freya', 'Archie', 'Florence', 'Jack', 'Willow', 'Henry', 'Rosie', 'Charlie', 'Sophia', 'Freddie', 'Isabella', 'Theo', 'Grace', 'Alfie', 'Evie', 'Jacob', 'Poppy', 'Mohammed', 'Aisha', 'Yusuf', 'Zara', 'Kacper', 'Zofia', 'Ethan', 'Ella', 'Riley', 'Millie'];
const SURNAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Patel', 'Khan', 'Hussain', 'Kowalski', 'Nowak', 'Turner', 'Hill', 'Moore', 'Cooper', 'Ward', 'Morris', 'King', 'Baker', 'Harrison', 'Mitchell', 'Bell', 'Marshall', 'Kelly', 'Allen', 'Lewis'];
const ETHNICITIES: Array<readonly [string, number]> = [['WBRI', 82], ['WOTH', 3], ['WIRI', 0.5], ['MWBC', 2], ['MWAS', 1], ['MOTH', 1.5], ['APKN', 2], ['AIND', 1], ['AOTH', 1], ['BAFR', 1.5], ['BCRB', 0.5], ['CHNE', 0.3], ['OOTH', 1], ['REFU', 1], ['NOBT', 1.7]];
const POSTCODE_AREAS: Record<(typeof DISTRICTS)[number], string[]> = {
  Ashfield: ['NG15', 'NG16', 'NG17'], Bassetlaw: ['S80', 'S81', 'DN22'], Broxtowe: ['NG9', 'NG16'], Gedling: ['NG4', 'NG5', 'NG14'],
  Mansfield: ['NG18', 'NG19', 'NG21'], 'Newark and Sherwood': ['NG22', 'NG23', 'NG24'], Rushcliffe: ['NG2', 'NG11', 'NG12', 'NG13'],
};

export interface SyntheticPerson {
  /** Position in the population, stable for a given seed. */
  index: number;
  nhsNumber: string;
  upn: string;
  forename: string;
  surname: string;
  birthDate: string;
  sex: 'M' | 'F';
  ethnicity: string;
  postcode: string;
  district: string;
}

/**
 * The first people's NHS numbers come from the 999 block, three stems apart, as
 * they always have (so the data at the scales in use does not change); the 999
 * block holds about 333,000 of them. Past that, numbers come from other blocks.
 */
export const PEOPLE_IN_999_BLOCK = 333_000;

/** NHS numbers from a reserved synthetic range (starting 999, then 998, 996, ...), valid under modulus 11. */
export function syntheticNhsNumber(index: number): string {
  if (index >= PEOPLE_IN_999_BLOCK) return blockNhsNumber(998, index - PEOPLE_IN_999_BLOCK);
  for (let n = index * 3; ; n++) {
    const nine = `999${String(n).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return nine + String(check);
  }
}

/** Stem pairs in one three-digit block: 500,000 numbers. */
const NUMBERS_PER_BLOCK = 500_000;

/**
 * The k-th number of a series of blocks `first`, `first` - 2, `first` - 4, ...
 * (the population's overflow takes the even blocks from 998 down, former children's
 * the odd ones from 997 down, so the two never meet, nor the 999 block). The k-th
 * number is the valid one of the stems 2k and 2k + 1 of its block: the two differ
 * only in the last digit, whose weight is 2, so their sums differ by 2 modulo 11
 * and at most one has no check digit. Distinct k give distinct numbers. Every
 * block stays in the 900s, far from the ranges the NHS issues to patients.
 */
export function blockNhsNumber(first: number, k: number): string {
  const block = first - 2 * Math.floor(k / NUMBERS_PER_BLOCK);
  if (block < 900) throw new RangeError('The synthetic NHS number blocks are exhausted; seed a smaller scale.');
  const stem = 2 * (k % NUMBERS_PER_BLOCK);
  for (const n of [stem, stem + 1]) {
    const nine = `${block}${String(n).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return nine + String(check);
  }
  throw new Error('unreachable: one of two stems differing by 1 in the last digit has a check digit');
}

/** A UPN: DfE's check letter then 12 digits (891, the council's LA code, and the position). */
function syntheticUpn(index: number): string {
  return withUpnCheckLetter(`891${String(index).padStart(9, '0')}`);
}

/**
 * The synthetic population shared by the council's and the ICB's seed data: the
 * same people, with the same NHS numbers, so their link keys meet across the graph.
 * Deterministic in `seed` and `count`.
 */
export function syntheticPopulation(count: number, today: string, seed = 891, firstIndex = 0): SyntheticPerson[] {
  return [...populationStream(count, today, seed, firstIndex)];
}

/**
 * The same people one at a time, so a large population need not be held whole.
 * `firstIndex` numbers them from a later position (NHS number and UPN), for the
 * blocks a national-scale area is drawn in (casework-history/index.ts).
 */
export function* populationStream(count: number, today: string, seed = 891, firstIndex = 0): Generator<SyntheticPerson> {
  const rng = new Random(seed);
  const districts = DISTRICTS.map((d) => [d, DISTRICT_WEIGHTS[d]] as const);
  const todayDay = toDayNumber(today);
  for (let i = 0; i < count; i++) {
    const district = rng.weighted(districts);
    // Ages 0-25, most of school age, as in the EHC plan caseload.
    const age = rng.weighted([[rng.int(0, 4), 8], [rng.int(5, 10), 35], [rng.int(11, 15), 35], [rng.int(16, 19), 17], [rng.int(20, 25), 5]] as const);
    const birthDate = fromDayNumber(todayDay - age * 365 - rng.int(0, 364));
    const area = rng.pick(POSTCODE_AREAS[district]);
    const index = firstIndex + i;
    yield {
      index,
      nhsNumber: syntheticNhsNumber(index),
      upn: syntheticUpn(index),
      forename: rng.pick(FORENAMES),
      surname: rng.pick(SURNAMES),
      birthDate: birthDate > today ? addDays(today, -1) : birthDate,
      sex: rng.chance(0.72) ? 'M' : 'F', // about 72% of children with EHC plans are boys
      ethnicity: rng.weighted(ETHNICITIES),
      postcode: `${area} ${rng.int(1, 9)}${String.fromCharCode(65 + rng.int(0, 25))}${String.fromCharCode(65 + rng.int(0, 25))}`,
      district,
    };
  }
}
