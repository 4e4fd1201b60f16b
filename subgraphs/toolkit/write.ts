import { ChangeSetType, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { Caller } from '../../platform/auth';
import { badUserInput, type Problem } from '../../platform/problems';
import { groupReads, insertAuditEvents, type RecordRead, type RecordsRead } from './audit-reads';

/**
 * The one write path. A mutation or an importer runs its change through
 * `write` (or a command through `runCommand`): one transaction, and in it an audit
 * entry for every record the unit of work created, changed or deleted, taken from
 * MikroORM's flush change sets (what was written, not a list kept by hand), plus
 * any entries the work names itself for writes made in plain SQL. The write and
 * its audit stand or fall together. Losing a uniqueness race to a concurrent
 * identical write ends as the command's CONFLICT, never as a fault.
 */

/** Whom a write is recorded under: a request's verified caller, or an import's named user. */
export interface Actor {
  caller: Caller | null;
  operationName?: string;
  requestId: string;
}

/** An audit entry for a write made in plain SQL, which no change set sees. */
export type WriteEntry = RecordRead;

/** The actor for a command-line import: the user it names, as an administrator of the organisation. */
export function importActor(userId: string, org: string, importName: string): Actor {
  return { caller: { userId, roles: ['admin'], org }, operationName: importName, requestId: `${importName}:${randomUUID()}` };
}

interface Recorded {
  entityType: string;
  entityId: string;
  fields: Set<string>;
}

/** Audit entries per insert at the end of a write. */
const AUDIT_CHUNK = 1000;

/** Change sets of the flushes inside each running write, by the write's entity manager. */
const running = new WeakMap<EntityManager, Map<string, Recorded>>();

function remember(into: Map<string, Recorded>, entityType: string, entityId: string, fields: Iterable<string>): void {
  const key = `${entityType}\u0000${entityId}`;
  let entry = into.get(key);
  if (!entry) into.set(key, (entry = { entityType, entityId, fields: new Set() }));
  for (const f of fields) entry.fields.add(f);
}

/**
 * Registered on every subgraph's ORM (toolkit/database): after each flush inside a
 * `write`, notes what each change set wrote. Flushes outside a write (seeding, tests)
 * are not recorded.
 */
export class WriteRecorder implements EventSubscriber {
  async afterFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const into = running.get(em as EntityManager);
    if (!into) return;
    for (const cs of uow.getChangeSets()) {
      const id = cs.getSerializedPrimaryKey() ?? String(cs.getPrimaryKey() ?? '(unidentified)');
      const fields = cs.type === ChangeSetType.DELETE || cs.type === ChangeSetType.DELETE_EARLY ? ['(deleted)'] : Object.keys(cs.payload ?? {});
      remember(into, cs.name, id, fields);
    }
  }
}

export interface WriteOptions {
  /**
   * Called on a fresh entity manager after a uniqueness race was lost and the
   * transaction rolled back: the CONFLICT to answer, naming the record that won.
   * Without it (or when it returns null) the violation is rethrown as it was.
   */
  onConflict?: (em: EntityManager) => Promise<GraphQLError | null>;
  /**
   * One audit entry per record type and field set written, the records' ids in
   * `record_ids` (as the read audit does), instead of one per record: for an import
   * writing thousands of records in one write, a handful of rows rather than one a
   * record ("who wrote this child" still finds them: `record_ids @> ARRAY[id]`).
   */
  groupAudit?: boolean;
}

/** True for PostgreSQL's unique_violation, however the driver wrapped it. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; sqlState?: unknown; name?: unknown } | null;
  return !!e && (e.code === '23505' || e.sqlState === '23505' || e.name === 'UniqueConstraintViolationException');
}

/**
 * Runs `work` in one transaction on a fork of `em` and records its audit entries
 * before the commit. `record` adds entries for writes made in plain SQL.
 */
export async function write<T>(
  em: EntityManager,
  actor: Actor,
  work: (tx: EntityManager, record: (entries: readonly WriteEntry[]) => void) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  try {
    return await em.transactional(async (tx) => {
      const recorded = new Map<string, Recorded>();
      running.set(tx, recorded);
      const result = await work(tx, (entries) => entries.forEach((e) => remember(recorded, e.entityType, e.entityId, e.fields)));
      await tx.flush();
      running.delete(tx);
      // An import records tens of thousands of entries: written a chunk per insert, since
      // the driver inlines the parameter into the statement and one huge one costs memory.
      const entries: Array<RecordRead | RecordsRead> = options.groupAudit
        ? groupReads(recorded.values())
        : [...recorded.values()].map((r) => ({ entityType: r.entityType, entityId: r.entityId, fields: [...r.fields].sort() }));
      for (let i = 0; i < entries.length; i += AUDIT_CHUNK) await insertAuditEvents(tx, actor, 'WRITE', entries.slice(i, i + AUDIT_CHUNK), tx.getTransactionContext());
      return result;
    });
  } catch (err) {
    if (options.onConflict && isUniqueViolation(err)) {
      const answer = await options.onConflict(em.fork());
      if (answer) throw answer;
    }
    throw err;
  }
}

/**
 * A write a person asks for, in three steps: load what the check needs (refusing
 * unknown ids), check it (pure: the input and that state in, problems out), then
 * apply it to the unit of work.
 */
export interface Command<I, S, R> {
  load(tx: EntityManager, input: I): Promise<S>;
  check(input: I, state: S): Problem[];
  apply(tx: EntityManager, input: I, state: S): R | Promise<R>;
  /** The CONFLICT for an input whose write lost a uniqueness race (see WriteOptions). */
  onConflict?: (em: EntityManager, input: I) => Promise<GraphQLError | null>;
}

/** Runs a command through `write`: BAD_USER_INPUT naming every problem, or the applied result. */
export function runCommand<I, S, R>(em: EntityManager, actor: Actor, command: Command<I, S, R>, input: I): Promise<R> {
  return write(
    em,
    actor,
    async (tx) => {
      const state = await command.load(tx, input);
      const problems = command.check(input, state);
      if (problems.length) throw badUserInput(problems);
      return command.apply(tx, input, state);
    },
    { onConflict: command.onConflict && ((fresh) => command.onConflict!(fresh, input)) },
  );
}
