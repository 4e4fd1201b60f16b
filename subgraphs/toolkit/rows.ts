import type { EntityName } from '@mikro-orm/core';
import type { SubgraphContext } from './context';
import { isUuid } from './records';

/**
 * Reads as plain rows, not hydrated entities: the same properties under the same
 * names (a reference as the id it holds), with no identity map, change tracking
 * or reference objects to build. On a hot read path of several hundred rows,
 * hydrating them cost more than the SQL. For reading only: anything written goes
 * through the entity manager.
 */

/** An entity's table and, for each property stored in a column of its own, that column. */
interface RowShape {
  table: string;
  /** Property name -> column, for scalars and the many-to-one (or owning one-to-one) references. */
  columns: Map<string, string>;
  /** The columns holding uuids: keys are matched against them as uuids, so their indexes serve. */
  uuids: Set<string>;
  /** `"column" AS "property", ...`, the select list. */
  select: string;
}

const shapes = new WeakMap<object, RowShape>();

function shapeOf(context: SubgraphContext, entity: EntityName<object>): RowShape {
  const meta = context.em.getMetadata().get(entity as never);
  const key = meta as object;
  let shape = shapes.get(key);
  if (!shape) {
    const columns = new Map<string, string>();
    const uuids = new Set<string>();
    for (const prop of meta.props) {
      if (prop.persist === false || prop.fieldNames?.length !== 1) continue;
      if (prop.kind === 'scalar' || prop.kind === 'm:1' || (prop.kind === '1:1' && prop.owner)) {
        columns.set(prop.name, prop.fieldNames[0]);
        if (prop.columnTypes?.[0] === 'uuid') uuids.add(prop.name);
      }
    }
    const select = [...columns].map(([name, column]) => `t."${column}" AS "${name}"`).join(', ');
    shape = { table: meta.tableName, columns, uuids, select };
    shapes.set(key, shape);
  }
  return shape;
}

const ARRAY_ESCAPED = /["\\]/;

/**
 * A PostgreSQL array literal of text values: one parameter, however many keys.
 * Every value is double-quoted (a backslash before any quote or backslash it
 * holds), so commas, braces, spaces and the word NULL stay text; null is NULL.
 */
export function textArray(values: ReadonlyArray<string | null>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    parts[i] = v === null ? 'NULL' : ARRAY_ESCAPED.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
  }
  return `{${parts.join(',')}}`;
}

/**
 * uuids as an SQL array literal written into the statement, not bound: every one
 * is checked to be hex digits and dashes (else this throws), so nothing can break
 * out of the literal. MikroORM writes a bound value into the SQL itself, escaping
 * it character by character: for a page's 50-id batches that cost more than
 * building the rows.
 */
export function uuidArrayLiteral(ids: readonly string[]): string {
  for (const id of ids) if (!isUuid(id)) throw new Error('uuidArrayLiteral: not a uuid');
  return `'{${ids.join(',')}}'::uuid[]`;
}

/** Every row of `entity` whose `property` is one of `keys`, ordered, as plain objects. */
export async function rowsWhereIn<T>(context: SubgraphContext, entity: EntityName<T>, property: string, keys: readonly string[], orderBy: Record<string, 'asc' | 'desc'> = {}): Promise<T[]> {
  const shape = shapeOf(context, entity as EntityName<object>);
  const column = shape.columns.get(property);
  if (!column) throw new Error(`${String(property)} is not a column of ${shape.table}`);
  const order = Object.entries(orderBy).map(([p, dir]) => `t."${shape.columns.get(p)}" ${dir === 'desc' ? 'DESC' : 'ASC'}`);
  // A key that is not a uuid names no row of a uuid column (and must not fail the batch).
  const uuid = shape.uuids.has(property);
  const wanted = uuid ? keys.filter(isUuid) : keys;
  if (wanted.length === 0) return [];
  const orderSql = order.length ? ` ORDER BY ${order.join(', ')}` : '';
  return uuid
    ? context.em.getConnection().execute<T[]>(`SELECT ${shape.select} FROM "${shape.table}" t WHERE t."${column}" = ANY(${uuidArrayLiteral(wanted)})${orderSql}`)
    : context.em.getConnection().execute<T[]>(`SELECT ${shape.select} FROM "${shape.table}" t WHERE t."${column}" = ANY(CAST(? AS text[]))${orderSql}`, [textArray(wanted)]);
}

/** One row of an entity's table as `SELECT t.*` gives it (columns by their names), as a plain object. */
export function plainRow<T>(context: SubgraphContext, entity: EntityName<T>, row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [name, column] of shapeOf(context, entity as EntityName<object>).columns) out[name] = row[column];
  return out as T;
}

/** Rows of `entity` under a condition on its table (aliased `t`, its columns by name), ordered by properties, as plain objects. */
export async function rowsWhere<T>(context: SubgraphContext, entity: EntityName<T>, where: string, params: unknown[], orderBy: Array<[string, 'asc' | 'desc']> = []): Promise<T[]> {
  const shape = shapeOf(context, entity as EntityName<object>);
  const order = orderBy.map(([p, dir]) => `t."${shape.columns.get(p)}" ${dir === 'desc' ? 'DESC' : 'ASC'}`);
  return context.em.getConnection().execute<T[]>(`SELECT ${shape.select} FROM "${shape.table}" t WHERE ${where}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`, params);
}
