// Over 300 lines: the SEN2 import's cases (new, repeated, later, refused, rolled back) against one real database, each short.
import type { EntityManager } from '@mikro-orm/postgresql';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { runCli } from '../../subgraphs/casework/import/cli';
import { importSen2 } from '../../subgraphs/casework/import/sen2-import';
import { chunksOf } from '../../subgraphs/casework/import/sen2-xml';
import { caseworkCatalogue } from '../../subgraphs/casework/measures/catalogue';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { linkKeyFor } from '../../subgraphs/toolkit/link-key';
import { withUpnCheckLetter } from '../../subgraphs/toolkit/upn';
import { Interval } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../../subgraphs/toolkit/measures/series';
import { adminUrl, createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';
import { maintainedAndFromScratch } from './measure-check';
import { person, planRequest, sen2, type El } from './sen2-builder';
import { findChild } from '../../subgraphs/casework/import/sen2-write';

const TODAY = '2026-11-22';
const AMY = { Surname: 'Able', Forename: 'Amy', PersonBirthDate: '2012-03-04', Sex: 'F', UPN: 'A123456789012' };
const BEN = { Surname: 'Baker', Forename: 'Ben', PersonBirthDate: '2008-07-08', Sex: 'M', UniqueLearnerNumber: '1234567890' };
const CAL = { Surname: 'Cole', Forename: 'Cal', PersonBirthDate: '2009-11-12', Sex: 'M' };
const DEE = { Surname: 'Dale', Forename: 'Dee', PersonBirthDate: '2016-01-01', Sex: 'F' };

const return2024 = (): string =>
  sen2([
    person(AMY, [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22', need: 'ASD' })]),
    person(BEN, [planRequest({ received: '2023-01-02', decided: '2023-02-14', assessed: '2023-07-01', start: '2023-08-01', week20: true, need: 'SEMH' })]),
    person(CAL, [planRequest({ received: '2023-02-01', decided: '2023-03-01', assessed: '2023-06-01', start: '2023-06-22', need: 'ASD' })]),
    person(DEE, [[['ReceivedDate', '2023-05-10'], ['RequestOutcome', 'A']]]),
  ]);

const EXTRACT = `upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date
A123456789012,,Able,Amy,2012-03-04,943 476 5919,Ashfield,Plan and Review North,Sam Atkins,,
,,Cole,Cal,2009-11-12,,Ashfield,Plan and Review North,,Plan working well,2026-07-01
`;

describe('matching a person to a child held (pure)', () => {
  const held = [
    { id: 'amy', upn: 'a123456789012', uln: null, surname: 'Able', forename: 'Amy', birth_date: '2012-03-04', nhs_number: null },
    { id: 'ben', upn: null, uln: '1234567890', surname: 'Baker', forename: 'Ben', birth_date: '2008-07-08', nhs_number: null },
    { id: 'cal', upn: 'E323456789012', uln: null, surname: 'Cole', forename: 'Cal', birth_date: '2009-11-12', nhs_number: null },
    { id: 'cal-2', upn: null, uln: null, surname: 'Cole', forename: 'Cal', birth_date: '2009-11-12', nhs_number: null },
  ];
  const key = (o: Partial<{ upn: string; uln: string; surname: string; forename: string; birthDate: string }>) => ({ upn: null, uln: null, surname: 'X', forename: 'Y', birthDate: '2000-01-01', ...o });

  it('UPN first, in any case; then ULN; then names and birth date, case and spaces aside', () => {
    expect(findChild(held, key({ upn: 'A123456789012' }))?.id).toBe('amy');
    expect(findChild(held, key({ uln: '1234567890' }))?.id).toBe('ben');
    expect(findChild(held, key({ surname: ' baker', forename: 'BEN ', birthDate: '2008-07-08' }))?.id).toBe('ben');
    expect(findChild(held, key({ surname: 'Baker', forename: 'Ben', birthDate: '2008-07-09' }))).toBeNull();
  });

  it('a weaker key never takes a child whose stronger identifier differs', () => {
    // Ben has a ULN: a person with another ULN is not Ben by names; Cal has a UPN: a person with another UPN
    // is not that Cal, but is the Cal held without one.
    expect(findChild(held, key({ uln: '9999999999', surname: 'Baker', forename: 'Ben', birthDate: '2008-07-08' }))).toBeNull();
    expect(findChild(held, key({ upn: 'G423456789012', surname: 'Cole', forename: 'Cal', birthDate: '2009-11-12' }))?.id).toBe('cal-2');
    expect(findChild(held, key({ upn: 'G423456789012', uln: '1234567890' }))?.id).toBe('ben');
    expect(findChild([{ ...held[1], upn: 'C223456789012' }], key({ upn: 'G423456789012', uln: '1234567890' }))).toBeNull();
    expect(findChild([held[0]], key({ upn: 'G423456789012', surname: 'Able', forename: 'Amy', birthDate: '2012-03-04' }))).toBeNull();
  });
});

describe('SEN2 import into the casework database', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  let owner: pg.Client;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    orm = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
    owner = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await orm?.close(true);
    await dbs?.drop();
  });

  // Chunks of 500 people, so that the tests of 600 and 1,250 people cross chunk boundaries.
  const run = (xml: string, extra: { caseExtract?: string; skipInvalid?: boolean } = {}) =>
    importSen2({ open: () => chunksOf(xml, 512), user: 'test-importer', chunk: 500, today: TODAY, database: async () => ({ em: orm.em.fork() as EntityManager, linkKeySecret: TEST_LINK_KEY_SECRET }), ...extra });
  const count = async (table: string) => (await owner.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  const counts = async () => Object.fromEntries(await Promise.all(['child', 'ehcna_request', 'ehc_needs_assessment', 'ehc_plan', 'plan_placement', 'plan_sen_need', 'annual_review', 'worker_allocation'].map(async (t) => [t, await count(t)])));
  const wipe = () => owner.query('TRUNCATE child, ehcna_request, ehc_needs_assessment, ehc_plan, plan_placement, plan_sen_need, annual_review, worker_allocation, caseworker, team CASCADE');

  it('refuses a file with any invalid person, imports nothing, and reports every problem (personal values withheld)', async () => {
    const bad = sen2([
      person(AMY, [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22' })]),
      person({ ...BEN, PersonBirthDate: '2008-02-30' }, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'Z']]]),
      person({ ...CAL, Sex: '' }, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']]]),
    ]);
    const result = await run(bad);
    expect(result.status).toBe('refused');
    expect(result.report).toEqual([
      'person 2\tPerson[2]/PersonBirthDate\t(withheld: personal data, 10 characters)\tmust be a real calendar date written YYYY-MM-DD',
      'person 2\tPerson[2]/Requests[1]/RequestOutcome\t"Z"\tmust be one of Y, N, A, W, H',
      'person 3\tPerson[3]/Sex\t(missing)\trequired',
    ]);
    expect(await count('child')).toBe(0);
  });

  it('refuses a return that is not well-formed XML', async () => {
    const result = await run(return2024().slice(0, 900));
    expect(result.status).toBe('refused');
    expect(result.report[0]).toMatch(/^file\tline \d+, column \d+\t\(missing\)\tThe file is not well-formed XML/);
    expect(await count('child')).toBe(0);
  });

  it('imports a return with its case extract: children, life cycle, link keys, allocations, and every child named once in the audit', async () => {
    const result = await run(return2024(), { caseExtract: EXTRACT });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ status: 'imported', persons: 4, created: 4, updated: 0 });
    expect(await counts()).toEqual({ child: 4, ehcna_request: 4, ehc_needs_assessment: 3, ehc_plan: 3, plan_placement: 3, plan_sen_need: 3, annual_review: 0, worker_allocation: 2 });
    const amy = (await owner.query(`SELECT nhs_number, link_key, district, primary_need FROM child WHERE upn = 'A123456789012'`)).rows[0];
    expect(amy).toEqual({ nhs_number: '9434765919', link_key: linkKeyFor('9434765919', TEST_LINK_KEY_SECRET), district: 'Ashfield', primary_need: 'ASD' });
    const alloc = (await owner.query(`SELECT c.surname, w.name AS worker, a.decided_by IS NOT NULL AS decided, a.reason, a.next_review_date::text AS review FROM worker_allocation a JOIN child c ON c.id = a.child_id LEFT JOIN caseworker w ON w.id = a.caseworker_id ORDER BY c.surname`)).rows;
    expect(alloc).toEqual([
      { surname: 'Able', worker: 'Sam Atkins', decided: false, reason: null, review: null },
      { surname: 'Cole', worker: null, decided: true, reason: 'Plan working well', review: '2026-07-01' },
    ]);
    // One entry per set of fields written, naming its children in record_ids (fewer rows than children: two sets here).
    const audit = (await owner.query(`SELECT user_id, roles, org, action, entity_type, record_ids FROM audit_event`)).rows;
    expect(audit.length).toBeLessThan(4);
    for (const { record_ids: _ids, ...entry } of audit) expect(entry).toEqual({ user_id: 'test-importer', roles: ['admin'], org: 'LA', action: 'WRITE', entity_type: 'Child' });
    const named = audit.flatMap((a: { record_ids: string[] }) => a.record_ids).sort();
    expect(named).toEqual((await owner.query('SELECT id FROM child ORDER BY id')).rows.map((r: { id: string }) => r.id));
  });

  it('the measures over the imported return give the answers worked out by hand', async () => {
    const [excl, incl, requests] = await measureSeries(orm.em.fork() as EntityManager, caseworkCatalogue, { codes: ['EHC_20WK_EXCL', 'EHC_20WK_INCL', 'EHCNA_REQUESTS'], from: '2023-01-01', to: '2023-12-31', interval: Interval.YEAR });
    // Amy day 140 (within); Cal day 141 (late); Ben late with an exception.
    expect(excl.points[0]).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(incl.points[0]).toMatchObject({ numerator: 1, denominator: 3 });
    expect(requests.points[0].value).toBe(4);
  });

  it('importing the same return again changes nothing and duplicates nothing', async () => {
    const before = await counts();
    const ids = (await owner.query('SELECT id FROM ehc_needs_assessment ORDER BY id')).rows;
    const result = await run(return2024(), { caseExtract: EXTRACT });
    expect(result).toMatchObject({ status: 'imported', created: 0, updated: 4 });
    expect(await counts()).toEqual(before);
    // Assessment ids are stable: health holds them.
    expect((await owner.query('SELECT id FROM ehc_needs_assessment ORDER BY id')).rows).toEqual(ids);
    // Each child named once more in the audit.
    const named = (await owner.query('SELECT unnest(record_ids) AS id FROM audit_event')).rows.map((r: { id: string }) => r.id);
    expect(named).toHaveLength(8);
    expect(new Set(named).size).toBe(4);
  });

  it('a later return updates in place: decisions made since, a review, a new child, a name in other case', async () => {
    const later = sen2([
      person(AMY, [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22', meeting: '2024-05-01', reviewOutcome: 'M', lastReview: '2024-05-20' })]),
      person({ ...CAL, Surname: 'COLE', Forename: 'cal' }, [planRequest({ received: '2023-02-01', decided: '2023-03-01', assessed: '2023-06-01', start: '2023-06-22', need: 'SLCN' })]),
      person(DEE, [planRequest({ received: '2023-05-10', decided: '2023-06-15', assessed: '2023-09-01', start: '2023-09-20', need: 'MLD' })]),
      // Ben's plan, reported this time without its NamedPlan: the active-plan details go onto the plan held.
      person(BEN, [[['ReceivedDate', '2023-01-02'], ['RequestOutcomeDate', '2023-02-14'], ['RequestOutcome', 'Y'],
        ['ActivePlans', [['SENneed', [['SENtype', 'SEMH'], ['SENtypeRank', '1']]], ['ReviewMeeting', '2024-07-15'], ['ReviewOutcome', 'A'], ['LastReview', '2024-08-30']]]]]),
      person({ Surname: 'Eve', Forename: 'Evans', PersonBirthDate: '2015-05-05', Sex: 'F', UPN: 'J523456789012' }, [[['ReceivedDate', '2024-01-05'], ['RequestOutcome', 'A']]]),
    ]);
    const result = await run(later);
    expect(result).toMatchObject({ status: 'imported', created: 1, updated: 4 });
    expect(await counts()).toMatchObject({ child: 5, ehcna_request: 5, ehc_needs_assessment: 4, ehc_plan: 4, annual_review: 2 });
    const reviews = (await owner.query(`SELECT c.surname, due_date::text AS due, meeting_date::text AS meeting, outcome, decision_date::text AS decision
      FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id JOIN child c ON c.id = e.child_id ORDER BY c.surname`)).rows;
    expect(reviews).toEqual([
      { surname: 'Able', due: '2024-05-22', meeting: '2024-05-01', outcome: 'M', decision: '2024-05-20' },
      { surname: 'Baker', due: '2024-08-01', meeting: '2024-07-15', outcome: 'A', decision: '2024-08-30' },
    ]);
    const cal = (await owner.query(`SELECT surname, primary_need FROM child WHERE forename ILIKE 'cal'`)).rows;
    expect(cal).toEqual([{ surname: 'COLE', primary_need: 'SLCN' }]);
    const dee = (await owner.query(`SELECT r.outcome, e.issue_date::text AS issued FROM child c JOIN ehcna_request r ON r.child_id = c.id LEFT JOIN ehc_needs_assessment a ON a.request_id = r.id LEFT JOIN ehc_plan e ON e.assessment_id = a.id WHERE c.surname = 'Dale'`)).rows;
    expect(dee).toEqual([{ outcome: 'Y', issued: '2023-09-20' }]);
  });

  it('a UPN sent in lower case finds the child held by it: UPNs are held only in their normal form, which the database keeps', async () => {
    const before = await counts();
    const result = await run(sen2([person({ ...AMY, UPN: AMY.UPN.toLowerCase() }, [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22', meeting: '2024-05-01', reviewOutcome: 'M', lastReview: '2024-05-20' })])]));
    expect(result).toMatchObject({ status: 'imported', created: 0, updated: 1 });
    expect(await counts()).toEqual(before);
    expect((await owner.query(`SELECT upn FROM child WHERE surname = 'Able'`)).rows).toEqual([{ upn: AMY.UPN }]);
    // Any other writer is held to it too: the import looks children up by the UPN as stored.
    const refused = await owner.query(`UPDATE child SET upn = lower(upn) WHERE surname = 'Able'`).catch((err: { code?: string; constraint?: string }) => err);
    expect(refused).toMatchObject({ code: '23514', constraint: 'child_upn_normal_form_check' });
  });

  it('a person found by UPN is that child whoever else shares its names; a UPN no child holds falls back to the ULN, then the names', async () => {
    await wipe();
    const request = [['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']] as Array<[string, string]>;
    const held = await run(sen2([
      person({ Surname: 'Hale', Forename: 'Hana', PersonBirthDate: '2012-02-02', Sex: 'F', UPN: 'Q823456789012' }, [request]),
      person({ Surname: 'Hale', Forename: 'Hana', PersonBirthDate: '2012-02-02', Sex: 'F', UPN: 'T923456789012' }, [request]),
      person({ Surname: 'Irwin', Forename: 'Ivo', PersonBirthDate: '2010-10-10', Sex: 'M', UniqueLearnerNumber: '7777777777' }, [request]),
      person({ Surname: 'Jones', Forename: 'Jo', PersonBirthDate: '2011-11-11', Sex: 'F' }, [request]),
    ]));
    expect(held.problems).toEqual([]);
    expect(held).toMatchObject({ status: 'imported', created: 4 });
    const result = await run(sen2([
      // The second Hana by her UPN, though the first shares her names and birth date.
      person({ Surname: 'Hale', Forename: 'Hana', PersonBirthDate: '2012-02-02', Sex: 'F', UPN: 'T923456789012' }, [[['ReceivedDate', '2024-03-03'], ['RequestOutcome', 'A']]]),
      // A UPN no child holds: Ivo by his ULN, Jo by her names and birth date.
      person({ Surname: 'Irwin', Forename: 'Ivo', PersonBirthDate: '2010-10-10', Sex: 'M', UPN: 'Y023456789012', UniqueLearnerNumber: '7777777777' }, [request]),
      person({ Surname: 'Jones', Forename: 'Jo', PersonBirthDate: '2011-11-11', Sex: 'F', UPN: 'G143456789012' }, [request]),
    ]));
    expect(result).toMatchObject({ status: 'imported', created: 0, updated: 3 });
    const requests = (await owner.query(`SELECT c.upn, array_agg(r.received_date::text ORDER BY r.received_date) AS requests
      FROM child c JOIN ehcna_request r ON r.child_id = c.id GROUP BY c.id ORDER BY c.surname, c.upn`)).rows;
    expect(requests).toEqual([
      { upn: 'Q823456789012', requests: ['2023-01-02'] },
      { upn: 'T923456789012', requests: ['2023-01-02', '2024-03-03'] },
      { upn: 'Y023456789012', requests: ['2023-01-02'] },
      { upn: 'G143456789012', requests: ['2023-01-02'] },
    ]);
  });

  it('a new plan given its reviews out of order has each due from the meeting before it; a child given a request without a plan keeps its primary need', async () => {
    await wipe();
    // Amy's first request makes the plan and holds its 2023 review; her second reports an earlier (2022) review of the same plan.
    const first = sen2([
      person(AMY, [
        planRequest({ received: '2021-01-04', decided: '2021-02-10', assessed: '2021-05-01', start: '2021-05-20', need: 'SLCN', meeting: '2023-05-10', reviewOutcome: 'M', lastReview: '2023-05-20' }),
        [['ReceivedDate', '2022-01-05'], ['RequestOutcomeDate', '2022-02-10'], ['RequestOutcome', 'Y'],
          ['ActivePlans', [['SENneed', [['SENtype', 'SLCN'], ['SENtypeRank', '1']]], ['ReviewMeeting', '2022-05-12'], ['ReviewOutcome', 'M'], ['LastReview', '2022-05-30']]]],
      ]),
    ]);
    expect(await run(first)).toMatchObject({ status: 'imported', created: 1 });
    const reviews = async () => (await owner.query(`SELECT meeting_date::text AS meeting, due_date::text AS due FROM annual_review ORDER BY meeting_date`)).rows;
    expect(await reviews()).toEqual([{ meeting: '2022-05-12', due: '2022-05-20' }, { meeting: '2023-05-10', due: '2023-05-12' }]);
    const need = async () => (await owner.query(`SELECT primary_need FROM child WHERE upn = 'A123456789012'`)).rows[0].primary_need;
    expect(await need()).toBe('SLCN');
    // A later return names only a new request of hers, with no plan: her plan and its needs are as they were.
    expect(await run(sen2([person(AMY, [[['ReceivedDate', '2024-01-05'], ['RequestOutcome', 'A']]])]))).toMatchObject({ status: 'imported', updated: 1 });
    expect(await need()).toBe('SLCN');
    expect(await reviews()).toEqual([{ meeting: '2022-05-12', due: '2022-05-20' }, { meeting: '2023-05-10', due: '2023-05-12' }]);
  });

  it('a later return changing one thing of a record held writes it, and one changing it back writes that: an assessment, a plan, a review', async () => {
    await wipe();
    const base = { received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22', need: 'ASD', meeting: '2024-05-01', reviewOutcome: 'M', lastReview: '2024-05-20' };
    const withEl = (els: El[], name: string, value: string): El[] => els.map(([n, v]): El => [n, n === name ? value : typeof v === 'string' ? v : withEl(v, name, value)]);
    expect(await run(sen2([person(AMY, [planRequest(base)])]))).toMatchObject({ status: 'imported', created: 1 });
    const held = async () => (await owner.query(`SELECT r.outcome_date::text AS decided, a.outcome_date::text AS assessed, a.week20exception, e.personal_budget, v.outcome AS review, v.decision_date::text AS reviewed
      FROM ehcna_request r JOIN ehc_needs_assessment a ON a.request_id = r.id JOIN ehc_plan e ON e.assessment_id = a.id JOIN annual_review v ON v.plan_id = e.id`)).rows;
    const first = { decided: '2023-02-10', assessed: '2023-05-01', week20exception: false, personal_budget: false, review: 'M', reviewed: '2024-05-20' };
    expect(await held()).toEqual([first]);
    // Each return is the first with one thing changed: that thing is written, and the one changed before is written back.
    const changed: Array<[El[], Partial<typeof first>]> = [
      [planRequest({ ...base, decided: '2023-02-11' }), { decided: '2023-02-11' }],
      [planRequest({ ...base, assessed: '2023-05-02' }), { assessed: '2023-05-02' }],
      [planRequest({ ...base, week20: true }), { week20exception: true }],
      [withEl(planRequest(base), 'PB', 'TRUE'), { personal_budget: true }],
      [planRequest({ ...base, reviewOutcome: 'A' }), { review: 'A' }],
      [planRequest({ ...base, lastReview: '2024-05-21' }), { reviewed: '2024-05-21' }],
      [planRequest(base), {}],
    ];
    for (const [request, change] of changed) {
      expect(await run(sen2([person(AMY, [request])]))).toMatchObject({ status: 'imported', created: 0, updated: 1 });
      expect([change, await held()]).toEqual([change, [{ ...first, ...change }]]);
    }
  });

  it('a case-extract row that matches no child refuses the whole import (and writes nothing)', async () => {
    await wipe();
    const extract = `${EXTRACT},,Nobody,Known,2010-01-01,,Ashfield,,,,\n`;
    const result = await run(return2024(), { caseExtract: extract });
    expect(result.status).toBe('refused');
    expect(result.report).toEqual(['case-extract row 3\tcase-extract/upn\t(withheld: personal data, 25 characters)\tno child in this return or already held matches this row (UPN, ULN, or surname + forename + birth date)']);
    expect(await count('child')).toBe(0);
  });

  it('--skip-invalid imports the valid people and reports the others', async () => {
    await wipe();
    const mixed = sen2([
      person(AMY, [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22' })]),
      person({ ...BEN, UniqueLearnerNumber: 'x' }, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']]]),
      person(AMY, [[['ReceivedDate', '2024-01-02'], ['RequestOutcome', 'A']]]),
    ]);
    const result = await run(mixed, { skipInvalid: true });
    expect(result).toMatchObject({ status: 'imported', persons: 3, skipped: 2, created: 1 });
    expect(result.report).toEqual([
      'person 2\tPerson[2]/UniqueLearnerNumber\t(withheld: personal data, 1 character)\tmust be 10 digits',
      'person 3\tPerson[3]/UPN\t(withheld: personal data, 13 characters)\tthe same child as person 1',
    ]);
    expect(await count('child')).toBe(1);
  });

  describe('written a chunk at a time', () => {
    // Child i: a UPN for most, names and birth date only for every seventh; a plan with a review.
    const kid = (i: number, over: Record<string, string> = {}) => ({
      Surname: `Surname${i}`, Forename: `Kid${i}`, PersonBirthDate: '2012-03-04', Sex: i % 2 ? 'M' : 'F',
      ...(i % 7 === 3 ? {} : { UPN: withUpnCheckLetter(String(i).padStart(12, '0')) }), ...over,
    });
    const needs = ['ASD', 'SEMH', 'SLCN'];
    const kidPerson = (i: number, meeting: string | null) =>
      person(kid(i), [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22', need: needs[i % 3], ...(meeting ? { meeting, reviewOutcome: 'M', lastReview: addDaysIso(meeting, 10) } : {}) })]);
    const addDaysIso = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    // Each child an entry names (an import's entry lists its children in record_ids), with the fields written.
    const auditSince = async (id: number) => (await owner.query(`SELECT unnest(record_ids) AS entity_id, fields FROM audit_event WHERE id > $1 ORDER BY id, 1`, [id])).rows as Array<{ entity_id: string; fields: string[] }>;
    const lastAudit = async () => Number((await owner.query('SELECT coalesce(max(id), 0) AS n FROM audit_event')).rows[0].n);

    it('more people than one chunk, creates and updates mixed: each child written and audited exactly once, figures in step', async () => {
      await wipe();
      const first = await run(sen2(Array.from({ length: 600 }, (_, i) => kidPerson(i, null))));
      expect(first).toMatchObject({ status: 'imported', created: 600, updated: 0 });
      const ids = new Map((await owner.query('SELECT id, forename FROM child')).rows.map((r: { id: string; forename: string }) => [r.forename, r.id]));
      const before = await lastAudit();
      // 1,250 people: the 600 held (every other one now with a review), interleaved with 650 new ones; the
      // case extract names an NHS number and district for every tenth, and one child held but not in the return.
      const order = Array.from({ length: 650 }, (_, k) => (k < 600 ? [k, 600 + k] : [600 + k])).flat();
      expect(new Set(order).size).toBe(1250);
      const nhs = ['9434765919', '9434765870', '4010232137'];
      const extract = [
        'upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date',
        `${withUpnCheckLetter('000000000010')},,Surname10,Kid10,2012-03-04,${nhs[0]},Ashfield,,,,`,
        `,,Surname703,Kid703,2012-03-04,${nhs[1]},Mansfield,,,,`,
        // Child 3 is held (matched on names) and not in this return: the extract alone updates it.
        `,,Surname3,Kid3,2012-03-04,${nhs[2]},Gedling,,,,`,
      ].join('\n') + '\n';
      const result = await run(sen2(order.filter((i) => i !== 3).map((i) => kidPerson(i, i < 600 && i % 2 === 0 ? '2024-05-01' : null))), { caseExtract: extract });
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ status: 'imported', created: 650, updated: 600 });
      expect(await counts()).toMatchObject({ child: 1250, ehcna_request: 1250, ehc_needs_assessment: 1250, ehc_plan: 1250, plan_placement: 1250, plan_sen_need: 1250, annual_review: 300 });
      // Ids held stay; each child is named by one audit entry, with what was written.
      const now = new Map((await owner.query('SELECT id, forename FROM child')).rows.map((r: { id: string; forename: string }) => [r.forename, r.id]));
      for (const [name, id] of ids) expect(now.get(name)).toBe(id);
      const audit = await auditSince(before);
      expect(audit).toHaveLength(1250);
      expect(new Set(audit.map((a) => a.entity_id)).size).toBe(1250);
      const byId = new Map(audit.map((a) => [a.entity_id, a.fields]));
      // The write path records an entry's fields in order of name.
      const base = ['surname', 'forename', 'birthDate', 'sex', 'ethnicity', 'postcode', 'upn', 'uln', 'requests'];
      const sorted = (fields: string[]) => [...fields].sort();
      expect(byId.get(now.get('Kid10')!)).toEqual(sorted([...base, 'nhsNumber', 'linkKey', 'district']));
      expect(byId.get(now.get('Kid703')!)).toEqual(sorted([...base, 'nhsNumber', 'linkKey', 'district']));
      expect(byId.get(now.get('Kid3')!)).toEqual(sorted(['nhsNumber', 'linkKey', 'district']));
      expect(byId.get(now.get('Kid11')!)).toEqual(sorted(base));
      expect((await owner.query(`SELECT forename, district, link_key FROM child WHERE nhs_number IS NOT NULL ORDER BY forename`)).rows).toEqual([
        { forename: 'Kid10', district: 'Ashfield', link_key: linkKeyFor(nhs[0], TEST_LINK_KEY_SECRET) },
        { forename: 'Kid3', district: 'Gedling', link_key: linkKeyFor(nhs[2], TEST_LINK_KEY_SECRET) },
        { forename: 'Kid703', district: 'Mansfield', link_key: linkKeyFor(nhs[1], TEST_LINK_KEY_SECRET) },
      ]);
      // Reviews due 12 months from the issue; primary needs from the plan's rank-1 need.
      expect((await owner.query(`SELECT DISTINCT due_date::text AS due FROM annual_review`)).rows).toEqual([{ due: '2024-05-22' }]);
      expect((await owner.query(`SELECT primary_need, count(*)::int AS n FROM child GROUP BY 1 ORDER BY 1`)).rows).toEqual([
        { primary_need: 'ASD', n: 417 }, { primary_need: 'SEMH', n: 417 }, { primary_need: 'SLCN', n: 416 },
      ]);
      const { maintained, fromScratch } = await maintainedAndFromScratch(orm.em.fork() as EntityManager);
      expect(maintained.length).toBeGreaterThan(0);
      expect(maintained).toEqual(fromScratch);

      // Again: nothing changes, nothing is duplicated; each child named once more in the audit.
      const again = await lastAudit();
      const snapshot = (await owner.query(`SELECT c.id, c.primary_need, r.id AS request, e.id AS plan, v.id AS review, v.due_date::text AS due FROM child c
        JOIN ehcna_request r ON r.child_id = c.id JOIN ehc_plan e ON e.child_id = c.id LEFT JOIN annual_review v ON v.plan_id = e.id ORDER BY c.id`)).rows;
      expect(await run(sen2(order.filter((i) => i !== 3).map((i) => kidPerson(i, i < 600 && i % 2 === 0 ? '2024-05-01' : null))), { caseExtract: extract })).toMatchObject({ status: 'imported', created: 0, updated: 1250 });
      expect((await owner.query(`SELECT c.id, c.primary_need, r.id AS request, e.id AS plan, v.id AS review, v.due_date::text AS due FROM child c
        JOIN ehcna_request r ON r.child_id = c.id JOIN ehc_plan e ON e.child_id = c.id LEFT JOIN annual_review v ON v.plan_id = e.id ORDER BY c.id`)).rows).toEqual(snapshot);
      expect(await auditSince(again)).toHaveLength(1250);
      const after = await maintainedAndFromScratch(orm.em.fork() as EntityManager);
      expect(after.maintained).toEqual(after.fromScratch);
    });

    it('a case extract of more rows than one load batch: every row reaches its child', async () => {
      await wipe();
      // 4,500 rows load in three batches of at most 2,000 (EXTRACT_BATCH), each written while the next is read.
      const n = 4500;
      const districts = ['Ashfield', 'Gedling', 'Mansfield'];
      const extract = ['upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date',
        ...Array.from({ length: n }, (_, i) => `${i % 7 === 3 ? '' : withUpnCheckLetter(String(i).padStart(12, '0'))},,Surname${i},Kid${i},2012-03-04,,${districts[i % 3]},,,,`)].join('\n') + '\n';
      const result = await run(sen2(Array.from({ length: n }, (_, i) => kidPerson(i, null))), { caseExtract: extract });
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ status: 'imported', created: n });
      expect((await owner.query(`SELECT district, count(*)::int AS n FROM child GROUP BY 1 ORDER BY 1`)).rows).toEqual(districts.map((district) => ({ district, n: n / 3 })));
      // Each child has its own row's district, not a neighbour's.
      expect((await owner.query(`SELECT count(*)::int AS n FROM child WHERE district = (ARRAY['Ashfield', 'Gedling', 'Mansfield'])[substr(forename, 4)::int % 3 + 1]`)).rows[0].n).toBe(n);
    }, 60_000);

    it('a problem found after chunks were written refuses the return whole: the written chunks roll back, every problem is reported', async () => {
      await wipe();
      const before = await lastAudit();
      // Read once: people 1-1,000 go to the database in two chunks before person 1,101 (the same child as
      // person 1) and person 1,202 (no sex) are read.
      const people = Array.from({ length: 1201 }, (_, i) => kidPerson(i, null));
      people.splice(1100, 0, kidPerson(0, null));
      people[1201] = person({ ...kid(1201), Sex: '' }, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']]]);
      const result = await run(sen2(people));
      expect(result.status).toBe('refused');
      expect(result.report).toEqual([
        expect.stringMatching(/^person 1101\tPerson\[1101\]\/UPN\t.*\tthe same child as person 1$/),
        'person 1202\tPerson[1202]/Sex\t(missing)\trequired',
      ]);
      expect(await counts()).toEqual({ child: 0, ehcna_request: 0, ehc_needs_assessment: 0, ehc_plan: 0, plan_placement: 0, plan_sen_need: 0, annual_review: 0, worker_allocation: 0 });
      expect(await count('casework_child_measure_month')).toBe(0);
      expect(await lastAudit()).toBe(before);
    });

    it('a person matching a child an earlier person of the same chunk wrote updates that child, as one-at-a-time writes did', async () => {
      await wipe();
      // Held: Fay, known only by names and birth date.
      const fay = { Surname: 'Fisher', Forename: 'Fay', PersonBirthDate: '2013-04-05', Sex: 'F' };
      expect(await run(sen2([person(fay, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']]])]))).toMatchObject({ created: 1 });
      const before = await lastAudit();
      const result = await run(sen2([
        // Person 1 matches Fay on names and gives her a UPN and a ULN...
        person({ ...fay, UPN: 'L623456789012', UniqueLearnerNumber: '5555555555' }, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']]]),
        // ...so person 2, by that ULN (other names), is Fay too; person 3 is new, and person 4, by names, is person 3.
        person({ Surname: 'Fisher-Jones', Forename: 'Fay', PersonBirthDate: '2013-04-05', Sex: 'F', UniqueLearnerNumber: '5555555555' }, [[['ReceivedDate', '2024-02-03'], ['RequestOutcome', 'A']]]),
        person({ Surname: 'Grant', Forename: 'Gus', PersonBirthDate: '2011-01-01', Sex: 'M', UPN: 'N723456789012' }, [[['ReceivedDate', '2023-03-04'], ['RequestOutcome', 'A']]]),
        person({ Surname: 'grant', Forename: 'GUS', PersonBirthDate: '2011-01-01', Sex: 'M' }, [[['ReceivedDate', '2024-03-04'], ['RequestOutcome', 'N'], ['RequestOutcomeDate', '2024-04-01']]]),
      ]));
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ status: 'imported', created: 1, updated: 3 });
      const children = (await owner.query(`SELECT c.id, surname, upn, uln, array_agg(r.received_date::text ORDER BY r.received_date) AS requests
        FROM child c JOIN ehcna_request r ON r.child_id = c.id GROUP BY c.id ORDER BY surname`)).rows;
      expect(children.map(({ id: _id, ...c }: { id: string }) => c)).toEqual([
        { surname: 'Fisher-Jones', upn: 'L623456789012', uln: '5555555555', requests: ['2023-01-02', '2024-02-03'] },
        { surname: 'grant', upn: 'N723456789012', uln: null, requests: ['2023-03-04', '2024-03-04'] },
      ]);
      const audit = await auditSince(before);
      // Fay in two chunks, Gus in two (person 2's chunk names them both): each child written twice.
      expect(audit.map((a) => a.entity_id).sort()).toEqual([children[0].id, children[0].id, children[1].id, children[1].id].sort());
      const { maintained, fromScratch } = await maintainedAndFromScratch(orm.em.fork() as EntityManager);
      expect(maintained).toEqual(fromScratch);
    });

    it('a person matching a child the chunk before created sees the requests, plans and reviews written with it', async () => {
      await wipe();
      const hal = { Surname: 'Hughes', Forename: 'Hal', PersonBirthDate: '2012-06-07', Sex: 'M' };
      const request = { received: '2023-05-06', decided: '2023-06-01', assessed: '2023-09-01', start: '2023-09-20', meeting: '2024-09-01' };
      // Person 1 creates Hal with a request that led to a plan and a review; person 2, by names, is Hal again
      // (its chunk ends at person 1) and sends the same request, now mediated, its plan's need changed: it
      // must update that request, plan and review, not add second ones.
      const again = planRequest({ ...request, need: 'SEMH' }).map(([k, v]): El => (k === 'RequestMediation' ? [k, 'true'] : [k, v]));
      const result = await run(sen2([person({ ...hal, UPN: 'N723456789012' }, [planRequest(request)]), person(hal, [again])]));
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ status: 'imported', created: 1, updated: 1 });
      const counts = (await owner.query(`SELECT (SELECT count(*)::int FROM child) AS children, (SELECT count(*)::int FROM ehcna_request) AS requests,
        (SELECT count(*)::int FROM ehcna_request WHERE mediation) AS mediated, (SELECT count(*)::int FROM ehc_plan) AS plans,
        (SELECT count(*)::int FROM annual_review) AS reviews, (SELECT string_agg(sen_type, ',') FROM plan_sen_need) AS needs`)).rows[0];
      expect(counts).toEqual({ children: 1, requests: 1, mediated: 1, plans: 1, reviews: 1, needs: 'SEMH' });
      const { maintained, fromScratch } = await maintainedAndFromScratch(orm.em.fork() as EntityManager);
      expect(maintained).toEqual(fromScratch);
    });
  });

  describe('the command line', () => {
    const env = { ...process.env };
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sen2-cli-'));
      process.env.DATABASE_URL = adminUrl();
      process.env.DB_PREFIX = dbs.prefix;
      process.env.DATA_DIR = dir;
      process.env.LINK_KEY_SECRET = TEST_LINK_KEY_SECRET;
    });
    afterAll(() => {
      process.env = env;
    });
    let out: jest.SpyInstance;
    let err: jest.SpyInstance;
    beforeEach(() => {
      out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => {
      out.mockRestore();
      err.mockRestore();
    });

    it('exit 2 on usage errors', async () => {
      expect(await runCli([])).toBe(2);
      expect(await runCli(['--bogus', 'x.xml'])).toBe(2);
      expect(await runCli([join(dir, 'missing.xml')])).toBe(2);
      expect(await runCli(['a.xml', '--case-extract'])).toBe(2);
    });

    it('exit 1 with the report for an invalid return; exit 0 and the data for a valid one', async () => {
      await wipe();
      const bad = join(dir, 'bad.xml');
      writeFileSync(bad, sen2([person({ ...AMY, Sex: 'Q' }, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']]])]));
      expect(await runCli([bad, '--user', 'cli-user'])).toBe(1);
      const printed = out.mock.calls.map((c) => String(c[0]));
      expect(printed[0]).toMatch(/REFUSED\. 1 problem\(s\); nothing was imported\./);
      expect(printed).toContain('person 1\tPerson[1]/Sex\t"Q"\tmust be one of M, F, U');
      const good = join(dir, 'good.xml');
      const extract = join(dir, 'extract.csv');
      writeFileSync(good, return2024());
      writeFileSync(extract, EXTRACT);
      expect(await runCli([good, '--case-extract', extract, '--user', 'cli-user'])).toBe(0);
      expect(await count('child')).toBe(4);
      expect((await owner.query(`SELECT DISTINCT user_id FROM audit_event WHERE user_id = 'cli-user'`)).rows).toHaveLength(1);
    });
  });
});
