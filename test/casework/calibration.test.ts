import type { EntityManager } from '@mikro-orm/postgresql';
import { casework } from '../../subgraphs/casework';
import { caseworkCatalogue } from '../../subgraphs/casework/measures/catalogue';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { Interval } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../../subgraphs/toolkit/measures/series';
import { annualReviewOverdue, issuedWithinTwentyWeeks } from '../../subgraphs/casework/rules/timescales';
import { createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';
import { maintainedAndFromScratch, shippedAndReference } from './measure-check';

/** Nottinghamshire's published figures (DfE, EHC plans 2025 release). */
const PUBLISHED_20WK_EXCL: Record<string, number> = { 2019: 85.2, 2020: 98.0, 2021: 43.7, 2022: 4.5, 2023: 32.3, 2024: 37.5 };
const PUBLISHED_PLANS: Record<string, number> = { 2022: 488, 2023: 702, 2024: 1259 };
const PUBLISHED_REQUESTS: Record<string, number> = { 2019: 667, 2021: 811, 2022: 1087, 2023: 1380 };
/** Active plans in January, compared with plans in force on 31 December before. */
const PUBLISHED_ACTIVE_JANUARY: Record<string, number> = { 2023: 4275, 2024: 5422 };

describe('the default synthetic dataset (scale 1) reproduces Nottinghamshire\'s published figures', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework], { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 1, today: '2026-11-22', log: () => undefined });
    orm = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
  }, 120_000);
  afterAll(async () => {
    await orm?.close(true);
    await dbs?.drop();
  });

  it('yearly EHC_20WK_EXCL within 2 points, plans issued and requests within 10%, January caseload within 10%', async () => {
    const result = await measureSeries(orm.em.fork() as EntityManager, caseworkCatalogue, {
      codes: ['EHC_20WK_EXCL', 'EHC_20WK_INCL', 'EHCNA_REQUESTS', 'PLANS_ACTIVE'],
      from: '2019-01-01',
      to: '2025-12-31',
      interval: Interval.YEAR,
    });
    const byCode = Object.fromEntries(result.map((s) => [s.code, Object.fromEntries(s.points.map((p) => [p.periodStart.slice(0, 4), p]))]));
    for (const [year, published] of Object.entries(PUBLISHED_20WK_EXCL)) {
      expect({ year, value: byCode.EHC_20WK_EXCL[year].value }).toEqual({ year, value: expect.closeTo(published, 0) });
      expect(Math.abs(byCode.EHC_20WK_EXCL[year].value! - published)).toBeLessThanOrEqual(2);
    }
    for (const [year, published] of Object.entries(PUBLISHED_PLANS)) {
      expect(Math.abs(byCode.EHC_20WK_INCL[year].denominator! - published) / published).toBeLessThanOrEqual(0.1);
    }
    for (const [year, published] of Object.entries(PUBLISHED_REQUESTS)) {
      expect(Math.abs(byCode.EHCNA_REQUESTS[year].value! - published) / published).toBeLessThanOrEqual(0.1);
    }
    // Requests keep growing after the published years.
    expect(byCode.EHCNA_REQUESTS['2025'].value!).toBeGreaterThan(byCode.EHCNA_REQUESTS['2024'].value!);
    expect(byCode.EHCNA_REQUESTS['2024'].value!).toBeGreaterThan(byCode.EHCNA_REQUESTS['2023'].value!);
    for (const [year, published] of Object.entries(PUBLISHED_ACTIVE_JANUARY)) {
      expect(Math.abs(byCode.PLANS_ACTIVE[year].value! - published) / published).toBeLessThanOrEqual(0.1);
    }
  });

  it('the history runs through today and not beyond', async () => {
    const rows = await orm.em.fork().getConnection().execute(`SELECT
        (SELECT max(received_date) FROM ehcna_request)::text AS last_request,
        (SELECT max(issue_date) FROM ehc_plan)::text AS last_plan,
        (SELECT max(decision_date) FROM annual_review)::text AS last_decision,
        (SELECT count(*) FROM child WHERE nhs_number IS NULL OR link_key IS NULL)::int AS without_keys`);
    expect(rows[0].last_request <= '2026-11-22').toBe(true);
    expect(rows[0].last_plan <= '2026-11-22').toBe(true);
    expect(rows[0].last_decision <= '2026-11-22').toBe(true);
    expect(rows[0].last_request >= '2026-10-01').toBe(true);
    expect(rows[0].without_keys).toBe(0);
  });

  it('the SQL measures agree with the pure statutory rules, plan by plan, on the whole synthetic dataset', async () => {
    const conn = orm.em.fork().getConnection();
    const plans = await conn.execute<Array<{ id: string; child_id: string; issue: string; cease: string | null; received: string | null; exception: boolean | null; outcome: string | null }>>(
      `SELECT e.id, e.child_id, e.issue_date::text AS issue, e.cease_date::text AS cease, r.received_date::text AS received, a.week20exception AS exception, a.outcome
       FROM ehc_plan e LEFT JOIN ehc_needs_assessment a ON a.id = e.assessment_id LEFT JOIN ehcna_request r ON r.id = a.request_id`,
    );
    const meetings = new Map<string, string[]>();
    for (const r of await conn.execute<Array<{ plan_id: string; m: string }>>('SELECT plan_id, meeting_date::text AS m FROM annual_review WHERE meeting_date IS NOT NULL')) {
      meetings.set(r.plan_id, [...(meetings.get(r.plan_id) ?? []), r.m]);
    }
    const covers = new Map<string, Array<[string, string | null]>>();
    for (const a of await conn.execute<Array<{ child_id: string; s: string; e: string | null }>>('SELECT child_id, start_date::text AS s, end_date::text AS e FROM worker_allocation WHERE caseworker_id IS NOT NULL')) {
      covers.set(a.child_id, [...(covers.get(a.child_id) ?? []), [a.s, a.e]]);
    }
    const ends = ['2019-12-31', '2021-06-30', '2022-12-31', '2024-03-31', '2025-12-31', '2026-01-31', '2026-10-31'];
    const result = await measureSeries(orm.em.fork() as EntityManager, caseworkCatalogue, { codes: ['PLANS_ACTIVE', 'AR_OVERDUE', 'PLANS_NO_ALLOCATED_WORKER'], from: '2019-01-01', to: '2026-10-31', interval: Interval.MONTH });
    const sql = Object.fromEntries(result.map((s) => [s.code, Object.fromEntries(s.points.map((p) => [p.periodEnd, p.value]))]));
    for (const end of ends) {
      const active = plans.filter((p) => p.issue <= end && (!p.cease || p.cease > end));
      const overdue = active.filter((p) => annualReviewOverdue(p.issue, meetings.get(p.id) ?? [], end));
      const noWorker = active.filter((p) => !(covers.get(p.child_id) ?? []).some(([s, e]) => s <= end && (!e || e >= end)));
      expect({ end, active: sql.PLANS_ACTIVE[end], overdue: sql.AR_OVERDUE[end], noWorker: sql.PLANS_NO_ALLOCATED_WORKER[end] }).toEqual({ end, active: active.length, overdue: overdue.length, noWorker: noWorker.length });
    }
    const yearly = await measureSeries(orm.em.fork() as EntityManager, caseworkCatalogue, { codes: ['EHC_20WK_EXCL'], from: '2019-01-01', to: '2025-12-31', interval: Interval.YEAR });
    for (const point of yearly[0].points) {
      const issued = plans.filter((p) => p.received && p.outcome !== 'H' && p.issue >= point.periodStart && p.issue <= point.periodEnd && !p.exception);
      const within = issued.filter((p) => issuedWithinTwentyWeeks(p.received!, p.issue, false));
      expect({ year: point.periodStart, n: point.numerator, d: point.denominator }).toEqual({ year: point.periodStart, n: within.length, d: issued.length });
    }
  });

  it('the maintained monthly figures give exactly the answers derived straight from the records, every code, month and filter', async () => {
    const em = () => orm.em.fork() as EntityManager;
    const { maintained, fromScratch } = await maintainedAndFromScratch(em());
    expect(maintained).toEqual(fromScratch);
    const months = await shippedAndReference(em, '2010-01-01', '2026-11-30', [{ district: 'Mansfield' }, { primary_need: 'ASD' }, { district: 'Bassetlaw', primary_need: 'SEMH' }]);
    expect(Object.keys(months.shipped)).toHaveLength(40);
    expect(months.shipped).toEqual(months.reference);
    const years = await shippedAndReference(em, '2015-04-01', '2026-03-31', [{ district: 'Ashfield' }], Interval.FINANCIAL_YEAR);
    expect(years.shipped).toEqual(years.reference);
  }, 120_000);
});
