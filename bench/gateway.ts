// Over 300 lines: one script that starts the stack and the gateways compared, drives the four workloads interleaved (with writes alongside if asked) and prints their figures; its parts share the run state.
/**
 * Our gateway side by side with Hive Gateway (its default planner, and its Rust
 * planner where @graphql-hive/router-runtime loads) serving the same
 * schema/supergraph.graphql over the same subgraphs, and the subgraph itself
 * where one subgraph answers: four workloads (dashboard, analyst,
 * caseworker page, trivial), each with many distinct users per role (tokens of
 * the stack's issuer), windows interleaved so that machine load falls on
 * every target alike. Prints rps, p50/p95/p99, errors and CPU ms per request
 * of every process (from /proc/<pid>/stat), and writes the figures as JSON
 * under bench-results/. Figures only, no pass or fail. `--only casework-monthly`
 * and `--only health-monthly` add ten casework or health codes monthly since 2019
 * (issue 15's national-scale measure target); with --writes casework's figures
 * are computed, not cached.
 *
 *   npm run bench:gateway -- [--scale 1] [--connections 10] [--seconds 10] [--users 256] [--rounds 2]
 *     [--data-dir DIR] [--ports 4150] [--only dashboard,trivial] [--targets ours,hive,hive-rust,direct] [--subgraph-timeout-ms 60000] [--writes 5]
 *
 * --writes N records N casework requests a second (through our gateway, as a
 * caseworker) while each window runs: every one that commits moves casework's
 * data version on, so the figure caches miss as they would on a working day
 * and the figures are not cache hits alone.
 *
 * --stack-node-flags=F (space-separated) starts the stack's processes with those
 * Node flags instead of the servers' own where they set the same option
 * (platform/node-flags.ts): `--stack-node-flags=--max-semi-space-size=16` runs it
 * on V8's default young generation, for a before and after.
 *
 * --mode production (the default) runs our stack as deployed, NODE_ENV=production
 * with an issuer of the benchmark's own (bench/support/dev-tokens.ts), as Hive
 * Gateway is run; --mode development runs it as `npm start` does.
 *
 * The data directory (by default the system's temporary folder/send-bench-scale-<N>) is kept:
 * a second run at the same scale reuses the seeded databases. Our subgraph deadline
 * is the client's own 60 s (--subgraph-timeout-ms), as Hive Gateway has none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { SERVER_NODE_FLAGS } from '../platform/node-flags';
import { runScript } from './script';
import { freePort, sleep, startStackProcess, type StackPorts } from './support/stack-process';
import { cpuTicks, CLOCK_TICKS_PER_SECOND } from './support/proc-cpu';
import { devTokenSigner, productionIssuer } from './support/dev-tokens';

const ROOT = join(__dirname, '..', '..');
const AS_OF = '2026-11-22';
const CASEWORK_CODES = ['EHC_20WK_EXCL', 'EHC_20WK_INCL', 'EHC_MEAN_WEEKS', 'EHCNA_REQUESTS', 'EHCNA_DECISION_6WK', 'EP_ADVICE_6WK', 'AR_DECISION_4WK', 'AR_OVERDUE', 'PLANS_ACTIVE', 'PLANS_NO_ALLOCATED_WORKER'];
const HEALTH_CODES = ['WAITING_COUNT', 'WAITING_OVER_18WK_PCT', 'COMMUNITY_WAITING_OVER_18WK_PCT', 'ND_WAITING_OVER_13WK_PCT', 'FIRST_CONTACT_MEDIAN_WEEKS', 'CYP_MH_ACCESS', 'HEALTH_ADVICE_6WK_PCT', 'SPACE_FAMILIES_ENROLLED', 'SPACE_COMPLETION_PCT', 'SPACE_FASA_MEAN_CHANGE'];

interface Workload {
  name: string;
  role: string;
  query: string;
  /** The subgraph that answers it alone, called directly for comparison. */
  direct?: 'casework' | 'health' | 'governance';
  /** Run only when named in --only (not one of the four the comparison is made on). */
  optIn?: boolean;
}

const WORKLOADS: Workload[] = [
  {
    name: 'dashboard',
    role: 'executive',
    query: `query Dashboard { assuranceDashboard(asOf: "${AS_OF}") {
      asOf
      kpiCards { name ownerOrganisation value periodStart periodEnd suppressed target trajectoryValue rag previousRag trend englandComparator { value year } }
      priorityActionPlan { area { reference title } byStatus { status count } actions { action { reference } status } }
      actionsNeedingAttention { action { reference title } status reasons latestNextSteps }
      overdueEscalations { issue responseDueDate raisedByOrganisation }
      nextMeetings { heldDate title } nextReviews { heldDate title } familyVoiceThemes { theme count responded }
    } }`,
  },
  {
    name: 'analyst',
    role: 'icb_analyst',
    direct: 'health',
    query: `query Analyst { healthMeasures(codes: ${JSON.stringify(HEALTH_CODES)}, from: "2019-01-01", to: "${AS_OF}", interval: QUARTER) { code unit points { periodStart value suppressed } }
      waitingList(asOf: "${AS_OF}") { total totalSuppressed bands { label count suppressed } } }`,
  },
  {
    name: 'caseworker-page',
    role: 'la_caseworker',
    query: `query CaseworkerPage { children(first: 50, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { totalCount nodes { forename surname birthDate district primaryNeed
      requests { receivedDate source outcome outcomeDate decisionDueDate decisionWithinSixWeeks assessment { outcome outcomeDate draftPlanDate week20Exception finalPlanDueDate healthAdvice { askedDate returnedDate returnedWithinSixWeeks } } }
      ehcPlans { issueDate ceaseDate weeksToIssue issuedWithinTwentyWeeks placements { rank senSetting senUnit resourcedProvision } senNeeds { rank senType } annualReviews { dueDate meetingDate outcome } } } } }`,
  },
  { name: 'trivial', role: 'board_member', direct: 'governance', query: 'query Trivial { governanceBodies { nodes { code name } } }' },
  // Issue 15's national-scale target: ten casework codes monthly since 2019. With --writes most answers are computed
  // afresh (each recorded request moves casework's data version on), not read from the figures cache.
  {
    name: 'casework-monthly',
    role: 'executive',
    direct: 'casework',
    optIn: true,
    query: `query CaseworkMonthly { caseworkMeasures(codes: ${JSON.stringify(CASEWORK_CODES)}, from: "2019-01-01", to: "${AS_OF}", interval: MONTH) { code unit points { periodStart value suppressed } } }`,
  },
  // The same target for health's ten codes.
  {
    name: 'health-monthly',
    role: 'icb_analyst',
    direct: 'health',
    optIn: true,
    query: `query HealthMonthly { healthMeasures(codes: ${JSON.stringify(HEALTH_CODES)}, from: "2019-01-01", to: "${AS_OF}", interval: MONTH) { code unit points { periodStart value suppressed } } }`,
  },
];

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    connections: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    users: { type: 'string', default: '256' },
    rounds: { type: 'string', default: '2' },
    'warm-up': { type: 'string', default: '2' },
    'data-dir': { type: 'string' },
    ports: { type: 'string' },
    only: { type: 'string' },
    targets: { type: 'string', default: 'ours,hive,hive-rust,direct' },
    'subgraph-timeout-ms': { type: 'string', default: '60000' },
    today: { type: 'string', default: AS_OF },
    writes: { type: 'string', default: '0' },
    'stack-node-flags': { type: 'string', default: '' },
    mode: { type: 'string', default: 'production' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('Usage: npm run bench:gateway -- [--scale 1] [--connections 10] [--seconds 10] [--users 256] [--rounds 2] [--warm-up 2] [--data-dir DIR] [--ports BASE] [--only dashboard,analyst,caseworker-page,trivial,casework-monthly,health-monthly] [--targets ours,hive,hive-rust,direct] [--subgraph-timeout-ms 60000] [--writes 0] [--stack-node-flags=--max-semi-space-size=16] [--mode production|development]');
  process.exit(0);
}

interface Target {
  name: string;
  url: string;
  /** The process answering (its CPU is counted apart from the subgraphs'). */
  pid?: number;
}

interface Window {
  requests: number;
  errors: number;
  latenciesMs: number[];
  seconds: number;
  cpuMs: Record<string, number>;
  firstError?: string;
  /** Casework requests recorded during the window (--writes), and those refused. */
  writes?: { made: number; refused: number };
}

/** Closed loop: `connections` workers, each sending the next user's request as soon as its last one is answered. */
async function drive(pool: Pool, path: string, bodies: string[], tokens: string[], connections: number, seconds: number): Promise<Omit<Window, 'cpuMs' | 'seconds'>> {
  const out: Omit<Window, 'cpuMs' | 'seconds'> = { requests: 0, errors: 0, latenciesMs: [] };
  const end = performance.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const i = next++ % tokens.length;
        const t0 = performance.now();
        try {
          const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` }, body: bodies[i % bodies.length], signal: AbortSignal.timeout(60_000) });
          const text = await res.body.text();
          const ms = performance.now() - t0;
          out.requests++;
          out.latenciesMs.push(ms);
          if (res.statusCode !== 200 || text.includes('"errors":')) {
            out.errors++;
            out.firstError ??= `${res.statusCode} ${text.slice(0, 300)}`;
          }
        } catch (err) {
          out.requests++;
          out.errors++;
          out.latenciesMs.push(performance.now() - t0);
          out.firstError ??= `${(err as Error).name}: ${(err as Error).message}`;
        }
      }
    }),
  );
  return out;
}

/**
 * Records casework requests at `perSecond` until stopped, each for the next child on a
 * date no other write used, so each one that commits moves casework's data version on.
 */
function startWriter(pool: Pool, token: string, childIds: string[], perSecond: number, counter: { next: number }): () => Promise<{ made: number; refused: number }> {
  const out = { made: 0, refused: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const k = counter.next++;
      const receivedDate = new Date(Date.UTC(2026, 10, 30) - Math.floor(k / childIds.length) * 86_400_000).toISOString().slice(0, 10);
      const body = JSON.stringify({ query: 'mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }', variables: { i: { childId: childIds[k % childIds.length], receivedDate, source: 'PARENT' } } });
      try {
        const res = await pool.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body, signal: AbortSignal.timeout(60_000) });
        const text = await res.body.text();
        if (res.statusCode === 200 && !text.includes('"errors":')) out.made++;
        else out.refused++;
      } catch {
        out.refused++;
      }
      await sleep(Math.max(0, 1000 / perSecond - (performance.now() - t0)));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return out;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Starts Hive Gateway in its own process over the stack's subgraphs; resolves once it answers. */
async function startHive(name: string, port: number, supergraphPath: string, rust: boolean): Promise<{ target: Target; process: ChildProcess } | undefined> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(ROOT, 'dist', 'bench', 'support', 'hive-gateway.js'), '--port', String(port), '--supergraph', supergraphPath, ...(rust ? ['--rust'] : [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
  const log: string[] = [];
  child.stdout!.on('data', (c: Buffer) => log.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => log.push(c.toString()));
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break;
    if (log.join('').includes('hive gateway listening')) return { target: { name, url: `http://127.0.0.1:${port}/graphql`, pid: child.pid }, process: child };
    await sleep(250);
  }
  child.kill('SIGKILL');
  console.log(`${name}: did not start, left out:\n${log.join('').split('\n').slice(-12).join('\n')}`);
  return undefined;
}

async function main(): Promise<void> {
  const scale = args.scale!;
  const connections = Number(args.connections);
  const seconds = Number(args.seconds);
  const userCount = Number(args.users);
  const rounds = Number(args.rounds);
  const warmUp = Number(args['warm-up']);
  const wanted = new Set(args.targets!.split(','));
  const workloads = args.only ? WORKLOADS.filter((w) => args.only!.split(',').includes(w.name)) : WORKLOADS.filter((w) => !w.optIn);
  const dataDir = args['data-dir'] ?? join(tmpdir(), `send-bench-scale-${scale}`);
  const base = args.ports ? Number(args.ports) : undefined;
  const ports: StackPorts = base
    ? { gateway: base, casework: base + 1, health: base + 2, governance: base + 3, postgres: base + 4 }
    : { gateway: await freePort(), casework: await freePort(), health: await freePort(), governance: await freePort(), postgres: await freePort() };
  const reused = existsSync(join(dataDir, 'pg'));
  console.log(`${reused ? 'reusing' : 'seeding'} a stack at scale ${scale} in ${dataDir}...`);
  const started = Date.now();
  // With fixed ports the web app and sign-in issuer take two more of the range, not defaults another stack may hold.
  const env: Record<string, string> = { LOG_LEVEL: 'warn', SUBGRAPH_TIMEOUT_MS: args['subgraph-timeout-ms']!, ...(base ? { WEB_PORT: String(base + 8), DEV_ISSUER_PORT: String(base + 9) } : {}) };
  if (args.mode !== 'production' && args.mode !== 'development') throw new Error(`--mode is production or development; got "${args.mode}".`);
  // As deployed by default; --mode development runs it as npm start does, on the development issuer.
  const issuer = args.mode === 'production' ? await productionIssuer(dataDir) : null;
  Object.assign(env, issuer?.env);
  const stack = await startStackProcess({ scale, today: args.today, dataDir, ports, startTimeoutMs: 3_600_000, env, nodeFlags: args['stack-node-flags']!.split(' ').filter(Boolean) });
  const hives: ChildProcess[] = [];
  try {
    console.log(`stack ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const pids = stack.pids();
    const subgraphUrl = (name: 'casework' | 'health' | 'governance'): string => `http://127.0.0.1:${ports[name]}/graphql`;
    // The checked-in supergraph, pointed at this stack's subgraphs.
    const supergraph = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8').replace(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (_m, name: 'casework' | 'health' | 'governance') => `@join__graph(name: "${name}", url: "${subgraphUrl(name)}")`);
    mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
    const supergraphPath = join(ROOT, 'bench-results', 'supergraph.bench.graphql');
    writeFileSync(supergraphPath, supergraph);

    const targets: Target[] = [];
    if (wanted.has('ours')) targets.push({ name: 'ours', url: stack.url, pid: pids.gateway });
    for (const [name, rust] of [['hive', false], ['hive-rust', true]] as const) {
      if (!wanted.has(name)) continue;
      const port = base ? base + (rust ? 6 : 5) : await freePort();
      const hive = await startHive(name, port, supergraphPath, rust);
      if (hive) {
        targets.push(hive.target);
        hives.push(hive.process);
      }
    }

    // Distinct users per role, signed by the stack's issuer.
    const sign = issuer?.sign ?? (await devTokenSigner(dataDir));
    const tokens: Record<string, string[]> = {};
    for (const w of workloads) {
      const org = w.role === 'icb_analyst' ? 'ICB' : 'LA';
      tokens[w.role] ??= await Promise.all(Array.from({ length: userCount }, (_, i) => sign(`bench-${w.role}-${i}`, w.role, org)));
    }

    // --writes: a caseworker recording requests for children with plans, on a pool of its own.
    const writesPerSecond = Number(args.writes);
    const writer = writesPerSecond > 0 ? { pool: new Pool(new URL(stack.url).origin, { connections: 1 }), token: await sign('bench-writer', 'la_caseworker', 'LA'), childIds: [] as string[], counter: { next: 0 } } : undefined;
    // A run reusing the data directory starts at another day (up to about three years back), so it does not repeat an earlier run's requests (CONFLICT).
    if (writer) writer.counter.next = 100 * Math.floor(Math.random() * 1000);
    if (writer) {
      const res = await writer.pool.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${writer.token}` }, body: JSON.stringify({ query: `{ children(first: 100, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { nodes { id } } }` }) });
      writer.childIds = ((await res.body.json()) as { data: { children: { nodes: Array<{ id: string }> } } }).data.children.nodes.map((n) => n.id);
    }

    const pools = new Map<string, Pool>();
    const poolFor = (url: string): Pool => {
      const origin = new URL(url).origin;
      if (!pools.has(origin)) pools.set(origin, new Pool(origin, { connections, keepAliveTimeout: 2_000 }));
      return pools.get(origin)!;
    };
    const watched = (): Record<string, number[]> => {
      const now = stack.pids();
      const out: Record<string, number[]> = { gateway: [now.gateway], casework: [now.casework], health: [now.health], governance: [now.governance], postgres: postgresPids(now.postgres) };
      for (const t of targets) if (t.name !== 'ours' && t.pid) out[t.name] = [t.pid];
      return out;
    };

    type Key = string;
    const results = new Map<Key, { workload: string; target: string; windows: Window[] }>();
    const plan: Array<{ workload: Workload; target: Target }> = [];
    for (const workload of workloads) {
      for (const target of targets) plan.push({ workload, target });
      if (workload.direct && wanted.has('direct')) plan.push({ workload, target: { name: `direct:${workload.direct}`, url: subgraphUrl(workload.direct), pid: pids[workload.direct] } });
    }
    const body = (w: Workload) => [JSON.stringify({ query: w.query, operationName: undefined })];
    // Warm-up: each pairing once, unmeasured (plans, JIT, connections).
    for (const { workload, target } of plan) await drive(poolFor(target.url), new URL(target.url).pathname, body(workload), tokens[workload.role], connections, warmUp);
    for (let round = 0; round < rounds; round++) {
      // Each round in another order, so no target always follows the same one.
      const order = round % 2 === 0 ? plan : [...plan].reverse();
      for (const { workload, target } of order) {
        const procs = watched();
        const before = new Map(Object.values(procs).flat().map((pid) => [pid, cpuTicks(pid)]));
        const t0 = performance.now();
        const stopWriting = writer ? startWriter(writer.pool, writer.token, writer.childIds, writesPerSecond, writer.counter) : undefined;
        const window = await drive(poolFor(target.url), new URL(target.url).pathname, body(workload), tokens[workload.role], connections, seconds);
        const writes = await stopWriting?.();
        const elapsed = (performance.now() - t0) / 1000;
        const after = watched();
        // Per process: a backend started during the window counts from zero (one that ended during it is lost).
        const cpuMs = Object.fromEntries(Object.keys(after).map((n) => [n, (after[n].reduce((s, pid) => s + cpuTicks(pid) - (before.get(pid) ?? 0), 0) * 1000) / CLOCK_TICKS_PER_SECOND]));
        const key = `${workload.name}\u0000${target.name}`;
        if (!results.has(key)) results.set(key, { workload: workload.name, target: target.name, windows: [] });
        results.get(key)!.windows.push({ ...window, seconds: elapsed, cpuMs, writes });
        process.stdout.write('.');
      }
    }
    console.log('');

    const rows = [...results.values()].map(({ workload, target, windows }) => {
      const requests = windows.reduce((s, w) => s + w.requests, 0);
      const errors = windows.reduce((s, w) => s + w.errors, 0);
      const secs = windows.reduce((s, w) => s + w.seconds, 0);
      const lat = windows.flatMap((w) => w.latenciesMs).sort((a, b) => a - b);
      const cpu: Record<string, number> = {};
      for (const w of windows) for (const [n, ms] of Object.entries(w.cpuMs)) cpu[n] = (cpu[n] ?? 0) + ms;
      // Only the process this target runs in, plus the subgraphs and PostgreSQL; other gateways sit idle.
      const relevant = Object.entries(cpu).filter(([n]) => !['gateway', 'hive', 'hive-rust'].includes(n) || n === (target === 'ours' ? 'gateway' : target));
      const perRequest = Object.fromEntries(relevant.map(([n, ms]) => [n, requests ? ms / requests : NaN]));
      const writes = writer ? { made: windows.reduce((s, w) => s + (w.writes?.made ?? 0), 0), refused: windows.reduce((s, w) => s + (w.writes?.refused ?? 0), 0) } : undefined;
      return { workload, target, requests, errors, writes, rps: requests / secs, p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99), cpuMsPerRequest: perRequest, firstError: windows.find((w) => w.firstError)?.firstError };
    });
    console.log(`\nscale ${scale}, ${connections} connections, ${userCount} users per role, ${rounds} x ${seconds} s per pairing, interleaved, our stack in ${args.mode} mode, our subgraph deadline ${args['subgraph-timeout-ms']} ms; ${cpus().length} CPUs (${cpus()[0]?.model}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('workload         target              rps    p50 ms  p95 ms  p99 ms  errors  CPU ms per request (by process)');
    for (const r of rows) {
      const cpu = Object.entries(r.cpuMsPerRequest).map(([n, ms]) => `${n} ${ms.toFixed(2)}`).join(', ');
      console.log(`${r.workload.padEnd(16)} ${r.target.padEnd(18)} ${r.rps.toFixed(1).padStart(6)} ${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.errors).padStart(7)}  ${cpu}`);
      if (r.writes) console.log(`    while ${r.writes.made} casework requests were recorded (${(r.writes.made / (r.requests / r.rps)).toFixed(1)} a second; ${r.writes.refused} refused)`);
      if (r.firstError) console.log(`    first error: ${r.firstError.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    const out = join(ROOT, 'bench-results', `gateway-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), scale, mode: args.mode, connections, seconds, users: userCount, rounds, subgraphTimeoutMs: Number(args['subgraph-timeout-ms']), writesPerSecond, machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() }, rows }, null, 2));
    console.log(`\nwritten to ${out}`);
    await Promise.all([...pools.values(), ...(writer ? [writer.pool] : [])].map((p) => p.close()));
  } finally {
    for (const h of hives) h.kill('SIGTERM');
    await stack.stop();
  }
}

/** PostgreSQL's postmaster and every backend under it. */
function postgresPids(postmaster: number | undefined): number[] {
  if (!postmaster) return [];
  const out = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

if (require.main === module) runScript(main);
