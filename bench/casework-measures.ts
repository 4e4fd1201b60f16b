/**
 * Benchmark: the casework measures at 10 times Nottinghamshire's volume.
 *   npx tsc -p . ; node dist/bench/casework-measures.js [scale]
 * or, each code at two or more scales side by side with the ratio (support/by-scale.ts):
 *   BENCH_SCALES=1,30 node dist/bench/casework-measures.js
 * With BENCH_DATA_DIR=/some/dir each scale's PostgreSQL is kept in /some/dir-scaleN
 * and reused by the next run (seeded once; the seed's "today" is the first run's).
 * Starts its own embedded PostgreSQL in a temp directory on a free port, seeds the
 * casework database at scale 10, times caseworkMeasures for every code monthly from
 * 2019-01-01 to today (one SQL statement per call), then what keeping the monthly
 * figures in step costs a write (measures/facts.ts), prints the figures, stops.
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';
import { openDatabase } from '../subgraphs/toolkit/database';
import { Interval } from '../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../subgraphs/toolkit/measures/series';
import { casework } from '../subgraphs/casework/index';
import { caseworkCatalogue } from '../subgraphs/casework/measures/catalogue';
import { today } from '../subgraphs/toolkit/dates';
import { runScript } from './script';
import { benchScales, postgresCpuMs, timeByScale } from './support/by-scale';

/** Seeds casework at each scale (a PostgreSQL each) and times every code at all of them, interleaved. */
async function byScale(scales: number[]): Promise<void> {
  const asOf = today();
  const opened: Array<{ stop(): Promise<void> }> = [];
  try {
    const ems: Array<() => EntityManager> = [];
    const servers: Array<() => number | null> = [];
    for (const scale of scales) {
      const t = performance.now();
      const keepIn = process.env.BENCH_DATA_DIR ? `${process.env.BENCH_DATA_DIR}-scale${scale}` : undefined;
      const scratch = await scratchDatabases('casework-bench', [casework], { linkKeySecret: 'bench-secret', scale, today: asOf, log: (l) => console.log(`  ${l}`) }, (l) => console.log(`  ${l}`), keepIn);
      opened.push(scratch);
      servers.push(scratch.serverPid);
      const orm = await openDatabase({ url: scratch.logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
      opened.push({ stop: () => orm.close(true) });
      ems.push(() => orm.em.fork() as EntityManager);
      const sizes = (await ems[ems.length - 1]().getConnection().execute(`SELECT (SELECT count(*) FROM child)::int AS children, (SELECT count(*) FROM ehcna_request)::int AS requests, (SELECT count(*) FROM ehc_plan)::int AS plans`))[0];
      console.log(`scale ${scale}: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s; ${sizes.children} children, ${sizes.requests} requests, ${sizes.plans} EHC plans`);
    }
    const codes = caseworkCatalogue.definitions.map((d) => d.code);
    // Timed: the computation itself, not the figure cache (a repeated series would be a cache hit).
    await timeByScale(
      scales,
      codes,
      11,
      (s, code) => measureSeries(ems[s](), caseworkCatalogue.uncached(), { codes: [code], from: '2019-01-01', to: asOf, interval: Interval.MONTH }),
      (s) => postgresCpuMs(servers[s]()),
    );
  } finally {
    for (const o of opened.reverse()) await o.stop();
  }
}

async function main(): Promise<void> {
  const scales = benchScales();
  if (scales.length) return byScale(scales);
  const scale = Number(process.argv[2] ?? 10);
  const asOf = today();
  let t = performance.now();
  const scratch = await scratchDatabases('casework-bench', [casework], { linkKeySecret: 'bench-secret', scale, today: asOf, log: (l) => console.log(`  ${l}`) }, (l) => console.log(`  ${l}`));
  try {
    const { logins } = scratch;
    console.log(`seeded casework at scale ${scale} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const orm = await openDatabase({ url: logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
    try {
      const em = () => orm.em.fork() as EntityManager;
      const sizes = await em().getConnection().execute(`SELECT (SELECT count(*) FROM child)::int AS children, (SELECT count(*) FROM ehcna_request)::int AS requests,
        (SELECT count(*) FROM ehc_plan)::int AS plans, (SELECT count(*) FROM annual_review)::int AS reviews, (SELECT count(*) FROM worker_allocation)::int AS allocations`);
      console.log('rows:', JSON.stringify(sizes[0]));
      // As the owner: the runtime login may not ANALYZE the tables (it would skip them with a warning).
      const analyze = async () => {
        const owner = new pg.Client({ connectionString: logins.casework.ownerUrl });
        await owner.connect();
        await owner.query('ANALYZE');
        await owner.end();
      };
      await analyze();
      const codes = caseworkCatalogue.definitions.map((d) => d.code);
      // Timed: the computation itself, so not through the figure cache.
      const computed = caseworkCatalogue.uncached();
      const cases: Array<[string, Record<string, unknown>, string[]]> = [
        ['all codes, whole area', {}, codes],
        ['all codes, district = Mansfield', { district: 'Mansfield' }, codes],
        ['all codes, primary need = ASD', { primary_need: 'ASD' }, codes],
        ...codes.map((c) => [`${c} alone`, {}, [c]] as [string, Record<string, unknown>, string[]]),
      ];
      console.log(`\ncaseworkMeasures monthly 2019-01-01..${asOf} (${codes.length} codes), 5 timed runs after 1 warm-up:`);
      for (const [name, bindings, list] of cases) {
        const times: number[] = [];
        let points = 0;
        for (let i = 0; i < 6; i++) {
          t = performance.now();
          const series = await measureSeries(em(), computed, { codes: list, from: '2019-01-01', to: asOf, interval: Interval.MONTH, bindings });
          if (i > 0) times.push(performance.now() - t);
          points = series.reduce((n, s) => n + s.points.length, 0);
        }
        times.sort((a, b) => a - b);
        console.log(`  ${name.padEnd(40)} ${points} points  median ${times[2].toFixed(0)} ms  (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)})`);
      }

      // What the maintained figures cost the writes (measures/facts.ts).
      // One connection (a pool would spread BEGIN and the write over two).
      const conn = new pg.Client({ connectionString: logins.casework.appUrl });
      await conn.connect();
      const q = async <R>(sql: string, params: unknown[] = []) => (await conn.query(sql, params)).rows as R;
      t = performance.now();
      await q('SELECT casework_rebuild_measure_facts()');
      console.log(`\nmeasure figures: full rebuild (the seed's, once) ${(performance.now() - t).toFixed(0)} ms`);
      await analyze();
      const sample = (await q<Array<{ id: string; child_id: string }>>(
        `SELECT v.id, e.child_id FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id WHERE v.decision_date IS NOT NULL ORDER BY v.id LIMIT 41`,
      )).slice(1);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      // A write and its commit (the figures are refreshed at commit); the update changes nothing, so it may commit.
      const timeEach = async (sql: string, param: (r: { id: string; child_id: string }) => unknown, deferred: boolean) => {
        const times: number[] = [];
        for (const r of sample) {
          t = performance.now();
          await q('BEGIN');
          if (deferred) await q(`SET LOCAL casework.defer_measure_facts = 'on'`);
          await q(sql, [param(r)]);
          await q('COMMIT');
          times.push(performance.now() - t);
        }
        return median(times);
      };
      const update = 'UPDATE annual_review SET decision_date = decision_date WHERE id = $1';
      const plain = await timeEach(update, (r) => r.id, true);
      const kept = await timeEach(update, (r) => r.id, false);
      const one = await timeEach('SELECT casework_refresh_measure_facts(ARRAY[$1::uuid])', (r) => r.child_id, false);
      console.log(`  one-row write and commit (an annual review), median of ${sample.length}: ${plain.toFixed(1)} ms without the figures kept, ${kept.toFixed(1)} ms with; one child's refresh alone ${one.toFixed(1)} ms`);
      const many = (await q<Array<{ ids: string[] }>>('SELECT array_agg(id) AS ids FROM (SELECT id FROM child ORDER BY id LIMIT 1000) c'))[0].ids;
      t = performance.now();
      await q('SELECT casework_refresh_measure_facts($1::uuid[])', [many]);
      console.log(`  one statement touching 1,000 children: refresh ${(performance.now() - t).toFixed(0)} ms`);
      await conn.end();
    } finally {
      await orm.close(true);
    }
  } finally {
    await scratch.stop();
  }
}

if (require.main === module) runScript(main);
