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

/**
 * Keys looked up as one array parameter (`id = ANY(CAST(? AS uuid[]))`, bound as
 * the toolkit's `textArray(ids)`). The planner counts what the array holds, so a chunk's few
 * thousand keys are looked up by index in a table of any size. A JSON list read by
 * json_array_elements_text is planned as 100 values whatever it holds, and nothing
 * is analysed inside the import's transaction: so planned, a later return of
 * 100,000 people read whole tables to hash them, at more cost than its writes.
 */
export const ANY_ID = 'ANY(CAST(? AS uuid[]))';
export const ANY_TEXT = 'ANY(CAST(? AS text[]))';
