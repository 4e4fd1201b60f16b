import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Authorized, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import type { Child } from './child';
import { RequestOutcome, RequestSource } from './enums';

@ObjectType({ description: 'A request for an EHC needs assessment, and the council\'s decision whether to assess.' })
@Authorized(Access.CASEWORK_PERSON_READ)
@Entity({ tableName: 'ehcna_request' })
// One request per child and received date: a request recorded twice is one request (migration 20261124000100).
@Unique({ properties: ['child', 'receivedDate'] })
export class EhcnaRequest {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'Child', fieldName: 'child_id' })
  child!: Child;

  @Field(() => DateScalar, { description: 'Date the council received the request: every statutory timescale counts from it.' })
  @Property({ type: 'date', index: true })
  receivedDate!: string;

  @Field(() => RequestSource, { nullable: true, description: 'Who made the request, where known.' })
  @Property({ type: 'string', length: 16, nullable: true })
  source?: RequestSource | null;

  @Field(() => RequestOutcome, { description: 'The decision whether to assess.' })
  @Property({ type: 'string', length: 1 })
  outcome!: RequestOutcome;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the decision (due within 6 weeks of the request).' })
  @Property({ type: 'date', nullable: true, index: true })
  outcomeDate?: string | null;

  @Field({ description: 'Whether mediation followed the decision.' })
  @Property({ type: 'boolean', default: false })
  mediation: boolean = false;

  @Field({ description: 'Whether the decision was appealed to the tribunal.' })
  @Property({ type: 'boolean', default: false })
  tribunal: boolean = false;
}
