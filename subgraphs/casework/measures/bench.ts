/**
 * Benchmark: the casework measures at 10 times Nottinghamshire's volume.
 *   npx tsc -p . ; node dist/subgraphs/casework/measures/bench.js [scale]
 * Starts its own embedded PostgreSQL in a temp directory on a free port, seeds the
 * casework database at scale 10, times caseworkMeasures for every code monthly from
 * 2019-01-01 to today (one SQL statement per call), prints the figures, stops.
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmbeddedPostgres } from '../../../infra/postgres';
import { prepareDatabases } from '../../../infra/prepare';
import { openDatabase } from '../../toolkit/database';
import { Interval } from '../../toolkit/measures/periods';
import { measureSeries } from '../../toolkit/measures/series';
import { casework } from '../index';
import { caseworkCatalogue } from './catalogue';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 10);
  const today = new Date().toISOString().slice(0, 10);
  const dir = mkdtempSync(join(tmpdir(), 'casework-bench-'));
  const postgres = await startEmbeddedPostgres({ dir, port: await freePort(), password: 'bench-only' });
  try {
    let t = performance.now();
    const logins = await prepareDatabases({
      adminUrl: postgres.adminUrl,
      prefix: 'bench',
      subgraphs: [casework],
      seed: { linkKeySecret: 'bench-secret', scale, today, log: (l) => console.log(`  ${l}`) },
      log: (l) => console.log(`  ${l}`),
    });
    console.log(`seeded casework at scale ${scale} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const orm = await openDatabase({ url: logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
    try {
      const em = () => orm.em.fork() as EntityManager;
      const sizes = await em().getConnection().execute(`SELECT (SELECT count(*) FROM child)::int AS children, (SELECT count(*) FROM ehcna_request)::int AS requests,
        (SELECT count(*) FROM ehc_plan)::int AS plans, (SELECT count(*) FROM annual_review)::int AS reviews, (SELECT count(*) FROM worker_allocation)::int AS allocations`);
      console.log('rows:', JSON.stringify(sizes[0]));
      await em().getConnection().execute('ANALYZE');
      const codes = caseworkCatalogue.definitions.map((d) => d.code);
      const cases: Array<[string, Record<string, unknown>, string[]]> = [
        ['all codes, whole area', {}, codes],
        ['all codes, district = Mansfield', { district: 'Mansfield' }, codes],
        ['all codes, primary need = ASD', { primary_need: 'ASD' }, codes],
        ...codes.map((c) => [`${c} alone`, {}, [c]] as [string, Record<string, unknown>, string[]]),
      ];
      console.log(`\ncaseworkMeasures monthly 2019-01-01..${today} (${codes.length} codes), 5 timed runs after 1 warm-up:`);
      for (const [name, bindings, list] of cases) {
        const times: number[] = [];
        let points = 0;
        for (let i = 0; i < 6; i++) {
          t = performance.now();
          const series = await measureSeries(em(), caseworkCatalogue, { codes: list, from: '2019-01-01', to: today, interval: Interval.MONTH, bindings });
          if (i > 0) times.push(performance.now() - t);
          points = series.reduce((n, s) => n + s.points.length, 0);
        }
        times.sort((a, b) => a - b);
        console.log(`  ${name.padEnd(40)} ${points} points  median ${times[2].toFixed(0)} ms  (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)})`);
      }
    } finally {
      await orm.close(true);
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Only when run as a script: loading this module (a test, a type check) starts nothing.
if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
