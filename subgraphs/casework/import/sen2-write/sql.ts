import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * Plain SQL on a chunk's transaction. Rows travel as one JSON parameter, never as
 * SQL text, so a statement is the same whatever it writes.
 *
 * Writes are sent without waiting for the one before: the connection runs them in
 * the order sent, and the next statement's rows are turned into JSON while the
 * database runs the one before (waiting on each left PostgreSQL idle for about a
 * sixth of an import). A query whose rows are read (`all`) runs after every
 * write sent before it, on the same connection, so it sees them. `settle` waits
 * for all sent; the first failure is the one reported, not the "transaction is
 * aborted" of the statements sent after it.
 */
export class Sql {
  private sent: Array<Promise<unknown>> = [];
  private failure: { error: unknown } | null = null;

  constructor(private readonly tx: EntityManager) {}

  /**
   * Parameters go to PostgreSQL as bound values ($1, ...), not written into the SQL
   * text: the ORM's `execute` would escape a chunk's JSON character by character
   * and send it as a literal, which cost about a tenth of the import's time.
   */
  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return ((await this.query(sql, params)) as { rows: T[] }).rows;
    } catch (err) {
      throw this.failure ? this.failure.error : err;
    }
  }

  /** Sends a write over rows passed as one JSON parameter (`x` in the SQL), without waiting for it; nothing when there are none. */
  withRows(sql: string, rows: readonly object[]): void {
    if (!rows.length) return;
    const done = this.query(sql, [JSON.stringify(rows)]).catch((error: unknown) => {
      this.failure ??= { error };
    });
    this.sent.push(done);
  }

  /** Waits for every write sent; throws the first that failed. */
  async settle(): Promise<void> {
    const sent = this.sent;
    this.sent = [];
    await Promise.all(sent);
    if (this.failure) throw this.failure.error;
  }

  private query(sql: string, params: unknown[]): Promise<unknown> {
    const query = this.tx.getKnex().raw(sql, params as Knex.RawBinding[]);
    const trx = this.tx.getTransactionContext<Knex.Transaction>();
    if (trx) query.transacting(trx);
    return query.then((r) => r);
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
