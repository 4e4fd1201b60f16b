import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Authorized, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { GovernanceBody } from './body';
import { EscalationStatus, FeedbackSource, FindingKind, GeographicLevel, Organisation, ReviewKind } from './enums';
import { PriorityAction } from './pap';

/** The names of the duplicate guards on free text, which the migration creates as written here. */
export const ESCALATION_UNIQUE = 'escalation_body_id_raised_on_issue_unique';
export const FAMILY_FEEDBACK_UNIQUE = 'family_feedback_source_theme_received_on_you_said_unique';

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'An issue escalated to a governance body, with the response it owes.' })
@Entity({ tableName: 'escalation' })
// The same issue escalated to the same body on the same day is one escalation, whoever pressed the button.
// The issue is free text, so the index holds its digest: a btree entry cannot hold a long text.
@Unique({ name: ESCALATION_UNIQUE, expression: `create unique index "${ESCALATION_UNIQUE}" on "escalation" ("body_id", "raised_on", md5("issue"))` })
export class Escalation {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'Who raised it (role or name).' })
  @Property({ type: 'string' })
  raisedBy!: string;

  @Field(() => Organisation, { description: 'The organisation that raised it.' })
  @Enum({ items: () => Organisation, type: 'string', length: 8 })
  raisedByOrganisation!: Organisation;

  @ManyToOne({ entity: () => GovernanceBody, fieldName: 'body_id' })
  body!: GovernanceBody;

  @ManyToOne({ entity: () => PriorityAction, fieldName: 'action_id', nullable: true })
  action?: PriorityAction | null;

  @Field({ description: 'The issue escalated.' })
  @Property({ type: 'text' })
  issue!: string;

  @Field(() => DateScalar, { description: 'When it was raised.' })
  @Property({ fieldName: 'raised_on', type: 'date' })
  raisedDate!: string;

  @Field(() => DateScalar, { description: 'When the body must respond by.' })
  @Property({ fieldName: 'response_due_on', type: 'date' })
  responseDueDate!: string;

  @Field(() => String, { nullable: true, description: 'The body\'s response.' })
  @Property({ type: 'text', nullable: true })
  response?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'When the body responded.' })
  @Property({ fieldName: 'responded_on', type: 'date', nullable: true })
  respondedDate?: string | null;

  @Field(() => EscalationStatus, { description: 'OPEN, RESPONDED or CLOSED.' })
  @Enum({ items: () => EscalationStatus, type: 'string', length: 16 })
  status!: EscalationStatus;

  @Field({ description: 'Whether partner apps may see it.' })
  @Property({ type: 'boolean', default: false })
  published: boolean = false;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A DfE/NHS England stocktake of the Priority Action Plan, or an Area of Priority Action deep dive.' })
@Entity({ tableName: 'review' })
export class Review {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => ReviewKind, { description: 'STOCKTAKE or DEEP_DIVE.' })
  @Enum({ items: () => ReviewKind, type: 'string', length: 16 })
  kind!: ReviewKind;

  @Field(() => DateScalar, { description: 'When it takes or took place.' })
  @Property({ fieldName: 'held_on', type: 'date' })
  heldDate!: string;

  @Field({ description: 'Who carries it out, e.g. "DfE Regions Group (East Midlands) and NHS England".' })
  @Property({ type: 'string' })
  conductedBy!: string;

  @Field({ description: 'Title.' })
  @Property({ type: 'string' })
  title!: string;

  @Field({ description: 'Whether partner apps may see it.' })
  @Property({ type: 'boolean', default: true })
  published: boolean = true;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A finding of a stocktake or deep dive: a strength or an improvement needed.' })
@Entity({ tableName: 'review_finding' })
export class ReviewFinding {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Review, fieldName: 'review_id', index: true })
  review!: Review;

  @Field(() => FindingKind, { description: 'STRENGTH or IMPROVEMENT_NEEDED.' })
  @Enum({ items: () => FindingKind, type: 'string', length: 24 })
  kind!: FindingKind;

  @Field({ description: 'The finding, in the reviewers\' words.' })
  @Property({ type: 'text' })
  text!: string;

  @Field(() => [String], { description: 'References of the Priority Action Plan actions that respond to it.' })
  @Property({ type: 'json' })
  linkedActionReferences: string[] = [];

  @Property({ type: 'integer' })
  position!: number;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'Family voice: what families or young people said, and what the partnership did ("you said, we did").' })
@Entity({ tableName: 'family_feedback' })
// The same words from the same source on the same theme and day are one piece of feedback recorded twice.
// "You said" is free text, so the index holds its digest: a btree entry cannot hold a long text.
@Unique({ name: FAMILY_FEEDBACK_UNIQUE, expression: `create unique index "${FAMILY_FEEDBACK_UNIQUE}" on "family_feedback" ("source", "theme", "received_on", md5("you_said"))` })
export class FamilyFeedback {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => FeedbackSource, { description: 'Where it came from.' })
  @Enum({ items: () => FeedbackSource, type: 'string', length: 24 })
  source!: FeedbackSource;

  @Field({ description: 'The theme, e.g. "Communication", "Allocated worker".' })
  @Property({ type: 'string', index: true })
  theme!: string;

  @Field(() => DateScalar, { description: 'When it was received.' })
  @Property({ fieldName: 'received_on', type: 'date' })
  receivedDate!: string;

  @Field({ description: 'You said: what families told us, without naming anyone.' })
  @Property({ type: 'text' })
  youSaid!: string;

  @Field(() => String, { nullable: true, description: 'We did: the partnership\'s response; null until there is one.' })
  @Property({ type: 'text', nullable: true })
  weDid?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'When the response was given.' })
  @Property({ fieldName: 'responded_on', type: 'date', nullable: true })
  respondedDate?: string | null;

  @Field({ description: 'Whether partner apps may see it.' })
  @Property({ type: 'boolean', default: true })
  published: boolean = true;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A figure DfE publishes for an area and year (Education, health and care plans statistics), imported to compare with.' })
@Entity({ tableName: 'published_comparator' })
@Unique({ properties: ['measureCode', 'year', 'areaCode'] })
@Index({ properties: ['measureCode', 'release'] })
export class PublishedComparator {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'The measure code it compares with, e.g. EHC_20WK_EXCL.' })
  @Property({ type: 'string', length: 64 })
  measureCode!: string;

  @Field(() => Int, { description: 'The year: the calendar year for flows (plans issued, requests, reviews); the January of the count for caseload (2025 for 2024/25).' })
  @Property({ type: 'integer' })
  year!: number;

  @Field({ description: 'The period as DfE writes it, e.g. 2024 or 202425.' })
  @Property({ type: 'string', length: 8 })
  timePeriod!: string;

  @Field(() => GeographicLevel, { description: 'NATIONAL, REGIONAL or LOCAL_AUTHORITY.' })
  @Enum({ items: () => GeographicLevel, type: 'string', length: 16 })
  geographicLevel!: GeographicLevel;

  @Field({ description: 'The area\'s ONS code: E92000001 (England), E12... (region), E06/E08/E09/E10... (local authority).' })
  @Property({ type: 'string', length: 9 })
  areaCode!: string;

  @Field(() => String, { nullable: true, description: 'The old three-digit local authority code, e.g. 891.' })
  @Property({ type: 'string', length: 3, nullable: true })
  oldLaCode?: string | null;

  @Field({ description: 'The area\'s name.' })
  @Property({ type: 'string' })
  areaName!: string;

  @Field(() => String, { nullable: true, description: 'The region\'s ONS code, for a local authority or region.' })
  @Property({ type: 'string', length: 9, nullable: true })
  regionCode?: string | null;

  @Field(() => Float, { nullable: true, description: 'The published figure; null when DfE marks it not available, suppressed or not applicable.' })
  @Property({ type: 'double', nullable: true })
  value?: number | null;

  @Field(() => Float, { nullable: true, description: 'The numerator DfE publishes with a percentage, when it does.' })
  @Property({ type: 'double', nullable: true })
  numerator?: number | null;

  @Field(() => Float, { nullable: true, description: 'The denominator DfE publishes with a percentage, when it does.' })
  @Property({ type: 'double', nullable: true })
  denominator?: number | null;

  @Field(() => String, { nullable: true, description: 'DfE\'s symbol when there is no figure: x not available, c suppressed, z not applicable (and other EES symbols such as low, u, k).' })
  @Property({ type: 'string', length: 8, nullable: true })
  marker?: string | null;

  @Field({ description: 'The file it came from.' })
  @Property({ type: 'string' })
  sourceFile!: string;

  @Field(() => Int, { nullable: true, description: 'The DfE release it came from (2025 for the release of June 2025, with 2024\'s flows and January 2025\'s plans); null when imported before releases were recorded.' })
  @Property({ type: 'integer', nullable: true })
  release?: number | null;
}
