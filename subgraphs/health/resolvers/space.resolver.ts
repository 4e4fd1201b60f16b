import { Arg, Authorized, Ctx, Field, FieldResolver, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { checkFirst, connectionTypes, findPage, type Connection } from '../../toolkit/connection';
import { cursorCodec } from '../../toolkit/cursor';
import type { SubgraphContext } from '../../toolkit/context';
import { indexByKeys } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { measurePolicy } from '../../toolkit/disclosure';
import { measureValue } from '../../toolkit/measures/engine';
import { MeasurePoint } from '../../toolkit/measures/types';
import { refId } from '../../toolkit/records';
import { HealthService, SpaceAttendance, SpaceCohort, SpaceDelivery, SpaceEnrolment } from '../entities';
import { healthCatalogue } from '../measures/catalogue';
import { cohortEndDate, completedSpace, fasaChange } from '../rules/space';
import { badInput } from './input';
import { attendanceByEnrolment, cohortsById, enrolmentsByCohort, servicesById } from './loaders';

@ObjectType({ description: 'What a SPACE cohort achieved, under the same small-number rules as the measures. Each point spans the cohort\'s first to last planned session.' })
export class SpaceCohortOutcomes {
  @Field(() => MeasurePoint, { description: 'Families enrolled (as SPACE_FAMILIES_ENROLLED).' })
  familiesEnrolled!: MeasurePoint;

  @Field(() => MeasurePoint, { description: 'Families attending at least 75% of planned sessions, as a percentage of those enrolled (as SPACE_COMPLETION_PCT; partial while the cohort runs).' })
  completion!: MeasurePoint;

  @Field(() => MeasurePoint, { description: 'Mean FASA change, after minus before, among families with both scores (as SPACE_FASA_MEAN_CHANGE); negative is improvement.' })
  fasaMeanChange!: MeasurePoint;
}

interface OutcomeRow {
  id: string;
  enrolled: number;
  completed: number;
  both_scores: number;
  change_sum: number | null;
}

function outcomesByCohort(context: SubgraphContext) {
  return context.loaders.get<string, OutcomeRow | null>('SpaceCohort.outcomes', async (ids) => {
    const em = context.em;
    const rows = await em.getConnection().execute<OutcomeRow[]>(
      `SELECT c.id,
          count(e.id)::int AS enrolled,
          count(e.id) FILTER (WHERE 4 * att.n >= 3 * c.planned_sessions)::int AS completed,
          count(e.id) FILTER (WHERE e.fasa_before IS NOT NULL AND e.fasa_after IS NOT NULL)::int AS both_scores,
          sum(e.fasa_after - e.fasa_before)::float8 AS change_sum
        FROM space_cohort c
        LEFT JOIN space_enrolment e ON e.cohort_id = c.id
        LEFT JOIN LATERAL (SELECT count(*) AS n FROM space_attendance a WHERE a.enrolment_id = e.id AND a.attended) att ON true
        WHERE c.id IN (?)
        GROUP BY c.id`,
      [[...ids]],
    );
    return indexByKeys(ids, rows, (r) => r.id);
  });
}

@InputType({ description: 'Which SPACE cohorts to list; every condition given must hold.' })
export class SpaceCohortFilter {
  @Field(() => DateScalar, { nullable: true, description: 'Only cohorts whose first session is on or after this date.' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Only cohorts whose first session is on or before this date.' })
  to?: string | null;

  @Field(() => SpaceDelivery, { nullable: true, description: 'Only GROUP or only ONE_TO_ONE cohorts.' })
  delivery?: SpaceDelivery | null;
}

export const { Connection: SpaceCohortConnection } = connectionTypes(SpaceCohort, 'SpaceCohort', { plural: 'SPACE cohorts', order: 'in start order' });

const MAX_PAGE = 100;
const cohortCursor = cursorCodec('spaceCohorts', ['date', 'text', 'uuid']);

@Resolver(() => SpaceCohort)
export class SpaceCohortResolver {
  @Authorized(Access.HEALTH_AGGREGATES)
  @Query(() => SpaceCohortConnection, { description: 'SPACE cohorts, in start order, with their outcomes.' })
  async spaceCohorts(
    @Arg('filter', () => SpaceCohortFilter, { nullable: true, description: 'Which cohorts; all when left out.' }) filter: SpaceCohortFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: `Page size, 1-${MAX_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<SpaceCohort>> {
    checkFirst(first, MAX_PAGE);
    const { from, to, delivery } = filter ?? {};
    if (from && to && to < from) throw badInput('filter.to', `${to} is before filter.from (${from}).`);
    const where = {
      ...(from || to ? { startDate: { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) } } : {}),
      ...(delivery ? { delivery } : {}),
    };
    return findPage(context.em, SpaceCohort, where, [['startDate', 'asc'], ['name', 'asc'], ['id', 'asc']], cohortCursor, { first, after });
  }

  @Authorized(Access.HEALTH_AGGREGATES)
  @FieldResolver(() => HealthService, { description: 'The service that runs the cohort.' })
  async service(@Root() cohort: SpaceCohort, @Ctx() context: SubgraphContext): Promise<HealthService> {
    return (await servicesById(context).load(refId(cohort.service)))!;
  }

  @Authorized(Access.HEALTH_AGGREGATES)
  @FieldResolver(() => DateScalar, { description: 'Date of the last planned session (weekly sessions from the start date).' })
  endDate(@Root() cohort: SpaceCohort): string {
    return cohortEndDate(cohort.startDate, cohort.plannedSessions);
  }

  @Authorized(Access.HEALTH_AGGREGATES)
  @FieldResolver(() => SpaceCohortOutcomes, { description: 'Enrolment, completion and FASA change for this cohort.' })
  async outcomes(@Root() cohort: SpaceCohort, @Ctx() context: SubgraphContext): Promise<SpaceCohortOutcomes> {
    const row = (await outcomesByCohort(context).load(cohort.id)) ?? { id: cohort.id, enrolled: 0, completed: 0, both_scores: 0, change_sum: null };
    const policy = measurePolicy(context, 'health');
    const span = { periodStart: cohort.startDate, periodEnd: cohortEndDate(cohort.startDate, cohort.plannedSessions), suppressed: false };
    const point = (code: string, numerator: number | null, denominator: number | null) => {
      const d = healthCatalogue.get(code);
      return policy(d, { ...span, numerator, denominator: d.kind === 'COUNT' ? null : denominator, value: measureValue(d.kind, numerator, denominator) });
    };
    return {
      familiesEnrolled: point('SPACE_FAMILIES_ENROLLED', row.enrolled, null),
      completion: point('SPACE_COMPLETION_PCT', row.completed, row.enrolled),
      fasaMeanChange: point('SPACE_FASA_MEAN_CHANGE', row.both_scores ? row.change_sum : null, row.both_scores),
    };
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => [SpaceEnrolment], { description: 'The families enrolled (pseudonymised: children by link key).' })
  async enrolments(@Root() cohort: SpaceCohort, @Ctx() context: SubgraphContext): Promise<SpaceEnrolment[]> {
    return enrolmentsByCohort(context).load(cohort.id);
  }
}

@Resolver(() => SpaceEnrolment)
export class SpaceEnrolmentResolver {
  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => SpaceCohort, { description: 'The cohort the family was enrolled in.' })
  async cohort(@Root() enrolment: SpaceEnrolment, @Ctx() context: SubgraphContext): Promise<SpaceCohort> {
    return (await cohortsById(context).load(refId(enrolment.cohort)))!;
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => [SpaceAttendance], { description: 'Attendance at each session held so far, in session order.' })
  async attendance(@Root() enrolment: SpaceEnrolment, @Ctx() context: SubgraphContext): Promise<SpaceAttendance[]> {
    return attendanceByEnrolment(context).load(enrolment.id);
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => Int, { description: 'Sessions the family attended.' })
  async sessionsAttended(@Root() enrolment: SpaceEnrolment, @Ctx() context: SubgraphContext): Promise<number> {
    return (await attendanceByEnrolment(context).load(enrolment.id)).filter((a) => a.attended).length;
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => Boolean, { description: 'True when the family attended at least 75% of the cohort\'s planned sessions.' })
  async completed(@Root() enrolment: SpaceEnrolment, @Ctx() context: SubgraphContext): Promise<boolean> {
    const [attendance, cohort] = await Promise.all([attendanceByEnrolment(context).load(enrolment.id), cohortsById(context).load(refId(enrolment.cohort))]);
    return completedSpace(attendance.filter((a) => a.attended).length, cohort!.plannedSessions);
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => Int, { nullable: true, description: 'FASA after minus before; negative is improvement; null without both scores.' })
  fasaChange(@Root() enrolment: SpaceEnrolment): number | null {
    return fasaChange(enrolment.fasaBefore, enrolment.fasaAfter);
  }
}
