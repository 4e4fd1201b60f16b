import { assembleTimeline, deadlineStatus, deadlineSummary, type TimelineAssessment, type TimelineChild } from '../../web/timeline/assemble';

const assessment = (o: Partial<TimelineAssessment>): TimelineAssessment => ({
  id: 'a1', outcome: 'ISSUE_PLAN', outcomeDate: null, draftPlanDate: null, week20Exception: false, exceptionReason: null, finalPlanDueDate: '2023-05-22',
  epAdviceAskedDate: null, epAdviceReturnedDate: null, epAdviceWithinSixWeeks: null, healthAdviceAskedDate: null, healthAdviceReturnedDate: null, healthAdviceWithinSixWeeks: null,
  socialCareAdviceAskedDate: null, socialCareAdviceReturnedDate: null, socialCareAdviceWithinSixWeeks: null, request: { id: 'r1' }, healthAdvice: null, ...o,
});

describe('a child\'s timeline', () => {
  it('judges a deadline by the API\'s answer when it has one, else by the dates; an undone one is due, then overdue', () => {
    expect(deadlineStatus('2023-02-13', '2023-02-13', null, '2026-01-01')).toBe('met');
    expect(deadlineStatus('2023-02-13', '2023-02-14', null, '2026-01-01')).toBe('missed');
    // The API's judgement wins (it counts as the measures do).
    expect(deadlineStatus('2023-02-13', '2023-02-14', true, '2026-01-01')).toBe('met');
    expect(deadlineStatus('2023-02-13', '2023-02-01', false, '2026-01-01')).toBe('missed');
    expect(deadlineStatus('2023-02-13', null, null, '2023-02-13')).toBe('due');
    expect(deadlineStatus('2023-02-13', null, null, '2023-02-14')).toBe('overdue');
  });

  it('puts requests, decisions, advice, draft and final plan, reviews and health on one line, oldest first, each deadline met or missed', () => {
    const child: TimelineChild = {
      requests: [
        { id: 'r1', receivedDate: '2023-01-02', outcome: 'ASSESS', outcomeDate: '2023-02-20', decisionDueDate: '2023-02-13', decisionWithinSixWeeks: false },
        { id: 'r2', receivedDate: '2023-05-10', outcome: 'WITHDRAWN', outcomeDate: '2023-05-20', decisionDueDate: '2023-06-21', decisionWithinSixWeeks: null },
      ],
      assessments: [assessment({
        epAdviceAskedDate: '2023-02-21', epAdviceReturnedDate: '2023-03-20', epAdviceWithinSixWeeks: true,
        healthAdviceAskedDate: '2023-02-21', healthAdviceReturnedDate: '2023-04-20', healthAdviceWithinSixWeeks: false,
        healthAdvice: { askedDate: '2023-02-21', returnedDate: '2023-04-20', dueDate: '2023-04-04', returnedWithinSixWeeks: false },
        draftPlanDate: '2023-04-28',
      })],
      ehcPlans: [{
        id: 'p1', issueDate: '2023-05-22', ceaseDate: null, ceaseReason: null, weeksToIssue: 20, issuedWithinTwentyWeeks: true, nextReviewDueDate: '2025-05-01', reviewOverdue: true, assessment: { id: 'a1' },
        annualReviews: [{ id: 'v1', dueDate: '2024-05-22', meetingDate: '2024-05-01', outcome: 'MAINTAIN', decisionDate: '2024-06-10', decisionDueDate: '2024-05-29', decisionWithinFourWeeks: false }],
      }],
      healthReferrals: [{ id: 'f1', pathway: 'NEURODEVELOPMENTAL', receivedDate: '2022-11-01', firstContactDate: '2023-03-01', secondContactDate: null, dischargeDate: null, service: { name: 'ND assessment' } }],
    };
    const events = assembleTimeline(child, '2026-01-01');
    const dates = events.map((e) => e.date);
    expect([...dates].sort()).toEqual(dates);
    const line = events.map((e) => `${e.date} ${e.title}${e.deadline ? ` [${e.deadline.status}]` : ''}`);
    expect(line).toEqual([
      '2022-11-01 Referral received: Neurodevelopmental, ND assessment',
      '2023-01-02 Request for an EHC needs assessment received',
      '2023-02-20 Decided to assess [missed]',
      '2023-02-21 Educational psychology advice asked for',
      '2023-02-21 Health advice asked for',
      '2023-03-01 First care contact: Neurodevelopmental, ND assessment',
      '2023-03-20 Educational psychology advice returned [met]',
      '2023-04-20 Health advice returned [missed]',
      '2023-04-28 Draft EHC plan sent to the family',
      '2023-05-10 Request for an EHC needs assessment received',
      '2023-05-20 Request withdrawn',
      '2023-05-22 Final EHC plan issued [met]',
      '2024-05-01 Annual review meeting held [met]',
      '2024-06-10 Annual review decision: maintain [missed]',
      '2025-05-01 Annual review overdue [overdue]',
    ]);
    // Health's own record of its advice is the one shown (due date and source from health).
    expect(events.find((e) => e.title === 'Health advice returned')).toMatchObject({ source: 'health', deadline: { dueDate: '2023-04-04' } });
    expect(deadlineSummary(events)).toEqual({ met: 3, missed: 3, due: 0, overdue: 1, exception: 0 });
  });

  it('shows a deadline not yet reached as due, one passed as overdue, and a 20-week exception as such', () => {
    const child: TimelineChild = {
      requests: [{ id: 'r1', receivedDate: '2026-01-05', outcome: 'NOT_YET_DECIDED', outcomeDate: null, decisionDueDate: '2026-02-16', decisionWithinSixWeeks: null }],
      assessments: [
        assessment({ id: 'a2', outcome: 'PENDING', finalPlanDueDate: '2026-01-10', epAdviceAskedDate: '2025-11-01' }),
        assessment({ id: 'a3', outcome: 'PENDING', finalPlanDueDate: '2026-01-11', week20Exception: true }),
      ],
      ehcPlans: [],
      healthReferrals: null,
    };
    const events = assembleTimeline(child, '2026-02-01');
    const deadlines = events.filter((e) => e.deadline).map((e) => [e.deadline!.what, e.deadline!.status]);
    expect(deadlines).toEqual([
      ['Educational psychology advice within 6 weeks', 'overdue'],
      ['Final EHC plan within 20 weeks', 'overdue'],
      ['Final EHC plan within 20 weeks', 'exception'],
      ['Decision whether to assess within 6 weeks', 'due'],
    ]);
  });
});
