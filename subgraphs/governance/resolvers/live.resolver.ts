// Over 300 lines: the four live types (reading, action assessment, dashboard, briefing) share the figures they receive from casework and health; each resolver is a few lines over rules/.
import { raw } from '@mikro-orm/core';
import { Authorized, Ctx, Directive, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { refId } from '../../toolkit/records';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { addDays } from '../../toolkit/dates';
import { ENGLAND_CODE } from '../area';
import { Escalation, FamilyFeedback, GovernanceBody, Kpi, Meeting, PapArea, PriorityAction, PublishedComparator, Review } from '../entities';
import { ActionStatusValue, EscalationStatus, RagValue, TrendValue } from '../entities/enums';
import { ActionAssessment, ActionSummary, AreaProgress, AssuranceDashboard, KpiCard, KpiReading, PartnerBriefing, RAG_REASON_DESCRIPTION, REQUIRES_FIGURES, ThemeCount } from '../entities/live';
import { renderBriefing } from '../rules/briefing';
import { publishedWhere, visibleTo } from '../rules/published';
import { actionsById, areasById, assessedAction, assessedVisibleActions, bodiesById, evaluateKpi, kpisById, meetingsById, notFound, whereVisible, visibleKpis, type AssessedAction, type FigureRoot, type KpiEvaluation } from './support';
import { comparisonOf } from './comparators';
import { figuresKey, stored } from './stored-reads';

/** How far back the dashboard looks for family voice themes. */
export const FEEDBACK_WINDOW_DAYS = 90;

/**
 * The KPI a reading is keyed by. A reading's key can come straight from a caller
 * (governance's _entities), so an unpublished KPI and one that does not exist give
 * a partner app the same answer.
 */
async function visibleKpi(context: SubgraphContext, id: string): Promise<Kpi> {
  const kpi = await kpisById(context).load(id);
  if (!kpi || !visibleTo(context.caller, 'Kpi', kpi)) throw notFound('KPI', id);
  return kpi;
}

/** The action an assessment is keyed by; the loader applies the caller's filter (action and its area published). */
async function visibleAction(context: SubgraphContext, id: string): Promise<PriorityAction> {
  const action = await actionsById(context).load(id);
  if (!action) throw notFound('Priority Action Plan action', id);
  return action;
}

/** The meeting a briefing is keyed by, under the caller's filter (meeting and its body published). */
async function visibleMeeting(context: SubgraphContext, id: string): Promise<Meeting> {
  const meeting = await meetingsById(context).load(id);
  if (!meeting) throw notFound('meeting', id);
  return meeting;
}

/** Memoised per root: every field of a reading comes from one evaluation. */
const evaluations = new WeakMap<object, Promise<KpiEvaluation>>();
function evaluationOf(root: FigureRoot, context: SubgraphContext): Promise<KpiEvaluation> {
  let e = evaluations.get(root);
  if (!e) {
    e = visibleKpi(context, root.id).then((kpi) => evaluateKpi(kpi, root.asOf, root));
    evaluations.set(root, e);
  }
  return e;
}

export async function cardFor(context: SubgraphContext, e: KpiEvaluation, asOf: string): Promise<KpiCard> {
  // Like for like: England's rate for DfE's latest year up to asOf; nothing for a count (rules/comparison.ts).
  const comparison = await comparisonOf(e.kpi, Number(asOf.slice(0, 4)), context);
  return {
    kpi: e.kpi,
    name: e.kpi.name,
    ownerOrganisation: e.kpi.ownerOrganisation,
    value: e.value,
    periodStart: e.periodStart,
    periodEnd: e.periodEnd,
    suppressed: e.suppressed,
    target: e.kpi.target ?? null,
    trajectoryValue: e.expectedValue,
    rag: e.rag as RagValue,
    ragReason: e.ragReason,
    previousRag: e.previousRag as RagValue,
    trend: e.trend as TrendValue,
    englandComparator: comparison.comparators.find((r) => r.areaCode === ENGLAND_CODE) ?? null,
    comparisonNote: comparison.note,
  };
}

@Resolver(() => KpiReading)
export class KpiReadingResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => Kpi, { description: 'The KPI read.' })
  kpi(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<Kpi> {
    return visibleKpi(context, root.id);
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => Float, { nullable: true, description: 'The latest value, live from the owning subgraph; null when there is none or it is withheld to protect small numbers.' })
  async value(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<number | null> {
    return (await evaluationOf(root, context)).value;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => DateScalar, { description: 'First day of the latest whole period on or before asOf.' })
  async periodStart(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<string> {
    return (await evaluationOf(root, context)).periodStart;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => DateScalar, { description: 'Last day of the latest whole period on or before asOf.' })
  async periodEnd(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<string> {
    return (await evaluationOf(root, context)).periodEnd;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => Boolean, { description: 'True when the owner withheld the value to protect small numbers.' })
  async suppressed(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<boolean> {
    return (await evaluationOf(root, context)).suppressed;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => Boolean, { description: 'False when the owning subgraph does not compute this measure yet.' })
  async available(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<boolean> {
    return (await evaluationOf(root, context)).available;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => Float, { nullable: true, description: 'The value the trajectory expects for the latest period.' })
  async trajectoryValue(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<number | null> {
    return (await evaluationOf(root, context)).expectedValue;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => Float, { nullable: true, description: 'The value aimed for in the end.' })
  async target(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<number | null> {
    return (await visibleKpi(context, root.id)).target ?? null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => RagValue, { description: 'The RAG rating of the latest period against the trajectory.' })
  async rag(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<RagValue> {
    return (await evaluationOf(root, context)).rag as RagValue;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => String, { nullable: true, description: RAG_REASON_DESCRIPTION })
  async ragReason(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<string | null> {
    return (await evaluationOf(root, context)).ragReason;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => Float, { nullable: true, description: 'The value of the period before.' })
  async previousValue(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<number | null> {
    return (await evaluationOf(root, context)).previousValue;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => RagValue, { description: 'The RAG rating of the period before.' })
  async previousRag(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<RagValue> {
    return (await evaluationOf(root, context)).previousRag as RagValue;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => TrendValue, { description: 'How the value moved since the period before, in the KPI\'s direction.' })
  async trend(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<TrendValue> {
    return (await evaluationOf(root, context)).trend as TrendValue;
  }
}

function assessmentOf(root: FigureRoot, context: SubgraphContext): Promise<AssessedAction> {
  return assessedAction(context, root);
}

function summary(r: AssessedAction): ActionSummary {
  return {
    action: r.action,
    status: r.status as ActionStatusValue,
    reasons: r.reasons,
    overridden: r.overridden,
    latestNextSteps: r.latestUpdate?.nextSteps ?? null,
    latestUpdateDate: r.latestUpdate?.recordedDate ?? null,
  };
}

@Resolver(() => ActionAssessment)
export class ActionAssessmentResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => PriorityAction, { description: 'The action assessed.' })
  async action(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<PriorityAction> {
    return visibleAction(context, root.id);
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => ActionStatusValue, { description: 'The status at asOf by the written rule (see ActionStatus).' })
  async status(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<ActionStatusValue> {
    return (await assessmentOf(root, context)).status as ActionStatusValue;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => [String], { description: 'Why, one line per cause.' })
  async reasons(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<string[]> {
    return (await assessmentOf(root, context)).reasons;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => Boolean, { description: 'True when a board override decided the status.' })
  async overridden(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<boolean> {
    return (await assessmentOf(root, context)).overridden;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => [KpiCard], { description: 'The linked KPIs, rated at asOf.' })
  async kpis(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<KpiCard[]> {
    const r = await assessmentOf(root, context);
    return Promise.all(r.kpis.map((e) => cardFor(context, e, root.asOf)));
  }
}

const STATUSES = [ActionStatusValue.OFF_TRACK, ActionStatusValue.AT_RISK, ActionStatusValue.ON_TRACK, ActionStatusValue.COMPLETE];

@Resolver(() => AssuranceDashboard)
export class AssuranceDashboardResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => [KpiCard], { description: 'Every KPI: latest value and period from its owner, target, trajectory value, RAG, England comparator and trend.' })
  kpiCards(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<KpiCard[]> {
    return stored(context, 'Dashboard.kpiCards', figuresKey(root), async () => {
      const kpis = await visibleKpis(context);
      return Promise.all(kpis.map((k) => cardFor(context, evaluateKpi(k, root.asOf, root), root.asOf)));
    });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => [AreaProgress], { description: 'The Priority Action Plan by area, with each area\'s actions by status.' })
  priorityActionPlan(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<AreaProgress[]> {
    return stored(context, 'Dashboard.priorityActionPlan', figuresKey(root), async () => {
      // Only visible actions (published, in a published area) are listed or counted.
      const assessed = await assessedVisibleActions(context, root);
      const areaIds = [...new Set(assessed.map((r) => refId(r.action.area)))];
      const areas = (await areasById(context).loadMany(areaIds)).filter((a): a is PapArea => !!a && !(a instanceof Error));
      return areas
        .sort((a, b) => a.reference.localeCompare(b.reference, 'en', { numeric: true }))
        .map((area) => {
          const mine = assessed.filter((r) => refId(r.action.area) === area.id);
          return {
            area: area as never,
            byStatus: STATUSES.map((status) => ({ status, count: mine.filter((r) => r.status === status).length })),
            actions: mine.map(summary),
          };
        });
    });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => [ActionSummary], { description: 'Actions at risk or off track (off track first), with their reasons and latest next steps.' })
  actionsNeedingAttention(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<ActionSummary[]> {
    return stored(context, 'Dashboard.actionsNeedingAttention', figuresKey(root), async () => {
      const assessed = await assessedVisibleActions(context, root);
      return [...assessed.filter((r) => r.status === 'OFF_TRACK'), ...assessed.filter((r) => r.status === 'AT_RISK')].map(summary);
    });
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [Escalation], { description: 'Escalations still open after their response was due, oldest first.' })
  overdueEscalations(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<Escalation[]> {
    return stored(context, 'Dashboard.overdueEscalations', root.asOf, () =>
      context.em.find(Escalation, whereVisible(context, 'Escalation', { status: EscalationStatus.OPEN, responseDueDate: { $lt: root.asOf }, raisedDate: { $lte: root.asOf } }), { orderBy: { responseDueDate: 'asc' } }),
    );
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [Meeting], { description: 'The next meetings on or after asOf, soonest first (up to five).' })
  nextMeetings(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<Meeting[]> {
    return stored(context, 'Dashboard.nextMeetings', root.asOf, () => context.em.find(Meeting, whereVisible(context, 'Meeting', { heldDate: { $gte: root.asOf } }), { orderBy: { heldDate: 'asc' }, limit: 5 }));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [Review], { description: 'The next stocktakes and deep dives on or after asOf.' })
  nextReviews(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<Review[]> {
    return stored(context, 'Dashboard.nextReviews', root.asOf, () => context.em.find(Review, whereVisible(context, 'Review', { heldDate: { $gte: root.asOf } }), { orderBy: { heldDate: 'asc' }, limit: 5 }));
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [ThemeCount], { description: `Family voice themes in the ${FEEDBACK_WINDOW_DAYS} days up to asOf, most frequent first.` })
  familyVoiceThemes(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<ThemeCount[]> {
    return stored(context, 'Dashboard.familyVoiceThemes', root.asOf, () => familyVoiceThemesAt(context, root.asOf));
  }
}

/** Family voice themes in the window up to asOf: one aggregate in SQL, under the same published filter as every list (partner apps count published feedback only). */
async function familyVoiceThemesAt(context: SubgraphContext, asOf: string): Promise<ThemeCount[]> {
  const rows = await context.em
    .createQueryBuilder(FamilyFeedback, 'f')
    .select(['f.theme', raw('count(*)::int as count'), raw('max(f.received_on)::text as latest_on'), raw('count(f.we_did)::int as responded')])
    .where(whereVisible(context, 'FamilyFeedback', { receivedDate: { $gt: addDays(asOf, -FEEDBACK_WINDOW_DAYS), $lte: asOf } }))
    .groupBy('f.theme')
    .orderBy({ [raw('count(*)')]: 'desc', theme: 'asc' })
    .execute<Array<{ theme: string; count: number; latest_on: string; responded: number }>>('all', false);
  return rows.map((r) => ({ theme: r.theme, count: r.count, latestDate: r.latest_on, responded: r.responded }));
}

@Resolver(() => PartnerBriefing)
export class PartnerBriefingResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => Meeting, { description: 'The meeting briefed on.' })
  meeting(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<Meeting> {
    return visibleMeeting(context, root.id);
  }

  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => String, { description: 'The briefing as Markdown: what was discussed, decisions, performance against the published KPIs with their live values at the meeting date, and the next meeting.' })
  async markdown(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<string> {
    const em = context.em;
    const meeting = await visibleMeeting(context, root.id);
    const body = await bodiesById(context).load(refId(meeting.body));
    if (!body) throw notFound('meeting', root.id);
    // What a briefing tells is for partners whoever reads it: published KPIs, and the
    // next published meeting of a published body.
    const kpis = await em.find(Kpi, publishedWhere('Kpi'), { orderBy: { ownerOrganisation: 'asc', name: 'asc' } });
    const cards = await Promise.all(kpis.map((k) => cardFor(context, evaluateKpi(k, root.asOf, root), root.asOf)));
    const next = await em.findOne(Meeting, { $and: [publishedWhere('Meeting'), { heldDate: { $gt: meeting.heldDate } }] }, { orderBy: { heldDate: 'asc' } });
    const nextBody = next ? await em.findOne(GovernanceBody, { id: refId(next.body), ...publishedWhere('GovernanceBody') }) : null;
    return renderBriefing({
      body: { name: body.name, cadence: body.cadence, chair: body.chair ?? null },
      meeting: { heldDate: meeting.heldDate, title: meeting.title, focusTopics: meeting.focusTopics, discussion: meeting.discussion, decisions: meeting.decisions, actionsArising: meeting.actionsArising },
      kpis: cards.map((c) => ({ name: c.name, owner: c.ownerOrganisation, value: c.value, suppressed: c.suppressed, unit: '', periodStart: c.periodStart, periodEnd: c.periodEnd, target: c.target, trajectoryValue: c.trajectoryValue, rag: c.rag, england: c.englandComparator ? { year: c.englandComparator.year, value: c.englandComparator.value ?? null } : null })),
      next: next ? { heldDate: next.heldDate, bodyName: nextBody?.name ?? '', title: next.title } : null,
    });
  }
}

export type { PublishedComparator };
