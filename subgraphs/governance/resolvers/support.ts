import type { GraphQLError } from 'graphql';
import { badUserInput } from '../../../platform/problems';
import { groupByKeys, indexByKeys, type SubgraphContext } from '../../toolkit/context';
import { isUuid, refId } from '../../toolkit/records';
import { rowsWhereIn } from '../../toolkit/rows';
import { FIGURE_PERIODS, formatMeasureSpec, type MeasureFigure, type MeasureRequest } from '../../toolkit/measures/figures';
import { figurePeriods, MAX_FIGURE_PERIODS } from '../../toolkit/measures/figures';
import type { Interval } from '../../toolkit/measures/periods';
import { GovernanceBody, Kpi, Meeting, Milestone, PapArea, PriorityAction, PriorityActionKpi, ProgressUpdate } from '../entities';
import { Organisation, RagValue, type TrendValue } from '../entities/enums';
import { visibilityFilter, visibleWhere, type GovernanceItem } from '../rules/published';
import { SUBGRAPH_ORGANISATION } from '../../../platform/topology';
import { greyReason, ragFor, trendOf, expectedValue } from '../rules/rag';
import { actionStatus, type StatusResult } from '../rules/status';
import { judgeMilestone, type MilestoneJudgement } from '../rules/milestones';

/** The caller's published filter for one kind of item (see rules/published.ts). */
export const visible = (context: SubgraphContext, kind: GovernanceItem) => visibilityFilter(context.caller, kind);
/** A query's conditions with the caller's published filter for `kind` added. */
export const whereVisible = (context: SubgraphContext, kind: GovernanceItem, where: Record<string, unknown> = {}) => visibleWhere(context.caller, kind, where);

/** BAD_USER_INPUT for one argument: "field: message", in the shape every subgraph answers. */
export function badInput(field: string, message: string): GraphQLError {
  return badUserInput([{ field, message: `${field}: ${message}` }]);
}

/** An item asked for by id that does not exist or that the caller may not see: the same answer for both. */
export function notFound(what: string, id: string, field = 'id'): GraphQLError {
  return badUserInput([{ field, message: `${field}: no ${what} with id "${id}" (or you may not see it).` }]);
}

/**
 * The parent a visible child hangs from. The child's filter already requires the
 * parent to be visible, so a miss means it changed mid-request: answer as if the
 * parent did not exist rather than with anything about it.
 */
export function visibleParent<T>(parent: T | null | undefined, what: string, id: string): T {
  if (!parent) throw notFound(what, id);
  return parent;
}

// ---- batched loads (N parents, one query) ----

/** Every KPI the caller may see, by owner and name: one query per request for the dashboard's cards and comparators. */
export function visibleKpis(context: SubgraphContext): Promise<Kpi[]> {
  return context.loaders
    .get<string, Kpi[]>('Kpi.visible', async (keys) => {
      const kpis = await context.em.find(Kpi, whereVisible(context, 'Kpi'), { orderBy: { ownerOrganisation: 'asc', name: 'asc' } });
      return keys.map(() => kpis);
    })
    .load('all');
}

export function kpisById(context: SubgraphContext) {
  return context.loaders.get<string, Kpi | null>('Kpi.byId', async (ids) => indexByKeys(ids, await context.em.find(Kpi, whereVisible(context, 'Kpi', { id: { $in: ids.filter(isUuid) } })), (k) => k.id));
}

export function areasById(context: SubgraphContext) {
  return context.loaders.get<string, PapArea | null>('PapArea.byId', async (ids) => indexByKeys(ids, await context.em.find(PapArea, whereVisible(context, 'PapArea', { id: { $in: ids.filter(isUuid) } })), (a) => a.id));
}

export function bodiesById(context: SubgraphContext) {
  return context.loaders.get<string, GovernanceBody | null>('Body.byId', async (ids) => indexByKeys(ids, await context.em.find(GovernanceBody, whereVisible(context, 'GovernanceBody', { id: { $in: ids.filter(isUuid) } })), (b) => b.id));
}

export function meetingsById(context: SubgraphContext) {
  return context.loaders.get<string, Meeting | null>('Meeting.byId', async (ids) => indexByKeys(ids, await context.em.find(Meeting, whereVisible(context, 'Meeting', { id: { $in: ids.filter(isUuid) } })), (m) => m.id));
}

export function actionsById(context: SubgraphContext) {
  return context.loaders.get<string, PriorityAction | null>('Action.byId', async (ids) => indexByKeys(ids, await context.em.find(PriorityAction, whereVisible(context, 'PriorityAction', { id: { $in: ids.filter(isUuid) } })), (a) => a.id));
}

export function milestonesOf(context: SubgraphContext) {
  return context.loaders.get<string, Milestone[]>('Milestone.byAction', async (ids) =>
    groupByKeys(ids, await context.em.find(Milestone, whereVisible(context, 'Milestone', { action: { $in: [...ids] } }), { orderBy: { dueDate: 'asc', title: 'asc' } }), (m) => (m.action as unknown as { id: string }).id),
  );
}

/** Each body's meetings (visible ones only), by date: one query for every body in the request. */
export function meetingsOf(context: SubgraphContext) {
  return context.loaders.get<string, Meeting[]>('Meeting.byBody', async (ids) =>
    groupByKeys(ids, await context.em.find(Meeting, whereVisible(context, 'Meeting', { body: { $in: [...ids] } }), { orderBy: { heldDate: 'asc', id: 'asc' } }), (m) => refId(m.body)),
  );
}

export function updatesOf(context: SubgraphContext) {
  return context.loaders.get<string, ProgressUpdate[]>('ProgressUpdate.byAction', async (ids) =>
    groupByKeys(ids, await context.em.find(ProgressUpdate, whereVisible(context, 'ProgressUpdate', { action: { $in: [...ids] } }), { orderBy: { recordedDate: 'desc', id: 'asc' } }), (u) => (u.action as unknown as { id: string }).id),
  );
}

/** The KPIs linked to each action (visible ones only), by action id. */
export function kpisOfAction(context: SubgraphContext) {
  return context.loaders.get<string, Kpi[]>('Kpi.byAction', async (ids) => {
    const links = await context.em.find(PriorityActionKpi, { action: { $in: [...ids] }, kpi: visible(context, 'Kpi') }, { populate: ['kpi'], orderBy: { kpi: { name: 'asc' } } });
    return groupByKeys(ids, links, (l) => (l.action as unknown as { id: string }).id).map((ls) => ls.map((l) => l.kpi));
  });
}

// ---- live figures ----

export interface FigureRoot {
  id: string;
  asOf: string;
  caseworkMeasures: string;
  healthMeasures: string;
  /** Null (or absent) when the owning subgraph did not answer. */
  caseworkFigures?: MeasureFigure[] | null;
  healthFigures?: MeasureFigure[] | null;
}

/**
 * The figure requests for a set of KPIs, split by the subgraph that owns each code.
 * A KPI a milestone is measured by (`measuredKpiIds`) is asked for MAX_FIGURE_PERIODS
 * periods, so the milestone can find the reading that first met it; the rest for
 * the usual few.
 */
export function figureKeyFor(id: string, asOf: string, kpis: readonly Kpi[], measuredKpiIds: ReadonlySet<string> = new Set(), extra: ReadonlyArray<MeasureRequest & { owner: Organisation }> = []): FigureRoot {
  const requests = (owner: Organisation) => {
    const wanted: MeasureRequest[] = [
      ...kpis.filter((k) => k.ownerOrganisation === owner).map((k) => ({ code: k.measureCode, interval: k.interval as Interval, ...(measuredKpiIds.has(k.id) ? { periods: MAX_FIGURE_PERIODS } : {}) })),
      ...extra.filter((e) => e.owner === owner).map(({ code, interval, periods }) => ({ code, interval, periods })),
    ];
    // One request per code and interval, for the most periods any asks: the KPI's own reading is the latest periods of it.
    const merged = new Map<string, MeasureRequest>();
    for (const r of wanted) {
      const key = `${r.code}:${r.interval}`;
      const had = merged.get(key);
      if (!had || (r.periods ?? FIGURE_PERIODS) > (had.periods ?? FIGURE_PERIODS)) merged.set(key, r);
    }
    return formatMeasureSpec([...merged.values()]);
  };
  return { id, asOf, caseworkMeasures: requests(Organisation.LA), healthMeasures: requests(Organisation.ICB) };
}

/** The ids of the KPIs some milestone is measured by: one query per request. */
export function measuredKpiIds(context: SubgraphContext): Promise<Set<string>> {
  return context.loaders.get<string, Set<string>>('Kpi.measuringMilestones', async (keys) => {
    const rows = await context.em.find(Milestone, { kpi: { $ne: null } }, { fields: ['kpi'] });
    const ids = new Set(rows.map((m) => refId(m.kpi!)));
    return keys.map(() => ids);
  }).load('all');
}

export interface KpiEvaluation {
  kpi: Kpi;
  available: boolean;
  value: number | null;
  periodStart: string;
  periodEnd: string;
  suppressed: boolean;
  expectedValue: number | null;
  rag: RagValue;
  previousValue: number | null;
  previousRag: RagValue;
  trend: TrendValue;
  /** Why the latest RAG is GREY; null when it is rated. */
  ragReason: string | null;
  /** The owning organisation's service, when it did not answer. */
  unavailable: string | null;
}

/** The subgraph that owns a KPI's measure, as callers are told of it when it does not answer: "health's service (ICB)". */
function ownerService(kpi: Kpi): string {
  const subgraph = kpi.ownerOrganisation === Organisation.ICB ? 'health' : 'casework';
  return `${subgraph}'s service (${SUBGRAPH_ORGANISATION[subgraph]})`;
}

/** A KPI rated from the figures the gateway brought: pure, given the figures. */
export function evaluateKpi(kpi: Kpi, asOf: string, root: FigureRoot): KpiEvaluation {
  const figures = kpi.ownerOrganisation === Organisation.ICB ? root.healthFigures : root.caseworkFigures;
  // The gateway gives null for the figures of an owner that did not answer.
  const unavailable = figures == null ? ownerService(kpi) : null;
  const figure = (figures ?? []).find((f) => f.code === kpi.measureCode && f.interval === kpi.interval);
  const points = figure?.points ?? [];
  const period = figurePeriods(asOf, kpi.interval as Interval, 1)[0];
  const latest = points[points.length - 1] ?? { periodStart: period.start, periodEnd: period.end, value: null, suppressed: false };
  const previous = points[points.length - 2] ?? null;
  const targets = { baseline: kpi.baseline ?? null, target: kpi.target ?? null, direction: kpi.direction, amberTolerance: kpi.amberTolerance, trajectory: kpi.trajectory };
  const available = Boolean(figure?.available);
  const value = latest.suppressed ? null : latest.value;
  const expected = expectedValue(targets, latest.periodEnd);
  const rag = ragFor(targets, latest);
  return {
    kpi,
    available,
    value,
    periodStart: latest.periodStart,
    periodEnd: latest.periodEnd,
    suppressed: latest.suppressed,
    expectedValue: expected,
    rag,
    previousValue: previous && !previous.suppressed ? previous.value : null,
    previousRag: previous ? ragFor(targets, previous) : RagValue.GREY,
    trend: trendOf(kpi.direction, previous && !previous.suppressed ? previous.value : null, value),
    ragReason: rag === RagValue.GREY ? greyReason({ value, suppressed: latest.suppressed, available, expected, unavailable }) : null,
    unavailable,
  };
}

/** A milestone as judged at a date: met by the board's record, or by its KPI's readings (rules/milestones.ts). */
export interface JudgedMilestone extends MilestoneJudgement {
  milestone: Milestone;
  kpi: Kpi | null;
}

/** A KPI's readings from the figures the gateway brought, and whether its owner gave them. */
function readingsOf(kpi: Kpi, root: FigureRoot) {
  const figures = kpi.ownerOrganisation === Organisation.ICB ? root.healthFigures : root.caseworkFigures;
  const figure = (figures ?? []).find((f) => f.code === kpi.measureCode && f.interval === kpi.interval);
  return { readable: figures != null && Boolean(figure?.available), points: figure?.points ?? [] };
}

/** Each milestone judged at asOf; a tied one by its KPI, found among the action's own KPIs. */
export function judgeMilestones(milestones: readonly Milestone[], actionKpis: readonly Kpi[], actionStart: string, asOf: string, root: FigureRoot): JudgedMilestone[] {
  return milestones.map((m) => {
    const kpiId = m.kpi ? refId(m.kpi) : null;
    const kpi = kpiId ? actionKpis.find((k) => k.id === kpiId) ?? null : null;
    if (kpiId && (!kpi || m.threshold == null)) {
      // Tied to a KPI the caller may not see or no longer linked: judged as unreadable rather than as unmet.
      return { milestone: m, kpi: null, completedDate: null, unjudged: 'its KPI is not one this action shows.', note: null };
    }
    const tie = kpi ? { kpiName: kpi.name, threshold: m.threshold!, from: m.measuredFrom ?? actionStart, direction: kpi.direction, ...readingsOf(kpi, root) } : null;
    return { milestone: m, kpi, ...judgeMilestone({ completedDate: m.completedDate ?? null }, tie, asOf) };
  });
}

/** An action as the status rule judged it at a date, with what it was judged on. */
export type AssessedAction = StatusResult & { action: PriorityAction; kpis: KpiEvaluation[]; milestones: JudgedMilestone[]; latestUpdate: ProgressUpdate | null };

/**
 * Every action the caller may see, judged once per request and root: the
 * dashboard's plan by area and its actions needing attention share one load and
 * one run of the status rule.
 */
export function assessedVisibleActions(context: SubgraphContext, root: FigureRoot): Promise<AssessedAction[]> {
  return context.loaders
    .get<FigureRoot, AssessedAction[]>('Action.assessedVisible', (roots) =>
      Promise.all(
        roots.map(async (r) => {
          const actions = await context.em.find(PriorityAction, whereVisible(context, 'PriorityAction'), { orderBy: { reference: 'asc' } });
          return assessActions(context, actions, r.asOf, r);
        }),
      ),
    )
    .load(root);
}

/** The action an assessment root is keyed by, judged once per request and root however many of its fields are asked for. */
export function assessedAction(context: SubgraphContext, root: FigureRoot): Promise<AssessedAction> {
  return context.loaders
    .get<FigureRoot, AssessedAction>('Action.assessedOne', (roots) =>
      Promise.all(
        roots.map(async (r) => {
          // The loader applies the caller's filter (action and its area published).
          const action = await actionsById(context).load(r.id);
          if (!action) return notFound('Priority Action Plan action', r.id);
          return (await assessActions(context, [action], r.asOf, r))[0];
        }),
      ),
    )
    .load(root);
}

/**
 * An action's milestones and progress updates as plain rows (toolkit/rows.ts), for
 * judging it: a dashboard reads every update of every action. Only for actions
 * already read under the caller's filter: these items have no published flag of
 * their own and follow their action.
 */
function milestoneRowsOf(context: SubgraphContext) {
  return context.loaders.get<string, Milestone[]>('Milestone.rowsByAction', async (ids) => groupByKeys(ids, await rowsWhereIn(context, Milestone, 'action', ids, { dueDate: 'asc', title: 'asc' }), (m) => refId(m.action)));
}

function updateRowsOf(context: SubgraphContext) {
  return context.loaders.get<string, ProgressUpdate[]>('ProgressUpdate.rowsByAction', async (ids) => groupByKeys(ids, await rowsWhereIn(context, ProgressUpdate, 'action', ids, { recordedDate: 'desc', id: 'asc' }), (u) => refId(u.action)));
}

/** The status of actions at a date by the written rule, with their linked KPIs rated from the figures. */
export async function assessActions(context: SubgraphContext, actions: readonly PriorityAction[], asOf: string, root: FigureRoot): Promise<AssessedAction[]> {
  const ids = actions.map((a) => a.id);
  const [milestones, updates, kpis] = await Promise.all([milestoneRowsOf(context).loadMany(ids), updateRowsOf(context).loadMany(ids), kpisOfAction(context).loadMany(ids)]);
  return actions.map((action, i) => {
    const ms = milestones[i] as Milestone[];
    const ups = (updates[i] as ProgressUpdate[]).filter((u) => u.recordedDate <= asOf);
    const evaluations = (kpis[i] as Kpi[]).map((k) => evaluateKpi(k, asOf, root));
    const judged = judgeMilestones(ms, kpis[i] as Kpi[], action.startDate, asOf, root);
    const result = actionStatus({
      asOf,
      startDate: action.startDate,
      milestones: judged.map((j) => ({ title: j.milestone.title, dueDate: j.milestone.dueDate, completedDate: j.completedDate, note: j.note, unjudged: j.unjudged })),
      lastUpdateOn: ups[0]?.recordedDate ?? null,
      kpis: evaluations.map((e) => ({ name: e.kpi.name, latest: e.rag, previous: e.previousRag, unavailable: e.unavailable })),
      override: action.overrideStatus && action.overrideReason && action.overrideExpiryDate ? { status: action.overrideStatus, reason: action.overrideReason, expiryDate: action.overrideExpiryDate } : null,
    });
    return { ...result, action, kpis: evaluations, milestones: judged, latestUpdate: ups[0] ?? null };
  });
}
