/**
 * Subgraph faults under load, as a script that prints figures. The three
 * subgraphs and the gateway run as their own processes, forked from dist/ as the
 * start command forks them, over a scratch PostgreSQL seeded with synthetic data;
 * this process sends a steady rate of requests across four workloads while:
 *
 *   steady            nothing wrong
 *   health paused     SIGSTOP to the health process
 *   health resumed    SIGCONT
 *   health killed     SIGKILL (nothing restarts it here)
 *   gateway SIGTERM   the gateway is told to stop while requests are in flight
 *
 * Per phase and workload: requests, complete answers, partial answers (and which
 * subgraph they named), 5xx, requests with no answer, p50/p95/max latency; the
 * most connections the gateway held open to health; and at the SIGTERM, how many
 * requests were in flight and how many of them were dropped.
 *
 *   npm run build && node dist/bench/drills/subgraph-faults.js [--seconds 20] [--rate 20] [--scale 0.2]
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { casework } from '../../subgraphs/casework';
import { governance } from '../../subgraphs/governance';
import { health } from '../../subgraphs/health';
import { USUAL_ORG, type RoleName } from '../../platform/roles';
import { scratchDatabases } from '../../subgraphs/toolkit/database/scratch';
import { today } from '../../subgraphs/toolkit/dates';
import { runScript } from '../script';

const ROOT = join(__dirname, '..', '..', '..');
const CLIENT_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function forkReady(name: string, script: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number; exited: Promise<number | null> }> {
  const child = fork(join(ROOT, 'dist', script), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type?: string; port?: number }) => m?.type === 'ready' && resolve(m.port!));
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
  });
  return { child, port, exited };
}

/** Connections established from this machine to a port (the gateway's to a subgraph), from /proc. */
function connectionsTo(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols.length > 3 && cols[2].endsWith(`:${hex}`) && cols[3] === '01') n++;
      }
    } catch {
      // no IPv6
    }
  }
  return n;
}

interface Sample {
  phase: string;
  workload: string;
  status: number; // 0: no HTTP answer
  ms: number;
  missing: string[];
  reason?: string;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      rate: { type: 'string', default: '20' },
      scale: { type: 'string', default: '0.2' },
      'health-timeout': { type: 'string', default: '' },
    },
  });
  const PHASE_MS = Number(args.seconds) * 1000;
  const RATE = Number(args.rate);
  const started = Date.now();
  console.log(`seeding a scratch database at scale ${args.scale}...`);
  const db = await scratchDatabases('subgraph-faults', [casework, health, governance], { linkKeySecret: 'drill-link-key-secret', scale: Number(args.scale), today: today(), log: () => undefined });
  const children: ChildProcess[] = [];
  try {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'drill', alg: 'ES256', use: 'sig' }] };
    const issuer = 'urn:subgraph-faults-drill';
    const audience = 'subgraph-faults-drill';
    const token = (role: RoleName) =>
      new SignJWT({ roles: [role], org: USUAL_ORG[role], preferred_username: `drill-${role}` }).setProtectedHeader({ alg: 'ES256', kid: 'drill' }).setSubject(`drill-${role}`).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('2h').sign(privateKey);
    const env: NodeJS.ProcessEnv = { HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'development', OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS: JSON.stringify(jwks) };
    if (args['health-timeout']) env.HEALTH_TIMEOUT_MS = args['health-timeout'];
    delete process.env.DATABASE_URL;

    const subgraphs: Record<string, { child: ChildProcess; port: number }> = {};
    for (const name of ['casework', 'health', 'governance']) {
      subgraphs[name] = await forkReady(name, `subgraphs/${name}/main.js`, { ...env, DATABASE_URL: db.logins[name].appUrl, LINK_KEY_SECRET: 'drill-link-key-secret' });
      children.push(subgraphs[name].child);
    }
    const gateway = await forkReady('gateway', 'gateway/main.js', { ...env, ...Object.fromEntries(Object.entries(subgraphs).map(([n, s]) => [`${n.toUpperCase()}_URL`, `http://127.0.0.1:${s.port}/graphql`])) });
    children.push(gateway.child);
    console.log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s; gateway on ${gateway.port}; ${RATE} requests/s, ${PHASE_MS / 1000} s a phase`);

    const auth = {
      executive: `Bearer ${await token('executive')}`,
      la_caseworker: `Bearer ${await token('la_caseworker')}`,
      icb_analyst: `Bearer ${await token('icb_analyst')}`,
      board_member: `Bearer ${await token('board_member')}`,
    };
    const asOf = today();
    const workloads: Array<{ name: string; role: keyof typeof auth; query: string }> = [
      { name: 'dashboard', role: 'executive', query: `{ assuranceDashboard(asOf: "${asOf}") { kpiCards { name value rag ragReason } priorityActionPlan { area { reference } actions { status } } overdueEscalations { issue } } }` },
      { name: 'caseworker page', role: 'la_caseworker', query: '{ children(first: 50, filter: { hasActivePlan: true }) { totalCount nodes { id requests { receivedDate outcome assessment { outcome healthAdvice { askedDate returnedDate } } } } } }' },
      { name: 'analyst measures', role: 'icb_analyst', query: '{ healthMeasures(codes: ["WAITING_COUNT", "WAITING_OVER_18WK_PCT"], from: "2024-01-01", to: "2025-12-31") { code points { value } } }' },
      { name: 'governance only', role: 'board_member', query: '{ priorityActions { nodes { reference title } } }' },
    ];
    const url = `http://127.0.0.1:${gateway.port}/graphql`;
    const samples: Sample[] = [];
    let phase = 'steady';
    const post = async (w: (typeof workloads)[number], mine: string) => {
      const t0 = performance.now();
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth[w.role] }, body: JSON.stringify({ query: w.query }), signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
        const body = (await res.json().catch(() => null)) as { errors?: Array<{ extensions?: { code?: string; serviceName?: string } }> } | null;
        const missing = [...new Set((body?.errors ?? []).map((e) => (e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' ? String(e.extensions.serviceName) : String(e.extensions?.code))))];
        samples.push({ phase: mine, workload: w.name, status: res.status, ms: performance.now() - t0, missing });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        samples.push({ phase: mine, workload: w.name, status: 0, ms: performance.now() - t0, missing: [], reason: e.cause?.code ?? e.name });
      }
    };

    const maxConnections: Record<string, number> = {};
    const inFlight = new Set<Promise<void>>();
    const runPhase = async (name: string, ms: number) => {
      phase = name;
      console.log(`${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s  ${name}`);
      const end = Date.now() + ms;
      for (let i = 0, next = Date.now(); Date.now() < end; i++) {
        const p = post(workloads[i % workloads.length], name).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (i % RATE === 0) maxConnections[name] = Math.max(maxConnections[name] ?? 0, connectionsTo(subgraphs.health.port));
        next += 1000 / RATE;
        await sleep(Math.max(0, next - Date.now()));
      }
    };

    await runPhase('steady', PHASE_MS);
    subgraphs.health.child.kill('SIGSTOP');
    await runPhase('health paused', PHASE_MS);
    subgraphs.health.child.kill('SIGCONT');
    await runPhase('health resumed', PHASE_MS);
    subgraphs.health.child.kill('SIGKILL');
    await runPhase('health killed', PHASE_MS);
    // SIGTERM to the gateway with requests in flight: each one it had taken must be answered.
    const before = samples.length;
    const sending = runPhase('gateway SIGTERM', Math.min(PHASE_MS, 5_000));
    await sleep(1_000);
    const inFlightAtTerm = inFlight.size;
    gateway.child.kill('SIGTERM');
    const gatewayExit = await gateway.exited;
    await sending;
    await Promise.all(inFlight);
    const afterTerm = samples.slice(before);

    const pct = (xs: number[], q: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : NaN);
    console.log('\nphase             workload           reqs  full  part  5xx noans    p50    p95    max  missing');
    for (const ph of [...new Set(samples.map((s) => s.phase))]) {
      for (const w of workloads) {
        const s = samples.filter((x) => x.phase === ph && x.workload === w.name);
        const ms = s.map((x) => x.ms);
        console.log(
          `${ph.padEnd(17)} ${w.name.padEnd(17)} ${String(s.length).padStart(5)} ${String(s.filter((x) => x.status === 200 && !x.missing.length).length).padStart(5)} ${String(s.filter((x) => x.status === 200 && x.missing.length).length).padStart(5)} ${String(s.filter((x) => x.status >= 500).length).padStart(4)} ${String(s.filter((x) => x.status === 0).length).padStart(5)} ${String(Math.round(pct(ms, 0.5))).padStart(6)} ${String(Math.round(pct(ms, 0.95))).padStart(6)} ${String(Math.round(Math.max(...ms))).padStart(6)}  ${[...new Set(s.flatMap((x) => x.missing))].join(' ')}`,
        );
      }
    }
    const noAnswer = samples.filter((x) => x.status === 0 && x.phase !== 'gateway SIGTERM');
    if (noAnswer.length) console.log(`\nno answer before the SIGTERM, by cause: ${Object.entries(noAnswer.reduce<Record<string, number>>((m, x) => ({ ...m, [x.reason ?? '?']: (m[x.reason ?? '?'] ?? 0) + 1 }), {})).map(([r, n]) => `${r} ${n}`).join(', ')}`);
    console.log(`\ngateway connections to health, most seen: ${Object.entries(maxConnections).map(([p, n]) => `${p} ${n}`).join(', ')}`);
    const refused = afterTerm.filter((s) => s.status === 0 && s.reason === 'ECONNREFUSED').length;
    const dropped = afterTerm.filter((s) => s.status === 0 && s.reason !== 'ECONNREFUSED');
    console.log(`gateway SIGTERM: ${inFlightAtTerm} requests in flight; exit code ${gatewayExit}; ${afterTerm.filter((s) => s.status > 0).length} answered, ${refused} refused at connect after it stopped listening, ${dropped.length} reset or closed without an answer${dropped.length ? ` (${[...new Set(dropped.map((d) => d.reason))].join(', ')})` : ''}`);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await sleep(200);
    await db.stop();
  }
}

if (require.main === module) runScript(main);
