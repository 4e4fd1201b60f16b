import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../subgraphs/toolkit/ports';

export { freePort };

/**
 * The whole stack started the way `npm start` starts it, from the built dist/, in
 * a data directory and on ports of its own: what the drills and digests measure.
 * Nothing of the stack is imported (only the toolkit's port picker, re-exported here
 * for the drills): it is run, as an operator would.
 */

const ROOT = join(__dirname, '..', '..', '..');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GraphQLAnswer {
  status: number; // 0: no HTTP answer
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message?: string; path?: unknown[]; extensions?: Record<string, unknown> }> } | null;
  ms: number;
  hung: boolean;
}

export interface StackProcess {
  dataDir: string;
  url: string;
  process: ChildProcess;
  /** Every line the start command and its children printed. */
  log: string[];
  /** Posts an operation as a role (a development-issuer token per role, made once). */
  post(role: string, query: string, variables?: unknown, timeoutMs?: number): Promise<GraphQLAnswer>;
  /** The process ids of the start command, each subgraph, the gateway and PostgreSQL, as they are now. */
  pids(): Record<string, number>;
  /** Ctrl-C, and waits for the start command to exit; then removes the data directory unless it was given. */
  stop(): Promise<void>;
}

/** Ports of a stack's processes, when they must be fixed (a shared machine's range). */
export interface StackPorts {
  gateway: number;
  casework: number;
  health: number;
  governance: number;
  postgres: number;
}

/**
 * Starts the stack. With `dataDir` the data directory is that one and is kept
 * on stop, so a second run reuses its seeded databases (the start command seeds
 * only empty ones); without, a fresh one is made and removed.
 */
export async function startStackProcess(options: { scale: string; today?: string; env?: Record<string, string>; dataDir?: string; ports?: StackPorts; startTimeoutMs?: number; nodeFlags?: readonly string[] }): Promise<StackProcess> {
  const keep = !!options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'send-stack-'));
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as its own user and must reach its folder
  const ports = options.ports ?? { gateway: await freePort(), casework: await freePort(), health: await freePort(), governance: await freePort(), postgres: await freePort() };
  const gatewayPort = ports.gateway;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(gatewayPort),
    CASEWORK_PORT: String(ports.casework),
    HEALTH_PORT: String(ports.health),
    GOVERNANCE_PORT: String(ports.governance),
    EMBEDDED_PG_PORT: String(ports.postgres),
    SEED_SCALE: options.scale,
    ...(options.today ? { SEED_TODAY: options.today } : {}),
    NODE_ENV: 'development',
    ...options.env,
  };
  delete env.DATABASE_URL;
  // Node flags given here reach every server process: the supervisor keeps the start command's own (platform/node-flags.ts).
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), join(ROOT, 'dist', 'infra', 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log.push(line);
  };
  child.stdout!.on('data', onLine);
  child.stderr!.on('data', onLine);
  for (let i = 0; !log.some((l) => l.includes('ready: gateway')); i++) {
    if (child.exitCode !== null || i * 250 > (options.startTimeoutMs ?? 600_000)) {
      child.kill('SIGKILL');
      throw new Error(`the stack did not start:\n${log.slice(-20).join('\n')}`);
    }
    await sleep(250);
  }
  const url = `http://127.0.0.1:${gatewayPort}/graphql`;
  const tokens = new Map<string, string>();
  const token = (role: string): string => {
    if (!tokens.has(role)) {
      const out = spawnSync(process.execPath, [join(ROOT, 'dist', 'infra', 'token.js'), '--role', role], { env, encoding: 'utf8' }).stdout;
      tokens.set(role, out.trim().split('\n').pop()!);
    }
    return tokens.get(role)!;
  };
  return {
    dataDir,
    url,
    process: child,
    log,
    async post(role, query, variables, timeoutMs = 30_000) {
      const t0 = performance.now();
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token(role)}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await res.json().catch(() => null)) as GraphQLAnswer['body'];
        return { status: res.status, body, ms: performance.now() - t0, hung: false };
      } catch (err) {
        return { status: 0, body: null, ms: performance.now() - t0, hung: (err as Error).name === 'TimeoutError' };
      }
    },
    pids() {
      const out: Record<string, number> = { start: child.pid! };
      const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.pid)], { encoding: 'utf8' }).stdout;
      for (const line of ps.split('\n')) {
        const m = /^\s*(\d+)\s+(.*)$/.exec(line);
        if (!m) continue;
        for (const name of ['casework', 'health', 'governance']) if (m[2].includes(`subgraphs/${name}/main.js`)) out[name] = Number(m[1]);
        if (m[2].includes('gateway/main.js')) out.gateway = Number(m[1]);
      }
      try {
        out.postgres = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        // not running at this moment
      }
      return out;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
