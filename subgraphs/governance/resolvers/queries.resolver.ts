import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { refId } from '../../toolkit/records';
import { groupByKeys, type SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { FIGURE_DESCRIPTIONS } from '../../toolkit/measures/figures';
import {
  CaseworkMeasureRef, Escalation, FamilyFeedback, GovernanceBody, HealthMeasureRef, Kpi, Meeting, Milestone, PapArea, PriorityAction, ProgressUpdate, PublishedComparator, Review, ReviewFinding,
} from '../entities';
import { ActionStatusValue, EscalationStatus, Organisation } from '../entities/enums';
import { ActionAssessment, AssuranceDashboard, KpiReading, PartnerBriefing } from '../entities/live';
import { publishedOnly, publishedWhere, referencesFor } from '../rules/published';
import { KNOWN_CODES, ownerOrganisationOf } from '../rules/codes';
import { comparatorSet, comparatorsFor } from './comparators';
import { actionsById, areasById, badInput, bodiesById, figureKeyFor, kpisOfAction, measuredKpiIds, milestonesOf, updatesOf, visibleParent, whereVisible, type FigureRoot } from './support';
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

function checkedAsOf(asOf: string | null | undefined): string {
  const d = asOf ?? today();
  if (!isIsoDate(d)) throw badInput('asOf', 'must be a date written YYYY-MM-DD.');
  return d;
}

@Resolver()
export class GovernanceQueries {
  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [GovernanceBody], { description: 'The partnership\'s governance bodies, oldest first.' })
  governanceBodies(@Ctx() context: SubgraphContext): Promise<GovernanceBody[]> {
    return context.em.find(GovernanceBody, whereVisible(context, 'GovernanceBody'), { orderBy: { startsOn: 'asc', code: 'asc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [Meeting], { description: 'Meetings, by date, optionally of one body (by code) and within dates.' })
  meetings(
    @Arg('bodyCode', () => String, { nullable: true }) bodyCode: string | null,
    @Arg('from', () => DateScalar, { nullable: true }) from: string | null,
    @Arg('to', () => DateScalar, { nullable: true }) to: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Meeting[]> {
    const where: Record<string, unknown> = {};
    if (bodyCode) where.body = { code: bodyCode };
    if (from || to) where.heldOn = { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) };
    return context.em.find(Meeting, whereVisible(context, 'Meeting', where), { orderBy: { heldOn: 'asc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => Meeting, { nullable: true, description: 'One meeting by id.' })
  async meeting(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Meeting | null> {
    return isUuid(id) ? context.em.findOne(Meeting, whereVisible(context, 'Meeting', { id })) : null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [PapArea], { description: 'The areas for priority action, by reference.' })
  papAreas(@Ctx() context: SubgraphContext): Promise<PapArea[]> {
    return context.em.find(PapArea, whereVisible(context, 'PapArea'), { orderBy: { reference: 'asc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [PriorityAction], { description: 'The Priority Action Plan\'s actions, by reference.' })
  priorityActions(@Ctx() context: SubgraphContext): Promise<PriorityAction[]> {
    return context.em.find(PriorityAction, whereVisible(context, 'PriorityAction'), { orderBy: { reference: 'asc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => PriorityAction, { nullable: true, description: 'One action by reference, e.g. PAP-1.1.' })
  priorityAction(@Arg('reference') reference: string, @Ctx() context: SubgraphContext): Promise<PriorityAction | null> {
    return context.em.findOne(PriorityAction, whereVisible(context, 'PriorityAction', { reference }));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [Kpi], { description: 'The KPIs the partnership tracks.' })
  kpis(@Ctx() context: SubgraphContext): Promise<Kpi[]> {
    return context.em.find(Kpi, whereVisible(context, 'Kpi'), { orderBy: { ownerOrganisation: 'asc', name: 'asc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [Escalation], { description: 'Escalations, newest first; overdueAsOf keeps those still open after their response was due at that date.' })
  escalations(@Arg('overdueAsOf', () => DateScalar, { nullable: true }) overdueAsOf: string | null, @Ctx() context: SubgraphContext): Promise<Escalation[]> {
    const where: Record<string, unknown> = overdueAsOf ? { status: EscalationStatus.OPEN, responseDueOn: { $lt: overdueAsOf } } : {};
    return context.em.find(Escalation, whereVisible(context, 'Escalation', where), { orderBy: { raisedOn: 'desc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [Review], { description: 'Stocktakes and deep dives, by date.' })
  reviews(@Ctx() context: SubgraphContext): Promise<Review[]> {
    return context.em.find(Review, whereVisible(context, 'Review'), { orderBy: { heldOn: 'asc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [FamilyFeedback], { description: 'Family voice, newest first, optionally of one theme.' })
  familyFeedback(@Arg('theme', () => String, { nullable: true }) theme: string | null, @Ctx() context: SubgraphContext): Promise<FamilyFeedback[]> {
    return context.em.find(FamilyFeedback, whereVisible(context, 'FamilyFeedback', theme ? { theme } : {}), { orderBy: { receivedOn: 'desc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [PublishedComparator], { description: 'DfE\'s published figures for a measure code: England, regions and local authorities. areas filters by ONS code (E92000001, E12000004, E10000024), old LA code (891) or exact name; years by year.' })
  publishedComparators(
    @Arg('code', () => ID) code: string,
    @Arg('areas', () => [String], { nullable: true }) areas: string[] | null,
    @Arg('years', () => [Int], { nullable: true }) years: number[] | null,
    @Ctx() context: SubgraphContext,
  ): Promise<PublishedComparator[]> {
    if (!ownerOrganisationOf(code)) throw badInput('code', `"${code}" is not a measure code. ${KNOWN_CODES}`);
    const where: Record<string, unknown> = { measureCode: code };
    if (areas?.length) where.$or = [{ areaCode: { $in: areas } }, { oldLaCode: { $in: areas } }, { areaName: { $in: areas } }];
    if (years?.length) where.year = { $in: years };
    return context.em.find(PublishedComparator, where, { orderBy: { year: 'asc', geographicLevel: 'asc', areaName: 'asc' } });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => AssuranceDashboard, { description: 'The chief executives\' assurance dashboard at a date (today if none): KPI cards with live values and RAG, the Priority Action Plan by area and status, actions at risk or off track, overdue escalations, next meetings and stocktakes, and recent family voice themes.' })
  async assuranceDashboard(@Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null, @Ctx() context: SubgraphContext): Promise<FigureRoot> {
    const kpis = await context.em.find(Kpi, whereVisible(context, 'Kpi'));
    return figureKeyFor('partnership', checkedAsOf(asOf), kpis, await measuredKpiIds(context));
  }
}

@Resolver(() => GovernanceBody)
export class GovernanceBodyResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [Meeting], { description: 'Its meetings, by date.' })
  meetings(@Root() body: GovernanceBody, @Ctx() context: SubgraphContext): Promise<Meeting[]> {
    return context.em.find(Meeting, whereVisible(context, 'Meeting', { body: body.id }), { orderBy: { heldOn: 'asc' } });
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
    return figureKeyFor(meeting.id, meeting.heldOn, kpis);
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
  @FieldResolver(() => [ProgressUpdate], { description: 'Its progress updates, newest first.' })
  progressUpdates(@Root() action: PriorityAction, @Ctx() context: SubgraphContext): Promise<ProgressUpdate[]> {
    return updatesOf(context).load(action.id);
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
  async assessment(@Root() action: PriorityAction, @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null, @Ctx() context: SubgraphContext): Promise<FigureRoot> {
    return figureKeyFor(action.id, checkedAsOf(asOf), await kpisOfAction(context).load(action.id), await measuredKpiIds(context));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => ActionStatusValue, { nullable: true, description: 'The board\'s manual status override (see overrideReason, overrideExpiresOn); it holds until its expiry date.' })
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
  overrideExpiresOn(@Root() action: PriorityAction): string | null {
    return action.overrideExpiresOn ?? null;
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
  reading(@Root() kpi: Kpi, @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null): FigureRoot {
    return figureKeyFor(kpi.id, checkedAsOf(asOf), [kpi]);
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
  @FieldResolver(() => [PublishedComparator], { description: `DfE's published figures to compare with, each at its latest year on or before \`year\` (all years if none): England, ${HOME_AREA.regionName}, ${HOME_AREA.name} and the KPI's statistical neighbours.` })
  async comparators(@Root() kpi: Kpi, @Arg('year', () => Int, { nullable: true }) year: number | null, @Ctx() context: SubgraphContext): Promise<PublishedComparator[]> {
    const rows = await comparatorsFor(context).load(kpi.measureCode);
    return comparatorSet(kpi, rows, year ?? 9999);
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => PublishedComparator, { nullable: true, description: 'England\'s latest published figure for the measure.' })
  async englandComparator(@Root() kpi: Kpi, @Ctx() context: SubgraphContext): Promise<PublishedComparator | null> {
    const rows = await comparatorsFor(context).load(kpi.measureCode);
    return rows.find((r) => r.areaCode === ENGLAND_CODE) ?? null;
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
  overdue(@Root() e: Escalation, @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null): boolean {
    return e.status === EscalationStatus.OPEN && e.responseDueOn < checkedAsOf(asOf);
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

