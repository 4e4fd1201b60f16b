import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import type { Child } from './child';
import type { Caseworker, Team } from './team';

/**
 * Who the child's allocated worker is, over time. A row with no caseworker is a
 * decision that the child has no allocated worker (a plan working well), with who
 * decided, why, and when it is next reviewed.
 */
@ObjectType({ description: 'A period in which a child had an allocated worker, or deliberately had none.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'worker_allocation' })
// One allocation per child and start date, and one open (no end date) at a time per child (migration 20261124000100).
@Unique({ properties: ['child', 'startDate'] })
@Unique({ name: 'worker_allocation_one_open_per_child', expression: 'CREATE UNIQUE INDEX worker_allocation_one_open_per_child ON worker_allocation (child_id) WHERE end_date IS NULL' })
export class WorkerAllocation {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'Child', fieldName: 'child_id' })
  child!: Child;

  @ManyToOne({ entity: 'Team', fieldName: 'team_id', nullable: true, index: true })
  team?: Team | null;

  @ManyToOne({ entity: 'Caseworker', fieldName: 'caseworker_id', nullable: true, index: true })
  caseworker?: Caseworker | null;

  @Field(() => DateScalar, { description: 'First day this allocation held.' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Last day it held (inclusive); null while it holds.' })
  @Property({ type: 'date', nullable: true })
  endDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Who decided the child has no allocated worker (null when there is a worker).' })
  @Property({ type: 'string', nullable: true })
  decidedBy?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the child has no allocated worker.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'When the decision to have no allocated worker is next reviewed.' })
  @Property({ type: 'date', nullable: true })
  nextReviewDate?: string | null;
}
