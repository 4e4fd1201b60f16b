import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, Float, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A key performance indicator the partnership tracks: a live casework or health measure with a target.' })
@Entity({ tableName: 'kpi' })
export class Kpi {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'Name as the board reports it.' })
  @Property({ type: 'string' })
  name!: string;

  @Field({ description: 'The measure code in the owning subgraph, e.g. PLANS_ACTIVE.' })
  @Property({ type: 'string' })
  measureCode!: string;

  @Field({ description: 'Which organisation owns the measure: LA or ICB.' })
  @Property({ type: 'string', length: 8 })
  ownerOrganisation!: string;

  @Field(() => Float, { nullable: true, description: 'The value aimed for.' })
  @Property({ type: 'double', nullable: true })
  target?: number;
}
