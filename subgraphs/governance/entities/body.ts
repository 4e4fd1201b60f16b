import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Authorized, Field, ID, Int, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A governance body of the SEND partnership, e.g. the SEND Partnership Improvement Board.' })
@Entity({ tableName: 'governance_body' })
export class GovernanceBody {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'Short code, e.g. SPIB, SELG, PAIG.' })
  @Property({ type: 'string', length: 16, unique: true })
  code!: string;

  @Field({ description: 'Full name.' })
  @Property({ type: 'string' })
  name!: string;

  @Field({ description: 'How often it meets, in words, e.g. "Every six weeks".' })
  @Property({ type: 'string' })
  cadence!: string;

  @Field(() => String, { nullable: true, description: 'Who chairs it, and whether independently.' })
  @Property({ type: 'string', nullable: true })
  chair?: string | null;

  @Field({ description: 'What it is for.' })
  @Property({ type: 'text' })
  purpose!: string;

  @Field(() => DateScalar, { description: 'First day it operates.' })
  @Property({ fieldName: 'starts_on', type: 'date' })
  startDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Last day it operates; null while it continues.' })
  @Property({ fieldName: 'ends_on', type: 'date', nullable: true })
  endDate?: string | null;

  @Field({ description: 'Whether partner apps may see it.' })
  @Property({ type: 'boolean', default: true })
  published: boolean = true;
}

/** Something a meeting records as decided or to be done. */
export interface MeetingActionArising {
  description: string;
  owner: string;
  dueDate: string | null;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'An action arising from a meeting: who will do what, by when.' })
export class ActionArising {
  @Field({ description: 'What will be done.' })
  description!: string;

  @Field({ description: 'Who will do it.' })
  owner!: string;

  @Field(() => DateScalar, { nullable: true, description: 'By when.' })
  dueDate!: string | null;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'How many attended from one organisation.' })
export class Attendance {
  @Field({ description: 'The organisation: LA, ICB, the parent carer forum, schools, DfE, ...' })
  organisation!: string;

  @Field(() => Int, { description: 'How many attended from it.' })
  count!: number;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A meeting of a governance body.' })
@Entity({ tableName: 'meeting' })
// A body meets at most once a day: a second meeting of it on the same date is the first one submitted twice.
@Unique({ properties: ['body', 'heldDate'] })
export class Meeting {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => GovernanceBody, fieldName: 'body_id', index: true })
  body!: GovernanceBody;

  @Field(() => DateScalar, { description: 'The date it meets or met.' })
  @Property({ fieldName: 'held_on', type: 'date', index: true })
  heldDate!: string;

  @Field({ description: 'Title, e.g. "Improvement Board, February 2026".' })
  @Property({ type: 'string' })
  title!: string;

  @Field(() => [String], { description: 'The topics the meeting focuses on.' })
  @Property({ type: 'json' })
  focusTopics: string[] = [];

  @Field(() => [Attendance], { description: 'Attendance by organisation.' })
  @Property({ type: 'json' })
  attendance: Attendance[] = [];

  @Field(() => [String], { description: 'What was discussed, one paragraph per item, as the partner briefing tells it.' })
  @Property({ type: 'json' })
  discussion: string[] = [];

  @Field(() => [String], { description: 'Decisions taken.' })
  @Property({ type: 'json' })
  decisions: string[] = [];

  @Field(() => [ActionArising], { description: 'Actions arising.' })
  @Property({ type: 'json' })
  actionsArising: MeetingActionArising[] = [];

  @Field({ description: 'Whether partner apps may see it.' })
  @Property({ type: 'boolean', default: false })
  published: boolean = false;
}
