import { ReferenceKind, type EntityName, type EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Inserts plain rows a thousand at a time, each thousand as one statement with
 * one array parameter per column (`INSERT ... SELECT * FROM unnest($1::uuid[], ...)`):
 * the ORM's multi-row insert writes every value into the SQL text, which Node
 * then builds and PostgreSQL parses, for every row. Values go through the same
 * conversions as the ORM's insert (the property's default for a missing value,
 * its custom type); a row or property this path does not cover (a missing value
 * without a default, a property of several columns or an embedded object) is
 * inserted by the ORM instead.
 */
export async function insertInChunks<T extends object>(em: EntityManager, entity: EntityName<T>, rows: ReadonlyArray<Record<string, unknown>>, chunk = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk);
    const statement = unnestInsert(em, entity, slice);
    if (!statement) {
      await em.insertMany(entity, slice as never);
      continue;
    }
    const query = em.getConnection().getKnex().raw(statement.sql, statement.params);
    const ctx = em.getTransactionContext();
    if (ctx) query.transacting(ctx);
    await query;
  }
}

/** The insert of these rows as one statement over column arrays, or null where the ORM must insert them. */
function unnestInsert<T extends object>(em: EntityManager, entity: EntityName<T>, rows: ReadonlyArray<Record<string, unknown>>): { sql: string; params: unknown[][] } | null {
  if (rows.length === 0) return null;
  const meta = em.getMetadata().find(entity);
  if (!meta) return null;
  const platform = em.getPlatform();
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  const props: EntityProperty[] = [];
  for (const name of names) {
    const prop = meta.properties[name as keyof typeof meta.properties] as EntityProperty | undefined;
    if (!prop || prop.fieldNames?.length !== 1 || prop.columnTypes?.length !== 1 || !(prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE)) return null;
    props.push(prop);
  }
  const params: unknown[][] = props.map(() => new Array(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let p = 0; p < props.length; p++) {
      const prop = props[p];
      const given = row[prop.name];
      // As the ORM's insert: null kept for a nullable property, else the property's default for a missing value.
      let value = prop.nullable && given === null ? null : (given ?? prop.default);
      if (value === undefined) return null; // the ORM would write DEFAULT, which an array cannot carry
      if (value !== null && prop.customType) value = prop.customType.convertToDatabaseValue(value, platform, { key: prop.name, mode: 'query-data' });
      params[p][r] = value;
    }
  }
  const table = meta.schema && meta.schema !== '*' ? `${platform.quoteIdentifier(meta.schema)}.${platform.quoteIdentifier(meta.tableName)}` : platform.quoteIdentifier(meta.tableName);
  const columns = props.map((prop) => platform.quoteIdentifier(prop.fieldNames[0])).join(', ');
  const arrays = props.map((prop) => `?::${prop.columnTypes[0]}[]`).join(', ');
  return { sql: `insert into ${table} (${columns}) select * from unnest(${arrays})`, params };
}
