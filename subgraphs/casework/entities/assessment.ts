import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Directive, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import type { Child } from './child';
import { AssessmentOutcome, TwentyWeekException } from './enums';
import type { EhcnaRequest } from './request';

/**
 * Owned by casework; health extends it with the health advice it gave (the
 * council sends this id with each request for health advice).
 */
@ObjectType({ description: DESCRIPTIONS.ehcNeedsAssessment })
@Authorized(Access.CASEWORK_PERSON_READ)
@Directive('@key(fields: "id")')
@Entity({ tableName: 'ehc_needs_assessment' })
export class EhcNeedsAssessment {
  @Field(() => ID, { description: 'The council\'s identifier for this EHC needs assessment.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'EhcnaRequest', fieldName: 'request_id', unique: true })
  request!: EhcnaRequest;

  @ManyToOne({ entity: 'Child', fieldName: 'child_id', index: true })
  child!: Child;

  @Field(() => AssessmentOutcome, { description: 'Outcome: issue a plan, not issue, still under way, withdrawn.' })
  @Property({ type: 'string', length: 1 })
  outcome!: AssessmentOutcome;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the decision to issue a plan or not.' })
  @Property({ type: 'date', nullable: true })
  outcomeDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date the draft EHC plan was sent to the family (who then have at least 15 days to comment).' })
  @Property({ type: 'date', nullable: true })
  draftPlanDate?: string | null;

  @Field({ description: 'True when an exception under reg 10(4) means the 20-week limit does not apply (SEN2 Week20).' })
  @Property({ type: 'boolean', default: false })
  week20Exception: boolean = false;

  @Field(() => TwentyWeekException, { nullable: true, description: 'Which reg 10(4) exception applies, where known.' })
  @Property({ type: 'string', length: 1, nullable: true })
  exceptionReason?: TwentyWeekException | null;

  @Field({ description: 'Whether mediation followed the outcome.' })
  @Property({ type: 'boolean', default: false })
  mediation: boolean = false;

  @Field({ description: 'Whether the outcome was appealed to the tribunal.' })
  @Property({ type: 'boolean', default: false })
  tribunal: boolean = false;

  @Field(() => DateScalar, { nullable: true, description: 'Date educational psychology advice was asked for.' })
  @Property({ type: 'date', nullable: true })
  epAdviceAskedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date educational psychology advice was returned (due within 6 weeks of being asked).' })
  @Property({ type: 'date', nullable: true, index: true })
  epAdviceReturnedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date health advice was asked for from the ICB.' })
  @Property({ type: 'date', nullable: true })
  healthAdviceAskedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date health advice was returned, as the council recorded it.' })
  @Property({ type: 'date', nullable: true })
  healthAdviceReturnedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date social care advice was asked for.' })
  @Property({ type: 'date', nullable: true })
  socialCareAdviceAskedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date social care advice was returned.' })
  @Property({ type: 'date', nullable: true })
  socialCareAdviceReturnedDate?: string | null;
}
