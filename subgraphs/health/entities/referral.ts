import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import { Pathway, Urgency } from './enums';
import type { HealthService } from './service';

@ObjectType({ description: 'A referral of a child to an NHS-funded children\'s health service (pseudonymised: the child is known by link key only).' })
@Authorized(Access.HEALTH_PERSON_READ)
@Entity({ tableName: 'referral' })
export class Referral {
  @Field(() => ID)
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
  @Property({ type: 'date', nullable: true })
  firstContactDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the second care contact (treatment started), if there has been one.' })
  @Property({ type: 'date', nullable: true })
  secondContactDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of discharge, if discharged.' })
  @Property({ type: 'date', nullable: true })
  dischargeDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the child was discharged, as the provider recorded it.' })
  @Property({ type: 'string', length: 200, nullable: true })
  dischargeReason?: string | null;
}
