import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { caseworkCatalogue } from '../../subgraphs/casework/measures/catalogue';
import { health } from '../../subgraphs/health';
import { healthCatalogue } from '../../subgraphs/health/measures/catalogue';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { FigureCache, figureCacheFor } from '../../subgraphs/toolkit/measures/figure-cache';
import { Interval } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries, type MeasureCatalogue } from '../../subgraphs/toolkit/measures/series';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, type TestDatabases } from '../support/databases';
import { postGraphQL } from '../support/stack';
import { C1, C2, C3, C4, loadKnownCasework } from './fixtures';

/**
 * The figure cache (toolkit/measures/figure-cache.ts) is never stale: figures are
 * filed under the data version, which every write to the tables the measures read
 * bumps in its own transaction, as it commits. Real PostgreSQL, writes racing
 * reads.
 */
describe('the measure figure cache', () => {
  let dbs: TestDatabases;
  let issuer: TestIssuer;
  let subgraph: RunningSubgraph;
  let orm: Orm;
  let owner: pg.Client;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework, health]);
    await loadKnownCasework(dbs.logins.casework.ownerUrl);
    issuer = await createTestIssuer();
    subgraph = await startSubgraph(casework, { port: 0, host: '127.0.0.1', databaseUrl: dbs.logins.casework.appUrl, auth: issuer.config });
    orm = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
    owner = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await orm?.close(true);
    await subgraph?.stop();
    await dbs?.drop();
  });

  const em = () => orm.em.fork() as EntityManager;
  const version = async (client: pg.Client = owner, table = 'casework_data_version') => Number((await client.query(`SELECT version FROM ${table}`)).rows[0].version);
  const requestsIn = async (from: string, to: string) =>
    (await measureSeries(em(), caseworkCatalogue, { codes: ['EHCNA_REQUESTS'], from, to, interval: Interval.MONTH }))[0].points.map((p) => p.value);
  const addRequest = (client: pg.Client, child: string, date: string) =>
    client.query(`INSERT INTO ehcna_request (child_id, received_date, source, outcome) VALUES ($1, $2, 'PARENT', 'P')`, [child, date]);

  it('reuses a figure while nothing is written, and counts it', async () => {
    const cache = figureCacheFor(em(), caseworkCatalogue);
    const codes = ['EHCNA_REQUESTS', 'PLANS_ACTIVE', 'EHC_20WK_EXCL'];
    const read = () => measureSeries(em(), caseworkCatalogue, { codes, from: '2024-01-01', to: '2024-06-30', interval: Interval.MONTH });
    const first = await read();
    const { hits, misses } = cache;
    const second = await read();
    expect(second).toEqual(first);
    expect({ hits: cache.hits - hits, misses: cache.misses - misses }).toEqual({ hits: 3 * 6, misses: 0 });
    // A shorter range inside it and another filter: the months already held are reused, the filter is not.
    await measureSeries(em(), caseworkCatalogue, { codes: ['PLANS_ACTIVE'], from: '2024-03-01', to: '2024-04-30', interval: Interval.MONTH });
    expect(cache.hits - hits).toBe(3 * 6 + 2);
    await measureSeries(em(), caseworkCatalogue, { codes: ['PLANS_ACTIVE'], from: '2024-03-01', to: '2024-04-30', interval: Interval.MONTH, bindings: { district: 'Ashfield' } });
    expect(cache.misses - misses).toBe(2);
  });

  it('bumps the version as a write commits, in its transaction: not before, not on rollback, not for tables no measure reads', async () => {
    const other = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
    await other.connect();
    try {
      const v0 = await version();
      await other.query('BEGIN');
      await addRequest(other, C1, '2025-03-03');
      await addRequest(other, C2, '2025-03-04');
      expect(await version()).toBe(v0);
      await other.query('COMMIT');
      // Two statements, one transaction: one more.
      expect(await version()).toBe(v0 + 1);

      await other.query('BEGIN');
      await addRequest(other, C3, '2025-03-05');
      await other.query('ROLLBACK');
      expect(await version()).toBe(v0 + 1);

      // A savepoint rolled back takes its note with it; the write after it still bumps.
      await other.query('BEGIN');
      await other.query('SAVEPOINT s');
      await addRequest(other, C3, '2025-03-06');
      await other.query('ROLLBACK TO SAVEPOINT s');
      await addRequest(other, C4, '2025-03-07');
      await other.query('COMMIT');
      expect(await version()).toBe(v0 + 2);

      await other.query(`UPDATE team SET name = name`);
      expect(await version()).toBe(v0 + 2);
    } finally {
      await other.end();
    }
  });

  it('under concurrent writes and reads, no read that began after a commit returns the figure from before it', async () => {
    const month = ['2025-09-01', '2025-09-30'] as const;
    const [base] = await requestsIn(...month);
    const writers = await Promise.all(Array.from({ length: 4 }, async () => {
      const c = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
      await c.connect();
      return c;
    }));
    const cache = figureCacheFor(em(), caseworkCatalogue);
    const hitsBefore = cache.hits;
    let committed = 0;
    let writing = true;
    const stale: Array<{ committedBefore: number; seen: number }> = [];
    let reads = 0;
    try {
      const children = [C1, C2, C3, C4];
      const write = writers.map(async (c, w) => {
        for (let k = 0; k < 12; k++) {
          await c.query('BEGIN');
          await addRequest(c, children[w], `2025-09-${String(k + 2).padStart(2, '0')}`);
          await c.query('COMMIT');
          committed++;
          // Let reads run at the same version for a while, so the cache is used.
          await new Promise((r) => setTimeout(r, 15));
        }
      });
      const read = Array.from({ length: 4 }, async () => {
        while (writing) {
          const committedBefore = committed;
          const [seen] = await requestsIn(...month);
          reads++;
          if (seen! < base! + committedBefore) stale.push({ committedBefore, seen: seen! });
        }
      });
      await Promise.all(write);
      writing = false;
      await Promise.all(read);
    } finally {
      await Promise.all(writers.map((c) => c.end()));
    }
    expect(stale).toEqual([]);
    expect(reads).toBeGreaterThan(48);
    // The race went through the cache, not around it.
    expect(cache.hits - hitsBefore).toBeGreaterThan(0);
    expect(await requestsIn(...month)).toEqual([base! + 48]);
  });

  it('never gives one role the figure another role is shown: suppression is applied per caller after the cache', async () => {
    const query = `query($codes: [ID!]!) { caseworkMeasures(codes: $codes, from: "2014-01-01", to: "2026-10-31", interval: YEAR) { code points { periodStart value numerator suppressed } } }`;
    const as = async (role: 'la_caseworker' | 'icb_analyst') => {
      const res = await postGraphQL<{ caseworkMeasures: Array<{ points: Array<{ value: number | null; numerator: number | null; suppressed: boolean }> }> }>(subgraph.url, query, { codes: ['EHCNA_REQUESTS'] }, await issuer.as(role));
      expect(res.errors).toBeUndefined();
      return res.data!.caseworkMeasures[0].points;
    };
    const cache = figureCacheFor(subgraph.orm.em as EntityManager, caseworkCatalogue);
    const exact = await as('la_caseworker');
    const small = exact.filter((p) => p.value !== null && p.value >= 1 && p.value <= 7);
    expect(small.length).toBeGreaterThan(0);
    const hits = cache.hits;
    const suppressed = await as('icb_analyst');
    // Same figures from the cache, shown as the analyst may see them.
    expect(cache.hits - hits).toBe(exact.length);
    exact.forEach((p, i) => {
      if (p.value !== null && p.value >= 1 && p.value <= 7) expect(suppressed[i]).toMatchObject({ value: null, numerator: null, suppressed: true });
      else expect(suppressed[i].suppressed).toBe(false);
    });
    // And the other way round: the suppressed view cached nothing the caseworker then gets.
    expect(await as('la_caseworker')).toEqual(exact);
    expect(await as('icb_analyst')).toEqual(suppressed);
  });

  it('is bounded: the least recently used figure goes first, and a late older figure never replaces a newer one', () => {
    const cache = new FigureCache(3);
    const entry = (version: string, numerator: number) => ({ version, numerator, denominator: null });
    for (const k of ['a', 'b', 'c']) cache.set(k, entry('e:1', 1));
    expect(cache.get('a', 'e:1')).toBeDefined();
    cache.set('d', entry('e:1', 1));
    cache.set('e', entry('e:1', 1));
    expect(cache.size).toBe(3);
    expect([cache.get('b', 'e:1'), cache.get('c', 'e:1')]).toEqual([undefined, undefined]);
    expect(cache.get('a', 'e:1')).toBeDefined();
    cache.set('a', entry('e:5', 5));
    cache.set('a', entry('e:4', 4));
    expect(cache.get('a', 'e:5')?.numerator).toBe(5);
    expect(cache.get('a', 'e:4')).toBeUndefined();
  });

  it('every table a measure reads, casework and health, bumps its data version', async () => {
    const check = async (url: string, catalogue: MeasureCatalogue) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const sql = catalogue.definitions.map((d) => d.sql).join('\n');
        // The functions a measure calls read tables too: their bodies count as its SQL.
        const called = [...sql.matchAll(/\b([a-z_][a-z0-9_]*)\s*\(/g)].map((m) => m[1]);
        const bodies = (await c.query(`SELECT prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.proname = ANY($1)`, [called])).rows.map((r) => r.prosrc as string);
        const named = [...`${sql}\n${bodies.join('\n')}`.matchAll(/\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]);
        const { rows } = await c.query(
          `SELECT c.relname AS table, EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid WHERE t.tgrelid = c.oid AND f.proname = $2) AS bumps
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname = ANY($1) ORDER BY 1`,
          [named, `${catalogue.dataVersionTable}_note`],
        );
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((r) => !r.bumps)).toEqual([]);
        return rows.map((r) => r.table as string);
      } finally {
        await c.end();
      }
    };
    expect(await check(dbs.logins.casework.ownerUrl, caseworkCatalogue)).toEqual(['casework_measure_month', 'casework_measure_month_area']);
    expect(await check(dbs.logins.health.ownerUrl, healthCatalogue)).toEqual(
      ['health_advice_month', 'health_first_contact_distribution', 'health_month_end', 'health_month_end_service', 'health_space_month'],
    );
    const h = new pg.Client({ connectionString: dbs.logins.health.ownerUrl });
    await h.connect();
    try {
      const v0 = await version(h, 'health_data_version');
      await h.query(`INSERT INTO health_advice_month (month, returned, returned_within_6_weeks) VALUES ('2025-01-01', 3, 2)`);
      expect(await version(h, 'health_data_version')).toBe(v0 + 1);
    } finally {
      await h.end();
    }
  });
});
