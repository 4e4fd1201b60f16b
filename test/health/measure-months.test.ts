import type { EntityManager } from '@mikro-orm/postgresql';
import { health } from '../../subgraphs/health';
import { healthCatalogue, HEALTH_MEASURE_CODES } from '../../subgraphs/health/measures/catalogue';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { computeMeasures, type MeasureDefinition } from '../../subgraphs/toolkit/measures/engine';
import { Interval, periodsBetween } from '../../subgraphs/toolkit/measures/periods';
import { createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';

/**
 * The measures that read the maintained month tables give exactly what the same
 * measures computed from the raw rows give: every code, every interval, every
 * filter, on seeded data and again after writes of every kind (inserts, updates
 * that move a row between months, services and pathways, deletes, upserts,
 * TRUNCATE), made as the app's login makes them.
 */

const cohortEnd = `(c.start_date + 7 * (c.planned_sessions - 1))`;
const pathwayFilter = `(CAST(:pathway AS text) IS NULL OR r.pathway = CAST(:pathway AS text))`;
const referralServiceFilter = `(CAST(:serviceId AS uuid) IS NULL OR r.service_id = CAST(:serviceId AS uuid))`;
const cohortServiceFilter = `(CAST(:serviceId AS uuid) IS NULL OR c.service_id = CAST(:serviceId AS uuid))`;

/** The measures as computed from raw rows on every call, before the month tables. */
const FROM_RAW_ROWS: Record<string, string> = {
  FIRST_CONTACT_MEDIAN_WEEKS: `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (r.first_contact_date - r.received_date) / 7.0) * count(*) AS numerator, count(*) AS denominator FROM referral r
      WHERE r.first_contact_date BETWEEN p.period_start AND p.period_end AND ${pathwayFilter} AND ${referralServiceFilter}`,
  HEALTH_ADVICE_6WK_PCT: `SELECT count(*) FILTER (WHERE h.returned_date - h.asked_date <= 42) AS numerator, count(*) AS denominator FROM health_advice_request h
      WHERE h.returned_date BETWEEN p.period_start AND p.period_end`,
  SPACE_FAMILIES_ENROLLED: `SELECT count(*) AS numerator, NULL AS denominator FROM space_enrolment e JOIN space_cohort c ON c.id = e.cohort_id
      WHERE c.start_date BETWEEN p.period_start AND p.period_end AND ${cohortServiceFilter}`,
  SPACE_COMPLETION_PCT: `SELECT count(*) FILTER (WHERE 4 * (SELECT count(*) FROM space_attendance a WHERE a.enrolment_id = e.id AND a.attended) >= 3 * c.planned_sessions) AS numerator,
        count(*) AS denominator
      FROM space_enrolment e JOIN space_cohort c ON c.id = e.cohort_id
      WHERE ${cohortEnd} BETWEEN p.period_start AND p.period_end AND ${cohortServiceFilter}`,
  SPACE_FASA_MEAN_CHANGE: `SELECT sum(e.fasa_after - e.fasa_before) AS numerator, count(*) AS denominator
      FROM space_enrolment e JOIN space_cohort c ON c.id = e.cohort_id
      WHERE ${cohortEnd} BETWEEN p.period_start AND p.period_end AND e.fasa_before IS NOT NULL AND e.fasa_after IS NOT NULL AND ${cohortServiceFilter}`,
};

const TODAY = '2026-11-22';

describe('health measures from the month tables', () => {
  let dbs: TestDatabases;
  let app: Orm;
  let owner: Orm;
  const em = (orm: Orm) => orm.em.fork() as EntityManager;

  beforeAll(async () => {
    dbs = await createTestDatabases([health], { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.2, today: TODAY, log: () => undefined });
    app = await openDatabase({ url: dbs.logins.health.appUrl, entities: health.entities, migrations: health.migrations, poolMax: 2 });
    owner = await openDatabase({ url: dbs.logins.health.ownerUrl, entities: health.entities, migrations: health.migrations, poolMax: 1 });
  });
  afterAll(async () => {
    await app?.close(true);
    await owner?.close(true);
    await dbs?.drop();
  });

  const sql = (text: string, params: unknown[] = []) => em(app).getConnection().execute(text, params);

  /** Every code x interval x filter, maintained against raw, point by point. */
  async function expectSameAsRawRows(): Promise<number> {
    const reference: MeasureDefinition[] = healthCatalogue.definitions.map((d) => (FROM_RAW_ROWS[d.code] ? { ...d, sql: FROM_RAW_ROWS[d.code] } : d));
    const services = (await sql('SELECT id, pathway FROM health_service ORDER BY code')) as Array<{ id: string; pathway: string }>;
    const pathways = [...new Set(services.map((s) => s.pathway))];
    const filters: Array<Record<string, unknown>> = [
      { pathway: null, serviceId: null },
      ...pathways.map((pathway) => ({ pathway, serviceId: null })),
      ...services.map((s) => ({ pathway: null, serviceId: s.id })),
      ...services.slice(0, 3).map((s) => ({ pathway: s.pathway, serviceId: s.id })),
      { pathway: 'CAMHS', serviceId: services.find((s) => s.pathway !== 'CAMHS')!.id },
    ];
    let compared = 0;
    for (const interval of Object.values(Interval)) {
      const periods = periodsBetween('2017-01-01', '2028-12-31', interval);
      for (const bindings of filters) {
        const [maintained, raw] = await Promise.all([
          computeMeasures(em(app), healthCatalogue.definitions, periods, bindings),
          computeMeasures(em(app), reference, periods, bindings),
        ]);
        expect(maintained.length).toBe(periods.length * HEALTH_MEASURE_CODES.length);
        // toStrictEqual tells null from 0 and compares the floats exactly.
        expect(maintained).toStrictEqual(raw);
        compared += maintained.length;
      }
    }
    return compared;
  }

  it('match the raw rows on seeded data, with figures in every measure', async () => {
    const nonEmpty = (await sql(`SELECT (SELECT count(*) FROM health_first_contact_month WHERE referrals > 0)::int AS first_contact,
      (SELECT count(*) FROM health_advice_month WHERE returned > 0)::int AS advice,
      (SELECT count(*) FROM health_space_month WHERE families_finishing > 0 AND fasa_families > 0)::int AS space`))[0];
    expect(nonEmpty.first_contact).toBeGreaterThan(100);
    expect(nonEmpty.advice).toBeGreaterThan(20);
    expect(nonEmpty.space).toBeGreaterThan(5);
    expect(await expectSameAsRawRows()).toBeGreaterThan(10000);
  });

  it('stay the same as the raw rows through inserts, updates, deletes and upserts', async () => {
    // Referrals: moved between months, services and pathways; first contacts added and removed; some deleted; an upsert.
    await sql(`UPDATE referral SET first_contact_date = first_contact_date + 40 WHERE id IN (SELECT id FROM referral WHERE first_contact_date IS NOT NULL AND second_contact_date IS NULL AND discharge_date IS NULL ORDER BY id LIMIT 40)`);
    await sql(`UPDATE referral SET first_contact_date = NULL, second_contact_date = NULL WHERE id IN (SELECT id FROM referral WHERE first_contact_date IS NOT NULL ORDER BY link_key LIMIT 25)`);
    await sql(`UPDATE referral SET first_contact_date = received_date + 17 WHERE id IN (SELECT id FROM referral WHERE first_contact_date IS NULL AND discharge_date IS NULL ORDER BY link_key DESC LIMIT 25)`);
    await sql(`UPDATE referral r SET service_id = s.id, pathway = s.pathway FROM health_service s
      WHERE s.code = 'SALT' AND r.id IN (SELECT id FROM referral WHERE pathway = 'CAMHS' AND first_contact_date IS NOT NULL ORDER BY received_date LIMIT 30)`);
    await sql(`DELETE FROM referral WHERE id IN (SELECT id FROM referral WHERE first_contact_date IS NOT NULL ORDER BY source_id LIMIT 30)`);
    await sql(`INSERT INTO referral (source_id, link_key, service_id, pathway, urgency, received_date, first_contact_date)
      SELECT source_id, link_key, service_id, pathway, urgency, received_date, received_date + 3 FROM referral ORDER BY source_id DESC LIMIT 20
      ON CONFLICT (source_id) DO UPDATE SET first_contact_date = excluded.first_contact_date, second_contact_date = NULL`);
    await sql(`INSERT INTO referral (source_id, link_key, service_id, pathway, urgency, received_date, first_contact_date)
      SELECT 'NEW-' || g, 'new-key-' || g, s.id, s.pathway, 'ROUTINE', DATE '2024-01-01' + g, DATE '2024-01-01' + 2 * g FROM health_service s, generate_series(1, 40) g WHERE s.code = 'ND-SOUTH'`);
    // Health advice: returned dates moved and cleared, rows deleted and added.
    await sql(`UPDATE health_advice_request SET returned_date = asked_date + 60 WHERE id IN (SELECT id FROM health_advice_request WHERE returned_date IS NOT NULL ORDER BY id LIMIT 30)`);
    await sql(`UPDATE health_advice_request SET returned_date = NULL WHERE id IN (SELECT id FROM health_advice_request WHERE returned_date IS NOT NULL ORDER BY link_key LIMIT 10)`);
    await sql(`DELETE FROM health_advice_request WHERE id IN (SELECT id FROM health_advice_request ORDER BY assessment_id LIMIT 15)`);
    await sql(`INSERT INTO health_advice_request (assessment_id, link_key, asked_date, returned_date)
      SELECT 'NEW-' || g, 'new-key-' || g, DATE '2025-02-01' + g, DATE '2025-02-01' + 30 + g FROM generate_series(1, 30) g`);
    // SPACE: attendance toggled and removed, scores changed, an enrolment deleted, cohorts moved, shortened and re-serviced.
    await sql(`UPDATE space_attendance SET attended = NOT attended WHERE id IN (SELECT id FROM space_attendance ORDER BY id LIMIT 200)`);
    await sql(`DELETE FROM space_attendance WHERE id IN (SELECT id FROM space_attendance ORDER BY enrolment_id LIMIT 50)`);
    await sql(`UPDATE space_enrolment SET fasa_after = NULL WHERE id IN (SELECT id FROM space_enrolment WHERE fasa_after IS NOT NULL ORDER BY id LIMIT 5)`);
    await sql(`UPDATE space_enrolment SET fasa_after = 3, fasa_before = 30 WHERE id IN (SELECT id FROM space_enrolment ORDER BY link_key LIMIT 5)`);
    const enrolment = (await sql('SELECT id FROM space_enrolment ORDER BY id DESC LIMIT 1'))[0].id;
    await sql('DELETE FROM space_attendance WHERE enrolment_id = ?', [enrolment]);
    await sql('DELETE FROM space_enrolment WHERE id = ?', [enrolment]);
    await sql(`UPDATE space_cohort SET start_date = start_date + 45 WHERE id IN (SELECT id FROM space_cohort ORDER BY id LIMIT 4)`);
    await sql(`UPDATE space_cohort SET planned_sessions = 4 WHERE id IN (SELECT id FROM space_cohort ORDER BY name LIMIT 3)`);
    await sql(`UPDATE space_cohort SET service_id = (SELECT id FROM health_service WHERE code = 'NN-CAMHS') WHERE id IN (SELECT id FROM space_cohort ORDER BY name DESC LIMIT 3)`);
    // Several statements in one transaction, one of them rolled back to a savepoint.
    await em(app).transactional(async (tx) => {
      const c = tx.getConnection();
      const ctx = tx.getTransactionContext();
      await c.execute(`UPDATE referral SET first_contact_date = received_date + 200 WHERE id IN (SELECT id FROM referral WHERE discharge_date IS NULL AND second_contact_date IS NULL ORDER BY received_date DESC LIMIT 10)`, [], 'run', ctx);
      await c.execute('SAVEPOINT s', [], 'run', ctx);
      await c.execute('DELETE FROM health_advice_request', [], 'run', ctx);
      await c.execute('ROLLBACK TO SAVEPOINT s', [], 'run', ctx);
      await c.execute(`UPDATE health_advice_request SET asked_date = asked_date - 30 WHERE id IN (SELECT id FROM health_advice_request WHERE returned_date IS NOT NULL ORDER BY asked_date LIMIT 10)`, [], 'run', ctx);
    });
    expect(await expectSameAsRawRows()).toBeGreaterThan(10000);
  });

  it('are rebuilt by TRUNCATE, and by the rebuild after a deferred bulk load', async () => {
    await em(owner).transactional(async (tx) => {
      const c = tx.getConnection();
      const ctx = tx.getTransactionContext();
      await c.execute('TRUNCATE health_advice_request', [], 'run', ctx);
      await c.execute(`SET LOCAL health.defer_measure_months = 'on'`, [], 'run', ctx);
      await c.execute(`INSERT INTO health_advice_request (assessment_id, link_key, asked_date, returned_date)
        SELECT 'BULK-' || g, 'bulk-' || g, DATE '2023-01-01' + g, DATE '2023-01-01' + g + (g % 70) FROM generate_series(1, 400) g`, [], 'run', ctx);
      await c.execute(`UPDATE referral SET first_contact_date = received_date + 5 WHERE id IN (SELECT id FROM referral WHERE discharge_date IS NULL AND second_contact_date IS NULL ORDER BY link_key LIMIT 10)`, [], 'run', ctx);
      await c.execute('SELECT health_rebuild_measure_months()', [], 'all', ctx);
    });
    const advice = (await sql('SELECT sum(returned)::int AS returned FROM health_advice_month'))[0];
    expect(advice.returned).toBe(400);
    expect(await expectSameAsRawRows()).toBeGreaterThan(10000);
  });
});
