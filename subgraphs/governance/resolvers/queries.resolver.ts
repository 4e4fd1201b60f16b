// Over 300 lines: governance's root lists with their filter inputs, and the few-line field resolvers of the records they return; each part is short, kept together so the list convention reads off one file.
import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { checkFirst, connectionTypes, findPage, pageOfLoaded, type Connection } from '../../toolkit/connection';
import { cursorCodec } from '../../toolkit/cursor';
import { Access } from '../../toolkit/access';
import { refId } from '../../toolkit/records';
import { groupByKeys, type SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { FIGURE_DESCRIPTIONS } from '../../toolkit/measures/figures';
import {
  CaseworkMeasureRef, Escalation, FamilyFeedback, GovernanceBody, HealthMeasureRef, Kpi, Meeting, Milestone, PapArea, PriorityAction, ProgressUpdate, PublishedComparator, Review, ReviewFinding,
} from '../entities';
import { ActionStatusValue, EscalationStatus, FeedbackSource, Organisation, ReviewKind } from '../entities/enums';
import { stored } from './stored-reads';
import { ActionAssessment, AssuranceDashboard, KpiReading, PartnerBriefing } from '../entities/live';
import { publishedOnly, publishedWhere, referencesFor } from '../rules/published';
import { KNOWN_CODES, ownerOrganisationOf } from '../rules/codes';
import { comparisonOf, reconciliationExtra } from './comparators';
import { actionsById, areasById, badInput, bodiesById, figureKeyFor, kpisOfAction, measuredKpiIds, meetingsOf, milestonesOf, updatesOf, visibleParent, whereVisible, type FigureRoot } from './support';
import { ENGLAND_CODE, HOME_AREA } from '../area';
import { isIsoDate } from '../../toolkit/date-scalar';
import { today } from '../../toolkit/dates';
import { isUuid } from '../../toolkit/records';

@ObjectType({ description: 'The value a KPI\'s trajectory expects for one period.' })
class TrajectoryPoint {
  @Field(() => DateScalar, { description: 'Last day of the period.' })
  periodEnd!: string;

  @Field(() => Float, { description: 'The expected value.' })
  value!: number;
}

const MAX_PAGE = 100;
const MAX_COMPARATOR_PAGE = 500;
const PAGE_SIZE = `Page size, 1-${MAX_PAGE}.`;
const AFTER = 'The endCursor of the previous page.';

/** One codec per list, each with the parts of the list's order. */
const CURSORS = {
  bodies: cursorCodec('governanceBodies', ['date', 'text', 'uuid']),
  meetings: cursorCodec('meetings', ['date', 'uuid']),
  areas: cursorCodec('papAreas', ['text', 'uuid']),
  actions: cursorCodec('priorityActions', ['text', 'uuid']),
  kpis: cursorCodec('kpis', ['text', 'text', 'uuid']),
  escalations: cursorCodec('escalations', ['date', 'uuid']),
  reviews: cursorCodec('reviews', ['date', 'uuid']),
  feedback: cursorCodec('familyFeedback', ['date', 'uuid']),
  comparators: cursorCodec('publishedComparators', ['integer', 'text', 'text', 'uuid']),
  bodyMeetings: cursorCodec('GovernanceBody.meetings', ['date', 'uuid']),
  actionUpdates: cursorCodec('PriorityAction.progressUpdates', ['date', 'uuid']),
};

const { Connection: GovernanceBodyConnection } = connectionTypes(GovernanceBody, 'GovernanceBody', { plural: 'governance bodies', order: 'oldest first' });
const { Connection: MeetingConnection } = connectionTypes(Meeting, 'Meeting', { plural: 'meetings', order: 'by date' });
const { Connection: PapAreaConnection } = connectionTypes(PapArea, 'PapArea', { plural: 'areas for priority action', order: 'by reference' });
const { Connection: PriorityActionConnection } = connectionTypes(PriorityAction, 'PriorityAction', { plural: 'Priority Action Plan actions', order: 'by reference' });
const { Connection: KpiConnection } = connectionTypes(Kpi, 'Kpi', { plural: 'KPIs', order: 'by owner then name' });
const { Connection: EscalationConnection } = connectionTypes(Escalation, 'Escalation', { plural: 'escalations', order: 'newest first' });
const { Connection: ReviewConnection } = connectionTypes(Review, 'Review', { plural: 'stocktakes and deep dives', order: 'by date' });
const { Connection: FamilyFeedbackConnection } = connectionTypes(FamilyFeedback, 'FamilyFeedback', { plural: 'pieces of family voice', order: 'newest first' });
const { Connection: ProgressUpdateConnection } = connectionTypes(ProgressUpdate, 'ProgressUpdate', { plural: 'progress updates', order: 'newest first' });
const { Connection: PublishedComparatorConnection } = connectionTypes(PublishedComparator, 'PublishedComparator', { plural: 'published figures', order: 'by year, geographic level and area name' });

@InputType({ description: 'Which governance bodies to list; every condition given must hold.' })
class GovernanceBodyFilter {
  @Field(() => String, { nullable: true, description: 'Only the body with this code, e.g. SPIB.' })
  code?: string | null;
}

@InputType({ description: 'Which meetings to list; every condition given must hold.' })
class MeetingFilter {
  @Field(() => String, { nullable: true, description: 'Only meetings of the body with this code, e.g. SPIB.' })
  bodyCode?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Only meetings held on or after this date.' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Only meetings held on or before this date.' })
  to?: string | null;
}

@InputType({ description: 'Which areas for priority action to list; every condition given must hold.' })
class PapAreaFilter {
  @Field(() => String, { nullable: true, description: 'Only the area with this reference, e.g. APA-1.' })
  reference?: string | null;
}

@InputType({ description: 'Which Priority Action Plan actions to list; every condition given must hold.' })
class PriorityActionFilter {
  @Field(() => String, { nullable: true, description: 'Only actions of the area with this reference, e.g. APA-1.' })
  areaReference?: string | null;

  @Field(() => Organisation, { nullable: true, description: 'Only actions this organisation owns.' })
  ownerOrganisation?: Organisation | null;
}

@InputType({ description: 'Which KPIs to list; every condition given must hold.' })
class KpiFilter {
  @Field(() => Organisation, { nullable: true, description: 'Only KPIs over this organisation\'s measures.' })
  ownerOrganisation?: Organisation | null;

  @Field(() => ID, { nullable: true, description: 'Only KPIs over this measure code.' })
  measureCode?: string | null;
}

@InputType({ description: 'Which escalations to list; every condition given must hold.' })
class EscalationFilter {
  @Field(() => EscalationStatus, { nullable: true, description: 'Only escalations with this status.' })
  status?: EscalationStatus | null;

  @Field(() => DateScalar, { nullable: true, description: 'Only those still open after their response was due, at this date.' })
  overdueAsOf?: string | null;
}

@InputType({ description: 'Which stocktakes and deep dives to list; every condition given must hold.' })
class ReviewFilter {
  @Field(() => ReviewKind, { nullable: true, description: 'Only stocktakes, or only deep dives.' })
  kind?: ReviewKind | null;
}

@InputType({ description: 'Which family voice to list; every condition given must hold.' })
class FamilyFeedbackFilter {
  @Field(() => String, { nullable: true, description: 'Only feedback with this theme, e.g. "Communication".' })
  theme?: string | null;

  @Field(() => FeedbackSource, { nullable: true, description: 'Only feedback from this source.' })
  source?: FeedbackSource | null;
}

@InputType({ description: 'Which of DfE\'s published figures to list.' })
class PublishedComparatorFilter {
  @Field(() => ID, { description: 'The measure code, e.g. EHC_20WK_EXCL.' })
  measureCode!: string;

  @Field(() => [String], { nullable: true, description: 'Only these areas, each by ONS code (E92000001, E12000004, E10000024), old LA code (891) or exact name.' })
  areas?: string[] | null;

  @Field(() => [Int], { nullable: true, description: 'Only these years.' })
  years?: number[] | null;
}

function checkedAsOf(asOf: string | null | undefined): string {
  const d = asOf ?? today();
  if (!isIsoDate(d)) throw badInput('asOf', 'must be a date written YYYY-MM-DD.');
  return d;
}

@Resolver()
export class GovernanceQueries {
  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => GovernanceBodyConnection, { description: 'The partnership\'s governance bodies, oldest first.' })
  governanceBodies(
    @Arg('filter', () => GovernanceBodyFilter, { nullable: true, description: 'Which bodies; all the caller may see when left out.' }) filter: GovernanceBodyFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<GovernanceBody>> {
    const where = filter?.code ? { code: filter.code } : {};
    return findPage(context.em, GovernanceBody, whereVisible(context, 'GovernanceBody', where), [['startDate', 'asc'], ['code', 'asc'], ['id', 'asc']], CURSORS.bodies, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => MeetingConnection, { description: 'Meetings, by date.' })
  meetings(
    @Arg('filter', () => MeetingFilter, { nullable: true, description: 'Which meetings; all the caller may see when left out.' }) filter: MeetingFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Meeting>> {
    const { bodyCode, from, to } = filter ?? {};
    const where: Record<string, unknown> = {};
    if (bodyCode) where.body = { code: bodyCode };
    if (from || to) where.heldDate = { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) };
    return findPage(context.em, Meeting, whereVisible(context, 'Meeting', where), [['heldDate', 'asc'], ['id', 'asc']], CURSORS.meetings, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => Meeting, { nullable: true, description: 'One meeting by id; null when there is none (or the caller may not see it).' })
  async meeting(@Arg('id', () => ID, { description: 'The meeting\'s id.' }) id: string, @Ctx() context: SubgraphContext): Promise<Meeting | null> {
    return isUuid(id) ? context.em.findOne(Meeting, whereVisible(context, 'Meeting', { id })) : null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => PapAreaConnection, { description: 'The areas for priority action, by reference.' })
  papAreas(
    @Arg('filter', () => PapAreaFilter, { nullable: true, description: 'Which areas; all the caller may see when left out.' }) filter: PapAreaFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<PapArea>> {
    const where = filter?.reference ? { reference: filter.reference } : {};
    return findPage(context.em, PapArea, whereVisible(context, 'PapArea', where), [['reference', 'asc'], ['id', 'asc']], CURSORS.areas, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => PriorityActionConnection, { description: 'The Priority Action Plan\'s actions, by reference.' })
  priorityActions(
    @Arg('filter', () => PriorityActionFilter, { nullable: true, description: 'Which actions; all the caller may see when left out.' }) filter: PriorityActionFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<PriorityAction>> {
    const where: Record<string, unknown> = {};
    if (filter?.areaReference) where.area = { reference: filter.areaReference };
    if (filter?.ownerOrganisation) where.ownerOrganisation = filter.ownerOrganisation;
    return findPage(context.em, PriorityAction, whereVisible(context, 'PriorityAction', where), [['reference', 'asc'], ['id', 'asc']], CURSORS.actions, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => PriorityAction, { nullable: true, description: 'One action by reference, e.g. PAP-1.1; null when there is none (or the caller may not see it).' })
  priorityAction(@Arg('reference', { description: 'The action\'s reference, e.g. PAP-1.1.' }) reference: string, @Ctx() context: SubgraphContext): Promise<PriorityAction | null> {
    return context.em.findOne(PriorityAction, whereVisible(context, 'PriorityAction', { reference }));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => KpiConnection, { description: 'The KPIs the partnership tracks, by owner then name.' })
  kpis(
    @Arg('filter', () => KpiFilter, { nullable: true, description: 'Which KPIs; all the caller may see when left out.' }) filter: KpiFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Kpi>> {
    const where: Record<string, unknown> = {};
    if (filter?.ownerOrganisation) where.ownerOrganisation = filter.ownerOrganisation;
    if (filter?.measureCode) where.measureCode = filter.measureCode;
    return findPage(context.em, Kpi, whereVisible(context, 'Kpi', where), [['ownerOrganisation', 'asc'], ['name', 'asc'], ['id', 'asc']], CURSORS.kpis, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => EscalationConnection, { description: 'Escalations, newest first.' })
  escalations(
    @Arg('filter', () => EscalationFilter, { nullable: true, description: 'Which escalations; all the caller may see when left out.' }) filter: EscalationFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Escalation>> {
    const where: Record<string, unknown> = {};
    if (filter?.status) where.status = filter.status;
    if (filter?.overdueAsOf) Object.assign(where, { status: EscalationStatus.OPEN, responseDueDate: { $lt: filter.overdueAsOf } });
    return findPage(context.em, Escalation, whereVisible(context, 'Escalation', where), [['raisedDate', 'desc'], ['id', 'asc']], CURSORS.escalations, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => ReviewConnection, { description: 'Stocktakes and deep dives, by date.' })
  reviews(
    @Arg('filter', () => ReviewFilter, { nullable: true, description: 'Which reviews; all the caller may see when left out.' }) filter: ReviewFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Review>> {
    const where = filter?.kind ? { kind: filter.kind } : {};
    return findPage(context.em, Review, whereVisible(context, 'Review', where), [['heldDate', 'asc'], ['id', 'asc']], CURSORS.reviews, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => FamilyFeedbackConnection, { description: 'Family voice, newest first.' })
  familyFeedback(
    @Arg('filter', () => FamilyFeedbackFilter, { nullable: true, description: 'Which feedback; all the caller may see when left out.' }) filter: FamilyFeedbackFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<FamilyFeedback>> {
    const where: Record<string, unknown> = {};
    if (filter?.theme) where.theme = filter.theme;
    if (filter?.source) where.source = filter.source;
    return findPage(context.em, FamilyFeedback, whereVisible(context, 'FamilyFeedback', where), [['receivedDate', 'desc'], ['id', 'asc']], CURSORS.feedback, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => PublishedComparatorConnection, { description: 'DfE\'s published figures for a measure code: England, regions and local authorities, by year, level and area name.' })
  publishedComparators(
    @Arg('filter', () => PublishedComparatorFilter, { description: 'Which figures: the measure code, and optionally areas and years.' }) filter: PublishedComparatorFilter,
    @Arg('first', () => Int, { defaultValue: 100, description: `Page size, 1-${MAX_COMPARATOR_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<PublishedComparator>> {
    const { measureCode, areas, years } = filter;
    if (!ownerOrganisationOf(measureCode)) throw badInput('filter.measureCode', `"${measureCode}" is not a measure code. ${KNOWN_CODES}`);
    const where: Record<string, unknown> = { measureCode };
    if (areas?.length) where.$or = [{ areaCode: { $in: areas } }, { oldLaCode: { $in: areas } }, { areaName: { $in: areas } }];
    if (years?.length) where.year = { $in: years };
    return findPage(context.em, PublishedComparator, where, [['year', 'asc'], ['geographicLevel', 'asc'], ['areaName', 'asc'], ['id', 'asc']], CURSORS.comparators, { first: checkFirst(first, MAX_COMPARATOR_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => AssuranceDashboard, { description: 'The chief executives\' assurance dashboard at a date (today if none): KPI cards with live values and RAG, the Priority Action Plan by area and status, actions at risk or off track, overdue escalations, next meetings and stocktakes, and recent family voice themes.' })
  async assuranceDashboard(@Arg('asOf', () => DateScalar, { nullable: true, description: 'The date to judge at; today when left out.' }) asOf: string | null, @Ctx() context: SubgraphContext): Promise<FigureRoot> {
    const at = checkedAsOf(asOf);
    const root = await stored(context, 'Dashboard.root', at, async () => figureKeyFor('partnership', at, await context.em.find(Kpi, whereVisible(context, 'Kpi')), await measuredKpiIds(context)));
    // A copy: the stored root is shared, and per-request memos are keyed by the root object.
    return { ...root };
  }
}

@Resolver(() => GovernanceBody)
export class GovernanceBodyResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => MeetingConnection, { description: 'Its meetings, by date, a page at a time.' })
  async meetings(
    @Root() body: GovernanceBody,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<Meeting>> {
    const rows = await meetingsOf(context).load(body.id);
    return pageOfLoaded(rows, [['heldDate', 'asc'], ['id', 'asc']], CURSORS.bodyMeetings, { first: checkFirst(first, MAX_PAGE), after });
  }
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => GovernanceBody, { description: 'The body that meets.' })
  async body(@Root() meeting: Meeting, @Ctx() context: SubgraphContext): Promise<GovernanceBody> {
    return visibleParent(await bodiesById(context).load(refId(meeting.body)), 'governance body', refId(meeting.body));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => PartnerBriefing, { description: FIGURE_DESCRIPTIONS.PartnerBriefing })
  async partnerBriefing(@Root() meeting: Meeting, @Ctx() context: SubgraphContext): Promise<FigureRoot> {
    // A partner briefing names published KPIs only, whoever asks.
    const kpis = await context.em.find(Kpi, publishedWhere('Kpi'));
    return figureKeyFor(meeting.id, meeting.heldDate, kpis);
  }
}

@Resolver(() => PriorityAction)
export class PriorityActionResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => PapArea, { description: 'The area for priority action it belongs to.' })
  async area(@Root() action: PriorityAction, @Ctx() context: SubgraphContext): Promise<PapArea> {
    return visibleParent(await areasById(context).load(refId(action.area)), 'area for priority action', refId(action.area));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [Milestone], { description: 'Its milestones, by due date.' })
  milestones(@Root() action: PriorityAction, @Ctx() context: SubgraphContext): Promise<Milestone[]> {
    return milestonesOf(context).load(action.id);
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => ProgressUpdateConnection, { description: 'Its progress updates, newest first, a page at a time.' })
  async progressUpdates(
    @Root() action: PriorityAction,
    @Arg('first', () => Int, { defaultValue: 50, description: PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<ProgressUpdate>> {
    const rows = await updatesOf(context).load(action.id);
    return pageOfLoaded(rows, [['recordedDate', 'desc'], ['id', 'asc']], CURSORS.actionUpdates, { first: checkFirst(first, MAX_PAGE), after });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [Kpi], { description: 'The KPIs that show whether it is working.' })
  kpis(@Root() action: PriorityAction, @Ctx() context: SubgraphContext): Promise<Kpi[]> {
    return kpisOfAction(context).load(action.id);
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => Kpi, { nullable: true, description: 'The first of its KPIs by name (kept for clients written before actions had several).' })
  async kpi(@Root() action: PriorityAction, @Ctx() context: SubgraphContext): Promise<Kpi | null> {
    return (await kpisOfAction(context).load(action.id))[0] ?? null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => ActionAssessment, { description: 'Its status at a date (today if none) by the written rule, with live KPI values.' })
  async assessment(@Root() action: PriorityAction, @Arg('asOf', () => DateScalar, { nullable: true, description: 'The date to judge at; today when left out.' }) asOf: string | null, @Ctx() context: SubgraphContext): Promise<FigureRoot> {
    return figureKeyFor(action.id, checkedAsOf(asOf), await kpisOfAction(context).load(action.id), await measuredKpiIds(context));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => ActionStatusValue, { nullable: true, description: 'The board\'s manual status override (see overrideReason, overrideExpiryDate); it holds until its expiry date.' })
  overrideStatus(@Root() action: PriorityAction): ActionStatusValue | null {
    return action.overrideStatus ?? null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => String, { nullable: true, description: 'Why the board overrode the status.' })
  overrideReason(@Root() action: PriorityAction): string | null {
    return action.overrideReason ?? null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => DateScalar, { nullable: true, description: 'The last day the override holds.' })
  overrideExpiryDate(@Root() action: PriorityAction): string | null {
    return action.overrideExpiryDate ?? null;
  }
}

@Resolver(() => Kpi)
export class KpiResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [TrajectoryPoint], { description: 'The expected value per period, by period.' })
  trajectory(@Root() kpi: Kpi): TrajectoryPoint[] {
    return [...kpi.trajectory].sort((a, b) => a.periodEnd.localeCompare(b.periodEnd));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => KpiReading, { description: 'The KPI at a date (today if none): its live value from the owning subgraph for the last whole period, rated against the trajectory.' })
  reading(@Root() kpi: Kpi, @Arg('asOf', () => DateScalar, { nullable: true, description: 'The date to judge at; today when left out.' }) asOf: string | null): FigureRoot {
    return figureKeyFor(kpi.id, checkedAsOf(asOf), [kpi], new Set(), reconciliationExtra(kpi));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => CaseworkMeasureRef, { nullable: true, description: 'The live council measure behind this KPI, when the council owns it: its series come from the casework subgraph.' })
  caseworkMeasure(@Root() kpi: Kpi): CaseworkMeasureRef | null {
    return kpi.ownerOrganisation === Organisation.LA ? Object.assign(new CaseworkMeasureRef(), { code: kpi.measureCode }) : null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => HealthMeasureRef, { nullable: true, description: 'The live ICB measure behind this KPI, when the ICB owns it: its series come from the health subgraph.' })
  healthMeasure(@Root() kpi: Kpi): HealthMeasureRef | null {
    return kpi.ownerOrganisation === Organisation.ICB ? Object.assign(new HealthMeasureRef(), { code: kpi.measureCode }) : null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [PublishedComparator], { description: `DfE's published figures that are like for like with this KPI, for DfE's latest year on or before \`year\` (the latest when left out): for a rate, England's, ${HOME_AREA.regionName}'s, ${HOME_AREA.name}'s and the statistical neighbours' rates for that year; for a count, ${HOME_AREA.name}'s own published count only (other areas' counts are other populations; see yearOnYearChanges and comparisonNote).` })
  async comparators(@Root() kpi: Kpi, @Arg('year', () => Int, { nullable: true, description: 'The latest year to take figures at; the latest published when left out.' }) year: number | null, @Ctx() context: SubgraphContext): Promise<PublishedComparator[]> {
    return (await comparisonOf(kpi, year, context)).comparators;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => PublishedComparator, { nullable: true, description: 'England\'s latest published figure, for a rate; null for a count (England\'s count is of another population: see yearOnYearChanges) or when DfE publishes none.' })
  async englandComparator(@Root() kpi: Kpi, @Ctx() context: SubgraphContext): Promise<PublishedComparator | null> {
    return (await comparisonOf(kpi, null, context)).comparators.find((r) => r.areaCode === ENGLAND_CODE) ?? null;
  }
}

@Resolver(() => Escalation)
export class EscalationResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => GovernanceBody, { description: 'The body it was escalated to.' })
  async body(@Root() e: Escalation, @Ctx() context: SubgraphContext): Promise<GovernanceBody> {
    return visibleParent(await bodiesById(context).load(refId(e.body)), 'governance body', refId(e.body));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => PriorityAction, { nullable: true, description: 'The action it concerns, if any.' })
  async action(@Root() e: Escalation, @Ctx() context: SubgraphContext): Promise<PriorityAction | null> {
    if (!e.action) return null;
    // The loader applies the caller's filter: an unpublished action shows as no action.
    return actionsById(context).load(refId(e.action));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => Boolean, { description: 'True when still open after its response was due, at asOf (today if none).' })
  overdue(@Root() e: Escalation, @Arg('asOf', () => DateScalar, { nullable: true, description: 'The date to judge at; today when left out.' }) asOf: string | null): boolean {
    return e.status === EscalationStatus.OPEN && e.responseDueDate < checkedAsOf(asOf);
  }
}

@Resolver(() => Review)
export class ReviewResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [ReviewFinding], { description: 'Its findings, in the order given.' })
  findings(@Root() review: Review, @Ctx() context: SubgraphContext): Promise<ReviewFinding[]> {
    return context.loaders
      .get<string, ReviewFinding[]>('Finding.byReview', async (ids) => {
        const em = context.em;
        const findings = await em.find(ReviewFinding, whereVisible(context, 'ReviewFinding', { review: { $in: [...ids] } }), { orderBy: { position: 'asc' } });
        if (!publishedOnly(context.caller)) return groupByKeys(ids, findings, (f) => refId(f.review));
        // A finding names only the actions this caller may see: one query for every finding's references.
        const named = [...new Set(findings.flatMap((f) => f.linkedActionReferences))];
        const seen = named.length ? await em.find(PriorityAction, whereVisible(context, 'PriorityAction', { reference: { $in: named } })) : [];
        const visibleRefs = new Set(seen.map((a) => a.reference));
        // Plain copies, so the filtered list can never be flushed back through the managed entity.
        const shown = findings.map((f) => ({ id: f.id, review: f.review, kind: f.kind, text: f.text, position: f.position, linkedActionReferences: referencesFor(context.caller, f.linkedActionReferences, visibleRefs) }) as ReviewFinding);
        return groupByKeys(ids, shown, (f) => refId(f.review));
      })
      .load(review.id);
  }
}

