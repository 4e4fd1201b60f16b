import { Authorized, Ctx, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { indexByKeys, type SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { AnnualReview, Child, EhcNeedsAssessment, EhcnaRequest, EhcPlan, PlanPlacement, SenNeed } from '../entities';
import {
  adviceWithinSixWeeks,
  annualReviewDueDate,
  annualReviewOverdue,
  decisionDueDate,
  decisionWithinSixWeeks,
  finalPlanDueDate,
  issuedWithinTwentyWeeks,
  reviewDecisionDueDate,
  reviewDecisionWithinFourWeeks,
  weeksToIssue,
} from '../rules/timescales';
import { today } from '../../toolkit/dates';
import { isUuid, refId } from '../../toolkit/records';
import { uuidArrayLiteral } from '../../toolkit/rows';
import { manyBy, oneBy } from './loaders';

/** Rules applied to recorded dates: a record with dates out of order answers null rather than failing the query. */
function safely<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

@Resolver(() => EhcnaRequest)
export class EhcnaRequestResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => EhcNeedsAssessment, { nullable: true, description: 'The assessment that followed a decision to assess.' })
  async assessment(@Root() request: EhcnaRequest, @Ctx() context: SubgraphContext): Promise<EhcNeedsAssessment | null> {
    return oneBy(context, EhcNeedsAssessment, 'request').load(request.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => DateScalar, { description: 'Last day for the decision whether to assess (6 weeks after the request).' })
  decisionDueDate(@Root() request: EhcnaRequest): string {
    return decisionDueDate(request.receivedDate);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the decision came within 6 weeks; null until decided.' })
  decisionWithinSixWeeks(@Root() request: EhcnaRequest): boolean | null {
    return safely(() => decisionWithinSixWeeks(request.receivedDate, request.outcomeDate));
  }
}

/** What the 20-week rules read of an assessment: its request's received date and whether an exception applies. */
interface TwentyWeekInputs {
  receivedDate: string | null;
  week20Exception: boolean;
}

/**
 * The 20-week rules' inputs of assessments: one query per request. The request's
 * date is looked up by its key for each assessment: as a join, the planner hashed
 * the whole request table for a page's 50 assessments.
 */
function twentyWeekInputs(context: SubgraphContext) {
  return context.loaders.get<string, TwentyWeekInputs | null>('EhcNeedsAssessment.twentyWeekInputs', async (ids) => {
    const rows = await context.em
      .getConnection()
      .execute<Array<{ id: string; received_date: string | null; week20exception: boolean }>>(
        `SELECT a.id, a.week20exception, (SELECT r.received_date::text FROM ehcna_request r WHERE r.id = a.request_id) AS received_date
         FROM ehc_needs_assessment a WHERE a.id = ANY(${uuidArrayLiteral(ids.filter(isUuid))})`,
      );
    return indexByKeys(ids, rows, (r) => r.id).map((r) => (r ? { receivedDate: r.received_date, week20Exception: r.week20exception } : null));
  });
}

@Resolver(() => EhcNeedsAssessment)
export class EhcNeedsAssessmentResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Child, { description: 'The child assessed.' })
  async child(@Root() assessment: EhcNeedsAssessment, @Ctx() context: SubgraphContext): Promise<Child> {
    return (await oneBy(context, Child, 'id').load(refId(assessment.child)))!;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => EhcnaRequest, { description: 'The request the assessment answers.' })
  async request(@Root() assessment: EhcNeedsAssessment, @Ctx() context: SubgraphContext): Promise<EhcnaRequest> {
    return (await oneBy(context, EhcnaRequest, 'id').load(refId(assessment.request)))!;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => EhcPlan, { nullable: true, description: 'The EHC plan issued after the assessment, if one was.' })
  async ehcPlan(@Root() assessment: EhcNeedsAssessment, @Ctx() context: SubgraphContext): Promise<EhcPlan | null> {
    return oneBy(context, EhcPlan, 'assessment').load(assessment.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => DateScalar, { nullable: true, description: 'Last day for the final plan to be within 20 weeks (day 140 after the request).' })
  async finalPlanDueDate(@Root() assessment: EhcNeedsAssessment, @Ctx() context: SubgraphContext): Promise<string | null> {
    const received = (await twentyWeekInputs(context).load(assessment.id))?.receivedDate;
    return received ? finalPlanDueDate(received) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether educational psychology advice came back within 6 weeks; null until it has.' })
  epAdviceWithinSixWeeks(@Root() a: EhcNeedsAssessment): boolean | null {
    return a.epAdviceAskedDate ? safely(() => adviceWithinSixWeeks(a.epAdviceAskedDate!, a.epAdviceReturnedDate)) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether health advice came back within 6 weeks, as the council recorded it; null until it has.' })
  healthAdviceWithinSixWeeks(@Root() a: EhcNeedsAssessment): boolean | null {
    return a.healthAdviceAskedDate ? safely(() => adviceWithinSixWeeks(a.healthAdviceAskedDate!, a.healthAdviceReturnedDate)) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether social care advice came back within 6 weeks; null until it has.' })
  socialCareAdviceWithinSixWeeks(@Root() a: EhcNeedsAssessment): boolean | null {
    return a.socialCareAdviceAskedDate ? safely(() => adviceWithinSixWeeks(a.socialCareAdviceAskedDate!, a.socialCareAdviceReturnedDate)) : null;
  }
}

@Resolver(() => EhcPlan)
export class EhcPlanResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => EhcNeedsAssessment, { nullable: true, description: 'The assessment the plan followed; null for a plan transferred in or from before the records.' })
  async assessment(@Root() plan: EhcPlan, @Ctx() context: SubgraphContext): Promise<EhcNeedsAssessment | null> {
    return plan.assessment ? oneBy(context, EhcNeedsAssessment, 'id').load(refId(plan.assessment)) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => [PlanPlacement], { description: 'Placements named in the plan, main one first.' })
  async placements(@Root() plan: EhcPlan, @Ctx() context: SubgraphContext): Promise<PlanPlacement[]> {
    return manyBy(context, PlanPlacement, 'plan', { rank: 'asc' }).load(plan.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => [SenNeed], { description: 'Special educational needs named in the plan, primary first.' })
  async senNeeds(@Root() plan: EhcPlan, @Ctx() context: SubgraphContext): Promise<SenNeed[]> {
    return manyBy(context, SenNeed, 'plan', { rank: 'asc' }).load(plan.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => [AnnualReview], { description: 'Annual reviews of the plan, oldest first.' })
  async annualReviews(@Root() plan: EhcPlan, @Ctx() context: SubgraphContext): Promise<AnnualReview[]> {
    return manyBy(context, AnnualReview, 'plan', { dueDate: 'asc' }).load(plan.id);
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Float, { nullable: true, description: 'Weeks from the request to this final plan (days / 7); null for a plan with no request.' })
  async weeksToIssue(@Root() plan: EhcPlan, @Ctx() context: SubgraphContext): Promise<number | null> {
    if (!plan.assessment) return null;
    const received = (await twentyWeekInputs(context).load(refId(plan.assessment)))?.receivedDate;
    return received ? safely(() => Math.round(weeksToIssue(received, plan.issueDate) * 10) / 10) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the final plan was issued within 20 weeks; null with a reg 10(4) exception or no request.' })
  async issuedWithinTwentyWeeks(@Root() plan: EhcPlan, @Ctx() context: SubgraphContext): Promise<boolean | null> {
    if (!plan.assessment) return null;
    const inputs = await twentyWeekInputs(context).load(refId(plan.assessment));
    return inputs?.receivedDate ? safely(() => issuedWithinTwentyWeeks(inputs.receivedDate!, plan.issueDate, inputs.week20Exception)) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => DateScalar, { nullable: true, description: 'When the next annual review is due (12 months after the plan or its last review meeting); null once the plan has ceased.' })
  async nextReviewDueDate(@Root() plan: EhcPlan, @Ctx() context: SubgraphContext): Promise<string | null> {
    if (plan.ceaseDate && plan.ceaseDate <= today()) return null;
    const reviews = await manyBy(context, AnnualReview, 'plan', { dueDate: 'asc' }).load(plan.id);
    return safely(() => annualReviewDueDate(plan.issueDate, reviews.map((r) => r.meetingDate)));
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Boolean, { description: 'True when the plan is in force and its annual review is overdue today.' })
  async reviewOverdue(@Root() plan: EhcPlan, @Ctx() context: SubgraphContext): Promise<boolean> {
    const asOf = today();
    if (plan.issueDate > asOf || (plan.ceaseDate && plan.ceaseDate <= asOf)) return false;
    const reviews = await manyBy(context, AnnualReview, 'plan', { dueDate: 'asc' }).load(plan.id);
    return safely(() => annualReviewOverdue(plan.issueDate, reviews.map((r) => r.meetingDate), asOf)) ?? false;
  }
}

@Resolver(() => AnnualReview)
export class AnnualReviewResolver {
  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => DateScalar, { nullable: true, description: 'Last day for the decision (4 weeks after the meeting); null before the meeting.' })
  decisionDueDate(@Root() review: AnnualReview): string | null {
    return review.meetingDate ? reviewDecisionDueDate(review.meetingDate) : null;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the decision came within 4 weeks of the meeting; null until both are recorded.' })
  decisionWithinFourWeeks(@Root() review: AnnualReview): boolean | null {
    return review.meetingDate ? safely(() => reviewDecisionWithinFourWeeks(review.meetingDate!, review.decisionDate)) : null;
  }
}

/** Entity references to assessments (health asks for these by id): one query for all of a request's ids. */
export async function resolveAssessmentReference(reference: Record<string, unknown>, context: SubgraphContext): Promise<EhcNeedsAssessment | null> {
  if (!isUuid(reference.id)) return null;
  return oneBy(context, EhcNeedsAssessment, 'id').load(reference.id);
}
