/**
 * Benchmark: the SEN2 import's write pass on a large return.
 *   npx tsc -p . ; node dist/bench/sen2-import.js [people] [new,again,later]
 * Starts its own embedded PostgreSQL in a temp directory on a free port, migrates
 * an empty casework database, builds a return of N people (default 5,000; each a
 * request that led to a plan with a placement, a need and a review; every fifth
 * without a UPN, matched on names and birth date) with a case extract for every
 * fourth (NHS number, district, team, worker), then times: the import (all new),
 * the same again (all updates, nothing changes), and a later return (a second
 * review for each plan). Prints the figures, checks the row and audit counts, stops.
 * For each run: people a second, the CPU seconds the import took in Node and in
 * PostgreSQL (per 1,000 people: what the work costs, much less sensitive than the
 * wall clock to other load on a shared machine) and how far Node's resident memory
 * rose above what it held before the import (sampled every 25 ms).
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';
import { openDatabase } from '../subgraphs/toolkit/database';
import { addDays, addMonths, today } from '../subgraphs/toolkit/dates';
import { syntheticPopulation, type SyntheticPerson } from '../subgraphs/toolkit/synthetic/population';
import { matchKeyOf } from '../subgraphs/casework/import/sen2-validate';
import { casework } from '../subgraphs/casework/index';
import { importSen2 } from '../subgraphs/casework/import/sen2-import';
import { chunksOf } from '../subgraphs/casework/import/sen2-xml';
import { runScript } from './script';

const NEEDS = ['ASD', 'SEMH', 'SLCN', 'MLD', 'SPLD'];

/**
 * N synthetic children born before 2019 (so that requests from 2021 follow their
 * birth), each a different child by every key the import matches on: UPN, and
 * surname + forename + birth date as the import compares them (matchKeyOf: case and
 * spaces aside), which children sent without a UPN are matched on. Otherwise the
 * import would rightly refuse the return as naming one child twice. The population
 * repeats names and birth dates from about 20,000 people, so it is drawn larger
 * until N distinct children are found.
 */
export function distinctChildren(n: number, today: string): SyntheticPerson[] {
  for (let pool = Math.max(n * 2, 1000); ; pool *= 2) {
    const seen = new Set<string>();
    const people: SyntheticPerson[] = [];
    for (const p of syntheticPopulation(pool, today)) {
      const names = matchKeyOf({ ...p, upn: null, uln: null });
      const upn = matchKeyOf({ ...p, uln: null });
      if (p.birthDate >= '2019-01-01' || seen.has(names) || seen.has(upn)) continue;
      seen.add(names);
      seen.add(upn);
      people.push(p);
      if (people.length === n) return people;
    }
    if (pool > 64 * n + 1_000_000) throw new Error(`only ${people.length} distinct synthetic children born before 2019`);
  }
}

export function sen2Return(n: number, today: string, later: boolean): { xml: string; extract: string } {
  const people = distinctChildren(n, today);
  const persons: string[] = [];
  const extract = ['upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date'];
  people.forEach((p, i) => {
    const upn = i % 5 === 4 ? '' : `<UPN>${p.upn}</UPN>`;
    const received = addDays('2021-01-04', i % 700);
    const decided = addDays(received, 40);
    const assessed = addDays(received, 100);
    const start = addDays(received, 130);
    const meeting = addDays(addMonths(start, later ? 23 : 11), 0);
    persons.push(`<Person><Surname>${p.surname}</Surname><Forename>${p.forename}</Forename><PersonBirthDate>${p.birthDate}</PersonBirthDate><Sex>${p.sex}</Sex>${upn}
<Requests><ReceivedDate>${received}</ReceivedDate><RYA>false</RYA><RequestOutcomeDate>${decided}</RequestOutcomeDate><RequestOutcome>Y</RequestOutcome><RequestMediation>false</RequestMediation><RequestTribunal>0</RequestTribunal>
<Assessment><AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>${assessed}</AssessmentOutcomeDate><Week20>false</Week20>
<NamedPlan><StartDate>${start}</StartDate><PlanDetail><URN>${100000 + (i % 900)}</URN><PlacementRank>1</PlacementRank></PlanDetail><PB>FALSE</PB></NamedPlan></Assessment>
<ActivePlans><PlacementDetail><URN>${100000 + (i % 900)}</URN><PlacementRank>1</PlacementRank></PlacementDetail><SENneed><SENtype>${NEEDS[i % NEEDS.length]}</SENtype><SENtypeRank>1</SENtypeRank></SENneed>
<ReviewMeeting>${meeting}</ReviewMeeting><ReviewOutcome>M</ReviewOutcome><LastReview>${addDays(meeting, 14)}</LastReview></ActivePlans></Requests></Person>`);
    if (i % 4 === 0) extract.push(`${upn ? p.upn : ''},,${p.surname},${p.forename},${p.birthDate},${p.nhsNumber},${p.district},Plan and Review ${i % 3},Worker ${i % 40},,`);
  });
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>SEN2</Collection><Year>2025</Year><ReferenceDate>2025-01-16</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>891</LEA></Source></Header>
<Persons>
${persons.join('\n')}
</Persons></Message>
`;
  return { xml, extract: extract.join('\n') + '\n' };
}

/**
 * CPU seconds (user + system) of the PostgreSQL server: the postmaster and every process it started,
 * including those that have ended (a pooled connection closed, an autovacuum worker done): the postmaster
 * reaps them, so their time is in its own children's counts. Without those, a backend ending during a run
 * took its time out of the sum (once giving a negative figure).
 */
function postgresCpuSeconds(postmaster: number): number {
  const ticks = (stat: string[]) => Number(stat[13]) + Number(stat[14]);
  const reaped = (stat: string[]) => Number(stat[15]) + Number(stat[16]);
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      // Fields after the command name, which is in parentheses and may hold spaces.
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const stat = ['', '', ...text.slice(text.lastIndexOf(')') + 2).split(' ')];
      if (Number(pid) === postmaster) total += ticks(stat) + reaped(stat);
      else if (Number(stat[3]) === postmaster) total += ticks(stat);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total / 100; // clock ticks (USER_HZ) of 1/100 s on Linux
}

/**
 * The server's write-ahead log so far (records, bytes): what the writes cost PostgreSQL, counted
 * rather than timed, so two builds compare exactly on a noisy machine. The server is the
 * benchmark's own, so nothing else writes meanwhile but its background processes. (The same return
 * again, which changes no record, still logs its audit: at 100,000 people about 78,000 records, nearly
 * all for the index of the children each audit entry names.)
 */
async function walWritten(em: EntityManager): Promise<{ records: number; bytes: number }> {
  const [row] = await em.fork().getConnection().execute<Array<{ records: string; bytes: string }>>('SELECT wal_records::text AS records, wal_bytes::text AS bytes FROM pg_stat_wal');
  return { records: Number(row.records), bytes: Number(row.bytes) };
}

const RUNS = [
  { key: 'new', name: 'all new', later: false },
  { key: 'again', name: 'same return again', later: false },
  { key: 'later', name: 'later return (a new review each)', later: true },
] as const;

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 5000);
  // Which runs, in their order (all three by default): `new` alone times an all-new import against another build's.
  const only = process.argv[3]?.split(',');
  const runs = RUNS.filter((r) => !only || only.includes(r.key));
  if (!runs.length) throw new Error(`runs are named ${RUNS.map((r) => r.key).join(', ')}`);
  const asOf = today();
  const scratch = await scratchDatabases('sen2-import-bench', [casework], null);
  try {
    const { logins } = scratch;
    const orm = await openDatabase({ url: logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations, poolMax: 2 });
    try {
      const first = sen2Return(n, asOf, false);
      const second = runs.some((r) => r.later) ? sen2Return(n, asOf, true) : first;
      console.log(`SEN2 import, ${n} people (${(first.xml.length / 1024 / 1024).toFixed(1)} MB), case extract of ${first.extract.split('\n').length - 2} rows, empty casework database:`);
      const [{ pid }] = await orm.em.fork().getConnection().execute<Array<{ pid: number }>>('SELECT pg_backend_pid() AS pid');
      const postmaster = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      console.log(`  ${''.padEnd(34)} ${'result'.padEnd(52)} ${'wall'.padStart(6)} ${'people/s'.padStart(8)}  CPU s per 1,000 people: node + postgres = total   peak RSS growth during the import`);
      for (const { name, later } of runs) {
        const ret = later ? second : first;
        const t = performance.now();
        const cpu = process.cpuUsage();
        const pg = postgresCpuSeconds(postmaster);
        const walBefore = await walWritten(orm.em);
        // The import's own memory: resident size sampled while it runs, above what the benchmark held before
        // (the generated returns, held as strings here, are not the import's: it streams a file).
        const rssBefore = process.memoryUsage().rss;
        let rssPeak = rssBefore;
        const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 25);
        const result = await importSen2({
          open: () => chunksOf(ret.xml, 256 * 1024), size: ret.xml.length, caseExtract: ret.extract, user: 'bench', today: asOf,
          database: async () => ({ em: orm.em.fork() as EntityManager, linkKeySecret: 'bench-secret' }),
        });
        const s = (performance.now() - t) / 1000;
        clearInterval(sampler);
        const used = process.cpuUsage(cpu);
        const nodeCpu = (used.user + used.system) / 1e6;
        const pgCpu = postgresCpuSeconds(postmaster) - pg;
        const wal = await walWritten(orm.em);
        const per = (x: number) => ((x * 1000) / n).toFixed(2);
        const outcome = `${result.status} created ${result.created} updated ${result.updated} problems ${result.problems.length}`;
        console.log(`  ${name.padEnd(34)} ${outcome.padEnd(52)} ${`${s.toFixed(1)} s`.padStart(6)} ${String(Math.round(n / s)).padStart(8)}  ${per(nodeCpu)} + ${per(pgCpu)} = ${per(nodeCpu + pgCpu)}   +${((rssPeak - rssBefore) / 1024 / 1024).toFixed(0)} MB (${(rssBefore / 1024 / 1024).toFixed(0)} MB before)`);
        console.log(`  ${''.padEnd(34)} PostgreSQL's write-ahead log: ${(wal.records - walBefore.records).toLocaleString('en-GB')} records, ${((wal.bytes - walBefore.bytes) / 1024 / 1024).toFixed(0)} MB`);
        if (result.problems.length) console.log(result.report.slice(0, 5).join('\n'));
      }
      const [counts] = await orm.em.fork().getConnection().execute(`SELECT (SELECT count(*) FROM child)::int AS children, (SELECT count(*) FROM ehcna_request)::int AS requests,
        (SELECT count(*) FROM ehc_plan)::int AS plans, (SELECT count(*) FROM plan_placement)::int AS placements, (SELECT count(*) FROM plan_sen_need)::int AS needs,
        (SELECT count(*) FROM annual_review)::int AS reviews, (SELECT count(*) FROM worker_allocation)::int AS allocations, (SELECT count(*) FROM audit_event)::int AS audited,
        (SELECT count(*) FROM casework_child_measure_month)::int AS facts, (SELECT sum(num)::int FROM casework_measure_month) AS fact_total`);
      console.log(`rows: ${JSON.stringify(counts)}`);
      // A digest of what was written, ids aside, to compare one implementation's result with another's.
      const [digest] = await orm.em.fork().getConnection().execute(`SELECT md5(string_agg(line, '|' ORDER BY line)) AS digest FROM (
        SELECT concat_ws(',', c.surname, c.forename, c.birth_date, c.sex, c.upn, c.uln, c.nhs_number, c.link_key, c.district, c.primary_need, t.name,
          r.received_date, r.source, r.outcome, r.outcome_date, a.outcome, a.outcome_date, a.week20exception, e.issue_date, e.personal_budget,
          (SELECT string_agg(concat_ws(':', pl.rank, pl.urn), ';' ORDER BY pl.rank) FROM plan_placement pl WHERE pl.plan_id = e.id),
          (SELECT string_agg(concat_ws(':', n.rank, n.sen_type), ';' ORDER BY n.rank) FROM plan_sen_need n WHERE n.plan_id = e.id),
          (SELECT string_agg(concat_ws(':', v.due_date, v.meeting_date, v.outcome, v.decision_date), ';' ORDER BY v.meeting_date) FROM annual_review v WHERE v.plan_id = e.id),
          (SELECT string_agg(concat_ws(':', w.start_date, w.end_date, cw.name, w.decided_by, w.reason, w.next_review_date), ';' ORDER BY w.start_date, cw.name)
             FROM worker_allocation w LEFT JOIN caseworker cw ON cw.id = w.caseworker_id WHERE w.child_id = c.id)) AS line
        FROM child c LEFT JOIN team t ON t.id = c.team_id LEFT JOIN ehcna_request r ON r.child_id = c.id
          LEFT JOIN ehc_needs_assessment a ON a.request_id = r.id LEFT JOIN ehc_plan e ON e.assessment_id = a.id) x`);
      console.log(`digest of the rows written: ${(digest as { digest: string }).digest}`);
    } finally {
      await orm.close(true);
    }
  } finally {
    await scratch.stop();
  }
}

if (require.main === module) runScript(main);
