import { postGraphQL, startTestStack, type TestStack } from '../support/stack';

/**
 * A caller's mistakes are answered as such, where the query enters: HTTP 400,
 * BAD_USER_INPUT (or BAD_REQUEST) naming the argument, never INTERNAL_SERVER_ERROR,
 * never a subgraph's address or body. Run in production mode, where nothing
 * but a caller's mistake may say more than "Internal server error.".
 */
const DCO = 'designated_clinical_officer';

async function post(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }> } };
}

describe('a caller\'s mistakes, in production', () => {
  let stack: TestStack;
  let auth: Record<string, string>;
  beforeAll(async () => {
    stack = await startTestStack({ production: true, limits: { maxDepth: 10, maxAliases: 15, maxTokens: 2000, maxCost: 50000, maxDirectives: 20, maxRepresentations: 50, maxStringLength: 300 } });
    auth = await stack.issuer.as(DCO);
  }, 120_000);
  afterAll(async () => stack?.stop());

  const expectClientError = (res: Awaited<ReturnType<typeof post>>, code: string, field?: string) => {
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions?.code).toBe(code);
    if (field) expect(res.body.errors![0].extensions?.field).toBe(field);
    expect(res.text).not.toMatch(/INTERNAL_SERVER_ERROR|https?:\/\/|"response"/);
    for (const s of Object.values(stack.subgraphs)) expect(res.text).not.toContain(String(s.port));
  };

  it.each([
    ['a literal in a list\'s filter', '{ meetings(filter: { from: "2026-02-0x" }) { nodes { heldDate } } }', undefined, 'filter.from'],
    ['a field of an input object', '{ children(first: 1, filter: { asOf: "2026-02-30" }) { totalCount } }', undefined, 'filter.asOf'],
    ['a variable', 'query($d: Date) { meetings(filter: { from: $d }) { nodes { heldDate } } }', { d: '2026-13-01' }, undefined],
  ])('a malformed Date in %s is BAD_USER_INPUT, HTTP 400, naming it', async (_what, query, variables, field) => {
    const res = await post(stack.gateway.url, { query, variables }, auth);
    expectClientError(res, 'BAD_USER_INPUT', field);
    expect(res.body.errors![0].message).toMatch(field ? new RegExp(`^${field.replace('.', '\\.')}: .*Date must be a calendar date`) : /"\$d".*Date must be a calendar date/);
  });

  it('an unknown enum value is BAD_USER_INPUT naming the argument', async () => {
    const res = await post(stack.gateway.url, { query: '{ children(first: 1, filter: { primaryNeed: NOPE }) { totalCount } }' }, auth);
    expectClientError(res, 'BAD_USER_INPUT', 'filter.primaryNeed');
  });

  it('a subscription is 400, not 500', async () => {
    const res = await post(stack.gateway.url, { query: 'subscription { children { totalCount } }' }, auth);
    expectClientError(res, 'BAD_REQUEST');
    expect(res.body.errors![0].message).toMatch(/Subscriptions are not served/);
  });

  it('an unknown operation name is 400, not 500, and a document of two unnamed choices asks for one', async () => {
    const unknown = await post(stack.gateway.url, { query: 'query A { teams { nodes { name } } }', operationName: 'B' }, auth);
    expectClientError(unknown, 'BAD_REQUEST');
    expect(unknown.body.errors![0].message).toBe('Unknown operation named "B".');
    const two = await post(stack.gateway.url, { query: 'query A { teams { nodes { name } } } query B { teams { nodes { name } } }' }, auth);
    expectClientError(two, 'BAD_REQUEST');
  });

  it.each([
    ['a literal', '{ children(first: 1, filter: { district: "Mans\\u0000field" }) { totalCount } }', undefined, 'filter.district'],
    ['a variable', 'query($d: String) { children(first: 1, filter: { district: $d }) { totalCount } }', { d: 'Mans\u0000field' }, 'filter.district'],
    ['a variable holding an input object', 'query($f: ChildFilter) { children(first: 1, filter: $f) { totalCount } }', { f: { district: 'a\u0000' } }, 'filter.district'],
  ])('a NUL character in %s is BAD_USER_INPUT naming the argument, at the gateway and at the subgraph', async (_what, query, variables, field) => {
    expectClientError(await post(stack.gateway.url, { query, variables }, auth), 'BAD_USER_INPUT', field);
    expectClientError(await post(stack.subgraphs.casework.url, { query, variables }, auth), 'BAD_USER_INPUT', field);
  });

  it('a string over GRAPHQL_MAX_STRING_LENGTH is BAD_USER_INPUT naming the argument and the limit', async () => {
    const res = await post(stack.gateway.url, { query: 'query($r: String!) { priorityAction(reference: $r) { reference } }', variables: { r: 'x'.repeat(301) } }, auth);
    expectClientError(res, 'BAD_USER_INPUT', 'reference');
    expect(res.body.errors![0].message).toBe('reference: must be at most 300 characters long; it is 301. (GRAPHQL_MAX_STRING_LENGTH)');
    // At the limit it is an ordinary (unknown) reference.
    const ok = await postGraphQL(stack.gateway.url, 'query($r: String!) { priorityAction(reference: $r) { reference } }', { r: 'x'.repeat(300) }, auth);
    expect(ok).toMatchObject({ status: 200, data: { priorityAction: null } });
  });

  it('a direct call to a subgraph with more entity representations than GRAPHQL_MAX_REPRESENTATIONS is refused before any is resolved, naming the limit', async () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Child { id } } }';
    const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Child', id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}` }));
    const over = await post(stack.subgraphs.casework.url, { query, variables: { representations: reps(51) } }, auth);
    expectClientError(over, 'BAD_REQUEST');
    expect(over.body.errors![0].message).toBe('Request refused: 51 entity representations in one request; the limit is 50. (GRAPHQL_MAX_REPRESENTATIONS)');
    const at = await post(stack.subgraphs.casework.url, { query, variables: { representations: reps(50) } }, auth);
    expect(at.status).toBe(200);
    expect((at.body.data as { _entities: unknown[] })._entities).toHaveLength(50);
  });
});
