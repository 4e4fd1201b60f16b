import { BREACH_WEEKS, forecastPipeline, hazardsOf, MIN_AT_RISK, passingTwentyWeeks, type Ending, type ForecastInput, type LifeTable } from '../../subgraphs/casework/rules/forecast';

/** A life table in which `n` requests all end in week `week` with `ending`, open every week before. */
function allEndIn(week: number, ending: Ending, n = 100): LifeTable {
  return Array.from({ length: week + 1 }, (_, k) => ({
    atRisk: n,
    ended: { ON_TIME: 0, LATE: 0, EXCEPTION: 0, NO_PLAN: 0, ...(k === week ? { [ending]: n } : {}) },
  }));
}

const none = { within: 0, total: 0 };
/** Made at the end of Q1 2026: the quarter is Q2, the year 2026. */
function input(over: Partial<ForecastInput>): ForecastInput {
  return {
    asOf: '2026-03-31',
    open: [],
    central: allEndIn(10, 'ON_TIME'),
    recent: [],
    arrivalsPerDay: 0,
    quarter: { startDate: '2026-04-01', endDate: '2026-06-30', issued: none },
    year: { startDate: '2026-01-01', endDate: '2026-12-31', issued: none },
    ...over,
  };
}

describe('when open requests pass 20 weeks if not issued', () => {
  it('places day 141 from the request in the week after asOf it falls in, and leaves out those already past or beyond 12 weeks', () => {
    const weeks = passingTwentyWeeks('2026-03-31', [
      { ageDays: 140, count: 1 }, // day 141 is 1 April: week 1
      { ageDays: 134, count: 2 }, // day 141 is 7 April: still week 1
      { ageDays: 133, count: 4 }, // 8 April: week 2
      { ageDays: 141, count: 8 }, // already late: not passing
      { ageDays: 57, count: 16 }, // asOf + 84: week 12
      { ageDays: 56, count: 32 }, // asOf + 85: beyond
    ], null);
    expect(weeks).toHaveLength(BREACH_WEEKS);
    expect(weeks[0]).toMatchObject({ startDate: '2026-04-01', endDate: '2026-04-07', count: 3, expected: 3 });
    expect(weeks[1]).toMatchObject({ startDate: '2026-04-08', count: 4 });
    expect(weeks[11]).toMatchObject({ endDate: '2026-06-23', count: 16 });
    expect(weeks.reduce((s, w) => s + w.count, 0)).toBe(23);
  });

  it('expects fewer still open when the history ends requests before day 140', () => {
    // Half of the requests end with no plan in week 15; the rest go on past 20 weeks.
    const table: LifeTable = Array.from({ length: 30 }, (_, k) => ({
      atRisk: k <= 15 ? 100 : 50,
      ended: { ON_TIME: 0, LATE: 0, EXCEPTION: 0, NO_PLAN: k === 15 ? 50 : 0 },
    }));
    const weeks = passingTwentyWeeks('2026-03-31', [{ ageDays: 60, count: 10 }, { ageDays: 120, count: 20 }], hazardsOf(table));
    expect(weeks.find((w) => w.count === 10)).toMatchObject({ expected: 5 }); // aged 60: week 15 still ahead
    expect(weeks.find((w) => w.count === 20)).toMatchObject({ expected: 20 }); // aged 120: week 15 behind it
  });
});

describe('the life table', () => {
  it('pools a thin week with every later one', () => {
    const table: LifeTable = [
      { atRisk: 100, ended: { ON_TIME: 10, LATE: 0, EXCEPTION: 0, NO_PLAN: 0 } },
      { atRisk: MIN_AT_RISK - 1, ended: { ON_TIME: 0, LATE: 3, EXCEPTION: 0, NO_PLAN: 0 } },
      { atRisk: 1, ended: { ON_TIME: 0, LATE: 1, EXCEPTION: 0, NO_PLAN: 0 } },
    ];
    const h = hazardsOf(table)!;
    expect(h[0].ON_TIME).toBeCloseTo(0.1);
    expect(h[1].LATE).toBeCloseTo(4 / MIN_AT_RISK);
    expect(h[2].LATE).toBeCloseTo(1);
    expect(h[200].LATE).toBeCloseTo(1); // older than anyone seen: the last rates carry on
  });

  it('is null with no history at all', () => {
    expect(hazardsOf([])).toBeNull();
  });
});

describe('the projected 20-week percentage', () => {
  it('adds the plans expected in the period to those issued so far', () => {
    // Ten requests aged two weeks all end on time in week 10: day 73, 59 days after asOf, inside Q2.
    const f = forecastPipeline(input({ open: [{ ageDays: 14, count: 10 }], quarter: { startDate: '2026-04-01', endDate: '2026-06-30', issued: none } }));
    expect(f.quarter).toMatchObject({ expectedPlans: 10, expectedWithin: 10, percent: 100 });
    const half = forecastPipeline(input({ open: [{ ageDays: 14, count: 10 }], year: { startDate: '2026-01-01', endDate: '2026-12-31', issued: { within: 0, total: 10 } } }));
    expect(half.year.percent).toBe(50);
  });

  it('leaves late plans falling after the period out of it', () => {
    // Ending in week 30 (day 213 of age): 199 days after asOf, after Q2 but within the year.
    const f = forecastPipeline(input({ open: [{ ageDays: 14, count: 10 }], central: allEndIn(30, 'LATE') }));
    expect(f.quarter.percent).toBeNull();
    expect(f.quarter.expectedPlans).toBe(0);
    expect(f.year).toMatchObject({ expectedPlans: 10, percent: 0 });
  });

  it('counts neither exceptions nor requests ending with no plan', () => {
    const table: LifeTable = Array.from({ length: 11 }, (_, k) => ({
      atRisk: 100,
      ended: { ON_TIME: k === 10 ? 50 : 0, LATE: 0, EXCEPTION: k === 10 ? 25 : 0, NO_PLAN: k === 10 ? 25 : 0 },
    }));
    const f = forecastPipeline(input({ open: [{ ageDays: 14, count: 20 }], central: table }));
    expect(f.quarter).toMatchObject({ expectedPlans: 10, expectedWithin: 10, percent: 100 });
  });

  it('adds plans from requests not yet received at the last year\'s rate', () => {
    // One a day, each ending on time in its first week (day 3): Q2's 91 days receive plans from 1 April to 27 June.
    const f = forecastPipeline(input({ arrivalsPerDay: 1, central: allEndIn(0, 'ON_TIME') }));
    expect(f.quarter.expectedPlans).toBeCloseTo(88, 0);
    expect(f.quarter.percent).toBe(100);
  });

  it('gives a range that holds the projection and spreads with the recent quarters', () => {
    const open = [{ ageDays: 14, count: 40 }];
    const alone = forecastPipeline(input({ open, year: { startDate: '2026-01-01', endDate: '2026-12-31', issued: { within: 40, total: 80 } } }));
    const spread = forecastPipeline(input({ open, recent: [allEndIn(10, 'LATE')], year: { startDate: '2026-01-01', endDate: '2026-12-31', issued: { within: 40, total: 80 } } }));
    expect(alone.year.percent).toBeCloseTo(66.7, 1);
    expect(alone.year.low).toBe(alone.year.percent); // everything still to come is on time: no chance variation either
    expect(spread.year.low).toBeCloseTo(33.3, 1); // had the late quarter's rates held
    expect(spread.year.high).toBe(spread.year.percent);
  });

  it('falls back to the plans issued so far when there is no history', () => {
    const f = forecastPipeline(input({ central: [], open: [{ ageDays: 14, count: 10 }], year: { startDate: '2026-01-01', endDate: '2026-12-31', issued: { within: 3, total: 4 } } }));
    expect(f.year).toMatchObject({ percent: 75, low: 75, high: 75, expectedPlans: 0 });
    expect(f.quarter.percent).toBeNull();
  });
});
