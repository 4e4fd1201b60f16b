import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '../../platform/problems';

/** Every subgraph's ids are PostgreSQL uuids. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string PostgreSQL accepts as a uuid: anything else cannot name a row, and must not fail a whole batch. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** The id of a row's many-to-one reference (MikroORM gives a reference object), or the value itself. */
export function refId(value: unknown): string {
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return String(value);
}

/**
 * The row with this id, or BAD_USER_INPUT naming the field: "input.childId: no
 * child has id "…"." A malformed id is refused the same way, without a query.
 */
export async function mustFind<T extends object>(em: EntityManager, entity: new () => T, id: string, field: string, what: string): Promise<T> {
  const found = isUuid(id) ? await em.findOne(entity, { id } as never) : null;
  if (!found) throw badUserInput([{ field, message: `${field}: no ${what} has id "${id}".` }]);
  return found as T;
}

/** Every row for these ids in one query, in their order; a missing one is refused by its position (`field[i]`). */
export async function mustFindAll<T extends { id: string }>(em: EntityManager, entity: new () => T, ids: readonly string[], field: string, what: string): Promise<T[]> {
  const wanted = ids.filter(isUuid);
  const rows = wanted.length ? await em.find(entity, { id: { $in: wanted } } as never) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const problems = ids.flatMap((id, i) => (byId.has(id) ? [] : [{ field: `${field}[${i}]`, message: `${field}[${i}]: no ${what} has id "${id}".` }]));
  if (problems.length) throw badUserInput(problems);
  return ids.map((id) => byId.get(id)!);
}
