import type { EntityManager } from '@mikro-orm/postgresql';
import { casework } from '../../subgraphs/casework';
import { health } from '../../subgraphs/health';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { linkKeyFor, nhsCheckDigit } from '../../subgraphs/toolkit/link-key';
import { createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';

/**
 * What the seeds load: every child's NHS number valid under modulus 11 and
 * unique, and every health record's link key one of the children's, whether the
 * area is drawn as one block (every scale up to 20) or in several (national scale,
 * here made small by a small block size so the test stays quick).
 */

const TODAY = '2026-11-22';
const valid = (nhs: string) => /^\d{10}$/.test(nhs) && nhsCheckDigit(nhs.slice(0, 9)) === Number(nhs[9]);

describe.each([
  ['one block', 0.05, undefined],
  ['three blocks', 0.06, 0.02],
])('a seeded area drawn as %s', (_name, scale, blockScale) => {
  let dbs: TestDatabases;
  const orms: Orm[] = [];
  let caseworkDb: Orm;
  let healthDb: Orm;
  const rows = async (orm: Orm, sql: string) => (orm.em.fork() as EntityManager).getConnection().execute(sql);

  beforeAll(async () => {
    dbs = await createTestDatabases([casework, health], { linkKeySecret: TEST_LINK_KEY_SECRET, scale, today: TODAY, log: () => undefined, blockScale });
    caseworkDb = await openDatabase({ url: dbs.logins.casework.ownerUrl, entities: casework.entities, migrations: casework.migrations, poolMax: 1 });
    healthDb = await openDatabase({ url: dbs.logins.health.ownerUrl, entities: health.entities, migrations: health.migrations, poolMax: 1 });
    orms.push(caseworkDb, healthDb);
  }, 240_000);
  afterAll(async () => {
    for (const orm of orms) await orm.close(true);
    await dbs?.drop();
  });

  it('gives every child a valid NHS number, none shared, and a UPN of its own', async () => {
    const children = (await rows(caseworkDb, 'SELECT nhs_number, upn FROM child')) as Array<{ nhs_number: string; upn: string }>;
    expect(children.length).toBeGreaterThan(7500 * scale);
    expect(children.filter((c) => !valid(c.nhs_number)).map((c) => c.nhs_number)).toEqual([]);
    expect(new Set(children.map((c) => c.nhs_number)).size).toBe(children.length);
    expect(new Set(children.map((c) => c.upn)).size).toBe(children.length);
  });

  it('gives health records only link keys of the council\'s children, so the two sides meet', async () => {
    const keys = new Set(((await rows(caseworkDb, 'SELECT nhs_number FROM child')) as Array<{ nhs_number: string }>).map((c) => linkKeyFor(c.nhs_number, TEST_LINK_KEY_SECRET)));
    const healthKeys = (await rows(healthDb, 'SELECT link_key FROM referral UNION SELECT link_key FROM health_advice_request')) as Array<{ link_key: string }>;
    expect(healthKeys.length).toBeGreaterThan(100);
    expect(healthKeys.filter((r) => !keys.has(r.link_key))).toEqual([]);
  });
});
