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
import { collectGarbage } from '../collect';
import { drawCases, type Case } from './cases';
import { lifeCycle, type LifeCycleRows } from './life-cycle';
import { attachChildren, type FormerNumbering } from './people';
import type { CaseworkHistory, HistoryChild } from './rows';
import { drawStaff, type Staff } from './staff';

export type { CaseworkHistory } from './rows';

/**
 * The largest scale drawn as one area, exactly as it always has been. Past it
 * (national scale) the area is drawn in blocks of at most NATIONAL_BLOCK_SCALE,
 * each from its own random seeds and numbered after the blocks before it, so
 * memory stays that of one block whatever the scale.
 */
export const BLOCK_SCALE = 20;

/** The largest block of a national-scale area: a smaller block than BLOCK_SCALE holds less at once. */
export const NATIONAL_BLOCK_SCALE = 15;

/** Cases whose records are drawn and handed on at a time. */
export const CASES_PER_CHUNK = 2_000;

/**
 * Chunks between full garbage collections (collect.ts): about a tenth of a second
 * each, against seconds of inserts per chunk. Every 3 rather than 10: one block
 * of 15 drawn twice without a database peaks at 388 MB against 410 MB (every
 * chunk: 377 MB, for twice the generator's CPU).
 */
const GC_EVERY_CHUNKS = 3;

/** One block's random seeds: the first block's are the area's own. */
const blockSeed = (base: number, block: number) => (block === 0 ? base : (base + block * 104_729) >>> 0);

/** A block of the area: its people, drawn whole, and its history, drawn a chunk of cases at a time. */
export interface AreaBlock {
  /** 0 for the first. */
  index: number;
  /** How many blocks the area is drawn in. */
  of: number;
  /** This block's share of the seed's scale (the whole scale when there is one block). */
  scale: number;
  people: readonly SyntheticPerson[];
  /** The block's history in the order it is drawn: teams and caseworkers first (first block only), then each chunk of cases' records with their children, then the people with no case. */
  chunks(): Generator<CaseworkHistory>;
}

interface BlockDraw {
  cases: Case[];
  children: HistoryChild[];
  childOf: Map<Case, HistoryChild>;
  staff: Staff;
  rng: Random;
  formerCount: number;
}

/** Everything drawn before the life cycles: the cases, who they are about, and the staff (drawn by the first block, at the whole area's scale). */
function drawBlock(people: readonly SyntheticPerson[], today: string, block: number, areaScale: number, staff: Staff | null, numbering?: FormerNumbering): BlockDraw {
  const s = people.length / NOTTINGHAMSHIRE_CHILDREN;
  const rng = new Random(blockSeed(48_912, block));
  const cases = drawCases(rng, s, today);
  cases.sort((a, b) => (a.receivedDate < b.receivedDate ? -1 : a.receivedDate > b.receivedDate ? 1 : 0));
  const { children, childOf, formerCount } = attachChildren(rng, cases, people, today, numbering);
  return { cases, children, childOf, staff: staff ?? drawStaff(rng, areaScale), rng, formerCount };
}

const emptyRows = (): LifeCycleRows => ({ allocations: [], requests: [], assessments: [], plans: [], placements: [], senNeeds: [], reviews: [] });

/** The life cycles of the block's cases, `CASES_PER_CHUNK` at a time, each chunk with the children its cases are about. */
function* lifeCycles(d: BlockDraw, today: string, withStaff: boolean): Generator<CaseworkHistory> {
  const { teams, caseworkers } = d.staff;
  if (withStaff) yield { children: [], teams, caseworkers, ...emptyRows() };
  for (let from = 0; from < d.cases.length; from += CASES_PER_CHUNK) {
    const rows = emptyRows();
    const cases = d.cases.slice(from, from + CASES_PER_CHUNK);
    for (const c of cases) lifeCycle(d.rng, c, d.childOf.get(c)!, d.staff, today, rows);
    // A case's child is complete (its primary need) once its life cycle is drawn; each case has its own child.
    const children = d.children.slice(from, from + cases.length);
    // What has been handed on is let go, so the block's memory shrinks as it is read.
    for (let i = from; i < from + cases.length; i++) {
      d.childOf.delete(d.cases[i]);
      (d.cases as Array<Case | null>)[i] = null;
      (d.children as Array<HistoryChild | null>)[i] = null;
    }
    yield { children, teams: [], caseworkers: [], ...rows };
    if ((from / CASES_PER_CHUNK) % GC_EVERY_CHUNKS === GC_EVERY_CHUNKS - 1) collectGarbage();
  }
  for (let from = d.cases.length; from < d.children.length; from += CASES_PER_CHUNK * 5) {
    const children = d.children.slice(from, from + CASES_PER_CHUNK * 5);
    for (let i = from; i < from + children.length; i++) (d.children as Array<HistoryChild | null>)[i] = null;
    yield { children, teams: [], caseworkers: [], ...emptyRows() };
  }
}

/** The people of each block: an even split of the area's population, numbered on from the blocks before. */
function blockSizes(scale: number, oneBlockUpTo: number, blockScale: number): number[] {
  const total = Math.round(NOTTINGHAMSHIRE_CHILDREN * scale);
  const blocks = scale <= oneBlockUpTo ? 1 : Math.ceil(scale / blockScale);
  return Array.from({ length: blocks }, (_, b) => Math.floor((total * (b + 1)) / blocks) - Math.floor((total * b) / blocks));
}

/**
 * The synthetic area (its population and casework history) for one seed, block
 * by block. Both seeds draw it for themselves (the casework seed loads all of it,
 * the health seed the people and the health advice asked for in assessments), so
 * nothing of it is held between them. A block's chunks must be read through
 * before the next block is asked for (they share the random source).
 */
export function* areaBlocks(options: Pick<SeedOptions, 'scale' | 'today' | 'blockScale'>, blockScale = options.blockScale): Generator<AreaBlock> {
  const sizes = blockSizes(options.scale, blockScale ?? BLOCK_SCALE, blockScale ?? NATIONAL_BLOCK_SCALE);
  const total = sizes.reduce((a, b) => a + b, 0);
  let firstIndex = 0;
  let firstFormer = 0;
  let staff: Staff | null = null;
  for (let b = 0; b < sizes.length; b++) {
    if (b > 0) collectGarbage(); // the block before is let go before the next is drawn
    const people = syntheticPopulation(sizes[b], options.today, blockSeed(891, b), firstIndex);
    const numbering = sizes.length > 1 ? { first: firstFormer, poolSeed: blockSeed(7_891, b) } : undefined;
    const d = drawBlock(people, options.today, b, total / NOTTINGHAMSHIRE_CHILDREN, staff, numbering);
    const withStaff = staff === null;
    staff = d.staff;
    yield { index: b, of: sizes.length, scale: sizes.length === 1 ? options.scale : options.scale * (sizes[b] / total), people, chunks: () => lifeCycles(d, options.today, withStaff) };
    firstIndex += sizes[b];
    firstFormer += d.formerCount;
  }
}

/** The whole history of a population drawn as one block (small scales, tests). */
export function generateCaseworkHistory(people: readonly SyntheticPerson[], today: string): CaseworkHistory {
  const d = drawBlock(people, today, 0, people.length / NOTTINGHAMSHIRE_CHILDREN, null);
  const all: CaseworkHistory = { children: [], teams: [], caseworkers: [], ...emptyRows() };
  for (const chunk of lifeCycles(d, today, true)) for (const key of Object.keys(all) as Array<keyof CaseworkHistory>) (all[key] as unknown[]).push(...chunk[key]);
  return all;
}

/** The population and whole history of a small area, drawn as one block (tests, and anything that must hold it all). */
export interface SyntheticArea {
  people: readonly SyntheticPerson[];
  history: CaseworkHistory;
}

export function syntheticArea(options: Pick<SeedOptions, 'scale' | 'today'>): SyntheticArea {
  const people = syntheticPopulation(Math.round(NOTTINGHAMSHIRE_CHILDREN * options.scale), options.today);
  return { people, history: generateCaseworkHistory(people, options.today) };
}
