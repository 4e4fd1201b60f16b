import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SUBGRAPHS } from '../../infra/subgraphs';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';
import { startRole, type RunningRole } from '../support/roles';

/**
 * The gateway and the three subgraphs run from dist/ as the image runs them, each
 * its own process, with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP
 * receiver in this test (spans kept in memory). The README's worked query makes
 * one trace: the gateway's request, parsing, planning and fetches, and under each
 * fetch the subgraph's own request and its SQL statements, casework and health
 * included; the access log line of each process carries its trace id.
 */

const ROOT = join(__dirname, '..', '..');

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
}
interface ExportedSpan extends OtlpSpan {
  service: string;
}

function workedQuery(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /## A worked query[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('the README has no worked query');
  return m[1];
}

function attribute(span: OtlpSpan, key: string): unknown {
  const a = span.attributes?.find((x) => x.key === key);
  return a ? Object.values(a.value)[0] : undefined;
}

describe('traces across the gateway and the subgraphs', () => {
  const spans: ExportedSpan[] = [];
  let receiver: Server;
  let issuer: TestIssuer;
  let databases: TestDatabases;
  const running: Record<string, RunningRole> = {};

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const data = JSON.parse(body.toString('utf8')) as { resourceSpans: Array<{ resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
        for (const rs of data.resourceSpans) {
          const service = String(Object.values(rs.resource.attributes?.find((a) => a.key === 'service.name')?.value ?? {})[0]);
          for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, service });
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    issuer = await createTestIssuer();
    databases = await createTestDatabases(SUBGRAPHS, { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: '2026-11-22', log: () => undefined });
    const common = {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      OIDC_ISSUER: issuer.config.issuer,
      OIDC_AUDIENCE: issuer.config.audience,
      OIDC_JWKS: JSON.stringify(issuer.config.jwks),
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    await Promise.all(
      SUBGRAPHS.map(async (s) => {
        running[s.name] = await startRole(s.name, { ...common, DATABASE_URL: databases.logins[s.name].appUrl, LINK_KEY_SECRET: TEST_LINK_KEY_SECRET });
      }),
    );
    running.gateway = await startRole('gateway', {
      ...common,
      ...Object.fromEntries(SUBGRAPHS.map((s) => [`${s.name.toUpperCase()}_URL`, `http://127.0.0.1:${running[s.name].port}/graphql`])),
    });
  }, 60_000);

  afterAll(async () => {
    for (const r of Object.values(running)) await r.stop();
    await new Promise((r) => receiver?.close(r));
    await databases?.drop();
  });

  it('makes one trace of the README\'s worked query: gateway, then casework and health under the gateway\'s fetches, with their SQL', async () => {
    const requestId = 'trace-test-1';
    const res = await fetch(`http://127.0.0.1:${running.gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(await issuer.as('designated_clinical_officer')) },
      body: JSON.stringify({ query: workedQuery() }),
    });
    const body = (await res.json()) as { data?: { children?: { nodes: Array<{ healthReferrals: unknown[] }> } }; errors?: unknown[] };
    expect({ status: res.status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
    expect(body.data?.children?.nodes).toHaveLength(1);

    // Spans leave each process in batches: wait for the gateway's request span, then for the trace to settle.
    const deadline = Date.now() + 15_000;
    let root: ExportedSpan | undefined;
    while (!(root = spans.find((s) => s.service === 'send-gateway' && attribute(s, 'send.request_id') === requestId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(root).toBeDefined();
    await new Promise((r) => setTimeout(r, 1_000));
    const trace = spans.filter((s) => s.traceId === root!.traceId);

    expect(root!.parentSpanId ?? '').toBe('');
    expect(root!.name).toBe('POST /graphql');
    expect(attribute(root!, 'graphql.operation.name')).toBe('PartnershipView');
    const services = new Set(trace.map((s) => s.service));
    for (const service of ['send-gateway', 'send-casework', 'send-health', 'send-governance']) expect({ service, inTrace: services.has(service) }).toEqual({ service, inTrace: true });

    const gatewayNames = new Set(trace.filter((s) => s.service === 'send-gateway').map((s) => s.name));
    for (const name of ['graphql.parse', 'graphql.validate', 'gateway.plan', 'gateway.fetch']) expect({ name, found: gatewayNames.has(name) }).toEqual({ name, found: true });

    // Each subgraph's request span is the child of one of the gateway's fetch spans: traceparent went with the call.
    const fetchIds = new Set(trace.filter((s) => s.name === 'gateway.fetch').map((s) => s.spanId));
    for (const service of ['send-casework', 'send-health']) {
      const served = trace.filter((s) => s.service === service && s.name === 'POST /graphql');
      expect(served.length).toBeGreaterThan(0);
      for (const s of served) expect({ service, parentIsAFetch: fetchIds.has(s.parentSpanId ?? '') }).toEqual({ service, parentIsAFetch: true });
      // And its SQL statements are spans of the same trace, under the request.
      const sql = trace.filter((s) => s.service === service && (attribute(s, 'db.system') ?? attribute(s, 'db.system.name')) === 'postgresql');
      expect({ service, sqlSpans: sql.length > 0 }).toEqual({ service, sqlSpans: true });
    }

    // The access-log line of every process names the same trace, and the request id the gateway passed on.
    for (const name of ['gateway', 'casework', 'health', 'governance']) {
      const lines = running[name].output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const access = lines.filter((l) => l.msg === 'request' && l.path === '/graphql' && l.traceId === root!.traceId);
      expect({ name, lines: access.length > 0, requestIds: [...new Set(access.map((l) => l.requestId))] }).toEqual({ name, lines: true, requestIds: [requestId] });
    }
  });

  it('keeps tokens and query variables out of the spans and the logs', async () => {
    const token = (await issuer.as('designated_clinical_officer')).authorization;
    const marker = 'PAP-1.1';
    const res = await fetch(`http://127.0.0.1:${running.gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({ query: 'query ActionByReference($reference: String!) { priorityAction(reference: $reference) { title } }', variables: { reference: marker } }),
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    const exported = JSON.stringify(spans);
    const logs = Object.values(running).map((r) => r.output()).join('\n');
    for (const [where, text] of [['spans', exported], ['logs', logs]] as const) {
      expect({ where, token: text.includes(token.slice(7)), variable: text.includes(marker), bearer: /bearer/i.test(text) }).toEqual({ where, token: false, variable: false, bearer: false });
    }
    expect(logs).toContain('"operation":"ActionByReference"');
  });
});
