/**
 * Benchmark: the referrals import's write pass on a large file.
 *   npx tsc -p . ; node dist/bench/health-import.js [referrals]
 * Starts its own embedded PostgreSQL in a temp directory on a free port, migrates
 * an empty health database, writes a CSV of N referrals (default 50,000), then
 * times three imports through the command: all new, the same file again (all
 * unchanged), and the file with every other row changed (half updated). Prints
 * the figures and the audit event count, stops.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';
import { openDatabase } from '../subgraphs/toolkit/database';
import { addDays, today } from '../subgraphs/toolkit/dates';
import { syntheticPopulation } from '../subgraphs/toolkit/synthetic/population';
import { health } from '../subgraphs/health/index';
import { main as importReferrals } from '../subgraphs/health/import/referrals-cli';
import { runScript } from './script';

const SERVICES: Array<[string, string]> = [['NN-CAMHS', 'CAMHS'], ['ND-NORTH', 'NEURODEVELOPMENTAL'], ['SALT', 'SALT'], ['OT', 'OT'], ['PHYSIO', 'PHYSIOTHERAPY']];

/** N referrals over 7,500 children; `changed` moves every other row's first contact. */
function referralsCsv(n: number, today: string, changed: boolean): string {
  const people = syntheticPopulation(7500, today);
  const lines = ['referral_id,nhs_number,service_code,pathway,urgency,received_date,first_contact_date,second_contact_date,discharge_date,discharge_reason'];
  for (let i = 0; i < n; i++) {
    const [code, pathway] = SERVICES[i % SERVICES.length];
    const received = addDays('2022-01-01', i % 1000);
    const first = i % 3 === 0 ? '' : addDays(received, 30 + (changed && i % 2 === 0 ? 7 : 0) + (i % 60));
    const discharge = first && i % 4 === 0 ? addDays(first, 90) : '';
    lines.push(`BENCH-${i},${people[i % people.length].nhsNumber},${code},${pathway},${i % 5 === 0 ? 'URGENT' : 'ROUTINE'},${received},${first},,${discharge},${discharge ? 'Treatment completed' : ''}`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 50_000);
  const asOf = today();
  const scratch = await scratchDatabases('health-import-bench', [health], null);
  try {
    const { logins, dir } = scratch;
    const io = {
      today: asOf,
      out: (l: string) => console.log(`  ${l.split('\n')[0].slice(0, 160)}`),
      err: () => undefined,
      open: async () => {
        const orm = await openDatabase({ url: logins.health.appUrl, entities: health.entities, migrations: health.migrations, poolMax: 2 });
        return { orm, config: { linkKeySecret: 'bench-secret' }, close: () => orm.close(true) };
      },
    };
    const fresh = join(dir, 'referrals.csv');
    const changed = join(dir, 'referrals-changed.csv');
    writeFileSync(fresh, referralsCsv(n, asOf, false));
    writeFileSync(changed, referralsCsv(n, asOf, true));
    console.log(`referrals import, ${n} rows (embedded PostgreSQL, empty health database):`);
    for (const [name, file] of [['all new', fresh], ['same file again (unchanged)', fresh], ['every other row changed', changed]] as const) {
      const t = performance.now();
      const code = await importReferrals([file, '--user', 'bench'], io);
      const s = (performance.now() - t) / 1000;
      console.log(`${name.padEnd(30)} exit ${code}  ${s.toFixed(1)} s  (${((s * 100_000) / n).toFixed(0)} s per 100k rows)`);
    }
    const orm = await openDatabase({ url: logins.health.appUrl, entities: health.entities, migrations: health.migrations, poolMax: 1 });
    const [counts] = await orm.em.fork().getConnection().execute(`SELECT (SELECT count(*) FROM referral)::int AS referrals, (SELECT count(*) FROM audit_event WHERE entity_type = 'Referral')::int AS audited`);
    console.log(`rows: ${JSON.stringify(counts)}`);
    await orm.close(true);
  } finally {
    await scratch.stop();
  }
}

if (require.main === module) runScript(main);
