// Over 300 lines: the health seed's draws (referrals, SPACE, health advice) and the seed that inserts them block by block share one calibration, one block numbering and one order of random draws; split, what keeps the drawn data identical would be spread over files.
import { performance } from 'node:perf_hooks';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, daysBetween, maxDate } from '../../toolkit/dates';
import { linkKeyFor } from '../../toolkit/link-key';
import type { SeedOptions } from '../../toolkit/subgraph';
import { areaBlocks, type CaseworkHistory } from '../../toolkit/synthetic/casework-history';
import { collectGarbage } from '../../toolkit/synthetic/collect';
import { insertInChunks } from '../../toolkit/synthetic/insert';
import { NORTHERN_DISTRICTS, type SyntheticPerson } from '../../toolkit/synthetic/population';
import { Random } from '../../toolkit/synthetic/random';
import { HealthAdvice, HealthService, Pathway, Referral, SpaceAttendance, SpaceCohort, SpaceEnrolment, Urgency } from '../entities';
import { refreshMonthEnds } from '../measures/month-ends';
import { DEFAULT_PLANNED_SESSIONS, FASA_MAX, FASA_MIN } from '../rules/space';

/** The synthetic history starts with the DfE series the partnership compares against. */
const HISTORY_START = '2019-01-01';
/** SPACE has run in Nottinghamshire since 2024 (the seeds). */
const SPACE_START = '2024-01-08';

const PATHWAY_MIX: ReadonlyArray<readonly [Pathway, number]> = [
  [Pathway.CAMHS, 30], [Pathway.NEURODEVELOPMENTAL, 26], [Pathway.SALT, 15], [Pathway.OT, 8],
  [Pathway.PHYSIOTHERAPY, 5], [Pathway.COMMUNITY_PAEDIATRICS, 12], [Pathway.EATING_DISORDERS, 2],
];

/** A referral as the seed inserts it: the entity's own fields, with its service by id. */
export type SyntheticReferral = Required<Pick<Referral, 'id' | 'sourceId' | 'linkKey' | 'pathway' | 'urgency' | 'receivedDate' | 'firstContactDate' | 'secondContactDate' | 'dischargeDate' | 'dischargeReason'>> & { service: string };

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Days from referral to first contact, by pathway and urgency. Calibrated to the
 * picture the partnership describes: neurodevelopmental assessment waits long and
 * lengthening (most over 13 weeks, many over a year); CAMHS routine around 10 weeks,
 * urgent within days; therapies and paediatrics around the 18-week mark.
 */
function waitDays(rng: Random, pathway: Pathway, urgency: Urgency, receivedDate: string): number {
  const urgent = urgency === Urgency.URGENT;
  const years = daysBetween(HISTORY_START, receivedDate) / 365;
  switch (pathway) {
    case Pathway.CAMHS:
      return Math.round(urgent ? rng.logNormal(4, 0.6) : rng.logNormal(70, 0.55));
    case Pathway.EATING_DISORDERS:
      return Math.round(urgent ? rng.logNormal(4, 0.4) : rng.logNormal(20, 0.4));
    case Pathway.NEURODEVELOPMENTAL:
      return Math.round(urgent ? rng.logNormal(120, 0.5) : rng.logNormal(220 + 45 * years, 0.5));
    case Pathway.SALT:
    case Pathway.OT:
    case Pathway.PHYSIOTHERAPY:
      return Math.round(urgent ? rng.logNormal(21, 0.5) : rng.logNormal(112, 0.4));
    default:
      return Math.round(urgent ? rng.logNormal(28, 0.5) : rng.logNormal(105, 0.45));
  }
}

function serviceCode(rng: Random, pathway: Pathway, urgency: Urgency, person: SyntheticPerson): string {
  const north = NORTHERN_DISTRICTS.has(person.district);
  switch (pathway) {
    case Pathway.CAMHS:
      if (urgency === Urgency.URGENT && rng.chance(0.5)) return 'CAMHS-CRISIS';
      return north ? 'NN-CAMHS' : 'SN-CAMHS';
    case Pathway.NEURODEVELOPMENTAL:
      return north ? 'ND-NORTH' : 'ND-SOUTH';
    case Pathway.COMMUNITY_PAEDIATRICS:
      return north ? 'PAEDS-NORTH' : 'PAEDS-SOUTH';
    case Pathway.SALT:
      return 'SALT';
    case Pathway.OT:
      return 'OT';
    case Pathway.PHYSIOTHERAPY:
      return 'PHYSIO';
    case Pathway.EATING_DISORDERS:
      return 'CYP-EDS';
    default:
      return 'SPACE';
  }
}

/** Which block of a national-scale area is drawn (casework-history's `areaBlocks`): its random seeds, and where its numbering starts. */
export interface BlockDraw {
  seed(base: number): number;
  /** Referrals (source ids) or SPACE groups numbered in the blocks before. */
  firstNumber: number;
}

/** A block's seeds: the first block's (and so every scale up to one block) are the area's own. */
export function blockDraw(index: number, firstNumber: number): BlockDraw {
  return { seed: (base) => (index === 0 ? base : (base + index * 104_729) >>> 0), firstNumber };
}

const FIRST_BLOCK = blockDraw(0, 0);

/** Referrals handed on at a time by `referralChunks`: a block's referrals are never held whole. */
export const REFERRALS_PER_CHUNK = 5_000;

/** Pure: the referrals of the shared population, deterministic in its inputs. */
export function generateReferrals(people: readonly SyntheticPerson[], linkKeys: ReadonlyMap<string, string>, serviceIds: ReadonlyMap<string, string>, today: string, block: BlockDraw = FIRST_BLOCK): SyntheticReferral[] {
  const all: SyntheticReferral[] = [];
  for (const chunk of referralChunks(people, linkKeys, serviceIds, today, block)) for (const r of chunk) all.push(r);
  return all;
}

/**
 * The same referrals, person by person in the same order, handed on about
 * `chunk` at a time (a person's referrals stay together) so a seed can insert
 * and let go of them as they are drawn.
 */
export function* referralChunks(people: readonly SyntheticPerson[], linkKeys: ReadonlyMap<string, string>, serviceIds: ReadonlyMap<string, string>, today: string, block: BlockDraw = FIRST_BLOCK, chunk = REFERRALS_PER_CHUNK): Generator<SyntheticReferral[]> {
  const rng = new Random(block.seed(5_891));
  let referrals: SyntheticReferral[] = [];
  let drawn = 0;
  for (const person of people) {
    if (referrals.length >= chunk) {
      yield referrals;
      referrals = [];
    }
    const count = rng.weighted([[0, 30], [1, 40], [2, 20], [3, 10]] as const);
    const earliest = maxDate(HISTORY_START, addDays(person.birthDate, 365));
    const span = daysBetween(earliest, today);
    if (span <= 0) continue;
    for (let i = 0; i < count; i++) {
      const receivedDate = addDays(earliest, rng.int(0, span));
      const ageYears = daysBetween(person.birthDate, receivedDate) / 365;
      let pathway = rng.weighted(PATHWAY_MIX);
      if (pathway === Pathway.EATING_DISORDERS && ageYears < 10) pathway = Pathway.CAMHS;
      const urgentShare = pathway === Pathway.CAMHS ? 0.15 : pathway === Pathway.EATING_DISORDERS ? 0.3 : 0.03;
      const urgency = rng.chance(urgentShare) ? Urgency.URGENT : Urgency.ROUTINE;
      const code = serviceCode(rng, pathway, urgency, person);
      const r: SyntheticReferral = {
        id: rng.uuid(),
        sourceId: `SYN-${String(block.firstNumber + ++drawn).padStart(7, '0')}`,
        linkKey: linkKeys.get(person.nhsNumber)!,
        service: serviceIds.get(code)!,
        pathway,
        urgency,
        receivedDate,
        firstContactDate: null,
        secondContactDate: null,
        dischargeDate: null,
        dischargeReason: null,
      };
      referrals.push(r);
      // About 7% are closed before anyone sees the child.
      if (rng.chance(0.07)) {
        const closed = addDays(receivedDate, rng.int(7, 120));
        if (closed <= today) {
          r.dischargeDate = closed;
          r.dischargeReason = rng.weighted([['Referral not accepted', 40], ['Moved out of area', 20], ['Did not attend', 25], ['Declined by family', 15]] as const);
        }
        continue;
      }
      const first = addDays(receivedDate, Math.max(0, waitDays(rng, pathway, urgency, receivedDate)));
      if (first > today) continue; // still waiting
      r.firstContactDate = first;
      const second = addDays(first, Math.max(1, Math.round(rng.logNormal(pathway === Pathway.NEURODEVELOPMENTAL ? 45 : 21, 0.5))));
      if (rng.chance(0.8) && second <= today) r.secondContactDate = second;
      const discharge = addDays(r.secondContactDate ?? first, Math.round(rng.logNormal(pathway === Pathway.CAMHS ? 150 : 90, 0.6)));
      if (discharge <= today) {
        r.dischargeDate = discharge;
        r.dischargeReason = pathway === Pathway.NEURODEVELOPMENTAL
          ? rng.weighted([['Assessment completed', 85], ['Did not attend', 8], ['Moved out of area', 7]] as const)
          : rng.weighted([['Treatment completed', 75], ['Did not attend', 10], ['Moved out of area', 5], ['Transferred to adult services', 5], ['Declined by family', 5]] as const);
      }
    }
  }
  if (referrals.length > 0) yield referrals;
}

/** Adds the children with a CAMHS referral (by link key, first referral first): the families SPACE draws from. */
export function addSpaceFamilies(families: Set<string>, referrals: readonly SyntheticReferral[]): void {
  for (const r of referrals) if (r.pathway === Pathway.CAMHS) families.add(r.linkKey);
}

export interface SyntheticSpace {
  cohorts: Array<{ id: string; name: string; service: string; delivery: 'GROUP' | 'ONE_TO_ONE'; startDate: string; plannedSessions: number }>;
  enrolments: Array<{ id: string; cohort: string; linkKey: string; fasaBefore: number | null; fasaAfter: number | null }>;
  attendance: Array<{ id: string; enrolment: string; sessionNumber: number; sessionDate: string; attended: boolean }>;
}

/**
 * Pure: SPACE cohorts since 2024, mostly groups of 5-10 families, some one-to-one,
 * 12 weekly sessions; families drawn from children with a CAMHS referral. FASA
 * scores fall on average (less accommodation), more for families who complete.
 */
export function generateSpace(referrals: readonly SyntheticReferral[], spaceServiceId: string, scale: number, today: string, block: BlockDraw = FIRST_BLOCK): SyntheticSpace {
  const families = new Set<string>();
  addSpaceFamilies(families, referrals);
  return drawSpace(families, spaceServiceId, scale, today, block);
}

/** The same SPACE cohorts from the families alone (`addSpaceFamilies`), for a seed that does not hold the referrals. */
export function drawSpace(familySet: ReadonlySet<string>, spaceServiceId: string, scale: number, today: string, block: BlockDraw = FIRST_BLOCK): SyntheticSpace {
  const rng = new Random(block.seed(6_891));
  const families = [...familySet];
  if (families.length === 0) return { cohorts: [], enrolments: [], attendance: [] };
  // Families are drawn without repeats until all have been, then afresh (only small scales run out).
  let pool: string[] = [];
  const refill = () => {
    pool = [...families];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
  };
  const out: SyntheticSpace = { cohorts: [], enrolments: [], attendance: [] };
  const perMonth = (rate: number) => Math.floor(rate) + (rng.chance(rate - Math.floor(rate)) ? 1 : 0);
  let groupNo = block.firstNumber;
  for (let month = SPACE_START; month <= today; month = addDays(month, 28)) {
    const groups = perMonth(1.5 * scale + 0.3);
    const oneToOne = perMonth(1.2 * scale + 0.2);
    for (let g = 0; g < groups + oneToOne; g++) {
      const delivery = g < groups ? 'GROUP' : 'ONE_TO_ONE';
      const startDate = addDays(month, rng.int(0, 20));
      if (startDate > today) continue;
      const size = Math.min(delivery === 'GROUP' ? rng.int(5, 10) : 1, families.length);
      if (pool.length < size) refill();
      groupNo++;
      const cohort = {
        id: rng.uuid(),
        name: `${delivery === 'GROUP' ? 'Group' : 'One-to-one'} ${groupNo}, starting ${startDate}`,
        service: spaceServiceId,
        delivery: delivery as 'GROUP' | 'ONE_TO_ONE',
        startDate,
        plannedSessions: rng.chance(0.9) ? DEFAULT_PLANNED_SESSIONS : 10,
      };
      out.cohorts.push(cohort);
      for (let f = 0; f < size; f++) {
        const linkKey = pool.pop()!;
        const engagement = rng.weighted([[0.92, 70], [0.65, 20], [0.3, 10]] as const);
        const id = rng.uuid();
        let attended = 0;
        let held = 0;
        for (let s = 1; s <= cohort.plannedSessions; s++) {
          const sessionDate = addDays(startDate, 7 * (s - 1));
          if (sessionDate > today) break;
          const came = rng.chance(engagement);
          held++;
          if (came) attended++;
          out.attendance.push({ id: rng.uuid(), enrolment: id, sessionNumber: s, sessionDate, attended: came });
        }
        const before = rng.chance(0.95) ? clamp(Math.round(rng.normal(21, 6)), FASA_MIN, FASA_MAX) : null;
        const finished = held === cohort.plannedSessions;
        let after: number | null = null;
        if (before !== null && finished && rng.chance(attended / held > 0.6 ? 0.9 : 0.5)) {
          const drop = attended / held >= 0.75 ? rng.normal(7, 5) : rng.normal(2, 4);
          after = clamp(Math.round(before - drop), FASA_MIN, FASA_MAX);
        }
        out.enrolments.push({ id, cohort: cohort.id, linkKey, fasaBefore: before, fasaAfter: after });
      }
    }
  }
  return out;
}

/**
 * Pure: the health advice the council asked for in its EHC needs assessments (the
 * casework history's assessments, so the same ids and children), returned on the
 * dates the council's records say: most within 6 weeks, a realistic share late.
 */
export function generateHealthAdvice(assessments: CaseworkHistory['assessments'], linkKeyOf: (nhsNumber: string) => string, rng = new Random(7_891)): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const a of assessments) {
    if (!a.healthAdviceAskedDate) continue;
    rows.push({ id: rng.uuid(), assessmentId: a.id, linkKey: linkKeyOf(a.nhsNumber), askedDate: a.healthAdviceAskedDate, returnedDate: a.healthAdviceReturnedDate });
  }
  return rows;
}

export async function seedHealth(em: EntityManager, options: SeedOptions): Promise<void> {
  const services = await em.find(HealthService, {});
  const serviceIds = new Map(services.map((s) => [s.code, s.id]));
  const counts = { referrals: 0, advice: 0, cohorts: 0, families: 0 };
  const started = performance.now();
  let loaded = started;
  await em.transactional(async (t) => {
    const connection = t.getConnection();
    // One rebuild of the measures' month tables at the end is cheaper than a refresh per chunk.
    await connection.execute(`SET LOCAL health.defer_measure_months = 'on'`, [], 'run', t.getTransactionContext());
    // Block by block (one block up to SEED_SCALE 20), so memory stays that of one block whatever the scale.
    for (const block of areaBlocks(options)) {
      const keys = new Map<string, string>();
      const linkKeyOf = (nhs: string) => {
        let k = keys.get(nhs);
        if (!k) keys.set(nhs, (k = linkKeyFor(nhs, options.linkKeySecret)));
        return k;
      };
      for (const p of block.people) linkKeyOf(p.nhsNumber);
      // Referrals inserted as they are drawn; SPACE then draws from the families they named.
      const families = new Set<string>();
      for (const referrals of referralChunks(block.people, keys, serviceIds, options.today, blockDraw(block.index, counts.referrals))) {
        addSpaceFamilies(families, referrals);
        await insertInChunks(t, Referral, referrals as unknown as Array<Record<string, unknown>>);
        counts.referrals += referrals.length;
      }
      collectGarbage(); // the referrals' garbage, before the block's history is drawn a second time
      // The advice asked for in the block's assessments, read from its history a chunk at a time.
      const adviceRng = new Random(blockDraw(block.index, 0).seed(7_891));
      for (const chunk of block.chunks()) {
        const advice = generateHealthAdvice(chunk.assessments, linkKeyOf, adviceRng);
        await insertInChunks(t, HealthAdvice, advice);
        counts.advice += advice.length;
      }
      const space = drawSpace(families, serviceIds.get('SPACE')!, block.scale, options.today, blockDraw(block.index, counts.cohorts));
      await insertInChunks(t, SpaceCohort, space.cohorts);
      await insertInChunks(t, SpaceEnrolment, space.enrolments);
      await insertInChunks(t, SpaceAttendance, space.attendance);
      counts.cohorts += space.cohorts.length;
      counts.families += space.enrolments.length;
    }
    loaded = performance.now();
    await refreshMonthEnds(t);
    await connection.execute('SELECT health_rebuild_measure_months()', [], 'all', t.getTransactionContext());
  });
  // Fresh statistics, so the first queries after seeding are planned on the real volumes.
  await em.getConnection().execute('ANALYZE referral, health_advice_request, space_cohort, space_enrolment, space_attendance, health_month_end, health_month_end_service, health_first_contact_month, health_first_contact_distribution, health_advice_month, health_space_cohort_fact, health_space_month');
  options.log(`health: ${counts.referrals} referrals, ${counts.advice} health advice requests, ${counts.cohorts} SPACE cohorts with ${counts.families} families (drawn and inserted in ${((loaded - started) / 1000).toFixed(1)} s, month tables and statistics in ${((performance.now() - loaded) / 1000).toFixed(1)} s)`);
}
