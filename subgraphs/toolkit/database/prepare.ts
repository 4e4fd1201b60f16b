import type { EntityManager } from '@mikro-orm/postgresql';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { migrate, openDatabase } from '.';
import type { SeedOptions, SubgraphDefinition } from '../subgraph';
import { grantRuntimePrivileges, migrateWithSealedTrail, provisionDatabases, sealAuditTrail, type SubgraphDatabaseLogins } from './provision';

export interface PrepareOptions {
  adminUrl: string;
  prefix: string;
  subgraphs: readonly SubgraphDefinition[];
  /** Seed options, or null to leave empty databases empty. */
  seed: SeedOptions | null;
  log: (line: string) => void;
}

/**
 * Makes every subgraph's database ready to serve: provisioned with its own logins,
 * migrated by its owner login, runtime privileges granted, the audit trail handed
 * to its own role, and, when asked and the database is still empty, loaded with
 * synthetic data.
 */
export async function prepareDatabases(options: PrepareOptions): Promise<Record<string, SubgraphDatabaseLogins>> {
  const logins = await provisionDatabases(options.adminUrl, options.prefix, options.subgraphs.map((s) => s.name));
  let seeded = 0;
  let seedingSeconds = 0;
  for (const definition of options.subgraphs) {
    const login = logins[definition.name];
    const orm = await openDatabase({ url: login.ownerUrl, entities: definition.entities, migrations: definition.migrations, poolMax: 2 });
    try {
      const applied = await migrateWithSealedTrail(options.adminUrl, login.database, () => migrate(orm));
      if (applied.length) options.log(`${definition.name}: applied ${applied.length} migration(s): ${applied.join(', ')}`);
      await grantRuntimePrivileges(login.ownerUrl, login.database, definition.appendOnlyTables);
      await sealAuditTrail(options.adminUrl, login.database);
      if (options.seed && definition.seed) {
        const em = orm.em.fork() as EntityManager;
        if (await definition.isEmpty(em)) {
          options.log(`${definition.name}: loading synthetic data...`);
          const started = performance.now();
          await definition.seed(em, options.seed);
          const seconds = (performance.now() - started) / 1000;
          seeded++;
          seedingSeconds += seconds;
          // Peak resident memory of this process so far (the operating system's accounting), to size larger scales by.
          options.log(`${definition.name}: synthetic data at scale ${options.seed.scale} loaded in ${seconds.toFixed(1)} s; peak memory ${peakMemoryMb()} MB`);
        }
      }
    } finally {
      await orm.close(true);
    }
  }
  if (seeded > 1 && options.seed) options.log(`synthetic data at scale ${options.seed.scale} loaded in ${seedingSeconds.toFixed(1)} s in all; peak memory ${peakMemoryMb()} MB`);
  return logins;
}

/** Peak resident memory of this process in MB: VmHWM from /proc, else the resource usage's. */
export function peakMemoryMb(): number {
  let mb = Math.round(process.resourceUsage().maxRSS / 1024);
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) mb = Math.round(Number(hwm[1]) / 1024);
  } catch {
    // Not Linux: the resource usage's figure (the peak since the process started).
  }
  return mb;
}
