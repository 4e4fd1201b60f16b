import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Authorized, Field, ID, Int, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import { SpaceDelivery } from './enums';
import type { HealthService } from './service';

@ObjectType({ description: 'A SPACE cohort: parents of anxious children meeting for a planned run of weekly sessions, in a group or one-to-one.' })
@Authorized(Access.HEALTH_AGGREGATES)
@Entity({ tableName: 'space_cohort' })
@Check({ name: 'space_cohort_planned_sessions_check', expression: 'planned_sessions >= 1 AND planned_sessions <= 52' })
export class SpaceCohort {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  /** The provider's cohort id (cohort_id in a SPACE file): what re-imports match on; null for seeded cohorts. Not exposed. */
  @Property({ type: 'string', length: 64, nullable: true, unique: true })
  sourceId?: string | null;

  @Field({ description: 'Name the service gives the cohort, e.g. "Mansfield group, spring 2025".' })
  @Property({ type: 'string' })
  name!: string;

  @ManyToOne({ entity: 'HealthService', fieldName: 'service_id', index: true })
  service!: HealthService;

  @Field(() => SpaceDelivery, { description: 'GROUP or ONE_TO_ONE.' })
  @Property({ type: 'string', length: 16 })
  delivery!: SpaceDelivery;

  @Field(() => DateScalar, { description: 'Date of the first session.' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => Int, { description: 'Sessions planned, weekly (usually 12).' })
  @Property({ type: 'integer' })
  plannedSessions!: number;
}

@ObjectType({ description: 'A family enrolled in a SPACE cohort for their child (pseudonymised: the child is known by link key only).' })
@Authorized(Access.HEALTH_PERSON_READ)
@Entity({ tableName: 'space_enrolment' })
@Unique({ properties: ['cohort', 'linkKey'] })
// FASA items 1-9 score 0-4 each: a total outside 0-36 is a recording error (rules/space.ts).
@Check({ name: 'space_enrolment_fasa_before_check', expression: 'fasa_before >= 0 AND fasa_before <= 36' })
@Check({ name: 'space_enrolment_fasa_after_check', expression: 'fasa_after >= 0 AND fasa_after <= 36' })
export class SpaceEnrolment {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'SpaceCohort', fieldName: 'cohort_id', index: true })
  cohort!: SpaceCohort;

  @Field({ description: DESCRIPTIONS.linkKey })
  @Property({ type: 'string', index: true })
  linkKey!: string;

  @Field(() => Int, { nullable: true, description: 'FASA (Family Accommodation Scale - Anxiety) parent-report score before the programme, 0-36; lower is better.' })
  @Property({ type: 'smallint', nullable: true })
  fasaBefore?: number | null;

  @Field(() => Int, { nullable: true, description: 'FASA parent-report score after the programme, 0-36; lower is better.' })
  @Property({ type: 'smallint', nullable: true })
  fasaAfter?: number | null;
}

@ObjectType({ description: 'Whether a family attended one planned session of its SPACE cohort.' })
@Authorized(Access.HEALTH_PERSON_READ)
@Entity({ tableName: 'space_attendance' })
@Unique({ properties: ['enrolment', 'sessionNumber'] })
@Check({ name: 'space_attendance_session_number_check', expression: 'session_number >= 1' })
export class SpaceAttendance {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'SpaceEnrolment', fieldName: 'enrolment_id', index: true })
  enrolment!: SpaceEnrolment;

  @Field(() => Int, { description: 'Session number, 1 to the cohort\'s planned sessions.' })
  @Property({ type: 'smallint' })
  sessionNumber!: number;

  @Field(() => DateScalar, { description: 'Date of the session.' })
  @Property({ type: 'date' })
  sessionDate!: string;

  @Field({ description: 'True when the family attended.' })
  @Property({ type: 'boolean' })
  attended!: boolean;
}
