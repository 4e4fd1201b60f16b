import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { identityProblems } from '../../subgraphs/casework/commands/child';
import { mergeProblems, type MergeSide } from '../../subgraphs/casework/rules/merge';
import { normalisePostcode, upnProblem } from '../../subgraphs/casework/rules/identity';
import { linkKeyFor } from '../../subgraphs/toolkit/link-key';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { upnCheckLetter } from '../../subgraphs/toolkit/upn';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, type TestDatabases } from '../support/databases';
import { postGraphQL } from '../support/stack';

const SECRET = 'test-partnership-secret';
/** Valid NHS numbers (modulus 11) from the reserved 999 range. */
const NHS_A = '9990000018';
const NHS_B = '9990000026';

describe('identity fields, checked as SEN2 checks them', () => {
  it('a UPN: the form, then the check letter', () => {
    // The check letter of 123456789012 is A (weights 2-13, modulo 23, the alphabet without I, O and S).
    expect(upnCheckLetter('123456789012')).toBe('A');
    expect(upnProblem('A123456789012')).toBeNull();
    expect(upnProblem('a123456789012')).toBeNull();
    expect(upnProblem('B123456789012')).toMatch(/check letter/);
    expect(upnProblem('A12345')).toMatch(/a letter and 12 digits/);
    // A temporary UPN ends in a letter, which counts as its place in the check alphabet.
    const temporary = `${upnCheckLetter('12345678901A')}12345678901A`;
    expect(upnProblem(temporary)).toBeNull();
  });

  it('every field at fault named at once, no value repeated', () => {
    const problems = identityProblems({ forename: ' ', surname: 'Able', birthDate: '2030-01-01', upn: 'B123456789012', nhsNumber: '9990000019', postcode: 'not a postcode', ethnicity: 'XXXX' }, '2026-01-01');
    expect(problems.map((p) => p.field)).toEqual(['input.forename', 'input.birthDate', 'input.ethnicity', 'input.postcode', 'input.upn', 'input.nhsNumber']);
    for (const p of problems) expect(p.message).not.toMatch(/B123456789012|9990000019|not a postcode/);
    expect(normalisePostcode('ng181ab')).toBe('NG18 1AB');
  });

  it('two records merge only when their identifiers agree and their histories fit together', () => {
    const side = (o: Partial<MergeSide>): MergeSide => ({ birthDate: '2015-01-01', nhsNumber: null, upn: null, uln: null, requestDates: [], allocationStarts: [], openAllocation: false, ...o });
    expect(mergeProblems(side({ nhsNumber: NHS_A }), side({ upn: 'A123456789012' }))).toEqual([]);
    expect(mergeProblems(side({ nhsNumber: NHS_A }), side({ nhsNumber: NHS_B }))[0].message).toMatch(/different NHS numbers/);
    expect(mergeProblems(side({}), side({ birthDate: '2015-01-02' }))[0].message).toMatch(/different birth dates/);
    expect(mergeProblems(side({ requestDates: ['2025-01-06'] }), side({ requestDates: ['2025-01-06'] }))[0].message).toMatch(/request received on 2025-01-06/);
    expect(mergeProblems(side({ openAllocation: true }), side({ openAllocation: true }))[0].message).toMatch(/both records have a current allocation/);
  });
});

describe('a caseworker\'s whole job, from a new child to a final plan, a correction and a merge', () => {
  let dbs: TestDatabases;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  let owner: pg.Client;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    issuer = await createTestIssuer();
    subgraph = await startSubgraph(casework, { port: 0, host: '127.0.0.1', databaseUrl: dbs.logins.casework.appUrl, auth: issuer.config, linkKeySecret: SECRET });
    owner = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await subgraph?.stop();
    await dbs?.drop();
  });
  const as = async (query: string, variables?: Record<string, unknown>) => postGraphQL<Record<string, any>>(subgraph.url, query, variables, await issuer.as('la_caseworker', { user: 'jo.caseworker' }));
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const res = await as(query, variables);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const RECORD = 'mutation($i: RecordChildInput!) { recordChild(input: $i) { child { id linkKey upn postcode district } } }';
  const CORRECT = 'mutation($i: CorrectChildInput!) { correctChild(input: $i) { child { id forename birthDate upn linkKey } } }';
  const MERGE = 'mutation($i: MergeChildrenInput!) { mergeChildren(input: $i) { child { id linkKey upn requests { receivedDate } } merge { keptChildId mergedChildId mergedBy reason mergedDate } } }';

  it('records a new child, refusing bad identity fields all at once and a UPN another record holds', async () => {
    const bad = await as(RECORD, { i: { forename: 'Amy', surname: 'Able', birthDate: '2015-03-04', sex: 'FEMALE', upn: 'B123456789012', nhsNumber: '9990000019', postcode: 'NG18' } });
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((bad.errors![0].extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual(['input.postcode', 'input.upn', 'input.nhsNumber']);
    expect(JSON.stringify(bad.errors)).not.toMatch(/B123456789012|9990000019/);
    expect(await owner.query('SELECT count(*)::int AS n FROM child').then((r) => r.rows[0].n)).toBe(0);

    const { recordChild } = await ok(RECORD, { i: { forename: 'Amy', surname: 'Able', birthDate: '2015-03-04', sex: 'FEMALE', upn: 'a123456789012', nhsNumber: '999 000 0018', postcode: 'ng181ab', district: 'Mansfield' } });
    expect(recordChild.child).toMatchObject({ upn: 'A123456789012', postcode: 'NG18 1AB', district: 'Mansfield', linkKey: linkKeyFor(NHS_A, SECRET) });
    const twin = await as(RECORD, { i: { forename: 'Amy', surname: 'Able', birthDate: '2015-03-04', sex: 'FEMALE', upn: 'A123456789012' } });
    expect(twin.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(twin.errors![0].message).toMatch(/input\.upn: another child's record holds it/);
  });

  it('walks the new child to a final plan, with reg 13(1) applied at its edge', async () => {
    const { recordChild: { child } } = await ok(RECORD, { i: { forename: 'Ben', surname: 'Baker', birthDate: '2016-07-08', sex: 'MALE' } });
    const { recordEhcnaRequest: { request } } = await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: child.id, receivedDate: '2025-01-06' } });
    const { recordRequestDecision: decided } = await ok('mutation($i: RecordDecisionInput!) { recordRequestDecision(input: $i) { request { assessment { id } } } }', { i: { requestId: request.id, outcome: 'ASSESS', decisionDate: '2025-02-10' } });
    const assessmentId = decided.request.assessment.id;
    await ok('mutation($i: RecordDraftPlanInput!) { recordDraftPlan(input: $i) { assessment { id } } }', { i: { assessmentId, draftPlanDate: '2025-05-01' } });
    const plan = (issueDate: string, familyAgreedEarlyDate?: string) =>
      as('mutation($i: RecordFinalPlanInput!) { recordFinalPlan(input: $i) { plan { issueDate familyAgreedEarlyDate } } }', { i: { assessmentId, issueDate, familyAgreedEarlyDate, placements: [{ rank: 1, urn: '123456' }], senNeeds: [{ senType: 'ASD', rank: 1 }] } });
    const early = await plan('2025-05-11');
    expect(early.errors![0].message).toMatch(/input\.issueDate \(2025-05-11\) is before the end of the family's 15 days to comment on the draft plan .*\(2025-05-16\)\./);
    const agreed = await plan('2025-05-11', '2025-05-09');
    expect(agreed.errors).toBeUndefined();
    expect(agreed.data!.recordFinalPlan.plan).toEqual({ issueDate: '2025-05-11', familyAgreedEarlyDate: '2025-05-09' });
  });

  it('corrects a child, checked as a new one, and refuses a birth date after the first request', async () => {
    const { recordChild: { child } } = await ok(RECORD, { i: { forename: 'Cal', surname: 'Cole', birthDate: '2012-01-01', sex: 'MALE' } });
    await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: child.id, receivedDate: '2024-09-02' } });
    const { correctChild } = await ok(CORRECT, { i: { childId: child.id, forename: 'Callum', upn: 'E323456789012', nhsNumber: NHS_B } });
    expect(correctChild.child).toMatchObject({ forename: 'Callum', birthDate: '2012-01-01', upn: 'E323456789012', linkKey: linkKeyFor(NHS_B, SECRET) });
    const bad = await as(CORRECT, { i: { childId: child.id, birthDate: '2024-09-03', upn: 'B123456789012' } });
    expect(bad.errors![0].extensions!.problems).toEqual([
      { field: 'input.upn', message: expect.stringMatching(/^input\.upn: its check letter/) },
      { field: 'input.birthDate', message: 'input.birthDate (2024-09-03) is after the child\'s first request for assessment was received (2024-09-02).' },
    ]);
    const cleared = await ok(CORRECT, { i: { childId: child.id, nhsNumber: null } });
    expect(cleared.correctChild.child.linkKey).toBeNull();
  });

  it('merges two records of the same child, moving the history and recording who, when and why', async () => {
    const { recordChild: { child: keep } } = await ok(RECORD, { i: { forename: 'Dee', surname: 'Dunn', birthDate: '2014-02-02', sex: 'FEMALE', upn: 'G423456789012' } });
    const { recordChild: { child: other } } = await ok(RECORD, { i: { forename: 'Dee', surname: 'Dunn', birthDate: '2014-02-02', sex: 'FEMALE', nhsNumber: '9990000034' } });
    await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: keep.id, receivedDate: '2025-03-03' } });
    await ok('mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', { i: { childId: other.id, receivedDate: '2024-03-04' } });
    const refused = await as(MERGE, { i: { keepChildId: keep.id, mergeChildId: keep.id, reason: 'x' } });
    expect(refused.errors![0].extensions!.code).toBe('BAD_USER_INPUT');

    const { mergeChildren } = await ok(MERGE, { i: { keepChildId: keep.id, mergeChildId: other.id, reason: 'Same child: recorded twice at two schools.' } });
    expect(mergeChildren.child).toMatchObject({ id: keep.id, upn: 'G423456789012', linkKey: linkKeyFor('9990000034', SECRET) });
    expect(mergeChildren.child.requests.map((r: { receivedDate: string }) => r.receivedDate).sort()).toEqual(['2024-03-04', '2025-03-03']);
    expect(mergeChildren.merge).toMatchObject({ keptChildId: keep.id, mergedChildId: other.id, mergedBy: 'jo.caseworker', reason: 'Same child: recorded twice at two schools.' });
    expect((await owner.query('SELECT count(*)::int AS n FROM child WHERE id = $1', [other.id])).rows[0].n).toBe(0);
    // Audited like every write: the merge, the kept record, the removed one and the request that moved.
    const audit = (await owner.query(`SELECT entity_type, entity_id, fields FROM audit_event WHERE action = 'WRITE' AND entity_id = ANY($1) ORDER BY id`, [[keep.id, other.id]])).rows;
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ entity_type: 'Child', entity_id: other.id, fields: expect.arrayContaining(['(deleted)']) }),
      expect.objectContaining({ entity_type: 'Child', entity_id: keep.id, fields: expect.arrayContaining(['linkKey', 'nhsNumber']) }),
    ]));
    expect((await owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'WRITE' AND entity_type = 'ChildMerge'`)).rows[0].n).toBe(1);
    // The measures follow the records: the moved request counts once, under the kept child.
    const facts = (await owner.query(`SELECT child_id FROM casework_child_measure_month WHERE code = 'EHCNA_REQUESTS' AND month = '2024-03-01'`)).rows;
    expect(facts).toEqual([{ child_id: keep.id }]);
  });
});
