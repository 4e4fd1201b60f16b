import { Arg, Authorized, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { storedRead } from '../../toolkit/stored-reads';
import { breakdownPolicy } from '../../toolkit/disclosure';
import { Pathway } from '../entities';
import { waitRange } from '../entities/referral';
import { WAITING_BANDS } from '../rules/waiting';
import { checkServiceId } from './input';

@ObjectType({ description: 'How many referrals had waited a number of weeks within one band.' })
export class WaitingListBand {
  @Field({ description: 'The band, e.g. "18-52" (more than 18 and up to 52 weeks; "0-4" includes a wait of 0 days).' })
  label!: string;

  @Field(() => Int, { description: 'Lower bound in weeks (exclusive, except 0).' })
  minWeeks!: number;

  @Field(() => Int, { nullable: true, description: 'Upper bound in weeks (inclusive); null for the open top band.' })
  maxWeeks!: number | null;

  @Field(() => Int, { nullable: true, description: 'Referrals waiting in the band; null when withheld to protect small numbers.' })
  count!: number | null;

  @Field({ description: 'True when the count was withheld.' })
  suppressed!: boolean;
}

@ObjectType({ description: 'The children\'s health waiting list on a date, by weeks waited.' })
export class WaitingList {
  @Field(() => DateScalar, { description: 'The date the list is taken on.' })
  asOf!: string;

  @Field(() => Pathway, { nullable: true, description: 'The pathway, or null for all.' })
  pathway!: Pathway | null;

  @Field(() => Int, { nullable: true, description: 'Referrals waiting in all; null when withheld.' })
  total!: number | null;

  @Field({ description: 'True when the total was withheld.' })
  totalSuppressed!: boolean;

  @Field(() => [WaitingListBand], { description: 'Bands 0-4, 4-13, 13-18, 18-52 and 52+ weeks.' })
  bands!: WaitingListBand[];
}

@InputType({ description: 'Which referrals the waiting list counts; every condition given must hold.' })
export class WaitingListFilter {
  @Field(() => Pathway, { nullable: true, description: 'Only referrals on this pathway.' })
  pathway?: Pathway | null;

  @Field(() => ID, { nullable: true, description: 'Only this service (a HealthService id).' })
  serviceId?: string | null;
}

@Resolver()
export class WaitingListResolver {
  @Authorized(Access.HEALTH_AGGREGATES)
  @Query(() => WaitingList, { description: 'Referrals waiting on `asOf` (received by then, no first contact and no discharge by then), by weeks waited: one database round trip.' })
  async waitingList(
    @Arg('asOf', () => DateScalar, { description: 'The date the waits are judged at.' }) asOf: string,
    @Arg('filter', () => WaitingListFilter, { nullable: true, description: 'Which referrals are counted; all waiting when left out.' }) filter: WaitingListFilter | null,
    @Ctx() context: SubgraphContext,
  ): Promise<WaitingList> {
    const pathway = filter?.pathway ?? null;
    const serviceId = checkServiceId(filter?.serviceId, 'filter.serviceId');
    // Bands are closed at the top, in days: 0-28, 29-91, 92-126, 127-364, 365+.
    const cells = WAITING_BANDS.map((b, i) => {
      const lower = i === 0 ? null : 7 * b.minWeeks;
      const upper = b.maxWeeks === null ? null : 7 * b.maxWeeks;
      const cond = [lower === null ? null : `w.days > ${lower}`, upper === null ? null : `w.days <= ${upper}`].filter(Boolean).join(' AND ');
      return `count(*) FILTER (WHERE ${cond})::int AS b${i}`;
    });
    const sql = `SELECT ${cells.join(', ')}, count(*)::int AS total FROM (
        SELECT CAST(:asOf AS date) - r.received_date AS days FROM referral r
        WHERE ${waitRange('r.')} @> CAST(:asOf AS date)
          AND (CAST(:pathway AS text) IS NULL OR r.pathway = CAST(:pathway AS text))
          AND (CAST(:serviceId AS uuid) IS NULL OR r.service_id = CAST(:serviceId AS uuid))
      ) w`;
    const em = context.em;
    // The counts before any caller's suppression, filed under health's data version: a date's list is
    // the same for every caller until a referral is written, and counting it reads every waiting referral.
    const row = await storedRead(context, 'health_data_version', `waitingList|${asOf}|${pathway}|${serviceId}`, async () => {
      const [counts] = await em.getConnection().execute<Array<Record<string, number>>>(em.getKnex().raw(sql, { asOf, pathway, serviceId }));
      return counts;
    });
    const disclosed = breakdownPolicy(context, 'health')(WAITING_BANDS.map((_, i) => row[`b${i}`]), row.total);
    return {
      asOf,
      pathway,
      total: disclosed.total?.value ?? null,
      totalSuppressed: disclosed.total?.suppressed ?? false,
      bands: WAITING_BANDS.map((b, i) => ({ label: b.label, minWeeks: b.minWeeks, maxWeeks: b.maxWeeks, count: disclosed.cells[i].value, suppressed: disclosed.cells[i].suppressed })),
    };
  }
}
