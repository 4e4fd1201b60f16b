import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * Plain SQL on a chunk's transaction. Rows travel as one JSON parameter, never as
 * SQL text, so a statement is the same whatever it writes.
 */
export class Sql {
  constructor(private readonly tx: EntityManager) {}

  /**
   * Parameters go to PostgreSQL as bound values ($1, ...), not written into the SQL
   * text: the ORM's `execute` would escape a chunk's JSON character by character
   * and send it as a literal, which cost about a tenth of the import's time.
   */
  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const query = this.tx.getKnex().raw(sql, params as Knex.RawBinding[]);
    const trx = this.tx.getTransactionContext<Knex.Transaction>();
    if (trx) query.transacting(trx);
    return ((await query) as { rows: T[] }).rows;
  }

  /** Runs a statement over rows passed as one JSON parameter (`x` in the SQL); nothing when there are none. */
  async withRows(sql: string, rows: readonly object[]): Promise<void> {
    if (rows.length) await this.all(sql, [JSON.stringify(rows)]);
  }
}

/** `(SELECT uuid ...)` of a JSON array of ids passed as one parameter. */
export const IDS_IN_PARAMETER = '(SELECT CAST(value AS uuid) FROM json_array_elements_text(CAST(? AS json)))';
