import type { EntityManager } from '@mikro-orm/postgresql';
import { casework } from '../../subgraphs/casework';
import { caseworkCatalogue } from '../../subgraphs/casework/measures/catalogue';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { Interval } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../../subgraphs/toolkit/measures/series';
import { createTestDatabases, type TestDatabases } from '../support/databases';
import { loadKnownCasework } from './fixtures';

describe('casework measures on hand-built data with known answers', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  const statements: string[] = [];
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    await loadKnownCasework(dbs.logins.casework.ownerUrl);
    orm = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations, onQuery: (sql) => statements.push(sql) });
  });
  afterAll(async () => {
    await orm?.close(true);
    await dbs?.drop();
  });

  async function series(codes: string[], from: string, to: string, interval: Interval, bindings: Record<string, unknown> = {}) {
    const result = await measureSeries(orm.em.fork() as EntityManager, caseworkCatalogue, { codes, from, to, interval, bindings });
    return Object.fromEntries(result.map((s) => [s.code, s.points]));
  }
  const values = (points: Array<{ value: number | null }>) => points.map((p) => p.value);

  it('every code in the catalogue, every period, in one SQL statement', async () => {
    statements.length = 0;
    const all = caseworkCatalogue.definitions.map((d) => d.code);
    const res = await series(all, '2019-01-01', '2026-06-30', Interval.MONTH);
    expect(Object.keys(res).sort()).toEqual([...all].sort());
    expect(res.PLANS_ACTIVE).toHaveLength(90);
    expect(statements).toHaveLength(1);
  });

  it('EHC_20WK_EXCL and _INCL: day 140 is within, exceptions leave the headline', async () => {
    const res = await series(['EHC_20WK_EXCL', 'EHC_20WK_INCL'], '2023-01-01', '2023-12-31', Interval.YEAR);
    // E1 day 140 (within), E3 day 141 (late), E2 exception (late): the legacy E4 and transferred E5 are not new plans.
    expect(res.EHC_20WK_EXCL[0]).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(res.EHC_20WK_INCL[0]).toMatchObject({ numerator: 1, denominator: 3, value: 33.3 });
  });

  it('EHC_MEAN_WEEKS: (140 + 211 + 141) days / 7 / 3 plans', async () => {
    const res = await series(['EHC_MEAN_WEEKS'], '2023-01-01', '2023-12-31', Interval.YEAR);
    expect(res.EHC_MEAN_WEEKS[0].denominator).toBe(3);
    expect(res.EHC_MEAN_WEEKS[0].numerator).toBeCloseTo(492 / 7);
    expect(res.EHC_MEAN_WEEKS[0].value).toBe(23.4);
  });

  it('plans fall in the month they were issued', async () => {
    const res = await series(['EHC_20WK_INCL'], '2023-05-01', '2023-08-31', Interval.MONTH);
    expect(res.EHC_20WK_INCL.map((p) => p.denominator)).toEqual([1, 1, 0, 1]);
    expect(values(res.EHC_20WK_INCL)).toEqual([100, 0, null, 0]);
  });

  it('EHCNA_REQUESTS by received date, whatever the outcome', async () => {
    const year = await series(['EHCNA_REQUESTS'], '2022-01-01', '2023-12-31', Interval.YEAR);
    expect(values(year.EHCNA_REQUESTS)).toEqual([1, 5]);
    const months = await series(['EHCNA_REQUESTS'], '2023-01-01', '2023-05-31', Interval.MONTH);
    expect(values(months.EHCNA_REQUESTS)).toEqual([2, 1, 1, 0, 1]);
  });

  it('EHCNA_DECISION_6WK: day 42 on time, day 43 late, withdrawn and undecided left out', async () => {
    const res = await series(['EHCNA_DECISION_6WK'], '2023-01-01', '2023-12-31', Interval.YEAR);
    expect(res.EHCNA_DECISION_6WK[0]).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
  });

  it('EP_ADVICE_6WK: by the month advice came back; advice not yet returned is not counted', async () => {
    const res = await series(['EP_ADVICE_6WK'], '2023-01-01', '2023-12-31', Interval.YEAR);
    expect(res.EP_ADVICE_6WK[0]).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
  });

  it('AR_DECISION_4WK: day 28 on time, day 29 late', async () => {
    const res = await series(['AR_DECISION_4WK'], '2022-01-01', '2024-12-31', Interval.YEAR);
    expect(res.AR_DECISION_4WK.map((p) => [p.numerator, p.denominator])).toEqual([[1, 1], [0, 0], [1, 2]]);
  });

  it('AR_OVERDUE: overdue the day after the due date; a meeting restarts the 12 months; ceased plans drop out', async () => {
    const months = await series(['AR_OVERDUE'], '2024-03-01', '2024-09-30', Interval.MONTH);
    // E5 (issued 2023-04-30, no meeting) is due 2024-04-30: not overdue on 30 April, overdue from May.
    // E2 (issued 2023-08-01, no meeting) overdue from August. E1 and E3 had meetings before their due dates.
    expect(values(months.AR_OVERDUE)).toEqual([0, 0, 1, 1, 1, 2, 2]);
    const years = await series(['AR_OVERDUE'], '2022-01-01', '2025-12-31', Interval.YEAR);
    // 2022: E4's meeting of 2022-01-10 keeps it in time; 2025: E1 (due 2025-05-01) and E3 (2025-06-01) join.
    expect(values(years.AR_OVERDUE)).toEqual([0, 0, 2, 4]);
    // E4 (issued 2015-01-01) had no meeting until 2022-01-10: overdue from 2 January 2016 until that meeting.
    const late = await series(['AR_OVERDUE'], '2015-01-01', '2021-12-31', Interval.YEAR);
    expect(values(late.AR_OVERDUE)).toEqual([0, 1, 1, 1, 1, 1, 1]);
    const around = await series(['AR_OVERDUE'], '2015-12-01', '2016-01-31', Interval.MONTH);
    expect(values(around.AR_OVERDUE)).toEqual([0, 1]);
  });

  it('PLANS_ACTIVE at the end of each period; a plan ceased in the period is not counted', async () => {
    const res = await series(['PLANS_ACTIVE'], '2022-01-01', '2023-12-31', Interval.YEAR);
    expect(values(res.PLANS_ACTIVE)).toEqual([1, 4]);
    const jan = await series(['PLANS_ACTIVE'], '2023-01-01', '2023-01-31', Interval.MONTH);
    expect(values(jan.PLANS_ACTIVE)).toEqual([0]);
  });

  it('PLANS_NO_ALLOCATED_WORKER: no allocation, an ended one, or a decision to have none', async () => {
    const res = await series(['PLANS_NO_ALLOCATED_WORKER'], '2023-01-01', '2025-12-31', Interval.YEAR);
    expect(values(res.PLANS_NO_ALLOCATED_WORKER)).toEqual([1, 2, 2]);
    const jan = await series(['PLANS_NO_ALLOCATED_WORKER'], '2026-01-01', '2026-01-31', Interval.MONTH);
    expect(values(jan.PLANS_NO_ALLOCATED_WORKER)).toEqual([3]);
  });

  it('filters by district and primary need', async () => {
    const a = await series(['EHC_20WK_EXCL', 'PLANS_ACTIVE'], '2023-01-01', '2023-12-31', Interval.YEAR, { district: 'Ashfield' });
    expect(a.EHC_20WK_EXCL[0]).toMatchObject({ numerator: 1, denominator: 2 });
    expect(a.PLANS_ACTIVE[0].value).toBe(3);
    const b = await series(['EHC_20WK_EXCL', 'EHC_20WK_INCL'], '2023-01-01', '2023-12-31', Interval.YEAR, { district: 'Bassetlaw' });
    expect(b.EHC_20WK_EXCL[0]).toMatchObject({ numerator: 0, denominator: 0, value: null });
    expect(b.EHC_20WK_INCL[0]).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    const semh = await series(['EHCNA_REQUESTS'], '2022-01-01', '2023-12-31', Interval.YEAR, { primary_need: 'SEMH' });
    expect(values(semh.EHCNA_REQUESTS)).toEqual([1, 1]);
    const both = await series(['PLANS_ACTIVE'], '2023-01-01', '2023-12-31', Interval.YEAR, { district: 'Ashfield', primary_need: 'MLD' });
    expect(values(both.PLANS_ACTIVE)).toEqual([1]);
  });

  it('financial years run April to March', async () => {
    const res = await series(['EHCNA_REQUESTS'], '2022-04-01', '2023-03-31', Interval.FINANCIAL_YEAR);
    expect(res.EHCNA_REQUESTS[0]).toMatchObject({ periodStart: '2022-04-01', periodEnd: '2023-03-31', value: 5 });
  });
});
