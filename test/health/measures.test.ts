import { health } from '../../subgraphs/health';
import { openDatabase } from '../../subgraphs/toolkit/database';
import { refreshMonthEnds } from '../../subgraphs/health/measures/month-ends';
import { healthCatalogue, HEALTH_MEASURE_CODES } from '../../subgraphs/health/measures/catalogue';
import { Interval } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../../subgraphs/toolkit/measures/series';
import type { MeasureSeries } from '../../subgraphs/toolkit/measures/types';
import { insertRows, startHealth, type HealthHarness } from './support';

/**
 * Hand-built referrals, advice and SPACE cohorts with answers worked out by hand
 * (days counted on a calendar; see each row's comment).
 */
describe('health measures on known data', () => {
  let h: HealthHarness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHealth();
    for (const code of ['NN-CAMHS', 'CAMHS-CRISIS', 'ND-NORTH', 'ND-SOUTH', 'SALT', 'SPACE']) ids[code] = await h.serviceId(code);
    const ref = (sourceId: string, linkKey: string, service: string, pathway: string, receivedDate: string, first: string | null = null, second: string | null = null, discharge: string | null = null) => ({
      source_id: sourceId, link_key: linkKey, service_id: ids[service], pathway, urgency: 'ROUTINE', received_date: receivedDate,
      first_contact_date: first, second_contact_date: second, discharge_date: discharge, discharge_reason: discharge ? 'Treatment completed' : null,
    });
    const em = h.em();
    await insertRows(em, 'referral', [
      ref('R1', 'k1', 'NN-CAMHS', 'CAMHS', '2024-10-01', '2025-03-10', '2025-03-24'), // Feb: waiting 150 days; first contact after 160 days
      ref('R2', 'k2', 'NN-CAMHS', 'CAMHS', '2025-03-01'), // Mar: waiting 30 days
      ref('R3', 'k3', 'NN-CAMHS', 'CAMHS', '2024-01-15', null, null, '2024-03-01'), // closed unseen
      ref('R4', 'k1', 'NN-CAMHS', 'CAMHS', '2025-01-01', '2025-03-12'), // Feb: waiting 58; first contact after 70 days
      ref('R5', 'k4', 'ND-NORTH', 'NEURODEVELOPMENTAL', '2024-11-01'), // Feb 119, Mar 150
      ref('R6', 'k5', 'ND-NORTH', 'NEURODEVELOPMENTAL', '2025-01-15'), // Feb 44, Mar 75
      ref('R7', 'k6', 'ND-SOUTH', 'NEURODEVELOPMENTAL', '2024-12-30', '2025-03-31'), // Feb 60; first contact after 91 days
      ref('R8', 'k7', 'ND-NORTH', 'NEURODEVELOPMENTAL', '2025-01-01'), // Feb 58, Mar 89
      ref('R9', 'k8', 'SALT', 'SALT', '2024-11-25'), // Feb 95, Mar 126 (not over 18 weeks)
      ref('R10', 'k9', 'SALT', 'SALT', '2024-11-24', '2025-04-05'), // Feb 96, Mar 127 (over 18 weeks); first contact after 132 days
      ref('R11', 'k10', 'CAMHS-CRISIS', 'CAMHS', '2024-03-20', '2024-03-25', '2024-04-01'), // contacts for the rolling 12 months
    ]);
    await refreshMonthEnds(em);
    await insertRows(em, 'health_advice_request', [
      { assessment_id: 'A1', link_key: 'k1', asked_date: '2025-01-20', returned_date: '2025-03-03' }, // 42 days: within
      { assessment_id: 'A2', link_key: 'k2', asked_date: '2025-01-15', returned_date: '2025-03-05' }, // 49 days: late
      { assessment_id: 'A3', link_key: 'k3', asked_date: '2025-02-20', returned_date: '2025-03-20' }, // 28 days
      { assessment_id: 'A4', link_key: 'k4', asked_date: '2025-03-01', returned_date: null },
      { assessment_id: 'A5', link_key: 'k5', asked_date: '2025-01-01', returned_date: '2025-02-10' }, // Feb, within
    ]);
    const cohorts = (await em.getKnex().table('space_cohort').insert([
      { name: 'C1', service_id: ids.SPACE, delivery: 'GROUP', start_date: '2025-01-06', planned_sessions: 12 }, // ends 2025-03-24
      { name: 'C2', service_id: ids.SPACE, delivery: 'ONE_TO_ONE', start_date: '2025-02-03', planned_sessions: 10 }, // ends 2025-04-07
      { name: 'C3', service_id: ids.SPACE, delivery: 'GROUP', start_date: '2025-03-03', planned_sessions: 12 }, // ends 2025-05-19
    ]).returning(['id', 'name'])) as Array<{ id: string; name: string }>;
    const cohort = Object.fromEntries(cohorts.map((c) => [c.name, c.id]));
    const families: Array<[string, string, number, number, number | null, number | null]> = [
      // name, cohort, sessions held, attended, FASA before, after
      ['E1', 'C1', 12, 12, 20, 10],
      ['E2', 'C1', 12, 9, 18, 14],
      ['E3', 'C1', 12, 8, 25, null],
      ['E4', 'C1', 12, 3, null, null],
      ['E5', 'C2', 10, 8, 30, 24],
      ['E6', 'C3', 4, 4, 22, null],
      ['E7', 'C3', 4, 2, 19, null],
    ];
    for (const [name, c, held, attended, before, after] of families) {
      const [{ id }] = (await em.getKnex().table('space_enrolment').insert({ cohort_id: cohort[c], link_key: `fam-${name}`, fasa_before: before, fasa_after: after }).returning('id')) as Array<{ id: string }>;
      await insertRows(em, 'space_attendance', Array.from({ length: held }, (_, i) => ({ enrolment_id: id, session_number: i + 1, session_date: '2025-01-06', attended: i < attended })));
    }
  });
  afterAll(async () => h?.stop());

  const series = async (codes: string[], from: string, to: string, interval = Interval.MONTH, bindings: Record<string, unknown> = {}) => {
    const result = await measureSeries(h.em(), healthCatalogue, { codes, from, to, interval, bindings });
    return Object.fromEntries(result.map((s: MeasureSeries) => [s.code, s.points]));
  };
  const values = async (code: string, from: string, to: string, bindings: Record<string, unknown> = {}) => (await series([code], from, to, Interval.MONTH, bindings))[code].map((p) => p.value);

  it('WAITING_COUNT: referrals waiting on the last day of each month', async () => {
    expect(await values('WAITING_COUNT', '2025-02-01', '2025-03-31')).toEqual([8, 6]);
    expect(await values('WAITING_COUNT', '2025-02-01', '2025-03-31', { pathway: 'CAMHS' })).toEqual([2, 1]);
    expect(await values('WAITING_COUNT', '2025-03-01', '2025-03-31', { serviceId: ids['ND-NORTH'] })).toEqual([3]);
  });

  it('waiting measures hold before the first referral and long after the last date in the data', async () => {
    expect(await values('WAITING_COUNT', '2023-12-01', '2023-12-31')).toEqual([0]);
    // In 2040 the five still-open referrals (R2, R5, R6, R8, R9) are all over 18 weeks; no CAMHS contact for years.
    expect(await values('WAITING_COUNT', '2040-01-01', '2040-01-31')).toEqual([5]);
    expect(await values('WAITING_OVER_18WK_PCT', '2040-01-01', '2040-01-31')).toEqual([100]);
    expect(await values('CYP_MH_ACCESS', '2040-01-01', '2040-01-31')).toEqual([0]);
    expect(await values('CYP_MH_ACCESS', '2025-03-01', '2025-03-31', { serviceId: ids['CAMHS-CRISIS'] })).toEqual([1]);
  });

  it('WAITING_OVER_18WK_PCT: more than 126 days; 126 exactly is not over', async () => {
    const points = (await series(['WAITING_OVER_18WK_PCT'], '2025-02-01', '2025-03-31')).WAITING_OVER_18WK_PCT;
    expect(points.map((p) => [p.numerator, p.denominator, p.value])).toEqual([[1, 8, 12.5], [2, 6, 33.3]]);
  });

  it('COMMUNITY_WAITING_OVER_18WK_PCT: therapies and community paediatrics only', async () => {
    // SALT only here: Feb R9 95 and R10 96 days; Mar R9 126 (not over), R10 127 (over).
    expect(await values('COMMUNITY_WAITING_OVER_18WK_PCT', '2025-02-01', '2025-03-31')).toEqual([0, 50]);
  });

  it('ND_WAITING_OVER_13WK_PCT: neurodevelopmental only, more than 91 days', async () => {
    expect(await values('ND_WAITING_OVER_13WK_PCT', '2025-02-01', '2025-03-31')).toEqual([25, 33.3]);
    // The pathway filter does not apply: the measure is always neurodevelopmental.
    expect(await values('ND_WAITING_OVER_13WK_PCT', '2025-03-01', '2025-03-31', { pathway: 'CAMHS' })).toEqual([33.3]);
  });

  it('FIRST_CONTACT_MEDIAN_WEEKS: median over referrals first seen in the period', async () => {
    const points = (await series(['FIRST_CONTACT_MEDIAN_WEEKS'], '2025-03-01', '2025-05-31')).FIRST_CONTACT_MEDIAN_WEEKS;
    // March: 160, 70 and 91 days -> median 13 weeks; April: 132 days -> 18.9; May: none.
    expect(points.map((p) => [p.denominator, p.value])).toEqual([[3, 13], [1, 18.9], [0, null]]);
    // CAMHS in March: 160 and 70 days -> (22.857 + 10) / 2.
    expect(await values('FIRST_CONTACT_MEDIAN_WEEKS', '2025-03-01', '2025-03-31', { pathway: 'CAMHS' })).toEqual([16.4]);
    // A quarter takes all first contacts in it.
    expect((await series(['FIRST_CONTACT_MEDIAN_WEEKS'], '2025-01-01', '2025-03-31', Interval.QUARTER)).FIRST_CONTACT_MEDIAN_WEEKS[0].value).toBe(13);
  });

  it('CYP_MH_ACCESS: distinct children with a CAMHS contact in the 12 months to the period end', async () => {
    // Feb 2025 (from 2024-03-01): k10; Mar (from 2024-04-01): k1 twice, k10 on the first day; Apr (from 2024-05-01): k1.
    expect(await values('CYP_MH_ACCESS', '2025-02-01', '2025-04-30')).toEqual([1, 2, 1]);
  });

  it('HEALTH_ADVICE_6WK_PCT: advice returned in the period within 42 days of being asked', async () => {
    const points = (await series(['HEALTH_ADVICE_6WK_PCT'], '2025-02-01', '2025-04-30')).HEALTH_ADVICE_6WK_PCT;
    expect(points.map((p) => [p.numerator, p.denominator, p.value])).toEqual([[1, 1, 100], [2, 3, 66.7], [0, 0, null]]);
  });

  it('SPACE: families enrolled by cohort start, completion and FASA change by cohort end', async () => {
    const s = await series(['SPACE_FAMILIES_ENROLLED', 'SPACE_COMPLETION_PCT', 'SPACE_FASA_MEAN_CHANGE'], '2025-01-01', '2025-05-31');
    expect(s.SPACE_FAMILIES_ENROLLED.map((p) => p.value)).toEqual([4, 1, 2, 0, 0]);
    // March: C1 ends; E1 (12/12) and E2 (9/12 = 75%) complete, E3 (8/12) and E4 do not. April: C2, E5 8/10. May: C3, 4/12 and 2/12.
    expect(s.SPACE_COMPLETION_PCT.map((p) => p.value)).toEqual([null, null, 50, 100, 0]);
    // March: E1 -10, E2 -4 (E3 has no after score); April: E5 -6.
    expect(s.SPACE_FASA_MEAN_CHANGE.map((p) => [p.numerator, p.denominator, p.value])).toEqual([[null, 0, null], [null, 0, null], [-14, 2, -7], [-6, 1, -6], [null, 0, null]]);
  });

  it('the database refuses FASA scores outside 0-36 and referral dates out of order', async () => {
    const [{ id: cohortId }] = (await h.em().getConnection().execute("SELECT id FROM space_cohort WHERE name = 'C1'")) as Array<{ id: string }>;
    await expect(insertRows(h.em(), 'space_enrolment', [{ cohort_id: cohortId, link_key: 'fam-bad', fasa_before: 37 }])).rejects.toThrow(/space_enrolment_fasa_before_check/);
    await expect(insertRows(h.em(), 'space_enrolment', [{ cohort_id: cohortId, link_key: 'fam-bad', fasa_after: -1 }])).rejects.toThrow(/space_enrolment_fasa_after_check/);
    await expect(insertRows(h.em(), 'referral', [{ source_id: 'BAD', link_key: 'x', service_id: ids.SALT, pathway: 'SALT', urgency: 'ROUTINE', received_date: '2025-02-01', first_contact_date: '2025-01-01' }])).rejects.toThrow(/referral_first_contact_date_check/);
  });

  it('computes every code for every period in one SQL statement', async () => {
    const statements: string[] = [];
    const orm = await openDatabase({ url: h.databases.logins.health.appUrl, entities: health.entities, migrations: health.migrations, onQuery: (sql) => statements.push(sql) });
    try {
      statements.length = 0; // forget the connection check
      const result = await measureSeries(orm.em.fork() as never, healthCatalogue, { codes: HEALTH_MEASURE_CODES, from: '2019-01-01', to: '2025-12-31', interval: Interval.MONTH });
      expect(result.map((r) => r.code)).toEqual(HEALTH_MEASURE_CODES);
      expect(result.every((r) => r.points.length === 84)).toBe(true);
      expect(statements).toHaveLength(1);
    } finally {
      await orm.close(true);
    }
  });

  it('healthMeasures answers through the subgraph, refusing unknown codes and bad service ids by name', async () => {
    const ok = await h.queryAs<{ healthMeasures: Array<{ code: string; points: Array<{ value: number }> }> }>('icb_analyst',
      `query($s: ID) { healthMeasures(codes: ["WAITING_COUNT"], from: "2025-03-01", to: "2025-03-31", filter: { pathway: NEURODEVELOPMENTAL, serviceId: $s }) { code points { value } } }`, { s: ids['ND-NORTH'] });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.healthMeasures[0].points[0].value).toBe(3);
    const unknown = await h.queryAs('icb_analyst', '{ healthMeasures(codes: ["NOPE"], from: "2025-03-01", to: "2025-03-31") { code } }');
    expect(unknown.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors![0].message).toContain('NOPE');
    const badService = await h.queryAs('icb_analyst', '{ healthMeasures(codes: ["WAITING_COUNT"], from: "2025-03-01", to: "2025-03-31", filter: { serviceId: "x" }) { code } }');
    expect(badService.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(badService.errors![0].message).toContain('filter.serviceId');
  });

  it('the HealthMeasure entity gives the same figure by code, withheld from an executive when it rests on small numbers', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on HealthMeasure { code name latest(asOf: "2025-03-31") { value suppressed } } } }';
    const r = [{ __typename: 'HealthMeasure', code: 'ND_WAITING_OVER_13WK_PCT' }];
    const analyst = await h.queryAs<{ _entities: Array<{ latest: { value: number; suppressed: boolean } }> }>('icb_analyst', query, { r });
    expect(analyst.errors).toBeUndefined();
    expect(analyst.data!._entities[0].latest).toEqual({ value: 33.3, suppressed: false });
    const executive = await h.queryAs<{ _entities: Array<{ latest: { value: number; suppressed: boolean } }> }>('executive', query, { r });
    expect(executive.data!._entities[0].latest).toEqual({ value: null, suppressed: true });
  });
});
