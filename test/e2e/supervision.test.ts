import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff, SupervisedProcess } from '../../infra/supervisor';
import { postGraphQL } from '../support/stack';
import { ROOT, START, stackProcesses, startCommandEnv, tokenFor } from '../support/start-command';


describe('restart backoff', () => {
  it('doubles from 0.5 s with each exit in the last minute, up to 30 s, and starts again after a quiet minute', () => {
    const b = new Backoff();
    const t0 = 1_000_000;
    const delays = Array.from({ length: 9 }, (_, i) => b.next(t0 + i * 1000).delayMs);
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(b.next(t0 + 9 * 1000 + 61_000)).toEqual({ delayMs: 500, recent: 1 });
  });

  it('keeps restarting a process that crash-loops, ever more slowly, logging each exit, until stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-loop-'));
    const script = join(dir, 'crash.js');
    // Ready, then dies at once: the shape of a process that cannot keep running.
    writeFileSync(script, "process.send({ type: 'ready' }); setTimeout(() => process.exit(3), 20);\n");
    const lines: string[] = [];
    const supervised = new SupervisedProcess({ name: 'crasher', script, env: { PATH: process.env.PATH } }, (l) => lines.push(l));
    try {
      await supervised.start();
      await until('three restarts', 10_000, () => lines.filter((l) => /is serving again/.test(l)).length >= 3);
      const exits = lines.filter((l) => /^crasher exited \(code 3\)/.test(l));
      expect(exits.slice(0, 3).map((l) => /restart (\d+) in ([\d.]+) s/.exec(l)!.slice(1))).toEqual([['1', '0.5'], ['2', '1.0'], ['3', '2.0']]);
      expect(exits[2]).toMatch(/3 exits in the last minute, backing off/);
    } finally {
      await supervised.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const pid = supervised.pid;
    const logged = lines.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(pid).toBeNull();
    expect(lines.length).toBe(logged); // stopped for good: no restart after stop()
  });
});

/** The pid of the start command's child running this script, or null. */
function childPid(parent: number, script: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))![1]);
      if (ppid === parent && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(script)) return Number(entry);
    } catch {
      /* gone already */
    }
  }
  return null;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined> | T | null | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start keeps the stack serving when a part of it dies', () => {
  const dataDir = join(ROOT, '.test-data', `supervision-${process.pid}-${Date.now()}`);
  let env: NodeJS.ProcessEnv;
  let stack: ChildProcess;
  let output = '';
  let gatewayUrl: string;
  let auth: (role: string) => Record<string, string>;

  const governanceOnly = '{ priorityActions { nodes { reference title } } }';
  const acrossAll = '{ children(first: 5) { nodes { id healthReferrals { id } } } kpis { nodes { measureCode } } }';

  beforeAll(async () => {
    if (!existsSync(START)) throw new Error('dist/ is missing: `npm test` builds before running jest.');
    env = await startCommandEnv(dataDir, '0.02');
    stack = spawn(process.execPath, [START], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    stack.stdout!.on('data', (d) => (output += d));
    stack.stderr!.on('data', (d) => (output += d));
    gatewayUrl = await until('the stack is ready', 90_000, () => {
      if (stack.exitCode !== null) throw new Error(`start command exited (${stack.exitCode}):\n${output}`);
      return /ready: gateway at (\S+)/.exec(output)?.[1];
    });
    const tokens: Record<string, string> = {};
    for (const role of ['board_member', 'designated_clinical_officer']) {
      tokens[role] = tokenFor(env, role);
    }
    auth = (role) => ({ authorization: `Bearer ${tokens[role]}` });
  });

  afterAll(async () => {
    if (stack && stack.exitCode === null) {
      const exited = new Promise<number | null>((resolve) => stack.once('exit', (code) => resolve(code)));
      stack.kill('SIGINT');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
      // Ctrl-C still stops everything, in order, PostgreSQL last, leaving nothing behind.
      await new Promise((r) => setTimeout(r, 500));
      const left = stackProcesses(dataDir);
      for (const pid of left) process.kill(pid, 'SIGKILL');
      expect(code).toBe(0);
      expect(left).toEqual([]);
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
      const order = ['[start] stopping...', '[start] web app, gateway and subgraphs stopped.', '[start] PostgreSQL stopped.', '[start] stopped.'].map((l) => output.indexOf(l));
      expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]))).toBe(true);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts a subgraph killed with SIGKILL, and answers governance-only queries meanwhile', async () => {
    const health = childPid(stack.pid!, 'subgraphs/health/main.js')!;
    expect(health).not.toBeNull();
    process.kill(health, 'SIGKILL');
    await until('health is gone', 5000, () => !alive(health));

    const meanwhile = await postGraphQL<{ priorityActions: { nodes: unknown[] } }>(gatewayUrl, governanceOnly, undefined, auth('board_member'));
    const stillDown = !output.includes('health is serving again');
    expect(meanwhile.status).toBe(200);
    expect(meanwhile.errors).toBeUndefined();
    expect(meanwhile.data!.priorityActions.nodes.length).toBeGreaterThan(0);
    expect(stillDown).toBe(true);

    await until('health is back', 30_000, () => output.includes('health is serving again (restart 1'));
    expect(output).toMatch(/health exited \(signal SIGKILL\) after [\d.]+ s; restart 1 in 0\.5 s/);
    const again = childPid(stack.pid!, 'subgraphs/health/main.js');
    expect(again).not.toBe(health);
    // The gateway skips a subgraph it found down until its own check (every second while down) finds it back.
    const gatewayBase = new URL(gatewayUrl).origin;
    await until('the gateway sees health again', 10_000, async () => {
      const report = (await (await fetch(`${gatewayBase}/health/subgraphs`)).json()) as { subgraphs: Array<{ name: string; state: string }> };
      return report.subgraphs.find((s) => s.name === 'health')?.state === 'up';
    });
    const res = await postGraphQL<{ children: { nodes: Array<{ healthReferrals: unknown[] }> } }>(gatewayUrl, acrossAll, undefined, auth('designated_clinical_officer'));
    expect(res.errors).toBeUndefined();
    expect(res.data!.children.nodes.length).toBe(5);
  });

  it('restarts the gateway killed with SIGKILL', async () => {
    const gateway = childPid(stack.pid!, 'gateway/main.js')!;
    process.kill(gateway, 'SIGKILL');
    await until('the gateway is back', 30_000, () => output.includes('gateway is serving again (restart 1'));
    const res = await postGraphQL(gatewayUrl, governanceOnly, undefined, auth('board_member'));
    expect(res.errors).toBeUndefined();
  });

  it('restarts PostgreSQL when its postmaster is killed, and the subgraphs reconnect without restarting', async () => {
    const subgraphsBefore = ['casework', 'health', 'governance'].map((s) => childPid(stack.pid!, `subgraphs/${s}/main.js`));
    const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const killedAt = Date.now();
    process.kill(postmaster, 'SIGKILL');
    await until('the start command notices', 5000, () => output.includes('PostgreSQL exited (signal SIGKILL)'));

    // Serving again: a query that needs every subgraph's database.
    await until('the stack serves again', 30_000, async () => {
      const res = await postGraphQL(gatewayUrl, acrossAll, undefined, auth('designated_clinical_officer')).catch(() => null);
      return res && res.status === 200 && !res.errors;
    });
    const seconds = (Date.now() - killedAt) / 1000;
    expect(output).toMatch(/PostgreSQL is accepting connections again \(restart \d+, pid \d+\)/);
    const newPostmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(newPostmaster).not.toBe(postmaster);
    expect(['casework', 'health', 'governance'].map((s) => childPid(stack.pid!, `subgraphs/${s}/main.js`))).toEqual(subgraphsBefore);
    console.log(`serving again ${seconds.toFixed(1)} s after the postmaster was killed`);
  });
});
