import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Multi-row inserts of plain rows, a thousand at a time: seeding thousands of records in seconds. */
export async function insertInChunks<T extends object>(em: EntityManager, entity: EntityName<T>, rows: ReadonlyArray<Record<string, unknown>>, chunk = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await em.insertMany(entity, rows.slice(i, i + chunk) as never);
}
