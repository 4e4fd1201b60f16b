import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';

/**
 * Health advice the council asked the ICB for during an EHC needs assessment. The
 * council's caseworkers see these dates and nothing of the child's referrals.
 */
@ObjectType({ description: 'Health advice for an EHC needs assessment: when the council asked for it and when health returned it (due within 6 weeks).' })
@Authorized(Access.HEALTH_ADVICE_DATES_READ)
@Entity({ tableName: 'health_advice_request' })
export class HealthAdvice {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'The council\'s id of the EHC needs assessment the advice is for.' })
  @Property({ type: 'string', length: 64, unique: true })
  assessmentId!: string;

  /** The child, by link key; not exposed here (the assessment knows its child). */
  @Property({ type: 'string', index: true })
  linkKey!: string;

  @Field(() => DateScalar, { description: 'Date the council asked for health advice.' })
  @Property({ type: 'date' })
  askedDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date health returned its advice; null while outstanding.' })
  @Property({ type: 'date', nullable: true, index: true })
  returnedDate?: string | null;
}
