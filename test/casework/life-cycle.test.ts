import { AssessmentOutcome, RequestOutcome, ReviewOutcome } from '../../subgraphs/casework/entities/enums';
import {
  allocationEndsBefore,
  allocationFollows,
  ceasedBy,
  ceaseReasonProblem,
  decidedToAssess,
  decisionOpensAssessment,
  decisionTakesBackAssessment,
  endedWithoutPlan,
  finalPlanFollows,
  isDecision,
  latestPlan,
  meetingBefore,
  primaryNeed,
  reviewAwaitingMeeting,
  reviewDueDate,
  reviewMeetingFollows,
} from '../../subgraphs/casework/rules/life-cycle';
import { annualReviewDueDate, reviewDueAfter, reviewDueAfterSql } from '../../subgraphs/casework/rules/timescales';

describe('the life cycle: what may follow what', () => {
  it('a caseworker decides ASSESS, NOT_ASSESS or WITHDRAWN; an assessment under way is not taken back, and opens once', () => {
    expect([RequestOutcome.ASSESS, RequestOutcome.NOT_ASSESS, RequestOutcome.WITHDRAWN].every(isDecision)).toBe(true);
    expect(isDecision(RequestOutcome.NOT_YET_DECIDED)).toBe(false);
    expect(isDecision(RequestOutcome.HISTORICAL)).toBe(false);
    expect(decisionTakesBackAssessment(RequestOutcome.NOT_ASSESS, true)).toBe(true);
    expect(decisionTakesBackAssessment(RequestOutcome.ASSESS, true)).toBe(false);
    expect(decisionTakesBackAssessment(RequestOutcome.NOT_ASSESS, false)).toBe(false);
    expect(decisionOpensAssessment(RequestOutcome.ASSESS, false)).toBe(true);
    expect(decisionOpensAssessment(RequestOutcome.ASSESS, true)).toBe(false);
    expect(decisionOpensAssessment(RequestOutcome.WITHDRAWN, false)).toBe(false);
  });

  it('a draft or final plan needs a decision to assess with its date, and an assessment that has not ended', () => {
    expect(decidedToAssess({ outcome: RequestOutcome.ASSESS, outcomeDate: '2025-02-01' })).toBe(true);
    expect(decidedToAssess({ outcome: RequestOutcome.ASSESS, outcomeDate: null })).toBe(false);
    expect(decidedToAssess({ outcome: RequestOutcome.HISTORICAL, outcomeDate: '2025-02-01' })).toBe(false);
    expect(endedWithoutPlan(AssessmentOutcome.NOT_ISSUE_PLAN)).toBe('a decision not to issue a plan');
    expect(endedWithoutPlan(AssessmentOutcome.WITHDRAWN)).toBe('withdrawal');
    expect(endedWithoutPlan(AssessmentOutcome.PENDING)).toBeNull();
    expect(endedWithoutPlan(AssessmentOutcome.ISSUE_PLAN)).toBeNull();
  });

  it('the final plan follows the draft by the family\'s 15 days (reg 13(1)) unless they agreed to an earlier issue, or the decision to assess when there was no draft', () => {
    const step = finalPlanFollows({ outcomeDate: '2025-02-01' }, { draftPlanDate: '2025-04-01' });
    expect(step.date).toBe('2025-04-16');
    expect(step.name).toMatch(/15 days to comment on the draft plan \(reg 13\(1\)/);
    expect(finalPlanFollows({ outcomeDate: '2025-02-01' }, { draftPlanDate: '2025-04-01' }, true)).toEqual({ name: 'the draft plan', date: '2025-04-01' });
    expect(finalPlanFollows({ outcomeDate: '2025-02-01' }, { draftPlanDate: null })).toEqual({ name: 'the decision to assess', date: '2025-02-01' });
  });

  it('a review meeting comes after the issue or the last meeting, whichever is later, named by its own date; none from the day the plan ceased', () => {
    const plan = { issueDate: '2024-03-01', ceaseDate: '2026-01-10' };
    expect(reviewMeetingFollows(plan, [])).toEqual({ name: 'the plan\'s issue date', date: '2024-03-01', after: true });
    expect(reviewMeetingFollows(plan, [null, '2025-02-20', '2025-02-10'])).toEqual({ name: 'the last review meeting', date: '2025-02-20', after: true });
    // A meeting recorded before the plan's issue (imported) does not move the earliest date back.
    expect(reviewMeetingFollows(plan, ['2024-01-01'])).toEqual({ name: 'the plan\'s issue date', date: '2024-03-01', after: true });
    expect(ceasedBy(plan, '2026-01-09')).toBe(false);
    expect(ceasedBy(plan, '2026-01-10')).toBe(true);
    expect(ceasedBy({ ceaseDate: null }, '2099-01-01')).toBe(false);
  });

  it('a review is due by the review rule from the meeting before it, or the issue if that is later', () => {
    expect(reviewDueDate('2024-02-29', null)).toBe('2025-02-28');
    expect(reviewDueDate('2024-03-01', '2025-02-20')).toBe('2026-02-20');
    expect(reviewDueDate('2024-03-01', '2024-01-01')).toBe('2025-03-01');
    expect(meetingBefore(['2025-02-20', null, '2026-02-01', '2024-12-01'], '2026-02-01')).toBe('2025-02-20');
    expect(meetingBefore(['2026-02-01'], '2025-01-01')).toBeNull();
    // The same rule as the plan's next due date, when the meeting follows every one held.
    const held = ['2025-02-20', '2026-02-10'];
    expect(reviewDueDate('2024-03-01', meetingBefore(held, '2027-01-01'))).toBe(annualReviewDueDate('2024-03-01', held));
  });

  it('the review rule in SQL is the same rule', () => {
    expect(reviewDueAfter('2023-05-31')).toBe('2024-05-31');
    expect(reviewDueAfterSql('e.issue_date')).toBe('(e.issue_date + interval \'12 months\')::date');
  });

  it('a missed review is completed by the next meeting, rather than a second review opened', () => {
    const reviews = [{ id: 'a', meetingDate: '2025-01-01' }, { id: 'b', meetingDate: null }];
    expect(reviewAwaitingMeeting(reviews)?.id).toBe('b');
    expect(reviewAwaitingMeeting([{ id: 'a', meetingDate: '2025-01-01' }])).toBeNull();
  });

  it('a cease reason goes with CEASE and only with it', () => {
    expect(ceaseReasonProblem(ReviewOutcome.CEASE, null)).toBe('required when the outcome is CEASE');
    expect(ceaseReasonProblem(ReviewOutcome.MAINTAIN, '2')).toBe('only with the outcome CEASE');
    expect(ceaseReasonProblem(ReviewOutcome.CEASE, '2')).toBeNull();
    expect(ceaseReasonProblem(ReviewOutcome.AMEND, null)).toBeNull();
  });

  it('a new allocation starts after the current one did, which ends the day before', () => {
    expect(allocationFollows(null)).toBeNull();
    expect(allocationFollows({ startDate: '2025-12-31' })).toEqual({ name: 'the start of the current allocation', date: '2025-12-31', after: true });
    expect(allocationEndsBefore('2024-03-01')).toBe('2024-02-29');
  });

  it('current details without a plan named go to the latest plan issued', () => {
    expect(latestPlan([{ id: 'a', issue: '2020-01-01' }, { id: 'b', issue: '2023-06-01' }, { id: 'c', issue: '2021-01-01' }])?.id).toBe('b');
    expect(latestPlan([])).toBeNull();
  });

  it('a child\'s primary need is the rank-1 need of its latest plan that names one', () => {
    const asd = [{ senType: 'SLCN', rank: 2 }, { senType: 'ASD', rank: 1 }];
    expect(primaryNeed([{ issue: '2020-01-01', needs: [{ senType: 'MLD', rank: 1 }] }, { issue: '2023-06-01', needs: asd }])).toBe('ASD');
    // A later plan naming no need (or no rank-1 need) does not take it away.
    expect(primaryNeed([{ issue: '2020-01-01', needs: asd }, { issue: '2023-06-01', needs: undefined }, { issue: '2024-01-01', needs: [{ senType: 'MLD', rank: 2 }] }])).toBe('ASD');
    expect(primaryNeed([{ issue: '2020-01-01', needs: [] }])).toBeNull();
    expect(primaryNeed([])).toBeNull();
  });
});
