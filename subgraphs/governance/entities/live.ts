import { Authorized, Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DateScalar } from '../../toolkit/date-scalar';
import { FIGURE_DESCRIPTIONS, FIGURE_KEY, MeasureFigure } from '../../toolkit/measures/figures';
import { Escalation, PublishedComparator, Review } from './oversight';
import { Meeting } from './body';
import { ActionStatusValue, Organisation, RagValue, TrendValue } from './enums';
import { Kpi, PapArea, PriorityAction } from './pap';

export const RAG_REASON_DESCRIPTION = 'Why the RAG is GREY: no value for the period, withheld to protect small numbers, nothing to compare with, or the owning organisation\'s service did not answer. Null when the reading is rated.';

/** What a governance field computed from live figures requires the gateway to fetch first. */
const FIGURE_SELECTION = 'code interval available points { periodStart periodEnd value suppressed }';
export const REQUIRES_FIGURES = `@requires(fields: "caseworkFigures { ${FIGURE_SELECTION} } healthFigures { ${FIGURE_SELECTION} }")`;

/**
 * The key and the external figures every live governance type shares. The figures
 * fields belong to casework and health; governance only receives them.
 */
@ObjectType()
export abstract class FigureKeyed {
  @Field(() => ID, { description: FIGURE_DESCRIPTIONS.id })
  id!: string;

  @Field(() => DateScalar, { description: FIGURE_DESCRIPTIONS.asOf })
  asOf!: string;

  // Plumbing between subgraphs, hidden from clients: the specs are key fields; the figures come by
  // @requires, hidden by the subgraphs that own them.
  @Field({ description: FIGURE_DESCRIPTIONS.caseworkMeasures })
  @Directive('@inaccessible')
  caseworkMeasures!: string;

  @Field({ description: FIGURE_DESCRIPTIONS.healthMeasures })
  @Directive('@inaccessible')
  healthMeasures!: string;

  @Field(() => [MeasureFigure], { nullable: true, description: FIGURE_DESCRIPTIONS.caseworkFigures })
  @Directive('@external')
  caseworkFigures?: MeasureFigure[] | null;

  @Field(() => [MeasureFigure], { nullable: true, description: FIGURE_DESCRIPTIONS.healthFigures })
  @Directive('@external')
  healthFigures?: MeasureFigure[] | null;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType('KpiReading', { description: FIGURE_DESCRIPTIONS.KpiReading })
@Directive(`@key(fields: "${FIGURE_KEY}")`)
export class KpiReading extends FigureKeyed {}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType('ActionAssessment', { description: FIGURE_DESCRIPTIONS.ActionAssessment })
@Directive(`@key(fields: "${FIGURE_KEY}")`)
export class ActionAssessment extends FigureKeyed {}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType('AssuranceDashboard', { description: FIGURE_DESCRIPTIONS.AssuranceDashboard })
@Directive(`@key(fields: "${FIGURE_KEY}")`)
export class AssuranceDashboard extends FigureKeyed {}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType('PartnerBriefing', { description: FIGURE_DESCRIPTIONS.PartnerBriefing })
@Directive(`@key(fields: "${FIGURE_KEY}")`)
export class PartnerBriefing extends FigureKeyed {}

/** A KPI rated at a date: one card of the dashboard, one line of a briefing. */
@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A KPI at a date: live value from its owner, trajectory, RAG, trend and the England comparator.' })
export class KpiCard {
  @Field(() => Kpi, { description: 'The KPI.' })
  kpi!: Kpi;

  @Field({ description: 'Name as the board reports it.' })
  name!: string;

  @Field(() => Organisation, { description: 'Who owns the measure: LA or ICB.' })
  ownerOrganisation!: Organisation;

  @Field(() => Float, { nullable: true, description: 'Latest value; null when there is none or it is withheld.' })
  value!: number | null;

  @Field(() => DateScalar, { description: 'First day of the latest period.' })
  periodStart!: string;

  @Field(() => DateScalar, { description: 'Last day of the latest period.' })
  periodEnd!: string;

  @Field({ description: 'True when the value was withheld to protect small numbers.' })
  suppressed!: boolean;

  @Field(() => Float, { nullable: true, description: 'The value aimed for in the end.' })
  target!: number | null;

  @Field(() => Float, { nullable: true, description: 'The value the trajectory expects for the latest period.' })
  trajectoryValue!: number | null;

  @Field(() => RagValue, { description: 'The RAG rating of the latest period.' })
  rag!: RagValue;

  @Field(() => String, { nullable: true, description: RAG_REASON_DESCRIPTION })
  ragReason!: string | null;

  @Field(() => RagValue, { description: 'The RAG rating of the period before.' })
  previousRag!: RagValue;

  @Field(() => TrendValue, { description: 'How the value moved since the period before.' })
  trend!: TrendValue;

  @Field(() => PublishedComparator, { nullable: true, description: 'England\'s published rate for DfE\'s latest year up to the date, for a KPI that is a rate; null for a count (England\'s count is of another population) or when DfE publishes none.' })
  englandComparator!: PublishedComparator | null;

  @Field({ description: 'What the published figures are, and are not, comparable with, in words (see Kpi.comparisonNote).' })
  comparisonNote!: string;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'An action with its status at a date, the reasons, and its latest next steps.' })
export class ActionSummary {
  @Field(() => PriorityAction, { description: 'The action.' })
  action!: PriorityAction;

  @Field(() => ActionStatusValue, { description: 'Its status at the date, by the written rule.' })
  status!: ActionStatusValue;

  @Field(() => [String], { description: 'Why it has this status, by the written rule.' })
  reasons!: string[];

  @Field({ description: 'True when a board override decided it.' })
  overridden!: boolean;

  @Field(() => String, { nullable: true, description: 'The next steps of the latest progress update.' })
  latestNextSteps!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'When the latest progress update was recorded.' })
  latestUpdateDate!: string | null;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'How many of an area\'s actions have each status.' })
export class StatusCount {
  @Field(() => ActionStatusValue, { description: 'The status.' })
  status!: ActionStatusValue;

  @Field(() => Int, { description: 'Number of actions with it.' })
  count!: number;
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'An area for priority action with its actions\' statuses.' })
export class AreaProgress {
  @Field(() => PapArea, { description: 'The area for priority action.' })
  area!: PapArea;

  @Field(() => [StatusCount], { description: 'Actions by status (every status, zero included).' })
  byStatus!: StatusCount[];

  @Field(() => [ActionSummary], { description: 'Every action in the area.' })
  actions!: ActionSummary[];
}

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A family voice theme: how often it came up in the window and when last.' })
export class ThemeCount {
  @Field({ description: 'The theme, e.g. "Communication".' })
  theme!: string;

  @Field(() => Int, { description: 'Pieces of feedback with this theme in the window.' })
  count!: number;

  @Field(() => DateScalar, { description: 'When the latest of them was received.' })
  latestDate!: string;

  @Field(() => Int, { description: 'How many of them have a "we did" response.' })
  responded!: number;
}

export { Escalation, Meeting, Review };
