import { casework } from '../../subgraphs/casework';
import { AnnualReview, Child, EhcNeedsAssessment, EhcnaRequest, EhcPlan, SenNeed } from '../../subgraphs/casework/entities';
import { Loaders, type SubgraphContext } from '../../subgraphs/toolkit/context';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { refId } from '../../subgraphs/toolkit/records';
import { plainRow, rowsWhereIn, textArray } from '../../subgraphs/toolkit/rows';
import { createTestDatabases, type TestDatabases } from '../support/databases';
import { loadKnownCasework } from '../casework/fixtures';

/** An entity's persisted values as a plain row gives them: a reference as its id. */
function asRow(entity: object, props: string[]): Record<string, unknown> {
  const e = entity as Record<string, unknown>;
  return Object.fromEntries(props.map((p) => [p, e[p] && typeof e[p] === 'object' ? refId(e[p]) : e[p] ?? null]));
}

describe('plain rows read the values hydrated entities hold', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  beforeAll(async () => {
    dbs = await createTestDatabases([casework]);
    await loadKnownCasework(dbs.logins.casework.ownerUrl);
    orm = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: [] });
  });
  afterAll(async () => {
    await orm?.close();
    await dbs?.drop();
  });
  const contextOf = (): SubgraphContext => ({ em: orm.em.fork(), caller: null, loaders: new Loaders(), requestId: 'test' });

  // The known fixture has no placements; the answers comparison (bench/hot-paths-answers.ts) reads those on a seeded stack.
  it.each([
    ['Child', Child, 'id'],
    ['EhcnaRequest', EhcnaRequest, 'child'],
    ['EhcNeedsAssessment', EhcNeedsAssessment, 'request'],
    ['EhcPlan', EhcPlan, 'child'],
    ['SenNeed', SenNeed, 'plan'],
    ['AnnualReview', AnnualReview, 'plan'],
  ] as const)('%s: every row, property for property, with its references as ids', async (_name, entity, key) => {
    const context = contextOf();
    const entities = (await context.em.find(entity as never, {}, { orderBy: { id: 'asc' } })) as Array<Record<string, unknown>>;
    expect(entities.length).toBeGreaterThan(0);
    const keys = [...new Set(entities.map((e) => refId(e[key])))];
    const rows = (await rowsWhereIn(context, entity as never, key, keys, { id: 'asc' })) as Array<Record<string, unknown>>;
    const props = Object.keys(rows[0]);
    expect(props).toContain('id');
    expect(rows).toEqual(entities.map((e) => asRow(e, props)));
  });

  it('a key that is not a uuid matches nothing on a uuid column rather than failing the batch', async () => {
    const context = contextOf();
    const [child] = await context.em.find(Child, {}, { limit: 1 });
    const rows = await rowsWhereIn(context, Child, 'id', ['not-a-uuid', child.id]);
    expect(rows.map((r) => r.id)).toEqual([child.id]);
    expect(await rowsWhereIn(context, Child, 'id', ['not-a-uuid'])).toEqual([]);
  });

  it('keys with quotes and backslashes reach PostgreSQL as they are', async () => {
    const context = contextOf();
    expect(textArray(['a"b', 'c\\d'])).toBe('{"a\\"b","c\\\\d"}');
    const [{ v }] = await context.em.getConnection().execute<Array<{ v: string[] }>>('SELECT CAST(? AS text[]) AS v', [textArray(['a"b', 'c\\d', "e'f"])]);
    expect(v).toEqual(['a"b', 'c\\d', "e'f"]);
  });

  it('a child row as `SELECT *` gives it maps to the properties the entity has', async () => {
    const context = contextOf();
    const [raw] = await context.em.getConnection().execute<Array<Record<string, unknown>>>('SELECT * FROM child ORDER BY id LIMIT 1');
    const entity = await context.em.findOneOrFail(Child, { id: raw.id as string });
    const row = plainRow(context, Child, raw) as unknown as Record<string, unknown>;
    expect(row).toEqual(asRow(entity, Object.keys(row)));
    expect(row).toHaveProperty('birthDate', entity.birthDate);
  });
});
