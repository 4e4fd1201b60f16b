import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../platform/node-flags';
import { postGraphQL } from '../support/stack';
import { ROOT, START, stackProcesses, startCommandEnv, tokenFor } from '../support/start-command';

interface Started {
  child: ChildProcess;
  output: () => string;
  gatewayUrl: string;
}

/** Each test starts the stack twice, each start allowed 90 s: jest's default minute is too short on a busy machine. */
const START_TEST_TIMEOUT_MS = 240_000;

async function startStack(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Started> {
  const child = spawn(process.execPath, [START], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = /ready: gateway at (\S+)/.exec(output);
    if (m) return { child, output: () => output, gatewayUrl: m[1] };
    if (child.exitCode !== null) throw new Error(`start command exited (${child.exitCode}):\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`start command not ready within ${timeoutMs} ms:\n${output}`);
}

async function stopStack(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  return exited;
}

describe('the start command', () => {
  const dataDir = join(ROOT, '.test-data', `e2e-${process.pid}-${Date.now()}`);
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!existsSync(START)) throw new Error('dist/ is missing: `npm test` builds before running jest.');
    env = await startCommandEnv(dataDir, '0.04');
  });
  afterAll(() => {
    for (const pid of stackProcesses(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts everything on embedded PostgreSQL, serves a cross-subgraph query, stops cleanly on SIGINT and reuses its data', async () => {
    const first = await startStack(env, 90_000);
    expect(first.output()).toContain('loading synthetic data');
    const ready = await fetch(new URL('/health/ready', first.gatewayUrl));
    expect(ready.status).toBe(200);
    for (const port of [env.CASEWORK_PORT, env.HEALTH_PORT, env.GOVERNANCE_PORT]) {
      expect((await fetch(`http://localhost:${port}/health/live`)).status).toBe(200);
    }
    // Each server process runs with the V8 flags the image's entrypoint gives (platform/node-flags.ts).
    const servers = stackProcesses(dataDir)
      .map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'))
      .filter((args) => args.some((a) => /(gateway|subgraphs\/\w+)\/main\.js$/.test(a)));
    expect(servers).toHaveLength(4);
    for (const args of servers) expect(args).toEqual(expect.arrayContaining([...SERVER_NODE_FLAGS]));
    const query = `{ kpis { nodes { measureCode reading(asOf: "2026-11-22") { value } } } children(first: 100) { nodes { id healthReferrals { id } } } }`;
    const token = tokenFor(env, 'designated_clinical_officer');
    const auth = { authorization: `Bearer ${token}` };
    const res = await postGraphQL<{ kpis: { nodes: Array<{ measureCode: string; reading: { value: number } }> }; children: { nodes: Array<{ id: string; healthReferrals: unknown[] }> } }>(first.gatewayUrl, query, undefined, auth);
    expect(res.errors).toBeUndefined();
    expect(res.data!.kpis.nodes.find((k) => k.measureCode === 'PLANS_ACTIVE')!.reading.value).toBeGreaterThan(0);
    expect(res.data!.children.nodes.some((c) => c.healthReferrals.length > 0)).toBe(true);
    const childIds = res.data!.children.nodes.map((c) => c.id).sort();

    expect(await stopStack(first)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(stackProcesses(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const second = await startStack(env, 90_000);
    expect(second.output()).not.toContain('loading synthetic data');
    const again = await postGraphQL<{ children: { nodes: Array<{ id: string }> } }>(second.gatewayUrl, '{ children(first: 100) { nodes { id } } }', undefined, auth);
    expect(again.data!.children.nodes.map((c) => c.id).sort()).toEqual(childIds);
    expect(await stopStack(second)).toBe(0);
  }, START_TEST_TIMEOUT_MS);

  it('recovers after the start command is killed with SIGKILL, and names a port in use', async () => {
    const first = await startStack(env, 90_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    // The subgraphs and gateway notice their parent is gone; PostgreSQL is left behind.
    const second = await startStack(env, 90_000);
    expect(second.output()).toMatch(/left running by an earlier run|stale PostgreSQL pid file/);
    expect((await fetch(new URL('/health/ready', second.gatewayUrl))).status).toBe(200);

    // A second copy cannot take the same ports, and says which.
    const clash = spawn(process.execPath, [START], { cwd: ROOT, env: { ...env, DATA_DIR: `${dataDir}-clash` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let clashOutput = '';
    clash.stdout!.on('data', (d) => (clashOutput += d));
    clash.stderr!.on('data', (d) => (clashOutput += d));
    const code = await new Promise<number | null>((resolve) => clash.once('exit', resolve));
    rmSync(`${dataDir}-clash`, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(clashOutput).toMatch(new RegExp(`Port ${env.PORT} \\(gateway\\) is already in use.*set PORT`));

    expect(await stopStack(second)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(stackProcesses(dataDir)).toEqual([]);
  }, START_TEST_TIMEOUT_MS);
});
