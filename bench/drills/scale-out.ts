/**
 * Scale-out on one machine, as a script that prints figures. Two replicas of
 * each subgraph and two of the gateway, forked from dist/ as the image runs
 * them, over a scratch PostgreSQL with the three databases; HAProxy (Debian's,
 * installed with apt-get when missing) balances round-robin in front of each
 * pair, checking /health/ready every second, as a Kubernetes Service would. This
 * process sends a steady rate of requests to the gateways' proxy, then kills
 * (SIGKILL) one replica of each of the four, and goes on sending:
 *
 *   two of each         every replica up
 *   just after the kill the first five seconds after the SIGKILLs
 *   one of each         the rest of the run
 *
 * Per phase: requests, complete and partial answers, 5xx, requests with no
 * answer, p50/p95/max latency; and the requests each replica served, read from
 * its own /metrics (send_graphql_requests_total).
 *
 *   npm run build && node dist/bench/drills/scale-out.js [--seconds 20] [--rate 8] [--scale 0.2]
 */
import 'reflect-metadata';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { casework } from '../../subgraphs/casework';
import { governance } from '../../subgraphs/governance';
import { health } from '../../subgraphs/health';
import { USUAL_ORG, type RoleName } from '../../platform/roles';
import { scratchDatabases } from '../../subgraphs/toolkit/database/scratch';
import { freePort } from '../../subgraphs/toolkit/ports';
import { today } from '../../subgraphs/toolkit/dates';
import { runScript } from '../script';

const ROOT = join(__dirname, '..', '..', '..');
const CLIENT_TIMEOUT_MS = 30_000;
const SUBGRAPH_NAMES = ['casework', 'health', 'governance'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replica {
  name: string;
  child: ChildProcess;
  port: number;
}

async function forkReady(name: string, script: string, env: NodeJS.ProcessEnv): Promise<Replica> {
  // Access logs at warn: this drill reads each replica's /metrics instead.
  const child = fork(join(ROOT, 'dist', script), [], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type?: string; port?: number }) => m?.type === 'ready' && resolve(m.port!));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
  });
  return { name, child, port };
}

/** HAProxy from Debian, installed if missing. */
function haproxyBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  console.log('haproxy is not installed: apt-get install -y haproxy');
  let install = spawnSync('apt-get', ['install', '-y', 'haproxy'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    install = spawnSync('apt-get', ['install', '-y', 'haproxy'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const path = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).stdout.trim();
  if (!path) throw new Error('haproxy could not be installed (apt-get install -y haproxy, as root)');
  return path;
}

/** One round-robin frontend per pair, each server checked on /health/ready every second. */
function haproxyConfig(pools: Array<{ name: string; port: number; replicas: Replica[] }>): string {
  const lines = [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // Generous: on a busy two-core machine a ready check can take over a second, and a replica marked down for that sends its share elsewhere.
    '  timeout check 5s',
    // A connection refused by a dead replica is tried on the other (the request was never sent, so this is safe for mutations too).
    '  retries 2',
    '  option redispatch',
    '  retry-on conn-failure',
    '  option http-server-close',
  ];
  for (const pool of pools) {
    lines.push(`frontend ${pool.name}_in`, `  bind 127.0.0.1:${pool.port}`, `  default_backend ${pool.name}`);
    lines.push(`backend ${pool.name}`, '  balance roundrobin', '  option httpchk GET /health/ready', '  default-server inter 2s fall 3 rise 2');
    pool.replicas.forEach((r, i) => lines.push(`  server ${pool.name}${i + 1} 127.0.0.1:${r.port} check`));
  }
  return `${lines.join('\n')}\n`;
}

/** Requests a replica has answered, summed over operations and outcomes, from its /metrics. */
async function servedBy(replica: Replica): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${replica.port}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith('send_graphql_requests_total{'))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  } catch {
    return null;
  }
}

interface Sample {
  phase: string;
  status: number; // 0: no HTTP answer
  ms: number;
  partial: boolean;
  /** For a partial answer, its errors' codes (SUBGRAPH_UNAVAILABLE naming the subgraph). */
  reason?: string;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, rate: { type: 'string', default: '8' }, scale: { type: 'string', default: '0.2' } } });
  const PHASE_MS = Number(args.seconds) * 1000;
  const RATE = Number(args.rate);
  const haproxy = haproxyBinary();
  const started = Date.now();
  console.log(`seeding a scratch database at scale ${args.scale}...`);
  const db = await scratchDatabases('scale-out', [casework, health, governance], { linkKeySecret: 'drill-link-key-secret', scale: Number(args.scale), today: today(), log: () => undefined });
  const replicas: Replica[] = [];
  let proxy: ChildProcess | null = null;
  const proxyLog: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'scale-out-'));
  try {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'drill', alg: 'ES256', use: 'sig' }] };
    const issuer = 'urn:scale-out-drill';
    const audience = 'scale-out-drill';
    const token = (role: RoleName) =>
      new SignJWT({ roles: [role], org: USUAL_ORG[role], preferred_username: `drill-${role}` }).setProtectedHeader({ alg: 'ES256', kid: 'drill' }).setSubject(`drill-${role}`).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('2h').sign(privateKey);
    const env: NodeJS.ProcessEnv = { HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'development', OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS: JSON.stringify(jwks) };
    delete process.env.DATABASE_URL;

    const proxyPorts: Record<string, number> = { gateway: await freePort() };
    for (const name of SUBGRAPH_NAMES) proxyPorts[name] = await freePort();
    const pools: Array<{ name: string; port: number; replicas: Replica[] }> = [];
    for (const name of SUBGRAPH_NAMES) {
      const pair: Replica[] = [];
      for (const n of [1, 2]) pair.push(await forkReady(`${name}-${n}`, `subgraphs/${name}/main.js`, { ...env, DATABASE_URL: db.logins[name].appUrl, LINK_KEY_SECRET: 'drill-link-key-secret' }));
      replicas.push(...pair);
      pools.push({ name, port: proxyPorts[name], replicas: pair });
    }
    const gateways: Replica[] = [];
    for (const n of [1, 2]) {
      gateways.push(await forkReady(`gateway-${n}`, 'gateway/main.js', { ...env, ...Object.fromEntries(SUBGRAPH_NAMES.map((s) => [`${s.toUpperCase()}_URL`, `http://127.0.0.1:${proxyPorts[s]}/graphql`])) }));
    }
    replicas.push(...gateways);
    pools.push({ name: 'gateway', port: proxyPorts.gateway, replicas: gateways });
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig(pools));
    proxy = spawn(haproxy, ['-f', config, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
    proxy.stderr!.on('data', (d: Buffer) => proxyLog.push(...d.toString().split('\n').filter((l) => l.trim())));
    const url = `http://127.0.0.1:${proxyPorts.gateway}/graphql`;
    for (let i = 0; ; i++) {
      const ok = await fetch(url.replace('/graphql', '/health/ready')).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 100) throw new Error('haproxy did not come up');
      await sleep(100);
    }
    console.log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: 2 gateways, 2 of each subgraph, haproxy ${spawnSync(haproxy, ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0]}; ${RATE} requests/s, ${PHASE_MS / 1000} s a phase`);

    const auth = {
      executive: `Bearer ${await token('executive')}`,
      la_caseworker: `Bearer ${await token('la_caseworker')}`,
      icb_analyst: `Bearer ${await token('icb_analyst')}`,
      board_member: `Bearer ${await token('board_member')}`,
    };
    const asOf = today();
    const workloads: Array<{ role: keyof typeof auth; query: string }> = [
      { role: 'executive', query: `query Dashboard { assuranceDashboard(asOf: "${asOf}") { kpiCards { name value rag } priorityActionPlan { actions { status } } } }` },
      { role: 'la_caseworker', query: 'query CaseworkerPage { children(first: 20, filter: { hasActivePlan: true }) { totalCount nodes { id requests { receivedDate assessment { outcome healthAdvice { askedDate returnedDate } } } } } }' },
      { role: 'icb_analyst', query: 'query AnalystMeasures { healthMeasures(codes: ["WAITING_COUNT"], from: "2024-01-01", to: "2025-12-31") { code points { value } } }' },
      { role: 'board_member', query: 'query Actions { priorityActions { reference title } }' },
    ];
    const samples: Sample[] = [];
    const post = async (w: (typeof workloads)[number], phase: string) => {
      const t0 = performance.now();
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth[w.role] }, body: JSON.stringify({ query: w.query }), signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
        const body = (await res.json().catch(() => null)) as { errors?: Array<{ extensions?: { code?: string; serviceName?: string } }> } | null;
        const codes = [...new Set((body?.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.serviceName].filter(Boolean).join(' ')))];
        samples.push({ phase, status: res.status, ms: performance.now() - t0, partial: !!body?.errors?.length, reason: codes.join(', ') || undefined });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        samples.push({ phase, status: 0, ms: performance.now() - t0, partial: false, reason: e.cause?.code ?? e.name });
      }
    };
    const inFlight = new Set<Promise<void>>();
    const runPhase = async (name: string, ms: number) => {
      console.log(`${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s  ${name}`);
      const end = Date.now() + ms;
      for (let i = 0, next = Date.now(); Date.now() < end; i++) {
        const p = post(workloads[i % workloads.length], name).finally(() => inFlight.delete(p));
        inFlight.add(p);
        next += 1000 / RATE;
        await sleep(Math.max(0, next - Date.now()));
      }
    };

    await runPhase('two of each', PHASE_MS);
    const servedBefore = new Map<string, number | null>();
    for (const r of replicas) servedBefore.set(r.name, await servedBy(r));
    const killed = ['gateway-1', 'casework-1', 'health-1', 'governance-1'];
    for (const r of replicas) if (killed.includes(r.name)) r.child.kill('SIGKILL');
    proxyLog.push('--- SIGKILL to gateway-1, casework-1, health-1, governance-1');
    await runPhase('just after the kill', 5_000);
    await runPhase('one of each', Math.max(0, PHASE_MS - 5_000));
    await Promise.all(inFlight);

    const pct = (xs: number[], q: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : NaN);
    console.log('\nphase                 reqs  full  part  5xx noans    p50    p95    max');
    for (const ph of [...new Set(samples.map((s) => s.phase))]) {
      const s = samples.filter((x) => x.phase === ph);
      const ms = s.map((x) => x.ms);
      console.log(
        `${ph.padEnd(20)} ${String(s.length).padStart(5)} ${String(s.filter((x) => x.status === 200 && !x.partial).length).padStart(5)} ${String(s.filter((x) => x.status === 200 && x.partial).length).padStart(5)} ${String(s.filter((x) => x.status >= 500).length).padStart(4)} ${String(s.filter((x) => x.status === 0).length).padStart(5)} ${String(Math.round(pct(ms, 0.5))).padStart(6)} ${String(Math.round(pct(ms, 0.95))).padStart(6)} ${String(Math.round(Math.max(...ms))).padStart(6)}`,
      );
    }
    const failures = samples.filter((x) => x.status !== 200 || x.partial);
    if (failures.length) console.log(`\nnot complete, by phase and cause: ${Object.entries(failures.reduce<Record<string, number>>((m, x) => { const k = `${x.phase}: ${x.status === 0 ? x.reason : x.status === 200 ? `partial (${x.reason})` : `HTTP ${x.status}`}`; return { ...m, [k]: (m[k] ?? 0) + 1 }; }, {})).map(([k, n]) => `${k} ${n}`).join('; ')}`);
    const events = proxyLog
      .map((l) => {
        const m = /Server (\S+) is (UP|DOWN)|backend '(\S+)' has no server available/.exec(l);
        return l.startsWith('---') ? '[the kill]' : m ? (m[1] ? `${m[1]} ${m[2]}` : `${m[3]} had no server`) : null;
      })
      .filter((e): e is string => !!e);
    console.log(`\nhaproxy's checks: ${events.join(', ')}`);
    console.log('\nGraphQL requests each replica served (its /metrics), before the kill -> at the end:');
    for (const r of replicas) {
      const after = killed.includes(r.name) ? 'killed' : String(await servedBy(r));
      console.log(`  ${r.name.padEnd(14)} ${String(servedBefore.get(r.name)).padStart(6)} -> ${after}`);
    }
  } finally {
    proxy?.kill('SIGTERM');
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await sleep(300);
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runScript(main);
