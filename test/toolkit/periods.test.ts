import { addMonths, ageOn, daysBetween } from '../../subgraphs/toolkit/dates';
import { isIsoDate } from '../../subgraphs/toolkit/date-scalar';
import { Interval, periodsBetween, periodStartOf } from '../../subgraphs/toolkit/measures/periods';
import { lastCompletePeriod } from '../../subgraphs/toolkit/measures/series';

describe('periods', () => {
  it('cuts whole calendar months covering the range', () => {
    expect(periodsBetween('2024-01-15', '2024-03-01', Interval.MONTH)).toEqual([
      { start: '2024-01-01', end: '2024-01-31' },
      { start: '2024-02-01', end: '2024-02-29' },
      { start: '2024-03-01', end: '2024-03-31' },
    ]);
  });
  it('cuts calendar quarters', () => {
    expect(periodsBetween('2023-11-30', '2024-04-01', Interval.QUARTER).map((p) => `${p.start}..${p.end}`)).toEqual([
      '2023-10-01..2023-12-31',
      '2024-01-01..2024-03-31',
      '2024-04-01..2024-06-30',
    ]);
  });
  it('runs financial years from April to March', () => {
    expect(periodStartOf('2024-03-31', Interval.FINANCIAL_YEAR)).toBe('2023-04-01');
    expect(periodStartOf('2024-04-01', Interval.FINANCIAL_YEAR)).toBe('2024-04-01');
    expect(periodsBetween('2024-01-01', '2024-12-31', Interval.FINANCIAL_YEAR)).toEqual([
      { start: '2023-04-01', end: '2024-03-31' },
      { start: '2024-04-01', end: '2025-03-31' },
    ]);
  });
  it('cuts calendar years', () => {
    expect(periodsBetween('2022-06-01', '2023-01-01', Interval.YEAR)).toEqual([
      { start: '2022-01-01', end: '2022-12-31' },
      { start: '2023-01-01', end: '2023-12-31' },
    ]);
  });
  it('refuses a range that ends before it starts, or is too long', () => {
    expect(() => periodsBetween('2024-02-01', '2024-01-01', Interval.MONTH)).toThrow(/before/);
    expect(() => periodsBetween('1900-01-01', '2024-01-01', Interval.MONTH)).toThrow(/more than 600 periods/);
  });
  it('finds the last whole period ending on or before a date', () => {
    expect(lastCompletePeriod('2026-11-22', Interval.MONTH)).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    expect(lastCompletePeriod('2026-10-31', Interval.MONTH)).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    expect(lastCompletePeriod('2026-11-22', Interval.FINANCIAL_YEAR)).toEqual({ start: '2025-04-01', end: '2026-03-31' });
  });
});

describe('calendar arithmetic', () => {
  it('adds months, falling back to the last day of a shorter month', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
  });
  it('counts days across a leap day', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
  });
  it('computes age on a date', () => {
    expect(ageOn('2010-06-15', '2026-06-14')).toBe(15);
    expect(ageOn('2010-06-15', '2026-06-15')).toBe(16);
  });
  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
    expect(isIsoDate('23-01-01')).toBe(false);
  });
});
