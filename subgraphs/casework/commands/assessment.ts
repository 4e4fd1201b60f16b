import type { EntityManager } from '@mikro-orm/postgresql';
import { today } from '../../toolkit/dates';
import { mustFind, refId } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { EhcNeedsAssessment, EhcnaRequest, EhcPlan } from '../entities';
import { AdviceType, AssessmentOutcome } from '../entities/enums';
import { adviceReturnedFollows, assessmentStepFollows, decidedToAssess, endedWithoutPlan, ENDS_WITHOUT_PLAN } from '../rules/life-cycle';
import { dateProblems, problem } from './checks';

/** An assessment and the request it answers: what every step of the assessment is checked against. */
export interface AssessmentState {
  assessment: EhcNeedsAssessment;
  request: EhcnaRequest;
  today: string;
}

/** Advice asked for, or returned (RecordAdviceInput). */
export interface Advice {
  assessmentId: string;
  adviceType: AdviceType;
  date: string;
}

/** The draft plan sent to the family (RecordDraftPlanInput). */
export interface DraftPlan {
  assessmentId: string;
  draftPlanDate: string;
}

/** An assessment ending without a plan (RecordAssessmentEndInput). */
export interface AssessmentEnd {
  assessmentId: string;
  outcome: AssessmentOutcome;
  date: string;
}

/** The assessment (refused by its field when unknown) and its request. */
export async function loadAssessment(tx: EntityManager, assessmentId: string): Promise<AssessmentState> {
  const assessment = await mustFind(tx, EhcNeedsAssessment, assessmentId, 'input.assessmentId', 'assessment');
  return { assessment, request: await tx.findOneOrFail(EhcnaRequest, { id: refId(assessment.request) }), today: today() };
}

type AdviceDate = 'epAdviceAskedDate' | 'healthAdviceAskedDate' | 'socialCareAdviceAskedDate' | 'epAdviceReturnedDate' | 'healthAdviceReturnedDate' | 'socialCareAdviceReturnedDate';

/** Where each kind of advice's dates are kept on the assessment. */
const ADVICE_DATES: Record<AdviceType, { asked: AdviceDate; returned: AdviceDate }> = {
  EDUCATIONAL_PSYCHOLOGY: { asked: 'epAdviceAskedDate', returned: 'epAdviceReturnedDate' },
  HEALTH: { asked: 'healthAdviceAskedDate', returned: 'healthAdviceReturnedDate' },
  SOCIAL_CARE: { asked: 'socialCareAdviceAskedDate', returned: 'socialCareAdviceReturnedDate' },
};

/** Advice asked for: after the decision to assess. */
export const recordAdviceAsked: Command<Advice, AssessmentState, EhcNeedsAssessment> = {
  load: (tx, input) => loadAssessment(tx, input.assessmentId),
  check: (input, { request, today }) => dateProblems('input.date', input.date, today, assessmentStepFollows(request)),
  apply(_tx, input, { assessment }) {
    assessment[ADVICE_DATES[input.adviceType].asked] = input.date;
    return assessment;
  },
};

/** Advice returned: only once asked for, and not before. */
export const recordAdviceReturned: Command<Advice, AssessmentState, EhcNeedsAssessment> = {
  load: (tx, input) => loadAssessment(tx, input.assessmentId),
  check(input, { assessment, today }) {
    const asked = assessment[ADVICE_DATES[input.adviceType].asked];
    return [
      ...(asked ? [] : [problem('input.adviceType', `${input.adviceType} advice has not been asked for yet; record that first`)]),
      ...dateProblems('input.date', input.date, today, adviceReturnedFollows(asked)),
    ];
  },
  apply(_tx, input, { assessment }) {
    assessment[ADVICE_DATES[input.adviceType].returned] = input.date;
    return assessment;
  },
};

/** The draft plan sent to the family: the decision to issue a plan. */
export const recordDraftPlan: Command<DraftPlan, AssessmentState, EhcNeedsAssessment> = {
  load: (tx, input) => loadAssessment(tx, input.assessmentId),
  check(input, { assessment, request, today }) {
    const ended = endedWithoutPlan(assessment.outcome);
    return [
      ...(decidedToAssess(request) ? [] : [problem('input.assessmentId', 'there is no decision to assess for this request')]),
      ...(ended ? [problem('input.assessmentId', `the assessment ended with ${ended}`)] : []),
      ...dateProblems('input.draftPlanDate', input.draftPlanDate, today, assessmentStepFollows(request)),
    ];
  },
  apply(_tx, input, { assessment }) {
    Object.assign(assessment, { draftPlanDate: input.draftPlanDate, outcome: AssessmentOutcome.ISSUE_PLAN, outcomeDate: input.draftPlanDate });
    return assessment;
  },
};

/** An assessment that ends without a plan; not once a final plan has been issued after it. */
export const recordAssessmentEnd: Command<AssessmentEnd, AssessmentState & { plan: EhcPlan | null }, EhcNeedsAssessment> = {
  async load(tx, input) {
    const state = await loadAssessment(tx, input.assessmentId);
    return { ...state, plan: await tx.findOne(EhcPlan, { assessment: state.assessment.id }) };
  },
  check: (input, { plan, request, today }) => [
    ...(ENDS_WITHOUT_PLAN.includes(input.outcome) ? [] : [problem('input.outcome', 'NOT_ISSUE_PLAN or WITHDRAWN (a plan is recorded with recordDraftPlan and recordFinalPlan)')]),
    ...(plan ? [problem('input.assessmentId', 'a final plan has already been issued after this assessment')] : []),
    ...dateProblems('input.date', input.date, today, assessmentStepFollows(request)),
  ],
  apply(_tx, input, { assessment }) {
    Object.assign(assessment, { outcome: input.outcome, outcomeDate: input.date });
    return assessment;
  },
};
