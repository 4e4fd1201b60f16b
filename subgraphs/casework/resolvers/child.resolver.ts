import type { GraphQLError } from 'graphql';
import { badUserInput } from '../../../platform/problems';
import { checkFirst, connectionOf, connectionTypes, findPage, pageOfLoaded, type Connection } from '../../toolkit/connection';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { cursorCodec } from '../../toolkit/cursor';
import { DateScalar, isIsoDate } from '../../toolkit/date-scalar';
import { addMonths, today } from '../../toolkit/dates';
import { Caseworker, Child, EhcNeedsAssessment, EhcnaRequest, EhcPlan, Team, WorkerAllocation } from '../entities';
import { AGE_BANDS, AgeBand, SenType, TeamKind } from '../entities/enums';
import { reviewDueAfterSql } from '../rules/timescales';
import { manyBy, oneBy } from './loaders';
import { plainRow } from '../../toolkit/rows';
import { isUuid, refId } from '../../toolkit/records';
import { storedReadAt, tableVersions } from '../../toolkit/stored-reads';


/** BAD_USER_INPUT for one field, by the one helper every subgraph uses. */
export function badInput(field: string, message: string): GraphQLError {
  return badUserInput([{ field, message }]);
}

/** One query for every Child asked for by id in this request. */
export function childrenById(context: SubgraphContext) {
  return oneBy(context, Child, 'id');
}

/** One query for every Child asked for by link key in this request. */
export function childrenByLinkKey(context: SubgraphContext) {
  return oneBy(context, Child, 'linkKey');
}

@InputType({ description: 'Which children to list; every filter given must hold.' })
export class ChildFilter {
  @Field(() => String, { nullable: true, description: 'District of the county the child lives in.' })
  district?: string | null;

  @Field(() => SenType, { nullable: true, description: 'Primary need (rank-1 need of the latest plan).' })
  primaryNeed?: SenType | null;

  @Field(() => Boolean, { nullable: true, description: 'True: only children with an EHC plan in force on `asOf`; false: only those without.' })
  hasActivePlan?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'True: only children with no allocated caseworker on `asOf` (by decision or not); false: only those with one.' })
  noAllocatedWorker?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'True: only children with a plan in force whose annual review is overdue on `asOf`; false: only those without.' })
  reviewOverdue?: boolean | null;

  @Field(() => AgeBand, { nullable: true, description: 'Age on `asOf`.' })
  ageBand?: AgeBand | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the filters are judged on; today when left out.' })
  asOf?: string | null;
}

export const { Connection: ChildConnection } = connectionTypes(Child, 'Child', {
  plural: 'children',
  order: 'in surname, forename order',
  decorate: [Authorized(Access.CASEWORK_PERSON_READ)],
});

const activePlanSql = `SELECT 1 FROM ehc_plan e WHERE e.child_id = c.id AND e.issue_date <= ? AND (e.cease_date IS NULL OR e.cease_date > ?)`;

/** In surname, forename order; the id settles ties. */
const cursor = cursorCodec('children', ['text', 'text', 'uuid']);

/** The SQL conditions (with their parameters) for a filter, and the tables they read; `c` is the child table. */
export function childFilterSql(filter: ChildFilter | null | undefined): { where: string[]; params: unknown[]; tables: Set<string> } {
  const where: string[] = [];
  const params: unknown[] = [];
  const tables = new Set<string>(['child']);
  const asOf = filter?.asOf ?? today();
  if (filter?.district) {
    where.push('c.district = ?');
    params.push(filter.district);
  }
  if (filter?.primaryNeed) {
    where.push('c.primary_need = ?');
    params.push(filter.primaryNeed);
  }
  if (filter?.hasActivePlan !== undefined && filter?.hasActivePlan !== null) {
    where.push(`${filter.hasActivePlan ? '' : 'NOT '}EXISTS (${activePlanSql})`);
    params.push(asOf, asOf);
    tables.add('ehc_plan');
  }
  if (filter?.noAllocatedWorker !== undefined && filter?.noAllocatedWorker !== null) {
    where.push(`${filter.noAllocatedWorker ? 'NOT ' : ''}EXISTS (SELECT 1 FROM worker_allocation w WHERE w.child_id = c.id AND w.caseworker_id IS NOT NULL AND w.start_date <= ? AND (w.end_date IS NULL OR w.end_date >= ?))`);
    params.push(asOf, asOf);
    tables.add('worker_allocation');
  }
  if (filter?.reviewOverdue !== undefined && filter?.reviewOverdue !== null) {
    where.push(`${filter.reviewOverdue ? '' : 'NOT '}EXISTS (${activePlanSql}
      AND ${reviewDueAfterSql('e.issue_date')} < CAST(? AS date)
      AND NOT EXISTS (SELECT 1 FROM annual_review v WHERE v.plan_id = e.id AND v.meeting_date <= ? AND ${reviewDueAfterSql('v.meeting_date')} >= CAST(? AS date)))`);
    params.push(asOf, asOf, asOf, asOf, asOf);
    tables.add('ehc_plan').add('annual_review');
  }
  if (filter?.ageBand) {
    const [min, max] = AGE_BANDS[filter.ageBand];
    where.push('c.birth_date <= ? AND c.birth_date > ?');
    params.push(addMonths(asOf, -12 * min), addMonths(asOf, -12 * (max + 1)));
  }
  return { where, params, tables };
}

@Resolver(() => Child)
export class ChildResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @Query(() => Child, { nullable: true, description: 'One child by id; null when there is none.' })
  async child(@Arg('id', () => ID, { description: 'The child\'s id.' }) id: string, @Ctx() context: SubgraphContext): Promise<Child | null> {
    return isUuid(id) ? childrenById(context).load(id) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @Query(() => ChildConnection, { description: 'Children matching a filter, a page at a time, in surname, forename order, with the total that match.' })
  async children(
    @Arg('filter', () => ChildFilter, { nullable: true, description: 'Which children; all when left out.' }) filter: ChildFilter | null,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size, 1-100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Child>> {
    checkFirst(first, 100);
    if (filter?.asOf && !isIsoDate(filter.asOf)) throw badInput('filter.asOf', 'filter.asOf: must be a date written YYYY-MM-DD.');
    const em = context.em;
    const { where, params, tables } = childFilterSql(filter);
    const pageWhere = [...where];
    const pageParams = [...params];
    if (after) {
      pageWhere.push('(c.surname, c.forename, c.id) > (?, ?, CAST(? AS uuid))');
      pageParams.push(...cursor.decode(after));
    }
    const rows = await em.getConnection().execute<Array<Record<string, unknown>>>(
      `SELECT c.* FROM child c${pageWhere.length ? ` WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY c.surname, c.forename, c.id LIMIT ${first + 1}`,
      pageParams,
    );
    // Counting every match costs a scan that grows with the data (a second at England's size), so the
    // total is filed under the versions of the tables its filter reads: the same for every caller,
    // counted again only after a write to one of them (Migration20261210000100_casework_table_versions).
    const countSql = `SELECT count(*)::int AS n FROM child c${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    const total = async () =>
      storedReadAt(context, await tableVersions(context, 'casework_table_version', [...tables]), `children.total|${countSql}|${JSON.stringify(params)}`, async () => (await em.getConnection().execute<Array<{ n: number }>>(countSql, params))[0].n);
    return connectionOf(
      rows.map((row) => plainRow(context, Child, row)),
      { first, after },
      (c) => cursor.encode([c.surname, c.forename, c.id]),
      total,
    );
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => [EhcnaRequest], { description: 'Requests for an EHC needs assessment, oldest first.' })
  async requests(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<EhcnaRequest[]> {
    return manyBy(context, EhcnaRequest, 'child', { receivedDate: 'asc' }).load(child.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => [EhcNeedsAssessment], { description: 'EHC needs assessments, in the order of their requests.' })
  async assessments(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<EhcNeedsAssessment[]> {
    return manyBy(context, EhcNeedsAssessment, 'child', { outcomeDate: 'asc' }).load(child.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => [EhcPlan], { description: 'EHC plans issued for this child, oldest first.' })
  async ehcPlans(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<EhcPlan[]> {
    return manyBy(context, EhcPlan, 'child', { issueDate: 'asc' }).load(child.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => [WorkerAllocation], { description: 'Allocated workers over time, and decisions to have none, oldest first.' })
  async workerAllocations(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<WorkerAllocation[]> {
    return manyBy(context, WorkerAllocation, 'child', { startDate: 'asc' }).load(child.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => WorkerAllocation, { nullable: true, description: 'The allocation holding today: a caseworker, or a recorded decision to have none. Null when there is neither.' })
  async currentAllocation(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<WorkerAllocation | null> {
    const asOf = today();
    const all = await manyBy(context, WorkerAllocation, 'child', { startDate: 'asc' }).load(child.id);
    return [...all].reverse().find((a) => a.startDate <= asOf && (!a.endDate || a.endDate >= asOf)) ?? null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Caseworker, { nullable: true, description: 'The caseworker allocated today; null when there is none (see currentAllocation for a decision to have none).' })
  async allocatedWorker(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<Caseworker | null> {
    const current = await this.currentAllocation(child, context);
    return current?.caseworker ? oneBy(context, Caseworker, 'id').load(refId(current.caseworker)) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Team, { nullable: true, description: 'The team responsible for the child now.' })
  async team(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<Team | null> {
    return child.team ? oneBy(context, Team, 'id').load(refId(child.team)) : null;
  }
}

@Resolver(() => WorkerAllocation)
export class WorkerAllocationResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Caseworker, { nullable: true, description: 'The allocated caseworker; null when the child has none.' })
  async caseworker(@Root() allocation: WorkerAllocation, @Ctx() context: SubgraphContext): Promise<Caseworker | null> {
    return allocation.caseworker ? oneBy(context, Caseworker, 'id').load(refId(allocation.caseworker)) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Team, { nullable: true, description: 'The team responsible.' })
  async team(@Root() allocation: WorkerAllocation, @Ctx() context: SubgraphContext): Promise<Team | null> {
    return allocation.team ? oneBy(context, Team, 'id').load(refId(allocation.team)) : null;
  }
}

@InputType({ description: 'Which teams to list; every condition given must hold.' })
export class TeamFilter {
  @Field(() => TeamKind, { nullable: true, description: 'Only teams that do this.' })
  kind?: TeamKind | null;
}

export const { Connection: TeamConnection } = connectionTypes(Team, 'Team', {
  plural: 'teams',
  order: 'by name',
  decorate: [Authorized(Access.CASEWORK_PERSON_READ)],
});

const teamCursor = cursorCodec('teams', ['text', 'uuid']);

export const { Connection: CaseworkerConnection } = connectionTypes(Caseworker, 'Caseworker', {
  plural: 'caseworkers',
  order: 'by name',
  decorate: [Authorized(Access.CASEWORK_PERSON_READ)],
});

const teamCaseworkersCursor = cursorCodec('Team.caseworkers', ['text', 'uuid']);

@Resolver(() => Team)
export class TeamResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @Query(() => TeamConnection, { description: 'The statutory SEND service\'s teams, by name.' })
  async teams(
    @Arg('filter', () => TeamFilter, { nullable: true, description: 'Which teams; all when left out.' }) filter: TeamFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1-100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Team>> {
    checkFirst(first, 100);
    return findPage(context.em, Team, filter?.kind ? { kind: filter.kind } : {}, [['name', 'asc'], ['id', 'asc']], teamCursor, { first, after });
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => CaseworkerConnection, { description: 'The team\'s caseworkers, by name, a page at a time.' })
  async caseworkers(
    @Root() team: Team,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1-100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Caseworker>> {
    const rows = await manyBy(context, Caseworker, 'team', { name: 'asc' }).load(team.id);
    return pageOfLoaded(rows, [['name', 'asc'], ['id', 'asc']], teamCaseworkersCursor, { first: checkFirst(first, 100), after });
  }
}

@Resolver(() => Caseworker)
export class CaseworkerResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Team, { description: 'The caseworker\'s team.' })
  async team(@Root() worker: Caseworker, @Ctx() context: SubgraphContext): Promise<Team> {
    return (await oneBy(context, Team, 'id').load(refId(worker.team)))!;
  }
}

export async function resolveChildReference(reference: Record<string, unknown>, context: SubgraphContext): Promise<Child | null> {
  if (typeof reference.id === 'string') return !isUuid(reference.id) ? null : childrenById(context).load(reference.id);
  if (typeof reference.linkKey === 'string') return childrenByLinkKey(context).load(reference.linkKey);
  return null;
}

