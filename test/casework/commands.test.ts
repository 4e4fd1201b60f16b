import { allocateWorker, recordNoAllocatedWorker, type AllocationState } from '../../subgraphs/casework/commands/allocation';
import { recordAdviceReturned, recordAssessmentEnd, recordDraftPlan, type AssessmentState } from '../../subgraphs/casework/commands/assessment';
import { recordFinalPlan } from '../../subgraphs/casework/commands/plan';
import { recordDecision, recordRequest, type DecisionState } from '../../subgraphs/casework/commands/request';
import { recordReviewDecision, recordReviewMeeting, type ReviewMeetingState } from '../../subgraphs/casework/commands/review';
import type { AnnualReview, Child, EhcNeedsAssessment, EhcnaRequest, EhcPlan, WorkerAllocation } from '../../subgraphs/casework/entities';
import { AdviceType, AssessmentOutcome, CeaseReason, RequestOutcome, ReviewOutcome, SenType } from '../../subgraphs/casework/entities/enums';

/** The commands' checks are pure: the input and what was loaded in, problems out. No database here. */
const TODAY = '2026-06-30';
const as = <T>(fields: Partial<T>) => fields as T;
const fields = (problems: Array<{ field: string }>) => problems.map((p) => p.field);
const messages = (problems: Array<{ message: string }>) => problems.map((p) => p.message);

describe('casework commands: checks', () => {
  it('a request: not before the child was born, not in the future', () => {
    const state = { child: as<Child>({ id: 'c', birthDate: '2015-05-05' }), today: TODAY };
    expect(recordRequest.check({ childId: 'c', receivedDate: '2025-01-06' }, state)).toEqual([]);
    expect(messages(recordRequest.check({ childId: 'c', receivedDate: '2015-05-04' }, state))).toEqual(['input.receivedDate (2015-05-04) is before the child\'s birth date (2015-05-05).']);
    expect(messages(recordRequest.check({ childId: 'c', receivedDate: '2026-07-01' }, state))).toEqual(['input.receivedDate (2026-07-01) is in the future.']);
  });

  it('a decision: one of three, after the request, and an assessment under way is not taken back', () => {
    const state: DecisionState = { request: as<EhcnaRequest>({ id: 'r', receivedDate: '2025-09-01' }), assessment: null, today: TODAY };
    const input = { requestId: 'r', outcome: RequestOutcome.ASSESS, decisionDate: '2025-10-01' };
    expect(recordDecision.check(input, state)).toEqual([]);
    expect(messages(recordDecision.check({ ...input, decisionDate: '2025-08-01' }, state))).toEqual(['input.decisionDate (2025-08-01) is before receivedDate (2025-09-01).']);
    expect(fields(recordDecision.check({ ...input, outcome: RequestOutcome.NOT_YET_DECIDED }, state))).toEqual(['input.outcome']);
    const underWay = { ...state, assessment: as<EhcNeedsAssessment>({ id: 'a' }) };
    expect(recordDecision.check(input, underWay)).toEqual([]);
    expect(messages(recordDecision.check({ ...input, outcome: RequestOutcome.NOT_ASSESS }, underWay))).toEqual(['input.outcome: an assessment is already under way for this request.']);
  });

  const assessmentState = (assessment: Partial<EhcNeedsAssessment>, request: Partial<EhcnaRequest> = { outcome: RequestOutcome.ASSESS, outcomeDate: '2025-02-17' }): AssessmentState => ({
    assessment: as<EhcNeedsAssessment>({ id: 'a', outcome: AssessmentOutcome.PENDING, ...assessment }),
    request: as<EhcnaRequest>({ id: 'r', ...request }),
    today: TODAY,
  });

  it('advice returned: only once asked for, and not before', () => {
    const input = { assessmentId: 'a', adviceType: AdviceType.HEALTH, date: '2025-04-01' };
    expect(messages(recordAdviceReturned.check(input, assessmentState({})))).toEqual(['input.adviceType: HEALTH advice has not been asked for yet; record that first.']);
    expect(recordAdviceReturned.check(input, assessmentState({ healthAdviceAskedDate: '2025-03-01' }))).toEqual([]);
    expect(messages(recordAdviceReturned.check(input, assessmentState({ healthAdviceAskedDate: '2025-04-02' })))).toEqual(['input.date (2025-04-01) is before the date the advice was asked for (2025-04-02).']);
    // Asked for educational psychology advice only: health's is still not asked for.
    expect(fields(recordAdviceReturned.check(input, assessmentState({ epAdviceAskedDate: '2025-03-01' })))).toEqual(['input.adviceType']);
  });

  it('a draft plan: after a decision to assess, not after the assessment ended', () => {
    const input = { assessmentId: 'a', draftPlanDate: '2025-05-01' };
    expect(recordDraftPlan.check(input, assessmentState({}))).toEqual([]);
    expect(messages(recordDraftPlan.check(input, assessmentState({ outcome: AssessmentOutcome.WITHDRAWN }, { outcome: RequestOutcome.NOT_YET_DECIDED, outcomeDate: null })))).toEqual([
      'input.assessmentId: there is no decision to assess for this request.',
      'input.assessmentId: the assessment ended with withdrawal.',
    ]);
  });

  it('an assessment ends without a plan only as NOT_ISSUE_PLAN or WITHDRAWN, and not once a plan was issued', () => {
    const input = { assessmentId: 'a', outcome: AssessmentOutcome.NOT_ISSUE_PLAN, date: '2025-03-01' };
    expect(recordAssessmentEnd.check(input, { ...assessmentState({}), plan: null })).toEqual([]);
    expect(fields(recordAssessmentEnd.check({ ...input, outcome: AssessmentOutcome.ISSUE_PLAN, date: '2025-01-01' }, { ...assessmentState({}), plan: as<EhcPlan>({ id: 'p' }) }))).toEqual([
      'input.outcome',
      'input.assessmentId',
      'input.date',
    ]);
  });

  it('a final plan: the life cycle, then the placements and needs, every problem named', () => {
    const good = { assessmentId: 'a', issueDate: '2025-05-26', placements: [{ rank: 1, urn: '123456' }], senNeeds: [{ senType: SenType.SLCN, rank: 1 }] };
    expect(recordFinalPlan.check(good, assessmentState({ draftPlanDate: '2025-05-01' }))).toEqual([]);
    const drafted = assessmentState({ draftPlanDate: '2025-05-01' });
    const reg13 = (issueDate: string) => `input.issueDate (${issueDate}) is before the end of the family's 15 days to comment on the draft plan (reg 13(1); record familyAgreedEarlyDate if they agreed to an earlier issue) (2025-05-16).`;
    expect(messages(recordFinalPlan.check({ ...good, issueDate: '2025-04-30' }, drafted))).toEqual([reg13('2025-04-30')]);
    // Reg 13(1) at its edge: 10 and 14 days after the draft are refused, naming the date the rule uses; 15 days is accepted.
    expect(messages(recordFinalPlan.check({ ...good, issueDate: '2025-05-11' }, drafted))).toEqual([reg13('2025-05-11')]);
    expect(messages(recordFinalPlan.check({ ...good, issueDate: '2025-05-15' }, drafted))).toEqual([reg13('2025-05-15')]);
    expect(recordFinalPlan.check({ ...good, issueDate: '2025-05-16' }, drafted)).toEqual([]);
    // The family's early agreement, recorded, lets the plan follow the draft sooner; the agreement itself follows the draft and precedes the issue.
    expect(recordFinalPlan.check({ ...good, issueDate: '2025-05-11', familyAgreedEarlyDate: '2025-05-08' }, drafted)).toEqual([]);
    expect(messages(recordFinalPlan.check({ ...good, issueDate: '2025-04-30', familyAgreedEarlyDate: '2025-04-29' }, drafted))).toEqual([
      'input.issueDate (2025-04-30) is before the draft plan (2025-05-01).',
      'input.familyAgreedEarlyDate (2025-04-29) is before the draft plan (2025-05-01).',
    ]);
    expect(messages(recordFinalPlan.check({ ...good, issueDate: '2025-05-11', familyAgreedEarlyDate: '2025-05-12' }, drafted))).toEqual(['input.familyAgreedEarlyDate (2025-05-12) is after input.issueDate (2025-05-11).']);
    expect(fields(recordFinalPlan.check({ ...good, familyAgreedEarlyDate: '2025-05-12' }, assessmentState({})))).toEqual(['input.familyAgreedEarlyDate']);
    const bad = { ...good, placements: [{ rank: 1, urn: '12', ukprn: '10001234' }, { rank: 1 }], senNeeds: [{ senType: SenType.ASD, rank: 2 }] };
    expect(fields(recordFinalPlan.check(bad, assessmentState({ outcome: AssessmentOutcome.NOT_ISSUE_PLAN }, { outcome: RequestOutcome.NOT_YET_DECIDED, outcomeDate: null })))).toEqual([
      'input.assessmentId',
      'input.assessmentId',
      'input.placements[0]',
      'input.placements[0].urn',
      'input.placements[1]',
      'input.placements',
      'input.senNeeds',
    ]);
  });

  it('a review meeting: after the issue and the last meeting, before the plan ceased; its decision after the meeting', () => {
    const state: ReviewMeetingState = { plan: as<EhcPlan>({ id: 'p', issueDate: '2024-03-01', ceaseDate: '2026-01-10' }), reviews: [as<AnnualReview>({ meetingDate: '2025-02-20' })], today: TODAY };
    expect(recordReviewMeeting.check({ planId: 'p', meetingDate: '2025-12-01' }, state)).toEqual([]);
    expect(messages(recordReviewMeeting.check({ planId: 'p', meetingDate: '2025-02-20' }, state))).toEqual(['input.meetingDate (2025-02-20) is not after the last review meeting (2025-02-20).']);
    expect(messages(recordReviewMeeting.check({ planId: 'p', meetingDate: '2026-01-10' }, state))).toEqual(['input.meetingDate: the plan ceased on 2026-01-10.']);
    const decision = { reviewId: 'v', outcome: ReviewOutcome.CEASE, decisionDate: '2025-03-01', ceaseReason: null };
    expect(fields(recordReviewDecision.check(decision, { review: as<AnnualReview>({ meetingDate: null }), plan: null, today: TODAY }))).toEqual(['input.reviewId', 'input.ceaseReason']);
    expect(recordReviewDecision.check({ ...decision, ceaseReason: CeaseReason.NEEDS_MET }, { review: as<AnnualReview>({ meetingDate: '2025-02-20' }), plan: null, today: TODAY })).toEqual([]);
  });

  it('an allocation starts after the current one; a decision to have none says who, why and until when', () => {
    const state: AllocationState = { child: as<Child>({ id: 'c' }), current: as<WorkerAllocation>({ startDate: '2026-01-05' }), today: TODAY };
    expect(allocateWorker.check({ childId: 'c', caseworkerId: 'w', startDate: '2026-01-06' }, { ...state, worker: {} as never })).toEqual([]);
    expect(messages(allocateWorker.check({ childId: 'c', caseworkerId: 'w', startDate: '2026-01-05' }, { ...state, worker: {} as never }))).toEqual([
      'input.startDate (2026-01-05) is not after the start of the current allocation (2026-01-05).',
    ]);
    const none = { childId: 'c', decidedBy: ' ', reason: 'x', startDate: '2026-02-01', nextReviewDate: '2026-01-01' };
    expect(fields(recordNoAllocatedWorker.check(none, state))).toEqual(['input.decidedBy', 'input.nextReviewDate']);
    expect(fields(recordNoAllocatedWorker.check({ ...none, decidedBy: 'Team manager', nextReviewDate: '2026-08-01', startDate: '2026-01-01' }, state))).toEqual(['input.startDate']);
  });
});
