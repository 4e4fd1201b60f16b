import type { EntityManager } from '@mikro-orm/postgresql';
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
          // Peak memory of this process so far (the synthetic history is held in it), to size larger scales by.
          options.log(`${definition.name}: synthetic data at scale ${options.seed.scale} loaded in ${((performance.now() - started) / 1000).toFixed(1)} s; peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
        }
      }
    } finally {
      await orm.close(true);
    }
  }
  return logins;
}
