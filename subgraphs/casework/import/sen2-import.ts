// Over 300 lines: one import's control flow (read once, check, write in chunks, commit or roll back) and the case extract's table inside its transaction; split, the all-or-nothing reasoning would be spread over files.
/**
 * Imports a SEN2 return (and optionally the case-system extract) into the casework
 * database: the return is read once as a stream, never held, each person checked
 * and written a chunk at a time in ONE transaction, which commits only if nothing
 * refuses the import (the case extract is checked on its own first). Any problem refuses the whole file unless
 * skipInvalid, which imports the valid people and reports the rest. Re-importing
 * the same or a later return updates records in place (matched on UPN, else ULN,
 * else surname + forename + birth date; requests on their received date).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { problemCount, ProblemList } from '../../toolkit/import-text';
import { importActor } from '../../toolkit/write';
import { readCaseExtract, type CaseExtractRow } from './case-extract';
import { KeyIndex } from './key-index';
import { formatProblem, matchKeyOf, validateHeader, type Problem, type Sen2Person } from './sen2-validate';
import { readSen2 } from './sen2-read';
import { refreshPlannerStatistics, SEN2_CHUNK, Sen2Writer, type Sen2Item } from './sen2-write';
import { textArray } from '../../toolkit/rows';
import { ANY_TEXT, Sql } from './sen2-write/sql';
import { chunksOf, Sen2SyntaxError, type Sen2Header } from './sen2-xml';

export interface Sen2ImportOptions {
  /** Opens the return (a file stream of bytes): it is read once, never held. */
  open: () => AsyncIterable<string | Uint8Array>;
  /** Size of the return in bytes, for progress. */
  size?: number;
  /** The case-system extract: opened afresh for each of its two readings (checked, then loaded), a file stream, or its text. */
  caseExtract?: (() => AsyncIterable<string | Uint8Array>) | string | null;
  skipInvalid?: boolean;
  /** Who is importing, for the audit trail. */
  user: string;
  /** People written per chunk (default SEN2_CHUNK); the tests take smaller ones to cross chunk boundaries. */
  chunk?: number;
  today?: string;
  /** The database and the partnership's link-key secret, opened only once validation passes. */
  database: () => Promise<{ em: EntityManager; linkKeySecret: string }>;
  log?: (line: string) => void;
}

export interface Sen2ImportResult {
  status: 'imported' | 'refused';
  /** The problems found, the first REPORT_MAX of them when there are more. */
  problems: Problem[];
  /** How many problems there were in all. */
  problemTotal: number;
  /** The report, one line per problem (personal values withheld), ready to print. */
  report: string[];
  persons: number;
  skipped: number;
  created: number;
  updated: number;
}

const MB = 1024 * 1024;
/** Case-extract rows per statement when loading the extract into the transaction. */
const EXTRACT_BATCH = 2000;

/** Problems with the case extract have paths "case-extract/<column>" and the row as their position. */
function describe(problems: readonly Problem[], total: number): string[] {
  const lines = problems.map((p) => formatProblem(p, p.path.startsWith('case-extract/') ? 'case-extract row' : 'person'));
  if (total > problems.length) lines.push(`(${(total - problems.length).toLocaleString('en-GB')} more problem(s) not listed)`);
  return lines;
}

/** Marks a transaction the import ends without committing (a problem found, or a rolled-back write). */
class Rollback extends Error {}

/**
 * The import's one transaction, held open while the return streams past: begun at
 * the first chunk to write (so a return refused before then never reaches the
 * database), committed or rolled back by finish().
 */
interface HeldTransaction {
  tx: EntityManager;
  /** Commits (true) or rolls back (false); rethrows a failure of the commit itself (a deferred trigger's, say). */
  finish(commit: boolean): Promise<void>;
}

/** What the import writes with, once it has begun writing. */
interface Session {
  transaction: HeldTransaction;
  writer: Sen2Writer;
  table: CaseExtractTable | null;
}

async function holdTransaction(em: EntityManager): Promise<HeldTransaction> {
  let opened!: (tx: EntityManager) => void;
  let release!: (commit: boolean) => void;
  const released = new Promise<boolean>((resolve) => (release = resolve));
  const begun = new Promise<EntityManager>((resolve) => (opened = resolve));
  const done: Promise<void> = em.transactional(async (tx) => {
    opened(tx as EntityManager);
    if (!(await released)) throw new Rollback();
  });
  // The transaction begins, or fails to (its failure is met here or by finish(), never left unhandled).
  const failed = done.then(() => Promise.reject(new Error('the import\'s transaction ended before it began')));
  failed.catch(() => undefined);
  const tx = await Promise.race([begun, failed]);
  return {
    tx,
    finish: async (commit) => {
      release(commit);
      await done.catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
    },
  };
}

/**
 * Runs an import end to end; never throws for bad input (it reports), only for a database failure.
 *
 * The case extract is checked first (its own pass: rows are small and few; the
 * reader's thread starts on the return meanwhile, and no person is handled before
 * the extract is checked), and the return is read ONCE: each person is checked
 * and, while nothing found so far refuses the import, queued for writing, a chunk
 * at a time, in the import's one
 * transaction. Once a problem refuses it (any problem without skipInvalid; a
 * problem with the file itself in any case), writing stops, the rest is only
 * checked for the report, and the transaction rolls back: all or nothing, as two
 * passes gave, at the price of one parse.
 */
export async function importSen2(options: Sen2ImportOptions): Promise<Sen2ImportResult> {
  const log = options.log ?? (() => undefined);
  const chunk = options.chunk ?? SEN2_CHUNK;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const problems = new ProblemList<Problem>();
  const invalid = new Set<number>();
  const extractText = options.caseExtract;
  const openExtract = typeof extractText === 'string' ? () => chunksOf(extractText) : (extractText ?? null);
  const refused = (found: readonly Problem[], total: number, persons: number, skipped: number): Sen2ImportResult => ({
    status: 'refused', problems: [...found], problemTotal: total, report: describe(found, total), persons, skipped, created: 0, updated: 0,
  });

  // The case extract is checked on this thread while the reader's thread starts on the return (the people
  // wait for it: checkedExtract). Only its problems and the invalid rows' numbers are kept from this reading.
  const checkingExtract = openExtract ? readCaseExtract(openExtract()).then((v) => ({ problems: v.problems, invalidRows: v.invalidRows })) : Promise.resolve(null);
  // Its failure is met by checkedExtract, or, if the return fails first, left for that failure.
  checkingExtract.catch(() => undefined);
  let extract: Awaited<typeof checkingExtract> = null;
  let extractChecked = false;
  let extractProblems: Problem[] = [];
  let extractTotal = 0;
  let fileProblem = false;
  const checkedExtract = async () => {
    extract = await checkingExtract;
    extractChecked = true;
    extractProblems = (extract?.problems ?? []).map((p) => ({ ...p, path: `case-extract/${p.path}` }));
    extractTotal = extract ? problemCount(extract.problems) : 0;
    if (extractProblems.some((p) => p.person === 0)) fileProblem = true;
  };
  const note = (found: readonly Problem[]) => {
    if (found.some((p) => p.person === 0)) fileProblem = true;
    problems.push(...found);
  };
  /** A problem found so far refuses the whole import: nothing more is written. */
  const refusing = () => fileProblem || (!options.skipInvalid && problems.total + extractTotal > 0);

  const counts = { created: 0, updated: 0 };
  const writeProblems = new ProblemList<Problem>();
  const actor = importActor(options.user, 'LA', 'import:sen2');
  let held: Session | null = null;
  const begin = async (): Promise<Session> => {
    if (held) return held;
    const { em, linkKeySecret } = await options.database();
    await refreshPlannerStatistics(em);
    const transaction = await holdTransaction(em);
    try {
      const writer = new Sen2Writer(transaction.tx, actor, linkKeySecret, today, counts, writeProblems, log);
      // The extract is loaded into the transaction, so a person finds its row without the extract in memory.
      const table = openExtract && extract ? await CaseExtractTable.load(transaction.tx, openExtract(), extract.invalidRows) : null;
      return (held = { transaction, writer, table });
    } catch (err) {
      await transaction.finish(false);
      throw err;
    }
  };

  // People are written a chunk at a time, in file order (sen2-write/). One chunk's write is in flight
  // while the next chunk is read and checked: the database and the reader work at once, and each
  // chunk's write still starts only when the one before it has finished (it must see its writes).
  // At most two chunks are held.
  const pending: Sen2Item[] = [];
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const items = pending.splice(0);
    if (!items.length || refusing()) return;
    const { writer, table } = await begin();
    await inflight;
    inflight = (async () => {
      await table?.attach(items as Array<{ person: Sen2Person; extract: CaseExtractRow | null }>);
      await writer.write(items);
    })();
    // Its failure is met by the next await of it (the next chunk's, or the last), not lost meanwhile.
    inflight.catch(() => undefined);
  };
  /** Ends the import without committing: a write still running is let finish first (its failure, if any, is the caller's to report). */
  const abandon = async () => {
    await inflight.catch(() => undefined);
    await (held as Session | null)?.transaction.finish(false);
  };

  const keys = new KeyIndex();
  let lastReport = 0;
  let persons = 0;
  try {
    const result = await readSen2(options.open(), today, {
      header: (h: Sen2Header) => note(validateHeader(h)),
      person: async ({ position, person, problems: found }) => {
        if (!extractChecked) await checkedExtract();
        if (found.length) invalid.add(position);
        note(found);
        if (!person) return;
        const key = matchKeyOf(person);
        const first = keys.get(key);
        if (first !== undefined) {
          note([{ person: position, path: `Person[${position}]/${person.upn ? 'UPN' : person.uln ? 'UniqueLearnerNumber' : 'Surname'}`, value: person.upn ?? person.uln ?? person.surname, rule: `the same child as person ${first}` }]);
          invalid.add(position);
          return;
        }
        keys.set(key, position);
        if (invalid.has(position)) return;
        pending.push({ person, extract: null });
        if (pending.length >= chunk) await flush();
      },
      progress: (bytes) => {
        if (options.size && options.size > 5 * MB && bytes - lastReport >= 5 * MB) {
          lastReport = bytes;
          log(`SEN2: read ${(bytes / MB).toFixed(1)} of ${(options.size / MB).toFixed(1)} MB (${Math.round((100 * bytes) / options.size)}%)`);
        }
      },
    });
    persons = result.persons;
    if (!extractChecked) await checkedExtract();
    if (persons === 0) note([{ person: 0, path: 'Message/Persons', value: null, rule: 'the return holds no <Person>' }]);
    await flush();
    // A refused import reports its problems; a write it had under way is rolled back with it, whatever became of it.
    if (refusing()) await inflight.catch(() => undefined);
    else await inflight;
    // Case-extract rows for children not in this return: they must match a child already held.
    if (!refusing()) {
      const { writer, table } = await begin();
      if (table) for await (const rows of table.unused(chunk)) await writer.write(rows.map((row): Sen2Item => ({ person: null, extract: row })));
    }
  } catch (err) {
    await abandon();
    // The extract's reading is let finish (its file closed) before the import returns or throws.
    await checkingExtract.catch(() => undefined);
    if (!(err instanceof Sen2SyntaxError)) throw err;
    const p: Problem = { person: 0, path: `line ${err.line}, column ${err.column}`, value: null, rule: err.path ? `${err.message} (in ${err.path})` : err.message };
    return refused([p], 1, 0, 0);
  }

  const all = [...problems, ...extractProblems];
  const total = problems.total + extractTotal;
  const reported = [...all, ...writeProblems];
  const reportedTotal = total + writeProblems.total;
  if (refusing() || (writeProblems.total && !options.skipInvalid)) {
    await (held as Session | null)?.transaction.finish(false);
    return refusing() ? refused(all, total, persons, invalid.size) : refused(reported, reportedTotal, persons, invalid.size);
  }
  const session = held as Session | null;
  if (session) {
    try {
      await session.writer.finish();
    } catch (err) {
      await session.transaction.finish(false);
      throw err;
    }
    await session.transaction.finish(true);
  }
  return { status: 'imported', problems: reported, problemTotal: reportedTotal, report: describe(reported, reportedTotal), persons, skipped: invalid.size, created: counts.created, updated: counts.updated };
}

/** The match keys of a person or an extract row, strongest first. */
function keysOf(p: { upn: string | null; uln: string | null; surname: string; forename: string; birthDate: string }): string[] {
  const keys: string[] = [];
  if (p.upn) keys.push(matchKeyOf({ ...p, uln: null }));
  if (p.uln) keys.push(matchKeyOf({ ...p, upn: null }));
  keys.push(matchKeyOf({ ...p, upn: null, uln: null }));
  return keys;
}

/**
 * The valid rows of the case extract, in temporary tables that live as long as
 * the import's transaction: rows by number, and each row's match keys. A person
 * takes the first row (in file order) of its strongest key whose row no earlier
 * person took; the rows no person took are written afterwards, in file order.
 */
class CaseExtractTable {
  private readonly used = new Set<number>();

  private constructor(private readonly tx: EntityManager) {}

  private q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Sql(this.tx).all<T>(sql, params);
  }

  static async load(tx: EntityManager, input: AsyncIterable<string | Uint8Array>, skip: ReadonlySet<number>): Promise<CaseExtractTable> {
    const table = new CaseExtractTable(tx);
    await table.q('CREATE TEMPORARY TABLE sen2_case_extract (row int PRIMARY KEY, data jsonb NOT NULL) ON COMMIT DROP');
    await table.q('CREATE TEMPORARY TABLE sen2_case_extract_key (key text NOT NULL, row int NOT NULL) ON COMMIT DROP');
    // One batch is written while the next is read: PostgreSQL's inserts and the extract's second reading
    // took turns (about 0.3 and 0.4 s of the benchmark's 25,000 rows). At most two batches are held.
    let batch: CaseExtractRow[] = [];
    let writing: Promise<unknown> = Promise.resolve();
    const insert = async () => {
      if (!batch.length) return;
      const rows = batch;
      batch = [];
      const data = JSON.stringify(rows.map((r) => ({ row: r.row, data: r })));
      const keys = JSON.stringify(rows.flatMap((r) => keysOf(r).map((key) => ({ key, row: r.row }))));
      await writing;
      writing = Promise.all([
        table.q('INSERT INTO sen2_case_extract (row, data) SELECT x.row, x.data FROM json_to_recordset(CAST(? AS json)) AS x(row int, data jsonb)', [data]),
        table.q('INSERT INTO sen2_case_extract_key (key, row) SELECT k.key, k.row FROM json_to_recordset(CAST(? AS json)) AS k(key text, row int)', [keys]),
      ]);
      // Its failure is met by the next batch's await, or the last one's below, not lost meanwhile.
      writing.catch(() => undefined);
    };
    await readCaseExtract(
      input,
      async (row) => {
        batch.push(row);
        if (batch.length >= EXTRACT_BATCH) await insert();
      },
      skip,
    );
    await insert();
    await writing;
    await table.q('CREATE INDEX ON sen2_case_extract_key (key, row)');
    await table.q('ANALYZE sen2_case_extract_key');
    return table;
  }

  /** Gives each person of a chunk, in order, its case-extract row, if one is left. */
  async attach(items: Array<{ person: Sen2Person; extract: CaseExtractRow | null }>): Promise<void> {
    if (!items.length) return;
    const keys = [...new Set(items.flatMap((i) => keysOf(i.person)))];
    const firsts = await this.q<{ key: string; row: number }>(
      `SELECT DISTINCT ON (key) key, row FROM sen2_case_extract_key WHERE key = ${ANY_TEXT} ORDER BY key, row`,
      [textArray(keys)],
    );
    if (!firsts.length) return;
    const first = new Map(firsts.map((f) => [f.key, f.row]));
    const chosen = new Map<number, { extract: CaseExtractRow | null }>();
    for (const item of items) {
      const row = keysOf(item.person).map((k) => first.get(k)).find((r) => r !== undefined && !this.used.has(r));
      if (row === undefined) continue;
      this.used.add(row);
      chosen.set(row, item);
    }
    if (!chosen.size) return;
    // A row taken leaves the table, so that unused() reads only the rows left (not every row back, to skip most).
    const rows = await this.q<{ row: number; data: CaseExtractRow }>('DELETE FROM sen2_case_extract WHERE row = ANY(CAST(? AS int[])) RETURNING row, data', [textArray([...chosen.keys()].map(String))]);
    for (const r of rows) chosen.get(r.row)!.extract = r.data;
  }

  /** The rows no person took, in file order, a batch at a time. */
  async *unused(size: number): AsyncIterable<CaseExtractRow[]> {
    for (let last = 0; ; ) {
      const rows = await this.q<{ row: number; data: CaseExtractRow }>('SELECT row, data FROM sen2_case_extract WHERE row > ? ORDER BY row LIMIT ?', [last, size]);
      if (!rows.length) return;
      last = rows[rows.length - 1].row;
      const left = rows.filter((r) => !this.used.has(r.row)).map((r) => r.data);
      if (left.length) yield left;
    }
  }
}
