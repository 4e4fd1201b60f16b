/**
 * The synthetic life cycle of the council's SEND casework, as plain records: who
 * asked for an EHC needs assessment and when, what was decided, the advice asked
 * for, the plans issued, their annual reviews and who the allocated worker is.
 *
 * Pure and deterministic in (people, today), and shared: the casework seed loads
 * it, and the health seed creates the health advice requests that match its
 * assessments, so both sides agree without reading each other's data.
 *
 * - rows.ts: the record types;
 * - calibration.ts: the published figures it reproduces, and what is assumed;
 * - cases.ts: how many requests and plans each year, and how they end;
 * - people.ts: who each case is about;
 * - staff.ts: the teams and caseworkers;
 * - life-cycle.ts: each case's records, request to annual reviews.
 */
import type { SeedOptions } from '../../subgraph';
import { NOTTINGHAMSHIRE_CHILDREN, syntheticPopulation, type SyntheticPerson } from '../population';
import { Random } from '../random';
import { drawCases } from './cases';
import { lifeCycle, type LifeCycleRows } from './life-cycle';
import { attachChildren } from './people';
import type { CaseworkHistory } from './rows';
import { drawStaff } from './staff';

export type { CaseworkHistory } from './rows';

export function generateCaseworkHistory(people: readonly SyntheticPerson[], today: string): CaseworkHistory {
  // The population is sized by the seed's scale (7,500 people at scale 1); recover the scale from it.
  const s = people.length / NOTTINGHAMSHIRE_CHILDREN;
  const rng = new Random(48_912);
  const cases = drawCases(rng, s, today);
  cases.sort((a, b) => (a.receivedDate < b.receivedDate ? -1 : a.receivedDate > b.receivedDate ? 1 : 0));
  const { children, childOf } = attachChildren(rng, cases, people, today);
  const staff = drawStaff(rng, s);
  const rows: LifeCycleRows = { allocations: [], requests: [], assessments: [], plans: [], placements: [], senNeeds: [], reviews: [] };
  for (const c of cases) lifeCycle(rng, c, childOf.get(c)!, staff, today, rows);
  const { allocations, requests, assessments, plans, placements, senNeeds, reviews } = rows;
  return { children, teams: staff.teams, caseworkers: staff.caseworkers, allocations, requests, assessments, plans, placements, senNeeds, reviews };
}

/** The history as both seeds read it: shared, so not to be changed. */
export type SharedHistory = { readonly [K in keyof CaseworkHistory]: ReadonlyArray<Readonly<CaseworkHistory[K][number]>> };

export interface SyntheticArea {
  /** The shared population (7,500 x scale people). */
  people: readonly SyntheticPerson[];
  history: SharedHistory;
}

const drawn = new WeakMap<Pick<SeedOptions, 'scale' | 'today'>, { scale: number; today: string; area: SyntheticArea }>();

/**
 * The population and its history for one seeding run. `npm start` seeds casework
 * and health in one process with the same options object, so the history (about
 * 100,000 records at scale 1) is drawn once and let go with the options.
 */
export function syntheticArea(options: Pick<SeedOptions, 'scale' | 'today'>): SyntheticArea {
  const known = drawn.get(options);
  if (known && known.scale === options.scale && known.today === options.today) return known.area;
  const people = syntheticPopulation(Math.round(NOTTINGHAMSHIRE_CHILDREN * options.scale), options.today);
  const area = { people, history: generateCaseworkHistory(people, options.today) };
  drawn.set(options, { scale: options.scale, today: options.today, area });
  return area;
}
