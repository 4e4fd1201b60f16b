import { casework } from '../../subgraphs/casework';
import { AnnualReview, Child, EhcNeedsAssessment, EhcnaRequest, EhcPlan, SenNeed } from '../../subgraphs/casework/entities';
import { Loaders, type SubgraphContext } from '../../subgraphs/toolkit/context';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { refId } from '../../subgraphs/toolkit/records';
import { jsonLiteral } from '../../subgraphs/toolkit/audit-reads';
import { plainRow, rowsWhereIn, textArray, uuidArrayLiteral } from '../../subgraphs/toolkit/rows';
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

  it('a null is NULL in the array, and the word NULL, commas and braces stay text', async () => {
    const context = contextOf();
    const [{ v }] = await context.em.getConnection().execute<Array<{ v: Array<string | null> }>>('SELECT CAST(? AS text[]) AS v', [textArray([null, 'NULL', 'a,b', '{c}', ''])]);
    expect(v).toEqual([null, 'NULL', 'a,b', '{c}', '']);
  });

  it('uuids go into the statement as a literal only when every one is a uuid', async () => {
    const context = contextOf();
    const ids = ['00000000-0000-4000-8000-000000000001', 'ABCDEF01-2345-4678-9abc-def012345678'];
    const [{ v }] = await context.em.getConnection().execute<Array<{ v: string[] }>>(`SELECT ${uuidArrayLiteral(ids)}::text[] AS v`);
    expect(v).toEqual(ids.map((id) => id.toLowerCase()));
    expect(uuidArrayLiteral([])).toBe("'{}'::uuid[]");
    for (const bad of ["00000000-0000-4000-8000-000000000001'}'::uuid[]; DROP TABLE child; --", '00000000-0000-4000-8000-00000000000', 'x', '']) {
      expect(() => uuidArrayLiteral([ids[0], bad])).toThrow('not a uuid');
    }
  });

  it('a JSON literal (the audit\'s entries) reaches PostgreSQL as it is, whatever it holds', async () => {
    const context = contextOf();
    const awkward = [{ user_id: "o'brien\\x", operation_name: 'Q? ?? \\? $audit$ $$ $audit0$ ); DROP TABLE child; --', fields: ['é', '"', '\n'] }];
    const json = JSON.stringify(awkward);
    expect(jsonLiteral(json)).toMatch(/^\$audit1\$/);
    const [{ v }] = await context.em.getConnection().execute<Array<{ v: unknown }>>(`SELECT CAST(${jsonLiteral(json)} AS json) AS v`);
    expect(v).toEqual(awkward);
    expect(jsonLiteral('[]')).toBe('$audit$[]$audit$');
  });

  it('a page\'s batch by a uuid column is sent with its ids in the statement, not bound', async () => {
    const statements: string[] = [];
    const logged = await openDatabase({ url: dbs.logins.casework.appUrl, entities: casework.entities, migrations: [], onQuery: (sql) => statements.push(sql) });
    try {
      const context: SubgraphContext = { em: logged.em.fork(), caller: null, loaders: new Loaders(), requestId: 'test' };
      const [child] = await context.em.find(Child, {}, { limit: 1 });
      statements.length = 0;
      const rows = await rowsWhereIn(context, EhcnaRequest, 'child', [child.id]);
      expect(rows.length).toBeGreaterThan(0);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toContain(`ANY('{${child.id}}'::uuid[])`);
    } finally {
      await logged.close();
    }
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
