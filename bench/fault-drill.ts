// Over 300 lines: one script that starts the stack, loads it, injects each fault in turn and prints the table; its parts only make sense in that order.
/**
 * The unlucky world, as a script that prints figures: the whole stack started the
 * way `npm start` starts it (its own data directory and free ports), load from
 * this process at a steady rate across four workloads (an executive's dashboard,
 * a caseworker's page of children, an analyst's health measures, a board
 * member's governance-only list) plus double-submitted writes, and faults along
 * the way: health paused (SIGSTOP) and resumed, governance killed, PostgreSQL
 * stopped (a fast shutdown, as `pg_ctl stop -m fast` does) and started again by
 * the start command, PostgreSQL's postmaster killed, the gateway sent SIGTERM
 * with requests in flight, the gateway killed. Memory of every process is sampled.
 *
 * Prints, per phase: requests, complete answers, partial answers (200 with
 * errors) and who was missing, 5xx, failures to connect, hangs past 30 s, p50/p95/
 * p99; the requests in flight at the SIGTERM and how many of them were dropped;
 * crashes (exits the start command logged beyond those the drill caused);
 * acknowledged writes lost or doubled; personal data (names, UPNs, postcodes,
 * dates of birth of the children written to, and anything shaped like an NHS
 * number or UPN) and SQL with values found in the stack's output or in any error
 * answered; the faults the processes logged; RSS at the
 * start and end. Writes the figures as JSON beside it. Bounded in time and count;
 * stops itself.
 *
 *   npm run build && node dist/bench/fault-drill.js [--minutes 10] [--rate 20] [--scale 0.2] [--no-faults]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sleep, startStackProcess } from './support/stack-process';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '20' },
    scale: { type: 'string', default: '0.2' },
    'no-faults': { type: 'boolean', default: false },
    out: { type: 'string', default: 'fault-drill.json' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('Usage: node dist/bench/fault-drill.js [--minutes 10] [--rate 20] [--scale 0.2] [--no-faults] [--out fault-drill.json]');
  process.exit(0);
}
const MINUTES = Number(args.minutes);
const RATE = Number(args.rate);
interface Sample {
  workload: string;
  phase: string;
  status: number; // 0: no HTTP answer
  ms: number;
  partial: string[]; // "<subgraph> unavailable" for SUBGRAPH_UNAVAILABLE errors, else error codes
  hung: boolean;
  /** Which request this was, to find those in flight at the SIGTERM. */
  seq: number;
}

/** Every distinct error an answer carried (message and extensions), for the personal-data check; bounded. */
const errorTexts = new Set<string>();
function keepErrors(errors: unknown[] | undefined): void {
  for (const e of errors ?? []) if (errorTexts.size < 20_000) errorTexts.add(JSON.stringify(e));
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`scale ${args.scale}; ${RATE} requests/s for ${MINUTES} min${args['no-faults'] ? ', no faults' : ''}`);
  const stack = await startStackProcess({ scale: String(args.scale) });
  console.log(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${stack.dataDir})`);
  const post = stack.post;
  const stackLog = stack.log;
  const dataDir = stack.dataDir;

  const asOf = new Date().toISOString().slice(0, 10);
  const children = await post('la_caseworker', '{ children(first: 50) { nodes { id upn forename surname birthDate postcode } } }');
  type Person = { id: string; upn: string | null; forename: string; surname: string; birthDate: string; postcode: string | null };
  const people = (children.body?.data?.children as { nodes: Person[] } | undefined)?.nodes ?? [];
  const childIds = people.map((c) => c.id);
  if (!childIds.length) throw new Error('no children to write for: is the seed loaded?');

  const workloads: Array<{ name: string; role: string; query: string }> = [
    { name: 'dashboard', role: 'executive', query: `{ assuranceDashboard(asOf: "${asOf}") { kpiCards { name value rag } priorityActionPlan { area { reference } actions { status } } overdueEscalations { issue } } }` },
    { name: 'caseworker page', role: 'la_caseworker', query: '{ children(first: 50, filter: { hasActivePlan: true }) { totalCount nodes { id requests { receivedDate outcome assessment { outcome healthAdvice { askedDate returnedDate } } } } } }' },
    { name: 'analyst measures', role: 'icb_analyst', query: '{ healthMeasures(codes: ["WAITING_COUNT", "WAITING_OVER_18WK_PCT"], from: "2024-01-01", to: "2025-12-31") { code points { value } } }' },
    { name: 'governance only', role: 'board_member', query: '{ priorityActions { nodes { reference title } } }' },
  ];

  // Writes: each request for a fresh (child, received date) is sent twice at once, as a person pressing twice would.
  const acknowledged = new Map<string, string>(); // "child|date" -> request id
  let writeAttempts = 0;
  let writeConflicts = 0;
  let writeFailures = 0;
  let dayBack = 1;
  async function doubleWrite() {
    const childId = childIds[dayBack % childIds.length];
    const receivedDate = new Date(Date.now() - (30 + dayBack) * 86_400_000).toISOString().slice(0, 10);
    dayBack += 1;
    const mutation = 'mutation($i: RecordRequestInput!) { recordEhcnaRequest(input: $i) { request { id } } }';
    const results = await Promise.all([0, 1].map(() => post('la_caseworker', mutation, { i: { childId, receivedDate } })));
    writeAttempts += 2;
    countWrites(results, childId, receivedDate);
    return results;
  }
  function countWrites(results: Awaited<ReturnType<typeof post>>[], childId: string, receivedDate: string): void {
    for (const r of results) {
      const id = (r.body?.data?.recordEhcnaRequest as { id?: string } | null | undefined)?.id;
      const code = r.body?.errors?.[0]?.extensions?.code;
      if (id) acknowledged.set(`${childId}|${receivedDate}`, id);
      else if (code === 'CONFLICT' || code === 'BAD_USER_INPUT') writeConflicts += 1;
      else writeFailures += 1;
    }
  }

  // Processes to sample and to fault.
  const pidsOf = stack.pids;
  const rssMb = (pid: number): number | null => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Math.round(Number(m[1]) / 1024) : null;
    } catch {
      return null;
    }
  };
  const memory: Array<{ t: number; rss: Record<string, number | null> }> = [];
  const sampleMemory = () => {
    const pids = pidsOf();
    memory.push({ t: Math.round((Date.now() - started) / 1000), rss: Object.fromEntries(Object.entries(pids).map(([n, p]) => [n, rssMb(p)])) });
  };

  // Faults at fixed fractions of the run; each phase is named after what is wrong during it.
  const totalMs = MINUTES * 60_000;
  const faults: Array<{ at: number; phase: string; act: () => void; exits?: string }> = args['no-faults']
    ? []
    : [
        { at: 0.12, phase: 'health paused', act: () => process.kill(pidsOf().health, 'SIGSTOP') },
        { at: 0.24, phase: 'after health resumed', act: () => process.kill(pidsOf().health, 'SIGCONT') },
        { at: 0.36, phase: 'governance killed', act: () => process.kill(pidsOf().governance, 'SIGKILL'), exits: 'governance' },
        // SIGINT is PostgreSQL's fast shutdown (pg_ctl stop -m fast); the start command starts it again.
        { at: 0.48, phase: 'postgres stopped', act: () => process.kill(pidsOf().postgres, 'SIGINT'), exits: 'PostgreSQL' },
        { at: 0.6, phase: 'postgres killed', act: () => process.kill(pidsOf().postgres, 'SIGKILL'), exits: 'PostgreSQL' },
        {
          at: 0.72, phase: 'gateway SIGTERM', exits: 'gateway',
          act: () => {
            atSigterm = new Set(inFlightSeqs);
            process.kill(pidsOf().gateway, 'SIGTERM');
          },
        },
        { at: 0.84, phase: 'gateway killed', act: () => process.kill(pidsOf().gateway, 'SIGKILL'), exits: 'gateway' },
        { at: 0.92, phase: 'settled', act: () => undefined },
      ];
  // Requests in flight (by seq), and those in flight when the gateway was told to stop.
  const inFlightSeqs = new Set<number>();
  let atSigterm = new Set<number>();
  let phase = 'steady';
  const causedExits: string[] = [];
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  const runStart = Date.now();
  let next = 0;
  let lastMemory = 0;
  sampleMemory();
  for (let i = 0; Date.now() - runStart < totalMs; i++) {
    const elapsed = Date.now() - runStart;
    while (faults.length && elapsed >= faults[0].at * totalMs) {
      const f = faults.shift()!;
      try {
        f.act();
        if (f.exits) causedExits.push(f.exits);
      } catch (err) {
        console.log(`  (${f.phase}: ${(err as Error).message})`);
      }
      phase = f.phase;
      console.log(`${(elapsed / 1000).toFixed(0).padStart(5)} s  ${phase}`);
    }
    if (elapsed - lastMemory > 5000) {
      sampleMemory();
      lastMemory = elapsed;
    }
    const w = workloads[i % workloads.length];
    const mine = phase;
    const seq = i;
    const record = (workload: string, r: Awaited<ReturnType<typeof post>>) => {
      keepErrors(r.body?.errors);
      // A missing subgraph by name; any other error by its code.
      const partial = (r.body?.errors ?? []).map((e) => (e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' ? `${String(e.extensions?.serviceName)} unavailable` : String(e.extensions?.code ?? 'error')));
      samples.push({ workload, phase: mine, status: r.status, ms: r.ms, partial: [...new Set(partial)], hung: r.hung, seq });
    };
    inFlightSeqs.add(seq);
    const p = (i % (RATE * 2) === 0
      ? doubleWrite().then((rs) => rs.forEach((r) => record('double write', r)))
      : post(w.role, w.query).then((r) => record(w.name, r))
    ).finally(() => {
      inFlight.delete(p);
      inFlightSeqs.delete(seq);
    });
    inFlight.add(p);
    next += 1000 / RATE;
    const wait = runStart + next - Date.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(inFlight);
  sampleMemory();

  // Every acknowledged write is there once, and no (child, date) holds two requests.
  // The same first page of children the writes went to (the list's order is stable).
  const check = await post('la_caseworker', '{ children(first: 50) { nodes { id requests { id receivedDate } } } }');
  let lost = 0;
  let doubled = 0;
  let checked = false;
  const nodes = (check.body?.data?.children as { nodes: Array<{ id: string; requests: Array<{ id: string; receivedDate: string }> }> } | undefined)?.nodes;
  if (nodes) {
    checked = true;
    const held = new Map<string, string[]>();
    for (const n of nodes) for (const r of n.requests) held.set(`${n.id}|${r.receivedDate}`, [...(held.get(`${n.id}|${r.receivedDate}`) ?? []), r.id]);
    for (const [key, id] of acknowledged) if (!(held.get(key) ?? []).includes(id)) lost += 1;
    for (const [key, ids] of held) if (acknowledged.has(key) && ids.length > 1) doubled += 1;
  }

  if (stack.process.exitCode !== null) console.log(`the start command had already exited (code ${stack.process.exitCode})`);
  await stack.stop();
  const leftovers = spawnSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).stdout.trim();

  // Figures.
  const pct = (xs: number[], q: number) => (xs.length ? xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : NaN);
  const phases = [...new Set(samples.map((s) => s.phase))];
  const rows = phases.flatMap((ph) =>
    [...workloads.map((w) => w.name), 'double write'].map((wn) => {
      const s = samples.filter((x) => x.phase === ph && x.workload === wn);
      const ms = s.map((x) => x.ms);
      const missing = [...new Set(s.flatMap((x) => x.partial))].join(' ');
      return {
        phase: ph, workload: wn, requests: s.length,
        complete: s.filter((x) => x.status === 200 && !x.partial.length).length,
        partial: s.filter((x) => x.status === 200 && x.partial.length).length,
        missing,
        http5xx: s.filter((x) => x.status >= 500).length,
        noAnswer: s.filter((x) => x.status === 0 && !x.hung).length,
        hung: s.filter((x) => x.hung).length,
        p50: Math.round(pct(ms, 0.5)), p95: Math.round(pct(ms, 0.95)), p99: Math.round(pct(ms, 0.99)),
      };
    }),
  );
  console.log('\nphase                 workload           reqs  full  part  5xx  noans hung    p50    p95    p99  missing');
  for (const r of rows) {
    console.log(`${r.phase.padEnd(21)} ${r.workload.padEnd(17)} ${String(r.requests).padStart(5)} ${String(r.complete).padStart(5)} ${String(r.partial).padStart(5)} ${String(r.http5xx).padStart(4)} ${String(r.noAnswer).padStart(6)} ${String(r.hung).padStart(4)} ${String(r.p50).padStart(6)} ${String(r.p95).padStart(6)} ${String(r.p99).padStart(6)}  ${r.missing}`);
  }
  const sigtermSamples = samples.filter((x) => atSigterm.has(x.seq));
  const droppedAtSigterm = sigtermSamples.filter((x) => x.status === 0 || x.status >= 500).length;
  if (!args['no-faults']) console.log(`\nSIGTERM to the gateway: ${atSigterm.size} requests in flight, ${sigtermSamples.length - droppedAtSigterm} answered, ${droppedAtSigterm} dropped (no answer or 5xx)`);

  // Crashes: exits the start command logged beyond those the drill caused.
  const exitLines = stackLog.filter((l) => /\b(casework|health|governance|gateway|PostgreSQL) exited \(/.test(l) && !/before it was ready/.test(l));
  const expected = new Map<string, number>();
  for (const e of causedExits) expected.set(e, (expected.get(e) ?? 0) + 1);
  const crashes: string[] = [];
  for (const line of exitLines) {
    const who = /\b(casework|health|governance|gateway|PostgreSQL) exited/.exec(line)![1];
    if ((expected.get(who) ?? 0) > 0) expected.set(who, expected.get(who)! - 1);
    else crashes.push(line);
  }
  console.log(`crashes: ${crashes.length} (exits logged: ${exitLines.length}; caused by the drill: ${causedExits.length})`);
  for (const line of crashes.slice(0, 10)) console.log(`  ${line}`);

  // Personal data: the children's own values, and anything shaped like an NHS number or UPN, in the stack's output or an error answered.
  const said = [...stackLog, ...errorTexts];
  const needles = people.flatMap((c) => [c.upn, c.postcode, `${c.forename} ${c.surname}`, c.birthDate].filter((v): v is string => !!v && v.length >= 5));
  const leaks: string[] = [];
  for (const text of said) {
    const hit = needles.find((n) => text.includes(n)) ?? /\b\d{3} ?\d{3} ?\d{4}\b|\b[A-HJ-NP-Z]\d{12}\b/.exec(text)?.[0];
    if (hit) leaks.push(text.slice(0, 160));
  }
  // SQL with its values (a driver's message) in a log line can carry anything the query held.
  const sqlLines = said.filter((t) => /\b(?:select\b[\s\S]*\bfrom|insert\s+into|update\s+"?\w+"?\s+set|delete\s+from)\b[\s\S]*'[^']*'/i.test(t));
  console.log(`SQL with values in output: ${sqlLines.length} lines`);
  for (const line of sqlLines.slice(0, 3)) console.log(`  ${line.slice(0, 160)}`);
  console.log(`personal data in output: ${leaks.length} lines (searched ${stackLog.length} lines of the stack's output and ${errorTexts.size} distinct errors answered, for ${needles.length} values of ${people.length} children and NHS-number and UPN shapes)`);
  for (const line of leaks.slice(0, 5)) console.log(`  ${line}`);

  console.log(`\nwrites: ${writeAttempts} sent (each twice at once), ${acknowledged.size} acknowledged, ${writeConflicts} answered CONFLICT/BAD_USER_INPUT, ${writeFailures} failed otherwise; lost ${checked ? lost : '?'}, doubled ${checked ? doubled : '?'}`);
  const first = memory[0].rss;
  const last = memory[memory.length - 1].rss;
  console.log('memory (MB RSS), start -> end, max:');
  for (const name of Object.keys({ ...first, ...last })) {
    const max = Math.max(...memory.map((m) => m.rss[name] ?? 0));
    console.log(`  ${name.padEnd(11)} ${String(first[name] ?? '-').padStart(5)} -> ${String(last[name] ?? '-').padStart(5)}   max ${max}`);
  }
  console.log(`restarts and faults the start command logged: ${stackLog.filter((l) => /restart|unexpected|exited|died/i.test(l)).length} lines`);
  // What the processes logged as faults (masked as INTERNAL_SERVER_ERROR in answers), by message.
  const faultsLogged = new Map<string, number>();
  stackLog.forEach((l, i) => {
    if (!/unexpected error|unexpected failure|audit trail insert failed/i.test(l)) return;
    // A multi-line error's first line may say only its class: its next line, unless that is a stack frame or another entry.
    const next = stackLog[i + 1] ?? '';
    const what = `${l.slice(0, 100)} ${/^\s*at |unexpected|audit trail/.test(next) ? '' : next.slice(0, 100)}`.trim();
    faultsLogged.set(what, (faultsLogged.get(what) ?? 0) + 1);
  });
  console.log(`faults the processes logged: ${[...faultsLogged.values()].reduce((a, b) => a + b, 0)}`);
  for (const [what, n] of [...faultsLogged].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${String(n).padStart(5)}  ${what}`);
  writeFileSync(args.out!.replace(/(\.json)?$/, '.log'), stackLog.join('\n'));
  console.log(`processes left after Ctrl-C: ${leftovers ? leftovers.split('\n').length : 0}`);
  writeFileSync(args.out!, JSON.stringify({ minutes: MINUTES, rate: RATE, scale: Number(args.scale), rows, sigterm: { inFlight: atSigterm.size, dropped: droppedAtSigterm }, crashes, personalDataLines: leaks.length, sqlLines: sqlLines.map((l) => l.slice(0, 2000)), writes: { attempts: writeAttempts, acknowledged: acknowledged.size, conflicts: writeConflicts, failures: writeFailures, lost, doubled, checked }, memory, stackLog: stackLog.slice(-200) }, null, 1));
  console.log(`figures written to ${args.out}`);
}

main().catch((err: unknown) => {
  console.error(`fault drill failed: ${(err as Error).message}`);
  process.exit(1);
});
