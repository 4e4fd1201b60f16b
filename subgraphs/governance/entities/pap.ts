import { Check, Collection, Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Authorized, Field, Float, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { Interval } from '../../toolkit/measures/periods';
import { ActionStatusValue, DirectionValue, Organisation } from './enums';

/** The name of milestone's duplicate guard, which a conflict is recognised by. */
export const MILESTONE_UNIQUE = 'milestone_action_id_due_on_title_unique';

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'An area for priority action named by the inspection, under which the Priority Action Plan groups its actions.' })
@Entity({ tableName: 'pap_area' })
export class PapArea {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'Short reference, e.g. APA-1.' })
  @Property({ type: 'string', length: 16, unique: true })
  reference!: string;

  @Field({ description: 'The area, in the inspection\'s words.' })
  @Property({ type: 'string' })
  title!: string;

  @Field({ description: 'What must change.' })
  @Property({ type: 'text' })
  description!: string;

  @Field({ description: 'Whether partner apps may see it.' })
  @Property({ type: 'boolean', default: true })
  published: boolean = true;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A key performance indicator the partnership tracks: a live casework or health measure with a baseline, a target and a trajectory.' })
@Entity({ tableName: 'kpi' })
export class Kpi {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field({ description: 'Name as the board reports it.' })
  @Property({ type: 'string' })
  name!: string;

  @Field({ description: 'The measure code in the owning subgraph, e.g. PLANS_ACTIVE.' })
  @Property({ type: 'string', length: 64, unique: true })
  measureCode!: string;

  @Field(() => Organisation, { description: 'Which organisation owns the measure: LA (casework) or ICB (health).' })
  @Enum({ items: () => Organisation, type: 'string', length: 8 })
  ownerOrganisation!: Organisation;

  @Field(() => Interval, { description: 'The period the board reads it by.' })
  @Enum({ items: () => Interval, type: 'string', length: 16 })
  interval!: Interval;

  @Field(() => Float, { nullable: true, description: 'The value when the plan started.' })
  @Property({ type: 'double', nullable: true })
  baseline?: number | null;

  @Field(() => String, { nullable: true, description: 'What the baseline was measured over, e.g. "2022 calendar year".' })
  @Property({ type: 'string', nullable: true })
  baselinePeriod?: string | null;

  @Field(() => Float, { nullable: true, description: 'The value aimed for.' })
  @Property({ type: 'double', nullable: true })
  target?: number | null;

  @Field(() => DateScalar, { nullable: true, description: 'When the target should be met.' })
  @Property({ type: 'date', nullable: true })
  targetDate?: string | null;

  @Field(() => DirectionValue, { description: 'Whether higher or lower is better.' })
  @Enum({ items: () => DirectionValue, type: 'string', length: 20 })
  direction!: DirectionValue;

  @Field(() => Float, { description: 'How far short of the trajectory, in the measure\'s unit, still counts as AMBER rather than RED.' })
  @Property({ type: 'double' })
  amberTolerance!: number;

  /** Expected value per period: [{ periodEnd, value }]. Exposed through the trajectory field. */
  @Property({ type: 'json' })
  trajectory: Array<{ periodEnd: string; value: number }> = [];

  @Field(() => [String], { description: 'Old local authority codes (e.g. 891) of the statistical neighbours to compare with.' })
  @Property({ type: 'json' })
  statisticalNeighbours: string[] = [];

  @Field({ description: 'Whether partner apps may see it.' })
  @Property({ type: 'boolean', default: true })
  published: boolean = true;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'An action in the Priority Action Plan agreed after the area SEND inspection.' })
@Entity({ tableName: 'priority_action' })
export class PriorityAction {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => PapArea, fieldName: 'area_id', index: true })
  area!: PapArea;

  @Field({ description: 'Short reference, e.g. PAP-1.2.' })
  @Property({ type: 'string', length: 16, unique: true })
  reference!: string;

  @Field({ description: 'What will be done.' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => Organisation, { description: 'Owner organisation: LA, ICB or JOINT.' })
  @Enum({ items: () => Organisation, type: 'string', length: 8 })
  ownerOrganisation!: Organisation;

  @Field({ description: 'The role that leads it, e.g. "Service Director, SEND".' })
  @Property({ type: 'string' })
  leadRole!: string;

  @Field(() => DateScalar, { description: 'When work started: the clock for "no progress update for six weeks" runs from here until the first update.' })
  @Property({ fieldName: 'started_on', type: 'date' })
  startDate!: string;

  @Enum({ items: () => ActionStatusValue, type: 'string', length: 16, nullable: true })
  overrideStatus?: ActionStatusValue | null;

  @Property({ type: 'text', nullable: true })
  overrideReason?: string | null;

  @Property({ fieldName: 'override_expires_on', type: 'date', nullable: true })
  overrideExpiryDate?: string | null;

  @Field({ description: 'Whether partner apps may see it.' })
  @Property({ type: 'boolean', default: true })
  published: boolean = true;

  @OneToMany(() => Milestone, (m) => m.action)
  milestones = new Collection<Milestone>(this);
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A milestone of a Priority Action Plan action, with its due date.' })
@Entity({ tableName: 'milestone' })
// The same milestone (title) due on the same date twice on one action is one milestone submitted twice.
// The title is free text, so the index holds its digest: a btree entry cannot hold a long text.
@Unique({ name: MILESTONE_UNIQUE, expression: `create unique index "${MILESTONE_UNIQUE}" on "milestone" ("action_id", "due_on", md5("title"))` })
// A KPI and a threshold together, or neither: a milestone is met by a reading of one against the other.
@Check({ name: 'milestone_kpi_threshold_check', expression: '(("kpi_id" is null) = ("threshold" is null))' })
export class Milestone {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => PriorityAction, fieldName: 'action_id', index: true })
  action!: PriorityAction;

  @Field({ description: 'What will be done by the due date.' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => DateScalar, { description: 'When it is due.' })
  @Property({ fieldName: 'due_on', type: 'date' })
  dueDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'When the board recorded it complete; null while it is not. A milestone tied to a KPI is met by its readings instead: see ActionAssessment.milestones.' })
  @Property({ fieldName: 'completed_on', type: 'date', nullable: true })
  completedDate?: string | null;

  /** The KPI whose reading meets this milestone, with `threshold`; null for a milestone the board marks complete. */
  @ManyToOne({ entity: () => Kpi, fieldName: 'kpi_id', nullable: true, index: true })
  kpi?: Kpi | null;

  @Field(() => Float, { nullable: true, description: 'With kpi: the value, in the KPI\'s own unit, a reading must reach in the KPI\'s direction for the milestone to be met (e.g. 46 for "46% within 20 weeks in a quarter").' })
  @Property({ type: 'double', nullable: true })
  threshold?: number | null;

  @Field(() => DateScalar, { nullable: true, description: 'With kpi: readings of periods starting on or after this date count (null: from the action\'s start), so a level held before the work began does not meet it.' })
  @Property({ type: 'date', nullable: true })
  measuredFrom?: string | null;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A progress report on an action: the current position and the next steps, both required.' })
@Entity({ tableName: 'progress_update' })
// One position per action per date: a second report at the same date is the first one submitted twice.
@Unique({ properties: ['action', 'recordedDate'] })
export class ProgressUpdate {
  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => PriorityAction, fieldName: 'action_id', index: true })
  action!: PriorityAction;

  @Field(() => DateScalar, { description: 'The date the position is reported at.' })
  @Property({ fieldName: 'recorded_on', type: 'date' })
  recordedDate!: string;

  @Field({ description: 'Where things stand.' })
  @Property({ type: 'text' })
  currentPosition!: string;

  @Field({ description: 'What happens next.' })
  @Property({ type: 'text' })
  nextSteps!: string;

  @Field({ description: 'Who reported it.' })
  @Property({ type: 'string' })
  recordedBy!: string;
}

/** Which KPIs show whether an action is working. */
@Entity({ tableName: 'priority_action_kpi' })
@Unique({ properties: ['action', 'kpi'] })
export class PriorityActionKpi {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => PriorityAction, fieldName: 'action_id', index: true })
  action!: PriorityAction;

  @ManyToOne({ entity: () => Kpi, fieldName: 'kpi_id', index: true })
  kpi!: Kpi;
}
