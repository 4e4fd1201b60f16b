import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { textArray } from '../../../toolkit/rows';

/**
 * Plain SQL on a chunk's transaction. Rows travel as bound parameters, one array
 * per column, never as SQL text, so a statement is the same whatever it writes.
 *
 * Writes are sent without waiting for the one before: the connection runs them in
 * the order sent, and the next statement's parameters are built while the
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
   * text: the ORM's `execute` would escape a chunk's rows character by character
   * and send them as a literal, which cost about a tenth of the import's time.
   */
  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return ((await this.query(sql, params)) as { rows: T[] }).rows;
    } catch (err) {
      throw this.failure ? this.failure.error : err;
    }
  }

  /**
   * Sends a write over rows, without waiting for it; nothing when there are none.
   * `statement` is given the rows as a relation to read `FROM`, named `x`, with
   * `columns` ("name type, ...", each taken from the row's property of that name).
   * They are bound as one array per column and zipped back by unnest: PostgreSQL
   * reads a typed array at about half the cost of json_to_recordset's objects (a
   * chunk's 2,000 children: 6 ms against 12, timed by a scratch script not kept;
   * `node dist/bench/sen2-import.js 100000 new` shows the import's gain).
   */
  withRows(statement: (rows: string) => string, columns: string, rows: readonly object[]): void {
    if (!rows.length) return;
    const { relation, params } = bound(columns, rows);
    const done = this.query(statement(relation), params).catch((error: unknown) => {
      this.failure ??= { error };
    });
    this.sent.push(done);
  }

  /**
   * A query over rows, read like `all`: `statement` is given the rows as withRows gives
   * them (a relation named `x` with `columns`), and `params` bind the placeholders
   * written after the relation.
   */
  async allOver<T = Record<string, unknown>>(statement: (rows: string) => string, columns: string, rows: readonly object[], params: unknown[] = []): Promise<T[]> {
    const rowsBound = bound(columns, rows);
    return this.all<T>(statement(rowsBound.relation), [...rowsBound.params, ...params]);
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

const relations = new Map<string, { relation: string; names: string[] }>();

/** `unnest(CAST(? AS type[]), ...) AS x(name, ...)` for a column list, made once per list. */
function relationOf(columns: string): { relation: string; names: string[] } {
  let known = relations.get(columns);
  if (!known) {
    const pairs = columns.split(',').map((c) => {
      const [name, type, ...rest] = c.trim().split(/\s+/);
      if (!/^[a-z_][a-z0-9_]*$/.test(name) || !/^[a-z]+$/.test(type ?? '') || rest.length) throw new Error(`withRows: not a column "name type": ${c.trim()}`);
      return { name, type };
    });
    known = { relation: `unnest(${pairs.map((p) => `CAST(? AS ${p.type}[])`).join(', ')}) AS x(${pairs.map((p) => p.name).join(', ')})`, names: pairs.map((p) => p.name) };
    relations.set(columns, known);
  }
  return known;
}

/** The rows as a relation to read FROM and its parameters, one array a column. */
function bound(columns: string, rows: readonly object[]): { relation: string; params: string[] } {
  const { relation, names } = relationOf(columns);
  return { relation, params: names.map((name) => columnOf(rows, name)) };
}

/** One property of every row as a text array literal (the toolkit's textArray): a missing or null value is NULL. */
function columnOf(rows: readonly object[], name: string): string {
  const values = new Array<string | null>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Record<string, unknown>)[name];
    if (v === null || v === undefined) values[i] = null;
    else if (typeof v === 'object' || typeof v === 'function') throw new Error(`withRows: ${name} is not a single value`);
    else values[i] = String(v);
  }
  return textArray(values);
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
