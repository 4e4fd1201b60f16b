import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { Pathway } from './enums';

@ObjectType({ description: 'A children\'s health service the ICB commissions, run by a provider on one pathway.' })
@Authorized(Access.HEALTH_AGGREGATES)
@Entity({ tableName: 'health_service' })
export class HealthService {
  @Field(() => ID, { description: 'Identifier of the service in this graph; measures and lists filter by it.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'The service code providers use in referral files (service_code), e.g. NNCAMHS.' })
  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Field({ description: 'Name of the service.' })
  @Property({ type: 'string' })
  name!: string;

  @Field({ description: 'The NHS trust or organisation that runs it.' })
  @Property({ type: 'string' })
  provider!: string;

  @Field(() => Pathway, { description: 'The care pathway the service is on.' })
  @Property({ type: 'string', length: 32 })
  pathway!: Pathway;
}
