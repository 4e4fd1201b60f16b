import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { startGateway, type RunningGateway } from '../../gateway/gateway';
import type { RoleName } from '../../platform/roles';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * The passthrough answers byte for byte what the normal path answers: a corpus
 * of operations sent to two gateways over the same subgraphs, one passing
 * eligible operations through and one not, compared on status, body and the
 * headers a client reads. Ineligible operations, errors, refusals and a failed
 * subgraph are in the corpus too, so the fallbacks are compared as well.
 */

const AS_OF = '2026-02-09';
const SEED = { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: '2026-03-01', log: () => undefined };
const HEALTH_CODES = ['WAITING_COUNT', 'WAITING_OVER_18WK_PCT', 'COMMUNITY_WAITING_OVER_18WK_PCT', 'ND_WAITING_OVER_13WK_PCT', 'FIRST_CONTACT_MEDIAN_WEEKS', 'CYP_MH_ACCESS', 'HEALTH_ADVICE_6WK_PCT', 'SPACE_FAMILIES_ENROLLED', 'SPACE_COMPLETION_PCT', 'SPACE_FASA_MEAN_CHANGE'];

interface Case {
  name: string;
  role: RoleName;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Whether the passthrough answers it (else the normal path does, after the passthrough's call or without one). */
  passed: boolean;
}

const CORPUS: Case[] = [
  { name: "the benchmark's trivial list", role: 'board_member', query: 'query Trivial { governanceBodies { nodes { code name } } }', passed: true },
  {
    name: "the benchmark's analyst measures",
    role: 'icb_analyst',
    query: `query Analyst { healthMeasures(codes: ${JSON.stringify(HEALTH_CODES)}, from: "2019-01-01", to: "${AS_OF}", interval: QUARTER) { code unit points { periodStart value suppressed } }
      waitingList(asOf: "${AS_OF}") { total totalSuppressed bands { label count suppressed } } }`,
    passed: true,
  },
  {
    name: 'the analyst measures with variables',
    role: 'icb_analyst',
    query: 'query Analyst($codes: [ID!]!, $from: Date!, $to: Date!) { healthMeasures(codes: $codes, from: $from, to: $to, interval: MONTH) { code name points { periodStart periodEnd value suppressed } } }',
    variables: { codes: HEALTH_CODES.slice(0, 3), from: '2025-01-01', to: AS_OF },
    passed: true,
  },
  { name: 'a variable left out, so the argument takes its default', role: 'board_member', query: 'query Bodies($first: Int) { governanceBodies(first: $first) { totalCount nodes { code } } }', variables: {}, passed: true },
  { name: 'an unused variable (refused by validation)', role: 'board_member', query: 'query Bodies($unused: String) { governanceBodies { nodes { code } } }', variables: { unused: 'x' }, passed: false },
  { name: 'nested lists and nulls', role: 'board_member', query: '{ governanceBodies { totalCount pageInfo { hasNextPage endCursor } nodes { code chair endDate meetings(first: 3) { nodes { heldDate title focusTopics } } } } }', passed: true },
  { name: '__typename on object types', role: 'board_member', query: '{ governanceBodies { __typename nodes { __typename code } } }', passed: true },
  { name: 'person-level records, audited', role: 'la_caseworker', query: `{ children(first: 5, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { nodes { id forename surname birthDate primaryNeed } } }`, passed: true },
  { name: 'one operation of several, by name', role: 'board_member', query: 'query A { governanceBodies { nodes { code } } } query B { papAreas { nodes { reference title } } }', operationName: 'B', passed: true },
  { name: 'aliases', role: 'board_member', query: '{ bodies: governanceBodies { nodes { short: code name } } }', passed: false },
  { name: 'fragments', role: 'board_member', query: '{ governanceBodies { nodes { ...Body ... on GovernanceBody { name } } } } fragment Body on GovernanceBody { code }', passed: false },
  { name: '@include with a variable', role: 'board_member', query: 'query($all: Boolean!) { governanceBodies { nodes { code name @include(if: $all) } } }', variables: { all: false }, passed: false },
  { name: 'introspection', role: 'board_member', query: '{ __typename __type(name: "GovernanceBody") { name } }', passed: false },
  { name: 'two subgraphs (the caseworker page in small)', role: 'la_caseworker', query: `{ children(first: 3, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { nodes { forename requests { assessment { healthAdvice { askedDate } } } } } }`, passed: false },
  { name: 'an error from the subgraph', role: 'icb_analyst', query: `{ healthMeasures(codes: ["NO_SUCH_CODE"], from: "2025-01-01", to: "${AS_OF}") { code } }`, passed: false },
  { name: 'a forbidden field', role: 'la_caseworker', query: '{ children(first: 5) { nodes { forename healthReferrals { pathway } } } }', passed: false },
  { name: 'variables the gateway refuses', role: 'board_member', query: 'query($first: Int!) { governanceBodies(first: $first) { nodes { code } } }', variables: { first: 'many' }, passed: false },
  { name: 'a field the schema does not have', role: 'board_member', query: '{ governanceBodies { nodes { code nickname } } }', passed: false },
];

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | null>;
}

async function post(url: string, headers: Record<string, string>, c: Pick<Case, 'query' | 'variables' | 'operationName'>, requestId: string): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
    body: JSON.stringify({ query: c.query, variables: c.variables, operationName: c.operationName }),
  });
  const seen = ['content-type', 'cache-control', 'x-request-id'];
  return { status: res.status, body: withoutStacktraces(await res.text()), headers: Object.fromEntries(seen.map((h) => [h, res.headers.get(h)])) };
}

/**
 * Outside production an error carries the stack that raised it, and the
 * passthrough's frame is in the stack of an error the normal path then raised:
 * the one difference allowed, so stacks are taken out before comparing.
 */
function withoutStacktraces(body: string): string {
  return body.replace(/,"stacktrace":\[(?:"(?:[^"\\]|\\.)*",?)*\]/g, '');
}

describe('the passthrough answers exactly what the normal path answers', () => {
  let stack: TestStack;
  let normal: RunningGateway;
  beforeAll(async () => {
    stack = await startTestStack({ seed: SEED });
    normal = await startGateway({
      supergraphPath: join(__dirname, '..', '..', 'schema', 'supergraph.graphql'),
      subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])),
      port: 0,
      host: '127.0.0.1',
      auth: stack.issuer.config,
      passthrough: false,
    });
  }, 240_000);
  afterAll(async () => {
    await normal?.stop();
    await stack?.stop();
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const headers = await stack.issuer.as(c.role);
    const before = stack.gateway.passthroughCounts();
    // Twice: the first request plans and decides, the second finds the decision.
    for (const round of [1, 2]) {
      const through = await post(stack.gateway.url, headers, c, `passthrough-${round}`);
      const plain = await post(normal.url, headers, c, `passthrough-${round}`);
      expect(through).toEqual(plain);
      expect(through.body.endsWith('\n')).toBe(true);
    }
    const after = stack.gateway.passthroughCounts();
    expect(after.answered - before.answered).toBe(c.passed ? 1 : 0);
    expect(normal.passthroughCounts()).toEqual({ answered: 0, handedBack: 0 });
  });

  it('the corpus holds answers with data, with errors, with a refusal and a refusal of the request', async () => {
    const kinds = new Set<string>();
    for (const c of CORPUS) {
      const answer = await post(stack.gateway.url, await stack.issuer.as(c.role), c, 'corpus-kinds');
      const body = JSON.parse(answer.body) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
      if (answer.status !== 200) kinds.add(`HTTP ${answer.status}`);
      for (const e of body.errors ?? []) kinds.add(e.extensions?.code ?? 'no code');
      if (body.data && !body.errors) kinds.add('data');
    }
    expect([...kinds]).toEqual(expect.arrayContaining(['data', 'BAD_USER_INPUT', 'FORBIDDEN', 'HTTP 400']));
  });

  it("files a person-level read passed through under the caller's request id, as the normal path does", async () => {
    const c = CORPUS.find((x) => x.name === 'person-level records, audited')!;
    const headers = await stack.issuer.as(c.role);
    // Planned and decided by an earlier request.
    await post(stack.gateway.url, headers, c, 'audited-first');
    const before = stack.gateway.passthroughCounts().answered;
    await post(stack.gateway.url, headers, c, 'audited-through');
    await post(normal.url, headers, c, 'audited-plain');
    expect(stack.gateway.passthroughCounts().answered - before).toBe(1);
    const db = new Client({ connectionString: stack.databases.logins.casework.ownerUrl });
    await db.connect();
    try {
      const rows = async (requestId: string) =>
        (await db.query<{ entity_type: string; n: number }>('SELECT entity_type, count(*)::int AS n FROM audit_event WHERE request_id = $1 AND action = $2 GROUP BY entity_type ORDER BY entity_type', [requestId, 'READ'])).rows;
      expect(await rows('audited-through')).toEqual(await rows('audited-plain'));
      expect((await rows('audited-through')).length).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  });

  it('hands an answer with errors to the normal path without calling the subgraph again', async () => {
    const c = CORPUS.find((x) => x.name === 'an error from the subgraph')!;
    // Eligible by its shape: the subgraph's answer is what sends it back.
    const eligible = { ...c, query: `{ healthMeasures(codes: ["NO_SUCH_CODE"], from: "2025-01-01", to: "${AS_OF}") { code } }` };
    const headers = await stack.issuer.as(c.role);
    await post(stack.gateway.url, headers, eligible, 'handed-back-1');
    const before = { counts: stack.gateway.passthroughCounts(), calls: stack.gateway.subgraphCalls().health.sent };
    const answer = await post(stack.gateway.url, headers, eligible, 'handed-back-2');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(stack.gateway.passthroughCounts().handedBack - before.counts.handedBack).toBe(1);
    expect(stack.gateway.subgraphCalls().health.sent - before.calls).toBe(1);
  });
});

describe('the passthrough over a failing subgraph answers as the normal path does', () => {
  let stack: TestStack;
  let failing: Server;
  const gateways: RunningGateway[] = [];
  beforeAll(async () => {
    stack = await startTestStack({ seed: SEED });
    // Governance ready to its probe, failing every request: the passthrough calls it, and must hand the failure back.
    failing = createServer((req, res) => {
      if (req.url?.startsWith('/health/ready')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      } else {
        req.resume();
        res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
      }
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', () => resolve()));
    const port = (failing.address() as { port: number }).port;
    for (const passthrough of [true, false]) {
      gateways.push(
        await startGateway({
          supergraphPath: join(__dirname, '..', '..', 'schema', 'supergraph.graphql'),
          subgraphUrls: { ...Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])), governance: `http://127.0.0.1:${port}/graphql` },
          port: 0,
          host: '127.0.0.1',
          auth: stack.issuer.config,
          passthrough,
        }),
      );
    }
  }, 240_000);
  afterAll(async () => {
    for (const g of gateways) await g.stop();
    await new Promise((resolve) => failing?.close(resolve));
    await stack?.stop();
  });

  it('a 503 from the subgraph: the same partial answer naming it, through either gateway', async () => {
    const [through, plain] = gateways;
    const headers = await stack.issuer.as('board_member');
    const c = { query: 'query Trivial { governanceBodies { nodes { code name } } }' };
    // The first request decides; later ones are sent through the passthrough, which meets the failure.
    const first = await post(through.url, headers, c, 'failing-1');
    const firstPlain = await post(plain.url, headers, c, 'failing-1');
    expect(first).toEqual(firstPlain);
    const before = { counts: through.passthroughCounts(), sent: through.subgraphCalls().governance.sent };
    const answer = await post(through.url, headers, c, 'failing-2');
    const answerPlain = await post(plain.url, headers, c, 'failing-2');
    expect(answer).toEqual(answerPlain);
    expect(JSON.parse(answer.body)).toMatchObject({ data: { governanceBodies: null }, errors: [{ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'governance' } }] });
    // One call, made by the passthrough, whose failure the normal path then answered.
    expect(through.passthroughCounts().handedBack - before.counts.handedBack).toBe(1);
    expect(through.subgraphCalls().governance.sent - before.sent).toBe(1);
  });
});
