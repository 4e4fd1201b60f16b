import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { TeamKind } from './enums';

@ObjectType({ description: 'A team of the council\'s statutory SEND service.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'team' })
export class Team {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'Team name, e.g. Plan and Review North.' })
  @Property({ type: 'string', unique: true })
  name!: string;

  @Field(() => TeamKind, { description: 'What the team does.' })
  @Property({ type: 'string', length: 32 })
  kind!: TeamKind;
}

@ObjectType({ description: 'A caseworker of the statutory SEND service.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'caseworker' })
export class Caseworker {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'Name as colleagues and families know it.' })
  @Property({ type: 'string' })
  name!: string;

  @ManyToOne({ entity: () => Team, fieldName: 'team_id', index: true })
  team!: Team;
}
