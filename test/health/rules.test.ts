import {
  cypMentalHealthAccess, daysWaited, healthAdviceDueDate, isWaiting, isWaitingOver, median, medianWeeksToFirstContact,
  referralStatusAt, returnedWithinSixWeeks, rollingTwelveMonthsStart, waitEndDate, waitingBandIndex, waitingListBands, weeksWaited,
} from '../../subgraphs/health/rules/waiting';
import { cohortEndDate, completedSpace, fasaChange, isValidFasaScore, mean } from '../../subgraphs/health/rules/space';

describe('waiting', () => {
  const r = { receivedDate: '2025-01-10', firstContactDate: '2025-03-01', dischargeDate: null };

  it('is waiting from the day received up to the day before first contact', () => {
    expect(isWaiting(r, '2025-01-09')).toBe(false);
    expect(isWaiting(r, '2025-01-10')).toBe(true);
    expect(isWaiting(r, '2025-02-28')).toBe(true);
    expect(isWaiting(r, '2025-03-01')).toBe(false);
  });

  it('stops waiting at discharge even without a contact, and at whichever of the two comes first', () => {
    const closed = { receivedDate: '2025-01-10', dischargeDate: '2025-02-01' };
    expect(isWaiting(closed, '2025-01-31')).toBe(true);
    expect(isWaiting(closed, '2025-02-01')).toBe(false);
    expect(waitEndDate({ receivedDate: '2025-01-01', firstContactDate: '2025-05-01', dischargeDate: '2025-04-01' })).toBe('2025-04-01');
    expect(waitEndDate({ receivedDate: '2025-01-01' })).toBeNull();
  });

  it('a referral seen on the day it was received never waits', () => {
    expect(isWaiting({ receivedDate: '2025-01-10', firstContactDate: '2025-01-10' }, '2025-01-10')).toBe(false);
  });

  it('counts days and weeks waited, null when not waiting', () => {
    expect(daysWaited(r, '2025-01-10')).toBe(0);
    expect(daysWaited(r, '2025-01-24')).toBe(14);
    expect(weeksWaited(r, '2025-01-24')).toBe(2);
    expect(weeksWaited(r, '2025-01-27')).toBeCloseTo(17 / 7);
    expect(daysWaited(r, '2025-03-05')).toBeNull();
  });

  it('over N weeks means more than 7N days: 126 days is not over 18 weeks, 127 is', () => {
    const open = { receivedDate: '2025-01-01' };
    expect(isWaitingOver(open, '2025-05-07', 18)).toBe(false); // 126 days
    expect(isWaitingOver(open, '2025-05-08', 18)).toBe(true); // 127 days
    expect(daysWaited(open, '2025-04-02')).toBe(91);
    expect(isWaitingOver(open, '2025-04-02', 13)).toBe(false); // 91 days: exactly 13 weeks
    expect(isWaitingOver(open, '2025-04-03', 13)).toBe(true); // 92 days
    expect(isWaitingOver({ receivedDate: '2025-01-01', firstContactDate: '2025-04-01' }, '2025-12-01', 13)).toBe(false);
  });

  it('puts waits in bands closed at the top', () => {
    expect([0, 28, 29, 91, 92, 126, 127, 364, 365, 2000].map(waitingBandIndex)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(() => waitingBandIndex(-1)).toThrow();
  });

  it('counts a waiting list by band, leaving out referrals not waiting', () => {
    const at = '2025-12-31';
    const list = [
      { receivedDate: '2025-12-31' }, // 0 days
      { receivedDate: '2025-12-03' }, // 28 days
      { receivedDate: '2025-10-01' }, // 91 days
      { receivedDate: '2025-08-27' }, // 126 days
      { receivedDate: '2025-08-26' }, // 127 days
      { receivedDate: '2024-12-31' }, // 365 days
      { receivedDate: '2024-01-01', firstContactDate: '2025-01-01' }, // seen
      { receivedDate: '2026-01-01' }, // not yet received
    ];
    expect(waitingListBands(list, at)).toEqual([2, 1, 1, 1, 1]);
  });

  it('takes the median of an odd and an even count', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('medians weeks to first contact over referrals first seen in the period only', () => {
    const list = [
      { receivedDate: '2025-01-01', firstContactDate: '2025-03-12' }, // 70 days = 10 weeks
      { receivedDate: '2025-02-01', firstContactDate: '2025-03-01' }, // 4 weeks
      { receivedDate: '2025-01-01', firstContactDate: '2025-03-31' }, // 89 days
      { receivedDate: '2025-01-01', firstContactDate: '2025-04-01' }, // April: left out
      { receivedDate: '2025-01-01' },
    ];
    expect(medianWeeksToFirstContact(list, '2025-03-01', '2025-03-31')).toBe(10);
    expect(medianWeeksToFirstContact(list, '2025-05-01', '2025-05-31')).toBeNull();
  });

  it('rolling 12 months ends on the period end and starts 12 months before the next day', () => {
    expect(rollingTwelveMonthsStart('2026-03-31')).toBe('2025-04-01');
    expect(rollingTwelveMonthsStart('2024-02-29')).toBe('2023-03-01');
    expect(rollingTwelveMonthsStart('2025-12-31')).toBe('2025-01-01');
  });

  it('counts distinct children with a CAMHS first or second contact in the rolling 12 months', () => {
    const list = [
      { linkKey: 'a', pathway: 'CAMHS', firstContactDate: '2025-01-01' }, // first day of window
      { linkKey: 'a', pathway: 'CAMHS', firstContactDate: '2025-06-01' }, // same child
      { linkKey: 'b', pathway: 'CAMHS', firstContactDate: '2024-06-01', secondContactDate: '2025-12-31' }, // second contact, last day
      { linkKey: 'c', pathway: 'CAMHS', firstContactDate: '2024-12-31' }, // day before window
      { linkKey: 'd', pathway: 'SALT', firstContactDate: '2025-06-01' }, // not CAMHS
      { linkKey: 'e', pathway: 'CAMHS' }, // never seen
    ];
    expect(cypMentalHealthAccess(list, '2025-12-31')).toBe(2);
  });

  it('health advice is due 42 days after asked; returned on day 42 is within 6 weeks, day 43 is not', () => {
    expect(healthAdviceDueDate('2025-01-01')).toBe('2025-02-12');
    expect(returnedWithinSixWeeks('2025-01-01', '2025-02-12')).toBe(true);
    expect(returnedWithinSixWeeks('2025-01-01', '2025-02-13')).toBe(false);
    expect(returnedWithinSixWeeks('2025-01-01', null)).toBeNull();
  });

  it('a referral stands waiting, seen or discharged on a date', () => {
    const full = { receivedDate: '2025-01-01', firstContactDate: '2025-02-01', dischargeDate: '2025-06-01' };
    expect(referralStatusAt(full, '2024-12-31')).toBeNull();
    expect(referralStatusAt(full, '2025-01-31')).toBe('WAITING');
    expect(referralStatusAt(full, '2025-02-01')).toBe('SEEN');
    expect(referralStatusAt(full, '2025-06-01')).toBe('DISCHARGED');
  });
});

describe('SPACE', () => {
  it('completion is at least 75% of planned sessions', () => {
    expect(completedSpace(9, 12)).toBe(true);
    expect(completedSpace(8, 12)).toBe(false);
    expect(completedSpace(8, 10)).toBe(true);
    expect(completedSpace(7, 10)).toBe(false);
    expect(completedSpace(0, 0)).toBe(false);
  });

  it('FASA scores are whole numbers 0-36', () => {
    expect([0, 36, 18].every(isValidFasaScore)).toBe(true);
    expect([-1, 37, 2.5, NaN].some(isValidFasaScore)).toBe(false);
  });

  it('change is after minus before, null without both; the cohort ends on its last weekly session', () => {
    expect(fasaChange(20, 12)).toBe(-8);
    expect(fasaChange(20, null)).toBeNull();
    expect(mean([-8, -2])).toBe(-5);
    expect(mean([])).toBeNull();
    expect(cohortEndDate('2025-01-06', 12)).toBe('2025-03-24');
  });
});
