import { ApolloServer } from '@apollo/server';
import { fork, type ChildProcess } from 'node:child_process';
import { request as httpRequest, Agent } from 'node:http';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { createGraphQLHttpServer, drain, listen } from '../../platform/http';
import { startTestStack, type TestStack } from '../support/stack';
import { loadThrough } from './support';

/**
 * Stopping drains: readiness turns 503, no new connection is taken, requests in
 * flight finish, idle connections close; then Apollo and the pools. SIGTERM under
 * load drops nothing, for the gateway and for a subgraph, each a real process.
 */

/** A plain GET over a given agent (so over a connection kept open), with the response's status, body and connection header. */
function get(port: number, path: string, agent: Agent): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('draining an HTTP server of the stack', () => {
  const slowSchema = buildSchema('type Query { slow(ms: Int!): Int! }');
  let started = 0;
  const rootValue = {
    slow: ({ ms }: { ms: number }) => {
      started++;
      return new Promise((r) => setTimeout(() => r(ms), ms));
    },
  };
  const waitFor = async (n: number) => {
    while (started < n) await new Promise((r) => setTimeout(r, 10));
  };

  async function slowServer() {
    const apollo = new ApolloServer({ schema: slowSchema, rootValue, csrfPrevention: false });
    await apollo.start();
    const server = createGraphQLHttpServer({ apollo, ready: async () => true, context: async () => ({}) });
    const port = await listen(server, 0, '127.0.0.1');
    const slow = (ms: number) => fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ slow(ms: ${ms}) }` }) });
    return { apollo, server, port, slow };
  }

  it('in-flight requests finish, readiness turns 503 on an open connection, new connections are refused', async () => {
    const { apollo, server, port, slow } = await slowServer();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, '/health/ready', agent)).status).toBe(200);
    started = 0;
    const inFlight = [slow(600), slow(600), slow(600)];
    await waitFor(3);
    const closing = drain(server, { drainTimeoutMs: 5_000 });
    // A probe on a connection already open is answered: not ready.
    const ready = await get(port, '/health/ready', agent);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'draining' });
    while (server.listening) await new Promise((r) => setTimeout(r, 5));
    const fresh = await fetch(`http://127.0.0.1:${port}/health/live`).then(() => 'answered', (err: Error & { cause?: { code?: string } }) => err.cause?.code);
    expect(fresh).toBe('ECONNREFUSED');
    const answers = await Promise.all(inFlight.map(async (p) => { const r = await p; return { status: r.status, connection: r.headers.get('connection'), body: await r.json() }; }));
    for (const a of answers) expect(a).toEqual({ status: 200, connection: 'close', body: { data: { slow: 600 } } });
    expect(await closing).toMatchObject({ cutOff: 0 });
    agent.destroy();
    await apollo.stop();
  });

  it('a request still running at the drain timeout is cut off, and the drain says so', async () => {
    const { apollo, server, slow } = await slowServer();
    started = 0;
    const long = slow(3_000).then(() => 'answered', () => 'cut off');
    await waitFor(1);
    const report = await drain(server, { drainTimeoutMs: 300 });
    expect(report.cutOff).toBe(1);
    expect(report.ms).toBeLessThan(2_000);
    expect(await long).toBe('cut off');
    await apollo.stop();
  });
});

const ROOT = join(__dirname, '..', '..');

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Forks a process of the stack as `npm start` does, and waits for it to say it is ready. */
async function forkReady(script: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const child = fork(join(ROOT, 'dist', script), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type?: string; port?: number }) => m?.type === 'ready' && resolve(m.port!));
    void exited.then((code) => reject(new Error(`${script} exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, port, output: () => output, exited };
}

describe('SIGTERM under load, as a real process', () => {
  let stack: TestStack;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    stack = await startTestStack();
    env = {
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_ENV: 'development',
      OIDC_ISSUER: stack.issuer.config.issuer,
      OIDC_AUDIENCE: stack.issuer.config.audience,
      OIDC_JWKS: JSON.stringify(stack.issuer.config.jwks),
      // Long enough for every request taken to finish on a busy machine: what is measured is that none is dropped.
      DRAIN_TIMEOUT_MS: '20000',
    };
  }, 120_000);
  afterAll(async () => stack?.stop());

  it('the gateway answers every request it had taken, then exits 0', async () => {
    const gateway = await forkReady('gateway/main.js', {
      ...env,
      ...Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [`${name.toUpperCase()}_URL`, s.url])),
    });
    const headers = { 'content-type': 'application/json', ...(await stack.issuer.as('executive')) };
    const body = JSON.stringify({ query: '{ priorityActions { nodes { reference title } } kpis { nodes { name measureCode } } teams { nodes { name } } }' });
    const outcome = await loadThrough(`http://127.0.0.1:${gateway.port}/graphql`, { headers, body }, async () => void gateway.child.kill('SIGTERM'), { concurrency: 16, warmupMs: 1_500 });
    expect({ exit: await gateway.exited, output: gateway.output() }).toEqual({ exit: 0, output: expect.stringMatching(/SIGTERM; draining[\s\S]*stopped in \d+ ms/) });
    expect(outcome.inFlightAtStop).toBeGreaterThan(0);
    expect(outcome.answered).toBeGreaterThan(0);
    expect({ dropped: outcome.dropped, reasons: outcome.dropReasons, log: outcome.dropped ? gateway.output() : '' }).toEqual({ dropped: 0, reasons: [], log: '' });
    expect(gateway.output()).not.toMatch(/cut off/);
  });

  it('a subgraph answers every request it had taken, closes its database pool after, then exits 0', async () => {
    const governance = await forkReady('subgraphs/governance/main.js', { ...env, DATABASE_URL: stack.databases.logins.governance.appUrl });
    const headers = { 'content-type': 'application/json', ...(await stack.issuer.as('executive')) };
    const body = JSON.stringify({ query: '{ priorityActions { nodes { reference title } } meetings { nodes { heldDate title } } }' });
    const outcome = await loadThrough(`http://127.0.0.1:${governance.port}/graphql`, { headers, body }, async () => void governance.child.kill('SIGTERM'), { concurrency: 16, warmupMs: 1_500 });
    expect({ exit: await governance.exited, output: governance.output() }).toEqual({ exit: 0, output: expect.stringMatching(/SIGTERM; draining[\s\S]*stopped in \d+ ms/) });
    expect(outcome.inFlightAtStop).toBeGreaterThan(0);
    expect(outcome.answered).toBeGreaterThan(0);
    expect({ dropped: outcome.dropped, reasons: outcome.dropReasons, log: outcome.dropped ? governance.output() : '' }).toEqual({ dropped: 0, reasons: [], log: '' });
    // The pools closed after the last query, not under one ("Consider draining the HTTP server").
    expect(governance.output()).not.toMatch(/Consider draining|Connection terminated|pool.*(ended|closed)/i);
    expect(governance.output()).not.toMatch(/cut off/);
  });
});
