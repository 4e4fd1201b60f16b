import { Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import { Pathway, Urgency } from './enums';
import type { HealthService } from './service';

/**
 * The days a referral waits, as a range: from received up to (not including) the
 * first contact or discharge, whichever is first; open while neither has happened.
 * "Waiting on day d" is `WAIT_RANGE @> d`, which this GiST index answers without
 * reading the referrals that are not waiting (the measures ask it for every period).
 */
export const waitRange = (alias: string) =>
  `daterange(${alias}received_date, LEAST(${alias}first_contact_date, ${alias}discharge_date), '[)')`;
export const WAIT_INDEX_SQL = `CREATE INDEX referral_wait_index ON referral USING gist ((${waitRange('')}))`;

@ObjectType({ description: 'A referral of a child to an NHS-funded children\'s health service (pseudonymised: the child is known by link key only).' })
@Authorized(Access.HEALTH_PERSON_READ)
@Entity({ tableName: 'referral' })
@Index({ name: 'referral_wait_index', expression: WAIT_INDEX_SQL })
// Dates in order, as the importer checks (a backstop for any other writer).
@Check({ name: 'referral_first_contact_date_check', expression: 'first_contact_date >= received_date' })
@Check({ name: 'referral_second_contact_date_check', expression: 'second_contact_date >= first_contact_date' })
@Check({ name: 'referral_discharge_date_check', expression: 'discharge_date >= received_date' })
export class Referral {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  /** The provider's referral id (referral_id in its export): what re-imports match on. Not exposed. */
  @Property({ type: 'string', length: 64, unique: true })
  sourceId!: string;

  /** The child, by the partnership's pseudonymous link key (never the NHS number). */
  @Field({ description: DESCRIPTIONS.linkKey })
  @Property({ type: 'string', index: true })
  linkKey!: string;

  @ManyToOne({ entity: 'HealthService', fieldName: 'service_id', index: true })
  service!: HealthService;

  @Field(() => Pathway, { description: 'The care pathway referred to.' })
  @Property({ type: 'string', length: 32 })
  pathway!: Pathway;

  @Field(() => Urgency, { description: 'ROUTINE or URGENT, as the referral was accepted.' })
  @Property({ type: 'string', length: 8 })
  urgency!: Urgency;

  @Field(() => DateScalar, { description: 'Date the referral was received: waits count from this date.' })
  @Property({ type: 'date' })
  receivedDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the first care contact, if there has been one: the wait ends here.' })
  @Property({ type: 'date', nullable: true, index: true })
  firstContactDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the second care contact (treatment started), if there has been one.' })
  @Property({ type: 'date', nullable: true, index: true })
  secondContactDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of discharge, if discharged.' })
  @Property({ type: 'date', nullable: true })
  dischargeDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the child was discharged, as the provider recorded it.' })
  @Property({ type: 'string', length: 200, nullable: true })
  dischargeReason?: string | null;
}
