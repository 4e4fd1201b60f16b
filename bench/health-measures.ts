/**
 * Benchmark: every health measure, monthly from 2019 to today, at ten times
 * Nottinghamshire's volume (BENCH_SCALE=N for another). Run: npx tsc -p . ;
 * BENCH_SCALE=30 node dist/bench/health-measures.js
 * or, each code at two or more scales side by side with the ratio (support/by-scale.ts):
 * BENCH_SCALES=1,30 node dist/bench/health-measures.js
 * Starts its own PostgreSQL in a temporary directory and removes it afterwards.
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';
import { openDatabase } from '../subgraphs/toolkit/database';
import { Interval } from '../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../subgraphs/toolkit/measures/series';
import { health } from '../subgraphs/health/index';
import { Loaders } from '../subgraphs/toolkit/context';
import { WaitingListResolver } from '../subgraphs/health/resolvers/waiting-list.resolver';
import { healthCatalogue, HEALTH_MEASURE_CODES } from '../subgraphs/health/measures/catalogue';
import { refreshMonthEnds } from '../subgraphs/health/measures/month-ends';
import { today } from '../subgraphs/toolkit/dates';
import { runScript } from './script';
import { benchScales, timeByScale } from './support/by-scale';

const SCALE = Number(process.env.BENCH_SCALE || '10');
const RUNS = 5;

/** Seeds health at each scale (a PostgreSQL each) and times every code at all of them, interleaved. */
async function byScale(scales: number[]): Promise<void> {
  const asOf = today();
  const opened: Array<{ stop(): Promise<void> }> = [];
  try {
    const ems: Array<() => EntityManager> = [];
    for (const scale of scales) {
      const t = performance.now();
      const scratch = await scratchDatabases('health-bench', [health], { linkKeySecret: 'bench-secret', scale, today: asOf, log: (l) => console.log(`  ${l}`) }, (l) => console.log(`  ${l}`));
      opened.push(scratch);
      const orm = await openDatabase({ url: scratch.logins.health.appUrl, entities: health.entities, migrations: health.migrations });
      opened.push({ stop: () => orm.close(true) });
      ems.push(() => orm.em.fork() as EntityManager);
      const counts = (await ems[ems.length - 1]().getConnection().execute(`SELECT (SELECT count(*) FROM referral)::int AS referrals, (SELECT count(*) FROM health_advice_request)::int AS advice, (SELECT count(*) FROM space_enrolment)::int AS families`))[0];
      console.log(`scale ${scale}: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s; ${counts.referrals} referrals, ${counts.advice} health advice requests, ${counts.families} SPACE families`);
    }
    const request = { from: '2019-01-01', to: asOf, interval: Interval.MONTH };
    // Timed: the computation itself, not the figure cache (a repeated series would be a cache hit).
    await timeByScale(scales, HEALTH_MEASURE_CODES, 11, (s, code) => measureSeries(ems[s](), healthCatalogue.uncached(), { ...request, codes: [code] }));
  } finally {
    for (const o of opened.reverse()) await o.stop();
  }
}

async function main(): Promise<void> {
  const scales = benchScales();
  if (scales.length) return byScale(scales);
  const asOf = today();
  let t = performance.now();
  const scratch = await scratchDatabases('health-bench', [health], { linkKeySecret: 'bench-secret', scale: SCALE, today: asOf, log: (l) => console.log(l) }, (l) => console.log(l));
  try {
    const { logins } = scratch;
    console.log(`seeded at scale ${SCALE} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const orm = await openDatabase({ url: logins.health.appUrl, entities: health.entities, migrations: health.migrations });
    try {
      const em = () => orm.em.fork() as EntityManager;
      const counts = (await em().getConnection().execute(`SELECT (SELECT count(*) FROM referral)::int AS referrals, (SELECT count(*) FROM health_advice_request)::int AS advice,
        (SELECT count(*) FROM space_enrolment)::int AS families, (SELECT count(*) FROM space_attendance)::int AS attendance`))[0];
      console.log(`rows: ${counts.referrals} referrals, ${counts.advice} health advice requests, ${counts.families} SPACE families, ${counts.attendance} attendance records`);
      const request = { codes: HEALTH_MEASURE_CODES, from: '2019-01-01', to: asOf, interval: Interval.MONTH };
      // Timed: the computation itself, so not through the figure cache.
      const computed = healthCatalogue.uncached();
      const time = async (label: string, bindings: Record<string, unknown> = {}) => {
        const ms: number[] = [];
        let points = 0;
        for (let i = 0; i < RUNS + 1; i++) {
          t = performance.now();
          const series = await measureSeries(em(), computed, { ...request, bindings });
          if (i > 0) ms.push(performance.now() - t); // the first run warms the cache
          points = series.reduce((n, s) => n + s.points.length, 0);
        }
        ms.sort((a, b) => a - b);
        console.log(`${label}: ${HEALTH_MEASURE_CODES.length} codes x ${points / HEALTH_MEASURE_CODES.length} months = ${points} points; median ${ms[Math.floor(ms.length / 2)].toFixed(0)} ms, min ${ms[0].toFixed(0)} ms, max ${ms[ms.length - 1].toFixed(0)} ms over ${RUNS} runs`);
      };
      await time('healthMeasures, all pathways');
      await time('healthMeasures, pathway NEURODEVELOPMENTAL', { pathway: 'NEURODEVELOPMENTAL' });
      const context = { em: em(), caller: { userId: 'bench', roles: ['icb_analyst'], org: 'ICB' }, loaders: new Loaders(), requestId: 'bench' };
      t = performance.now();
      const list = await new WaitingListResolver().waitingList(asOf, null, context);
      console.log(`waitingList(asOf: today): ${list.total} waiting, bands ${list.bands.map((b) => `${b.label}: ${b.count}`).join(', ')}; ${(performance.now() - t).toFixed(0)} ms`);
      t = performance.now();
      await em().transactional((tx) => refreshMonthEnds(tx as EntityManager));
      console.log(`rebuilding the month-end figures (done in every referral import): ${(performance.now() - t).toFixed(0)} ms`);
      t = performance.now();
      await em().getConnection().execute('SELECT health_rebuild_measure_months()');
      console.log(`rebuilding the measures' month tables (done once by the seed, and on a TRUNCATE): ${(performance.now() - t).toFixed(0)} ms`);
      // Each code alone, monthly from 2019: the median of RUNS after a warm-up, the figure that must not grow with the volume.
      for (const code of HEALTH_MEASURE_CODES) {
        const ms: number[] = [];
        for (let i = 0; i < RUNS + 1; i++) {
          t = performance.now();
          await measureSeries(em(), computed, { ...request, codes: [code] });
          if (i > 0) ms.push(performance.now() - t);
        }
        ms.sort((a, b) => a - b);
        console.log(`  ${code}: median ${ms[Math.floor(ms.length / 2)].toFixed(1)} ms alone (min ${ms[0].toFixed(1)}, max ${ms[ms.length - 1].toFixed(1)})`);
      }
    } finally {
      await orm.close(true);
    }
  } finally {
    await scratch.stop();
  }
}

if (require.main === module) runScript(main);
