import { MikroORM, type Constructor, type EntitySchema } from '@mikro-orm/core';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { WriteRecorder } from '../write';

export interface MigrationEntry {
  name: string;
  class: Constructor<Migration>;
}

export interface DatabaseOptions {
  /** postgres:// URL of the subgraph's own database, with the login to use. */
  url: string;
  entities: Array<Constructor<unknown> | EntitySchema>;
  migrations: MigrationEntry[];
  /** Called with each SQL statement sent; tests count statements with it. */
  onQuery?: (sql: string) => void;
  poolMax?: number;
  /**
   * A role to act as on every connection (SET ROLE), so a tool connecting with an
   * administrator's login still has only the subgraph runtime login's privileges.
   */
  actAs?: string;
}

export type Orm = MikroORM<PostgreSqlDriver>;

/** Opens a MikroORM connection to one subgraph's database. */
export async function openDatabase(options: DatabaseOptions): Promise<Orm> {
  return MikroORM.init<PostgreSqlDriver>({
    driver: PostgreSqlDriver,
    clientUrl: options.url,
    entities: options.entities,
    extensions: [Migrator],
    // Audit entries for writes come from what each flush wrote (toolkit/write.ts).
    subscribers: [new WriteRecorder()],
    // Explicit lists rather than globs, so the same code runs from ts (tests) and js (dist).
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    migrations: {
      migrationsList: options.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      disableForeignKeys: false,
    },
    // Every unit of work must run in a request-scoped fork, never on shared state.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    colors: false,
    debug: options.onQuery ? ['query'] : false,
    logger: (message: string) => {
      if (!options.onQuery) return;
      const m = /^\[query\] (.*?)(?: \[took \d+ ms.*)?$/s.exec(message);
      if (m) options.onQuery(m[1]);
    },
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      ...(options.actAs
        ? {
            afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
              conn.query(`SET ROLE "${options.actAs!.replace(/"/g, '""')}"`, (err) => done(err, conn));
            },
          }
        : {}),
    },
  });
}

/** Applies pending migrations; each runs in a transaction and all or none apply. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
