import { createLogger, logLevelFromEnv, prettyFromEnv, serializeError, setProcessLogger } from '../../platform/logger';
import { operationLabel } from '../../platform/metrics';
import { scrubSql } from '../../platform/tracing';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * The access log, error lines and /metrics of the stack's servers, in this
 * process (the trace across processes is test/e2e/tracing.test.ts).
 */

const lines: Array<Record<string, unknown>> = [];
const raw: string[] = [];

describe('logs and metrics of the stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    setProcessLogger(
      createLogger('test', {
        env: { LOG_LEVEL: 'info' },
        destination: {
          write(text: string) {
            raw.push(text);
            lines.push(JSON.parse(text) as Record<string, unknown>);
          },
        },
      }),
    );
    stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: '2026-11-22', log: () => undefined } });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const children = 'query ChildrenInDistrict($district: String) { children(first: 2, filter: { district: $district }) { totalCount nodes { id district } } }';

  async function post(headers: Record<string, string>, body: unknown) {
    return fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  }

  it('writes one access-log line per request at each server, with its ids and never its token or variables', async () => {
    const auth = await stack.issuer.as('la_caseworker', { user: 'caseworker-7' });
    const res = await post({ ...auth, 'x-request-id': 'obs-1' }, { query: children, variables: { district: 'Mansfield' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('obs-1');
    const access = lines.filter((l) => l.msg === 'request' && l.requestId === 'obs-1');
    // The gateway's line, and one for each call it made to casework (the same request id, passed on).
    const atGateway = access.filter((l) => l.operation === 'ChildrenInDistrict');
    expect(atGateway).toHaveLength(1);
    expect(atGateway[0]).toEqual(expect.objectContaining({ level: 'info', method: 'POST', path: '/graphql', status: 200, user: 'caseworker-7' }));
    expect(typeof atGateway[0].durationMs).toBe('number');
    expect(access.filter((l) => String(l.operation).startsWith('ChildrenInDistrict__casework__'))).toHaveLength(1);
    const text = raw.join('');
    expect({ token: text.includes(auth.authorization.slice(7)), variable: text.includes('Mansfield'), header: /authorization|bearer/i.test(text) }).toEqual({ token: false, variable: false, header: false });
  });

  it('logs a refused request with its status and no user', async () => {
    const before = lines.length;
    const res = await post({ 'x-request-id': 'obs-2' }, { query: '{ __typename }' });
    expect(res.status).toBe(401);
    const access = lines.slice(before).filter((l) => l.msg === 'request' && l.status === 401);
    expect(access).toHaveLength(1);
    expect(access[0].user).toBeUndefined();
  });

  it('serves /metrics to this machine: requests by operation and outcome, subgraph calls and health, pools, audit appends', async () => {
    await post(await stack.issuer.as('la_caseworker'), { query: children, variables: { district: 'Newark' } });
    await post({ 'x-request-id': 'obs-3' }, { query: '{ __typename }' });
    const res = await fetch(stack.gateway.url.replace('/graphql', '/metrics'));
    expect(res.status).toBe(200);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('send_graphql_requests_total{service="gateway",operation="ChildrenInDistrict",outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(value('send_graphql_requests_total{service="gateway",operation="(anonymous)",outcome="rejected"}')).toBeGreaterThanOrEqual(2);
    expect(value('send_graphql_request_duration_seconds_count{service="casework",operation="ChildrenInDistrict__casework__0",outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(value('send_subgraph_fetch_duration_seconds_count{subgraph="casework",outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(value('send_subgraph_up{subgraph="casework",organisation="council"}')).toBe(1);
    expect(value('send_db_pool_connections{service="casework",state="max"}')).toBe(10);
    expect(value('send_db_pool_connections{service="health",state="used"}')).toBe(0);
    const audit = text.split('\n').find((l) => /^send_audit_events_total\{database="t[0-9a-f]+_casework",action="READ"\} \d+$/.test(l));
    expect(Number(audit?.split(' ')[1])).toBeGreaterThan(0);
  });

  it('refuses /metrics through a proxy and to callers without METRICS_TOKEN when one is set', async () => {
    const url = stack.gateway.url.replace('/graphql', '/metrics');
    expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
    process.env.METRICS_TOKEN = 'scrape-secret';
    try {
      expect((await fetch(url)).status).toBe(403);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-secret!' } })).status).toBe(403);
      expect((await fetch(url, { headers: { authorization: 'Bearer scrape-secret' } })).status).toBe(200);
    } finally {
      delete process.env.METRICS_TOKEN;
    }
  });
});

describe('what the logger and metrics write', () => {
  it('writes a database error by its class and SQLSTATE, never its message or detail', () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint "child_nhs_number_key"'), { code: '23505', severity: 'ERROR', detail: 'Key (nhs_number)=(9434765919) already exists.', constraint: 'child_nhs_number_key' });
    const out = JSON.stringify(serializeError(err));
    expect(out).not.toContain('9434765919');
    expect(out).not.toContain('duplicate key');
    expect(serializeError(err)).toEqual(expect.objectContaining({ code: '23505', constraint: 'child_nhs_number_key' }));
  });

  it('writes any other error with its message and its stack on one line', () => {
    const s = serializeError(new TypeError('cannot read x'));
    expect(s).toEqual(expect.objectContaining({ type: 'TypeError', message: 'cannot read x' }));
    expect(String(s.stack)).not.toContain('\n');
    expect(String(s.stack)).toContain('observability.test');
  });

  it('checks LOG_LEVEL and LOG_FORMAT, and is pretty only for a person at a terminal outside production', () => {
    expect(logLevelFromEnv({ LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(() => logLevelFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => prettyFromEnv({ LOG_FORMAT: 'xml' }, true)).toThrow(/LOG_FORMAT/);
    expect([prettyFromEnv({}, true), prettyFromEnv({}, false), prettyFromEnv({ NODE_ENV: 'production' }, true), prettyFromEnv({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' }, false), prettyFromEnv({ LOG_FORMAT: 'json' }, true)]).toEqual([true, false, false, true, false]);
  });

  it('keeps operation-name labels to names, and to a bounded number of them', () => {
    expect(operationLabel(undefined)).toBe('(anonymous)');
    expect(operationLabel('x y')).toBe('other');
    const labels = Array.from({ length: 400 }, (_, i) => operationLabel(`Invented${i}`));
    expect(labels.filter((l) => l === 'other').length).toBeGreaterThanOrEqual(200);
  });

  it('takes every literal out of a traced SQL statement', () => {
    expect(scrubSql(`select "c0".* from "child" as "c0" where "c0"."nhs_number" = '9434765919' and "c0"."surname" = 'O''Brien' and x in (1, 2.5) and y = $1 limit 10`)).toBe(
      'select "c0".* from "child" as "c0" where "c0"."nhs_number" = ? and "c0"."surname" = ? and x in (?, ?) and y = $1 limit ?',
    );
  });
});
