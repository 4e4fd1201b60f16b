import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';

@ObjectType({ description: 'A referral of a child to an NHS-funded children\'s health service.' })
@Authorized(Access.HEALTH_PERSON_READ)
@Entity({ tableName: 'referral' })
export class Referral {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  /** The child, by the partnership's pseudonymous link key (never the NHS number). */
  @Field({ description: 'Pseudonymous cross-organisation key of the child referred.' })
  @Property({ type: 'string', index: true })
  linkKey!: string;

  @Field({ description: 'The care pathway: CAMHS, NEURODEVELOPMENTAL, SALT, OT, PHYSIOTHERAPY, COMMUNITY_PAEDIATRICS, EATING_DISORDERS or SPACE.' })
  @Property({ type: 'string' })
  pathway!: string;

  @Field(() => DateScalar, { description: 'Date the referral was received.' })
  @Property({ type: 'date' })
  receivedDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the first care contact, if there has been one.' })
  @Property({ type: 'date', nullable: true })
  firstContactDate?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date of discharge, if discharged.' })
  @Property({ type: 'date', nullable: true })
  dischargeDate?: string;
}
