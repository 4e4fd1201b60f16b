import type { EntityName } from '@mikro-orm/core';
import type DataLoader from 'dataloader';
import { groupByKeys, indexByKeys, type SubgraphContext } from '../../toolkit/context';
import { rowsWhereIn } from '../../toolkit/rows';

// Plain rows (toolkit/rows.ts): a 50-child page reads several hundred, and hydrating them cost more than the SQL.

/**
 * One query per request for every parent asking for its children of one kind
 * (e.g. the plans of 50 children): the DataLoader contract, keyed by the foreign key.
 */
export function manyBy<T extends object>(context: SubgraphContext, entity: EntityName<T>, foreignKey: string, orderBy: Record<string, 'asc' | 'desc'>): DataLoader<string, T[]> {
  return context.loaders.get<string, T[]>(`${String((entity as { name?: string }).name ?? entity)}.by.${foreignKey}`, async (keys) => {
    const rows = await rowsWhereIn(context, entity, foreignKey, keys, { ...orderBy, id: 'asc' });
    return groupByKeys(keys, rows, (r) => String((r as Record<string, unknown>)[foreignKey]));
  });
}

/** One query per request for every lookup of one row by a unique column (id or a unique foreign key). */
export function oneBy<T extends object>(context: SubgraphContext, entity: EntityName<T>, column: string): DataLoader<string, T | null> {
  return context.loaders.get<string, T | null>(`${String((entity as { name?: string }).name ?? entity)}.one.${column}`, async (keys) => {
    const rows = await rowsWhereIn(context, entity, column, keys);
    return indexByKeys(keys, rows, (r) => String((r as Record<string, unknown>)[column]));
  });
}
