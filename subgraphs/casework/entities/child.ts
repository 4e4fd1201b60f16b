import { Collection, Entity, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Directive, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import { EhcPlan } from './ehc-plan';

@ObjectType({ description: DESCRIPTIONS.child })
@Authorized(Access.CASEWORK_PERSON_READ)
@Directive('@key(fields: "id")')
@Directive('@key(fields: "linkKey")')
@Entity({ tableName: 'child' })
export class Child {
  @Field(() => ID, { description: 'The council\'s identifier for this child in this graph.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ nullable: true, description: DESCRIPTIONS.linkKey })
  @Property({ type: 'string', unique: true, nullable: true })
  linkKey?: string;

  /** Held to derive linkKey and to match records; never leaves this subgraph. */
  @Property({ type: 'string', length: 10, nullable: true })
  nhsNumber?: string;

  @Property({ type: 'string', length: 13, nullable: true })
  upn?: string;

  @Property({ type: 'string', length: 10, nullable: true })
  uln?: string;

  @Field({ description: 'Forename.' })
  @Property({ type: 'string' })
  forename!: string;

  @Field({ description: 'Surname.' })
  @Property({ type: 'string' })
  surname!: string;

  @Field(() => DateScalar, { description: 'Date of birth.' })
  @Property({ type: 'date' })
  birthDate!: string;

  @Property({ type: 'string', length: 1 })
  sex!: string;

  @Property({ type: 'string', length: 4, nullable: true })
  ethnicity?: string;

  @Property({ type: 'string', nullable: true })
  postcode?: string;

  @Field({ nullable: true, description: 'District of the county the child lives in.' })
  @Property({ type: 'string', nullable: true })
  district?: string;

  @OneToMany(() => EhcPlan, (plan) => plan.child)
  ehcPlans = new Collection<EhcPlan>(this);
}
