import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import type { EhcPlan } from './ehc-plan';
import { ReviewOutcome } from './enums';

@ObjectType({ description: 'An annual review of an EHC plan: when it was due, the meeting, and the council\'s decision.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'annual_review' })
// One review per plan and meeting: a meeting recorded twice is one review (migration 20261124000100).
@Unique({ properties: ['plan', 'meetingDate'] })
export class AnnualReview {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'EhcPlan', fieldName: 'plan_id' })
  plan!: EhcPlan;

  @Field(() => DateScalar, { description: '12 months after the plan was issued or the last review meeting.' })
  @Property({ type: 'date' })
  dueDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the review meeting; null while it has not been held.' })
  @Property({ type: 'date', nullable: true })
  meetingDate?: string | null;

  @Field(() => ReviewOutcome, { nullable: true, description: 'The decision: maintain, amend or cease.' })
  @Property({ type: 'string', length: 1, nullable: true })
  outcome?: ReviewOutcome | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date the decision was notified (due within 4 weeks of the meeting).' })
  @Property({ type: 'date', nullable: true, index: true })
  decisionDate?: string | null;
}
