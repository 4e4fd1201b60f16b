import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import type { Child } from './child';

@ObjectType({ description: 'An education, health and care (EHC) plan issued for a child.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'ehc_plan' })
export class EhcPlan {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'Child', fieldName: 'child_id', index: true })
  child!: Child;

  @Field(() => DateScalar, { description: 'Date the final plan was issued.' })
  @Property({ type: 'date' })
  issueDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date the plan ceased, if it has.' })
  @Property({ type: 'date', nullable: true })
  ceaseDate?: string;
}
