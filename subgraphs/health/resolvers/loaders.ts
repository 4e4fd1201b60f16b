import { groupByKeys, indexByKeys, type SubgraphContext } from '../../toolkit/context';
import { refId } from '../../toolkit/records';
import { rowsWhereIn } from '../../toolkit/rows';
import { HealthAdvice, HealthService, Referral, SpaceAttendance, SpaceCohort, SpaceEnrolment } from '../entities';

/**
 * The request's DataLoaders: every list or reference asked for by many parents in
 * one request costs one SQL query, however many parents there are.
 */

export const referralsByLinkKey = (context: SubgraphContext) =>
  context.loaders.get<string, Referral[]>('Referral.byLinkKey', async (keys) => {
    const rows = await context.em.find(Referral, { linkKey: { $in: [...keys] } }, { orderBy: { receivedDate: 'asc', id: 'asc' } });
    return groupByKeys(keys, rows, (r) => r.linkKey);
  });

export const enrolmentsByLinkKey = (context: SubgraphContext) =>
  context.loaders.get<string, SpaceEnrolment[]>('SpaceEnrolment.byLinkKey', async (keys) => {
    const rows = await context.em.find(SpaceEnrolment, { linkKey: { $in: [...keys] } }, { orderBy: { id: 'asc' } });
    return groupByKeys(keys, rows, (e) => e.linkKey);
  });

export const enrolmentsByCohort = (context: SubgraphContext) =>
  context.loaders.get<string, SpaceEnrolment[]>('SpaceEnrolment.byCohort', async (ids) => {
    const rows = await context.em.find(SpaceEnrolment, { cohort: { $in: [...ids] } }, { orderBy: { id: 'asc' } });
    return groupByKeys(ids, rows, (e) => refId(e.cohort));
  });

export const attendanceByEnrolment = (context: SubgraphContext) =>
  context.loaders.get<string, SpaceAttendance[]>('SpaceAttendance.byEnrolment', async (ids) => {
    const rows = await context.em.find(SpaceAttendance, { enrolment: { $in: [...ids] } }, { orderBy: { sessionNumber: 'asc' } });
    return groupByKeys(ids, rows, (a) => refId(a.enrolment));
  });

export const servicesById = (context: SubgraphContext) =>
  context.loaders.get<string, HealthService | null>('HealthService.byId', async (ids) => {
    const rows = await context.em.find(HealthService, { id: { $in: [...ids] } });
    return indexByKeys(ids, rows, (s) => s.id);
  });

export const cohortsById = (context: SubgraphContext) =>
  context.loaders.get<string, SpaceCohort | null>('SpaceCohort.byId', async (ids) => {
    const rows = await context.em.find(SpaceCohort, { id: { $in: [...ids] } });
    return indexByKeys(ids, rows, (c) => c.id);
  });

// Plain rows (toolkit/rows.ts): a caseworker's page asks for the advice of every assessment on it, and hydrating cost more than the SQL.
export const healthAdviceByAssessment = (context: SubgraphContext) =>
  context.loaders.get<string, HealthAdvice | null>('HealthAdvice.byAssessment', async (ids) => {
    const rows = await rowsWhereIn(context, HealthAdvice, 'assessmentId', ids);
    return indexByKeys(ids, rows, (h) => h.assessmentId);
  });
