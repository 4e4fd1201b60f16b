import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { postGraphQL, startTestStack, type TestStack } from '../support/stack';
import { childIds, childrenById } from './helpers';

const TODAY = '2026-11-22';
const DASHBOARD = `query Dashboard { assuranceDashboard(asOf: "2026-02-09") {
  kpiCards { name value rag } priorityActionPlan { area { reference } byStatus { status count } }
} }`;

/**
 * The gateway sends identical queries in flight from one token once; a
 * person-level read is still audited under every request that made it.
 */
describe('identical requests at once through the gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: TODAY, log: () => undefined } });
  });
  afterAll(async () => stack?.stop());

  it('audits a person-level read under each request id, even when the requests were in flight together', async () => {
    const ids = await childIds(stack, 3);
    const headers = await stack.issuer.as('la_caseworker', { user: 'sharing-reader' });
    const query = childrenById(ids, 'id forename', 'SameChildren');
    const requestIds = ['same-1', 'same-2', 'same-3', 'same-4'];
    const answers = await Promise.all(requestIds.map((id) => postGraphQL(stack.gateway.url, query, undefined, { ...headers, 'x-request-id': id })));
    for (const a of answers) {
      expect(a.errors).toBeUndefined();
      expect(a.data).toEqual(answers[0].data);
    }
    const res = await stack.queryAs<{ caseworkAuditEvents: { edges: Array<{ node: { requestId: string; recordIds: string[] } }> } }>(
      'auditor',
      'query($f: AuditEventFilter) { caseworkAuditEvents(filter: $f, first: 100) { edges { node { requestId recordIds } } } }',
      { f: { userId: 'sharing-reader', entityType: 'Child' } },
    );
    expect(res.errors).toBeUndefined();
    const byRequest = new Map<string, Set<string>>();
    for (const { node } of res.data!.caseworkAuditEvents.edges) {
      if (!byRequest.has(node.requestId)) byRequest.set(node.requestId, new Set());
      for (const id of node.recordIds) byRequest.get(node.requestId)!.add(id);
    }
    // Every request's reads, each child once per request.
    expect([...byRequest.keys()].sort()).toEqual(requestIds);
    for (const id of requestIds) expect([...byRequest.get(id)!].sort()).toEqual([...ids].sort());
  });

  it('answers a dashboard asked for by the same user at once from one set of subgraph calls where they overlap, every answer whole', async () => {
    const headers = await stack.issuer.as('executive', { user: 'sharing-executive' });
    // Warm up: the first dashboard plans the query.
    expect((await postGraphQL(stack.gateway.url, DASHBOARD, undefined, headers)).errors).toBeUndefined();
    const before = stack.gateway.subgraphCalls();
    const answers = await Promise.all(Array.from({ length: 6 }, () => postGraphQL(stack.gateway.url, DASHBOARD, undefined, headers)));
    for (const a of answers) {
      expect(a.errors).toBeUndefined();
      expect(a.data).toEqual(answers[0].data);
    }
    const after = stack.gateway.subgraphCalls();
    const shared = Object.keys(after).reduce((n, name) => n + after[name].shared - (before[name]?.shared ?? 0), 0);
    // Six at once from one token: at least one subgraph call was answered by another's.
    expect(shared).toBeGreaterThan(0);
  });
});
