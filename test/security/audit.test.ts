import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { write } from '../../subgraphs/toolkit/write';
import { adminUrl, TEST_LINK_KEY_SECRET } from '../support/databases';
import { postGraphQL, startTestStack, type TestStack } from '../support/stack';
import { childIds, childrenById } from './helpers';

const TODAY = '2026-11-22';
const DCO = 'designated_clinical_officer' as const;

interface AuditNode {
  id: string;
  source: string;
  userId: string;
  roles: string[];
  org: string;
  operationName: string | null;
  requestId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  recordIds: string[];
  fields: string[];
}
interface Page {
  edges: Array<{ cursor: string; node: AuditNode }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const NODE = 'id source userId roles org operationName requestId action entityType entityId recordIds fields';

describe('audit trail of person-level reads and writes', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: TODAY, log: () => undefined } });
  });
  afterAll(async () => stack?.stop());

  async function trail(subgraph: string, filter: Record<string, unknown>, first = 500, after?: string): Promise<Page> {
    const res = await stack.queryAs<Record<string, Page>>('auditor', `query($f: AuditEventFilter, $first: Int!, $after: String) { ${subgraph}AuditEvents(filter: $f, first: $first, after: $after) { edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } } }`, { f: filter, first, after });
    expect(res.errors).toBeUndefined();
    return res.data![`${subgraph}AuditEvents`];
  }

  it('records one row per record type and field set per request, naming every record read, with the fields read, the user, roles, org, operation and request', async () => {
    const ids = await childIds(stack, 5);
    stack.statements.casework.length = 0;
    const res = await stack.queryAs<Record<string, { id: string; ehcPlans: Array<{ id: string }> }>>(['la_caseworker'], childrenById(ids, 'id forename ehcPlans { id issueDate }', 'ReviewCaseload'));
    expect(res.errors).toBeUndefined();
    const planIds = Object.values(res.data!).flatMap((c) => c.ehcPlans.map((p) => p.id));
    expect(planIds.length).toBeGreaterThan(1);

    const children = (await trail('casework', { userId: 'test-la_caseworker', entityType: 'Child' })).edges.map((e) => e.node);
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({ source: 'casework', action: 'READ', roles: ['la_caseworker'], org: 'LA', fields: ['ehcPlans', 'forename', 'id'], entityId: null, recordIds: [...ids].sort() });
    expect(children[0].operationName).toMatch(/^ReviewCaseload/);
    const plans = (await trail('casework', { userId: 'test-la_caseworker', entityType: 'EhcPlan' })).edges.map((e) => e.node);
    expect(plans).toEqual([expect.objectContaining({ fields: ['id', 'issueDate'], entityId: null, recordIds: [...planIds].sort(), requestId: children[0].requestId })]);
    // One append per request, not one per record.
    const appends = stack.statements.casework.filter((sql) => /^select public\.append_audit_events\(/i.test(sql.trim()));
    expect(appends).toHaveLength(1);
  });

  it('finds who read a child, when: each request that read it exactly once, by the record-ids index', async () => {
    const ids = await childIds(stack, 12);
    const target = ids[4];
    const reader = (n: number) => ({ user: `who-read-${n}` });
    // Three requests that read the target among others (two with the same fields, one also by _entities-style single read), one that did not.
    const asked = [
      { who: reader(1), query: childrenById(ids.slice(0, 8), 'id forename', 'PageOne'), reads: true },
      { who: reader(2), query: childrenById(ids.slice(2, 6), 'surname', 'PageTwo'), reads: true },
      { who: reader(3), query: childrenById([target], 'id surname birthDate', 'OneChild'), reads: true },
      { who: reader(4), query: childrenById(ids.slice(6), 'id forename', 'Others'), reads: false },
    ];
    const requestIds: string[] = [];
    for (const [i, a] of asked.entries()) {
      const requestId = `who-read-${Date.now()}-${i}`;
      const res = await postGraphQL(stack.gateway.url, a.query, undefined, { ...(await stack.issuer.as('la_caseworker', a.who)), 'x-request-id': requestId });
      expect(res.errors).toBeUndefined();
      if (a.reads) requestIds.push(requestId);
    }
    const found = (await trail('casework', { entityType: 'Child', entityId: target, action: 'READ' })).edges.map((e) => e.node).filter((n) => n.userId.startsWith('who-read-'));
    expect(found.map((n) => n.requestId).sort()).toEqual([...requestIds].sort());
    for (const n of found) expect(n.recordIds).toContain(target);
    // In SQL, the record-ids condition is a lookup on their GIN index (forced here: the test's trail is too small for the planner to prefer it).
    const owner = new pg.Client({ connectionString: stack.databases.logins.casework.ownerUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query('SET LOCAL enable_seqscan = off');
      const plan = (await owner.query(`EXPLAIN SELECT request_id FROM audit_event WHERE record_ids @> ARRAY[$1::text]`, [target])).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/audit_event_record_ids_idx/);
      await owner.query('ROLLBACK');
    } finally {
      await owner.end();
    }
  });

  it('records reads made through _entities, as the gateway makes them', async () => {
    const [id] = await childIds(stack, 1);
    const child = { id };
    const res = await postGraphQL<{ _entities: Array<{ surname: string }> }>(
      stack.subgraphs.casework.url,
      'query Lookup($r: [_Any!]!) { _entities(representations: $r) { ... on Child { surname } } }',
      { r: [{ __typename: 'Child', id: child.id }] },
      { ...(await stack.issuer.as(DCO, { user: 'entities-reader' })), 'x-request-id': 'req-entities-1' },
    );
    expect(res.errors).toBeUndefined();
    const rows = (await trail('casework', { userId: 'entities-reader' })).edges.map((e) => e.node);
    expect(rows).toEqual([expect.objectContaining({ entityType: 'Child', entityId: child.id, fields: ['surname'], operationName: 'Lookup', requestId: 'req-entities-1' })]);
  });

  it('gives the caller the request id the trail files the read under; a request id that is not a plain identifier is replaced', async () => {
    const [id] = await childIds(stack, 1);
    const res = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': "x'); DROP TABLE audit_event; --", ...(await stack.issuer.as(DCO, { user: 'rid-reader' })) }, body: JSON.stringify({ query: childrenById([id], 'surname') }) });
    const requestId = res.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const rows = (await trail('casework', { userId: 'rid-reader' })).edges.map((e) => e.node);
    expect(rows.map((r) => r.requestId)).toEqual([requestId]);
  });

  it('does not record a read that was refused', async () => {
    const res = await stack.queryAs('executive', childrenById(await childIds(stack, 3), 'id forename'));
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await trail('casework', { userId: 'test-executive' })).edges).toEqual([]);
  });

  it('pages newest first with opaque cursors, and filters', async () => {
    // Seven requests: a request's reads of one type and field set are one entry.
    for (const id of await childIds(stack, 7)) await stack.queryAs(DCO, childrenById([id], 'id'));
    const all = await trail('casework', { userId: `test-${DCO}` });
    expect(all.edges.length).toBeGreaterThanOrEqual(7);
    const ids = all.edges.map((e) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const first = await trail('casework', { userId: `test-${DCO}` }, 3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await trail('casework', { userId: `test-${DCO}` }, 3, first.pageInfo.endCursor!);
    expect(second.edges.map((e) => e.node.id)).toEqual(all.edges.slice(3, 6).map((e) => e.node.id));
    expect(first.pageInfo.endCursor).not.toContain(first.edges[2].node.id); // opaque, not the bare id

    const bad = await stack.queryAs('auditor', '{ caseworkAuditEvents(after: "not-a-cursor") { pageInfo { hasNextPage } } }');
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((await trail('casework', { userId: `test-${DCO}`, action: 'WRITE' })).edges).toEqual([]);
  });

  it('answers the auditor in all three subgraphs in one request, and no one else', async () => {
    const q = `{ caseworkAuditEvents(first: 1) { pageInfo { hasNextPage } } healthAuditEvents(first: 1) { pageInfo { hasNextPage } } governanceAuditEvents(first: 1) { pageInfo { hasNextPage } } }`;
    const ok = await stack.queryAs('auditor', q);
    expect(ok.errors).toBeUndefined();
    for (const role of ['la_caseworker', DCO, 'icb_analyst', 'executive', 'board_member', 'partner_app', 'admin'] as const) {
      const res = await stack.queryAs(role, q);
      expect(res.errors?.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      // Root fields are nullable, so each refused field is null on its own.
      expect(res.data).toEqual({ caseworkAuditEvents: null, healthAuditEvents: null, governanceAuditEvents: null });
    }
  });

  it('records writes through write(), in the write\'s transaction', async () => {
    const em = stack.subgraphs.health.orm.em.fork() as EntityManager;
    const actor = { caller: { userId: 'writer-1', roles: ['designated_clinical_officer'], org: 'ICB' }, requestId: 'req-write-1', operationName: 'RecordAdvice' };
    await write(em, actor, async (_tx, record) => record([{ entityType: 'HealthAdvice', entityId: 'h-1', fields: ['returnedDate'] }]));
    await expect(
      write(em, actor, async (_tx, record) => {
        record([{ entityType: 'HealthAdvice', entityId: 'h-2', fields: [] }]);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    const rows = (await trail('health', { userId: 'writer-1' })).edges.map((e) => e.node);
    expect(rows).toEqual([expect.objectContaining({ action: 'WRITE', entityType: 'HealthAdvice', entityId: 'h-1', fields: ['returnedDate'], roles: ['designated_clinical_officer'], org: 'ICB', operationName: 'RecordAdvice', requestId: 'req-write-1' })]);
  });

  it('withholds the data when the read cannot be recorded', async () => {
    const login = stack.databases.logins.casework;
    const appUser = decodeURIComponent(new URL(login.appUrl).username);
    // The trail belongs to its own role, so only the administrator can take the right to append away.
    const admin = new pg.Client({ connectionString: withDatabase(adminUrl(), login.database) });
    await admin.connect();
    try {
      await admin.query(`REVOKE EXECUTE ON FUNCTION append_audit_events(json) FROM "${appUser}"`);
      const res = await stack.queryAs(DCO, childrenById(await childIds(stack, 2), 'id forename'));
      expect(Object.values(res.data ?? {}).every((v) => v === null)).toBe(true);
      expect(JSON.stringify(res)).not.toMatch(/forename"\s*:\s*"/);
      expect(res.errors![0].extensions!.code).toBe('AUDIT_UNAVAILABLE');
    } finally {
      await admin.query(`GRANT EXECUTE ON FUNCTION append_audit_events(json) TO "${appUser}"`);
      await admin.end();
    }
    const again = await stack.queryAs(DCO, childrenById(await childIds(stack, 2), 'id forename'));
    expect(again.errors).toBeUndefined();
  });

  it.each(['casework', 'health', 'governance'])('%s: the runtime login can append audit events, only through append_audit_events, and not change or delete them', async (name) => {
    const client = new pg.Client({ connectionString: stack.databases.logins[name].appUrl });
    await client.connect();
    try {
      const appended = await client.query(`SELECT append_audit_events('[{"user_id": "u", "roles": ["auditor"], "org": "LA", "action": "READ", "entity_type": "X", "entity_id": "1"}]') AS n`);
      expect(appended.rows[0].n).toBe(1);
      await expect(client.query(`INSERT INTO audit_event (user_id, roles, org, action, entity_type, entity_id) VALUES ('u', '{auditor}', 'LA', 'READ', 'X', '1')`)).rejects.toThrow(/permission denied/);
      await expect(client.query(`UPDATE audit_event SET user_id = 'other'`)).rejects.toThrow(/permission denied/);
      await expect(client.query('DELETE FROM audit_event')).rejects.toThrow(/permission denied/);
      await expect(client.query('TRUNCATE audit_event')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });
});
