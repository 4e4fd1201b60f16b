import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Authorized, Ctx, Directive, Field, ID, InputType, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { badUserInput } from '../../platform/problems';
import { checkFirst, connectionOf, connectionTypes, type Connection } from './connection';
import { Access } from './access';
import type { SubgraphContext } from './context';
import { cursorCodec } from './cursor';
import { DateScalar, DateTimeScalar } from './date-scalar';

/** What an audit entry records. */
export enum AuditAction {
  READ = 'READ',
  WRITE = 'WRITE',
}

registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'What an audit trail entry records.',
  valuesConfig: {
    READ: { description: 'A person-level record was read.' },
    WRITE: { description: 'A record was written.' },
  },
});

/**
 * The audit trail as the auditor reads it. Each data controller keeps its own
 * trail in its own database, so each subgraph answers for its own: one root field
 * per subgraph (caseworkAuditEvents, healthAuditEvents, governanceAuditEvents),
 * all returning the same shareable types, so the supergraph has no root-field
 * conflict and an auditor can ask all three in one request.
 */
@ObjectType({ description: 'One entry in a data controller\'s audit trail: the person-level records of one type a request read the same fields of, or a write of the same fields to records of one type (one record for a mutation; many for an import).' })
@Directive('@shareable')
@Authorized(Access.AUDIT_READ)
export class AuditEvent {
  @Field(() => ID, { description: 'The entry\'s number in its subgraph\'s trail (increasing with time).' })
  id!: string;

  @Field({ description: 'Which data controller\'s trail holds the entry: casework, health or governance.' })
  source!: string;

  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  occurredAt!: string;

  @Field({ description: 'The user named by the token (preferred_username, else sub).' })
  userId!: string;

  @Field(() => [String], { description: 'The roles the token carried.' })
  roles!: string[];

  @Field({ description: 'The organisation the token named: LA, ICB or PARTNER:<name>.' })
  org!: string;

  @Field(() => String, { nullable: true, description: 'The GraphQL operation name, as the subgraph received it from the gateway.' })
  operationName!: string | null;

  @Field(() => String, { nullable: true, description: 'The request id the gateway gave the request (x-request-id), shared by its entries in every subgraph.' })
  requestId!: string | null;

  @Field(() => AuditAction, { description: 'READ (a person-level record was read) or WRITE.' })
  action!: AuditAction;

  @Field({ description: 'The GraphQL type (for reads) or entity (for writes) of the record, e.g. Child.' })
  entityType!: string;

  @Field(() => String, { nullable: true, description: 'The record\'s identifier when the entry covers one record (a mutation\'s write; a read of one record); null when it covers several (a read of several, an import\'s write), which recordIds lists.' })
  entityId!: string | null;

  @Field(() => [String], { description: 'The identifiers of every record the entry covers, sorted: the records of entityType whose fields the request read or the write wrote (one for a mutation\'s write, and for reads recorded one entry per record).' })
  recordIds!: string[];

  @Field(() => [String], { description: 'The fields read from each of those records, or written.' })
  fields!: string[];
}

/** The page types every subgraph's trail shares, by the one generic helper. */
export const { Connection: AuditEventConnection, Edge: AuditEventEdge } = connectionTypes(AuditEvent, 'AuditEvent', {
  plural: 'audit trail entries',
  order: 'newest first',
  shareable: true,
  decorate: [Authorized(Access.AUDIT_READ)],
});
export type AuditEventConnection = Connection<AuditEvent>;

@InputType({ description: 'Narrows the audit trail; every condition given must hold.' })
export class AuditEventFilter {
  @Field({ nullable: true, description: 'Only this user\'s entries.' })
  userId?: string;

  @Field(() => AuditAction, { nullable: true, description: 'Only reads, or only writes.' })
  action?: AuditAction;

  @Field({ nullable: true, description: 'Only records of this type, e.g. Child.' })
  entityType?: string;

  @Field({ nullable: true, description: 'Only entries covering this record (with entityType, one record\'s history): the reads of it, among others, and its writes.' })
  entityId?: string;

  @Field({ nullable: true, description: 'Only entries of this request (x-request-id).' })
  requestId?: string;

  @Field(() => DateScalar, { nullable: true, description: 'From this day (UTC), inclusive.' })
  from?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Up to this day (UTC), inclusive.' })
  to?: string;
}

const MAX_PAGE = 500;

/** Newest first by id: the key is the id alone. */
const cursor = cursorCodec('auditEvents', ['integer']);

interface AuditRow {
  id: string;
  occurred_at: Date;
  user_id: string;
  roles: string[];
  org: string;
  operation_name: string | null;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  record_ids: string[] | null;
  fields: string[];
}

/** A page of one subgraph's trail: keyset pagination on id, newest first; every condition a bound parameter. */
export async function auditEventPage(em: EntityManager, source: string, filter: AuditEventFilter | null | undefined, first: number, after: string | null | undefined): Promise<AuditEventConnection> {
  checkFirst(first, MAX_PAGE);
  const f = filter ?? {};
  if (f.action !== undefined && f.action !== null && !Object.values(AuditAction).includes(f.action)) {
    throw badUserInput([{ field: 'filter.action', message: 'filter.action: must be READ or WRITE.' }]);
  }
  const knex = em.getKnex();
  const filtered = (q: ReturnType<typeof knex>) => {
    if (f.userId) q.where('user_id', f.userId);
    if (f.action) q.where('action', f.action);
    if (f.entityType) q.where('entity_type', f.entityType);
    // Old entries and writes name their record in entity_id; a request's reads list theirs in record_ids (GIN-indexed).
    if (f.entityId) q.where((w) => w.where('entity_id', f.entityId!).orWhereRaw('record_ids @> ARRAY[CAST(? AS text)]', [f.entityId!]));
    if (f.requestId) q.where('request_id', f.requestId);
    if (f.from) q.where('occurred_at', '>=', `${f.from}T00:00:00Z`);
    if (f.to) q.whereRaw(`occurred_at < CAST(? AS timestamptz) + interval '1 day'`, [`${f.to}T00:00:00Z`]);
    return q;
  };
  const q = filtered(knex('audit_event').select('id', 'occurred_at', 'user_id', 'roles', 'org', 'operation_name', 'request_id', 'action', 'entity_type', 'entity_id', 'record_ids', 'fields'));
  // Counted only when asked for: a whole trail is long.
  const total = async () => Number((await em.getConnection().execute<Array<{ n: string }>>(filtered(knex('audit_event').count({ n: '*' }))))[0].n);
  if (after) q.where('id', '<', cursor.decode(after)[0]);
  q.orderBy('id', 'desc').limit(first + 1);
  const rows = await em.getConnection().execute<AuditRow[]>(q);
  return connectionOf(rows, { first, after }, (r) => cursor.encode([String(r.id)]), total, (r): AuditEvent => ({
      id: String(r.id),
      source,
      occurredAt: new Date(r.occurred_at).toISOString(),
      userId: r.user_id,
      roles: r.roles,
      org: r.org,
      operationName: r.operation_name,
      requestId: r.request_id,
      action: r.action as AuditAction,
      entityType: r.entity_type,
      entityId: r.entity_id,
      recordIds: r.record_ids ?? (r.entity_id === null ? [] : [r.entity_id]),
      fields: r.fields,
  }));
}

// eslint-disable-next-line @typescript-eslint/ban-types
const made = new Map<string, Function>();

/** The `<subgraph>AuditEvents` query for one subgraph; one class per subgraph, made once. */
// eslint-disable-next-line @typescript-eslint/ban-types
export function auditEventsResolver(subgraph: string): Function {
  const existing = made.get(subgraph);
  if (existing) return existing;

  @Resolver()
  class AuditEventsResolver {
    @Authorized(Access.AUDIT_READ)
    @Query(() => AuditEventConnection, {
      name: `${subgraph}AuditEvents`,
      description: `The ${subgraph} subgraph's audit trail (its own database's), newest first: every person-level read and every write. Auditors only.`,
    })
    async auditEvents(
      @Arg('filter', () => AuditEventFilter, { nullable: true, description: 'Which entries; the whole trail when left out.' }) filter: AuditEventFilter | null,
      @Arg('first', () => Int, { defaultValue: 50, description: `Entries per page, 1 to ${MAX_PAGE}.` }) first: number,
      @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
      @Ctx() context: SubgraphContext,
    ): Promise<AuditEventConnection> {
      return auditEventPage(context.em, subgraph, filter, first, after);
    }
  }
  made.set(subgraph, AuditEventsResolver);
  return AuditEventsResolver;
}
