import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Authorized, Ctx, Field, Float, ID, InputType, Int, Mutation, Resolver, registerEnumType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { auditWrite } from '../../toolkit/audit';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { Interval } from '../../toolkit/measures/periods';
import {
  Escalation, FamilyFeedback, GovernanceBody, Kpi, Meeting, Milestone, PapArea, PriorityAction, PriorityActionKpi, ProgressUpdate, Review,
} from '../entities';
import { ActionStatusValue, DirectionValue, EscalationStatus, FeedbackSource, Organisation } from '../entities/enums';
import { CASEWORK_CODES, HEALTH_CODES, ownerOrganisationOf } from '../rules/codes';
import { isUuid } from '../../toolkit/records';
import { badInput, emOf, requireDate, requireText } from './support';

@InputType({ description: 'Attendance from one organisation.' })
class AttendanceInput {
  @Field({ description: 'The organisation.' })
  organisation!: string;

  @Field(() => Int, { description: 'How many attended.' })
  count!: number;
}

@InputType({ description: 'An action arising from a meeting.' })
class ActionArisingInput {
  @Field()
  description!: string;

  @Field()
  owner!: string;

  @Field(() => DateScalar, { nullable: true })
  dueOn?: string | null;
}

@InputType({ description: 'A meeting to schedule or record.' })
class MeetingInput {
  @Field({ description: 'The body\'s code, e.g. SPIB.' })
  bodyCode!: string;

  @Field(() => DateScalar)
  heldOn!: string;

  @Field()
  title!: string;

  @Field(() => [String], { nullable: true })
  focusTopics?: string[];

  @Field(() => [AttendanceInput], { nullable: true })
  attendance?: AttendanceInput[];

  @Field(() => [String], { nullable: true, description: 'What was discussed, one paragraph per item.' })
  discussion?: string[];

  @Field(() => [String], { nullable: true })
  decisions?: string[];

  @Field(() => [ActionArisingInput], { nullable: true })
  actionsArising?: ActionArisingInput[];

  @Field({ nullable: true, description: 'Whether partner apps may see it (default false).' })
  published?: boolean;
}

@InputType({ description: 'A new Priority Action Plan action.' })
class PriorityActionInput {
  @Field({ description: 'The area\'s reference, e.g. APA-1.' })
  areaReference!: string;

  @Field({ description: 'Short unique reference, e.g. PAP-1.4.' })
  reference!: string;

  @Field()
  title!: string;

  @Field(() => Organisation)
  ownerOrganisation!: Organisation;

  @Field()
  leadRole!: string;

  @Field(() => DateScalar)
  startedOn!: string;

  @Field(() => [ID], { nullable: true, description: 'KPIs to link.' })
  kpiIds?: string[];

  @Field({ nullable: true, description: 'Whether partner apps may see it (default true).' })
  published?: boolean;
}

@InputType({ description: 'A KPI: a casework or health measure code with a baseline, target and trajectory.' })
class KpiInput {
  @Field()
  name!: string;

  @Field({ description: `A casework code (${CASEWORK_CODES.join(', ')}) or a health code (${HEALTH_CODES.join(', ')}).` })
  measureCode!: string;

  @Field(() => Interval)
  interval!: Interval;

  @Field(() => Float, { nullable: true })
  baseline?: number | null;

  @Field(() => String, { nullable: true })
  baselinePeriod?: string | null;

  @Field(() => Float, { nullable: true })
  target?: number | null;

  @Field(() => DateScalar, { nullable: true })
  targetDate?: string | null;

  @Field(() => DirectionValue)
  direction!: DirectionValue;

  @Field(() => Float)
  amberTolerance!: number;

  @Field(() => [TrajectoryPointInput], { nullable: true })
  trajectory?: TrajectoryPointInput[];

  @Field(() => [String], { nullable: true, description: 'Old LA codes of statistical neighbours, e.g. ["886", "855"].' })
  statisticalNeighbours?: string[];

  @Field({ nullable: true })
  published?: boolean;
}

@InputType({ description: 'The value expected for one period.' })
class TrajectoryPointInput {
  @Field(() => DateScalar, { description: 'Last day of the period.' })
  periodEnd!: string;

  @Field(() => Float)
  value!: number;
}

@InputType({ description: 'Changes to a KPI\'s targets; fields left out keep their value. The measure code and interval do not change (make a new KPI).' })
class KpiUpdateInput {
  @Field({ nullable: true })
  name?: string;

  @Field(() => Float, { nullable: true })
  baseline?: number | null;

  @Field(() => String, { nullable: true })
  baselinePeriod?: string | null;

  @Field(() => Float, { nullable: true })
  target?: number | null;

  @Field(() => DateScalar, { nullable: true })
  targetDate?: string | null;

  @Field(() => DirectionValue, { nullable: true })
  direction?: DirectionValue;

  @Field(() => Float, { nullable: true })
  amberTolerance?: number;

  @Field(() => [TrajectoryPointInput], { nullable: true, description: 'Replaces the whole trajectory.' })
  trajectory?: TrajectoryPointInput[];

  @Field(() => [String], { nullable: true, description: 'Replaces the statistical neighbours (old LA codes).' })
  statisticalNeighbours?: string[];
}


@InputType({ description: 'An issue escalated to a body.' })
class EscalationInput {
  @Field()
  raisedBy!: string;

  @Field(() => Organisation)
  raisedByOrganisation!: Organisation;

  @Field({ description: 'The body\'s code, e.g. SPIB.' })
  bodyCode!: string;

  @Field()
  issue!: string;

  @Field(() => DateScalar)
  raisedOn!: string;

  @Field(() => DateScalar)
  responseDueOn!: string;

  @Field(() => ID, { nullable: true, description: 'The action it concerns, if any.' })
  actionId?: string | null;

  @Field({ nullable: true })
  published?: boolean;
}

@InputType({ description: 'Family voice received.' })
class FamilyFeedbackInput {
  @Field(() => FeedbackSource)
  source!: FeedbackSource;

  @Field()
  theme!: string;

  @Field(() => DateScalar)
  receivedOn!: string;

  @Field({ description: 'What families said, without naming anyone.' })
  youSaid!: string;

  @Field({ nullable: true })
  published?: boolean;
}

export enum PublishableKind {
  GOVERNANCE_BODY = 'GOVERNANCE_BODY',
  MEETING = 'MEETING',
  PAP_AREA = 'PAP_AREA',
  PRIORITY_ACTION = 'PRIORITY_ACTION',
  KPI = 'KPI',
  ESCALATION = 'ESCALATION',
  REVIEW = 'REVIEW',
  FAMILY_FEEDBACK = 'FAMILY_FEEDBACK',
}
registerEnumType(PublishableKind, { name: 'PublishableKind', description: 'The governance items partner apps may be shown once published.' });

const PUBLISHABLE = {
  GOVERNANCE_BODY: GovernanceBody, MEETING: Meeting, PAP_AREA: PapArea, PRIORITY_ACTION: PriorityAction, KPI: Kpi, ESCALATION: Escalation, REVIEW: Review, FAMILY_FEEDBACK: FamilyFeedback,
} as const;

async function mustFind<T extends object>(em: EntityManager, entity: new () => T, field: string, where: Record<string, unknown>, what: string): Promise<T> {
  if ('id' in where && !isUuid(String(where.id))) throw badInput(field, `no ${what} with id "${String(where.id)}".`);
  const found = await em.findOne(entity, where as never);
  if (!found) throw badInput(field, `no ${what} matches ${JSON.stringify(Object.values(where)[0])}.`);
  return found as T;
}

/** Every row for these ids in one query, in their order; a missing one is refused by its position. */
async function mustFindAll<T extends { id: string }>(em: EntityManager, entity: new () => T, field: string, ids: readonly string[], what: string): Promise<T[]> {
  ids.forEach((id, i) => {
    if (!isUuid(id)) throw badInput(`${field}[${i}]`, `no ${what} with id "${id}".`);
  });
  const rows = ids.length ? await em.find(entity, { id: { $in: [...ids] } } as never) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id, i) => {
    const row = byId.get(id);
    if (!row) throw badInput(`${field}[${i}]`, `no ${what} matches "${id}".`);
    return row;
  });
}

function finiteOrNull(field: string, v: number | null | undefined): void {
  if (v !== null && v !== undefined && !Number.isFinite(v)) throw badInput(field, 'must be a finite number.');
}

/** The checks a KPI's targets get, on create and on update. */
function checkKpiFields(input: Partial<Pick<KpiInput, 'baseline' | 'target' | 'amberTolerance' | 'trajectory' | 'statisticalNeighbours'>>): void {
  finiteOrNull('input.baseline', input.baseline);
  finiteOrNull('input.target', input.target);
  if (input.amberTolerance !== undefined && input.amberTolerance !== null && (!Number.isFinite(input.amberTolerance) || input.amberTolerance < 0)) throw badInput('input.amberTolerance', 'must be zero or more, in the measure\'s unit.');
  const seen = new Set<string>();
  (input.trajectory ?? []).forEach((p, i) => {
    finiteOrNull(`input.trajectory[${i}].value`, p.value);
    if (seen.has(p.periodEnd)) throw badInput(`input.trajectory[${i}].periodEnd`, `${p.periodEnd} appears twice.`);
    seen.add(p.periodEnd);
  });
  (input.statisticalNeighbours ?? []).forEach((c, i) => { if (!/^\d{3}$/.test(c)) throw badInput(`input.statisticalNeighbours[${i}]`, `"${c}" is not a three-digit old LA code.`); });
}

/** Every write: board members only, validated first, in one transaction with its audit record. */
@Resolver()
export class GovernanceMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Meeting, { description: 'Schedules or records a meeting of a body.' })
  async createMeeting(@Arg('input', () => MeetingInput) input: MeetingInput, @Ctx() context: SubgraphContext): Promise<Meeting> {
    const title = requireText('input.title', input.title);
    const heldOn = requireDate('input.heldOn', input.heldOn);
    (input.attendance ?? []).forEach((a, i) => {
      requireText(`input.attendance[${i}].organisation`, a.organisation);
      if (a.count < 0) throw badInput(`input.attendance[${i}].count`, 'must not be negative.');
    });
    (input.actionsArising ?? []).forEach((a, i) => {
      requireText(`input.actionsArising[${i}].description`, a.description);
      requireText(`input.actionsArising[${i}].owner`, a.owner);
    });
    return emOf(context).transactional(async (tx) => {
      const body = await mustFind(tx, GovernanceBody, 'input.bodyCode', { code: input.bodyCode }, 'governance body');
      if (heldOn < body.startsOn || (body.endsOn && heldOn > body.endsOn)) throw badInput('input.heldOn', `${body.name} operates from ${body.startsOn}${body.endsOn ? ` to ${body.endsOn}` : ''}.`);
      const meeting = tx.create(Meeting, {
        body, heldOn, title,
        focusTopics: (input.focusTopics ?? []).map((t) => t.trim()).filter(Boolean),
        attendance: (input.attendance ?? []).map((a) => ({ organisation: a.organisation.trim(), count: a.count })),
        discussion: input.discussion ?? [], decisions: input.decisions ?? [],
        actionsArising: (input.actionsArising ?? []).map((a) => ({ description: a.description.trim(), owner: a.owner.trim(), dueOn: a.dueOn ?? null })),
        published: input.published ?? false,
      });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Meeting', entityId: meeting.id, fields: Object.keys(input) });
      return meeting;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Meeting, { description: 'Records what a meeting discussed and decided, and its actions arising (replacing what was recorded).' })
  async recordMeetingOutcome(
    @Arg('meetingId', () => ID) meetingId: string,
    @Arg('discussion', () => [String]) discussion: string[],
    @Arg('decisions', () => [String]) decisions: string[],
    @Arg('actionsArising', () => [ActionArisingInput]) actionsArising: ActionArisingInput[],
    @Ctx() context: SubgraphContext,
  ): Promise<Meeting> {
    decisions.forEach((d, i) => requireText(`decisions[${i}]`, d));
    actionsArising.forEach((a, i) => { requireText(`actionsArising[${i}].description`, a.description); requireText(`actionsArising[${i}].owner`, a.owner); });
    return emOf(context).transactional(async (tx) => {
      const meeting = await mustFind(tx, Meeting, 'meetingId', { id: meetingId }, 'meeting');
      meeting.discussion = discussion.map((d) => d.trim()).filter(Boolean);
      meeting.decisions = decisions.map((d) => d.trim());
      meeting.actionsArising = actionsArising.map((a) => ({ description: a.description.trim(), owner: a.owner.trim(), dueOn: a.dueOn ?? null }));
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Meeting', entityId: meeting.id, fields: ['discussion', 'decisions', 'actionsArising'] });
      return meeting;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Kpi, { description: 'Adds a KPI over a casework or health measure code.' })
  async createKpi(@Arg('input', () => KpiInput) input: KpiInput, @Ctx() context: SubgraphContext): Promise<Kpi> {
    const name = requireText('input.name', input.name);
    const owner = ownerOrganisationOf(input.measureCode);
    if (!owner) throw badInput('input.measureCode', `"${input.measureCode}" is not a measure code a KPI may name. Casework: ${CASEWORK_CODES.join(', ')}. Health: ${HEALTH_CODES.join(', ')}.`);
    checkKpiFields(input);
    return emOf(context).transactional(async (tx) => {
      if (await tx.findOne(Kpi, { measureCode: input.measureCode })) throw badInput('input.measureCode', `a KPI over ${input.measureCode} already exists.`);
      const kpi = tx.create(Kpi, {
        name, measureCode: input.measureCode, ownerOrganisation: owner, interval: input.interval,
        baseline: input.baseline ?? null, baselinePeriod: input.baselinePeriod ?? null, target: input.target ?? null, targetDate: input.targetDate ?? null,
        direction: input.direction, amberTolerance: input.amberTolerance,
        trajectory: (input.trajectory ?? []).map((p) => ({ periodEnd: p.periodEnd, value: p.value })),
        statisticalNeighbours: input.statisticalNeighbours ?? [], published: input.published ?? true,
      });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Kpi', entityId: kpi.id, fields: Object.keys(input) });
      return kpi;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Kpi, { description: 'Changes a KPI\'s name, baseline, target, trajectory, direction, tolerance or statistical neighbours.' })
  async updateKpi(@Arg('kpiId', () => ID) kpiId: string, @Arg('input', () => KpiUpdateInput) input: KpiUpdateInput, @Ctx() context: SubgraphContext): Promise<Kpi> {
    if (input.name !== undefined) requireText('input.name', input.name);
    if (input.amberTolerance === null) throw badInput('input.amberTolerance', 'must be zero or more, in the measure\'s unit.');
    checkKpiFields(input);
    return emOf(context).transactional(async (tx) => {
      const kpi = await mustFind(tx, Kpi, 'kpiId', { id: kpiId }, 'KPI');
      const changed = Object.entries(input).filter(([, v]) => v !== undefined).map(([k]) => k);
      if (input.name !== undefined) kpi.name = input.name.trim();
      if (input.baseline !== undefined) kpi.baseline = input.baseline;
      if (input.baselinePeriod !== undefined) kpi.baselinePeriod = input.baselinePeriod;
      if (input.target !== undefined) kpi.target = input.target;
      if (input.targetDate !== undefined) kpi.targetDate = input.targetDate;
      if (input.direction) kpi.direction = input.direction;
      if (input.amberTolerance !== undefined) kpi.amberTolerance = input.amberTolerance;
      if (input.trajectory) kpi.trajectory = input.trajectory.map((p) => ({ periodEnd: p.periodEnd, value: p.value }));
      if (input.statisticalNeighbours) kpi.statisticalNeighbours = input.statisticalNeighbours;
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Kpi', entityId: kpi.id, fields: changed });
      return kpi;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => PriorityAction, { description: 'Adds an action to the Priority Action Plan.' })
  async createPriorityAction(@Arg('input', () => PriorityActionInput) input: PriorityActionInput, @Ctx() context: SubgraphContext): Promise<PriorityAction> {
    const reference = requireText('input.reference', input.reference);
    const title = requireText('input.title', input.title);
    const leadRole = requireText('input.leadRole', input.leadRole);
    return emOf(context).transactional(async (tx) => {
      const area = await mustFind(tx, PapArea, 'input.areaReference', { reference: input.areaReference }, 'area for priority action');
      if (await tx.findOne(PriorityAction, { reference })) throw badInput('input.reference', `an action ${reference} already exists.`);
      const action = tx.create(PriorityAction, { area, reference, title, leadRole, ownerOrganisation: input.ownerOrganisation, startedOn: input.startedOn, published: input.published ?? true });
      for (const kpi of await mustFindAll(tx, Kpi, 'input.kpiIds', input.kpiIds ?? [], 'KPI')) tx.create(PriorityActionKpi, { action, kpi });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'PriorityAction', entityId: action.id, fields: Object.keys(input) });
      return action;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => PriorityAction, { description: 'Links a KPI to an action (no change if already linked).' })
  async linkKpiToAction(@Arg('actionId', () => ID) actionId: string, @Arg('kpiId', () => ID) kpiId: string, @Ctx() context: SubgraphContext): Promise<PriorityAction> {
    return emOf(context).transactional(async (tx) => {
      const action = await mustFind(tx, PriorityAction, 'actionId', { id: actionId }, 'action');
      const kpi = await mustFind(tx, Kpi, 'kpiId', { id: kpiId }, 'KPI');
      if (!(await tx.findOne(PriorityActionKpi, { action, kpi }))) tx.create(PriorityActionKpi, { action, kpi });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'PriorityAction', entityId: action.id, fields: ['kpis'] });
      return action;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Milestone, { description: 'Adds a milestone to an action.' })
  async addMilestone(@Arg('actionId', () => ID) actionId: string, @Arg('title') title: string, @Arg('dueOn', () => DateScalar) dueOn: string, @Ctx() context: SubgraphContext): Promise<Milestone> {
    const t = requireText('title', title);
    return emOf(context).transactional(async (tx) => {
      const action = await mustFind(tx, PriorityAction, 'actionId', { id: actionId }, 'action');
      if (dueOn < action.startedOn) throw badInput('dueOn', `is before the action started (${action.startedOn}).`);
      const m = tx.create(Milestone, { action, title: t, dueOn });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Milestone', entityId: m.id, fields: ['title', 'dueOn'] });
      return m;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Milestone, { description: 'Marks a milestone complete on a date (null to reopen it).' })
  async completeMilestone(@Arg('milestoneId', () => ID) milestoneId: string, @Arg('completedOn', () => DateScalar, { nullable: true }) completedOn: string | null, @Ctx() context: SubgraphContext): Promise<Milestone> {
    return emOf(context).transactional(async (tx) => {
      const m = await mustFind(tx, Milestone, 'milestoneId', { id: milestoneId }, 'milestone');
      m.completedOn = completedOn;
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Milestone', entityId: m.id, fields: ['completedOn'] });
      return m;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => ProgressUpdate, { description: 'Records a progress update. Refused unless it gives both the current position and the next steps.' })
  async recordProgressUpdate(
    @Arg('actionId', () => ID) actionId: string,
    @Arg('recordedOn', () => DateScalar) recordedOn: string,
    @Arg('currentPosition', () => String) currentPosition: string,
    @Arg('nextSteps', () => String) nextSteps: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ProgressUpdate> {
    const position = requireText('currentPosition', currentPosition);
    const steps = requireText('nextSteps', nextSteps);
    return emOf(context).transactional(async (tx) => {
      const action = await mustFind(tx, PriorityAction, 'actionId', { id: actionId }, 'action');
      const u = tx.create(ProgressUpdate, { action, recordedOn, currentPosition: position, nextSteps: steps, recordedBy: context.caller?.userId ?? 'unknown' });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'ProgressUpdate', entityId: u.id, fields: ['currentPosition', 'nextSteps', 'recordedOn'] });
      return u;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => PriorityAction, { description: 'Overrides an action\'s computed status until an expiry date; needs a reason. status null clears the override.' })
  async overrideActionStatus(
    @Arg('actionId', () => ID) actionId: string,
    @Arg('status', () => ActionStatusValue, { nullable: true }) status: ActionStatusValue | null,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('expiresOn', () => DateScalar, { nullable: true }) expiresOn: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<PriorityAction> {
    if (status) {
      requireText('reason', reason);
      if (!expiresOn) throw badInput('expiresOn', 'an override needs an expiry date.');
    }
    return emOf(context).transactional(async (tx) => {
      const action = await mustFind(tx, PriorityAction, 'actionId', { id: actionId }, 'action');
      action.overrideStatus = status;
      action.overrideReason = status ? reason!.trim() : null;
      action.overrideExpiresOn = status ? expiresOn : null;
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'PriorityAction', entityId: action.id, fields: ['overrideStatus', 'overrideReason', 'overrideExpiresOn'] });
      return action;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Escalation, { description: 'Escalates an issue to a body.' })
  async raiseEscalation(@Arg('input', () => EscalationInput) input: EscalationInput, @Ctx() context: SubgraphContext): Promise<Escalation> {
    const raisedBy = requireText('input.raisedBy', input.raisedBy);
    const issue = requireText('input.issue', input.issue);
    if (input.responseDueOn < input.raisedOn) throw badInput('input.responseDueOn', `is before it was raised (${input.raisedOn}).`);
    return emOf(context).transactional(async (tx) => {
      const body = await mustFind(tx, GovernanceBody, 'input.bodyCode', { code: input.bodyCode }, 'governance body');
      const action = input.actionId ? await mustFind(tx, PriorityAction, 'input.actionId', { id: input.actionId }, 'action') : null;
      const e = tx.create(Escalation, { raisedBy, raisedByOrganisation: input.raisedByOrganisation, body, action, issue, raisedOn: input.raisedOn, responseDueOn: input.responseDueOn, status: EscalationStatus.OPEN, published: input.published ?? false });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Escalation', entityId: e.id, fields: Object.keys(input) });
      return e;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Escalation, { description: 'Records the body\'s response to an escalation.' })
  async respondToEscalation(@Arg('escalationId', () => ID) escalationId: string, @Arg('response', () => String) response: string, @Arg('respondedOn', () => DateScalar) respondedOn: string, @Ctx() context: SubgraphContext): Promise<Escalation> {
    const text = requireText('response', response);
    return emOf(context).transactional(async (tx) => {
      const e = await mustFind(tx, Escalation, 'escalationId', { id: escalationId }, 'escalation');
      if (e.status === EscalationStatus.CLOSED) throw badInput('escalationId', 'the escalation is closed.');
      if (respondedOn < e.raisedOn) throw badInput('respondedOn', `is before it was raised (${e.raisedOn}).`);
      Object.assign(e, { response: text, respondedOn, status: EscalationStatus.RESPONDED });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Escalation', entityId: e.id, fields: ['response', 'respondedOn', 'status'] });
      return e;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Escalation, { description: 'Closes an escalation once its response is accepted.' })
  async closeEscalation(@Arg('escalationId', () => ID) escalationId: string, @Ctx() context: SubgraphContext): Promise<Escalation> {
    return emOf(context).transactional(async (tx) => {
      const e = await mustFind(tx, Escalation, 'escalationId', { id: escalationId }, 'escalation');
      if (e.status !== EscalationStatus.RESPONDED) throw badInput('escalationId', 'only an escalation with a response can be closed.');
      e.status = EscalationStatus.CLOSED;
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'Escalation', entityId: e.id, fields: ['status'] });
      return e;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => FamilyFeedback, { description: 'Records family voice.' })
  async recordFamilyFeedback(@Arg('input', () => FamilyFeedbackInput) input: FamilyFeedbackInput, @Ctx() context: SubgraphContext): Promise<FamilyFeedback> {
    const theme = requireText('input.theme', input.theme);
    const youSaid = requireText('input.youSaid', input.youSaid);
    return emOf(context).transactional(async (tx) => {
      const f = tx.create(FamilyFeedback, { source: input.source, theme, receivedOn: input.receivedOn, youSaid, published: input.published ?? true });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'FamilyFeedback', entityId: f.id, fields: Object.keys(input) });
      return f;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => FamilyFeedback, { description: 'Records the partnership\'s "we did" response to family voice.' })
  async respondToFamilyFeedback(@Arg('feedbackId', () => ID) feedbackId: string, @Arg('weDid', () => String) weDid: string, @Arg('respondedOn', () => DateScalar) respondedOn: string, @Ctx() context: SubgraphContext): Promise<FamilyFeedback> {
    const text = requireText('weDid', weDid);
    return emOf(context).transactional(async (tx) => {
      const f = await mustFind(tx, FamilyFeedback, 'feedbackId', { id: feedbackId }, 'family feedback');
      if (respondedOn < f.receivedOn) throw badInput('respondedOn', `is before the feedback was received (${f.receivedOn}).`);
      Object.assign(f, { weDid: text, respondedOn });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'FamilyFeedback', entityId: f.id, fields: ['weDid', 'respondedOn'] });
      return f;
    });
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Boolean, { description: 'Publishes an item to partner apps, or withdraws it.' })
  async setPublished(@Arg('kind', () => PublishableKind) kind: PublishableKind, @Arg('id', () => ID) id: string, @Arg('published') published: boolean, @Ctx() context: SubgraphContext): Promise<boolean> {
    return emOf(context).transactional(async (tx) => {
      const item = (await mustFind(tx, PUBLISHABLE[kind] as new () => { id: string; published: boolean }, 'id', { id }, kind.toLowerCase().replace('_', ' '))) as { id: string; published: boolean };
      item.published = published;
      await tx.flush();
      await auditWrite(tx, context, { entityType: PUBLISHABLE[kind].name, entityId: id, fields: ['published'] });
      return true;
    });
  }
}
