import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, Resolver, registerEnumType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { auditWrite } from '../../toolkit/audit';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { addDays, today } from '../../toolkit/dates';
import { AnnualReview, Caseworker, Child, EhcNeedsAssessment, EhcnaRequest, EhcPlan, PlanPlacement, SenNeed, WorkerAllocation } from '../entities';
import { AssessmentOutcome, CeaseReason, RequestOutcome, RequestSource, ReviewOutcome, SenSetting, SenType, TwentyWeekException } from '../entities/enums';
import { annualReviewDueDate } from '../rules/timescales';
import { isUuid, refId } from '../../toolkit/records';

/**
 * Recording the statutory life cycle, one step per mutation. Each validates its
 * input (dates in order, codes valid, the step allowed at this point), runs in one
 * transaction with its audit record, and on bad input changes nothing and answers
 * BAD_USER_INPUT naming every field at fault (extensions.field is the first;
 * extensions.problems lists them all).
 */

export enum AdviceType {
  EDUCATIONAL_PSYCHOLOGY = 'EDUCATIONAL_PSYCHOLOGY',
  HEALTH = 'HEALTH',
  SOCIAL_CARE = 'SOCIAL_CARE',
}
registerEnumType(AdviceType, { name: 'AdviceType', description: 'Whose advice an EHC needs assessment asks for (reg 6).' });

const ADVICE_COLUMNS: Record<AdviceType, { asked: 'epAdviceAskedDate' | 'healthAdviceAskedDate' | 'socialCareAdviceAskedDate'; returned: 'epAdviceReturnedDate' | 'healthAdviceReturnedDate' | 'socialCareAdviceReturnedDate' }> = {
  EDUCATIONAL_PSYCHOLOGY: { asked: 'epAdviceAskedDate', returned: 'epAdviceReturnedDate' },
  HEALTH: { asked: 'healthAdviceAskedDate', returned: 'healthAdviceReturnedDate' },
  SOCIAL_CARE: { asked: 'socialCareAdviceAskedDate', returned: 'socialCareAdviceReturnedDate' },
};

class Problems {
  readonly list: Array<{ field: string; message: string }> = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  /** A date that must not be in the future, nor before an earlier step. */
  date(field: string, value: string, after?: { field: string; value: string | null | undefined }): void {
    if (value > today()) this.add(field, `${field} (${value}) is in the future.`);
    if (after?.value && value < after.value) this.add(field, `${field} (${value}) is before ${after.field} (${after.value}).`);
  }

  throwIfAny(): void {
    if (!this.list.length) return;
    throw new GraphQLError(this.list.map((p) => p.message).join(' '), { extensions: { code: 'BAD_USER_INPUT', field: this.list[0].field, problems: this.list } });
  }
}

function refuse(field: string, message: string): never {
  const p = new Problems();
  p.add(field, message);
  p.throwIfAny();
  throw new Error('unreachable');
}

async function mustFind<T extends object>(em: EntityManager, entity: new () => T, id: string, field: string, what: string): Promise<T> {
  const found = isUuid(id) ? await em.findOne(entity, { id } as never) : null;
  if (!found) refuse(field, `${field}: no ${what} has id "${id}".`);
  return found as T;
}

@InputType({ description: 'A request for an EHC needs assessment, as received.' })
export class RecordRequestInput {
  @Field(() => ID, { description: 'The child the request is about.' })
  childId!: string;

  @Field(() => DateScalar, { description: 'Date the council received the request.' })
  receivedDate!: string;

  @Field(() => RequestSource, { nullable: true, description: 'Who made the request.' })
  source?: RequestSource | null;
}

@InputType({ description: 'The decision whether to assess.' })
export class RecordDecisionInput {
  @Field(() => ID, { description: 'The request decided.' })
  requestId!: string;

  @Field(() => RequestOutcome, { description: 'ASSESS, NOT_ASSESS or WITHDRAWN.' })
  outcome!: RequestOutcome;

  @Field(() => DateScalar, { description: 'Date of the decision.' })
  decisionDate!: string;

  @Field(() => Boolean, { nullable: true, description: 'Mediation followed.' })
  mediation?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Appealed to the tribunal.' })
  tribunal?: boolean | null;
}

@InputType({ description: 'Advice asked for, or returned, during an EHC needs assessment.' })
export class RecordAdviceInput {
  @Field(() => ID, { description: 'The assessment.' })
  assessmentId!: string;

  @Field(() => AdviceType, { description: 'Whose advice.' })
  adviceType!: AdviceType;

  @Field(() => DateScalar, { description: 'Date it was asked for, or returned.' })
  date!: string;
}

@InputType({ description: 'The draft EHC plan sent to the family.' })
export class RecordDraftPlanInput {
  @Field(() => ID, { description: 'The assessment.' })
  assessmentId!: string;

  @Field(() => DateScalar, { description: 'Date the draft was sent.' })
  draftPlanDate!: string;
}

@InputType({ description: 'An assessment that ends without a plan: a decision not to issue one, or withdrawal.' })
export class RecordAssessmentEndInput {
  @Field(() => ID, { description: 'The assessment.' })
  assessmentId!: string;

  @Field(() => AssessmentOutcome, { description: 'NOT_ISSUE_PLAN or WITHDRAWN.' })
  outcome!: AssessmentOutcome;

  @Field(() => DateScalar, { description: 'Date of the decision (not to issue: due within 16 weeks of the request, reg 10).' })
  date!: string;
}

@InputType({ description: 'A placement named in a plan: exactly one of urn, ukprn or senSetting.' })
export class PlacementInput {
  @Field(() => Int, { description: '1 main, 2 second.' })
  rank!: number;

  @Field(() => String, { nullable: true, description: 'School URN, 6 digits.' })
  urn?: string | null;

  @Field(() => String, { nullable: true, description: 'College or provider UKPRN, 8 digits.' })
  ukprn?: string | null;

  @Field(() => SenSetting, { nullable: true, description: 'Another setting.' })
  senSetting?: SenSetting | null;

  @Field(() => Boolean, { nullable: true, description: 'In a SEN unit.' })
  senUnit?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'In resourced provision.' })
  resourcedProvision?: boolean | null;
}

@InputType({ description: 'A special educational need named in a plan.' })
export class SenNeedInput {
  @Field(() => SenType, { description: 'The type of need.' })
  senType!: SenType;

  @Field(() => Int, { description: '1 primary, 2 secondary.' })
  rank!: number;
}

@InputType({ description: 'The final EHC plan, as issued.' })
export class RecordFinalPlanInput {
  @Field(() => ID, { description: 'The assessment the plan follows.' })
  assessmentId!: string;

  @Field(() => DateScalar, { description: 'Date the final plan was issued.' })
  issueDate!: string;

  @Field(() => [PlacementInput], { description: '1 or 2 placements.' })
  placements!: PlacementInput[];

  @Field(() => [SenNeedInput], { description: '1 or 2 needs, ranked.' })
  senNeeds!: SenNeedInput[];

  @Field(() => Boolean, { nullable: true, description: 'Includes a personal budget.' })
  personalBudget?: boolean | null;

  @Field(() => TwentyWeekException, { nullable: true, description: 'A reg 10(4) exception to the 20-week limit, if one applied.' })
  exception?: TwentyWeekException | null;
}

@InputType({ description: 'An annual review meeting held.' })
export class RecordReviewMeetingInput {
  @Field(() => ID, { description: 'The plan reviewed.' })
  planId!: string;

  @Field(() => DateScalar, { description: 'Date of the meeting.' })
  meetingDate!: string;
}

@InputType({ description: 'The council\'s decision after a review meeting.' })
export class RecordReviewDecisionInput {
  @Field(() => ID, { description: 'The review.' })
  reviewId!: string;

  @Field(() => ReviewOutcome, { description: 'Maintain, amend or cease.' })
  outcome!: ReviewOutcome;

  @Field(() => DateScalar, { description: 'Date the decision was notified.' })
  decisionDate!: string;

  @Field(() => CeaseReason, { nullable: true, description: 'Required when the outcome is CEASE.' })
  ceaseReason?: CeaseReason | null;
}

@InputType({ description: 'Allocate a caseworker to a child from a date.' })
export class AllocateWorkerInput {
  @Field(() => ID, { description: 'The child.' })
  childId!: string;

  @Field(() => ID, { description: 'The caseworker.' })
  caseworkerId!: string;

  @Field(() => DateScalar, { description: 'First day of the allocation.' })
  startDate!: string;
}

@InputType({ description: 'Decide that a child will have no allocated worker (e.g. a plan working well), and when that is next reviewed.' })
export class NoAllocatedWorkerInput {
  @Field(() => ID, { description: 'The child.' })
  childId!: string;

  @Field({ description: 'Who decided.' })
  decidedBy!: string;

  @Field({ description: 'Why.' })
  reason!: string;

  @Field(() => DateScalar, { description: 'First day without an allocated worker.' })
  startDate!: string;

  @Field(() => DateScalar, { description: 'When the decision is next reviewed.' })
  nextReviewDate!: string;
}

@Resolver()
export class CaseworkMutationsResolver {
  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => EhcnaRequest, { description: 'Record a request for an EHC needs assessment.' })
  async recordEhcnaRequest(@Arg('input', () => RecordRequestInput) input: RecordRequestInput, @Ctx() context: SubgraphContext): Promise<EhcnaRequest> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const child = await mustFind(tx, Child, input.childId, 'input.childId', 'child');
      const p = new Problems();
      p.date('input.receivedDate', input.receivedDate, { field: 'the child\'s birth date', value: child.birthDate });
      if (await tx.findOne(EhcnaRequest, { child: child.id, receivedDate: input.receivedDate })) p.add('input.receivedDate', `input.receivedDate: this child already has a request received on ${input.receivedDate}.`);
      p.throwIfAny();
      const request = tx.create(EhcnaRequest, { child: child.id, receivedDate: input.receivedDate, source: input.source ?? null, outcome: RequestOutcome.NOT_YET_DECIDED, mediation: false, tribunal: false } as never);
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'EhcnaRequest', entityId: request.id, fields: ['childId', 'receivedDate', 'source'] });
      return request;
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => EhcnaRequest, { description: 'Record the decision whether to assess; a decision to assess opens the EHC needs assessment.' })
  async recordRequestDecision(@Arg('input', () => RecordDecisionInput) input: RecordDecisionInput, @Ctx() context: SubgraphContext): Promise<EhcnaRequest> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const request = await mustFind(tx, EhcnaRequest, input.requestId, 'input.requestId', 'request');
      const p = new Problems();
      if (![RequestOutcome.ASSESS, RequestOutcome.NOT_ASSESS, RequestOutcome.WITHDRAWN].includes(input.outcome)) p.add('input.outcome', 'input.outcome: a decision is ASSESS, NOT_ASSESS or WITHDRAWN.');
      p.date('input.decisionDate', input.decisionDate, { field: 'receivedDate', value: request.receivedDate });
      const existing = await tx.findOne(EhcNeedsAssessment, { request: request.id });
      if (existing && input.outcome !== RequestOutcome.ASSESS) p.add('input.outcome', 'input.outcome: an assessment is already under way for this request.');
      p.throwIfAny();
      Object.assign(request, { outcome: input.outcome, outcomeDate: input.decisionDate, mediation: input.mediation ?? request.mediation, tribunal: input.tribunal ?? request.tribunal });
      if (input.outcome === RequestOutcome.ASSESS && !existing) {
        const assessment = tx.create(EhcNeedsAssessment, { request: request.id, child: refId(request.child), outcome: AssessmentOutcome.PENDING, week20Exception: false, mediation: false, tribunal: false } as never);
        await tx.flush();
        await auditWrite(tx, context, { entityType: 'EhcNeedsAssessment', entityId: assessment.id, fields: ['requestId', 'outcome'] });
      }
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'EhcnaRequest', entityId: request.id, fields: ['outcome', 'outcomeDate', 'mediation', 'tribunal'] });
      return request;
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => EhcNeedsAssessment, { description: 'Record that advice was asked for (educational psychology, health or social care).' })
  async recordAdviceAsked(@Arg('input', () => RecordAdviceInput) input: RecordAdviceInput, @Ctx() context: SubgraphContext): Promise<EhcNeedsAssessment> {
    return this.advice(input, context, 'asked');
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => EhcNeedsAssessment, { description: 'Record that advice came back.' })
  async recordAdviceReturned(@Arg('input', () => RecordAdviceInput) input: RecordAdviceInput, @Ctx() context: SubgraphContext): Promise<EhcNeedsAssessment> {
    return this.advice(input, context, 'returned');
  }

  private async advice(input: RecordAdviceInput, context: SubgraphContext, step: 'asked' | 'returned'): Promise<EhcNeedsAssessment> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const assessment = await mustFind(tx, EhcNeedsAssessment, input.assessmentId, 'input.assessmentId', 'assessment');
      const request = await tx.findOneOrFail(EhcnaRequest, { id: refId(assessment.request) });
      const columns = ADVICE_COLUMNS[input.adviceType];
      const p = new Problems();
      if (step === 'asked') {
        p.date('input.date', input.date, { field: 'the decision to assess', value: request.outcomeDate });
      } else {
        if (!assessment[columns.asked]) p.add('input.adviceType', `input.adviceType: ${input.adviceType} advice has not been asked for yet; record that first.`);
        p.date('input.date', input.date, { field: 'the date the advice was asked for', value: assessment[columns.asked] });
      }
      p.throwIfAny();
      assessment[columns[step]] = input.date;
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'EhcNeedsAssessment', entityId: assessment.id, fields: [columns[step]] });
      return assessment;
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => EhcNeedsAssessment, { description: 'Record the draft EHC plan sent to the family: the decision to issue a plan.' })
  async recordDraftPlan(@Arg('input', () => RecordDraftPlanInput) input: RecordDraftPlanInput, @Ctx() context: SubgraphContext): Promise<EhcNeedsAssessment> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const assessment = await mustFind(tx, EhcNeedsAssessment, input.assessmentId, 'input.assessmentId', 'assessment');
      const request = await tx.findOneOrFail(EhcnaRequest, { id: refId(assessment.request) });
      const p = new Problems();
      if (request.outcome !== RequestOutcome.ASSESS) p.add('input.assessmentId', 'input.assessmentId: there is no decision to assess for this request.');
      if (assessment.outcome === AssessmentOutcome.NOT_ISSUE_PLAN || assessment.outcome === AssessmentOutcome.WITHDRAWN) p.add('input.assessmentId', `input.assessmentId: the assessment ended with ${assessment.outcome === 'N' ? 'a decision not to issue a plan' : 'withdrawal'}.`);
      p.date('input.draftPlanDate', input.draftPlanDate, { field: 'the decision to assess', value: request.outcomeDate });
      p.throwIfAny();
      Object.assign(assessment, { draftPlanDate: input.draftPlanDate, outcome: AssessmentOutcome.ISSUE_PLAN, outcomeDate: input.draftPlanDate });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'EhcNeedsAssessment', entityId: assessment.id, fields: ['draftPlanDate', 'outcome', 'outcomeDate'] });
      return assessment;
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => EhcNeedsAssessment, { description: 'Record that an assessment ended without a plan: a decision not to issue one, or withdrawal.' })
  async recordAssessmentEnd(@Arg('input', () => RecordAssessmentEndInput) input: RecordAssessmentEndInput, @Ctx() context: SubgraphContext): Promise<EhcNeedsAssessment> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const assessment = await mustFind(tx, EhcNeedsAssessment, input.assessmentId, 'input.assessmentId', 'assessment');
      const request = await tx.findOneOrFail(EhcnaRequest, { id: refId(assessment.request) });
      const p = new Problems();
      if (input.outcome !== AssessmentOutcome.NOT_ISSUE_PLAN && input.outcome !== AssessmentOutcome.WITHDRAWN) p.add('input.outcome', 'input.outcome: NOT_ISSUE_PLAN or WITHDRAWN (a plan is recorded with recordDraftPlan and recordFinalPlan).');
      if (await tx.findOne(EhcPlan, { assessment: assessment.id })) p.add('input.assessmentId', 'input.assessmentId: a final plan has already been issued after this assessment.');
      p.date('input.date', input.date, { field: 'the decision to assess', value: request.outcomeDate });
      p.throwIfAny();
      Object.assign(assessment, { outcome: input.outcome, outcomeDate: input.date });
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'EhcNeedsAssessment', entityId: assessment.id, fields: ['outcome', 'outcomeDate'] });
      return assessment;
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => EhcPlan, { description: 'Record the final EHC plan as issued, with its placements and needs.' })
  async recordFinalPlan(@Arg('input', () => RecordFinalPlanInput) input: RecordFinalPlanInput, @Ctx() context: SubgraphContext): Promise<EhcPlan> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const assessment = await mustFind(tx, EhcNeedsAssessment, input.assessmentId, 'input.assessmentId', 'assessment');
      const request = await tx.findOneOrFail(EhcnaRequest, { id: refId(assessment.request) });
      const p = new Problems();
      if (request.outcome !== RequestOutcome.ASSESS || !request.outcomeDate) p.add('input.assessmentId', 'input.assessmentId: no final plan without a decision to assess.');
      if (assessment.outcome === AssessmentOutcome.NOT_ISSUE_PLAN || assessment.outcome === AssessmentOutcome.WITHDRAWN) p.add('input.assessmentId', 'input.assessmentId: the assessment ended without a decision to issue a plan.');
      if (await tx.findOne(EhcPlan, { assessment: assessment.id })) p.add('input.assessmentId', 'input.assessmentId: a final plan has already been issued after this assessment.');
      p.date('input.issueDate', input.issueDate, assessment.draftPlanDate ? { field: 'the draft plan', value: assessment.draftPlanDate } : { field: 'the decision to assess', value: request.outcomeDate });
      if (input.placements.length < 1 || input.placements.length > 2) p.add('input.placements', 'input.placements: give 1 or 2 placements.');
      input.placements.forEach((pl, i) => {
        const f = `input.placements[${i}]`;
        const given = [pl.urn, pl.ukprn, pl.senSetting].filter((v) => v != null && v !== '').length;
        if (given !== 1) p.add(f, `${f}: give exactly one of urn, ukprn or senSetting.`);
        if (pl.urn && !/^\d{6}$/.test(pl.urn)) p.add(`${f}.urn`, `${f}.urn: a URN is 6 digits; got "${pl.urn}".`);
        if (pl.ukprn && !/^\d{8}$/.test(pl.ukprn)) p.add(`${f}.ukprn`, `${f}.ukprn: a UKPRN is 8 digits; got "${pl.ukprn}".`);
        if (pl.rank !== 1 && pl.rank !== 2) p.add(`${f}.rank`, `${f}.rank: 1 or 2.`);
      });
      if (new Set(input.placements.map((pl) => pl.rank)).size !== input.placements.length) p.add('input.placements', 'input.placements: each placement needs its own rank.');
      if (input.senNeeds.length < 1 || input.senNeeds.length > 2) p.add('input.senNeeds', 'input.senNeeds: give 1 or 2 needs.');
      input.senNeeds.forEach((n, i) => {
        if (n.rank !== 1 && n.rank !== 2) p.add(`input.senNeeds[${i}].rank`, `input.senNeeds[${i}].rank: 1 or 2.`);
      });
      if (new Set(input.senNeeds.map((n) => n.rank)).size !== input.senNeeds.length || !input.senNeeds.some((n) => n.rank === 1)) p.add('input.senNeeds', 'input.senNeeds: one primary need (rank 1) and at most one rank 2.');
      p.throwIfAny();
      Object.assign(assessment, {
        outcome: AssessmentOutcome.ISSUE_PLAN,
        outcomeDate: assessment.outcomeDate ?? input.issueDate,
        week20Exception: !!input.exception,
        exceptionReason: input.exception ?? null,
      });
      const childId = refId(assessment.child);
      const plan = tx.create(EhcPlan, { child: childId, assessment: assessment.id, issueDate: input.issueDate, personalBudget: !!input.personalBudget } as never);
      for (const pl of input.placements) {
        tx.create(PlanPlacement, { plan, rank: pl.rank, urn: pl.urn ?? null, ukprn: pl.ukprn ?? null, senSetting: pl.senSetting ?? null, senUnit: !!pl.senUnit, resourcedProvision: !!pl.resourcedProvision } as never);
      }
      for (const n of input.senNeeds) tx.create(SenNeed, { plan, senType: n.senType, rank: n.rank } as never);
      await tx.flush();
      const child = await tx.findOneOrFail(Child, { id: childId });
      child.primaryNeed = input.senNeeds.find((n) => n.rank === 1)!.senType;
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'EhcPlan', entityId: plan.id, fields: ['issueDate', 'placements', 'senNeeds', 'personalBudget'] });
      await auditWrite(tx, context, { entityType: 'EhcNeedsAssessment', entityId: assessment.id, fields: ['outcome', 'outcomeDate', 'week20Exception', 'exceptionReason'] });
      return plan;
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => AnnualReview, { description: 'Record an annual review meeting held.' })
  async recordReviewMeeting(@Arg('input', () => RecordReviewMeetingInput) input: RecordReviewMeetingInput, @Ctx() context: SubgraphContext): Promise<AnnualReview> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const plan = await mustFind(tx, EhcPlan, input.planId, 'input.planId', 'EHC plan');
      const reviews = await tx.find(AnnualReview, { plan: plan.id }, { orderBy: { dueDate: 'asc' } });
      const held = reviews.map((r) => r.meetingDate).filter((m): m is string => !!m);
      const last = held.length ? held.reduce((a, b) => (a > b ? a : b)) : null;
      const p = new Problems();
      p.date('input.meetingDate', input.meetingDate, last && last > plan.issueDate ? { field: 'the last review meeting', value: addDays(last, 1) } : { field: 'the plan\'s issue date', value: addDays(plan.issueDate, 1) });
      if (plan.ceaseDate && input.meetingDate >= plan.ceaseDate) p.add('input.meetingDate', `input.meetingDate: the plan ceased on ${plan.ceaseDate}.`);
      p.throwIfAny();
      // A review row may already stand for this due date with no meeting yet (one was missed): complete it.
      const open = reviews.find((r) => !r.meetingDate);
      const review = open ?? tx.create(AnnualReview, { plan: plan.id, dueDate: annualReviewDueDate(plan.issueDate, held) } as never);
      review.meetingDate = input.meetingDate;
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'AnnualReview', entityId: review.id, fields: ['meetingDate', 'dueDate'] });
      return review;
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => AnnualReview, { description: 'Record the council\'s decision after a review meeting; CEASE also ceases the plan on the decision date.' })
  async recordReviewDecision(@Arg('input', () => RecordReviewDecisionInput) input: RecordReviewDecisionInput, @Ctx() context: SubgraphContext): Promise<AnnualReview> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const review = await mustFind(tx, AnnualReview, input.reviewId, 'input.reviewId', 'annual review');
      const p = new Problems();
      if (!review.meetingDate) p.add('input.reviewId', 'input.reviewId: record the review meeting before its decision.');
      p.date('input.decisionDate', input.decisionDate, { field: 'the review meeting', value: review.meetingDate });
      if (input.outcome === ReviewOutcome.CEASE && !input.ceaseReason) p.add('input.ceaseReason', 'input.ceaseReason: required when the outcome is CEASE.');
      if (input.outcome !== ReviewOutcome.CEASE && input.ceaseReason) p.add('input.ceaseReason', 'input.ceaseReason: only with the outcome CEASE.');
      p.throwIfAny();
      Object.assign(review, { outcome: input.outcome, decisionDate: input.decisionDate });
      const fields = ['outcome', 'decisionDate'];
      if (input.outcome === ReviewOutcome.CEASE) {
        const plan = await tx.findOneOrFail(EhcPlan, { id: refId(review.plan) });
        Object.assign(plan, { ceaseDate: input.decisionDate, ceaseReason: input.ceaseReason });
        await tx.flush();
        await auditWrite(tx, context, { entityType: 'EhcPlan', entityId: plan.id, fields: ['ceaseDate', 'ceaseReason'] });
      }
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'AnnualReview', entityId: review.id, fields });
      return review;
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => WorkerAllocation, { description: 'Allocate a caseworker to a child from a date; the allocation before it ends the day before.' })
  async allocateWorker(@Arg('input', () => AllocateWorkerInput) input: AllocateWorkerInput, @Ctx() context: SubgraphContext): Promise<WorkerAllocation> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const child = await mustFind(tx, Child, input.childId, 'input.childId', 'child');
      const worker = await mustFind(tx, Caseworker, input.caseworkerId, 'input.caseworkerId', 'caseworker');
      return this.allocate(tx, context, child, input.startDate, { caseworker: worker.id, team: refId(worker.team) });
    });
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => WorkerAllocation, { description: 'Record a decision that a child will have no allocated worker: who decided, why, and when it is next reviewed.' })
  async recordNoAllocatedWorker(@Arg('input', () => NoAllocatedWorkerInput) input: NoAllocatedWorkerInput, @Ctx() context: SubgraphContext): Promise<WorkerAllocation> {
    return (context.em as EntityManager).transactional(async (tx) => {
      const child = await mustFind(tx, Child, input.childId, 'input.childId', 'child');
      const p = new Problems();
      if (!input.decidedBy.trim()) p.add('input.decidedBy', 'input.decidedBy: say who decided.');
      if (!input.reason.trim()) p.add('input.reason', 'input.reason: say why the child has no allocated worker.');
      if (input.nextReviewDate <= input.startDate) p.add('input.nextReviewDate', `input.nextReviewDate (${input.nextReviewDate}) must be after input.startDate (${input.startDate}).`);
      p.throwIfAny();
      return this.allocate(tx, context, child, input.startDate, {
        caseworker: null,
        team: child.team ? refId(child.team) : null,
        decidedBy: input.decidedBy.trim(),
        reason: input.reason.trim(),
        nextReviewDate: input.nextReviewDate,
      });
    });
  }

  private async allocate(tx: EntityManager, context: SubgraphContext, child: Child, startDate: string, values: Record<string, unknown>): Promise<WorkerAllocation> {
    const current = await tx.findOne(WorkerAllocation, { child: child.id, endDate: null }, { orderBy: { startDate: 'desc' } });
    const p = new Problems();
    p.date('input.startDate', startDate, current ? { field: 'the start of the current allocation', value: addDays(current.startDate, 1) } : undefined);
    p.throwIfAny();
    if (current) {
      current.endDate = addDays(startDate, -1);
      await tx.flush();
      await auditWrite(tx, context, { entityType: 'WorkerAllocation', entityId: current.id, fields: ['endDate'] });
    }
    const allocation = tx.create(WorkerAllocation, { child: child.id, startDate, ...values } as never);
    await tx.flush();
    await auditWrite(tx, context, { entityType: 'WorkerAllocation', entityId: allocation.id, fields: Object.keys(values).concat('startDate') });
    return allocation;
  }
}
