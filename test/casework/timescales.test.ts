import {
  adviceWithinSixWeeks,
  annualReviewDueDate,
  annualReviewOverdue,
  dateOrderProblems,
  DateOrderError,
  decisionDueDate,
  decisionWithinSixWeeks,
  finalPlanDueDate,
  issuedWithinTwentyWeeks,
  reviewDecisionWithinFourWeeks,
  weeksToIssue,
} from '../../subgraphs/casework/rules/timescales';

describe('decision whether to assess: within 6 weeks of the request', () => {
  it('day 42 is on time, day 43 is late', () => {
    expect(decisionDueDate('2024-01-01')).toBe('2024-02-12');
    expect(decisionWithinSixWeeks('2024-01-01', '2024-02-12')).toBe(true);
    expect(decisionWithinSixWeeks('2024-01-01', '2024-02-13')).toBe(false);
  });
  it('counts 29 February in a leap year', () => {
    expect(decisionDueDate('2024-02-01')).toBe('2024-03-14');
    expect(decisionDueDate('2023-02-01')).toBe('2023-03-15');
  });
  it('is null with no decision yet, and an error when the decision is before the request', () => {
    expect(decisionWithinSixWeeks('2024-01-01', null)).toBeNull();
    expect(() => decisionWithinSixWeeks('2024-01-10', '2024-01-09')).toThrow(DateOrderError);
    expect(() => decisionWithinSixWeeks('2024-01-10', '2024-01-09')).toThrow(/decisionDate \(2024-01-09\) is before receivedDate/);
  });
  it('a decision on the day of the request is on time', () => {
    expect(decisionWithinSixWeeks('2024-01-10', '2024-01-10')).toBe(true);
  });
});

describe('advice within 6 weeks of being asked', () => {
  it('day 42 on time, day 43 late, none yet is null', () => {
    expect(adviceWithinSixWeeks('2023-12-20', '2024-01-31')).toBe(true);
    expect(adviceWithinSixWeeks('2023-12-20', '2024-02-01')).toBe(false);
    expect(adviceWithinSixWeeks('2023-12-20', undefined)).toBeNull();
  });
  it('refuses advice returned before it was asked', () => {
    expect(() => adviceWithinSixWeeks('2024-03-01', '2024-02-28')).toThrow(/returnedDate/);
  });
});

describe('final plan within 20 weeks: on or before day 140', () => {
  it('the 140th day exactly is within, the 141st is not', () => {
    expect(finalPlanDueDate('2023-01-02')).toBe('2023-05-22');
    expect(issuedWithinTwentyWeeks('2023-01-02', '2023-05-22')).toBe(true);
    expect(issuedWithinTwentyWeeks('2023-01-02', '2023-05-23')).toBe(false);
  });
  it('across 29 February: 140 days from 2024-01-15 is 2024-06-03 (2023: 2023-06-04)', () => {
    expect(finalPlanDueDate('2024-01-15')).toBe('2024-06-03');
    expect(finalPlanDueDate('2023-01-15')).toBe('2023-06-04');
    expect(issuedWithinTwentyWeeks('2024-01-15', '2024-06-04')).toBe(false);
  });
  it('with an exception the limit does not apply (null), however late', () => {
    expect(issuedWithinTwentyWeeks('2023-01-02', '2024-01-02', true)).toBeNull();
    expect(issuedWithinTwentyWeeks('2023-01-02', '2023-02-02', true)).toBeNull();
  });
  it('no plan yet is null; a plan before its request is an error', () => {
    expect(issuedWithinTwentyWeeks('2023-01-02', null)).toBeNull();
    expect(() => issuedWithinTwentyWeeks('2023-01-02', '2022-12-31')).toThrow(DateOrderError);
  });
  it('weeks to issue is days / 7', () => {
    expect(weeksToIssue('2023-01-02', '2023-05-22')).toBe(20);
    expect(weeksToIssue('2023-01-02', '2023-01-05')).toBeCloseTo(3 / 7);
    expect(() => weeksToIssue('2023-01-02', '2023-01-01')).toThrow(DateOrderError);
  });
});

describe('annual review due 12 months after the plan or the last meeting', () => {
  it('12 months after the plan when no meeting has been held', () => {
    expect(annualReviewDueDate('2023-03-15')).toBe('2024-03-15');
  });
  it('a plan issued on 29 February is due on 28 February the next year', () => {
    expect(annualReviewDueDate('2024-02-29')).toBe('2025-02-28');
  });
  it('counts from the latest meeting, whatever order the meetings come in', () => {
    expect(annualReviewDueDate('2021-01-10', ['2023-01-05', '2022-01-08', null])).toBe('2024-01-05');
  });
  it('refuses a meeting before the plan was issued', () => {
    expect(() => annualReviewDueDate('2021-01-10', ['2020-12-01'])).toThrow(DateOrderError);
  });
  it('is overdue the day after the due date, not on it', () => {
    expect(annualReviewOverdue('2023-03-15', [], '2024-03-15')).toBe(false);
    expect(annualReviewOverdue('2023-03-15', [], '2024-03-16')).toBe(true);
  });
  it('a meeting after the as-of date does not count yet', () => {
    expect(annualReviewOverdue('2023-03-15', ['2024-04-01'], '2024-03-20')).toBe(true);
    expect(annualReviewOverdue('2023-03-15', ['2024-03-01'], '2024-03-20')).toBe(false);
  });
});

describe('review decision within 4 weeks of the meeting', () => {
  it('day 28 on time, day 29 late, none is null, before the meeting is an error', () => {
    expect(reviewDecisionWithinFourWeeks('2024-02-10', '2024-03-09')).toBe(true);
    expect(reviewDecisionWithinFourWeeks('2024-02-10', '2024-03-10')).toBe(false);
    expect(reviewDecisionWithinFourWeeks('2024-02-10', null)).toBeNull();
    expect(() => reviewDecisionWithinFourWeeks('2024-02-10', '2024-02-09')).toThrow(DateOrderError);
  });
});

describe('dates along a case run in order', () => {
  it('reports every out-of-order date and skips missing ones', () => {
    const problems = dateOrderProblems([
      ['receivedDate', '2024-01-10'],
      ['decisionDate', '2024-01-05'],
      ['adviceAskedDate', null],
      ['draftIssueDate', '2024-04-01'],
      ['issueDate', '2024-03-01'],
    ]);
    expect(problems.map((p) => [p.field, p.earlierField])).toEqual([
      ['decisionDate', 'receivedDate'],
      ['issueDate', 'draftIssueDate'],
    ]);
  });
  it('equal dates are in order', () => {
    expect(dateOrderProblems([['a', '2024-01-01'], ['b', '2024-01-01']])).toEqual([]);
  });
});
