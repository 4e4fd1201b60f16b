import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { checkFirst, connectionOf, connectionTypes, type Connection } from '../../toolkit/connection';
import { cursorCodec } from '../../toolkit/cursor';
import { DateScalar } from '../../toolkit/date-scalar';
import { addDays, today } from '../../toolkit/dates';
import { countPolicy } from '../../toolkit/disclosure';
import { refId } from '../../toolkit/records';
import { HealthService, Pathway, Referral, ReferralStatus } from '../entities';
import { referralStatusAt, weeksWaited } from '../rules/waiting';
import { badInput, checkServiceId } from './input';
import { servicesById } from './loaders';

@InputType({ description: 'Which referrals to list; every condition given must hold.' })
export class ReferralFilter {
  @Field(() => Pathway, { nullable: true, description: 'On this pathway.' })
  pathway?: Pathway | null;

  @Field(() => ID, { nullable: true, description: 'To this service (a HealthService id).' })
  serviceId?: string | null;

  @Field(() => ReferralStatus, { nullable: true, description: 'Standing as of `asOf`.' })
  status?: ReferralStatus | null;

  @Field(() => DateScalar, { nullable: true, description: 'Received on or after this date.' })
  receivedFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Received on or before this date.' })
  receivedTo?: string | null;

  @Field(() => Int, { nullable: true, description: 'Waiting at `asOf` and for more than this many weeks (more than 7 x N days).' })
  waitingLongerThanWeeks?: number | null;

  @Field(() => DateScalar, { nullable: true, description: 'The date status and waits are judged at; today when left out.' })
  asOf?: string | null;
}

export const { Connection: ReferralConnection } = connectionTypes(Referral, 'Referral', { plural: 'referrals', order: 'oldest received first', suppressible: true });

const MAX_PAGE = 500;

/** Oldest received first; the id settles ties. */
const cursor = cursorCodec('referrals', ['date', 'uuid']);

/** The filter as a MikroORM query; status rules are those of rules/waiting.ts. */
export function referralWhere(filter: ReferralFilter, asOf: string): FilterQuery<Referral> {
  const and: Array<FilterQuery<Referral>> = [];
  if (filter.pathway) and.push({ pathway: filter.pathway });
  const serviceId = checkServiceId(filter.serviceId, 'filter.serviceId');
  if (serviceId) and.push({ service: serviceId });
  if (filter.receivedFrom) and.push({ receivedDate: { $gte: filter.receivedFrom } });
  if (filter.receivedTo) and.push({ receivedDate: { $lte: filter.receivedTo } });
  const notSeen: FilterQuery<Referral> = { $or: [{ firstContactDate: null }, { firstContactDate: { $gt: asOf } }] };
  const notDischarged: FilterQuery<Referral> = { $or: [{ dischargeDate: null }, { dischargeDate: { $gt: asOf } }] };
  const waiting = [{ receivedDate: { $lte: asOf } }, notSeen, notDischarged];
  if (filter.status === ReferralStatus.WAITING) and.push(...waiting);
  if (filter.status === ReferralStatus.SEEN) and.push({ receivedDate: { $lte: asOf } }, { firstContactDate: { $lte: asOf } }, notDischarged);
  if (filter.status === ReferralStatus.DISCHARGED) and.push({ receivedDate: { $lte: asOf } }, { dischargeDate: { $lte: asOf } });
  if (filter.waitingLongerThanWeeks !== null && filter.waitingLongerThanWeeks !== undefined) {
    // A hundred years is past any wait; beyond it the date arithmetic leaves the calendar.
    if (filter.waitingLongerThanWeeks < 0 || filter.waitingLongerThanWeeks > 5200) throw badInput('filter.waitingLongerThanWeeks', 'must be between 0 and 5200.');
    // More than 7N days at asOf: received before asOf - 7N.
    and.push(...waiting, { receivedDate: { $lt: addDays(asOf, -7 * filter.waitingLongerThanWeeks) } });
  }
  return and.length ? { $and: and } : {};
}

@Resolver(() => Referral)
export class ReferralResolver {
  @Authorized(Access.HEALTH_PERSON_READ)
  @Query(() => ReferralConnection, { description: 'Referrals matching a filter, oldest received first, a page at a time (pseudonymised: children by link key).' })
  async referrals(
    @Arg('filter', () => ReferralFilter, { nullable: true, description: 'Which referrals; all when left out.' }) filter: ReferralFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: `Page size, 1-${MAX_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Referral>> {
    checkFirst(first, MAX_PAGE);
    const f = filter ?? new ReferralFilter();
    const asOf = f.asOf ?? today();
    const where = referralWhere(f, asOf);
    const em = context.em;
    let pageWhere = where;
    if (after) {
      const [receivedDate, id] = cursor.decode(after);
      pageWhere = { $and: [where, { $or: [{ receivedDate: { $gt: receivedDate } }, { receivedDate, id: { $gt: id } }] }] };
    }
    const rows = await em.find(Referral, pageWhere, { orderBy: { receivedDate: 'asc', id: 'asc' }, limit: first + 1 });
    // A count of people: withheld when small, for roles that see health aggregates suppressed.
    const total = async () => countPolicy(context, 'health')(await em.count(Referral, where));
    return connectionOf(rows, { first, after }, (r) => cursor.encode([r.receivedDate, r.id]), total);
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => HealthService, { description: 'The service referred to.' })
  async service(@Root() referral: Referral, @Ctx() context: SubgraphContext): Promise<HealthService> {
    return (await servicesById(context).load(refId(referral.service)))!;
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => ReferralStatus, { nullable: true, description: 'Where the referral stands on `asOf` (today when left out); null if not yet received then.' })
  status(@Root() referral: Referral, @Arg('asOf', () => DateScalar, { nullable: true, description: 'The date to judge at; today when left out.' }) asOf: string | null): ReferralStatus | null {
    return referralStatusAt(referral, asOf ?? today()) as ReferralStatus | null;
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => Float, { nullable: true, description: 'Weeks waited (days / 7, one decimal) on `asOf` (today when left out) if still waiting then; null otherwise.' })
  weeksWaited(@Root() referral: Referral, @Arg('asOf', () => DateScalar, { nullable: true, description: 'The date to judge at; today when left out.' }) asOf: string | null): number | null {
    const w = weeksWaited(referral, asOf ?? today());
    return w === null ? null : Math.round(w * 10) / 10;
  }
}
