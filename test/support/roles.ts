import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** The image's entrypoint, as the Dockerfile runs it (after tini). */
export const ROLE_SCRIPT = join(ROOT, 'dist', 'infra', 'role.js');

function assertBuilt(): void {
  if (!existsSync(ROLE_SCRIPT)) throw new Error('dist/ is missing: `npm test` builds before running jest.');
}

/** A clean environment: only what a container would be given, plus PATH for psql and the like. */
function containerEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...env };
}

export interface RoleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a one-shot role (migrate, an import, help) to the end. */
export function runRole(args: readonly string[], env: Record<string, string>, options: { timeoutMs?: number; onOutput?: (text: string) => void } = {}): Promise<RoleRun> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROLE_SCRIPT, ...args], { cwd: ROOT, env: containerEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
      options.onOutput?.(stdout + stderr);
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
      options.onOutput?.(stdout + stderr);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms:\n${stdout}${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningRole {
  process: ChildProcess;
  port: number;
  output(): string;
  /** SIGTERM, as docker stop and Kubernetes send; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a server role and resolves once it says where it listens. */
export async function startRole(role: string, env: Record<string, string>, timeoutMs = 30_000): Promise<RunningRole> {
  assertBuilt();
  const child = spawn(process.execPath, [ROLE_SCRIPT, role], { cwd: ROOT, env: containerEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  let port = 0;
  while (!port) {
    const m = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
    if (m) port = Number(m[1]);
    else if (child.exitCode !== null) throw new Error(`${role} exited (code ${child.exitCode}) before listening:\n${output}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${role} did not listen within ${timeoutMs} ms:\n${output}`);
    } else await new Promise((r) => setTimeout(r, 50));
  }
  return {
    process: child,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until the text appears in what a process printed. */
export async function waitForOutput(read: () => string, text: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const found = () => (typeof text === 'string' ? read().includes(text) : text.test(read()));
  while (!found()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(text)} in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
