import { Client } from 'pg';
import { startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';

/**
 * Writes that cannot double: identical submissions sent at once through the
 * gateway make one record, and every other one is answered CONFLICT naming it
 * (never "Internal server error."). The database decides, through the unique
 * constraints of Migration20261123000300_governance_no_doubles; a later identical
 * submission gets the same answer. The winner is audited once, with the entity's
 * properties as the flush wrote them.
 */
const AT_ONCE = 8;

describe('governance writes that cannot double', () => {
  let stack: TestStack;
  let owner: Client;
  let actionId: string;
  const sql = async <T>(text: string, values: unknown[] = []) => (await owner.query(text, values)).rows as T[];
  const count = async (table: string) => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = new Client({ connectionString: stack.databases.logins.governance.ownerUrl });
    await owner.connect();
    await sql(`INSERT INTO governance_body (code, name, cadence, purpose, starts_on) VALUES ('SELG', 'SEND Executive Leadership Group', 'Quarterly', 'Shared accountability.', '2026-04-01')`);
    await sql(`INSERT INTO pap_area (reference, title, description) VALUES ('APA-1', 'Timeliness', 'Plans on time.')`);
  }, 120_000);
  afterAll(async () => {
    await owner?.end();
    await stack?.stop();
  });

  /** The same mutation sent AT_ONCE times together: the one answer that made a record, and the rest. */
  async function atOnce<T>(field: string, query: string, variables: Record<string, unknown>) {
    const answers = await Promise.all(Array.from({ length: AT_ONCE }, () => stack.queryAs<Record<string, Record<string, T>>>('board_member', query, variables)));
    const made = answers.filter((a) => !a.errors);
    const refused = answers.filter((a) => a.errors) as Array<GraphQLResponse & { errors: NonNullable<GraphQLResponse['errors']> }>;
    // A mutation's payload holds the one record it wrote.
    return { made: made.map((a) => Object.values(a.data![field])[0]), refused };
  }

  /** Every refusal is a CONFLICT naming the record that was made. */
  function expectConflictsNaming(refused: Array<{ errors: NonNullable<GraphQLResponse['errors']> }>, type: string, id: string) {
    for (const r of refused) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].extensions).toMatchObject({ code: 'CONFLICT', existing: { type, id } });
      expect(r.errors[0].message).not.toMatch(/internal server error/i);
    }
  }

  const audited = async (entityType: string, entityId: string) =>
    sql<{ user_id: string; fields: string[] }>(`SELECT user_id, fields FROM audit_event WHERE action = 'WRITE' AND entity_type = $1 AND entity_id = $2`, [entityType, entityId]);

  it('an action: one is made, its KPI linked once; the others hear which', async () => {
    const kpi = await stack.queryAs<{ createKpi: { kpi: { id: string } }}>('board_member', 'mutation { createKpi(input: { name: "Plans", measureCode: "PLANS_ACTIVE", interval: MONTH, direction: LOWER_IS_BETTER, amberTolerance: 1 }) { kpi { id } } }');
    expect(kpi.errors).toBeUndefined();
    const input = { areaReference: 'APA-1', reference: 'PAP-1.1', title: 'Plans on time', ownerOrganisation: 'LA', leadRole: 'Service Director', startDate: '2026-04-01', kpiIds: [kpi.data!.createKpi.kpi.id] };
    const { made, refused } = await atOnce<{ id: string }>('createPriorityAction', 'mutation($input: PriorityActionInput!) { createPriorityAction(input: $input) { action { id } } }', { input });
    expect(made).toHaveLength(1);
    expectConflictsNaming(refused, 'PriorityAction', made[0].id);
    expect(await count('priority_action')).toBe(1);
    expect(await count('priority_action_kpi')).toBe(1);
    actionId = made[0].id;
    const [entry] = await audited('PriorityAction', actionId);
    expect(entry.user_id).toBe('test-board_member');
    // From the flush's change set: the entity's properties, not the input's field names.
    expect(entry.fields).toEqual(expect.arrayContaining(['area', 'reference', 'ownerOrganisation', 'leadRole', 'startDate']));
    expect(entry.fields).not.toContain('areaReference');
    expect(await audited('PriorityAction', actionId)).toHaveLength(1);
  });

  it('a KPI over a code, at once or later: one KPI, the others CONFLICT naming it', async () => {
    const query = 'mutation { createKpi(input: { name: "Requests", measureCode: "EHCNA_REQUESTS", interval: MONTH, direction: LOWER_IS_BETTER, amberTolerance: 5 }) { kpi { id } } }';
    const { made, refused } = await atOnce<{ id: string }>('createKpi', query, {});
    expect(made).toHaveLength(1);
    expectConflictsNaming(refused, 'Kpi', made[0].id);
    const later = await stack.queryAs('board_member', query);
    expectConflictsNaming([later as never], 'Kpi', made[0].id);
    expect(later.errors![0].message).toBe('input.measureCode: a KPI over EHCNA_REQUESTS already exists.');
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM kpi WHERE measure_code = 'EHCNA_REQUESTS'`))[0].n).toBe(1);
  });

  it('a meeting of a body on a date, at once or later', async () => {
    const query = 'mutation { createMeeting(input: { bodyCode: "SELG", heldDate: "2026-04-22", title: "SEND Executive Leadership Group, Q1" }) { meeting { id } } }';
    const { made, refused } = await atOnce<{ id: string }>('createMeeting', query, {});
    expect(made).toHaveLength(1);
    expectConflictsNaming(refused, 'Meeting', made[0].id);
    const later = await stack.queryAs('board_member', query);
    expectConflictsNaming([later as never], 'Meeting', made[0].id);
    expect(await count('meeting')).toBe(1);
    // Another date of the same body is another meeting.
    expect((await stack.queryAs('board_member', 'mutation { createMeeting(input: { bodyCode: "SELG", heldDate: "2026-07-15", title: "Q2" }) { meeting { id } } }')).errors).toBeUndefined();
    const [entry] = await audited('Meeting', made[0].id);
    expect(entry.fields).toEqual(expect.arrayContaining(['body', 'heldDate', 'title']));
    expect(entry.fields).not.toContain('bodyCode');
  });

  it('a progress update of an action at a date', async () => {
    const query = 'mutation($id: ID!) { recordProgressUpdate(input: { actionId: $id, recordedDate: "2026-05-01", currentPosition: "Backlog down to 40.", nextSteps: "Clear it by June." }) { progressUpdate { id } } }';
    const { made, refused } = await atOnce<{ id: string }>('recordProgressUpdate', query, { id: actionId });
    expect(made).toHaveLength(1);
    expectConflictsNaming(refused, 'ProgressUpdate', made[0].id);
    expect(await count('progress_update')).toBe(1);
  });

  it('a milestone of an action, by title and due date', async () => {
    const query = 'mutation($id: ID!, $title: String!) { addMilestone(input: { actionId: $id, title: $title, dueDate: "2026-09-30" }) { milestone { id } } }';
    const { made, refused } = await atOnce<{ id: string }>('addMilestone', query, { id: actionId, title: 'Backlog cleared' });
    expect(made).toHaveLength(1);
    expectConflictsNaming(refused, 'Milestone', made[0].id);
    // The same words with spaces around them are the same milestone; a long title is guarded too.
    expectConflictsNaming([(await stack.queryAs('board_member', query, { id: actionId, title: '  Backlog cleared ' })) as never], 'Milestone', made[0].id);
    const long = 'Every plan reviewed on time. '.repeat(400);
    expect((await stack.queryAs('board_member', query, { id: actionId, title: long })).errors).toBeUndefined();
    expect((await stack.queryAs('board_member', query, { id: actionId, title: long })).errors![0].extensions!.code).toBe('CONFLICT');
    expect(await count('milestone')).toBe(2);
  });

  it('an escalation of an issue to a body on a day', async () => {
    const input = { raisedBy: 'Designated Clinical Officer', raisedByOrganisation: 'ICB', bodyCode: 'SELG', issue: 'Occupational therapy waits rising.', raisedDate: '2026-05-04', responseDueDate: '2026-06-01', actionId };
    const { made, refused } = await atOnce<{ id: string }>('raiseEscalation', 'mutation($input: EscalationInput!) { raiseEscalation(input: $input) { escalation { id } } }', { input });
    expect(made).toHaveLength(1);
    expectConflictsNaming(refused, 'Escalation', made[0].id);
    expect(await count('escalation')).toBe(1);
  });

  it('a piece of family feedback', async () => {
    const input = { source: 'SURVEY', theme: 'Communication', receivedDate: '2026-05-05', youSaid: 'Letters about our plans are hard to understand.' };
    const { made, refused } = await atOnce<{ id: string }>('recordFamilyFeedback', 'mutation($input: FamilyFeedbackInput!) { recordFamilyFeedback(input: $input) { feedback { id } } }', { input });
    expect(made).toHaveLength(1);
    expectConflictsNaming(refused, 'FamilyFeedback', made[0].id);
    // Other words on the same day and theme are other feedback.
    expect((await stack.queryAs('board_member', 'mutation($input: FamilyFeedbackInput!) { recordFamilyFeedback(input: $input) { feedback { id } } }', { input: { ...input, youSaid: 'We never hear back.' } })).errors).toBeUndefined();
    expect(await count('family_feedback')).toBe(2);
  });

  it('linking a KPI to an action at once: one link; every answer is the action or a CONFLICT naming it', async () => {
    const kpi = await stack.queryAs<{ createKpi: { kpi: { id: string } }}>('board_member', 'mutation { createKpi(input: { name: "Decisions", measureCode: "EHCNA_DECISION_6WK", interval: MONTH, direction: HIGHER_IS_BETTER, amberTolerance: 5 }) { kpi { id } } }');
    const { made, refused } = await atOnce<{ id: string }>('linkKpiToAction', 'mutation($a: ID!, $k: ID!) { linkKpiToAction(input: { actionId: $a, kpiId: $k }) { action { id } } }', { a: actionId, k: kpi.data!.createKpi.kpi.id });
    expect(made.length).toBeGreaterThanOrEqual(1);
    for (const m of made) expect(m.id).toBe(actionId);
    expectConflictsNaming(refused, 'PriorityAction', actionId);
    expect(await count('priority_action_kpi')).toBe(2);
  });
});
