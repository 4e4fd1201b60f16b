/**
 * The synthetic life cycle of the council's SEND casework, as plain records: who
 * asked for an EHC needs assessment and when, what was decided, the advice asked
 * for, the plans issued, their annual reviews and who the allocated worker is.
 *
 * PURE and deterministic in (people, today): the health subgraph's seed calls it
 * with the same people to create the health advice requests that match the
 * council's assessments, so both sides agree without reading each other's data.
 *
 * Calibrated on Nottinghamshire's published figures (DfE "Education, health and
 * care plans", 2025 release): plans issued, % issued within 20 weeks (excluding
 * exceptions) and requests received, by calendar year; active plans in January.
 * Counts per year are drawn exactly (not by probability), so the default dataset
 * (scale 1) reproduces them; later years continue the trend.
 */
import { addDays, addMonths, daysBetween } from '../dates';
import { nhsCheckDigit } from '../link-key';
import { Random } from './random';
import { NOTTINGHAMSHIRE_CHILDREN, syntheticPopulation, type SyntheticPerson } from './population';

export interface HistoryChild {
  id: string;
  nhsNumber: string;
  upn: string;
  uln: string | null;
  forename: string;
  surname: string;
  birthDate: string;
  sex: 'M' | 'F';
  ethnicity: string;
  postcode: string;
  district: string;
  /** Primary need (SEN2 code) of the child's latest plan, if any. */
  primaryNeed: string | null;
  /** True for people of the shared population; false for former children the history needed (ceased plans, refused requests). */
  inPopulation: boolean;
}

export interface HistoryTeam {
  id: string;
  name: string;
  kind: 'PLAN_AND_REVIEW' | 'FOCUSED_ASSESSMENT';
}

export interface HistoryCaseworker {
  id: string;
  name: string;
  teamId: string;
}

export interface HistoryAllocation {
  id: string;
  childId: string;
  teamId: string | null;
  /** Null when the child deliberately has no allocated worker. */
  caseworkerId: string | null;
  startDate: string;
  /** Last day the allocation held (inclusive); null while it holds. */
  endDate: string | null;
  decidedBy: string | null;
  reason: string | null;
  nextReviewDate: string | null;
}

export interface HistoryRequest {
  id: string;
  childId: string;
  nhsNumber: string;
  receivedDate: string;
  source: 'PARENT' | 'SCHOOL' | 'HEALTH' | 'YOUNG_PERSON' | 'OTHER';
  /** SEN2 RequestOutcome: Y assess, N not assess, A not yet decided, W withdrawn. */
  outcome: 'Y' | 'N' | 'A' | 'W';
  outcomeDate: string | null;
  mediation: boolean;
  tribunal: boolean;
}

export interface HistoryAssessment {
  id: string;
  requestId: string;
  childId: string;
  nhsNumber: string;
  requestReceivedDate: string;
  /** SEN2 AssessmentOutcome: Y issue a plan, N not issue, A pending, W withdrawn. */
  outcome: 'Y' | 'N' | 'A' | 'W';
  outcomeDate: string | null;
  week20Exception: boolean;
  /** Reg 10(4) paragraph: A school closure, B early years closure, C exceptional personal circumstances, D absent from the area. */
  exceptionReason: 'A' | 'B' | 'C' | 'D' | null;
  epAdviceAskedDate: string | null;
  epAdviceReturnedDate: string | null;
  healthAdviceAskedDate: string | null;
  healthAdviceReturnedDate: string | null;
  socialCareAdviceAskedDate: string | null;
  socialCareAdviceReturnedDate: string | null;
}

export interface HistoryPlan {
  id: string;
  childId: string;
  assessmentId: string;
  draftIssueDate: string;
  issueDate: string;
  personalBudget: boolean;
  ceaseDate: string | null;
  /** SEN2 CeaseReason 1-9. */
  ceaseReason: string | null;
}

export interface HistoryPlacement {
  id: string;
  planId: string;
  rank: number;
  urn: string | null;
  ukprn: string | null;
  senSetting: string | null;
  senUnit: boolean;
  resourcedProvision: boolean;
}

export interface HistorySenNeed {
  id: string;
  planId: string;
  senType: string;
  rank: number;
}

export interface HistoryReview {
  id: string;
  planId: string;
  dueDate: string;
  meetingDate: string | null;
  /** M maintain, A amend, C cease. */
  outcome: 'M' | 'A' | 'C' | null;
  decisionDate: string | null;
}

export interface CaseworkHistory {
  children: HistoryChild[];
  teams: HistoryTeam[];
  caseworkers: HistoryCaseworker[];
  allocations: HistoryAllocation[];
  requests: HistoryRequest[];
  assessments: HistoryAssessment[];
  plans: HistoryPlan[];
  placements: HistoryPlacement[];
  senNeeds: HistorySenNeed[];
  reviews: HistoryReview[];
}

interface YearTarget {
  /** Final plans issued in the year (new plans). */
  plans: number;
  /** % of plans issued within 20 weeks, exceptions excluded. */
  within20: number;
  /** Plans with a reg 10(4) exception. */
  exceptions: number;
  /** Requests for assessment received. */
  requests: number;
  /** Plans ceasing in the year. */
  ceased: number;
  /** Shares, 0-1: decisions within 6 weeks, EP advice within 6 weeks, review decisions within 4 weeks; reviews missed. */
  decision6: number;
  advice6: number;
  review4: number;
  reviewMissed: number;
}

/** Published Nottinghamshire figures 2019-2024; 2025 on continue the trend (requests still growing). */
const TARGETS: Record<number, YearTarget> = {
  2019: { plans: 291, within20: 85.2, exceptions: 7, requests: 667, ceased: 150, decision6: 0.9, advice6: 0.85, review4: 0.85, reviewMissed: 0.03 },
  2020: { plans: 402, within20: 98.0, exceptions: 2, requests: 674, ceased: 150, decision6: 0.92, advice6: 0.9, review4: 0.85, reviewMissed: 0.04 },
  2021: { plans: 327, within20: 43.7, exceptions: 2, requests: 811, ceased: 140, decision6: 0.6, advice6: 0.5, review4: 0.75, reviewMissed: 0.06 },
  2022: { plans: 488, within20: 4.5, exceptions: 3, requests: 1087, ceased: 140, decision6: 0.35, advice6: 0.2, review4: 0.6, reviewMissed: 0.1 },
  2023: { plans: 702, within20: 32.3, exceptions: 0, requests: 1380, ceased: 140, decision6: 0.55, advice6: 0.35, review4: 0.55, reviewMissed: 0.14 },
  2024: { plans: 1259, within20: 37.5, exceptions: 0, requests: 1719, ceased: 140, decision6: 0.7, advice6: 0.5, review4: 0.6, reviewMissed: 0.18 },
  2025: { plans: 1500, within20: 45, exceptions: 5, requests: 1900, ceased: 300, decision6: 0.8, advice6: 0.65, review4: 0.7, reviewMissed: 0.2 },
  2026: { plans: 1600, within20: 55, exceptions: 5, requests: 2000, ceased: 320, decision6: 0.85, advice6: 0.75, review4: 0.8, reviewMissed: 0.12 },
};

function targetFor(year: number): YearTarget {
  if (TARGETS[year]) return TARGETS[year];
  const last = TARGETS[2026];
  const growth = Math.pow(1.05, year - 2026);
  return { ...last, plans: Math.round(last.plans * growth), requests: Math.round(last.requests * growth), ceased: Math.round(last.ceased * growth), within20: 60 };
}

/** Active EHC plans in January 2019, issued before the history's first year. */
export const ACTIVE_PLANS_JANUARY_2019 = 2825;
export const FIRST_YEAR = 2019;
/** When the new statutory SEND service began trialling no allocated worker for plans working well. */
export const NO_WORKER_TRIAL_START = '2026-01-05';

/** Days late beyond 20 weeks, by the year the plan was issued (the 2022 backlog ran long). */
const LATE_RANGE: Record<number, [number, number]> = {
  2019: [141, 230], 2020: [141, 200], 2021: [141, 330], 2022: [141, 480], 2023: [141, 420], 2024: [141, 380], 2025: [141, 300],
};

const SEN_TYPES: Array<readonly [string, number]> = [
  ['ASD', 44], ['SEMH', 18], ['SLCN', 11], ['MLD', 7], ['OTH', 7], ['PD', 5], ['SLD', 2], ['PMLD', 1], ['SPLD', 1], ['HI', 1], ['VI', 0.6], ['MSI', 0.4], ['DS', 1],
];
const CEASE_REASONS: Array<readonly [string, number]> = [['1', 15], ['2', 25], ['3', 5], ['4', 10], ['5', 25], ['6', 5], ['7', 5], ['8', 1], ['9', 9]];
const SOURCES: Array<readonly [HistoryRequest['source'], number]> = [['PARENT', 55], ['SCHOOL', 34], ['HEALTH', 4], ['YOUNG_PERSON', 2], ['OTHER', 5]];
const NORTH = new Set(['Ashfield', 'Bassetlaw', 'Mansfield', 'Newark and Sherwood']);
const WORKER_FORENAMES = ['Sam', 'Alex', 'Jo', 'Priya', 'Tom', 'Rachel', 'Imran', 'Helen', 'Chris', 'Nadia', 'Gareth', 'Lucy', 'Dev', 'Kate', 'Owen', 'Hannah'];
const WORKER_SURNAMES = ['Atkins', 'Bramley', 'Clifton', 'Dale', 'Eastwood', 'Fletcher', 'Gould', 'Hucknall', 'Ingram', 'Keyworth', 'Lowdham', 'Moss', 'Newstead', 'Oakes', 'Papplewick', 'Radford'];

type CaseKind = 'PLAN' | 'NOT_ASSESSED' | 'WITHDRAWN' | 'NOT_ISSUED' | 'PENDING_DECISION' | 'PENDING_ASSESSMENT';

interface Case {
  kind: CaseKind;
  receivedDate: string;
  issueDate?: string;
  exception?: boolean;
  within?: boolean;
  ceaseDate?: string;
  year: number;
}

function yearEnd(year: number, today: string): string {
  const end = `${year}-12-31`;
  return end < today ? end : today;
}

/** Fraction of the year elapsed by today (1 for past years). */
function yearFraction(year: number, today: string): number {
  const end = yearEnd(year, today);
  if (end < `${year}-01-01`) return 0;
  return (daysBetween(`${year}-01-01`, end) + 1) / (daysBetween(`${year}-01-01`, `${year}-12-31`) + 1);
}

function dateIn(rng: Random, from: string, to: string): string {
  return addDays(from, rng.int(0, Math.max(0, daysBetween(from, to))));
}

/** NHS numbers for former children, from a part of the synthetic 999 range the shared population never reaches. */
function formerNhsNumber(n: number, taken: Set<string>): string {
  for (let k = 600_000 + n * 2; ; k++) {
    const nine = `999${String(k).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check === null) continue;
    const nhs = nine + String(check);
    if (!taken.has(nhs)) return nhs;
  }
}

export function generateCaseworkHistory(people: SyntheticPerson[], today: string): CaseworkHistory {
  // The population is sized by the seed's scale (7,500 people at scale 1); recover the scale from it.
  const s = people.length / NOTTINGHAMSHIRE_CHILDREN;
  const rng = new Random(48_912);
  const count = (n: number) => Math.round(n * s);
  const lastYear = Number(today.slice(0, 4));
  const cases: Case[] = [];

  // 1. Plans active in January 2019, issued over the previous years.
  for (let i = 0; i < count(ACTIVE_PLANS_JANUARY_2019); i++) {
    const issueDate = dateIn(rng, rng.chance(0.6) ? '2016-01-01' : '2012-06-01', '2018-12-31');
    const within = rng.chance(0.8);
    const duration = within ? rng.int(84, 140) : rng.int(141, 240);
    cases.push({ kind: 'PLAN', receivedDate: addDays(issueDate, -duration), issueDate, within, exception: false, year: Number(issueDate.slice(0, 4)) });
  }

  // 2. Plans issued each year: exactly the published count, the published share within 20 weeks.
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    const t = targetFor(year);
    const fraction = yearFraction(year, today);
    const plans = Math.round(t.plans * s * fraction);
    const exceptions = Math.min(plans, Math.round(t.exceptions * s * fraction));
    const within = Math.round(((plans - exceptions) * t.within20) / 100);
    const late = LATE_RANGE[year] ?? [141, 260];
    for (let i = 0; i < plans; i++) {
      const exception = i < exceptions;
      const isWithin = exception ? rng.chance(0.3) : i < exceptions + within;
      const issueDate = dateIn(rng, `${year}-01-01`, yearEnd(year, today));
      const duration = isWithin ? rng.int(84, 140) : rng.int(late[0], late[1]);
      cases.push({ kind: 'PLAN', receivedDate: addDays(issueDate, -duration), issueDate, within: isWithin, exception, year });
    }
  }

  // 3. Plans ceasing: an exact number a year, among plans active at the start of that year.
  const planCases = cases.filter((c) => c.kind === 'PLAN').sort((a, b) => (a.issueDate! < b.issueDate! ? -1 : 1));
  let pointer = 0;
  const active: Case[] = [];
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    while (pointer < planCases.length && planCases[pointer].issueDate! < `${year}-01-01`) active.push(planCases[pointer++]);
    const ceasing = Math.min(active.length, Math.round(targetFor(year).ceased * s * yearFraction(year, today)));
    for (let i = 0; i < ceasing; i++) {
      const k = rng.int(0, active.length - 1);
      const c = active[k];
      active[k] = active[active.length - 1];
      active.pop();
      c.ceaseDate = dateIn(rng, `${year}-01-01`, yearEnd(year, today));
    }
  }

  // 4. Requests that did not (or not yet) lead to a plan, topping each year up to the published count.
  const planRequestsByYear = new Map<number, number>();
  for (const c of planCases) {
    const y = Number(c.receivedDate.slice(0, 4));
    planRequestsByYear.set(y, (planRequestsByYear.get(y) ?? 0) + 1);
  }
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    const target = Math.round(targetFor(year).requests * s * yearFraction(year, today));
    const filler = Math.max(0, target - (planRequestsByYear.get(year) ?? 0));
    for (let i = 0; i < filler; i++) {
      const receivedDate = dateIn(rng, `${year}-01-01`, yearEnd(year, today));
      const age = daysBetween(receivedDate, today);
      let kind: CaseKind;
      if (age < 42 && rng.chance(0.75)) kind = 'PENDING_DECISION';
      else if (age < 42) kind = rng.chance(0.8) ? 'NOT_ASSESSED' : 'WITHDRAWN';
      else if (age < 300 && rng.chance(0.85)) kind = 'PENDING_ASSESSMENT';
      else kind = rng.weighted([['NOT_ASSESSED', 60], ['NOT_ISSUED', 25], ['WITHDRAWN', 15]] as const);
      cases.push({ kind, receivedDate, year });
    }
  }

  // 5. People: the shared population carries the open cases (active plans and open requests); former children the rest.
  cases.sort((a, b) => (a.receivedDate < b.receivedDate ? -1 : a.receivedDate > b.receivedDate ? 1 : 0));
  const byBirthYear = new Map<number, SyntheticPerson[]>();
  const order = people.map((p) => p);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const p of order) {
    const y = Number(p.birthDate.slice(0, 4));
    const list = byBirthYear.get(y);
    if (list) list.push(p);
    else byBirthYear.set(y, [p]);
  }
  const taken = new Set(people.map((p) => p.nhsNumber));
  const formerPool = syntheticPopulation(Math.max(1, Math.ceil(people.length * 0.8) + 20), today, 7_891);
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
    const base = formerPool[formerCount % formerPool.length];
    const n = formerCount++;
    const nhsNumber = formerNhsNumber(n, taken);
    taken.add(nhsNumber);
    // Aged 2-17 when the request was received.
    const birthDate = addDays(c.receivedDate, -rng.int(2 * 365, 17 * 365));
    return { ...toChild(base, false), nhsNumber, upn: `X892${String(n).padStart(9, '0')}`, birthDate };
  };
  const opensToday = (c: Case) => (c.kind === 'PLAN' ? !c.ceaseDate : c.kind === 'PENDING_DECISION' || c.kind === 'PENDING_ASSESSMENT');
  for (const c of cases) {
    let child: HistoryChild | null = null;
    if (opensToday(c)) {
      // Aged 1-20 at the request and at most 25 today.
      const lo = Math.max(Number(c.receivedDate.slice(0, 4)) - 20, lastYear - 25);
      const hi = Number(c.receivedDate.slice(0, 4)) - 1;
      for (let attempt = 0; attempt < 12 && !child && hi >= lo; attempt++) {
        const list = byBirthYear.get(rng.int(lo, hi));
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
  for (const child of children) {
    if (daysBetween(child.birthDate, today) > 16 * 365 && rng.chance(0.6)) child.uln = `6${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
  }

  // 6. Teams and caseworkers.
  const teams: HistoryTeam[] = [
    { id: rng.uuid(), name: 'Plan and Review North', kind: 'PLAN_AND_REVIEW' },
    { id: rng.uuid(), name: 'Plan and Review South', kind: 'PLAN_AND_REVIEW' },
    { id: rng.uuid(), name: 'Focused Assessment', kind: 'FOCUSED_ASSESSMENT' },
  ];
  const caseworkers: HistoryCaseworker[] = [];
  const workersOf = new Map<string, HistoryCaseworker[]>();
  for (const team of teams) {
    const list: HistoryCaseworker[] = [];
    for (let i = 0; i < Math.max(3, Math.round(12 * s)); i++) {
      list.push({ id: rng.uuid(), name: `${rng.pick(WORKER_FORENAMES)} ${rng.pick(WORKER_SURNAMES)}`, teamId: team.id });
    }
    workersOf.set(team.id, list);
    caseworkers.push(...list);
  }
  const managers = ['Team manager, Plan and Review North', 'Team manager, Plan and Review South'];

  // 7. The life cycle of each case.
  const requests: HistoryRequest[] = [];
  const assessments: HistoryAssessment[] = [];
  const plans: HistoryPlan[] = [];
  const placements: HistoryPlacement[] = [];
  const senNeeds: HistorySenNeed[] = [];
  const reviews: HistoryReview[] = [];
  const allocations: HistoryAllocation[] = [];
  const clip = (d: string | null) => (d !== null && d <= today ? d : null);

  for (const c of cases) {
    const child = childOf.get(c)!;
    const recvYear = Number(c.receivedDate.slice(0, 4));
    const t = targetFor(Math.max(recvYear, FIRST_YEAR));
    const request: HistoryRequest = {
      id: rng.uuid(),
      childId: child.id,
      nhsNumber: child.nhsNumber,
      receivedDate: c.receivedDate,
      source: daysBetween(child.birthDate, c.receivedDate) > 16 * 365 && rng.chance(0.3) ? 'YOUNG_PERSON' : rng.weighted(SOURCES),
      outcome: 'A',
      outcomeDate: null,
      mediation: rng.chance(0.03),
      tribunal: rng.chance(0.02),
    };
    requests.push(request);
    if (c.kind === 'PENDING_DECISION') continue;

    let decisionDays = rng.chance(t.decision6) ? rng.int(21, 42) : rng.int(43, 100);
    if (c.kind === 'PLAN') decisionDays = Math.max(14, Math.min(decisionDays, daysBetween(c.receivedDate, c.issueDate!) - 50));
    const decisionDate = addDays(c.receivedDate, decisionDays);
    if (decisionDate > today) continue; // still awaiting the decision
    request.outcomeDate = decisionDate;
    if (c.kind === 'NOT_ASSESSED' || c.kind === 'WITHDRAWN') {
      request.outcome = c.kind === 'NOT_ASSESSED' ? 'N' : 'W';
      continue;
    }
    request.outcome = 'Y';

    const draftDate = c.kind === 'PLAN' ? addDays(c.issueDate!, -rng.int(15, 28)) : null;
    const askedDate = addDays(decisionDate, rng.int(0, 5));
    const returned = (within6: number, lateMax: number) => {
      let d = addDays(askedDate, rng.chance(within6) ? rng.int(20, 42) : rng.int(43, lateMax));
      if (draftDate && d >= draftDate) d = addDays(draftDate, -1);
      if (d < askedDate) d = askedDate;
      return clip(d);
    };
    const asked = clip(askedDate);
    const healthAsked = asked && rng.chance(0.92) ? asked : null;
    const socialAsked = asked && rng.chance(0.45) ? asked : null;
    const assessment: HistoryAssessment = {
      id: rng.uuid(),
      requestId: request.id,
      childId: child.id,
      nhsNumber: child.nhsNumber,
      requestReceivedDate: c.receivedDate,
      outcome: 'A',
      outcomeDate: null,
      week20Exception: !!c.exception,
      exceptionReason: c.exception ? rng.weighted([['A', 20], ['B', 5], ['C', 60], ['D', 15]] as const) : null,
      epAdviceAskedDate: asked,
      epAdviceReturnedDate: asked ? returned(t.advice6, 150) : null,
      healthAdviceAskedDate: healthAsked,
      healthAdviceReturnedDate: healthAsked ? returned(0.6, 90) : null,
      socialCareAdviceAskedDate: socialAsked,
      socialCareAdviceReturnedDate: socialAsked ? returned(0.7, 80) : null,
    };
    assessments.push(assessment);

    const faTeam = teams[2];
    const faWorkers = workersOf.get(faTeam.id)!;
    if (c.kind === 'NOT_ISSUED') {
      assessment.outcome = rng.chance(0.85) ? 'N' : 'W';
      assessment.outcomeDate = clip(addDays(c.receivedDate, rng.int(100, 150)));
      if (!assessment.outcomeDate) assessment.outcome = 'A';
      continue;
    }
    if (c.kind === 'PENDING_ASSESSMENT') {
      allocations.push({ id: rng.uuid(), childId: child.id, teamId: faTeam.id, caseworkerId: rng.pick(faWorkers).id, startDate: decisionDate, endDate: null, decidedBy: null, reason: null, nextReviewDate: null });
      continue;
    }

    // A plan.
    assessment.outcome = 'Y';
    assessment.outcomeDate = draftDate;
    const primary = rng.weighted(SEN_TYPES);
    child.primaryNeed = primary;
    const plan: HistoryPlan = {
      id: rng.uuid(),
      childId: child.id,
      assessmentId: assessment.id,
      draftIssueDate: draftDate!,
      issueDate: c.issueDate!,
      personalBudget: rng.chance(0.05),
      ceaseDate: c.ceaseDate ?? null,
      ceaseReason: c.ceaseDate ? rng.weighted(CEASE_REASONS) : null,
    };
    if (plan.ceaseDate && plan.ceaseDate <= plan.issueDate) plan.ceaseDate = addDays(plan.issueDate, rng.int(30, 200));
    if (plan.ceaseDate && plan.ceaseDate > today) {
      plan.ceaseDate = null;
      plan.ceaseReason = null;
    }
    plans.push(plan);
    senNeeds.push({ id: rng.uuid(), planId: plan.id, senType: primary, rank: 1 });
    if (rng.chance(0.4)) {
      let second = rng.weighted(SEN_TYPES);
      if (second === primary) second = primary === 'SLCN' ? 'SEMH' : 'SLCN';
      senNeeds.push({ id: rng.uuid(), planId: plan.id, senType: second, rank: 2 });
    }
    const placementCount = rng.chance(0.05) ? 2 : 1;
    for (let rank = 1; rank <= placementCount; rank++) {
      const kind = rng.weighted([['URN', 88], ['UKPRN', 6], ['SETTING', 6]] as const);
      placements.push({
        id: rng.uuid(),
        planId: plan.id,
        rank,
        urn: kind === 'URN' ? String(rng.int(100000, 149999)) : null,
        ukprn: kind === 'UKPRN' ? String(rng.int(10000000, 10099999)) : null,
        senSetting: kind === 'SETTING' ? rng.weighted([['EHE', 30], ['OPA', 30], ['EYP', 15], ['NEET', 15], ['OTH', 10]] as const) : null,
        senUnit: kind === 'URN' && rng.chance(0.05),
        resourcedProvision: kind === 'URN' && rng.chance(0.05),
      });
    }

    // Allocated workers: focused assessment until the plan, then plan and review.
    const prTeam = NORTH.has(child.district) ? teams[0] : teams[1];
    const planEnd = plan.ceaseDate;
    if (c.year >= FIRST_YEAR && daysBetween(decisionDate, plan.issueDate) > 1) {
      allocations.push({ id: rng.uuid(), childId: child.id, teamId: faTeam.id, caseworkerId: rng.pick(faWorkers).id, startDate: decisionDate, endDate: addDays(plan.issueDate, -1), decidedBy: null, reason: null, nextReviewDate: null });
    }
    const lastReviewOutcomeWellBefore: { outcome: string | null } = { outcome: null };

    // Annual reviews: due 12 months after the plan or the last meeting.
    let due = addMonths(plan.issueDate, 12);
    const stop = planEnd ?? today;
    while (due <= stop && due <= today) {
      const dueYear = Math.max(Number(due.slice(0, 4)), FIRST_YEAR);
      const rt = targetFor(dueYear);
      let meeting: string | null;
      if (rng.chance(rt.reviewMissed)) {
        const late = addDays(due, rng.int(40, 300));
        meeting = late <= stop && late <= today ? late : null;
      } else meeting = addDays(due, -rng.int(0, 40));
      const review: HistoryReview = { id: rng.uuid(), planId: plan.id, dueDate: due, meetingDate: meeting, outcome: null, decisionDate: null };
      reviews.push(review);
      if (!meeting) break;
      const decision = addDays(meeting, rng.chance(rt.review4) ? rng.int(5, 28) : rng.int(29, 90));
      review.decisionDate = clip(decision);
      if (review.decisionDate) review.outcome = rng.chance(0.7) ? 'M' : 'A';
      if (planEnd && review.decisionDate && addMonths(meeting, 12) > planEnd && plan.ceaseReason === '2') review.outcome = 'C';
      lastReviewOutcomeWellBefore.outcome = review.outcome;
      due = addMonths(meeting, 12);
    }

    const prWorkers = workersOf.get(prTeam.id)!;
    const trialOn = NO_WORKER_TRIAL_START <= today && plan.issueDate < NO_WORKER_TRIAL_START && (!planEnd || planEnd >= NO_WORKER_TRIAL_START);
    if (trialOn && lastReviewOutcomeWellBefore.outcome === 'M' && rng.chance(0.35)) {
      allocations.push({ id: rng.uuid(), childId: child.id, teamId: prTeam.id, caseworkerId: rng.pick(prWorkers).id, startDate: plan.issueDate, endDate: addDays(NO_WORKER_TRIAL_START, -1), decidedBy: null, reason: null, nextReviewDate: null });
      allocations.push({
        id: rng.uuid(),
        childId: child.id,
        teamId: prTeam.id,
        caseworkerId: null,
        startDate: NO_WORKER_TRIAL_START,
        endDate: planEnd,
        decidedBy: prTeam === teams[0] ? managers[0] : managers[1],
        reason: 'Plan working well at the last annual review; no allocated worker under the plan and review trial.',
        nextReviewDate: addMonths(NO_WORKER_TRIAL_START, 6),
      });
    } else {
      allocations.push({ id: rng.uuid(), childId: child.id, teamId: prTeam.id, caseworkerId: rng.pick(prWorkers).id, startDate: plan.issueDate, endDate: planEnd, decidedBy: null, reason: null, nextReviewDate: null });
    }
  }

  return { children, teams, caseworkers, allocations, requests, assessments, plans, placements, senNeeds, reviews };
}
