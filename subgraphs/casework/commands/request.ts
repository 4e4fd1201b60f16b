import { conflict } from '../../../platform/problems';
import { today } from '../../toolkit/dates';
import { mustFind, refId } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Child, EhcNeedsAssessment, EhcnaRequest } from '../entities';
import { AssessmentOutcome, RequestOutcome, RequestSource } from '../entities/enums';
import { decisionFollows, decisionOpensAssessment, decisionTakesBackAssessment, isDecision, requestFollows } from '../rules/life-cycle';
import { dateProblems, problem } from './checks';

/** A request for an EHC needs assessment, as received (RecordRequestInput). */
export interface NewRequest {
  childId: string;
  receivedDate: string;
  source?: RequestSource | null;
}

/** The decision whether to assess (RecordDecisionInput). */
export interface Decision {
  requestId: string;
  outcome: RequestOutcome;
  decisionDate: string;
  mediation?: boolean | null;
  tribunal?: boolean | null;
}

/** A request for an EHC needs assessment, not yet decided. */
export const recordRequest: Command<NewRequest, { child: Child; today: string }, EhcnaRequest> = {
  load: async (tx, input) => ({ child: await mustFind(tx, Child, input.childId, 'input.childId', 'child'), today: today() }),
  check: (input, { child, today }) => dateProblems('input.receivedDate', input.receivedDate, today, requestFollows(child)),
  apply: (tx, input, { child }) =>
    tx.create(EhcnaRequest, { child: child.id, receivedDate: input.receivedDate, source: input.source ?? null, outcome: RequestOutcome.NOT_YET_DECIDED, mediation: false, tribunal: false }),
  // One request per child and received date, kept by the database: a second one, however close behind, is this one.
  onConflict: async (em, input) => {
    const existing = await em.findOne(EhcnaRequest, { child: input.childId, receivedDate: input.receivedDate });
    return existing && conflict(`input.receivedDate: this child already has a request received on ${input.receivedDate}.`, { type: 'EhcnaRequest', id: existing.id });
  },
};

export interface DecisionState {
  request: EhcnaRequest;
  assessment: EhcNeedsAssessment | null;
  today: string;
}

/** The decision whether to assess; a decision to assess opens the assessment. */
export const recordDecision: Command<Decision, DecisionState, EhcnaRequest> = {
  async load(tx, input) {
    const request = await mustFind(tx, EhcnaRequest, input.requestId, 'input.requestId', 'request');
    return { request, assessment: await tx.findOne(EhcNeedsAssessment, { request: request.id }), today: today() };
  },
  check: (input, { request, assessment, today }) => [
    ...(isDecision(input.outcome) ? [] : [problem('input.outcome', 'a decision is ASSESS, NOT_ASSESS or WITHDRAWN')]),
    ...dateProblems('input.decisionDate', input.decisionDate, today, decisionFollows(request)),
    ...(decisionTakesBackAssessment(input.outcome, !!assessment) ? [problem('input.outcome', 'an assessment is already under way for this request')] : []),
  ],
  apply(tx, input, { request, assessment }) {
    Object.assign(request, { outcome: input.outcome, outcomeDate: input.decisionDate, mediation: input.mediation ?? request.mediation, tribunal: input.tribunal ?? request.tribunal });
    if (decisionOpensAssessment(input.outcome, !!assessment)) {
      tx.create(EhcNeedsAssessment, { request: request.id, child: refId(request.child), outcome: AssessmentOutcome.PENDING, week20Exception: false, mediation: false, tribunal: false });
    }
    return request;
  },
  // One assessment per request: the same decision to assess, recorded twice at once, opens it once.
  onConflict: async (em, input) => {
    const existing = await em.findOne(EhcNeedsAssessment, { request: input.requestId });
    return existing && conflict('input.requestId: an assessment was opened for this request a moment ago.', { type: 'EhcNeedsAssessment', id: existing.id });
  },
};
