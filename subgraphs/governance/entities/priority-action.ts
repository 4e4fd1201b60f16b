import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { Kpi } from './kpi';

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'An action in the Priority Action Plan agreed after the area SEND inspection.' })
@Entity({ tableName: 'priority_action' })
export class PriorityAction {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'Short reference, e.g. PAP-1.2.' })
  @Property({ type: 'string', unique: true })
  reference!: string;

  @Field({ description: 'What will be done.' })
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: 'Owner organisation: LA, ICB or JOINT.' })
  @Property({ type: 'string', length: 8 })
  ownerOrganisation!: string;

  @ManyToOne({ entity: 'Kpi', fieldName: 'kpi_id', nullable: true })
  kpi?: Kpi;
}
