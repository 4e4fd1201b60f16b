/**
 * Backtest of the EHC pipeline forecast on the synthetic history.
 *   npm run bench:forecast            (scale 1)
 *   npx tsc -p . ; node dist/bench/forecast-backtest.js [scale]
 * Starts its own embedded PostgreSQL, seeds casework at the scale given (today's
 * date), then at each quarter end of 2023-2025 makes the forecast as at that day
 * (the SQL sees only records dated up to it) and compares with what happened:
 * EHC_20WK_EXCL of the next quarter, and of the calendar year then running (the
 * year after a December forecast; left out where that year is not over). The
 * naive baseline is the quarter just ended, for both. Prints each forecast, the
 * mean absolute errors, how many actuals fell inside the range, then what the
 * forecast query costs (median of 5 after a warm-up).
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { casework } from '../subgraphs/casework/index';
import { caseworkCatalogue } from '../subgraphs/casework/measures/catalogue';
import { pipelineForecast } from '../subgraphs/casework/measures/forecast';
import { openDatabase } from '../subgraphs/toolkit/database';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';
import { addDays, today } from '../subgraphs/toolkit/dates';
import { Interval } from '../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../subgraphs/toolkit/measures/series';
import { runScript } from './script';

const QUARTER_ENDS = [2023, 2024, 2025].flatMap((y) => ['03-31', '06-30', '09-30', '12-31'].map((md) => `${y}-${md}`));

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '   -  ' : v.toFixed(1).padStart(6));

async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 1);
  const asOfToday = today();
  let t = performance.now();
  const scratch = await scratchDatabases('forecast-bench', [casework], { linkKeySecret: 'bench-secret', scale, today: asOfToday, log: () => undefined }, () => undefined);
  try {
    const { logins } = scratch;
    console.log(`seeded casework at scale ${scale} (today ${asOfToday}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const owner = new pg.Client({ connectionString: logins.casework.ownerUrl });
    await owner.connect();
    await owner.query('ANALYZE');
    await owner.end();
    const orm = await openDatabase({ url: logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
    try {
      const em = () => orm.em.fork() as EntityManager;
      const actual = async (from: string, to: string, interval: Interval) => {
        const [s] = await measureSeries(em(), caseworkCatalogue, { codes: ['EHC_20WK_EXCL'], from, to, interval });
        return s.points[0].value;
      };
      console.log('\nforecast made at      next quarter: forecast [range]     actual  naive | year: forecast [range]        actual  naive');
      const quarterErr: number[] = [], quarterNaive: number[] = [], yearErr: number[] = [], yearNaive: number[] = [];
      let quarterIn = 0, quarterN = 0, yearIn = 0, yearN = 0;
      for (const asOf of QUARTER_ENDS) {
        const f = await pipelineForecast(em(), asOf, { district: null, primaryNeed: null });
        const naive = await actual(addDays(asOf, -1), asOf, Interval.QUARTER);
        const q = f.quarter.endDate <= asOfToday ? await actual(f.quarter.startDate, f.quarter.endDate, Interval.QUARTER) : null;
        const y = f.year.endDate <= asOfToday ? await actual(f.year.startDate, f.year.endDate, Interval.YEAR) : null;
        if (q !== null && f.quarter.percent !== null && naive !== null) {
          quarterErr.push(Math.abs(f.quarter.percent - q));
          quarterNaive.push(Math.abs(naive - q));
          quarterN++;
          if (q >= f.quarter.low! && q <= f.quarter.high!) quarterIn++;
        }
        if (y !== null && f.year.percent !== null && naive !== null) {
          yearErr.push(Math.abs(f.year.percent - y));
          yearNaive.push(Math.abs(naive - y));
          yearN++;
          if (y >= f.year.low! && y <= f.year.high!) yearIn++;
        }
        console.log(
          `  ${asOf}  ${f.quarter.startDate.slice(0, 7)}: ${fmt(f.quarter.percent)} [${fmt(f.quarter.low)},${fmt(f.quarter.high)}] ${fmt(q)} ${fmt(naive)} | ` +
            `${f.year.startDate.slice(0, 4)}: ${fmt(f.year.percent)} [${fmt(f.year.low)},${fmt(f.year.high)}] ${fmt(y)} ${fmt(naive)}`,
        );
      }
      console.log(`\nnext quarter (${quarterN} forecasts): MAE forecast ${mean(quarterErr).toFixed(1)} points, naive (last quarter) ${mean(quarterNaive).toFixed(1)}; actual inside the range ${quarterIn} of ${quarterN}`);
      console.log(`year in progress (${yearN} forecasts): MAE forecast ${mean(yearErr).toFixed(1)} points, naive (last quarter) ${mean(yearNaive).toFixed(1)}; actual inside the range ${yearIn} of ${yearN}`);

      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        t = performance.now();
        await pipelineForecast(em(), asOfToday, { district: null, primaryNeed: null });
        if (i > 0) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const sizes = await em().getConnection().execute(`SELECT (SELECT count(*) FROM ehcna_request)::int AS requests, (SELECT count(*) FROM ehc_plan)::int AS plans, (SELECT count(*) FROM annual_review)::int AS reviews`);
      console.log(`\nehcPipelineForecast as at ${asOfToday}, scale ${scale} (${JSON.stringify(sizes[0])}): median ${times[2].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)})`);
    } finally {
      await orm.close(true);
    }
  } finally {
    await scratch.stop();
  }
}

if (require.main === module) runScript(main);
