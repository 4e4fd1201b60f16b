import { Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Authorized, Directive, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';
import { SenType, Sex } from './enums';
import type { Team } from './team';

export const CHILD_NAME_MATCH_INDEX_SQL = 'CREATE INDEX child_name_match_index ON child (lower(surname), lower(forename), birth_date)';

@ObjectType({ description: DESCRIPTIONS.child })
@Authorized(Access.CASEWORK_PERSON_READ)
@Directive('@key(fields: "id")')
@Directive('@key(fields: "linkKey")')
@Entity({ tableName: 'child' })
// What the SEN2 import matches on (Migration20261206000300_child_match_indexes): names in any case, and the
// UPN as stored, which is always its normal form (Migration20261211000200_child_upn_normal_form).
@Index({ name: 'child_name_match_index', expression: CHILD_NAME_MATCH_INDEX_SQL })
@Check({ name: 'child_upn_normal_form_check', expression: 'upn = upper(btrim(upn))' })
// The order lists of children are paged in (Migration20261208000400_child_name_order_index).
@Index({ name: 'child_name_order_index', properties: ['surname', 'forename', 'id'] })
export class Child {
  @Field(() => ID, { description: 'The council\'s identifier for this child in this graph.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => String, { nullable: true, description: DESCRIPTIONS.linkKey })
  @Property({ type: 'string', unique: true, nullable: true })
  linkKey?: string | null;

  /** Held to derive linkKey and to match records; never exposed through GraphQL, never leaves this subgraph. */
  @Property({ type: 'string', length: 10, nullable: true, unique: true })
  nhsNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'Unique pupil number (a letter then 12 digits, or a letter, 11 digits and a letter).' })
  @Property({ type: 'string', length: 13, nullable: true, index: true })
  upn?: string | null;

  @Field(() => String, { nullable: true, description: 'Unique learner number (10 digits), for young people in further education or training.' })
  @Property({ type: 'string', length: 10, nullable: true, index: true })
  uln?: string | null;

  @Field({ description: 'Forename.' })
  @Property({ type: 'string' })
  forename!: string;

  @Field({ description: 'Surname.' })
  @Property({ type: 'string' })
  surname!: string;

  @Field(() => DateScalar, { description: 'Date of birth.' })
  @Property({ type: 'date' })
  birthDate!: string;

  @Field(() => Sex, { description: 'Sex as recorded in SEN2.' })
  @Property({ type: 'string', length: 1 })
  sex!: Sex;

  @Field(() => String, { nullable: true, description: 'Ethnicity, as the DfE\'s 4-letter code (e.g. WBRI).' })
  @Property({ type: 'string', length: 4, nullable: true })
  ethnicity?: string | null;

  @Field(() => String, { nullable: true, description: 'Home postcode.' })
  @Property({ type: 'string', nullable: true })
  postcode?: string | null;

  @Field(() => String, { nullable: true, description: 'District of the county the child lives in.' })
  @Property({ type: 'string', nullable: true, index: true })
  district?: string | null;

  /** Kept in step with the rank-1 need of the child's latest EHC plan: the filter for children and measures. */
  @Field(() => SenType, { nullable: true, description: 'Primary special educational need: the rank-1 need of the child\'s latest EHC plan.' })
  @Property({ type: 'string', length: 4, nullable: true, index: true })
  primaryNeed?: SenType | null;

  @ManyToOne({ entity: 'Team', fieldName: 'team_id', nullable: true, index: true })
  team?: Team | null;
}
