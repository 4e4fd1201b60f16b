import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, Int, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import type { EhcNeedsAssessment } from './assessment';
import type { Child } from './child';
import { CeaseReason, SenSetting, SenType } from './enums';

@ObjectType({ description: 'An education, health and care (EHC) plan issued for a child.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'ehc_plan' })
export class EhcPlan {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'Child', fieldName: 'child_id', index: true })
  child!: Child;

  /** Null for a plan transferred in from another council or issued before the records began. */
  @ManyToOne({ entity: 'EhcNeedsAssessment', fieldName: 'assessment_id', nullable: true, unique: true })
  assessment?: EhcNeedsAssessment | null;

  @Field(() => DateScalar, { description: 'Date the final plan was issued (SEN2 StartDate).' })
  @Property({ type: 'date', index: true })
  issueDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date the family agreed to the final plan being issued before their 15 days to comment on the draft ran out (reg 13(1)); null when they did not.' })
  @Property({ type: 'date', nullable: true })
  familyAgreedEarlyDate?: string | null;

  @Field({ description: 'Whether the plan includes a personal budget.' })
  @Property({ type: 'boolean', default: false })
  personalBudget: boolean = false;

  @Field(() => DateScalar, { nullable: true, description: 'Date the plan ceased, if it has.' })
  @Property({ type: 'date', nullable: true })
  ceaseDate?: string | null;

  @Field(() => CeaseReason, { nullable: true, description: 'Why the plan ceased.' })
  @Property({ type: 'string', length: 1, nullable: true })
  ceaseReason?: CeaseReason | null;
}

@ObjectType({ description: 'Where an EHC plan places the child: a school or college (URN or UKPRN) or another setting.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'plan_placement' })
export class PlanPlacement {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => EhcPlan, fieldName: 'plan_id', index: true })
  plan!: EhcPlan;

  @Field(() => Int, { description: '1 for the main placement, 2 for a second (dual) placement.' })
  @Property({ type: 'smallint' })
  rank!: number;

  @Field(() => String, { nullable: true, description: 'School or setting URN (6 digits).' })
  @Property({ type: 'string', length: 6, nullable: true })
  urn?: string | null;

  @Field(() => String, { nullable: true, description: 'College or provider UKPRN (8 digits).' })
  @Property({ type: 'string', length: 8, nullable: true })
  ukprn?: string | null;

  @Field(() => SenSetting, { nullable: true, description: 'The setting when it is not a school or college with a URN or UKPRN.' })
  @Property({ type: 'string', length: 4, nullable: true })
  senSetting?: SenSetting | null;

  @Field({ description: 'In a SEN unit.' })
  @Property({ type: 'boolean', default: false })
  senUnit: boolean = false;

  @Field({ description: 'In resourced provision.' })
  @Property({ type: 'boolean', default: false })
  resourcedProvision: boolean = false;
}

@ObjectType({ description: 'A special educational need named in an EHC plan, ranked 1 (primary) or 2.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'plan_sen_need' })
export class SenNeed {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => EhcPlan, fieldName: 'plan_id', index: true })
  plan!: EhcPlan;

  @Field(() => SenType, { description: 'The type of need.' })
  @Property({ type: 'string', length: 4 })
  senType!: SenType;

  @Field(() => Int, { description: '1 primary, 2 secondary.' })
  @Property({ type: 'smallint' })
  rank!: number;
}
