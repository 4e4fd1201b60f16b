import { healthCatalogue } from '../../subgraphs/health/measures/catalogue';
import { cypMentalHealthAccess, isWaiting, isWaitingOver, medianWeeksToFirstContact, referralStatusAt, waitingListBands } from '../../subgraphs/health/rules/waiting';
import { completedSpace } from '../../subgraphs/health/rules/space';
import { addDays } from '../../subgraphs/toolkit/dates';
import { linkKeyFor } from '../../subgraphs/toolkit/link-key';
import { Interval, periodsBetween } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../../subgraphs/toolkit/measures/series';
import { NOTTINGHAMSHIRE_CHILDREN, syntheticPopulation } from '../../subgraphs/toolkit/synthetic/population';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { postGraphQL, startHealth, type HealthHarness } from './support';

const TODAY = '2026-11-22';
const SCALE = 0.03;

interface Row {
  id: string;
  linkKey: string;
  pathway: string;
  serviceId: string;
  receivedDate: string;
  firstContactDate: string | null;
  secondContactDate: string | null;
  dischargeDate: string | null;
}

/** On synthetic data, the SQL and GraphQL answers must equal the pure rules applied to every row in JS. */
describe('health subgraph over synthetic data', () => {
  let h: HealthHarness;
  let rows: Row[];
  const DCO = 'designated_clinical_officer' as const;
  const ANALYST = 'icb_analyst' as const;
  const selectsOn = (table: string) => h.statements.filter((sql) => new RegExp(`^select .* from "${table}" `, 'i').test(sql));

  beforeAll(async () => {
    h = await startHealth({ linkKeySecret: TEST_LINK_KEY_SECRET, scale: SCALE, today: TODAY, log: () => undefined });
    rows = (await h.em().getConnection().execute(`SELECT id, link_key AS "linkKey", pathway, service_id AS "serviceId", to_char(received_date, 'YYYY-MM-DD') AS "receivedDate",
      to_char(first_contact_date, 'YYYY-MM-DD') AS "firstContactDate", to_char(second_contact_date, 'YYYY-MM-DD') AS "secondContactDate", to_char(discharge_date, 'YYYY-MM-DD') AS "dischargeDate" FROM referral`)) as Row[];
  });
  afterAll(async () => h?.stop());
  beforeEach(() => {
    h.statements.length = 0;
  });

  it('seeds referrals on every pathway but SPACE, for the shared population, with long neurodevelopmental waits', () => {
    expect(rows.length).toBeGreaterThan(150);
    const pathways = new Set(rows.map((r) => r.pathway));
    for (const p of ['CAMHS', 'NEURODEVELOPMENTAL', 'SALT', 'OT', 'PHYSIOTHERAPY', 'COMMUNITY_PAEDIATRICS']) expect(pathways).toContain(p);
    const keys = new Set(syntheticPopulation(Math.round(NOTTINGHAMSHIRE_CHILDREN * SCALE), TODAY).map((p) => linkKeyFor(p.nhsNumber, TEST_LINK_KEY_SECRET)));
    expect(rows.every((r) => keys.has(r.linkKey))).toBe(true);
    const ndWaiting = rows.filter((r) => r.pathway === 'NEURODEVELOPMENTAL' && isWaiting(r, TODAY));
    expect(ndWaiting.filter((r) => isWaitingOver(r, TODAY, 13)).length / ndWaiting.length).toBeGreaterThan(0.6);
    expect(ndWaiting.some((r) => isWaitingOver(r, TODAY, 52))).toBe(true);
  });

  it('every referral measure equals the pure rules, month by month, overall and by pathway', async () => {
    const from = '2023-01-01';
    const periods = periodsBetween(from, '2026-10-31', Interval.MONTH);
    for (const pathway of [null, 'CAMHS', 'NEURODEVELOPMENTAL', 'SALT']) {
      const scoped = pathway ? rows.filter((r) => r.pathway === pathway) : rows;
      const s = Object.fromEntries((await measureSeries(h.em(), healthCatalogue, { codes: ['WAITING_COUNT', 'WAITING_OVER_18WK_PCT', 'FIRST_CONTACT_MEDIAN_WEEKS', 'ND_WAITING_OVER_13WK_PCT', 'COMMUNITY_WAITING_OVER_18WK_PCT', 'CYP_MH_ACCESS'], from, to: '2026-10-31', interval: Interval.MONTH, bindings: { pathway } })).map((x) => [x.code, x.points]));
      periods.forEach((p, i) => {
        const waiting = scoped.filter((r) => isWaiting(r, p.end));
        expect(s.WAITING_COUNT[i].value).toBe(waiting.length);
        expect(s.WAITING_OVER_18WK_PCT[i].numerator).toBe(waiting.filter((r) => isWaitingOver(r, p.end, 18)).length);
        expect(s.WAITING_OVER_18WK_PCT[i].denominator).toBe(waiting.length);
        const median = medianWeeksToFirstContact(scoped, p.start, p.end);
        expect(s.FIRST_CONTACT_MEDIAN_WEEKS[i].value).toBe(median === null ? null : Math.round(median * 10) / 10);
        const nd = rows.filter((r) => r.pathway === 'NEURODEVELOPMENTAL' && isWaiting(r, p.end));
        expect(s.ND_WAITING_OVER_13WK_PCT[i].numerator).toBe(nd.filter((r) => isWaitingOver(r, p.end, 13)).length);
        const community = rows.filter((r) => ['SALT', 'OT', 'PHYSIOTHERAPY', 'COMMUNITY_PAEDIATRICS'].includes(r.pathway) && isWaiting(r, p.end));
        expect([s.COMMUNITY_WAITING_OVER_18WK_PCT[i].numerator, s.COMMUNITY_WAITING_OVER_18WK_PCT[i].denominator]).toEqual([community.filter((r) => isWaitingOver(r, p.end, 18)).length, community.length]);
        expect(s.CYP_MH_ACCESS[i].value).toBe(cypMentalHealthAccess(rows, p.end));
      });
    }
  });

  it('waitingList bands equal the pure rules, in one SQL statement', async () => {
    for (const [asOf, pathway] of [[TODAY, null], ['2025-06-30', 'NEURODEVELOPMENTAL'], ['2024-01-31', 'CAMHS']] as const) {
      h.statements.length = 0;
      const res = await h.queryAs<{ waitingList: { total: number; bands: Array<{ label: string; count: number }> } }>(ANALYST,
        'query($a: Date!, $p: Pathway) { waitingList(asOf: $a, filter: { pathway: $p }) { total totalSuppressed bands { label minWeeks maxWeeks count suppressed } } }', { a: asOf, p: pathway });
      expect(res.errors).toBeUndefined();
      const scoped = pathway ? rows.filter((r) => r.pathway === pathway) : rows;
      const expected = waitingListBands(scoped, asOf);
      expect(res.data!.waitingList.bands.map((b) => b.label)).toEqual(['0-4', '4-13', '13-18', '18-52', '52+']);
      expect(res.data!.waitingList.bands.map((b) => b.count)).toEqual(expected);
      expect(res.data!.waitingList.total).toBe(expected.reduce((a, b) => a + b, 0));
      expect(h.statements.filter((s) => /referral/.test(s))).toHaveLength(1);
    }
  });

  it('referrals: filters by status, pathway, service, received dates and weeks waited, with totalCount', async () => {
    const query = 'query($f: ReferralFilter, $n: Int, $a: String) { referrals(filter: $f, first: $n, after: $a) { totalCount nodes { id pathway receivedDate status(asOf: "2025-06-30") weeksWaited(asOf: "2025-06-30") service { code pathway } } pageInfo { endCursor hasNextPage } } }';
    const cases: Array<[Record<string, unknown>, (r: Row) => boolean]> = [
      [{ status: 'WAITING', asOf: '2025-06-30' }, (r) => referralStatusAt(r, '2025-06-30') === 'WAITING'],
      [{ status: 'SEEN', asOf: '2025-06-30', pathway: 'CAMHS' }, (r) => r.pathway === 'CAMHS' && referralStatusAt(r, '2025-06-30') === 'SEEN'],
      [{ status: 'DISCHARGED', asOf: '2025-06-30' }, (r) => referralStatusAt(r, '2025-06-30') === 'DISCHARGED'],
      [{ receivedFrom: '2024-01-01', receivedTo: '2024-12-31' }, (r) => r.receivedDate >= '2024-01-01' && r.receivedDate <= '2024-12-31'],
      [{ waitingLongerThanWeeks: 18, asOf: '2025-06-30' }, (r) => isWaitingOver(r, '2025-06-30', 18)],
      [{ waitingLongerThanWeeks: 52, pathway: 'NEURODEVELOPMENTAL', asOf: TODAY }, (r) => r.pathway === 'NEURODEVELOPMENTAL' && isWaitingOver(r, TODAY, 52)],
    ];
    for (const [filter, keep] of cases) {
      const res = await h.queryAs<{ referrals: { totalCount: number; nodes: Array<{ id: string }> } }>(ANALYST, query, { f: filter, n: 500 });
      expect(res.errors).toBeUndefined();
      const expected = rows.filter(keep);
      expect(expected.length).toBeGreaterThan(0);
      expect(res.data!.referrals.totalCount).toBe(expected.length);
      expect(new Set(res.data!.referrals.nodes.map((n) => n.id))).toEqual(new Set(expected.slice(0, 500).length === expected.length ? expected.map((r) => r.id) : res.data!.referrals.nodes.map((n) => n.id)));
    }
    const nd = await h.serviceId('ND-NORTH');
    const byService = await h.queryAs<{ referrals: { totalCount: number } }>(ANALYST, query, { f: { serviceId: nd } });
    expect(byService.data!.referrals.totalCount).toBe(rows.filter((r) => r.serviceId === nd).length);
  });

  it('referrals pages through everything once, oldest first, by cursor', async () => {
    const seen: string[] = [];
    const dates: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: { data?: { referrals: { nodes: Array<{ id: string; receivedDate: string }>; edges: Array<{ cursor: string; node: { id: string } }>; pageInfo: { startCursor: string; endCursor: string; hasNextPage: boolean; hasPreviousPage: boolean } } } } = await h.queryAs(DCO,
        'query($a: String) { referrals(first: 37, after: $a) { nodes { id receivedDate } edges { cursor node { id } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }', { a: after });
      const { edges, pageInfo } = res.data!.referrals;
      expect(edges.map((e) => e.node.id)).toEqual(res.data!.referrals.nodes.map((n) => n.id));
      expect([pageInfo.startCursor, pageInfo.endCursor]).toEqual([edges[0]?.cursor ?? null, edges.at(-1)?.cursor ?? null]);
      expect(pageInfo.hasPreviousPage).toBe(page > 0);
      seen.push(...res.data!.referrals.nodes.map((n) => n.id));
      dates.push(...res.data!.referrals.nodes.map((n) => n.receivedDate));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen.length).toBe(rows.length);
    expect(new Set(seen).size).toBe(rows.length);
    expect([...dates].sort()).toEqual(dates);
  });

  it('refuses a bad page size or cursor by naming the argument', async () => {
    const big = await h.queryAs(ANALYST, '{ referrals(first: 5000) { totalCount } }');
    expect(big.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(big.errors![0].message).toContain('first');
    const cursor = await h.queryAs(ANALYST, '{ referrals(after: "nonsense") { totalCount } }');
    expect(cursor.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(cursor.errors![0].message).toContain('after');
  });

  it('Child.healthReferrals and spaceEnrolments: N children, one query each', async () => {
    const keys = [...new Set(rows.map((r) => r.linkKey))].slice(0, 40);
    const res = await h.queryAs<{ _entities: Array<{ linkKey: string; healthReferrals: Array<{ id: string; linkKey: string }>; spaceEnrolments: unknown[] }> }>(DCO,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Child { linkKey healthReferrals { id linkKey pathway service { name } } spaceEnrolments { id } } } }',
      { r: keys.map((linkKey) => ({ __typename: 'Child', linkKey })) });
    expect(res.errors).toBeUndefined();
    res.data!._entities.forEach((child, i) => {
      expect(child.linkKey).toBe(keys[i]);
      expect(child.healthReferrals.map((r) => r.id).sort()).toEqual(rows.filter((r) => r.linkKey === keys[i]).map((r) => r.id).sort());
    });
    expect(selectsOn('referral')).toHaveLength(1);
    expect(selectsOn('space_enrolment')).toHaveLength(1);
    expect(selectsOn('health_service')).toHaveLength(1);
  });

  it('EhcNeedsAssessment.healthAdvice: N assessments, one query; dates only, and the 6-week verdict', async () => {
    const advice = (await h.em().getConnection().execute(`SELECT assessment_id, to_char(asked_date, 'YYYY-MM-DD') AS asked, to_char(returned_date, 'YYYY-MM-DD') AS returned FROM health_advice_request ORDER BY assessment_id LIMIT 30`)) as Array<{ assessment_id: string; asked: string; returned: string | null }>;
    expect(advice.length).toBeGreaterThan(5);
    const ids = [...advice.map((a) => a.assessment_id), 'no-such-assessment'];
    const res = await h.queryAs<{ _entities: Array<{ id: string; healthAdvice: { askedDate: string; returnedDate: string | null; dueDate: string; returnedWithinSixWeeks: boolean | null } | null }> }>('la_caseworker',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on EhcNeedsAssessment { id healthAdvice { assessmentId askedDate returnedDate dueDate returnedWithinSixWeeks } } } }',
      { r: ids.map((id) => ({ __typename: 'EhcNeedsAssessment', id })) });
    expect(res.errors).toBeUndefined();
    advice.forEach((a, i) => {
      const got = res.data!._entities[i].healthAdvice!;
      expect(got.askedDate).toBe(a.asked);
      expect(got.returnedDate).toBe(a.returned);
      expect(got.dueDate).toBe(addDays(a.asked, 42));
      expect(got.returnedWithinSixWeeks).toBe(a.returned === null ? null : a.returned <= addDays(a.asked, 42));
    });
    expect(res.data!._entities[ids.length - 1].healthAdvice).toBeNull();
    expect(selectsOn('health_advice_request')).toHaveLength(1);
  });

  it('records who read which child\'s referrals and which assessment\'s advice, even when there is none', async () => {
    const key = rows[0].linkKey;
    const user = `auditor-check-${Date.now()}`;
    const res = await postGraphQL(h.subgraph.url,
      'query Look($r: [_Any!]!) { _entities(representations: $r) { ... on Child { healthReferrals { id pathway } } ... on EhcNeedsAssessment { healthAdvice { askedDate } } } }',
      { r: [{ __typename: 'Child', linkKey: key }, { __typename: 'EhcNeedsAssessment', id: 'no-such-assessment' }] }, await h.issuer.as(DCO, { user }));
    expect(res.errors).toBeUndefined();
    const events = (await h.em().getConnection().execute('SELECT entity_type, entity_id, record_ids, fields, action, operation_name FROM audit_event WHERE user_id = ? ORDER BY entity_type, entity_id', [user])) as Array<{ entity_type: string; entity_id: string | null; record_ids: string[]; fields: string[]; action: string; operation_name: string }>;
    expect(events.find((e) => e.entity_type === 'Child')).toMatchObject({ entity_id: key, fields: ['healthReferrals'], action: 'READ', operation_name: 'Look' });
    expect(events.find((e) => e.entity_type === 'EhcNeedsAssessment')).toMatchObject({ entity_id: 'no-such-assessment', fields: ['healthAdvice'] });
    const referralReads = events.filter((e) => e.entity_type === 'Referral');
    expect(referralReads.flatMap((e) => e.record_ids).sort()).toEqual(rows.filter((r) => r.linkKey === key).map((r) => r.id).sort());
  });

  it('a caseworker reads health advice dates but no referral; an executive reads aggregates only', async () => {
    const key = rows[0].linkKey;
    const caseworker = await h.queryAs('la_caseworker', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Child { healthReferrals { id } } } }', { r: [{ __typename: 'Child', linkKey: key }] });
    expect(caseworker.errors![0].extensions!.code).toBe('FORBIDDEN');
    const list = await h.queryAs('executive', '{ referrals { totalCount } }');
    expect(list.errors![0].extensions!.code).toBe('FORBIDDEN');
    const waiting = await h.queryAs<{ waitingList: { bands: unknown[] } }>('executive', `{ waitingList(asOf: "${TODAY}") { total bands { count suppressed } } }`);
    expect(waiting.errors).toBeUndefined();
    const measures = await h.queryAs('la_caseworker', '{ healthMeasures(codes: ["HEALTH_ADVICE_6WK_PCT"], from: "2025-01-01", to: "2025-03-31") { points { value } } }');
    expect(measures.errors).toBeUndefined();
  });

  it('spaceCohorts: mostly groups since 2024, 12 sessions usually, outcomes equal to the rules', async () => {
    const res = await h.queryAs<{ spaceCohorts: { totalCount: number; nodes: Array<{ id: string; delivery: string; startDate: string; endDate: string; plannedSessions: number; service: { code: string }; outcomes: { familiesEnrolled: { value: number }; completion: { numerator: number; denominator: number } }; enrolments: Array<{ linkKey: string; sessionsAttended: number; completed: boolean; fasaBefore: number | null; fasaAfter: number | null; fasaChange: number | null; cohort: { id: string } }> }> } }>(DCO,
      `{ spaceCohorts(filter: { from: "2019-01-01", to: "${TODAY}" }, first: 100) { totalCount nodes { id delivery startDate endDate plannedSessions service { code } outcomes { familiesEnrolled { value } completion { numerator denominator value } fasaMeanChange { value } }
         enrolments { linkKey sessionsAttended completed fasaBefore fasaAfter fasaChange cohort { id } attendance { sessionNumber attended } } } } }`);
    expect(res.errors).toBeUndefined();
    const cohorts = res.data!.spaceCohorts.nodes;
    expect(cohorts.length).toBe(res.data!.spaceCohorts.totalCount);
    expect(cohorts.length).toBeGreaterThan(5);
    expect(cohorts.every((c) => c.startDate >= '2024-01-01' && c.service.code === 'SPACE')).toBe(true);
    expect(cohorts.filter((c) => c.delivery === 'GROUP').length).toBeGreaterThan(cohorts.filter((c) => c.delivery === 'ONE_TO_ONE').length);
    expect(cohorts.filter((c) => c.plannedSessions === 12).length / cohorts.length).toBeGreaterThan(0.7);
    for (const c of cohorts) {
      expect(c.outcomes.familiesEnrolled.value).toBe(c.enrolments.length);
      expect(c.outcomes.completion.numerator).toBe(c.enrolments.filter((e) => completedSpace(e.sessionsAttended, c.plannedSessions)).length);
      for (const e of c.enrolments) {
        expect(e.cohort.id).toBe(c.id);
        for (const s of [e.fasaBefore, e.fasaAfter]) if (s !== null) expect(s >= 0 && s <= 36).toBe(true);
      }
    }
    const changes = cohorts.flatMap((c) => c.enrolments).map((e) => e.fasaChange).filter((x): x is number => x !== null);
    expect(changes.length).toBeGreaterThan(5);
    expect(changes.reduce((a, b) => a + b, 0) / changes.length).toBeLessThan(0); // improvement on average
    // One query per kind of thing, whatever the number of cohorts.
    expect(selectsOn('space_enrolment')).toHaveLength(1);
    expect(selectsOn('space_attendance')).toHaveLength(1);
  });

  it('healthServices lists the Nottinghamshire catalogue; an executive sees cohort outcomes under small-number rules', async () => {
    const services = await h.queryAs<{ healthServices: { nodes: Array<{ code: string; provider: string; pathway: string }> } }>('executive', '{ healthServices(first: 100) { nodes { code name provider pathway } } }');
    expect(services.errors).toBeUndefined();
    expect(services.data!.healthServices.nodes.find((s) => s.code === 'NN-CAMHS')).toMatchObject({ provider: 'Nottinghamshire Healthcare NHS Foundation Trust', pathway: 'CAMHS' });
    expect(new Set(services.data!.healthServices.nodes.map((s) => s.pathway)).size).toBe(8);
    const camhs = await h.queryAs<{ healthServices: { nodes: Array<{ pathway: string }> } }>('executive', '{ healthServices(filter: { pathway: CAMHS }) { nodes { pathway } } }');
    expect(camhs.data!.healthServices.nodes.every((s) => s.pathway === 'CAMHS')).toBe(true);
    const cohorts = await h.queryAs<{ spaceCohorts: { nodes: Array<{ delivery: string; outcomes: { familiesEnrolled: { value: number | null; suppressed: boolean } } }> } }>('executive',
      `{ spaceCohorts(filter: { from: "2024-01-01", to: "${TODAY}" }, first: 100) { nodes { delivery outcomes { familiesEnrolled { value suppressed } } } } }`);
    expect(cohorts.errors).toBeUndefined();
    // Cohorts are 1-10 families: an executive sees 1-7 withheld, 8-10 rounded to 10; a one-to-one cohort never.
    for (const c of cohorts.data!.spaceCohorts.nodes) {
      const f = c.outcomes.familiesEnrolled;
      expect(f.suppressed ? f.value === null : f.value === 10).toBe(true);
      if (c.delivery === 'ONE_TO_ONE') expect(f.suppressed).toBe(true);
    }
    expect(cohorts.data!.spaceCohorts.nodes.some((c) => c.outcomes.familiesEnrolled.suppressed)).toBe(true);
    const enrolments = await h.queryAs('executive', `{ spaceCohorts(filter: { from: "2024-01-01", to: "${TODAY}" }) { nodes { enrolments { linkKey } } } }`);
    expect(enrolments.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('health advice requests follow the council\'s assessments: most returned within 6 weeks, some late', async () => {
    const [row] = (await h.em().getConnection().execute(`SELECT count(*)::int AS n, count(*) FILTER (WHERE returned_date - asked_date <= 42)::int AS within, count(returned_date)::int AS returned FROM health_advice_request`)) as Array<{ n: number; within: number; returned: number }>;
    expect(row.n).toBeGreaterThan(10);
    expect(row.within / row.returned).toBeGreaterThan(0.5);
    expect(row.within).toBeLessThan(row.returned);
  });
});
