/**
 * The SEN2 import's writes, a chunk of people at a time, inside the import's one
 * transaction. Each chunk is one `write` (the toolkit's write path, under the
 * import's actor): it goes through the stages in turn, each in its own file:
 *   match.ts         who is who (one query for every child the chunk may match)
 *   plan.ts          each person's requests, assessments, plans and reviews, worked
 *                    out in memory against what the children hold
 *   extract.ts       what the case extract changes, and each child's audit entry
 *   statements.ts    the writes: one statement per table and kind of write
 * and records its audit as the write's own: one entry per set of fields written,
 * listing the children it was written to (record_ids), not one entry per child.
 * A chunk writes its children's rows itself; the rest of its writes (requests,
 * assessments, plans, reviews, allocations) are sent by the next chunk, right after
 * that chunk's one read of the children, so PostgreSQL runs them while the next
 * chunk is matched and planned, and every later read sees them. All of it is in the
 * import's one transaction, which commits whole or not at all.
 *
 * A person who matches a child already written earlier in the same chunk (the
 * same child twice, e.g. a case-extract row for a child of the return) ends the
 * chunk there: the rest is worked out afresh after the write, so it sees it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { write, type Actor, type WriteEntry } from '../../../toolkit/write';
import { rebuildsAtCommit } from '../../measures/facts';
import type { Problem } from '../sen2-validate';
import { applyCaseExtract } from './extract';
import { loadCandidates, matchItems, type Sen2Counts, type Sen2Item } from './match';
import { ChunkState, loadLifeCycle, planRequest, primaryNeedOf, settleDueDatesOfNewPlans } from './plan';
import { Sql } from './sql';
import { Staff } from './staff';
import { writeAllocations, writeCaseExtractChildren, writeChildren, writeLifeCycle, writePrimaryNeeds } from './statements';

export { findChild, type Sen2Counts, type Sen2Item } from './match';

/**
 * People per chunk: about 25 statements a chunk instead of about 20 a person. 2,000
 * rather than 500 means a quarter of the statements, trigger runs and round trips
 * (the benchmark's CPU per person fell by 10-25%); two chunks are held at once (one
 * being written, the next being read), a few megabytes.
 */
export const SEN2_CHUNK = 2000;

/**
 * Brings the planner's statistics of the tables the import reads and joins up to
 * date, before its transaction (an ANALYZE inside it would hold its lock to the end):
 * each chunk's statements are planned on them, and on a large import's tables left
 * unanalysed they joined whole tables instead of looking up the chunk's rows
 * (migration Migration20261212000200_casework_planner_statistics says which tables
 * and when). Nothing is analysed inside the transaction, so the tables an import
 * fills are planned on the sizes they had when it began.
 */
export async function refreshPlannerStatistics(em: EntityManager): Promise<void> {
  await em.getConnection().execute('SELECT casework_refresh_planner_statistics()');
}

/** The writes for one import, inside its transaction. */
export class Sen2Writer {
  private readonly staff = new Staff();
  /**
   * The measure facts: kept by the statement triggers until the children this import
   * creates are enough for the refresh at commit to rebuild them all anyway; from then
   * on deferred (their triggers skip) and rebuilt once, by finish(). The children held
   * are counted once, when the import has created enough to matter.
   */
  private readonly facts = { deferred: false, total: null as { children: number; created: number } | null };

  constructor(
    private readonly tx: EntityManager,
    private readonly actor: Actor,
    private readonly secret: string,
    private readonly today: string,
    private readonly counts: Sen2Counts,
    private readonly problems: Problem[],
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /**
   * Whether this import is the area's first load (no casework record held when it began):
   * then the records' foreign keys are checked once, over whole tables, when it ends, not
   * row by row (migration Migration20261214000100_casework_first_load says why and what it
   * takes). Null until the first chunk asks.
   */
  private firstLoad: boolean | null = null;

  /** Whether the chunks' statements are planned as key lookups yet (see lookUpByKey). */
  private lookingUpByKey = false;

  /**
   * The last chunk's writes other than its children's (requests, assessments, plans and their lists,
   * reviews, allocations): sent by the next chunk, or by finish().
   */
  private rest: ((sql: Sql) => Promise<void>) | null = null;

  /** Ends the import's writes, before its transaction commits: the measure facts rebuilt, if they were deferred. */
  async finish(): Promise<void> {
    const sql = new Sql(this.tx);
    await this.sendRest(sql);
    await sql.settle();
    // The rebuild and the refresh at commit read whole tables: planned as the database is configured.
    if (this.lookingUpByKey) await sql.all('SET LOCAL random_page_cost TO DEFAULT');
    if (this.firstLoad) await sql.all('SELECT casework_first_load_end()');
    if (this.facts.deferred) await sql.all('SELECT casework_rebuild_measure_facts()');
  }

  /**
   * Each chunk's statements read and write its few thousand rows by key. Priced for
   * disks that seek (random_page_cost 4, PostgreSQL's default), the planner would
   * rather hash a whole table than look 2,000 keys up in its index, and so it did for
   * three of the updates of a return imported again: a table of 100,000 rows read
   * whole for each chunk (`EXPLAIN (ANALYZE)` inside `node dist/bench/sen2-import.js 100000`):
   * about a third of the import's time in PostgreSQL. Priced
   * as the memory or SSD they are read from, for this transaction only.
   */
  private async lookUpByKey(sql: Sql): Promise<void> {
    if (this.lookingUpByKey) return;
    await sql.all('SET LOCAL random_page_cost = 1.1');
    this.lookingUpByKey = true;
  }

  /** Writes the items in file order, a chunk at a time (a chunk may end early: see the file's comment). */
  async write(items: readonly Sen2Item[]): Promise<void> {
    let rest = items;
    while (rest.length) rest = rest.slice(await write(this.tx, this.actor, (tx, record) => this.writeChunk(new Sql(tx), rest, record), { groupAudit: true }));
  }

  /** Writes a prefix of the items; returns how many. */
  private async writeChunk(sql: Sql, items: readonly Sen2Item[], record: (entries: readonly WriteEntry[]) => void): Promise<number> {
    await this.lookUpByKey(sql);
    await this.beginFirstLoad(sql);
    const candidates = loadCandidates(sql, items);
    // The chunk before's other writes go behind this chunk's candidates (which read only the children, all
    // written), so PostgreSQL runs them while this chunk is matched; every later read of this chunk is sent
    // after them and sees them.
    const before = this.sendRest(sql);
    const held = await candidates;
    const { matched, newChildren, childUpdates, taken } = matchItems(items, held, this.counts);
    await before;
    await this.deferFactsOnceRebuilt(sql, newChildren.length);

    const state = new ChunkState();
    const created = new Set(newChildren.map((c) => c.id));
    const heldIds = matched.filter((d) => d.item.person && !created.has(d.childId!)).map((d) => d.childId!);
    if (heldIds.length) await loadLifeCycle(sql, state, heldIds);
    for (const { item, childId } of matched) for (const r of item.person?.requests ?? []) planRequest(state, childId!, r);
    settleDueDatesOfNewPlans(state);

    const extract = await applyCaseExtract(matched, { sql, staff: this.staff, secret: this.secret, today: this.today, problems: this.problems });

    // A new child's primary need and case-extract values go in with its row: one insert, not an insert and
    // then updates of it (each updated row costs its eleven indexes again). Only the children held are updated.
    const extractOf = new Map(extract.childUpdates.map((u) => [u.id, u]));
    for (const child of newChildren) {
      child.primary_need = primaryNeedOf(state, child.id);
      const values = extractOf.get(child.id);
      if (!values) continue;
      Object.assign(child, { nhs_number: values.nhs_number, link_key: values.link_key, district: values.district, team_id: values.team_id });
      extractOf.delete(child.id);
    }
    extract.childUpdates = [...extractOf.values()];
    await writeChildren(sql, newChildren, childUpdates);
    // A child's primary need is set only where it changes (the statement checks again).
    const needHeld = new Map(held.map((c) => [c.id, c.primary_need]));
    await writePrimaryNeeds(sql, heldIds.map((id) => ({ id, need: primaryNeedOf(state, id) })).filter((n) => n.need !== needHeld.get(n.id)));
    writeCaseExtractChildren(sql, extract);
    this.rest = async (next) => {
      await writeLifeCycle(next, state);
      writeAllocations(next, extract);
    };
    await sql.settle();
    record(extract.audit);
    return Math.max(taken, 1);
  }

  /** Asks, before the first chunk writes anything, whether this import is the area's first load (see firstLoad). */
  private async beginFirstLoad(sql: Sql): Promise<void> {
    if (this.firstLoad !== null) return;
    this.firstLoad = (await sql.all<{ first: boolean }>('SELECT casework_first_load_begin() AS first'))[0].first;
    if (this.firstLoad) this.log('SEN2: the area holds no casework records: a first load, its foreign keys checked once when it ends');
  }

  /** Sends the last chunk's writes after its children's (see writeChunk), if any are waiting; resolves once all are sent. */
  private sendRest(sql: Sql): Promise<void> {
    const rest = this.rest;
    this.rest = null;
    const sent = rest ? rest(sql) : Promise.resolve();
    // Met by the chunk's `await`, which comes after the candidates' (a failure of theirs is reported first).
    sent.catch(() => undefined);
    return sent;
  }

  /** Defers the measure facts once the children created (this chunk's `creating` among them, not yet written) make a rebuild at commit certain. */
  private async deferFactsOnceRebuilt(sql: Sql, creating: number): Promise<void> {
    const created = this.counts.created;
    if (this.facts.deferred || !rebuildsAtCommit(created, created)) return;
    // Counted once, inside the transaction (so with the children written so far); each child created since adds one.
    this.facts.total ??= { children: (await sql.all<{ n: number }>('SELECT count(*)::int AS n FROM child'))[0].n, created: created - creating };
    const total = this.facts.total.children + (created - this.facts.total.created);
    if (!rebuildsAtCommit(created, total)) return;
    await sql.all(`SET LOCAL casework.defer_measure_facts = 'on'`);
    this.facts.deferred = true;
    this.log(`SEN2: ${created.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} children are new: the measure figures will be rebuilt once, before commit`);
  }
}
