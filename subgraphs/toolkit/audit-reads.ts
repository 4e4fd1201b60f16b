import type { ApolloServerPlugin } from '@apollo/server';
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditEvents, auditFailures } from '../../platform/metrics';
import { log } from '../../platform/logger';
import { describeDatabaseError, isDatabaseError } from '../../platform/errors';
import { AUDITED_READS_HEADER } from '../../platform/http';
import type { SubgraphContext } from './context';

/** One record read or written, with the fields read from it or written to it (the write path's entries). */
export interface RecordRead {
  entityType: string;
  entityId: string;
  fields: string[];
}

/** Records of one type a request read the same fields of: one entry in the trail, whatever their number. */
export interface RecordsRead {
  entityType: string;
  entityIds: string[];
  fields: string[];
}

/** The identifier of a record as the audit trail names it: its id, else its link key, else the first `<x>Id` it carries. */
export function recordIdOf(source: unknown): string {
  if (source && typeof source === 'object') {
    const s = source as Record<string, unknown>;
    for (const key of ['id', 'linkKey', 'code']) {
      const v = s[key];
      if (typeof v === 'string' || typeof v === 'number') return String(v);
    }
    // A record keyed by another record's id (e.g. health advice by assessmentId).
    for (const [key, v] of Object.entries(s)) if (/Id$/.test(key) && typeof v === 'string') return `${key}:${v}`;
  }
  return '(unidentified)';
}

/** The database an entity manager works on, naming a trail in the metrics. */
function databaseOf(em: EntityManager): string {
  return String(em.config.get('dbName') ?? 'unknown');
}

/**
 * A JSON text as one dollar-quoted SQL literal, under a tag the text does not hold,
 * so nothing in it can end the literal or be read as SQL. MikroORM writes a bound
 * value into the statement itself, escaping it a character at a time, which for a
 * 50-child page's entries (some 30 KB) cost more than building them.
 */
export function jsonLiteral(json: string): string {
  let tag = 'audit';
  for (let n = 0; json.includes(`$${tag}$`); n++) tag = `audit${n}`;
  return `$${tag}$${json}$${tag}$`;
}

/**
 * Appends entries to the audit trail in ONE call of `append_audit_events`, the
 * only way in (the database stamps the time and chains the entries; see the
 * audit-chain migration). Everything travels as a single JSON literal
 * (jsonLiteral): what is recorded is data, never SQL. Pass the transaction
 * context to append inside a transaction. An entry of several records
 * (RecordsRead) is one row with their ids in `record_ids`; its `entity_id` names
 * the record only when it is one.
 */
export async function insertAuditEvents(
  em: EntityManager,
  context: Pick<SubgraphContext, 'caller' | 'operationName' | 'requestId'>,
  action: 'READ' | 'WRITE',
  reads: Array<RecordRead | RecordsRead>,
  transaction?: unknown,
): Promise<void> {
  if (reads.length === 0) return;
  const caller = context.caller;
  const rows = reads.map((r) => ({
    user_id: caller?.userId ?? 'unknown',
    roles: caller?.roles ?? [],
    org: caller?.org ?? 'unknown',
    operation_name: context.operationName ?? null,
    request_id: context.requestId,
    action,
    entity_type: r.entityType,
    ...('entityIds' in r ? { entity_id: r.entityIds.length === 1 ? r.entityIds[0] : null, record_ids: r.entityIds } : { entity_id: r.entityId }),
    fields: r.fields,
  }));
  await em.getConnection().execute(`SELECT public.append_audit_events(CAST(${jsonLiteral(JSON.stringify(rows))} AS json))`, [], 'run', transaction as never);
  // Appended: a write's entries are still undone with the write's transaction if it rolls back.
  auditEvents.inc({ database: databaseOf(em), action }, rows.length);
}

/**
 * A request's reads as entries of the trail: the records of one type whose same
 * fields were read make one entry, ids and fields sorted, so a 50-child page is a
 * handful of rows rather than one per record.
 */
export function groupReads(reads: Iterable<{ entityType: string; entityId: string; fields: Iterable<string>; order?: string }>): RecordsRead[] {
  const groups = new Map<string, RecordsRead>();
  // Records of one type on one page are mostly read field for field in the same order: each order is sorted once.
  const byOrderRead = new Map<string, RecordsRead>();
  for (const read of reads) {
    const orderKey = read.order ?? `${read.entityType}\u0000${[...read.fields].join('\u0000')}`;
    let group = byOrderRead.get(orderKey);
    if (!group) {
      const fields = [...read.fields].sort();
      const key = `${read.entityType}\u0000${fields.join('\u0000')}`;
      group = groups.get(key);
      if (!group) groups.set(key, (group = { entityType: read.entityType, entityIds: [], fields }));
      byOrderRead.set(orderKey, group);
    }
    group.entityIds.push(read.entityId);
  }
  for (const group of groups.values()) group.entityIds.sort();
  return [...groups.values()];
}

/** A record read: its fields, and `order`, its type and fields as read (joined by NUL), groupReads' key. */
type ReadEntry = { entityType: string; entityId: string; fields: Set<string>; order: string };

/** Where a request's reads are gathered while it executes: put on the request's context by the plugin. */
const READS = Symbol('personLevelReads');

/** The records a request read, with the fields read from each. */
class ReadsOfRequest {
  readonly entries = new Map<string, ReadEntry>();
  // Each record's entry by the object it was read from: a record's fields are many, its id worked out once.
  private readonly bySource = new Map<unknown, ReadEntry>();
  // GraphQL resolves an object's fields one after another: the last record's entry answers most notes.
  private lastSource: unknown = undefined;
  private lastEntry: ReadEntry | undefined = undefined;

  note(entityType: string, source: unknown, fieldName: string): void {
    let entry = source === this.lastSource && this.lastEntry?.entityType === entityType ? this.lastEntry : this.bySource.get(source);
    if (!entry || entry.entityType !== entityType) {
      const entityId = recordIdOf(source);
      const key = `${entityType}\u0000${entityId}`;
      entry = this.entries.get(key);
      if (!entry) this.entries.set(key, (entry = { entityType, entityId, fields: new Set(), order: entityType }));
      this.bySource.set(source, entry);
    }
    this.lastSource = source;
    this.lastEntry = entry;
    if (entry.fields.has(fieldName)) return;
    entry.fields.add(fieldName);
    entry.order += `\u0000${fieldName}`;
  }
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as { then?: unknown }).then === 'function';
}

/** Calls `resolved` once a field's value has settled without error: a promise when it fulfils, a list of promises when all do (as Apollo's willResolveField hook judged). */
function whenResolved(result: unknown, resolved: () => void): void {
  if (isPromise(result)) result.then((value) => whenResolved(value, resolved), () => undefined);
  else if (Array.isArray(result) && result.some(isPromise)) Promise.all(result).then(resolved, () => undefined);
  else resolved();
}

const instrumented = Symbol('personLevelReadsInstrumented');

/**
 * Wraps the resolver of every field of the person-level types so that a field
 * resolved without error is noted on its request's reads. Done on the schema once,
 * rather than through Apollo's willResolveField hook: any plugin with that hook
 * makes Apollo wrap every field of every type and call the plugins on each, which
 * cost more on a 50-child page than the reads it recorded.
 */
function notePersonLevelReads(schema: GraphQLSchema, audited: ReadonlySet<string>): void {
  for (const typeName of audited) {
    const type = schema.getType(typeName);
    if (!type || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const marked = field as { [instrumented]?: true };
      if (marked[instrumented]) continue;
      marked[instrumented] = true;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        // A resolver that throws is not a read: the error goes on, nothing is noted.
        const result = resolve(source, args, context, info);
        const reads = (context as { [READS]?: ReadsOfRequest } | undefined)?.[READS];
        if (reads) {
          if (isPromise(result) || (Array.isArray(result) && result.some(isPromise))) whenResolved(result, () => reads.note(typeName, source, info.fieldName));
          else reads.note(typeName, source, info.fieldName);
        }
        return result;
      };
    }
  }
}

/**
 * Records every read of a person-level type: while the operation executes, each
 * field resolved without error on such a type adds that field to its record's
 * entry (so records reached through `_entities`, lists and nested fields all
 * count). The reads are gathered in memory for the request and, before the
 * response leaves, appended in one call: one entry per record type and field set,
 * the records' ids in an indexed array (groupReads). If that append fails the
 * caller gets an error and none of the data: an unrecorded read is never returned.
 *
 * It also puts the operation name on the context, for the audit of writes.
 */
export function auditReadsPlugin(personLevelTypes: readonly string[]): ApolloServerPlugin<SubgraphContext> {
  const audited = new Set(personLevelTypes);
  return {
    async serverWillStart({ schema }) {
      notePersonLevelReads(schema, audited);
    },
    async requestDidStart() {
      const recorder = new ReadsOfRequest();
      const reads = recorder.entries;
      return {
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.operationName = operationName ?? undefined;
        },
        async executionDidStart({ contextValue }) {
          if (audited.size === 0) return;
          // Reads are noted while the operation executes, and only then.
          const context = contextValue as { [READS]?: ReadsOfRequest };
          context[READS] = recorder;
          return {
            async executionDidEnd() {
              context[READS] = undefined;
            },
          };
        },
        async willSendResponse({ contextValue, response }) {
          // Tells the gateway whether this answer may be shared with another request (only when 0).
          response.http.headers.set(AUDITED_READS_HEADER, String(reads.size));
          if (reads.size === 0) return;
          try {
            await insertAuditEvents(contextValue.em, contextValue, 'READ', groupReads(reads.values()));
          } catch (err) {
            // The HTTP status stays as it is so that the gateway relays this error as it stands.
            auditFailures.inc({ database: databaseOf(contextValue.em) });
            // By class and SQLSTATE: the driver's message is the insert, with the ids read.
            if (isDatabaseError(err)) log().error({ operation: contextValue.operationName, cause: describeDatabaseError(err) }, 'audit trail insert failed: the person-level data was withheld');
            else log().error({ err, operation: contextValue.operationName }, 'audit trail insert failed: the person-level data was withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [{ message: 'The audit trail could not record this person-level read, so its data is withheld. Try again later.', extensions: { code: 'AUDIT_UNAVAILABLE' } }],
              };
            }
          }
        },
      };
    },
  };
}
