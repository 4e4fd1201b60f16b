/**
 * What the synthetic history is calibrated on. Published figures are
 * Nottinghamshire's (LA 891) in DfE's "Education, health and care plans", 2025
 * release (the files in ../shared/reference/dfe-ehc-plans-2025/), by calendar
 * year; each constant says which figure it reproduces, or that it is assumed.
 * test/casework/calibration.test.ts checks the reproduced figures through the
 * real SQL measures at scale 1.
 */
import type { HistoryRequest } from './rows';

export interface YearTarget {
  /** New EHC plans issued in the year: timeliness_20_week.csv plans_issued_den. */
  plans: number;
  /** % of them issued within 20 weeks, reg 10(4) exceptions excluded: PC_plans_issued_20_weeks_ex. */
  within20: number;
  /** Plans issued with a reg 10(4) exception: plans_issued_den minus plans_issued_den_ex. */
  exceptions: number;
  /** Requests for an EHC needs assessment received: requests.csv requests_received_in_year. */
  requests: number;
  /** Plans ceasing in the year: not published; sized so the January caseload reaches caseload.csv's 4,275 (2024) and 5,422 (2025). */
  ceased: number;
  /**
   * Shares, 0-1, assumed (no published figure reproduced): decisions on a request
   * within 6 weeks, EP advice back within 6 weeks, review decisions within 4 weeks
   * of the meeting; reviews missed. They make the 2022 backlog show in every measure.
   */
  decision6: number;
  advice6: number;
  review4: number;
  reviewMissed: number;
}

/** 2019-2024: the published figures; 2025 and 2026 continue the trend (requests still growing, timeliness recovering). */
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

/** A year's targets; after 2026, 5% more plans, requests and cessations a year and 60% within 20 weeks. */
export function targetFor(year: number): YearTarget {
  if (TARGETS[year]) return TARGETS[year];
  const last = TARGETS[2026];
  const growth = Math.pow(1.05, year - 2026);
  return { ...last, plans: Math.round(last.plans * growth), requests: Math.round(last.requests * growth), ceased: Math.round(last.ceased * growth), within20: 60 };
}

/** The first year drawn to the published counts. */
export const FIRST_YEAR = 2019;

/** Active EHC plans in January 2019 (caseload.csv 2018/19), issued before the history's first year. */
export const ACTIVE_PLANS_JANUARY_2019 = 2825;

/** When the statutory SEND service began trialling no allocated worker for plans working well (the seeds' story; not a published figure). */
export const NO_WORKER_TRIAL_START = '2026-01-05';

/**
 * Days from request to a late plan, by the year it was issued: assumed, so that
 * the mean weeks to issue follow the 2022 backlog (long in 2022-2024).
 */
export const LATE_RANGE: Record<number, readonly [number, number]> = {
  2019: [141, 230], 2020: [141, 200], 2021: [141, 330], 2022: [141, 480], 2023: [141, 420], 2024: [141, 380], 2025: [141, 300],
};
/** Late plans in a year LATE_RANGE does not name. */
export const LATE_RANGE_OTHER_YEARS = [141, 260] as const;

/** Primary needs of new plans, by weight: near the shares of all plans in sen_needs_all_plans.csv 2024/25 (ASD 48.8%, SEMH 17.2%, OTH 9.2%, SLCN 8%). */
export const SEN_TYPES: Array<readonly [string, number]> = [
  ['ASD', 44], ['SEMH', 18], ['SLCN', 11], ['MLD', 7], ['OTH', 7], ['PD', 5], ['SLD', 2], ['PMLD', 1], ['SPLD', 1], ['HI', 1], ['VI', 0.6], ['MSI', 0.4], ['DS', 1],
];

/** SEN2 cease reasons (1 max age ... 9 other), by weight: assumed. */
export const CEASE_REASONS: Array<readonly [string, number]> = [['1', 15], ['2', 25], ['3', 5], ['4', 10], ['5', 25], ['6', 5], ['7', 5], ['8', 1], ['9', 9]];

/** Who asked for the assessment, by weight: assumed (parents most, then schools). */
export const SOURCES: Array<readonly [HistoryRequest['source'], number]> = [['PARENT', 55], ['SCHOOL', 34], ['HEALTH', 4], ['YOUNG_PERSON', 2], ['OTHER', 5]];
