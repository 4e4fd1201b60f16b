import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Plain SQL on a chunk's transaction. Rows travel as one JSON parameter, never as
 * SQL text, so a statement is the same whatever it writes.
 */
export class Sql {
  constructor(private readonly tx: EntityManager) {}

  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.tx.getConnection().execute<T[]>(sql, params, 'all', this.tx.getTransactionContext());
  }

  /** Runs a statement over rows passed as one JSON parameter (`x` in the SQL); nothing when there are none. */
  async withRows(sql: string, rows: readonly object[]): Promise<void> {
    if (rows.length) await this.all(sql, [JSON.stringify(rows)]);
  }
}

/** `(SELECT uuid ...)` of a JSON array of ids passed as one parameter. */
export const IDS_IN_PARAMETER = '(SELECT CAST(value AS uuid) FROM json_array_elements_text(CAST(? AS json)))';
