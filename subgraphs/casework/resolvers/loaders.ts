import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { groupByKeys, indexByKeys, type SubgraphContext } from '../../toolkit/context';

/** The id of a row's many-to-one reference (MikroORM gives a reference object), or the value itself. */
export function refId(value: unknown): string {
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return String(value);
}

/**
 * One query per request for every parent asking for its children of one kind
 * (e.g. the plans of 50 children): the DataLoader contract, keyed by the foreign key.
 */
export function manyBy<T extends object>(context: SubgraphContext, entity: EntityName<T>, foreignKey: string, orderBy: Record<string, 'asc' | 'desc'>): DataLoader<string, T[]> {
  return context.loaders.get<string, T[]>(`${String((entity as { name?: string }).name ?? entity)}.by.${foreignKey}`, async (keys) => {
    const rows = await (context.em as EntityManager).find(entity, { [foreignKey]: { $in: [...keys] } } as never, { orderBy: { ...orderBy, id: 'asc' } as never });
    return groupByKeys(keys, rows, (r) => refId((r as Record<string, unknown>)[foreignKey]));
  });
}

/** One query per request for every lookup of one row by a unique column (id or a unique foreign key). */
export function oneBy<T extends object>(context: SubgraphContext, entity: EntityName<T>, column: string): DataLoader<string, T | null> {
  return context.loaders.get<string, T | null>(`${String((entity as { name?: string }).name ?? entity)}.one.${column}`, async (keys) => {
    const rows = await (context.em as EntityManager).find(entity, { [column]: { $in: [...keys] } } as never);
    return indexByKeys(keys, rows, (r) => refId((r as Record<string, unknown>)[column]));
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string PostgreSQL accepts as a uuid: anything else cannot name a row, and must not fail a whole batch. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
