import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';

/** The repository root and the built start command (`npm start` runs it). */
export const ROOT = join(__dirname, '..', '..');
export const START = join(ROOT, 'dist', 'infra', 'start.js');

/**
 * The environment of a start command run as a fresh clone runs it: embedded
 * PostgreSQL in its own data dir, every port free, a small seed as at a fixed day.
 */
export async function startCommandEnv(dataDir: string, seedScale: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    CASEWORK_PORT: String(await freePort()),
    HEALTH_PORT: String(await freePort()),
    GOVERNANCE_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    DEV_ISSUER_PORT: String(await freePort()),
    SEED_SCALE: seedScale,
    SEED_TODAY: '2026-11-22',
  };
  delete env.DATABASE_URL;
  return env;
}

/** Processes (by /proc) that belong to this stack: its environment or command line names the data dir. */
export function stackProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      let environ = '';
      try {
        environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      } catch {
        /* another user's process */
      }
      if (cmdline.includes(marker) || environ.includes(marker)) pids.push(Number(entry));
    } catch {
      /* gone already */
    }
  }
  return pids.filter((p) => p !== process.pid);
}

/** A token from the stack's development issuer, through `npm run token` (the script behind it). */
export function tokenFor(env: NodeJS.ProcessEnv, role: string): string {
  const out = execFileSync(process.execPath, [join(ROOT, 'dist', 'infra', 'token.js'), '--role', role], { cwd: ROOT, env, encoding: 'utf8' });
  return out.trim().split('\n').pop()!;
}
