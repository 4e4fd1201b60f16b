import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';

/**
 * Two records of the same child made one (commands/child.ts mergeChildren). The
 * merged record is gone, so this names it by id only: which record went into
 * which, who merged them, when and why. Kept for good beside the audit trail.
 */
@ObjectType({ description: 'Two records of the same child merged into one: which went into which, by whom, when and why.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'child_merge' })
export class ChildMerge {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => ID, { description: 'The record kept.' })
  @Property({ type: 'uuid', index: true })
  keptChildId!: string;

  @Field(() => ID, { description: 'The record merged into it, now removed.' })
  @Property({ type: 'uuid', unique: true })
  mergedChildId!: string;

  @Field({ description: 'Who merged them (user id).' })
  @Property({ type: 'string' })
  mergedBy!: string;

  @Field({ description: 'Why they are the same child.' })
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => DateScalar, { description: 'The day they were merged.' })
  @Property({ type: 'date' })
  mergedDate!: string;
}
